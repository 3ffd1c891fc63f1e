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
# VMs there are: ours only), less that of a run that boots and halts.
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

# exits_of TENDER...: KVM exits during one run of the tender (its output
# in .bench.out).
exits_of() {
    e0=$(exits)
    "$@" >.bench.out 2>&1 || { cat .bench.out >&2; exit 1; }
    e1=$(exits)
    echo $((e1 - e0))
}

# randread PATH TENDER...: one random-read case.
randread() {
    path=$1
    shift
    idle=$(exits_of "$@" bench_block.elf idle)
    total=$(exits_of "$@" bench_block.elf randread 4096 "$DEPTH" "$COUNT")
    line=$(grep "^bench_block: randread" .bench.out) || exit 1
    echo "case randread $path ${line#bench_block: randread } exits" \
        $((total - idle))
}

randread ring ./tender --block:disk=bench.img
randread hc ./tender --no-block-ring --block:disk=bench.img
[ -x "$SOLO5_HVT" ] &&
    randread solo5-hvt "$SOLO5_HVT" --block:disk=bench.img --
rm -f bench.img
