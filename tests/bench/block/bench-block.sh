# Runs inside the KVM host (scripts/bench-block): bench_block.elf over a
# disk file of SIZE_MIB, sequential writes then reads, for 4 KiB, 64 KiB
# and 1 MiB requests.  Prints one line per case:
#   "case MODE REQUEST bytes B ns T hypercalls H"
SIZE_MIB=${1:-64}

dd if=/dev/zero of=bench.img bs=1M count="$SIZE_MIB" 2>/dev/null || exit 1

for request in 4096 65536 1048576; do
    for mode in write read; do
        ./tender --block=bench.img bench_block.elf $mode $request \
            >.bench.out || { cat .bench.out; exit 1; }
        line=$(grep "^bench_block: $mode" .bench.out) || exit 1
        echo "case ${line#bench_block: }"
    done
done
rm -f bench.img
