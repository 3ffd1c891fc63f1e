# The guest kernel reports an exception in one line and aborts (255).
. ./lib.sh
check_fault() { # ELF VECTOR-TEXT
    run_tender "$1"
    expect_status 255
    expect_stdout "$2"
    expect_stdout "rip=0x"
    expect_one_line_error "guest aborted (status 255)"
}
check_fault fault_null.elf "#PF (14)"
run_tender fault_null.elf
expect_stdout "cr2=0x0"
check_fault fault_write_text.elf "#PF (14)"
check_fault fault_exec_data.elf "#PF (14)"
check_fault fault_divzero.elf "#DE (0)"
pass "NULL, text write, data execution and divide error abort the guest"
