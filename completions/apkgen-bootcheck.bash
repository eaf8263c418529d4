# bash completion for apkgen-bootcheck(8)
# tests/Package.Tests keeps this true to `apkgen-bootcheck --help`.

_apkgen_bootcheck() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="boot confirm status mark-good mark-bad"
	local global="--config --device --verbose --help --version"
	local i cmd=""

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--config | --device | --events | -n | --reason) ((i++)) ;;
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done

	case $prev in
	--config | --device)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--events | -n | --reason) return ;;
	esac

	local words=""
	case $cmd in
	"") words="$commands $global" ;;
	status) words="--events $global" ;;
	mark-bad) words="--reason $global" ;;
	*) words="$global" ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _apkgen_bootcheck apkgen-bootcheck
