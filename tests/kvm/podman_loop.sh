# 20 containers with podman's network (a veth each, so a tap and tc
# filters each) started and stopped in a row: nothing left behind (state
# directories, processes, namespaces, veths).
. ./engine_lib.sh
build_image
n=0
while [ $n -lt 20 ]; do
    n=$((n + 1))
    # udp-echo.elf without its arguments says how to use it and exits 2
    # once its network device is attached.
    $PODMAN run --rm localhost/tender-echo /udp-echo.elf >.run.out 2>.run.err
    st=$?
    [ "$st" -eq 2 ] || fail "run $n: status $st: $(cat .run.out .run.err)"
    grep -q "usage: udp-echo.elf" .run.out || fail "run $n: $(cat .run.out)"
done
expect_engine_clean
pass "20 containers with a network run and removed; nothing left"
