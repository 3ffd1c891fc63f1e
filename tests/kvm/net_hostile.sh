# A hostile guest's bad frames, handles and buffers each get EINVAL, the
# monitor keeps serving it, and a frame too long for the guest's buffer
# is dropped whole with its size reported.
. ./lib.sh
tap_up tap0 10.0.0.1/24
dd if=/dev/zero of=.disk.img bs=4096 count=4 2>/dev/null
start_tender --net:net0=tap0 --block:disk=.disk.img net_hostile.elf
wait_for_guest "ready for a frame"
$PING -c 1 -W 1 10.0.0.2 >/dev/null 2>&1
wait_for_guest "ready for another frame"
$PING -c 1 -W 1 10.0.0.3 >/dev/null 2>&1
wait_tender
rm -f .disk.img
printf '%s\n' "$out"
expect_status 0
expect_stdout "net_hostile: PASS"
[ -z "$err" ] || fail "tender complained: $err"
pass "hostile network guest"
