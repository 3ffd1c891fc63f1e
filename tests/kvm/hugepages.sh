# Guest memory is advised MADV_NOHUGEPAGE unless --hugepages is given: the
# kernel marks the mapping "nh" in its VmFlags (proc(5), smaps).
. ./lib.sh

# The VmFlags of the mapping of guest memory ("nr": MAP_NORESERVE, which
# only guest memory has) in the smaps of process $1.
guest_vmflags() {
    awk '/^[0-9a-f]+-[0-9a-f]+ /{flags=""} /^VmFlags:/{if ($0 ~ / nr/) print}' \
        "/proc/$1/smaps"
}

start_tender --mem=64 loop_forever.elf
wait_for_guest looping
flags=$(guest_vmflags "$tender_pid")
stop_tender
[ -n "$flags" ] || fail "no MAP_NORESERVE mapping (guest memory) in smaps"
echo "$flags" | grep -q " nh" || fail "guest memory not MADV_NOHUGEPAGE: $flags"

start_tender --mem=64 --hugepages loop_forever.elf
wait_for_guest looping
flags=$(guest_vmflags "$tender_pid")
stop_tender
[ -n "$flags" ] || fail "no MAP_NORESERVE mapping (guest memory) in smaps"
echo "$flags" | grep -q " nh" && fail "--hugepages: guest memory still nh: $flags"
pass "guest memory without huge pages by default, with them on --hugepages"
