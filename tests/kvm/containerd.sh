# containerd (Debian 12's) with ctr run --runc-binary tender-oci: the
# image podman built, imported; the guest's status passes through the
# runc shim; the runtime's error reaches ctr through --log-format json.
. ./engine_lib.sh
build_image
$PODMAN save --format oci-archive -o .image.tar localhost/tender-echo \
    >/dev/null 2>&1 || fail "podman save"
mkdir -p /tmp/ctrd
cat >/tmp/ctrd/config.toml <<'TOML'
version = 2
root = "/tmp/ctrd/root"
state = "/tmp/ctrd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "/tmp/ctrd/sock"
TOML
/usr/bin/containerd --config /tmp/ctrd/config.toml >/tmp/ctrd/log 2>&1 &
ctrd=$!
trap 'kill $ctrd 2>/dev/null' EXIT
i=0
until [ -S /tmp/ctrd/sock ]; do
    i=$((i + 1))
    [ $i -lt 150 ] || fail "containerd did not start: $(cat /tmp/ctrd/log)"
    sleep 0.2
done
CTR="/usr/bin/ctr -a /tmp/ctrd/sock"
$CTR images import --base-name localhost/tender-echo .image.tar >/dev/null ||
    fail "ctr images import"
$CTR run --rm --snapshotter native --runc-binary "$RUNTIME" \
    --env TENDER_NET=none localhost/tender-echo:latest c1 /hello.elf ctr \
    >.ctr.out 2>.ctr.err
st=$?
[ "$st" -eq 0 ] || fail "ctr run hello: $st: $(cat .ctr.out .ctr.err)"
grep -q "argv\[1\] = ctr" .ctr.out || fail "ctr run hello: $(cat .ctr.out)"
$CTR run --rm --snapshotter native --runc-binary "$RUNTIME" \
    --env TENDER_NET=none localhost/tender-echo:latest c2 /exit_status.elf 7 \
    >.ctr.out 2>.ctr.err
st=$?
[ "$st" -eq 7 ] || fail "ctr run exit_status.elf 7: $st: $(cat .ctr.err)"
echo "ok: ctr run --runc-binary: output and status 7 pass through"
# No interface in ctr's fresh network namespace: tender-oci's error.
$CTR run --rm --snapshotter native --runc-binary "$RUNTIME" \
    localhost/tender-echo:latest c3 >.ctr.out 2>.ctr.err &&
    fail "ctr ran a network guest without a network"
grep -q "network namespace has no interface but lo" .ctr.err ||
    fail "ctr did not pass the runtime's error on: $(cat .ctr.err)"
echo "ok: $(cat .ctr.err)"
left=$(ls -A /run/tender-oci 2>/dev/null)
[ -z "$left" ] || fail "left in /run/tender-oci: $left"
pass "containerd's runc shim on tender-oci"
