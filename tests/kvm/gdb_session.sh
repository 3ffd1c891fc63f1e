# gdb debugs a guest: registers (RIP, RFLAGS, segments, FS base, the x87
# control word as the CPU's reset leaves it, MXCSR), memory
# through the guest's page tables, single steps, then the guest's own exit,
# whose status tender passes on (W07).  Breakpoints and watchpoints:
# gdb_break.sh.
. ./lib.sh
start_tender --gdb=1234 gdb_target.elf
wait_for_gdb_port
$GDB -ex 'target remote 127.0.0.1:1234' -ex 'info registers rip eflags cs ss fs_base fctrl mxcsr' \
    -ex stepi -ex stepi -ex 'print $pc' -ex 'x/2xb 0x100000' \
    -ex 'print counter' -ex 'x/xg 0' -ex continue gdb_target.elf >.gdb.out 2>&1
wait_debugged_tender
expect_status 7
expect_stdout "result 36"
expect_gdb "^rip  *0x100000"
expect_gdb "^cs  *0x8"
expect_gdb "^fs_base "
expect_gdb "^fctrl  *0x37f"
expect_gdb "^mxcsr  *0x"
expect_gdb '^\$1 = .* 0x100004 <_start+4>'
expect_gdb "0x100000 <_start>:.0xfc.0x49"
expect_gdb '^\$2 = 0'
expect_gdb "Cannot access memory at address 0x0"
expect_gdb "exited with code 07"
pass "gdb: registers, memory, stepi, exit status"
