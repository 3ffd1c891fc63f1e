# A read from an unbacked address exits as MMIO: status 242.  The tender
# maps guest memory only (as Solo5's does), so the guest maps 4 GiB itself.
. ./lib.sh
run_tender --mem=64 raw_hvt.elf mmio
expect_status 242
expect_one_line_error "access to unbacked address 0xc0000000"
# With 4 GiB of memory the same address is plain RAM.
run_tender --mem=4096 raw_hvt.elf mmio
expect_status 0
# Through the tender's own page tables, the first byte past memory is not
# mapped: a page fault, and this guest, with no IDT, triple-faults (243).
run_tender --mem=64 raw_hvt.elf beyond
expect_status 243
expect_one_line_error "triple fault"
pass "MMIO outside memory stops the guest; memory past mem_size is unmapped"
