# A guest that writes tender's block ring itself (tests/guests/
# block_ring_hostile.c): each bad entry gets its own EINVAL commit with its
# id, alone or in a batch, good entries and the library still work after
# them and after a kick storm, a ring index out of range stops the guest
# (241), entries in flight at HALT and a guest that never takes its
# commits neither crash nor wedge the monitor, and a kick without a ring
# is not a hypercall; the same entries beside the network ring.
. ./lib.sh
dd if=/dev/zero of=brh.img bs=1024 count=256 2>/dev/null || fail "no disk"

ring_run() { # MODE [TENDER-OPTIONS...]
    mode=$1
    shift
    timeout 120 ./tender "$@" --block:disk=brh.img "${elf:-block_ring_hostile.elf}" \
        "$mode" >.out.$$ 2>.err.$$
    st=$?
    out=$(cat .out.$$)
    err=$(cat .err.$$)
    rm -f .out.$$ .err.$$
}

ring_run entries
expect_status 0
expect_stdout "block_ring_hostile: PASS"
# The good write landed at the end of the disk; the library's at 0.
tail -c 4096 brh.img | tr -d 'Z' | wc -c | grep -qx ' *0' ||
    fail "the ring's write is not at the end of the disk file"

for mode in tail comhead; do
    ring_run $mode
    expect_status 241
    expect_one_line_error "broke the block ring's protocol"
done

ring_run inflight
expect_status 7
# Queued without a kick: the writes are the monitor's last pass's.
head -c 65536 brh.img | tr -d 'I' | wc -c | grep -qx ' *0' ||
    fail "the writes in flight at HALT did not land"

start_tender --block:disk=brh.img block_ring_hostile.elf wedge
wait_for_guest "block_ring_hostile: wedged"
# Both threads, the vCPU's and the ring's, are confined by a filter.
expect_threads_confined 2
stop_tender
expect_status 246

ring_run kick --no-block-ring
expect_status 241
expect_one_line_error "port 0x601 is not a hypercall"

# Beside the network ring (its area is where a bad entry points, too).
[ -x "$IP" ] || fail "no $IP in the test host: cannot make the tap"
tap_up tapbrh0 10.97.0.1/24
elf=block_ring_hostile_net.elf ring_run entries --net:net0=tapbrh0
expect_status 0
expect_stdout "block_ring_hostile: PASS"
rm -f brh.img

pass "bad block ring entries refused one by one with their ids (alone and beside the network ring), protocol breaks stopped (241), no wedge, both threads confined"
