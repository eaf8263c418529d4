#compdef apkgen
# zsh completion for apkgen(8)
# tests/Package.Tests keeps this true to `apkgen --help`.

local -a global commands
global=(
	'--config[configuration file]:file:_files'
	'--device[btrfs device or mounted top level to manage]:device:_files'
	'(-v --verbose)'{-v,--verbose}'[show stack traces of internal errors]'
	'(- *)'{-h,--help}'[show help and usage]'
	'(- *)--version[show the version]'
)
commands=(
	'init:create the layout on a btrfs device'
	'status:the booted generation and the slots'
	'list:every generation'
	'diff:package changes between two generations'
	'rollback:promote a fallback slot to slot 0'
	'pin:keep a generation from gc'
	'unpin:let gc delete a generation again'
	'gc:delete unreferenced generations'
	'exec:run a command in a new generation'
	'shell:open a shell in a new generation'
	'apk:run apk; add, del, upgrade and fix make a new generation'
	'auto-upgrade:unattended upgrades by \[auto\] policy'
)

local curcontext=$curcontext state line
_arguments -C $global '1: :->command' '*:: :->args' && return

case $state in
command)
	_describe -t commands 'apkgen command' commands
	;;
args)
	local -a base
	base=(
		'--from[base generation]:generation: '
		'--wait[seconds to wait for the lock]:seconds: '
	)
	case $words[1] in
	init)
		_arguments $global \
			'--adopt[snapshot this root subvolume as the first generation]:subvolume: ' \
			'--swap[swap device for the fstab template]:device:_files' \
			'*::apk arguments: '
		;;
	list) _arguments $global '--json[print JSON]' ;;
	status) _arguments $global '--json[print JSON]' '--reboot-needed[exit 0 when a reboot is needed, 1 when not]' ;;
	diff) _arguments $global '1:generation: ' '2:generation: ' ;;
	rollback) _arguments $global $base[2] '1::slot: ' ;;
	pin | unpin) _arguments $global '1:generation: ' ;;
	gc) _arguments $global $base[2] '(-n --dry-run)'{-n,--dry-run}'[say what would go, delete nothing]' ;;
	exec) _arguments $global $base '*::command:_normal' ;;
	shell) _arguments $global $base ;;
	apk) _arguments $global '*::apk arguments: ' ;;
	auto-upgrade) _arguments $global '--now[ignore the interval and the window]' '--dry-run[print the decision, do nothing]' ;;
	*) _arguments $global ;;
	esac
	;;
esac
