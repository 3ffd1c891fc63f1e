# A host I/O error (a disk file on a full file system): the guest gets
# EUNSPEC, tender prints one line per failure and keeps serving.
. ./lib.sh
mkdir -p small
mount -t tmpfs -o size=64k tmpfs small || fail "cannot mount a small tmpfs"
trap 'umount small 2>/dev/null' EXIT
# A sparse 1 MiB disk on a 64 KiB file system: most writes cannot land.
dd if=/dev/zero of=small/disk.img bs=1 count=0 seek=1048576 2>/dev/null
run_tender --block=small/disk.img block_pattern.elf survive 5
umount small 2>/dev/null
expect_status 0
expect_stdout "survive ok: [1-9][0-9]* writes failed, then a read was served"
failures=$(printf '%s\n' "$out" | sed -n 's/.*ok: \([0-9]*\) writes.*/\1/p')
lines=$(printf '%s\n' "$err" | grep -c "tender: block device 'disk' (small/disk.img): write at byte [0-9]* failed: No space left on device")
[ "$lines" -eq "$failures" ] ||
    fail "$failures failed writes but $lines error lines: $err"
pass "host I/O errors: EUNSPEC, one line each, service goes on"
