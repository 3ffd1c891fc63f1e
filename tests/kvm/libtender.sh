# libtender embedded in other programs: examples/embed, 8 guests at once,
# a stop request, and 1,000 VMs in a row without leaks.
. ./lib.sh
./embed hello.elf "argv[1] = embedded" embedded >.emb 2>&1 ||
    fail "embed: $(cat .emb)"
grep -q "embed: ok" .emb || fail "embed: $(cat .emb)"
./multi-vm parallel 8 exit_status.elf >.par 2>&1 ||
    fail "parallel: $(cat .par)"
grep -q "8 of 8 guests right" .par || fail "parallel: $(cat .par)"
./multi-vm stop loop_forever.elf >.stop 2>&1 || fail "stop: $(cat .stop)"
cat .stop
./multi-vm churn 1000 hello.elf >.churn 2>&1 || fail "churn: $(cat .churn)"
cat .churn
pass "libtender hosts"
