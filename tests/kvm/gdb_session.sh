# gdb debugs a guest: a breakpoint, an argument, a step into a call, a
# watchpoint on a global, then the guest's own exit, whose status tender
# passes on.
. ./lib.sh
start_tender --gdb=1234 gdb_target.elf
wait_for_gdb_port
$GDB -ex 'target remote 127.0.0.1:1234' -ex 'break compute' -ex continue \
    -ex 'print n' -ex step -ex bt -ex 'print $rip == (long)&square' \
    -ex 'info registers rip eflags cs fs_base' -ex 'watch counter' \
    -ex continue -ex 'delete' -ex continue gdb_target.elf >.gdb.out 2>&1
wait_debugged_tender
expect_status 7
expect_stdout "result 36"
expect_gdb "Breakpoint 1, compute (n=6)"
expect_gdb '^\$1 = 6'
expect_gdb "square (x=6)"
expect_gdb "#1 .* compute (n=6)"
expect_gdb '^\$2 = 1'
expect_gdb "^fs_base "
expect_gdb "Hardware watchpoint 2: counter"
expect_gdb "New value = 37"
expect_gdb "exited with code 07"
pass "gdb: break, print, step, bt, registers, watch, exit status"
