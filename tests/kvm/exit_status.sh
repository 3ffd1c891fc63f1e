# A guest's exit status becomes tender's.
. ./lib.sh
for s in 0 1 7 100 239; do
    run_tender exit_status.elf "$s"
    expect_status "$s"
    [ -z "$err" ] || fail "status $s printed on stderr: $err"
done
run_tender raw_hvt.elf status 255
expect_status 255
expect_one_line_error "guest aborted (status 255)"
# Statuses above 255 are reserved: treated as an abort.
run_tender raw_hvt.elf status 256
expect_status 255
pass "exit statuses pass through"
