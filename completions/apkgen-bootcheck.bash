# bash completion for apkgen-bootcheck(8)
# tests/Package.Tests keeps this true to `apkgen-bootcheck --help`.

_apkgen_bootcheck() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	# apkgen-bootcheck: its commands and options go here.
	local words="--config --verbose --help --version"

	case $prev in
	--config)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _apkgen_bootcheck apkgen-bootcheck
