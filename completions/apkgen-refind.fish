# fish completion for apkgen-refind(8)
# tests/Package.Tests keeps this true to `apkgen-refind --help`.

complete -c apkgen-refind -f
# apkgen-refind: its commands and options go here.
complete -c apkgen-refind -l config -r -F -d 'configuration file'
complete -c apkgen-refind -l verbose -d 'say more; stack traces with errors'
complete -c apkgen-refind -s h -l help -d 'show help and usage'
complete -c apkgen-refind -l version -d 'show the version'
