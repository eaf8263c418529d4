#!/bin/sh
# Builds a bootable GPT disk image for the boot tests: an ESP with rEFInd (textonly, btrfs
# driver) and a btrfs partition laid out as the guide's layout, holding the guest root.
#
# Usage: tests/boot/make-disk.sh OUT.img ROOT.tar.zst OVERLAY_DIR LAYOUT_SCRIPT
#   ROOT.tar.zst   the guest root from guest-root.sh
#   OVERLAY_DIR    copied over the guest root (services, test scripts, apkgen binaries)
#   LAYOUT_SCRIPT  sourced with the btrfs top level mounted at $top, the root tree unpacked
#                  in the subvolume $top/guest-root, and $uuid set: it must make the layout
#                  (snapshots, links, current, fstab template) and write $esp_dir/refind.conf.
# Environment: APKGEN_BOOT_SIZE (default 4G), APKGEN_BOOT_CACHE (default /var/cache/apkgen-boot-alpine).
# Facts this rests on (BOOT-TESTING.md): the host kernel has no vfat, so the ESP is a separate
# FAT image filled with mtools and dd'ed in; losetup -P makes no partition nodes here, so the
# btrfs partition is attached with an offset.
set -eu
out=$1 root_tar=$2 overlay=$3 layout_script=$4
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/apkgen-disk.XXXXXX")
top=$work/top
esp_dir=$work/esp
loop=
cleanup() {
	mountpoint -q "$top" && umount "$top"
	[ -n "$loop" ] && losetup -d "$loop"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$top" "$esp_dir"

refind=$("$here/refind.sh")

rm -f "$out"
truncate -s "${APKGEN_BOOT_SIZE:-4G}" "$out"
sgdisk -n1:1MiB:+100MiB -t1:EF00 -c1:ESP -n2:0:0 -t2:8300 -c2:ROOT "$out" >/dev/null

sector_of() { sgdisk -i "$1" "$out" | sed -n "s/^$2: \([0-9]*\).*/\1/p"; }
root_first=$(sector_of 2 'First sector')
root_size=$(sector_of 2 'Partition size')
esp_first=$(sector_of 1 'First sector')
esp_size=$(sector_of 1 'Partition size')
if [ -z "$root_first" ] || [ -z "$root_size" ] || [ -z "$esp_first" ] || [ -z "$esp_size" ]; then
	echo "make-disk.sh: sgdisk made no partitions in $out" >&2
	exit 1
fi

uuid=$(cat /proc/sys/kernel/random/uuid)
loop=$(losetup -f --show -o $((root_first * 512)) --sizelimit $((root_size * 512)) "$out")
mkfs.btrfs -q -L ROOT -U "$uuid" "$loop" >/dev/null
mount -t btrfs -o noatime "$loop" "$top"
btrfs -q subvolume create "$top/guest-root"
zstd -q -dc "$root_tar" | tar -C "$top/guest-root" --numeric-owner --xattrs -xf -
cp -a "$overlay/." "$top/guest-root/"
# shellcheck source=/dev/null
. "$layout_script"

btrfs -q subvolume delete "$top/guest-root" 2>/dev/null || true
# rEFInd's btrfs driver reads only committed trees: commit before the image is used.
sync -f "$top"
umount "$top"
losetup -d "$loop"
loop=

# The ESP: a FAT image built apart, then copied into partition 1.
esp_img=$work/esp.img
mkfs.vfat -n ESP -C "$esp_img" $((esp_size / 2)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$esp_img" ::/EFI ::/EFI/BOOT ::/EFI/BOOT/drivers_x64
mcopy -i "$esp_img" "$refind/refind_x64.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp_img" "$refind/drivers_x64/btrfs_x64.efi" ::/EFI/BOOT/drivers_x64/
for f in "$esp_dir"/*; do
	[ -e "$f" ] && mcopy -i "$esp_img" "$f" ::/EFI/BOOT/
done
dd if="$esp_img" of="$out" bs=512 seek="$esp_first" conv=notrunc,sparse status=none
echo "$out: btrfs UUID $uuid"
