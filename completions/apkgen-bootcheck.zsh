#compdef apkgen-bootcheck
# zsh completion for apkgen-bootcheck(8)
# tests/Package.Tests keeps this true to `apkgen-bootcheck --help`.

local -a global commands
global=(
	'--config[configuration file]:file:_files'
	'--device[btrfs device or mounted top level to manage]:device:_files'
	'(-v --verbose)'{-v,--verbose}'[show stack traces of internal errors]'
	'(- *)'{-h,--help}'[show help and usage]'
	'(- *)--version[show the version]'
)
commands=(
	'boot:early check: count a boot attempt of a pending generation'
	'confirm:late check: run the health checks, mark good or demote'
	'status:boot state, pending trial, health checks and recent events'
	'mark-good:mark a generation good'
	'mark-bad:mark a generation bad'
)

local curcontext=$curcontext state line
_arguments -C $global '1: :->command' '*:: :->args' && return

case $state in
command)
	_describe -t commands 'apkgen-bootcheck command' commands
	;;
args)
	case $words[1] in
	status) _arguments $global '(-n --events)'{-n,--events}'[how many recent events to show]:count: ' ;;
	mark-good) _arguments $global '1:generation: ' ;;
	mark-bad) _arguments $global '--reason[why, shown by status and list]:reason: ' '1:generation: ' ;;
	*) _arguments $global ;;
	esac
	;;
esac
