# podman (Debian 12's) with --runtime pointing at tender-oci: an image
# built offline, run --rm with the guest's output and status passing
# through, run -d -p with the UDP echo reached through the host's port,
# stop, rm; nothing left behind.
. ./engine_lib.sh
build_image
echo "ok: podman build (FROM scratch, COPY)"

$PODMAN run --rm --network none -e TENDER_NET=none localhost/tender-echo \
    /hello.elf from podman >.run.out 2>.run.err
st=$?
[ "$st" -eq 0 ] || fail "podman run hello: status $st: $(cat .run.out .run.err)"
grep -q "Hello from tender!" .run.out || fail "no hello: $(cat .run.out)"
grep -q "argv\[2\] = podman" .run.out || fail "no arguments: $(cat .run.out)"
$PODMAN run --rm --network none -e TENDER_NET=none localhost/tender-echo \
    /exit_status.elf 7 >.run.out 2>.run.err
st=$?
[ "$st" -eq 7 ] || fail "podman run exit_status.elf 7: status $st"
echo "ok: podman run --rm: output and status 7 pass through"

# -t: conmon hands tender-oci a console socket; the guest's console is a
# pty.
$PODMAN run --rm -t --network none -e TENDER_NET=none localhost/tender-echo \
    /hello.elf tty >.run.out 2>.run.err
st=$?
[ "$st" -eq 0 ] || fail "podman run -t: status $st: $(cat .run.out .run.err)"
grep -q "argv\[1\] = tty" .run.out || fail "podman run -t: $(cat .run.out)"
echo "ok: podman run -t: the guest's console on a pty"

# A bad image is refused with the runtime's own line.
$PODMAN run --rm --network none localhost/tender-echo /nothing.elf \
    >.run.out 2>.run.err && fail "podman ran /nothing.elf"
grep -q "process.args\[0\] /nothing.elf: No such file or directory" .run.err ||
    fail "no clear error: $(cat .run.err)"
echo "ok: a missing ELF: $(grep -o 'tender-oci: .*' .run.err | head -n 1)"

$PODMAN run -d --name echo1 -p 8080:7777/udp localhost/tender-echo \
    >.run.out 2>.run.err || fail "podman run -d: $(cat .run.err)"
i=0
until $PODMAN logs echo1 2>/dev/null | grep -q "echoing UDP port 7777"; do
    i=$((i + 1))
    [ $i -lt 60 ] || fail "udp-echo never started: $($PODMAN logs echo1 2>&1)"
    sleep 0.5
done
$PODMAN logs echo1 | grep -q "of 10.88.0.[0-9]*, mtu 1500" ||
    fail "the guest was not told its address: $($PODMAN logs echo1)"
./udp-echo-client 10.88.0.1 8080 100 1400 ||
    fail "no echo through the host's port 8080"
$PODMAN stop echo1 >/dev/null || fail "podman stop"
st=$($PODMAN inspect --format '{{.State.ExitCode}}' echo1)
[ "$st" = 143 ] || fail "stopped echo exited $st, not 143"
$PODMAN rm echo1 >/dev/null || fail "podman rm"
expect_engine_clean
pass "podman run -d -p 8080:7777/udp: echoed through the host's port; stop gives 143; nothing left"
