# The running monitor is confined: read its filter back and evaluate it.
. ./lib.sh
./tender loop_forever.elf >.sb.out 2>.sb.err &
pid=$!
i=0
until grep -q looping .sb.out 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 300 ] || fail "loop_forever never printed"
    sleep 0.1
done
./seccomp-check $pid >.sb.check 2>&1
st=$?
kill -TERM $pid
wait $pid
cat .sb.check
[ $st -eq 0 ] || fail "seccomp-check failed"
grep -q "0 failed" .sb.check || fail "seccomp-check output"
# A forbidden syscall (made through a hook only the test build has) kills
# the monitor with SIGSYS.
TENDER_TEST_FORBIDDEN_SYSCALL=1 ./tender-testhooks hello.elf >/dev/null 2>&1
st=$?
[ $st -eq 159 ] || fail "forbidden syscall: status $st, expected 159 (SIGSYS)"
pass "sandbox filter and SIGSYS"
