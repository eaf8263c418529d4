# shellcheck shell=sh disable=SC2154 # top, uuid, esp_dir come from make-disk.sh
# Sourced by make-disk.sh: the guide's layout made by hand (what apkgen init must also make).
# In: $top (btrfs top level, mounted), $top/guest-root (the root tree), $uuid, $esp_dir.
seed_id() { printf '%s%s' "$(date -u +%Y%m%d%H%M%S)" "$(tr -dc a-zA-Z </dev/urandom | head -c 8)"; }
gen=$(seed_id)
lid=$(seed_id)
mkdir -p "$top/commons" "$top/snapshots/$gen" "$top/links/$lid" "$top/next"
for c in @var@tmp @var@cache @var@log @home; do
	btrfs -q subvolume create "$top/commons/$c"
done
btrfs -q subvolume snapshot "$top/guest-root" "$top/snapshots/$gen/@"
for n in 0 1 2 3; do
	ln -s "../../snapshots/$gen" "$top/links/$lid/$n"
done
ln -s "./links/$lid" "$top/current"
cat >"$top/fstab" <<FSTAB
UUID=$uuid / btrfs subvol=CURRENT_SNAPSHOTS_PATH/@,ro,noatime 0 0
UUID=$uuid /var/tmp btrfs subvol=/commons/@var@tmp,rw,noatime 0 0
UUID=$uuid /var/cache btrfs subvol=/commons/@var@cache,rw,noatime 0 0
UUID=$uuid /var/log btrfs subvol=/commons/@var@log,rw,noatime 0 0
UUID=$uuid /home btrfs subvol=/commons/@home,rw,noatime 0 0
tmpfs /tmp tmpfs mode=1777,noatime,nosuid,nodev,size=256M 0 0
FSTAB
sed "s#CURRENT_SNAPSHOTS_PATH#/snapshots/$gen#g" "$top/fstab" >"$top/snapshots/$gen/@/etc/fstab"
btrfs property set -ts "$top/snapshots/$gen/@" ro true

options="root=UUID=$uuid rootfstype=btrfs ro console=ttyS0,115200 panic=5"
{
	printf 'timeout 1\ntextonly\nscanfor manual\ndefault_selection 1\n\n'
	printf 'menuentry "slot 0" {\n\tvolume ROOT\n\tloader /current/0/@/boot/vmlinuz-lts\n'
	printf '\tinitrd /current/0/@/boot/initramfs-lts\n'
	printf '\toptions "%s rootflags=subvol=/current/0/@,ro,noatime"\n' "$options"
	for n in 1 2 3; do
		printf '\tsubmenuentry "slot %s" {\n' "$n"
		printf '\t\tloader /current/%s/@/boot/vmlinuz-lts\n\t\tinitrd /current/%s/@/boot/initramfs-lts\n' "$n" "$n"
		printf '\t\toptions "%s rootflags=subvol=/current/%s/@,ro,noatime"\n\t}\n' "$options" "$n"
	done
	printf '}\n'
} >"$esp_dir/refind.conf"
