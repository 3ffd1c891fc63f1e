# A closed standard output neither kills tender nor stops the guest, and
# a full one (a reader that stops reading) blocks the guest's console
# without wedging tender: SIGTERM still stops it (246).
. ./lib.sh
( ./tender raw_hvt.elf chatter 2>.err.pipe; echo $? >.st.pipe ) | head -1 >.out.pipe
st=$(cat .st.pipe)
out=$(cat .out.pipe)
err=$(cat .err.pipe)
expect_status 0
expect_stdout "chatter"

rm -f .fifo
mkfifo .fifo || fail "cannot make a FIFO"
# A reader that opens the FIFO and never reads: the pipe fills up.
sleep 60 <.fifo &
reader=$!
./tender raw_hvt.elf chatter >.fifo 2>.err.pipe &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || fail "tender ended before its output was read"
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill -0 "$pid" 2>/dev/null && fail "tender blocked in a console write ignores SIGTERM"
wait "$pid"
st=$?
out=
err=$(cat .err.pipe)
kill "$reader" 2>/dev/null
expect_status 246
expect_one_line_error "stopped by signal 15"
pass "a closed or full standard output neither kills nor wedges tender"
