#compdef apkgen-refind
# zsh completion for apkgen-refind(8)
# tests/Package.Tests keeps this true to `apkgen-refind --help`.

_arguments \
	'--config[configuration file]:file:_files' \
	'--device[btrfs device or mounted top level to read]:device:_files' \
	'--top[an already mounted top level]:directory:_files -/' \
	'(--stdout)--check[write nothing; exit 1 if a file differs]' \
	'(--check)--stdout[print the stanza files instead of writing them]' \
	'(-v --verbose)'{-v,--verbose}'[show stack traces of internal errors]' \
	'(- *)'{-h,--help}'[show help and usage]' \
	'(- *)--version[show the version]'
