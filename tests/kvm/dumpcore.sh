# --dumpcore: a core file for each abnormal stop, named on the stop line,
# none for a normal exit or without the option.  Each core goes back out
# on stdout, gzipped and in base64, between "core NAME RIP" and "end"
# lines, and tests/dumpcore/check-cores reads them with gdb on the build
# machine (scripts/test runs it): a core must be readable away from the
# host that wrote it, as a user's would be.
. ./lib.sh
mkdir -p cores

# emit NAME: the one core in cores/, with the stop line's RIP, then gone.
emit() {
    f=$(ls cores/core.* 2>/dev/null)
    [ -n "$f" ] && [ "$(echo "$f" | wc -l)" -eq 1 ] ||
        fail "$1: expected one core, found: $f (stderr: $err)"
    printf '%s\n' "$err" | grep -q "; core dumped to $f\$" ||
        fail "$1: the stop line does not name $f: $err"
    rip=$(printf '%s\n' "$err" | sed -n 's/.*rip=\(0x[0-9a-f]*\).*/\1/p')
    echo "core $1 ${rip:-none}"
    gzip -c "$f" | base64
    echo "end"
    rm -f "$f"
}

run_tender --mem=8 --dumpcore=cores core_divzero.elf
expect_status 255
expect_one_line_error "guest aborted (status 255); core dumped to cores/core.core_divzero."
emit divzero

run_tender --mem=8 --dumpcore=cores fault_triple.elf
expect_status 243
expect_one_line_error "triple fault (rip=0x"
emit triple

run_tender --mem=8 --dumpcore=cores raw_hvt.elf bad-arg
expect_status 241
expect_one_line_error "hypercall 2 has an argument outside guest memory"
emit badcall

run_tender --mem=8 --dumpcore=cores raw_hvt.elf write-text
expect_status 244
expect_one_line_error "write to its read-only text"
emit writetext

start_tender --mem=8 --dumpcore=cores loop_forever.elf
wait_for_guest looping
stop_tender
expect_status 246
expect_one_line_error "guest stopped by signal 15"
emit sigterm

# No core for the guest's own statuses, nor without the option.
run_tender --mem=8 --dumpcore=cores exit_status.elf 0
expect_status 0
run_tender --mem=8 --dumpcore=cores exit_status.elf 7
expect_status 7
[ -z "$err" ] || fail "status 7 printed on stderr: $err"
[ -z "$(ls cores)" ] || fail "a core for a normal exit: $(ls cores)"
run_tender --mem=8 fault_divzero.elf
expect_status 255
expect_one_line_error "guest aborted (status 255)\$"
[ -z "$(ls core.* 2>/dev/null)" ] || fail "a core without --dumpcore"

# Bad directories: one line at set-up; a directory gone by the time of
# the stop: the stop is still reported, with why there is no core.
run_tender --dumpcore=no/such/dir exit_status.elf 0
expect_status 240
expect_one_line_error "core directory no/such/dir: No such file"
mkdir gone
start_tender --mem=8 --dumpcore=gone loop_forever.elf
wait_for_guest looping
rmdir gone
stop_tender
expect_status 246
expect_one_line_error "guest stopped by signal 15 (.*); no core: cannot write core gone/core.loop_forever.[0-9]*: No such file"
pass "cores for abort, triple fault, bad hypercall, write to text, SIGTERM; none otherwise"
