# Bad command lines and bad files: one clear line, status 240.
. ./lib.sh
run_tender --mem=0 raw_hvt.elf
expect_status 240
expect_one_line_error "--mem=0: must be from 1 to 4096 MiB"
# An odd size is rounded down to 2 MiB pages, as Solo5's tender does, and
# said in one line; the guest is told the size it really has.
run_tender --mem=3 raw_hvt.elf
expect_status 0
expect_one_line_error "guest memory rounded to 2 MiB"
run_tender --mem=lots raw_hvt.elf
expect_status 240
expect_one_line_error "not a whole number"
run_tender --mem=8192 raw_hvt.elf
expect_status 240
expect_one_line_error "more than 4096"
# The highest descriptor number as an @FD value: refused in one line
# (closing the inherited descriptors around it once looped forever).
run_tender --net=@2147483647 raw_hvt.elf
expect_status 240
expect_one_line_error "the guest declares no network device"
run_tender --frobnicate raw_hvt.elf
expect_status 240
expect_one_line_error "unknown option --frobnicate"
run_tender
expect_status 240
expect_one_line_error "no guest ELF given"
run_tender does-not-exist.elf
expect_status 240
expect_one_line_error "does-not-exist.elf: No such file or directory"
printf 'not an elf at all' >notelf.bin
run_tender notelf.bin
expect_status 240
expect_one_line_error "not an ELF file"
: >empty.bin
run_tender empty.bin
expect_status 240
expect_one_line_error "empty.bin: not an ELF file"
run_tender ./tender
expect_status 240
expect_one_line_error "no Solo5 ABI note"
run_tender --help
expect_status 0
expect_stdout "usage: tender"
run_tender --version
expect_status 0
expect_stdout "tender 0.1.0"
pass "command-line and file errors"
