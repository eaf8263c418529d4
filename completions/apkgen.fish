# fish completion for apkgen(8)
# tests/Package.Tests keeps this true to `apkgen --help`.

set -l commands init status list diff rollback pin unpin gc exec shell apk auto-upgrade
complete -c apkgen -f

complete -c apkgen -l config -r -F -d 'configuration file'
complete -c apkgen -l device -r -F -d 'btrfs device or mounted top level to manage'
complete -c apkgen -s v -l verbose -d 'show stack traces of internal errors'
complete -c apkgen -s h -l help -d 'show help and usage'
complete -c apkgen -l version -d 'show the version'

complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a init -d 'create the layout on a btrfs device'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a status -d 'the booted generation and the slots'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a list -d 'every generation'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a diff -d 'package changes between two generations'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a rollback -d 'promote a fallback slot to slot 0'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a pin -d 'keep a generation from gc'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a unpin -d 'let gc delete a generation again'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a gc -d 'delete unreferenced generations'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a exec -d 'run a command in a new generation'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a shell -d 'open a shell in a new generation'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a apk -d 'run apk; add, del, upgrade and fix make a new generation'

complete -c apkgen -n "__fish_seen_subcommand_from init" -l adopt -x -d 'snapshot this root subvolume as the first generation'
complete -c apkgen -n "__fish_seen_subcommand_from init" -l swap -r -F -d 'swap device for the fstab template'
complete -c apkgen -n "__fish_seen_subcommand_from list" -l json -d 'print JSON'
complete -c apkgen -n "__fish_seen_subcommand_from status" -l json -d 'print JSON'
complete -c apkgen -n "__fish_seen_subcommand_from status" -l reboot-needed -d 'exit 0 when a reboot is needed, 1 when not'
complete -c apkgen -n "__fish_seen_subcommand_from gc" -s n -l dry-run -d 'say what would go, delete nothing'
complete -c apkgen -n "__fish_seen_subcommand_from exec shell" -l from -x -d 'base generation'
complete -c apkgen -n "__fish_seen_subcommand_from exec shell rollback gc" -l wait -x -d 'seconds to wait for the lock'
complete -c apkgen -n "__fish_seen_subcommand_from exec" -a '(__fish_complete_subcommand --fcs-skip=2)'
complete -c apkgen -n "not __fish_seen_subcommand_from $commands" -a auto-upgrade -d 'unattended upgrades by [auto] policy'
complete -c apkgen -n "__fish_seen_subcommand_from auto-upgrade" -l now -d 'ignore the interval and the window'
complete -c apkgen -n "__fish_seen_subcommand_from auto-upgrade" -l dry-run -d 'print the decision, do nothing'
