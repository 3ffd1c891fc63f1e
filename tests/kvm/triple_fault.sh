# A triple fault stops the guest with status 243 and one line.
. ./lib.sh
run_tender fault_triple.elf
expect_status 243
expect_one_line_error "guest stopped: triple fault (rip=0x"
pass "triple fault"
