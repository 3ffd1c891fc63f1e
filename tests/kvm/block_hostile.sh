# A hostile guest's bad block requests: each one EINVAL, the monitor keeps
# serving, and the disk file is unchanged.
. ./lib.sh
dd if=/dev/urandom of=hostile.img bs=512 count=64 2>/dev/null ||
    fail "cannot create the disk image"
before=$(md5sum <hostile.img)

run_tender --block=hostile.img block_hostile.elf
expect_status 0
expect_stdout "hostile ok"
[ -z "$err" ] || fail "unexpected stderr: $err"
[ "$(md5sum <hostile.img)" = "$before" ] || fail "the disk changed"

run_tender --block=hostile.img --block-sector-size=4096 --mem=4 \
    block_hostile.elf
expect_status 0
expect_stdout "hostile ok"
[ "$(md5sum <hostile.img)" = "$before" ] || fail "the disk changed (4096)"

# With a network device as well, its handle is refused too.  No tap is
# a failure, not a reason to skip this part.
[ -x "$IP" ] || fail "no $IP in the test host: cannot make the tap"
tap_up tapblk0 10.99.0.1/24
run_tender --block=hostile.img --net=tapblk0 block_hostile_net.elf
expect_status 0
expect_stdout "hostile ok"
[ "$(md5sum <hostile.img)" = "$before" ] || fail "the disk changed (net)"
pass "bad block requests get EINVAL and change nothing, a network handle too"
