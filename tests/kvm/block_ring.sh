# The block ring at work (tests/guests/block_ring_hostile.c pattern): a
# guest writes every 4 KiB block of a disk once, in a random order and in
# batches of asynchronous requests, reads each back behind its write,
# flushes, then reads it all back at random and through the hypercalls;
# the host then finds the pattern in the file.  Once through the ring and
# once with the ring withheld (--no-block-ring: the same calls by
# hypercall), and once beside the network ring; all must leave the same
# file.
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
# With a network device as well: both rings in the same 2 MiB.
[ -x "$IP" ] || fail "no $IP in the test host: cannot make the tap"
tap_up tapbr0 10.98.0.1/24
dd if=/dev/zero of=br.img bs=1024 count=1024 2>/dev/null || fail "no disk"
run_tender --block:disk=br.img --net:net0=tapbr0 block_ring_hostile_net.elf \
    pattern
expect_status 0
expect_stdout "pattern ok: 256 blocks"
expect_stdout "block ring: in use"
cmp -s br.img expected.img ||
    fail "beside the network ring, the disk file is not the pattern"
rm -f br.img expected.img
pass "256 blocks written at random in batches, read back through the ring and the hypercalls, the file checked on the host, with the ring, without, and beside the network ring"
