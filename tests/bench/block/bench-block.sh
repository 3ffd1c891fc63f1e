# Runs inside the KVM host (scripts/bench-block): bench_block.elf over a
# disk file of SIZE_MIB, sequential writes then reads, for 4 KiB, 64 KiB
# and 1 MiB requests; then random 4 KiB reads, DEPTH in flight, on tender
# through the block ring, on tender through hypercalls (--no-block-ring)
# and on Solo5's solo5-hvt (hypercalls: it has no block ring).
#   sh bench-block.sh SIZE_MIB [SOLO5-HVT [COUNT [DEPTH]]]
# Prints one line per case:
#   "case MODE REQUEST bytes B ns T hypercalls H"
#   "case randread PATH REQUEST bytes B ns T requests N depth D ring R
#    exits E"
# where E comes from KVM's own counter (debugfs kvm/exits, summed over the
# VMs that exist: ours only), read while the guest holds still before its
# first request and after its last.
SIZE_MIB=${1:-64}
SOLO5_HVT=$2
COUNT=${3:-20000}
DEPTH=${4:-32}

dd if=/dev/zero of=bench.img bs=1M count="$SIZE_MIB" 2>/dev/null || exit 1

for request in 4096 65536 1048576; do
    for mode in write read; do
        ./tender --block=bench.img bench_block.elf $mode $request \
            >.bench.out || { cat .bench.out; exit 1; }
        line=$(grep "^bench_block: $mode" .bench.out) || exit 1
        echo "case ${line#bench_block: }"
    done
done

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
exits() { cat /sys/kernel/debug/kvm/exits 2>/dev/null || echo 0; }

wait_for() { # TEXT FILE
    i=0
    until grep -q "$1" "$2" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 1200 ] || { echo "no '$1' in $2" >&2; exit 1; }
        sleep 0.05
    done
}

# randread PATH TENDER...: one random-read case.  The guest holds still
# (HOLD_MS) before and after, while the host reads KVM's counter.
HOLD_MS=2000
randread() {
    path=$1
    shift
    "$@" bench_block.elf randread 4096 "$DEPTH" "$COUNT" $HOLD_MS \
        >.bench.out 2>&1 &
    pid=$!
    wait_for "bench_block: ready" .bench.out
    e0=$(exits)
    wait_for "bench_block: randread" .bench.out
    e1=$(exits)
    wait $pid || { cat .bench.out >&2; exit 1; }
    line=$(grep "^bench_block: randread" .bench.out) || exit 1
    echo "case randread $path ${line#bench_block: randread } exits" \
        $((e1 - e0))
}

randread ring ./tender --block:disk=bench.img
randread hc ./tender --no-block-ring --block:disk=bench.img
[ -x "$SOLO5_HVT" ] &&
    randread solo5-hvt "$SOLO5_HVT" --block:disk=bench.img --
rm -f bench.img
