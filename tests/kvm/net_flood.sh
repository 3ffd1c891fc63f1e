# A flood of pings (iputils ping -f) to examples/ping: none lost.
# The suite floods 20,000: in the emulated host of a shared 2-core machine
# 100,000 took 596 s (load average 5) and 915 s (load 9), beyond the
# 300 s per-test limit of scripts/test; 20,000 took 37 s (load 2).
# "sh net_flood.sh 100000" runs the full flood, 0 lost both times.
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
