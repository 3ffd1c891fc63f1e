# A signal that is not a stop request (here tender's kick signal,
# SIGRTMIN+2, sent from outside, with no stop asked for) does not cut a
# guest's POLL short: the sleep goes on for what is left, as in Solo5.
. ./lib.sh
./tender raw_hvt.elf sleep >.out.sleep 2>.err.sleep &
pid=$!
sleep 0.5
# musl's SIGRTMIN is 35: the kick signal is 37.
kill -37 "$pid" || fail "cannot signal tender"
wait "$pid"
st=$?
out=$(cat .out.sleep)
err=$(cat .err.sleep)
expect_status 0
pass "a POLL sleeps its whole timeout across a signal"
