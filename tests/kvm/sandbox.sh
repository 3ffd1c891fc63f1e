# The running monitor is confined: read its filter back and evaluate it.
. ./lib.sh
start_tender loop_forever.elf
wait_for_guest looping
./seccomp-check $tender_pid >.sb.check 2>&1
check_st=$?
stop_tender
cat .sb.check
[ $check_st -eq 0 ] || fail "seccomp-check failed"
grep -q "0 failed" .sb.check || fail "seccomp-check output"
# A forbidden syscall (made through a hook only the test build has) kills
# the monitor with SIGSYS.
TENDER_TEST_FORBIDDEN_SYSCALL=1 ./tender-testhooks hello.elf >/dev/null 2>&1
st=$?
[ $st -eq 159 ] || fail "forbidden syscall: status $st, expected 159 (SIGSYS)"
pass "sandbox filter and SIGSYS"
