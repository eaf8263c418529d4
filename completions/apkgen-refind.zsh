#compdef apkgen-refind
# zsh completion for apkgen-refind(8)
# tests/Package.Tests keeps this true to `apkgen-refind --help`.

# apkgen-refind: its commands and options go here.
_arguments \
	'--config[configuration file]:file:_files' \
	'--verbose[say more; stack traces with errors]' \
	'(- *)'{-h,--help}'[show help and usage]' \
	'(- *)--version[show the version]'
