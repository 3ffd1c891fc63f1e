# A read from an unbacked address exits as MMIO: status 242.
. ./lib.sh
run_tender --mem=64 raw_hvt.elf mmio
expect_status 242
expect_one_line_error "access to unbacked address 0xc0000000"
# With 4 GiB of memory the same address is plain RAM.
run_tender --mem=4096 raw_hvt.elf mmio
expect_status 0
pass "MMIO outside memory stops the guest"
