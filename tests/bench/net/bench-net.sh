# Runs inside the KVM host (scripts/bench-net): tender with bench_net.elf
# on tap0, both directions, 64- and 1500-byte frames.  Prints one line per
# case: "case DIR SIZE frames N ns T hypercalls H exits E sent S".
# VM exits come from KVM's own counter (debugfs kvm/exits, all vCPUs of the
# host: only ours runs), less those of an idle run that sends nothing.
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

# An idle run: boot, acquire, no frame, halt.
e0=$(exits)
./tender --net=tap0 bench_net.elf tx 64 0 >.idle.out || exit 1
idle=$(($(exits) - e0))
echo "idle run: $idle exits"

for size in 64 1500; do
    e0=$(exits)
    ./tender --net=tap0 bench_net.elf tx $size "$COUNT" >.tx.out || exit 1
    e=$(($(exits) - e0 - idle))
    line=$(grep "bench_net: tx" .tx.out)
    echo "case tx $size frames $(field frames "$line") ns $(field ns "$line")" \
        "hypercalls $(field hypercalls "$line") exits $e sent $COUNT"

    e0=$(exits)
    ./tender --net=tap0 bench_net.elf rx $size "$COUNT" >.rx.out &
    pid=$!
    i=0
    until grep -q receiving .rx.out 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 300 ] || exit 1
        sleep 0.1
    done
    ./bench-net-send tap0 $size "$COUNT" >.send.out || exit 1
    wait $pid
    e=$(($(exits) - e0 - idle))
    line=$(grep "bench_net: rx" .rx.out)
    echo "case rx $size frames $(field frames "$line") ns $(field ns "$line")" \
        "hypercalls $(field hypercalls "$line") exits $e sent $COUNT"
done
$IP link delete tap0
