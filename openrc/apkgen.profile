# Installed as /etc/profile.d/apkgen.sh: tells a login that a change waits for a reboot
# (apkgen(8), status). apkgen writes /run/apkgen/reboot-required after every switch and
# apkgen-bootcheck at every boot; it is there exactly while the next boot starts another
# generation than the running one, and the reboot removes it (/run is a tmpfs).
if [ -r /run/apkgen/reboot-required ]; then
	printf 'apkgen: %s (apkgen status says what changes)\n' "$(head -n 1 /run/apkgen/reboot-required)"
fi
