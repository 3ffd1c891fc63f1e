# gdb's interrupt (SIGINT to gdb, which sends 0x03) stops a looping
# guest; bt shows the loop; gdb's kill ends the guest (status 246).  A
# debugged tender is sandboxed too: both its threads, the vCPU's and the
# stub's watcher, run under a seccomp filter.
. ./lib.sh
start_tender --gdb=1235 gdb_target.elf loop
wait_for_gdb_port
$GDB -ex 'target remote 127.0.0.1:1235' -ex continue -ex bt -ex kill \
    gdb_target.elf >.gdb.out 2>&1 &
gdb_pid=$!
wait_for_guest looping
threads=0
for s in /proc/$tender_pid/task/*/status; do
    grep -q "^Seccomp:[[:space:]]*2" "$s" || fail "a thread without a filter: $s"
    threads=$((threads + 1))
done
[ $threads -eq 2 ] || fail "$threads threads, not the vCPU's and the watcher"
sleep 1
kill -INT $gdb_pid
i=0
while kill -0 $gdb_pid 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { kill -9 $gdb_pid; fail "gdb did not finish"; }
    sleep 0.1
done
wait_debugged_tender
expect_gdb "SIGINT"
expect_gdb "#0 .*spin ()"
expect_gdb "#1 .* tender_app_main"
expect_status 246
expect_stderr "guest killed by the debugger"
pass "gdb: interrupt a looping guest, bt, kill"
