# Runs inside the KVM host (scripts/bench-net): tender with bench_net.elf
# on tap0, both directions, 64- and 1500-byte frames, through hypercalls
# and through the network ring.  Prints one line per case: "case PATH DIR
# SIZE frames N ns T hypercalls H exits E io_exits I sent S"; then Solo5's
# test_net_ring under ping -f ("flood ..." lines, below).
#   sh bench-net.sh COUNT [SOLO5-HVT]
# VM exits come from KVM's own counter (debugfs kvm/exits: the sum over the
# VMs that exist, so it is read while ours is up, around the run).
IP=/usr/bin/ip
COUNT=${1:-50000}

$IP tuntap add tap0 mode tap || exit 1
echo 1 >/proc/sys/net/ipv6/conf/tap0/disable_ipv6 2>/dev/null
$IP link set tap0 up
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
exits() { cat /sys/kernel/debug/kvm/exits 2>/dev/null || echo 0; }
# Exits that reach the tender (a hypercall; not a kick, which KVM turns
# into an eventfd signal in the kernel).
io_exits() { cat /sys/kernel/debug/kvm/io_exits 2>/dev/null || echo 0; }
PING=/usr/bin/ping
SOLO5_HVT=$2

field() { # NAME LINE: the word after NAME
    printf '%s\n' "$2" | sed -n "s/.* $1 \([0-9]*\).*/\1/p"
}

wait_for() { # TEXT FILE
    i=0
    until grep -q "$1" "$2" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 600 ] || { echo "no '$1' in $2" >&2; exit 1; }
        sleep 0.05
    done
}

# run PATH DIR SIZE: one case, through the hypercalls (PATH hc: the
# ring withheld with --no-net-ring) or the network ring (PATH ring).
run() {
    opt=
    [ "$1" = hc ] && opt=--no-net-ring
    ./tender $opt --net=tap0 bench_net.elf "$2" "$3" "$COUNT" >.bench.out &
    pid=$!
    if [ "$2" = tx ]; then
        wait_for "bench_net: ready" .bench.out
        e0=$(exits)
        i0=$(io_exits)
        ./bench-net-send tap0 64 1 >/dev/null || exit 1
    else
        wait_for "bench_net: receiving" .bench.out
        e0=$(exits)
        i0=$(io_exits)
        ./bench-net-send tap0 "$3" "$COUNT" >.send.out || exit 1
    fi
    wait_for "bench_net: $2 " .bench.out
    e1=$(exits)
    i1=$(io_exits)
    wait $pid
    line=$(grep "bench_net: $2 " .bench.out)
    echo "case $1 $2 $3 frames $(field frames "$line") ns $(field ns "$line")" \
        "hypercalls $(field hypercalls "$line") exits $((e1 - e0))" \
        "io_exits $((i1 - i0)) sent $COUNT"
}

# flood NAME TENDER...: Solo5's test_net_ring (10.0.0.2 on tap1) under
# ping -f: FLOOD echo requests with its 0xdeadbeef pattern, counted while
# the guest runs (it stops at 10,000 verified replies: a last short flood
# gets it there).  "flood NAME replies R ms T exits E io_exits I".
FLOOD=${FLOOD:-9000}
flood() {
    name=$1
    shift
    [ -f test_net_ring.hvt ] || return 0
    "$@" --mem=512 --net:service0=tap1 -- test_net_ring.hvt >.flood.out 2>&1 &
    pid=$!
    wait_for "Serving ping on 10.0.0.2" .flood.out
    e0=$(exits)
    i0=$(io_exits)
    $PING -fq -c "$FLOOD" -p deadbeef 10.0.0.2 >.ping.out 2>&1
    e1=$(exits)
    i1=$(io_exits)
    $PING -fq -c 2000 -w 60 -p deadbeef 10.0.0.2 >/dev/null 2>&1 &
    ppid=$!
    wait $pid
    st=$?
    kill $ppid 2>/dev/null
    wait $ppid 2>/dev/null
    grep -q SUCCESS .flood.out || { echo "flood $name: no SUCCESS (status $st)" >&2; cat .flood.out >&2; return 0; }
    got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' .ping.out)
    ms=$(sed -n 's/.* time \([0-9]*\)ms.*/\1/p' .ping.out)
    echo "flood $name replies $got ms $ms exits $((e1 - e0)) io_exits $((i1 - i0))"
}

for size in 64 1500; do
    for path in hc ring; do
        run $path tx $size
        run $path rx $size
    done
done
$IP link delete tap0

$IP tuntap add tap1 mode tap || exit 1
echo 1 >/proc/sys/net/ipv6/conf/tap1/disable_ipv6 2>/dev/null
$IP addr add 10.0.0.1/24 dev tap1
$IP link set tap1 up
flood hc ./tender --no-net-ring
flood ring ./tender
[ -x "$SOLO5_HVT" ] && flood solo5-hvt "$SOLO5_HVT"
$IP link delete tap1
