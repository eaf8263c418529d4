# bash completion for apkgen(8)
# tests/Package.Tests keeps this true to `apkgen --help`: every command and
# option the binary lists must be offered here.

_apkgen() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="init status list diff rollback pin unpin gc exec shell apk auto-upgrade"
	local global="--config --device --verbose --help --version"
	local i cmd=""

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--config | --device | --from | --wait | --adopt | --swap) ((i++)) ;;
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done

	case $prev in
	--config | --device | --swap)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--from | --wait | --adopt) return ;;
	esac

	local words=""
	case $cmd in
	"") words="$commands $global" ;;
	init) words="--adopt --swap $global" ;;
	list) words="--json $global" ;;
	status) words="--json --reboot-needed $global" ;;
	gc) words="--dry-run --wait $global" ;;
	rollback) words="--wait $global" ;;
	shell) words="--from --wait $global" ;;
	auto-upgrade) words="--now --dry-run $global" ;;
	exec)
		if [[ $cur == -* ]]; then
			words="--from --wait -- $global"
		else
			mapfile -t COMPREPLY < <(compgen -c -- "$cur")
			return
		fi
		;;
	apk)
		if [[ $cur == -* ]]; then
			words="$global"
		else
			words="add del upgrade fix update cache info search list policy version"
		fi
		;;
	*) words="$global" ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _apkgen apkgen
