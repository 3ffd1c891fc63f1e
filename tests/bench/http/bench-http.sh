# Runs inside the KVM host (scripts/bench-http): examples/http on tap0,
# wrk against it for a 1 KiB and a 64 KiB page with 1, 16 and 128
# connections, SECONDS each, every case twice: through hvt's network ring
# (PATH ring, tender's default) and through one hypercall per frame (PATH
# hc, the ring withheld with --no-net-ring).  The two paths of a case run
# one after the other, each on a tender started for it, so that the
# machine's load drifts as little as possible between them.  Prints one
# line per case and path: "case PATH PAGE CONNS requests N duration_us D
# p50_us P p99_us Q errors E exits X".  VM exits come from KVM's own
# counter (debugfs kvm/exits: the sum over the VMs that exist; ours is
# the only one), read around each wrk run.
IP=/usr/bin/ip
WRK=/usr/bin/wrk
CURL="/usr/bin/curl -sS --max-time 10"
SECONDS_EACH=${1:-10}
TXQ=${2:-}

$IP tuntap add tap0 mode tap || exit 1
echo 1 >/proc/sys/net/ipv6/conf/tap0/disable_ipv6 2>/dev/null
$IP addr add 10.0.0.1/24 dev tap0
$IP link set tap0 up
[ -z "$TXQ" ] || $IP link set tap0 txqueuelen "$TXQ"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
exits() { cat /sys/kernel/debug/kvm/exits 2>/dev/null || echo 0; }

# start PATH: examples/http through the ring (ring) or hypercalls (hc).
start() {
    opt=
    [ "$1" = hc ] && opt=--no-net-ring
    ./tender ${opt:+"$opt"} --net=tap0 --block=site.img http.elf 10.0.0.2 >.http.out 2>&1 &
    pid=$!
    i=0
    until grep -q "http: serving" .http.out 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 600 ] || { echo "http.elf ($1) did not start: $(cat .http.out)" >&2; exit 1; }
        sleep 0.05
    done
}

stop() {
    kill -TERM $pid
    wait $pid
}

cat >.report.lua <<'LUA'
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("requests %d duration_us %d p50_us %d p99_us %d errors %d\n",
        summary.requests, summary.duration, latency:percentile(50),
        latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
LUA

for page in 1k 64k; do
    for conns in 1 16 128; do
        for path in ring hc; do
            start $path
            # A short warm-up, so that ARP and the first connections are done.
            $WRK -t 1 -c "$conns" -d 1s http://10.0.0.2:80/$page.txt >/dev/null 2>&1
            e0=$(exits)
            $WRK -t 1 -c "$conns" -d "${SECONDS_EACH}s" --timeout 10s \
                -s .report.lua "http://10.0.0.2:80/$page.txt" >.wrk.out 2>&1
            e1=$(exits)
            line=$(grep '^requests ' .wrk.out)
            [ -n "$line" ] || { cat .wrk.out >&2; exit 1; }
            echo "case $path $page $conns $line exits $((e1 - e0))"
            # The guest's own counters (warm-up included), for the log.
            $CURL http://10.0.0.2:80/stats 2>/dev/null |
                grep -E '^(requests|frames|tcp_|lwip_heap)' | tr '\n' ' ' |
                sed "s/^/stats $path /"
            echo
            stop
        done
    done
done
# The tap's counters (drops show where frames were lost), for the log.
$IP -s link show tap0 | sed 's/^/tap /'
$IP link delete tap0
