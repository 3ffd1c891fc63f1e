# examples/ping answers 1,000 pings with none lost and every payload
# intact (iputils ping checks each reply against its -p pattern), then
# pings of sizes up to the MTU.
. ./lib.sh
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 ping.elf 10.0.0.2
wait_for_guest "answering for 10.0.0.2"
$PING -c 1000 -i 0 -p 5aa53cc3 -W 5 10.0.0.2 >.ping.out 2>&1
cat .ping.out | tail -n 3
grep -q "wrong data" .ping.out && fail "a reply's payload differs"
grep -q "1000 packets transmitted, 1000 received" .ping.out ||
    fail "pings lost: $(tail -n 2 .ping.out)"
for size in 0 1 8 100 1000 1472; do
    $PING -c 10 -i 0.01 -s $size -M do -p c3 -W 5 10.0.0.2 >.ping.out 2>&1
    grep -q "wrong data" .ping.out && fail "size $size: a payload differs"
    grep -q "10 packets transmitted, 10 received" .ping.out ||
        fail "size $size: $(tail -n 2 .ping.out)"
done
stop_tender
expect_status 246
[ -z "$(printf '%s' "$err" | grep -v 'stopped by signal')" ] ||
    fail "tender complained: $err"
pass "1000 pings, 0 lost, payloads intact; sizes 0 to 1472"
