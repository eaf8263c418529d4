#!/bin/sh
# Prints the directory of rEFInd's EFI files, extracted from Debian's refind package.
# The package is never installed: its postinst runs refind-install against the host's ESP.
set -eu
cache=${APKGEN_BOOT_CACHE:-/var/cache/apkgen-boot-alpine}
dir=$cache/refind
if [ ! -s "$dir/usr/share/refind/refind/refind_x64.efi" ]; then
	mkdir -p "$cache/refind-deb"
	for deb in "$cache"/refind-deb/refind_*.deb; do :; done
	if [ ! -e "$deb" ]; then
		(cd "$cache/refind-deb" && apt-get download refind >/dev/null 2>&1)
		for deb in "$cache"/refind-deb/refind_*.deb; do :; done
	fi
	rm -rf "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi
echo "$dir/usr/share/refind/refind"
