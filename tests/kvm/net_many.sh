# 63 NICs on 63 taps, the most a manifest holds: all attached, each takes
# a frame (counted on its tap).
. ./lib.sh
args=
i=1
while [ $i -le 63 ]; do
    $IP tuntap add t$i mode tap || fail "cannot create tap t$i"
    net_taps="$net_taps t$i"
    $IP link set t$i up
    args="$args --net:n$i=t$i"
    i=$((i + 1))
done
# shellcheck disable=SC2086 # one word per option
run_tender $args net_many.elf
expect_status 0
expect_stdout "63 of 63 devices work"
i=1
while [ $i -le 63 ]; do
    [ "$(cat /sys/class/net/t$i/statistics/rx_packets)" -ge 1 ] ||
        fail "no frame reached t$i"
    i=$((i + 1))
done
pass "63 NICs"
