# A guest that writes hvt's network ring itself (tests/guests/
# net_ring_hostile.c): bad entries each get an EINVAL commit or are
# dropped, a kick storm and a fake ring change nothing, a ring index out
# of range stops the guest (241), entries in flight at HALT and a guest
# waiting forever on a full commit ring neither crash nor wedge the
# monitor, and a kick without a ring is not a hypercall.
. ./lib.sh
tap_up tap0 10.0.0.1/24

ring_run() { # MODE [TENDER-OPTIONS...]
    mode=$1
    shift
    timeout 120 ./tender "$@" --net:net0=tap0 net_ring_hostile.elf "$mode" \
        >.out.$$ 2>.err.$$
    st=$?
    out=$(cat .out.$$)
    err=$(cat .err.$$)
    rm -f .out.$$ .err.$$
}

ring_run entries
expect_status 0
expect_stdout "net_ring_hostile: PASS"
expect_stderr "net ring: refused NET_WRITE entry"
expect_stderr "frame dropped"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] ||
    fail "one line for a run of bad writes, and none for the reads: $err"

for mode in tail comhead; do
    ring_run $mode
    expect_status 241
    expect_one_line_error "broke the network ring's protocol"
done

ring_run inflight
expect_status 7

start_tender --net:net0=tap0 net_ring_hostile.elf wedge
wait_for_guest "net_ring_hostile: wedged"
# Both threads, the vCPU's and the ring's, are confined by a filter.
expect_threads_confined 2
stop_tender
expect_status 246

ring_run kick --no-net-ring
expect_status 241
expect_one_line_error "port 0x600 is not a hypercall"

pass "bad ring entries refused one by one, protocol breaks stopped (241), no wedge, both threads confined"
