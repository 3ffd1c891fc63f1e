# A flood of 100,000 pings (iputils ping -f) to examples/ping: none lost.
. ./lib.sh
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 ping.elf 10.0.0.2
wait_for_guest "answering for 10.0.0.2"
start=$(cut -d. -f1 /proc/uptime)
$PING -f -c 100000 -W 5 10.0.0.2 >.flood.out 2>&1
end=$(cut -d. -f1 /proc/uptime)
tail -n 2 .flood.out
echo "flood took $((end - start)) s"
grep -q "100000 packets transmitted, 100000 received" .flood.out ||
    fail "flood lost pings: $(tail -n 2 .flood.out)"
stop_tender
expect_status 246
pass "100,000 flood pings, 0 lost, in $((end - start)) s"
