#!/bin/sh
# Builds the Alpine guest root the boot tests put into a generation, or reuses the cached one.
# Usage: tests/boot/guest-root.sh  -> prints the path of the cached tarball (zstd tar of the tree).
#
# The root is Alpine's: the real 3.20.3 minirootfs (busybox init and ash, musl, apk 2.14.4,
# Alpine's /etc/inittab) plus the kit's OpenRC 0.54.2 (scripts/alpine-kit). The kernel is
# Debian's (linux-image-amd64 of the host's apt): Alpine's kernel packages cannot be had on
# these machines. Its initramfs is a small busybox one built here from the Alpine root (Alpine's
# busybox and musl, the Debian kernel's modules): it mounts root=UUID=... with the rootflags=
# rEFInd passes (subvol=/current/N/@) and switch_roots to /sbin/init.
# blkid, btrfs and efibootmgr, which the apkgen package depends on, have no Alpine package here
# either: the host's Debian builds with their glibc libraries, under /opt/debian-NAME.
#
# The cache key hashes this script's commands, the minirootfs, the kernel package's name and the
# kit's OpenRC tree; anything that changes per test run (apkgen, its services, apkgen.conf, the
# test services, the repository) is added later by the harness, never cached here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${APKGEN_BOOT_CACHE:-/var/cache/apkgen-boot-alpine}
minirootfs=${APKGEN_BOOT_MINIROOTFS:-$here/../../../shared/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz}
[ -s "$minirootfs" ] || minirootfs=/work/shared/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
kit=$("$here/../../scripts/alpine-kit")
kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$kernel_pkg" ] || { echo "guest-root.sh: apt knows no linux-image-amd64 (apt-get update?)" >&2; exit 1; }
key=$({
	cat "$0" "$here/initramfs-init" | grep -v '^[[:space:]]*#'
	sha256sum <"$minirootfs"
	echo "$kernel_pkg"
	(cd "$kit/openrc" && find . -type f | LC_ALL=C sort | xargs sha256sum)
	for tool in efibootmgr blkid btrfs; do sha256sum <"$(command -v $tool)"; done
} | sha256sum | cut -c1-16)
tarball=$cache/alpine-root-$key.tar.zst
if [ -s "$tarball" ]; then
	echo "$tarball"
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "guest-root.sh: run as root (chroot, device nodes)" >&2; exit 1; }
mkdir -p "$cache/debs"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
root=$work/root
mkdir -p "$root"

tar -C "$root" --numeric-owner -xzf "$minirootfs"
cp -a "$kit/openrc/." "$root/"

# The kernel: Debian's package, extracted (never installed on the host).
deb=$(ls "$cache"/debs/"$kernel_pkg"_*.deb 2>/dev/null | tail -n1 || true)
if [ -z "$deb" ]; then
	(cd "$cache/debs" && apt-get download "$kernel_pkg" >&2)
	deb=$(ls "$cache"/debs/"$kernel_pkg"_*.deb | tail -n1)
