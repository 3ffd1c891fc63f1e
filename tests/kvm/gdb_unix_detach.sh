# gdb over a unix socket: a breakpoint, then detach, after which the guest
# runs on undebugged to its own exit (status 7); then a whole run to the
# exit, which gdb must hear as the guest's exit, not as a lost connection.
# The second run reuses the first's socket path, which tender left behind.
. ./lib.sh
start_tender --gdb=$PWD/gdb1.sock gdb_target.elf
wait_for_gdb_port
$GDB -ex "target remote $PWD/gdb1.sock" -ex 'break compute' -ex continue \
    -ex detach gdb_target.elf >.gdb.out 2>&1
wait_debugged_tender
expect_status 7
expect_stdout "result 36"
expect_gdb "Breakpoint 1, compute (n=6)"
expect_gdb "detached"

start_tender --gdb=$PWD/gdb1.sock gdb_target.elf
wait_for_gdb_port
$GDB -ex "target remote $PWD/gdb1.sock" -ex continue gdb_target.elf \
    >.gdb.out 2>&1
wait_debugged_tender
expect_status 7
expect_gdb "exited with code 07"
grep -q "Remote communication error\|Broken pipe" .gdb.out &&
    fail "gdb lost the connection at the exit: $(cat .gdb.out)"
pass "gdb: a unix socket, detach, the exit heard over the socket"
