# tender-oci's life cycle (runtime-spec 1.0): create, start, state, kill,
# delete of hello and of a guest that loops, the guest's status passing
# through, and every illegal transition refused with the spec's error.
. ./oci_lib.sh

# hello: output and status pass through; the pid file names the process.
bundle b-hello hello.elf '["/hello.elf","one","two"]'
oci_create hello b-hello --pid-file "$PWD/.pid.hello"
[ "$st" -eq 0 ] || fail "create hello: status $st: $err"
expect_state hello created
pid=$(cat .pid.hello)
printf '%s\n' "$out" | grep -q "\"pid\": $pid," || fail "pid file $pid, state: $out"
oci start hello
[ "$st" -eq 0 ] || fail "start hello: $err"
oci_wait_exit hello
[ "$st" -eq 0 ] || fail "hello exited $st: $err"
expect_stdout "Hello from tender!"
expect_stdout "argv\[2\] = two"
expect_state hello stopped
oci start hello
expect_refused "cannot start a container that has stopped"
oci kill hello
expect_refused "cannot kill a container that is not running"
oci delete hello
[ "$st" -eq 0 ] || fail "delete hello: $err"
oci state hello
expect_refused "container hello does not exist"
oci delete hello
expect_refused "container hello does not exist"
oci delete --force hello
[ "$st" -eq 0 ] || fail "delete --force of nothing (as runc): $err"
echo "ok: hello: created, running, stopped with status 0 and its output"

# The guest's own status is the process's.
bundle b-st exit_status.elf '["/exit_status.elf","7"]'
oci_create st7 b-st
oci start st7
oci_wait_exit st7
[ "$st" -eq 7 ] || fail "exit_status.elf 7 exited $st"
oci delete st7
echo "ok: the guest's status 7 passes through"

# A looping guest: start twice, delete while running, kill, kill again.
bundle b-loop loop_forever.elf '["/loop_forever.elf"]'
oci_create loop b-loop
[ "$st" -eq 0 ] || fail "create loop: $err"
oci create --bundle b-loop loop
expect_refused "container loop already exists"
oci start loop
[ "$st" -eq 0 ] || fail "start loop: $err"
expect_state loop running
oci start loop
expect_refused "cannot start a container that is running"
oci delete loop
expect_refused "cannot delete a container that is running"
expect_state loop running
oci kill loop TERM
[ "$st" -eq 0 ] || fail "kill loop: $err"
oci_wait_exit loop
[ "$st" -eq 143 ] || fail "loop stopped by TERM exited $st, not 143: $err"
expect_state loop stopped
oci kill loop KILL
expect_refused "cannot kill a container that is not running"
oci delete loop
[ "$st" -eq 0 ] || fail "delete loop: $err"
echo "ok: loop: start twice, delete running, kill stopped refused; TERM gives 143"

# A created container can be killed before it starts, and not started
# after; delete of a created one is refused without --force.
oci_create c2 b-loop
oci delete c2
expect_refused "cannot delete a container that is created"
oci kill c2 SIGINT
oci_wait_exit c2
[ "$st" -eq 130 ] || fail "created container killed by INT exited $st"
oci start c2
expect_refused "cannot start a container that has stopped"
oci delete c2
echo "ok: a created container killed before start"

# delete --force of a running one; kill -9 of the VM process.
oci_create f b-loop
oci start f
oci delete --force f
[ "$st" -eq 0 ] || fail "delete --force: $err"
oci_wait_exit f
[ "$st" -eq 137 ] || fail "delete --force: the process exited $st"
oci_create k9 b-loop
oci start k9
pid=$(grep -o '"pid":[0-9]*' "$OCI_ROOT/k9/state.json" | cut -d: -f2)
kill -KILL "$pid" || fail "no VM process $pid to kill"
oci_wait_exit k9
expect_state k9 stopped
oci delete k9
[ "$st" -eq 0 ] || fail "delete after kill -9: $err"
echo "ok: delete --force, and delete after kill -9 of the VM process"

# A create killed half way leaves a directory without state.json: it is
# stopped, and delete removes it.
mkdir -p "$OCI_ROOT/half"
expect_state half stopped
oci delete half
[ "$st" -eq 0 ] || fail "delete of a half-made container: $err"

# A disk through a bind mount (org.tender.block names a path in the
# container): a key set by one container is read by the next.
rm -rf kvdata
mkdir kvdata
dd if=/dev/zero of=kvdata/kv.img bs=1M count=4 2>/dev/null
mnt=',"mounts":[{"destination":"/data","type":"bind","source":"'$PWD'/kvdata","options":["rbind"]}],"annotations":{"org.tender.block":"storage=/data/kv.img"}'
bundle b-kv kv.elf '["/kv.elf","set","colour","blue"]' "$mnt"
oci_create kv1 b-kv
[ "$st" -eq 0 ] || fail "create kv1: $err"
oci start kv1
oci_wait_exit kv1
[ "$st" -eq 0 ] || fail "kv set exited $st: $out $err"
oci delete kv1
bundle b-kv kv.elf '["/kv.elf","get","colour"]' "$mnt"
oci_create kv2 b-kv
oci start kv2
oci_wait_exit kv2
[ "$st" -eq 0 ] || fail "kv get exited $st: $out $err"
expect_stdout "colour=blue"
oci delete kv2
echo "ok: a disk from a bind mount, kept from one container to the next"

# A Kubernetes pod's sandbox (the pause image, not a unikernel): no VM,
# a process that holds the namespaces until it is killed.
bundle b-pod "" '["/pause"]' \
    ',"annotations":{"io.kubernetes.cri.container-type":"sandbox"},"linux":{"namespaces":[{"type":"network"}]}'
oci_create pod b-pod
[ "$st" -eq 0 ] || fail "create of a pod sandbox: $err"
oci start pod
expect_state pod running
oci kill pod
oci_wait_exit pod
[ "$st" -eq 0 ] || fail "pod sandbox exited $st"
oci delete pod
echo "ok: a pod's sandbox holds its namespaces without a VM"

# list, --log-format json
oci_create l1 b-loop
oci list
printf '%s\n' "$out" | grep -q "^l1 .* created " || fail "list: $out"
oci list --format json
printf '%s\n' "$out" | grep -q '"id": "l1"' || fail "list json: $out"
oci delete --force l1
./tender-oci --root "$OCI_ROOT" --log "$PWD/.log.json" --log-format json \
    start nosuch 2>/dev/null && fail "start nosuch succeeded"
grep -q '^{"level":"error","msg":"container nosuch does not exist","time":"' \
    .log.json || fail "json log: $(cat .log.json)"
sleep 0.2
expect_nothing_left
pass "tender-oci life cycle"
