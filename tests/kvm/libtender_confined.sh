# A libtender host runs VMs with the sandbox on, each on a thread that
# returns when its guest halts: thread exit must get past the filter.  And
# a stop request never signals a thread that has returned.
. ./lib.sh
./multi-vm confined 100 hello.elf >.confined 2>&1 ||
    fail "confined: $(cat .confined)"
cat .confined
grep -q "100 sandboxed threads" .confined || fail "confined: $(cat .confined)"
# Stop requests racing a guest's end, its thread's return and its join.
./multi-vm stop-race 200 hello.elf >.race 2>&1 || fail "stop-race: $(cat .race)"
cat .race
grep -q "200 runs stopped or halted" .race || fail "stop-race: $(cat .race)"
pass "sandboxed threads return, 100 times; stop requests race a thread's end"
