# Patterns over the whole disk, read back by checksum in a new tender;
# requests of 1 to 256 sectors; the last sector; sectors of 512 and 4096.
. ./lib.sh
for ss in 512 4096; do
    # 8 MiB: room for 256-sector requests of 4096 bytes anywhere.
    dd if=/dev/zero of=pattern.img bs=1M count=8 2>/dev/null || fail "no disk"
    opts="--block=pattern.img --block-sector-size=$ss"
    sectors=$((8 * 1048576 / ss))

    run_tender $opts block_pattern.elf sizes
    expect_status 0
    expect_stdout "sizes ok: 1 to 256 sectors of $ss bytes"

    run_tender $opts block_pattern.elf fill 7
    expect_status 0
    expect_stdout "fill ok: $sectors sectors"
    run_tender $opts block_pattern.elf verify 7
    expect_status 0
    expect_stdout "verify ok: $sectors sectors"
    # The host sees what the guest wrote, where it wrote it.
    dd if=pattern.img bs=$ss skip=$((sectors / 2)) count=1 2>/dev/null |
        grep -q "tender sector $(printf %08d $((sectors / 2))) seed 00000007" ||
        fail "sector $((sectors / 2)) is not in the file ($ss)"
    # A different seed must not verify: the check has teeth.
    run_tender $opts block_pattern.elf verify 8
    expect_status 1
    expect_stdout "FAIL pattern mismatch at sector 0"

    run_tender $opts block_pattern.elf last 9
    expect_status 0
    expect_stdout "last ok: sector $((sectors - 1))"
    tail -c $ss pattern.img |
        grep -q "tender sector $(printf %08d $((sectors - 1))) seed 00000009" ||
        fail "the last sector is not at the end of the file ($ss)"
done
rm -f pattern.img
pass "patterns over whole disks of 512- and 4096-byte sectors"
