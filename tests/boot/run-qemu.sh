#!/bin/sh
# Boots a test disk once, by hand, with the serial console on stdout (for debugging and the
# demo; the tests use the C# runner in tests/Boot.Tests/Harness, which adds stall handling).
# Usage: tests/boot/run-qemu.sh DISK.img VARS.fd [STEP.sh]
#   VARS.fd is created from OVMF's empty store when missing and kept (BootNext lives there).
#   STEP.sh is handed to the guest's apkgen-test-step service through fw_cfg.
# Environment: APKGEN_BOOT_ACCEL=kvm|tcg (default tcg: the KVM here cannot run OVMF).
set -eu
disk=$1 vars=$2 step=${3:-}
[ -e "$vars" ] || cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
if [ "${APKGEN_BOOT_ACCEL:-tcg}" = kvm ]; then
	set -- -accel kvm
else
	set -- -accel tcg,thread=multi,tb-size=256 -mem-prealloc
fi
[ -n "$step" ] && set -- "$@" -fw_cfg "name=opt/apkgen/step,file=$step"
exec qemu-system-x86_64 "$@" \
	-machine q35 -m 1024 -smp 2 -display none -nodefaults -nic none \
	-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive "if=pflash,format=raw,unit=1,file=$vars" \
	-drive "file=$disk,format=raw,if=virtio" \
	-serial stdio -no-reboot </dev/null
