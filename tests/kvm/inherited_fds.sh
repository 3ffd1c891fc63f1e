# tender closes every descriptor it inherits but the standard three and
# those named as @FD, whatever their number: 1024 and above too.
. ./lib.sh
ulimit -n 4096 2>/dev/null
exec 9</dev/null 3000</dev/null || fail "cannot open descriptor 3000"
[ -e /proc/$$/fd/3000 ] || fail "descriptor 3000 is not open in the shell"
start_tender loop_forever.elf
wait_for_guest looping
for fd in 9 1023 1024 3000; do
    [ -e /proc/$tender_pid/fd/$fd ] && fail "tender kept inherited descriptor $fd"
done
[ -e /proc/$tender_pid/fd/2 ] || fail "tender closed its standard error"
stop_tender
expect_status 246
pass "inherited descriptors closed, 1024 and above too"
