# --net:NAME=@FD: a parent opens the tap and hands it over, so tender
# itself runs with no privilege (uid 1000); its guest still answers.
. ./lib.sh
tap_up tap0 10.0.0.1/24
# uid 1000 needs /dev/kvm, and nothing else: give it for this test only.
kvm_mode=$(stat -c %a /dev/kvm)
trap 'chmod "$kvm_mode" /dev/kvm; net_cleanup' EXIT
chmod 0666 /dev/kvm
# Unprivileged, sandboxed, hello boots as it does for root.
./runas 1000 ./tender hello.elf unprivileged >.hello.out 2>&1 ||
    fail "hello as uid 1000: $(cat .hello.out)"
grep -q "argv\[1\] = unprivileged" .hello.out ||
    fail "hello as uid 1000: $(cat .hello.out)"
./tapfd tap0 5 ./runas 1000 ./tender --net:service=@5 ping.elf 10.0.0.2 \
    >.tender.out 2>.tender.err &
tender_pid=$!
wait_for_guest "answering for 10.0.0.2"
$PING -c 100 -i 0 -W 5 10.0.0.2 >.ping.out 2>&1
grep -q "100 packets transmitted, 100 received" .ping.out ||
    fail "pings through @FD: $(tail -n 2 .ping.out)"
stop_tender
expect_status 246
# The unprivileged tender cannot open the tap by name (/dev/net/tun is
# root's here; where it is not, the tap itself refuses).
run_tender_as() { ./runas 1000 ./tender "$@" >.o 2>.e; st=$?; err=$(cat .e); }
run_tender_as --net=tap0 ping.elf 10.0.0.2
expect_status 240
expect_one_line_error "no permission to "
pass "a tap handed over as a descriptor, tender unprivileged"
