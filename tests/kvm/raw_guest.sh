# A guest written without our guest library, from the wire facts alone.
. ./lib.sh
run_tender raw_hvt.elf
expect_status 0
expect_stdout "raw hvt guest: hello"
[ -z "$err" ] || fail "unexpected stderr: $err"
run_tender raw_hvt.elf status 42
expect_status 42
pass "raw hvt v2 guest boots, prints and halts"
