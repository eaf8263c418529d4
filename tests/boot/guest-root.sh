#!/bin/sh
# Builds the Debian guest root the boot tests put into a generation, or reuses the cached one.
# Usage: tests/boot/guest-root.sh  -> prints the path of the cached tarball (zstd tar of the tree).
# The cache key is a hash of this script's commands (comments excluded), so editing it rebuilds; anything that changes per test
# run (apkgen binaries, services, fstab) is added later by make-disk.sh, never cached here.
set -eu
cache=${APKGEN_BOOT_CACHE:-/var/cache/apkgen-boot}
key=$(grep -v '^[[:space:]]*#' "$0" | sha256sum | cut -c1-16)
tarball=$cache/guest-root-$key.tar.zst
if [ -s "$tarball" ]; then
	echo "$tarball"
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "guest-root.sh: run as root (debootstrap)" >&2; exit 1; }
mkdir -p "$cache"
# The mirror apt already uses on this host: debootstrap gets the same one, so proxies and
# snapshot pins configured for apt apply to the guest too.
# shellcheck disable=SC2016 # apt's own $(REPO_URI) placeholder
mirror=$(apt-get indextargets --format '$(REPO_URI)' 'Created-By: Packages' 2>/dev/null |
	grep -m1 '/debian/$' || true)
mirror=${APKGEN_BOOT_MIRROR:-${mirror:-http://deb.debian.org/debian/}}
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'umount -R "$work/root/proc" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
root=$work/root
# efibootmgr: trial mode arms BootNext from the guest.
# openrc cannot go into --include (it conflicts with sysv-rc there; measured): apt adds it below.
debootstrap --variant=minbase \
	--include=linux-image-amd64,initramfs-tools,btrfs-progs,sysvinit-core,efibootmgr \
	bookworm "$root" "$mirror" >&2
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends openrc >&2
umount "$root/proc"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root/etc/resolv.conf"
: >"$root/etc/resolv.conf"
tar -C "$root" --numeric-owner --xattrs -cf - . | zstd -q -T0 -3 -o "$work/root.tar.zst"
mv "$work/root.tar.zst" "$tarball"
echo "$tarball"
