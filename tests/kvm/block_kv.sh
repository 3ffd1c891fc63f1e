# examples/kv: values survive restarts; a corrupt or torn record at the
# end of the log is reported and never accepted.
. ./lib.sh
dd if=/dev/zero of=kv.img bs=1M count=1 2>/dev/null || fail "no disk"

run_tender --block=kv.img kv.elf set colour blue
expect_status 0
expect_stdout "set colour (record 1)"
run_tender --block=kv.img kv.elf set size 42
run_tender --block=kv.img kv.elf set colour red
expect_stdout "set colour (record 3)"
run_tender --block=kv.img kv.elf get colour
expect_status 0
expect_stdout "^colour=red$"
run_tender --block=kv.img kv.elf get weight
expect_status 1
expect_stdout "weight: not found"
run_tender --block=kv.img kv.elf list
expect_status 0
[ "$(printf '%s\n' "$out" | grep -v '^kv:')" = "colour=red
size=42" ] || fail "list: $out"

# Record 3 (colour=red) is the sector at byte 1024: flip a byte of its
# value.  The log now ends before it, and colour is blue again.
printf 'X' | dd of=kv.img bs=1 seek=1062 conv=notrunc 2>/dev/null
run_tender --block=kv.img kv.elf get colour
expect_status 0
expect_stdout "ignoring a torn or corrupt record at byte 1024 (bad checksum)"
expect_stdout "^colour=blue$"
# The next record replaces it.
run_tender --block=kv.img kv.elf set colour green
expect_stdout "set colour (record 3)"
run_tender --block=kv.img kv.elf get colour
expect_stdout "kv: 3 records, 1536 bytes"
expect_stdout "^colour=green$"

# A torn multi-sector record: its first sector made it, the rest did not.
long=$(printf '%1200s' '' | tr ' ' z)
run_tender --block=kv.img kv.elf set long "$long"
expect_stdout "set long (record 4)"
dd if=/dev/zero of=kv.img bs=512 seek=4 count=2 conv=notrunc 2>/dev/null
run_tender --block=kv.img kv.elf get long
expect_status 1
expect_stdout "ignoring a torn or corrupt record at byte 1536 (bad checksum)"
# A torn header: garbage where the next record would start.
printf 'KVR1garbage' | dd of=kv.img bs=1 seek=1536 conv=notrunc 2>/dev/null
run_tender --block=kv.img kv.elf list
expect_stdout "ignoring a torn or corrupt record at byte 1536"
expect_stdout "kv: 3 records"

# 4096-byte sectors: each record takes one.
dd if=/dev/zero of=kv4k.img bs=4096 count=16 2>/dev/null
run_tender --block=kv4k.img --block-sector-size=4096 kv.elf set a 1
run_tender --block=kv4k.img --block-sector-size=4096 kv.elf set b 2
run_tender --block=kv4k.img --block-sector-size=4096 kv.elf list
expect_stdout "kv: 2 records, 8192 bytes"
expect_stdout "^b=2$"
pass "kv survives restarts and refuses corrupt records"
