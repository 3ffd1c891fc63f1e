# 20 times: kill -9 tender in the middle of a stream of flushed kv
# records, restart, and check that every record reported as flushed is
# there and intact, and that no torn record was accepted.  Every fifth
# round starts on a fresh disk, to keep the log (and its scan) short.
. ./lib.sh
# A random number from 0 to $1 - 1.
random_below() {
    echo $(($(od -An -N2 -tu2 /dev/urandom) % $1))
}

rounds=${BLOCK_CRASH_ROUNDS:-20}
pid=
# A failed round must not leave its stream running into the next test.
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null' EXIT
torn=0
round=1
while [ $round -le "$rounds" ]; do
    if [ $((round % 5)) -eq 1 ]; then
        dd if=/dev/zero of=crash.img bs=1M count=16 2>/dev/null ||
            fail "no disk"
    fi
    # Empty the log first: the child truncates it only once it runs, and
    # the count below must not read the previous round's lines.
    : >stream.log
    ./tender --block=crash.img kv.elf stream 100000 >stream.log 2>&1 &
    pid=$!
    # Kill it once it has flushed a random number of records (1-400): the
    # stream itself would go on far longer, so the kill lands mid-stream.
    target=$(($(random_below 400) + 1))
    i=0
    until [ "$(grep -c '^flushed' stream.log)" -ge $target ]; do
        kill -0 $pid 2>/dev/null ||
            fail "round $round: the stream ended early: $(tail -n 3 stream.log)"
        i=$((i + 1))
        [ $i -le 1200 ] || fail "round $round: the stream is too slow"
        sleep 0.05
    done
    kill -9 $pid
    wait $pid 2>/dev/null
    flushed=$(grep '^flushed [0-9]*$' stream.log | tail -n 1 | cut -d' ' -f2)
    [ -n "$flushed" ] || fail "round $round: nothing flushed"

    run_tender --block=crash.img kv.elf check
    expect_status 0
    last=$(printf '%s\n' "$out" | sed -n 's/^check: last record \([0-9]*\),.*/\1/p')
    [ -n "$last" ] && [ "$last" -ge "$flushed" ] ||
        fail "round $round: flushed $flushed but the log ends at $last: $out"
    expect_stdout ", 0 wrong"
    if printf '%s\n' "$out" | grep -q "torn or corrupt"; then
        torn=$((torn + 1))
    fi
    echo "round $round: flushed $flushed, log holds $last"
    round=$((round + 1))
done
pass "$rounds kills: every flushed record intact ($torn torn tails refused)"
