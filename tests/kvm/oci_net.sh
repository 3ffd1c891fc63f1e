# tender-oci's network: the engine's network namespace with a veth (made
# here as CNI would), a tap mirrored to it by tc, the guest told its
# address and MTU on its command line; UDP echoed from the host side.
# Then cgroup v2 limits on the VM process, and nothing left behind.
. ./oci_lib.sh
TC=/usr/sbin/tc
NS=/run/netns/ctr1

cleanup() {
    $IP netns delete ctr1 2>/dev/null
    $IP link delete veth-h 2>/dev/null
}
trap cleanup EXIT
mkdir -p /run/netns
$IP netns add ctr1 || fail "ip netns add"
$IP link add veth-h type veth peer name eth0 netns ctr1 || fail "veth"
$IP addr add 10.88.0.1/24 dev veth-h
$IP link set veth-h up
[ -e /proc/sys/net/ipv6/conf/veth-h/disable_ipv6 ] &&
    echo 1 >/proc/sys/net/ipv6/conf/veth-h/disable_ipv6
$IP -n ctr1 addr add 10.88.0.2/24 dev eth0
$IP -n ctr1 link set eth0 mtu 1400 up
$IP -n ctr1 link set lo up
$IP -n ctr1 route add default via 10.88.0.1

netns='"linux":{"namespaces":[{"type":"network","path":"'$NS'"}]}'
bundle b-echo udp-echo.elf '["/udp-echo.elf","{ip}","7777"]' \
    ",\"annotations\":{\"org.tender.net\":\"service\"},$netns"
oci_create echo b-echo
[ "$st" -eq 0 ] || fail "create echo: $err"
$IP -n ctr1 link show tender0 >/dev/null 2>&1 || fail "no tap in the namespace"
mac=$($IP -n ctr1 link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
grep -q "\"network\":\"10.88.0.2/24 via 10.88.0.1 mtu 1400 mac $mac\"" \
    "$OCI_ROOT/echo/state.json" ||
    fail "the guest's network is not the veth's: $(cat "$OCI_ROOT/echo/state.json")"
oci start echo
i=0
until grep -q "echoing UDP port 7777 of 10.88.0.2, mtu 1400" .out.echo; do
    i=$((i + 1))
    [ $i -lt 300 ] || fail "udp-echo never started: $(cat .out.echo .err.echo)"
    sleep 0.1
done
./udp-echo-client 10.88.0.2 7777 200 1372 ||
    fail "udp-echo-client through veth and tap failed"
$PING -c 1 -W 5 10.88.0.2 >/dev/null || fail "no ping reply through the veth"
oci kill echo
oci_wait_exit echo
[ "$st" -eq 143 ] || fail "udp-echo stopped by TERM exited $st"
oci delete echo
[ "$st" -eq 0 ] || fail "delete echo: $err"
$IP -n ctr1 link show tender0 >/dev/null 2>&1 && fail "the tap is left"
$IP netns exec ctr1 $TC qdisc show dev eth0 | grep -q ingress &&
    fail "the ingress qdisc is left on eth0"
echo "ok: UDP echoed through veth, tc mirred and the tap; address and MTU on the command line"

# kill -9 of the VM process: the tap goes with it; delete removes the rest.
oci_create e9 b-echo
oci start e9
pid=$(grep -o '"pid":[0-9]*' "$OCI_ROOT/e9/state.json" | cut -d: -f2)
kill -KILL "$pid"
oci_wait_exit e9
$IP -n ctr1 link show tender0 >/dev/null 2>&1 && fail "the tap outlived kill -9"
oci delete e9
[ "$st" -eq 0 ] || fail "delete e9: $err"
$IP netns exec ctr1 $TC qdisc show dev eth0 | grep -q ingress &&
    fail "the ingress qdisc is left after kill -9"
echo "ok: kill -9 leaves no tap, delete no qdisc"

# A network asked for where the namespace has only lo.
bundle b-nonet udp-echo.elf '["/udp-echo.elf","{ip}","7"]' \
    ',"annotations":{"org.tender.net":"service"},"linux":{"namespaces":[{"type":"network"}]}'
oci_create nonet b-nonet
[ "$st" -ne 0 ] || fail "create without an interface succeeded"
expect_one_line_error "network namespace has no interface but lo"
expect_nothing_left

# cgroup v2: the limits on the VM process, the cgroup gone after delete.
mkdir -p /sys/fs/cgroup
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts ||
    mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
bundle b-cg loop_forever.elf '["/loop_forever.elf"]' \
    ',"annotations":{"org.tender.mem":"32"},"linux":{"cgroupsPath":"/tender-test/cg1","resources":{"memory":{"limit":67108864},"pids":{"limit":16},"cpu":{"quota":50000,"period":100000}}}'
oci_create cg1 b-cg
[ "$st" -eq 0 ] || fail "create cg1: $err"
cg=/sys/fs/cgroup/tender-test/cg1
pid=$(grep -o '"pid":[0-9]*' "$OCI_ROOT/cg1/state.json" | cut -d: -f2)
grep -qx "$pid" $cg/cgroup.procs || fail "VM process $pid not in $cg"
[ "$(cat $cg/memory.max)" = 67108864 ] || fail "memory.max $(cat $cg/memory.max)"
[ "$(cat $cg/pids.max)" = 16 ] || fail "pids.max $(cat $cg/pids.max)"
[ "$(cat $cg/cpu.max)" = "50000 100000" ] || fail "cpu.max $(cat $cg/cpu.max)"
oci start cg1
expect_state cg1 running
oci delete --force cg1
[ "$st" -eq 0 ] || fail "delete cg1: $err"
[ -d $cg ] && fail "cgroup $cg is left"
rmdir /sys/fs/cgroup/tender-test
expect_nothing_left
pass "tender-oci network, kill -9 and cgroup limits"
