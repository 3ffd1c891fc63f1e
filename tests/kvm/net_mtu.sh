# An MTU of 9000 on the tap is what the guest sees and uses: 8972-byte
# pings (9000-byte IP packets) go through unfragmented.
. ./lib.sh
tap_up tap0 10.0.0.1/24 9000
start_tender --net=tap0 ping.elf 10.0.0.2
wait_for_guest "answering for 10.0.0.2"
expect_in() { grep -q -- "$1" .tender.out || fail "guest output lacks $1"; }
expect_in "mtu 9000"
$PING -c 100 -i 0 -s 8972 -M do -p a5 -W 5 10.0.0.2 >.ping.out 2>&1
grep -q "wrong data" .ping.out && fail "a 9000-byte reply differs"
grep -q "100 packets transmitted, 100 received" .ping.out ||
    fail "jumbo pings: $(tail -n 2 .ping.out)"
# One byte more does not fit the MTU: the host refuses to send it.
$PING -c 1 -s 8973 -M do -W 2 10.0.0.2 >.ping.out 2>&1 &&
    fail "an 8973-byte ping went through an MTU of 9000"
stop_tender
expect_status 246
pass "MTU 9000 detected and used"
