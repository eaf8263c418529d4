# fish completion for apkgen-refind(8)
# tests/Package.Tests keeps this true to `apkgen-refind --help`.

complete -c apkgen-refind -f
complete -c apkgen-refind -l config -r -F -d 'configuration file'
complete -c apkgen-refind -l device -r -F -d 'btrfs device or mounted top level to read'
complete -c apkgen-refind -l top -r -a '(__fish_complete_directories)' -d 'an already mounted top level'
complete -c apkgen-refind -l check -d 'write nothing; exit 1 if a file differs'
complete -c apkgen-refind -l stdout -d 'print the stanza files instead of writing them'
complete -c apkgen-refind -s v -l verbose -d 'show stack traces of internal errors'
complete -c apkgen-refind -s h -l help -d 'show help and usage'
complete -c apkgen-refind -l version -d 'show the version'
