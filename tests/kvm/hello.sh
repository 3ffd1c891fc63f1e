# examples/hello prints its greeting and its command line, and exits 0.
. ./lib.sh
run_tender hello.elf first second
expect_status 0
expect_stdout "Hello"
expect_stdout "argv\[1\] = first"
expect_stdout "argv\[2\] = second"
[ -z "$err" ] || fail "unexpected stderr: $err"
# The smallest and the largest memory boot too.
run_tender --mem=2 hello.elf
expect_status 0
expect_stdout "Hello"
run_tender --mem=4096 hello.elf
expect_status 0
expect_stdout "Hello"
pass "hello boots with 2, 512 and 4096 MiB"
