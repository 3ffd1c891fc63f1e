# A flood of pings (iputils ping -f) to examples/ping: none lost.
# 100,000 by default ("sh net_flood.sh N" floods N). In the emulated host
# with single-threaded TCG, 20,000 took 15 s; with one TCG thread per vCPU
# on a loaded machine 100,000 had taken 596-915 s.
. ./lib.sh
count=${1:-100000}
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
