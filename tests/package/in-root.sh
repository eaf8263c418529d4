#!/bin/sh
# Runs a command chrooted in an Alpine root as a booted system would have it: in a private
# mount namespace (nothing stays mounted after it exits) with /proc, /dev, /sys and a tmpfs
# /run (apkgen mounts the btrfs top level at /run/apkgen/top) mounted and
# the environment of a fresh root login (PATH from Alpine's /etc/profile when run with sh -l).
#
#   sh tests/package/in-root.sh ROOT COMMAND [ARGUMENTS]
set -eu
root=$(cd "$1" && pwd)
shift
# shellcheck disable=SC2016 # the inner script expands its own arguments
exec unshare --mount --propagation private sh -c '
	root=$1; shift
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount -t sysfs sysfs "$root/sys"
	mount -t tmpfs -o mode=755 tmpfs "$root/run"
	exec env -i HOME=/root TERM=dumb PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$root" "$@"
' in-root "$root" "$@"
