# A guest that loops forever is ended by SIGTERM: status 246, one line.
. ./lib.sh
./tender loop_forever.elf >.loop.out 2>.loop.err &
pid=$!
i=0
until grep -q looping .loop.out 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 300 ] || fail "loop_forever never printed"
    sleep 0.1
done
kill -TERM $pid
wait $pid
st=$?
err=$(cat .loop.err)
out=$(cat .loop.out)
expect_status 246
expect_one_line_error "guest stopped by signal 15"
pass "SIGTERM ends a looping guest"
