# gdb's everyday session on a guest: a breakpoint at a function, its
# argument, a step into the call it makes, a watchpoint on a global that
# stops when the global changes, and the guest's own exit (status 7).  On
# a host whose KVM does not fire debug registers (the emulated test host)
# the watchpoint is kept by single-stepping, which tender says once.
. ./lib.sh
start_tender --gdb=1237 gdb_target.elf
wait_for_gdb_port
$GDB -ex 'target remote 127.0.0.1:1237' -ex 'break compute' -ex continue \
    -ex 'print n' -ex step -ex 'print x' -ex 'watch counter' -ex continue \
    -ex 'print $pc' -ex delete -ex continue gdb_target.elf >.gdb.out 2>&1
wait_debugged_tender
expect_status 7
expect_stdout "result 36"
expect_gdb "Breakpoint 1, compute (n=6)"
expect_gdb '^\$1 = 6$'
expect_gdb "^square (x=6)"
expect_gdb '^\$2 = 6$'
expect_gdb "atchpoint 2: counter"
expect_gdb "Old value = 0"
expect_gdb "New value = 37"
expect_gdb '^\$3 = .*<compute+'
expect_gdb "exited with code 07"
pass "gdb: break, print an argument, step into, watch a global, exit status"
