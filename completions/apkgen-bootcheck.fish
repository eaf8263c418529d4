# fish completion for apkgen-bootcheck(8)
# tests/Package.Tests keeps this true to `apkgen-bootcheck --help`.

set -l commands boot confirm status mark-good mark-bad
complete -c apkgen-bootcheck -f

complete -c apkgen-bootcheck -l config -r -F -d 'configuration file'
complete -c apkgen-bootcheck -l device -r -F -d 'btrfs device or mounted top level to manage'
complete -c apkgen-bootcheck -s v -l verbose -d 'show stack traces of internal errors'
complete -c apkgen-bootcheck -s h -l help -d 'show help and usage'
complete -c apkgen-bootcheck -l version -d 'show the version'

complete -c apkgen-bootcheck -n "not __fish_seen_subcommand_from $commands" -a boot -d 'early check: count a boot attempt'
complete -c apkgen-bootcheck -n "not __fish_seen_subcommand_from $commands" -a confirm -d 'late check: health checks, good or demote'
complete -c apkgen-bootcheck -n "not __fish_seen_subcommand_from $commands" -a status -d 'boot state and recent events'
complete -c apkgen-bootcheck -n "not __fish_seen_subcommand_from $commands" -a mark-good -d 'mark a generation good'
complete -c apkgen-bootcheck -n "not __fish_seen_subcommand_from $commands" -a mark-bad -d 'mark a generation bad'
complete -c apkgen-bootcheck -n "__fish_seen_subcommand_from status" -s n -l events -r -d 'how many recent events to show'
complete -c apkgen-bootcheck -n "__fish_seen_subcommand_from mark-bad" -l reason -r -d 'why, shown by status and list'
