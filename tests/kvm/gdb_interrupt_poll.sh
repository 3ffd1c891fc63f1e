# gdb's interrupt stops a guest that sleeps in POLL (a 10 s deadline) at
# once, not when the sleep ends; bt shows where it waits; the guest then
# runs on, and gdb's kill ends it.
. ./lib.sh
start_tender --gdb=1239 gdb_target.elf sleep
wait_for_gdb_port
$GDB -ex 'target remote 127.0.0.1:1239' -ex continue -ex bt -ex kill \
    gdb_target.elf >.gdb.out 2>&1 &
gdb_pid=$!
wait_for_guest sleeping
sleep 1
kill -INT $gdb_pid
i=0
while kill -0 $gdb_pid 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 50 ] || {
        kill -9 $gdb_pid
        fail "gdb's interrupt waited for the guest's POLL: $(cat .gdb.out)"
    }
    sleep 0.1
done
wait_debugged_tender
expect_gdb "SIGINT"
grep -q "^#[0-9].* doze ()" .gdb.out || fail "bt does not show doze(): $(cat .gdb.out)"
expect_status 246
pass "gdb: interrupt a guest sleeping in POLL at once"
