# Hostile packets get NAKs or error replies and do not crash tender; the
# client's kill then ends the guest cleanly.  Without --gdb nothing
# listens.
. ./lib.sh
start_tender --gdb=1236 gdb_target.elf
wait_for_gdb_port
./gdb-poke 1236 hostile >.poke.out 2>&1 ||
    fail "hostile client: $(cat .poke.out)"
wait_debugged_tender
expect_status 246
expect_stderr "guest killed by the debugger"

start_tender gdb_target.elf loop
wait_for_guest looping
ls -l /proc/$tender_pid/fd | grep -q socket && fail "tender holds a socket"
./gdb-poke 1234 refused || fail "something listens without --gdb"
stop_tender
expect_status 246
pass "gdb: hostile packets refused, nothing listens without --gdb"
