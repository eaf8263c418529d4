# Installed as /etc/profile.d/apkgen-bootcheck.sh: tells a login what boot assessment did in
# this boot or just before it (apkgen-bootcheck(8)). The root is read-only, so there
# is no /etc/motd to write; the notice lives in /run and goes away at reboot.
if [ -s /run/apkgen/notice ]; then
	printf 'apkgen-bootcheck:\n'
	sed 's/^/  /' /run/apkgen/notice
	printf '  (apkgen-bootcheck status shows more)\n'
fi
