# 63 block devices at once, each on its own file of its own size.
. ./lib.sh
args=""
i=1
while [ $i -le 63 ]; do
    dd if=/dev/zero of=many$i.img bs=4096 count=$i 2>/dev/null ||
        fail "cannot create many$i.img"
    args="$args --block:d$i=many$i.img"
    i=$((i + 1))
done
# shellcheck disable=SC2086 # one word per option
run_tender $args block_many.elf
expect_status 0
expect_stdout "many ok: 63 devices"
i=1
while [ $i -le 63 ]; do
    tag=$(printf 'tender device %02d first' $i)
    head -c 512 many$i.img | grep -q "$tag" || fail "many$i.img lacks '$tag'"
    tag=$(printf 'tender device %02d last' $i)
    tail -c 512 many$i.img | grep -q "$tag" || fail "many$i.img lacks '$tag'"
    i=$((i + 1))
done
rm -f many*.img
pass "63 block devices, each on its own file"
