# Bad disks and bad block options: one clear line and status 240.
. ./lib.sh
dd if=/dev/zero of=ok.img bs=512 count=8 2>/dev/null
dd if=/dev/zero of=odd.img bs=1000 count=1 2>/dev/null
: >empty.img

run_tender --block=nosuch.img block_pattern.elf sizes
expect_status 240
expect_one_line_error "nosuch.img: No such file or directory"
mkdir -p adir
run_tender --block=adir block_pattern.elf sizes
expect_status 240
expect_one_line_error "adir: Is a directory"
run_tender --block=/dev/null block_pattern.elf sizes
expect_status 240
expect_one_line_error "/dev/null: not a regular file or block device"
run_tender --block=odd.img block_pattern.elf sizes
expect_status 240
expect_one_line_error "odd.img: its size (1000 bytes) is not a whole"
run_tender --block=empty.img block_pattern.elf sizes
expect_status 240
expect_one_line_error "empty.img: its size (0 bytes)"
run_tender --block=ok.img --block-sector-size=8192 block_pattern.elf sizes
expect_status 240
expect_one_line_error "not a whole, non-zero number of 8192-byte sectors"
for bad in 0 256 1000 4095 65536 99999999999999999999 abc 4k ""; do
    run_tender --block=ok.img "--block-sector-size=$bad" block_pattern.elf
    expect_status 240
    expect_one_line_error "the sector size must be a power of two from 512 to 32768"
done

run_tender block_pattern.elf sizes
expect_status 240
expect_one_line_error "declares block device 'disk' but no disk is given"
run_tender --block=ok.img hello.elf
expect_status 240
expect_one_line_error "--block=ok.img: the guest declares no block device"
run_tender --block:nosuch=ok.img block_pattern.elf
expect_status 240
expect_one_line_error "--block:nosuch=ok.img: the guest declares no device 'nosuch'"
run_tender --block-sector-size:nosuch=512 --block=ok.img block_pattern.elf
expect_status 240
expect_one_line_error "--block-sector-size:nosuch=512: the guest declares no device"
run_tender --block=ok.img --block=ok.img block_pattern.elf
expect_status 240
expect_one_line_error "device 'disk' already has a --block option"
run_tender --block=ok.img --block:disk=ok.img block_pattern.elf
expect_status 240
expect_one_line_error "--block:disk=ok.img: device 'disk' already has a --block option"
run_tender --block=ok.img block_many.elf
expect_status 240
expect_one_line_error "the guest declares 63 block devices: name one"
run_tender --block:disk=ok.img --block:net=ok.img block_hostile_net.elf
expect_status 240
expect_one_line_error "'net' is a network device, not a block device"

# One disk, one tender: a second one is refused while the first runs...
dd if=/dev/zero of=busy.img bs=1M count=4 2>/dev/null
./tender --block=busy.img kv.elf stream 1000000 >busy.log 2>&1 &
pid=$!
i=0
until grep -q '^flushed' busy.log; do
    i=$((i + 1))
    [ $i -le 300 ] || fail "the first tender did not start"
    sleep 0.1
done
run_tender --block=busy.img kv.elf list
expect_status 240
expect_one_line_error "busy.img is in use"
kill -9 $pid
wait $pid 2>/dev/null
# ... and accepted once it is gone.
run_tender --block=busy.img kv.elf list
expect_status 0
# The same file for two devices of one guest is refused too.
dd if=/dev/zero of=many1.img bs=4096 count=1 2>/dev/null
args=""
i=1
while [ $i -le 63 ]; do
    args="$args --block:d$i=many1.img"
    i=$((i + 1))
done
# shellcheck disable=SC2086 # one word per option
run_tender $args block_many.elf
expect_status 240
expect_one_line_error "many1.img is in use"

# A file the user may not write (tender runs unprivileged here).
kvm_mode=$(stat -c %a /dev/kvm)
trap 'chmod "$kvm_mode" /dev/kvm' EXIT
chmod 0666 /dev/kvm
cp ok.img readonly.img
chmod 0444 readonly.img
./runas 1000 ./tender --block=readonly.img block_pattern.elf sizes \
    >.o 2>.e
st=$?
err=$(cat .e)
expect_status 240
expect_one_line_error "readonly.img: Permission denied"
rm -f .o .e
pass "bad disks and block options are refused in one line"
