#compdef apkgen-bootcheck
# zsh completion for apkgen-bootcheck(8)
# tests/Package.Tests keeps this true to `apkgen-bootcheck --help`.

# apkgen-bootcheck: its commands and options go here.
_arguments \
	'--config[configuration file]:file:_files' \
	'--verbose[say more; stack traces with errors]' \
	'(- *)'{-h,--help}'[show help and usage]' \
	'(- *)--version[show the version]'
