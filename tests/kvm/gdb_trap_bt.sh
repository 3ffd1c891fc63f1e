# A breakpoint in the guest kernel's trap handler: bt unwinds through the
# exception frame into the function that divided by zero, on to
# tender_app_main, and ends at _start with no unknown frame.  A hardware
# breakpoint (hbreak) is used, which is a software one where KVM does not
# fire debug registers.
. ./lib.sh
start_tender --gdb=1238 gdb_target.elf divide
wait_for_gdb_port
$GDB -ex 'target remote 127.0.0.1:1238' -ex 'hbreak trap_handler' \
    -ex continue -ex bt -ex kill gdb_target.elf >.gdb.out 2>&1
wait_debugged_tender
expect_status 246
expect_gdb "trap_handler"
grep -q "^#[0-9].* divide (a=2, b=0)" .gdb.out ||
    fail "bt does not reach divide(): $(cat .gdb.out)"
grep -q "^#[0-9].* tender_app_main" .gdb.out ||
    fail "bt does not reach tender_app_main: $(cat .gdb.out)"
grep -q "^#[0-9].* _start" .gdb.out || fail "bt does not end at _start: $(cat .gdb.out)"
grep -q "^#[0-9].* ?? " .gdb.out && fail "bt has an unknown frame: $(cat .gdb.out)"
pass "gdb: bt from the trap handler into the faulting function, to _start"
