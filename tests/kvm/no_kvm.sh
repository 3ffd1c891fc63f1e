# Without /dev/kvm, or without permission on it: one clear line, 240.
. ./lib.sh
unshare -m sh -c 'mount -t tmpfs none /dev && ./tender raw_hvt.elf' \
    >.out 2>.err
st=$?
out=$(cat .out)
err=$(cat .err)
expect_status 240
expect_one_line_error "/dev/kvm does not exist"
# An unprivileged user needs a directory it may enter.
dir=$(mktemp -d /tmp/nokvm.XXXXXX)
chmod 755 "$dir"
cp tender raw_hvt.elf "$dir/"
chmod 755 "$dir/tender"
chmod 644 "$dir/raw_hvt.elf"
./runas 65534 "$dir/tender" "$dir/raw_hvt.elf" >.out 2>.err
st=$?
out=$(cat .out)
err=$(cat .err)
expect_status 240
rm -rf "$dir"
expect_one_line_error "no permission to open /dev/kvm"
pass "missing and forbidden /dev/kvm"
