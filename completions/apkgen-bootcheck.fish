# fish completion for apkgen-bootcheck(8)
# tests/Package.Tests keeps this true to `apkgen-bootcheck --help`.

complete -c apkgen-bootcheck -f
# apkgen-bootcheck: its commands and options go here.
complete -c apkgen-bootcheck -l config -r -F -d 'configuration file'
complete -c apkgen-bootcheck -l verbose -d 'say more; stack traces with errors'
complete -c apkgen-bootcheck -s h -l help -d 'show help and usage'
complete -c apkgen-bootcheck -l version -d 'show the version'