fi
dpkg-deb -x "$deb" "$work/kernel"
kver=${kernel_pkg#linux-image-}
mkdir -p "$root/boot"
cp "$work/kernel/boot/vmlinuz-$kver" "$root/boot/vmlinuz-lts"
cp "$work/kernel/boot/config-$kver" "$root/boot/config-lts"
# Alpine's busybox depmod writes modules.dep for the whole module tree, in a chroot of the root.
mkdir -p "$root/lib/modules"
mv "$work/kernel/lib/modules/$kver" "$root/lib/modules/$kver"
chroot "$root" /sbin/depmod "$kver"
# Keep only what this guest loads, with its dependencies: the disk (virtio), btrfs (the root),
# vfat (the ESP), efivarfs (trial mode's BootNext), qemu_fw_cfg (the test's step).
wanted="virtio_pci virtio_blk crc32c_generic btrfs vfat nls_cp437 nls_ascii nls_utf8 nls_iso8859-1 efivarfs qemu_fw_cfg"
moddir=$root/lib/modules/$kver
closure=$work/closure
: >"$closure"
for m in $wanted; do
	line=$(grep -E "(^|/)$(printf '%s' "$m" | sed 's/[-_]/[-_]/g')\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -n1)
	[ -n "$line" ] || { echo "guest-root.sh: module $m is not in $kernel_pkg" >&2; exit 1; }
	printf '%s\n' "$line" | tr -d ':' | tr ' ' '\n' | sed '/^$/d' >>"$closure"
done
mkdir -p "$work/keep"
sort -u "$closure" | while read -r f; do
	mkdir -p "$work/keep/${f%/*}"
	cp "$moddir/$f" "$work/keep/$f"
done
rm -rf "$moddir/kernel"
mv "$work/keep/kernel" "$moddir/kernel"
chroot "$root" /sbin/depmod "$kver"
# shellcheck disable=SC2086 # one module a line
printf '%s\n' $wanted >"$root/etc/modules"

# The initramfs: Alpine's busybox and musl loader, the modules above, an /init of ours.
ird=$work/initramfs
mkdir -p "$ird/bin" "$ird/lib" "$ird/dev" "$ird/proc" "$ird/sys" "$ird/newroot" "$ird/lib/modules"
cp "$root/bin/busybox" "$ird/bin/busybox"
cp "$root/lib/ld-musl-x86_64.so.1" "$ird/lib/"
cp -a "$moddir" "$ird/lib/modules/"
cp "$root/etc/modules" "$ird/modules"
cp "$here/initramfs-init" "$ird/init"
chmod 755 "$ird/init"
(cd "$ird" && find . | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) | gzip -n -6 >"$root/boot/initramfs-lts"

# The apkgen package's dependencies that have no Alpine package here: util-linux blkid (busybox's
# does not report what apkgen-refind reads), btrfs-progs, efibootmgr (trial mode's BootNext).
# The host's Debian builds with their glibc libraries under /opt/debian-NAME, each behind a
# wrapper where the Alpine package installs it.
debian_tool() {
	name=$1 from=$2 to=$3
	dir=$root/opt/debian-$name
	mkdir -p "$dir"
	cp "$from" "$dir/$name"
	for lib in $(ldd "$from" | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
		cp -L "$lib" "$dir/"
	done
	rm -f "$root$to"
	printf '#!/bin/sh\n# Debian'"'"'s %s (Alpine'"'"'s package cannot be had on the test machines): boot tests only.\nexec /opt/debian-%s/ld-linux-x86-64.so.2 --library-path /opt/debian-%s /opt/debian-%s/%s "$@"\n' \
		"$name" "$name" "$name" "$name" "$name" >"$root$to"
	chmod 755 "$root$to"
}
debian_tool efibootmgr "$(command -v efibootmgr)" /usr/sbin/efibootmgr
debian_tool blkid "$(command -v blkid)" /sbin/blkid
debian_tool btrfs "$(command -v btrfs)" /sbin/btrfs

# Alpine's inittab runs openrc sysinit, boot, default; a getty on the serial console as well.
sed -i 's|^#ttyS0::respawn:.*|ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100|' "$root/etc/inittab"
grep -q '^ttyS0::' "$root/etc/inittab"
echo apkgen-guest >"$root/etc/hostname"
# The guide: /etc/resolv.conf is a link into /tmp (a tmpfs), as the root is read-only.
rm -f "$root/etc/resolv.conf"
ln -s /tmp/resolv.conf "$root/etc/resolv.conf"
# root logs in on the serial console without a password (a test guest).
sed -i 's|^root:[^:]*:|root::|' "$root/etc/shadow"
echo ttyS0 >>"$root/etc/securetty"

# The runlevels of the seed guide, as far as upstream OpenRC provides them; mdev and syslog
# are Alpine's busybox-openrc scripts (not in the kit): stand-ins come from tests/boot/guest.
# sysfs (efivarfs) and localmount (the generation's fstab) are what Alpine's setup adds too.
# Not sysctl: upstream's script runs 'sysctl --system' (procps), which busybox's sysctl lacks
# (measured: "sysctl: unrecognized option: system", the service fails); Alpine's own openrc
# package patches it.
rm -rf "$root/etc/runlevels"
mkdir -p "$root/etc/runlevels/sysinit" "$root/etc/runlevels/boot" "$root/etc/runlevels/default" "$root/etc/runlevels/shutdown" "$root/etc/runlevels/nonetwork"
for s in sysfs devfs dmesg; do ln -s "/etc/init.d/$s" "$root/etc/runlevels/sysinit/$s"; done
for s in hwclock modules hostname bootmisc localmount; do ln -s "/etc/init.d/$s" "$root/etc/runlevels/boot/$s"; done
for s in mount-ro killprocs savecache; do ln -s "/etc/init.d/$s" "$root/etc/runlevels/shutdown/$s"; done

tar -C "$root" --numeric-owner --xattrs -cf - . | zstd -q -T0 -3 -o "$work/root.tar.zst"
mv "$work/root.tar.zst" "$tarball"
echo "$tarball"
