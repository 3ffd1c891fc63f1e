# A flood of pings (iputils ping -f) to examples/ping: none lost.
# The suite floods 20,000: 100,000 took 915 s in the emulated host of a
# busy 2-core machine (9 ms a ping), three times the per-test limit of
# scripts/test.  "sh net_flood.sh 100000" runs the full flood.
. ./lib.sh
count=${1:-20000}
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 ping.elf 10.0.0.2
wait_for_guest "answering for 10.0.0.2"
start=$(cut -d. -f1 /proc/uptime)
$PING -f -c $count -W 5 10.0.0.2 >.flood.out 2>&1
end=$(cut -d. -f1 /proc/uptime)
tail -n 2 .flood.out
echo "flood took $((end - start)) s"
grep -q "$count packets transmitted, $count received" .flood.out ||
    fail "flood lost pings: $(tail -n 2 .flood.out)"
stop_tender
expect_status 246
pass "$count flood pings, 0 lost, in $((end - start)) s"
