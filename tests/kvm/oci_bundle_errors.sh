# tender-oci refuses a bad bundle with one clear line naming what is wrong,
# and leaves nothing behind.
. ./oci_lib.sh

refused() { # refused WHAT: create of bundle b failed naming WHAT
    oci_create bad b
    [ "$st" -ne 0 ] || fail "create accepted a bad bundle ($1)"
    expect_one_line_error "$1"
    expect_nothing_left
}

bundle b "" '["/app.elf"]'
refused "process.args\[0\] /app.elf: No such file or directory"
bundle b "" '["/app.elf"]'
echo "not an ELF" >b/rootfs/app.elf
refused "process.args\[0\] /app.elf is not an hvt unikernel tender can run: .*not an ELF"
bundle b "" '["/app.elf"]'
cp ./oci-reaper b/rootfs/app.elf
refused "process.args\[0\] /app.elf is not an hvt unikernel tender can run"
bundle b hello.elf '["/hello.elf"]' ',"annotations":{"org.tender.memory":"64"}'
refused "annotation org.tender.memory: unknown"
bundle b hello.elf '["/hello.elf"]' ',"annotations":{"org.tender.mem":"lots"}'
refused "org.tender.mem / TENDER_MEM 'lots': not a number"
bundle b hello.elf '["/hello.elf"]' ',"annotations":{"org.tender.block":"/disk.img"}'
refused "block device /disk.img: No such file or directory"
bundle b hello.elf '["/hello.elf"]' ',"annotations":{"org.tender.block":"../../etc/passwd"}'
refused "'..' is not allowed"
bundle b hello.elf '["/hello.elf"]'
ln -s /proc/version b/rootfs/out.elf
bundle_args='["/out.elf"]'
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":%s}}' \
    "$bundle_args" >b/config.json
refused "process.args\[0\] /out.elf: leads out of the root filesystem"
bundle b hello.elf '[]'
refused "process.args is empty"
bundle b hello.elf '["/hello.elf"]'
echo '{"ociVersion":"1.0.2",' >b/config.json
refused "config.json: .* at byte"
# The guest declares no block device: libtender's refusal, after the VM
# process started, still leaves nothing.
bundle b hello.elf '["/hello.elf"]' ',"annotations":{"org.tender.block":"/disk.img"}'
dd if=/dev/zero of=b/rootfs/disk.img bs=512 count=8 2>/dev/null
refused "/hello.elf: --block=.*declares no block device"
# {ip} without a network for the guest.
bundle b hello.elf '["/hello.elf","{ip}"]'
refused "process.args uses {ip}, but the container has no network"
oci create --bundle b "bad/id"
expect_refused "bad container ID"
pass "bad bundles refused with one line, nothing left behind"
