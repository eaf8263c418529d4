# shellcheck shell=sh disable=SC2154 # top, esp_dir, loop come from make-disk.sh
# Sourced by make-disk.sh: the layout made by apkgen itself. In: $top (btrfs top level, mounted),
# $top/guest-root (the root tree), $esp_dir, $loop; APKGEN_BIN (the published binaries),
# APKGEN_HOST_CONF (apkgen.conf for the host side; @ESP@ in it becomes the ESP staging directory).
host_conf=$esp_dir/../host-apkgen.conf
sed "s#@ESP@#$esp_dir#g" "$APKGEN_HOST_CONF" >"$host_conf"
# Packages the first generation already has (e.g. hello 1.0, for an upgrade to find), added by
# the kit's apk 2.14.4 from the test repository before init adopts the root.
if [ -n "${APKGEN_TEST_PREINSTALL:-}" ]; then
	# shellcheck disable=SC2086 # a list of package names
	"$("$here/../../scripts/alpine-kit")/apk2/apk" --root "$top/guest-root" --repositories-file /dev/null \
		-X "$APKGEN_TEST_REPO/repo" add $APKGEN_TEST_PREINSTALL >&2
fi
"$APKGEN_BIN/apkgen" --config "$host_conf" --device "$top" init --adopt guest-root >&2
printf 'timeout 1\ntextonly\nscanfor manual\ndefault_selection 1\n' >"$esp_dir/refind.conf"
"$APKGEN_BIN/apkgen-refind" --config "$host_conf" --top "$top" --device "$loop" >&2
# The signed test repository on the /var/cache commons (shared by every generation, rw), where
# /etc/apk/repositories points; repo-update beside it is what "publishing" hello 2.0 copies in.
if [ -n "${APKGEN_TEST_REPO:-}" ]; then
	cp -a "$APKGEN_TEST_REPO/repo" "$top/commons/@var@cache/apkgen-test-repo"
	cp -a "$APKGEN_TEST_REPO/repo-update" "$top/commons/@var@cache/apkgen-test-repo-update"
fi
