# One guest, two NICs on two taps, each answering on its own address with
# the MAC given by --net-mac; --net-mac's default is a random, locally
# administered unicast MAC.
. ./lib.sh
tap_up tap0 10.0.1.1/24
tap_up tap1 10.0.2.1/24
start_tender --net:a=tap0 --net:b=tap1 --net-mac:a=02:00:00:00:0a:01 \
    --net-mac:b=02:00:00:00:0b:02 net_two.elf 10.0.1.2 10.0.2.2
wait_for_guest "10.0.2.2 on 'b'"
for addr in 10.0.1.2 10.0.2.2; do
    $PING -c 100 -i 0 -W 5 $addr >.ping.out 2>&1
    grep -q "100 packets transmitted, 100 received" .ping.out ||
        fail "$addr: $(tail -n 2 .ping.out)"
done
$IP neigh show dev tap0 | grep -q "10.0.1.2 lladdr 02:00:00:00:0a:01" ||
    fail "tap0 neighbours: $($IP neigh show dev tap0)"
$IP neigh show dev tap1 | grep -q "10.0.2.2 lladdr 02:00:00:00:0b:02" ||
    fail "tap1 neighbours: $($IP neigh show dev tap1)"
# Nothing answers for the other NIC's address on the wrong tap.
$IP neigh show dev tap0 | grep -q "10.0.2.2" && fail "10.0.2.2 seen on tap0"
stop_tender
expect_status 246
# Default MACs: random, locally administered (bit 1), unicast (bit 0 clear).
start_tender --net:a=tap0 --net:b=tap1 net_two.elf 10.0.1.2 10.0.2.2
wait_for_guest "10.0.2.2 on 'b'"
stop_tender
for mac in $(printf '%s\n' "$out" | sed -n 's/.*mac \([0-9a-f:]*\),.*/\1/p'); do
    first=$((0x${mac%%:*}))
    [ $((first & 3)) -eq 2 ] || fail "default MAC $mac is not local unicast"
done
[ "$(printf '%s\n' "$out" | sed -n 's/.*mac \([0-9a-f:]*\),.*/\1/p' |
    sort -u | wc -l)" -eq 2 ] || fail "default MACs not distinct: $out"
pass "two NICs, each on its own tap and address"
