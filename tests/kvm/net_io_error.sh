# A tap deleted under a running guest: the guest's reads get EUNSPEC, one
# line goes to stderr, and the monitor keeps running until it is stopped.
. ./lib.sh
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 ping.elf 10.0.0.2
wait_for_guest "answering for 10.0.0.2"
$PING -c 3 -i 0.2 -W 5 10.0.0.2 >/dev/null 2>&1 || fail "no ping before"
$IP link delete tap0
net_taps=
sleep 2
kill -0 "$tender_pid" 2>/dev/null || fail "tender died: $(cat .tender.err)"
stop_tender
expect_status 246
printf '%s\n' "$err"
[ "$(printf '%s\n' "$err" | grep -c "net device 'service' (tap0): read failed")" -eq 1 ] ||
    fail "expected one line about the failed read, got: $err"
pass "a host I/O error is reported once and is not fatal"
