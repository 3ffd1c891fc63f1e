# The monitor maps loaded text read-only: a write to it stops the guest.
. ./lib.sh
run_tender raw_hvt.elf write-text
expect_status 244
expect_one_line_error "write to its read-only text"
pass "host-side read-only text"
