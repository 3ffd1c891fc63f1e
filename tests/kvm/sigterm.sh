# A guest that loops forever is ended by SIGTERM: status 246, one line.
. ./lib.sh
start_tender loop_forever.elf
wait_for_guest looping
stop_tender
expect_status 246
expect_one_line_error "guest stopped by signal 15"
pass "SIGTERM ends a looping guest"
