# Shared by the tender-oci tests (tests/kvm/oci_*.sh): bundles, and
# create under ./oci-reaper (a subreaper, as conmon and containerd's shim
# are) so that the VM process's exit status can be read.
. ./lib.sh

OCI_ROOT=$PWD/.oci-root
OCI="./tender-oci --root $OCI_ROOT"

# bundle DIR ELF ARGS-JSON [EXTRA-JSON]: DIR/rootfs with ELF copied in,
# DIR/config.json running it with process.args ARGS-JSON.
bundle() {
    rm -rf "$1"
    mkdir -p "$1/rootfs"
    [ -n "$2" ] && cp "$2" "$1/rootfs/"
    printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"terminal":false,"cwd":"/","args":%s,"env":["PATH=/"]}%s}\n' \
        "$3" "$4" >"$1/config.json"
}

# oci ARGS...: tender-oci with ARGS; leaves $st, $out and $err.
oci() {
    $OCI "$@" >.oci.out 2>.oci.err
    st=$?
    out=$(cat .oci.out)
    err=$(cat .oci.err)
}

# oci_create ID BUNDLE [ARGS...]: create under the reaper, in the
# background; waits for create to end and leaves its status in $st.
oci_create() {
    id=$1
    b=$2
    shift 2
    rm -f ".reap.$id" ".out.$id" ".err.$id"
    ./oci-reaper "$PWD/.reap.$id" ./tender-oci --root "$OCI_ROOT" create \
        --bundle "$b" "$@" "$id" >".out.$id" 2>".err.$id" &
    i=0
    until grep -q "^create " ".reap.$id" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 300 ] || fail "create $id did not end"
        sleep 0.1
    done
    st=$(sed -n 's/^create //p' ".reap.$id")
    err=$(cat ".err.$id")
}

# oci_wait_exit ID: the VM process's exit status, as $st (30 s at most).
oci_wait_exit() {
    i=0
    until grep -q "^exit " ".reap.$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 300 ] || fail "container $1 did not exit"
        sleep 0.1
    done
    st=$(sed -n 's/^exit //p' ".reap.$1")
    out=$(cat ".out.$1")
    err=$(cat ".err.$1")
}

# expect_state ID STATUS
expect_state() {
    oci state "$1"
    [ "$st" -eq 0 ] || fail "state $1: status $st ($err)"
    printf '%s\n' "$out" | grep -q "\"status\": \"$2\"" ||
        fail "state $1 is not $2: $out"
}

# expect_refused WHAT: the last oci call failed with one line naming WHAT.
expect_refused() {
    [ "$st" -ne 0 ] || fail "tender-oci accepted what it should refuse ($1)"
    expect_one_line_error "$1"
}

# Nothing left: no state directory, no VM process.
expect_nothing_left() {
    left=$(ls -A "$OCI_ROOT" 2>/dev/null)
    [ -z "$left" ] || fail "left in the state root: $left"
    # busybox ps shows the command line
    ps -o pid,args 2>/dev/null | grep "[t]ender-oci" | grep -v " state \| list" &&
        fail "a tender-oci process is left"
    return 0
}
