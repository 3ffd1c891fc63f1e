# Shared by the KVM tests.  Each test is a POSIX sh script (busybox sh in
# the emulated host) run from the directory that holds ./tender and the
# guest ELF files; it exits 0 when every assertion held.

fail() {
    echo "FAIL: $*"
    exit 1
}

# Run ./tender with the given arguments; leaves $st, $out and $err.
run_tender() {
    ./tender "$@" >.out.$$ 2>.err.$$
    st=$?
    out=$(cat .out.$$)
    err=$(cat .err.$$)
    rm -f .out.$$ .err.$$
}

expect_status() {
    [ "$st" -eq "$1" ] ||
        fail "exit status $st, expected $1 (stdout: $out) (stderr: $err)"
}

expect_stdout() {
    printf '%s\n' "$out" | grep -q -- "$1" ||
        fail "stdout lacks '$1' (stdout: $out) (stderr: $err)"
}

expect_stderr() {
    printf '%s\n' "$err" | grep -q -- "$1" ||
        fail "stderr lacks '$1' (stdout: $out) (stderr: $err)"
}

# stderr must be exactly one line: errors are one clear line.
expect_one_line_error() {
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] ||
        fail "expected one line on stderr, got: $err"
    expect_stderr "$1"
}

pass() {
    echo "ok: $*"
    exit 0
}
