# A host I/O error (a disk file on a full file system): the guest gets
# EUNSPEC, tender prints one line per failure and keeps serving.
. ./lib.sh
mkdir -p small
mount -t tmpfs -o size=64k tmpfs small || fail "cannot mount a small tmpfs"
trap 'umount small 2>/dev/null' EXIT
# A sparse 1 MiB disk on a 64 KiB file system: most writes cannot land.
dd if=/dev/zero of=small/disk.img bs=1 count=0 seek=1048576 2>/dev/null
run_tender --block=small/disk.img block_pattern.elf survive 5
expect_status 0
expect_stdout "survive ok: [1-9][0-9]* writes failed, then a read was served"
failures=$(printf '%s\n' "$out" | sed -n 's/.*ok: \([0-9]*\) writes.*/\1/p')
lines=$(printf '%s\n' "$err" | grep -c "tender: block device 'disk' (small/disk.img): write at byte [0-9]* failed: No space left on device")
[ "$lines" -eq "$failures" ] ||
    fail "$failures failed writes but $lines error lines: $err"

# The same failures met by the block ring's thread, under its own filter:
# EUNSPEC in the commits (the guest's pattern check fails, status 1) and
# the host's line, not a seccomp kill.
rm -f small/disk.img
dd if=/dev/zero of=small/disk.img bs=1 count=0 seek=1048576 2>/dev/null
run_tender --block:disk=small/disk.img block_ring_hostile.elf pattern
umount small 2>/dev/null
expect_status 1
expect_stdout "block_ring_hostile: pattern FAIL"
printf '%s\n' "$err" | grep -q "tender: block device 'disk' (small/disk.img): write at byte [0-9]* failed: No space left on device" ||
    fail "the ring's host error was not reported: $err"
pass "host I/O errors: EUNSPEC, one line each, service goes on, on both paths"
