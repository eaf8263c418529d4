# shellcheck shell=sh disable=SC2154 # top, uuid, esp_dir, loop come from make-disk.sh
# Sourced by make-disk.sh: the layout made by apkgen itself. In: $top (btrfs top level, mounted),
# $top/guest-root (the root tree), $esp_dir, $loop; APKGEN_BIN (the published binaries),
# APKGEN_HOST_CONF (apkgen.conf for the host side; @ESP@ in it becomes the ESP staging directory), APKGEN_REFIND_READY (1 when apkgen-refind
# is more than a stub; otherwise the hand-made menu of layout-hand.sh stands in, so the boots
# still happen and the tests name what is missing).
host_conf=$esp_dir/../host-apkgen.conf
sed "s#@ESP@#$esp_dir#g" "$APKGEN_HOST_CONF" >"$host_conf"
"$APKGEN_BIN/apkgen" --config "$host_conf" --device "$top" init --adopt guest-root >&2
printf 'timeout 1\ntextonly\nscanfor manual\ndefault_selection 1\n' >"$esp_dir/refind.conf"
if [ "${APKGEN_REFIND_READY:-0}" = 1 ]; then
	"$APKGEN_BIN/apkgen-refind" --config "$host_conf" --top "$top" --device "$loop" >&2
else
	options="root=UUID=$uuid rootfstype=btrfs ro console=ttyS0,115200 panic=5"
	{
		printf 'menuentry "slot 0 (hand-made: apkgen-refind missing)" {\n\tvolume ROOT\n'
		printf '\tloader /current/0/@/boot/vmlinuz\n\tinitrd /current/0/@/boot/initrd.img\n'
		printf '\toptions "%s rootflags=subvol=/current/0/@,ro,noatime"\n' "$options"
		for n in 1 2 3; do
			printf '\tsubmenuentry "slot %s" {\n' "$n"
			printf '\t\tloader /current/%s/@/boot/vmlinuz\n\t\tinitrd /current/%s/@/boot/initrd.img\n' "$n" "$n"
			printf '\t\toptions "%s rootflags=subvol=/current/%s/@,ro,noatime"\n\t}\n' "$options" "$n"
		done
		printf '}\n'
	} >>"$esp_dir/refind.conf"
fi
