# I/O that is not a served hypercall stops the guest with status 241.
. ./lib.sh
for how in bad-port bad-size bad-nr; do
    run_tender raw_hvt.elf "$how"
    expect_status 241
    expect_one_line_error "is not a hypercall (rip=0x"
done
run_tender raw_hvt.elf bad-arg
expect_status 241
expect_one_line_error "hypercall 2 has an argument outside guest memory"
run_tender raw_hvt.elf hlt
expect_status 245
expect_one_line_error "KVM could not run it"
pass "bad port, size, number and argument are refused"
