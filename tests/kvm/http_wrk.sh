# examples/http under wrk: 1,000 requests one after the other, each on a
# new connection (Connection: close, 1 connection), then 10,000 keep-alive
# requests on 16 connections; every one answered 200, no socket errors.
. ./lib.sh
WRK=/usr/bin/wrk
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 --block=site.img http.elf 10.0.0.2
wait_for_guest "http: serving"

# run_wrk CONNECTIONS REQUESTS CLOSE(0|1): one wrk thread with that many
# connections.  wrk runs for a time, not a count, so the script stops the
# thread after REQUESTS answers and leaves .wrk.done; SIGINT then makes
# wrk print its summary (with its socket error counts) at once.
run_wrk() {
    rm -f .wrk.done
    cat >.count.lua <<LUA
local left = $2
local bad = 0
request = function()
    if $3 == 1 then
        return wrk.format("GET", "/1k.txt", { ["Connection"] = "close" })
    end
    return wrk.format("GET", "/1k.txt")
end
response = function(status, headers, body)
    if status ~= 200 then bad = bad + 1 end
    left = left - 1
    if left == 0 then
        wrk.thread:stop()
        local f = io.open(".wrk.done", "w")
        f:write(string.format("bad %d\n", bad))
        f:close()
    end
end
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("requests %d errors %d %d %d %d %d\n",
        summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
LUA
    $WRK -t 1 -c "$1" -d 100s --timeout 10s -s .count.lua \
        http://10.0.0.2:80/ >.wrk.out 2>&1 &
    wrk_pid=$!
    i=0
    until [ -s .wrk.done ] || [ $i -ge 900 ]; do
        kill -0 $wrk_pid 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    kill -INT $wrk_pid 2>/dev/null
    wait $wrk_pid
    [ -s .wrk.done ] || fail "wrk did not finish: $(cat .wrk.out)"
    grep -q "^bad 0$" .wrk.done || fail "answers other than 200: $(cat .wrk.done)"
    grep -E "Requests/sec|^requests" .wrk.out
}

# at_least N: wrk's summary counts N or more requests (the other
# connections' answers that came in before SIGINT) and no socket errors.
at_least() {
    n=$(sed -nE 's/^requests ([0-9]+) errors 0 0 0 0 0$/\1/p' .wrk.out)
    [ -n "$n" ] && [ "$n" -ge "$1" ]
}
run_wrk 1 1000 1
at_least 1000 || fail "1,000 sequential requests: $(cat .wrk.out)"
run_wrk 16 10000 0
at_least 10000 || fail "10,000 keep-alive requests: $(cat .wrk.out)"
stop_tender
expect_status 246
pass "1,000 sequential and 10,000 keep-alive requests, all 200, no errors"
