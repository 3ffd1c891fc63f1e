# A libtender host runs VMs with the sandbox on, each on a thread that
# returns when its guest halts: thread exit must get past the filter.
. ./lib.sh
./multi-vm confined 100 hello.elf >.confined 2>&1 ||
    fail "confined: $(cat .confined)"
cat .confined
grep -q "100 sandboxed threads" .confined || fail "confined: $(cat .confined)"
pass "sandboxed threads return, 100 times"
