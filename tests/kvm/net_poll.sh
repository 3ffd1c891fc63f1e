# POLL: with no traffic, timeouts of 1 ms, 10 ms and 1 s sleep at least
# that long and not much longer; a frame wakes a 10 s POLL at once.
. ./lib.sh
tap_up tap0 10.0.0.1/24
# The guest's sleeps are judged against how late this host itself wakes
# from the same sleeps right now: a loaded machine makes both late.  The
# guest may be twice as late as the host, plus a margin for the exits of
# its hypercalls (tens of microseconds each in the emulated host).
./sleep-lateness 1000 50 10000 20 1000000 3 >.late || fail "sleep-lateness"
cat .late
host_avg=$(awk '$3 > m { m = $3 } END { print m + 0 }' .late)
host_max=$(awk '$4 > m { m = $4 } END { print m + 0 }' .late)
avg_slack=$((2 * host_avg + 2000))
max_slack=$((2 * host_max + 20000))
echo "allowed lateness: average $avg_slack us, worst $max_slack us"
start_tender --net=tap0 net_poll.elf quiet $avg_slack $max_slack
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
