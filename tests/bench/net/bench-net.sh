# Runs inside the KVM host (scripts/bench-net): tender with bench_net.elf
# on tap0, both directions, 64- and 1500-byte frames.  Prints one line per
# case: "case DIR SIZE frames N ns T hypercalls H exits E sent S".
# VM exits come from KVM's own counter (debugfs kvm/exits: the sum over the
# VMs that exist, so it is read while ours is up, around the run).
IP=/usr/bin/ip
COUNT=${1:-50000}

$IP tuntap add tap0 mode tap || exit 1
echo 1 >/proc/sys/net/ipv6/conf/tap0/disable_ipv6 2>/dev/null
$IP link set tap0 up
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
exits() { cat /sys/kernel/debug/kvm/exits 2>/dev/null || echo 0; }

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

# run DIR SIZE: one case.
run() {
    ./tender --net=tap0 bench_net.elf "$1" "$2" "$COUNT" >.bench.out &
    pid=$!
    if [ "$1" = tx ]; then
        wait_for "bench_net: ready" .bench.out
        e0=$(exits)
        ./bench-net-send tap0 64 1 >/dev/null || exit 1
    else
        wait_for "bench_net: receiving" .bench.out
        e0=$(exits)
        ./bench-net-send tap0 "$2" "$COUNT" >.send.out || exit 1
    fi
    wait_for "bench_net: $1 " .bench.out
    e1=$(exits)
    wait $pid
    line=$(grep "bench_net: $1 " .bench.out)
    echo "case $1 $2 frames $(field frames "$line") ns $(field ns "$line")" \
        "hypercalls $(field hypercalls "$line") exits $((e1 - e0))" \
        "sent $COUNT"
}

for size in 64 1500; do
    run tx $size
    run rx $size
done
$IP link delete tap0
