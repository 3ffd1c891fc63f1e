# The block ring at work (tests/guests/block_ring_hostile.c pattern): a
# guest writes every 4 KiB block of a disk once, in a random order and in
# batches of asynchronous requests, reads each back behind its write,
# flushes, then reads it all back at random and through the hypercalls;
# the host then finds the pattern in the file.  Once through the ring and
# once with the ring withheld (--no-block-ring: the same calls by
# hypercall); both must leave the same file.
. ./lib.sh
# 1 MiB, 256 blocks: "block NNNNN ok.\n" 256 times in each.
awk 'BEGIN { for (b = 0; b < 256; b++) for (l = 0; l < 256; l++)
    printf "block %05d ok.\n", b }' >expected.img
[ "$(wc -c <expected.img)" -eq 1048576 ] || fail "no expected pattern"

for path in ring hypercalls; do
    opt=
    used="in use"
    [ $path = hypercalls ] && opt=--no-block-ring used="not offered"
    dd if=/dev/zero of=br.img bs=1024 count=1024 2>/dev/null ||
        fail "no disk"
    run_tender $opt --block:disk=br.img block_ring_hostile.elf pattern
    expect_status 0
    expect_stdout "pattern ok: 256 blocks written at random, read back both ways"
    expect_stdout "block ring: $used"
    cmp -s br.img expected.img ||
        fail "through $path, the disk file is not the pattern: $(cmp br.img expected.img 2>&1 | head -n 1)"
done
rm -f br.img expected.img
pass "256 blocks written at random in batches, read back through the ring and the hypercalls, the file checked on the host, with the ring and without"
