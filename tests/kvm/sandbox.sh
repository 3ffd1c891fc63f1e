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
# With devices: each call is pinned to its own descriptors, the tap's
# (read, write) and the disk's (pread64, pwrite64, fdatasync), and none
# is allowed on the other's.
tap_up tsb0 10.79.0.1/24
dd if=/dev/zero of=.sb.disk bs=4096 count=4 2>/dev/null
start_tender --net:net0=tsb0 --block:disk0=.sb.disk devices_idle.elf
wait_for_guest ready
tap_fd=
disk_fd=
for f in /proc/$tender_pid/fd/*; do
    case $(readlink "$f") in
    */dev/net/tun) tap_fd=${f##*/} ;;
    *.sb.disk) disk_fd=${f##*/} ;;
    esac
done
[ -n "$tap_fd" ] && [ -n "$disk_fd" ] || fail "tap or disk descriptor not found"
./seccomp-check $tender_pid "$tap_fd:read,write" \
    "$disk_fd:pread64,pwrite64,fdatasync" >.sb.check 2>&1
check_st=$?
stop_tender
cat .sb.check
[ $check_st -eq 0 ] || fail "seccomp-check with devices failed"
grep -q " 0 failed" .sb.check || fail "seccomp-check output with devices"
# A forbidden syscall (made through a hook only the test build has) kills
# the monitor with SIGSYS.
TENDER_TEST_FORBIDDEN_SYSCALL=1 ./tender-testhooks hello.elf >/dev/null 2>&1
st=$?
[ $st -eq 159 ] || fail "forbidden syscall: status $st, expected 159 (SIGSYS)"
pass "sandbox filter and SIGSYS"
