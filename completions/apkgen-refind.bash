# bash completion for apkgen-refind(8)
# tests/Package.Tests keeps this true to `apkgen-refind --help`.

_apkgen_refind() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local words="--config --device --top --check --stdout -v --verbose --help --version"

	case $prev in
	--config | --device | --top)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _apkgen_refind apkgen-refind
