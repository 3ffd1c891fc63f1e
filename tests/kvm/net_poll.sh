# POLL: with no traffic, timeouts of 1 ms, 10 ms and 1 s sleep at least
# that long and not much longer; a frame wakes a 10 s POLL at once.
. ./lib.sh
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 net_poll.elf quiet
wait_tender
printf '%s\n' "$out"
expect_status 0
expect_stdout "net_poll: PASS"
start_tender --net=tap0 net_poll.elf wake
wait_for_guest "net_poll: waiting"
sleep 1
# Any frame will do: an ARP request for an address on the tap.
$PING -c 1 -W 1 10.0.0.2 >/dev/null 2>&1
wait_tender
printf '%s\n' "$out"
expect_status 0
expect_stdout "net_poll: PASS"
pass "POLL timeouts and wake-up"
