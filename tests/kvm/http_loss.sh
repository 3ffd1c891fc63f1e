# TCP under loss: tc netem drops 5% of the frames in each direction
# between the test host and the guest (the tap's egress, to the guest,
# directly; its ingress, from the guest, redirected through an ifb
# device), and a 1 MiB download from examples/http still arrives
# intact.
. ./lib.sh
CURL="/usr/bin/curl -sS --max-time 100"
TC=/usr/sbin/tc
tap_up tap0 10.0.0.1/24
start_tender --net=tap0 --block=site.img http.elf 10.0.0.2
wait_for_guest "http: serving"
$TC qdisc add dev tap0 root netem loss 5% || fail "tc netem on tap0 failed"
# Loading ifb makes ifb0 and ifb1.
$IP link show ifb0 >/dev/null 2>&1 || $IP link add ifb0 type ifb ||
    fail "no ifb device"
net_taps="$net_taps ifb0"
$IP link set ifb0 up || fail "ifb0 down"
$TC qdisc add dev tap0 handle ffff: ingress || fail "no ingress qdisc"
$TC filter add dev tap0 parent ffff: matchall \
    action mirred egress redirect dev ifb0 || fail "no redirect to ifb0"
$TC qdisc add dev ifb0 root netem loss 5% || fail "tc netem on ifb0 failed"
want=$(tar -xOf site.img ./1m.txt | md5sum)
for i in 1; do
    code=$($CURL -o .got -w '%{http_code}' http://10.0.0.2/1m.txt) ||
        fail "download $i: curl failed"
    [ "$code" = 200 ] || fail "download $i: status $code"
    [ "$(md5sum <.got)" = "$want" ] || fail "download $i: corrupt"
done
dropped() {
    $TC -s qdisc show dev "$1" | sed -nE 's/.*dropped ([0-9]+).*/\1/p' |
        head -n 1
}
to_guest=$(dropped tap0)
from_guest=$(dropped ifb0)
[ "${to_guest:-0}" -gt 0 ] || fail "netem dropped nothing to the guest"
[ "${from_guest:-0}" -gt 0 ] || fail "netem dropped nothing from the guest"
stop_tender
expect_status 246
pass "1 MiB intact, 5% loss: $to_guest frames to and $from_guest from the guest dropped"
