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

# --- network tests: a tap inside the test host, a guest in the background ---
IP=/usr/bin/ip
PING=/usr/bin/ping

# tap_up NAME HOST-ADDR/PREFIX [MTU]: a tap with the test host's address,
# without IPv6, whose chatter would reach (and wake) the guest.
tap_up() {
    $IP tuntap add "$1" mode tap || fail "cannot create tap $1"
    net_taps="$net_taps $1"
    if [ -e "/proc/sys/net/ipv6/conf/$1/disable_ipv6" ]; then
        echo 1 >"/proc/sys/net/ipv6/conf/$1/disable_ipv6"
    fi
    if [ -n "$3" ]; then
        $IP link set "$1" mtu "$3" || fail "cannot set MTU $3 on $1"
    fi
    $IP addr add "$2" dev "$1" || fail "cannot add $2 to $1"
    $IP link set "$1" up || fail "cannot bring $1 up"
}

# Whatever happens, the next test finds no tender running and no tap.
net_cleanup() {
    [ -n "$tender_pid" ] && kill -TERM "$tender_pid" 2>/dev/null
    for t in $net_taps; do $IP link delete "$t" 2>/dev/null; done
}
trap net_cleanup EXIT

# start_tender ARGS...: ./tender in the background, as $tender_pid.
start_tender() {
    ./tender "$@" >.tender.out 2>.tender.err &
    tender_pid=$!
}

# wait_for_guest TEXT: until the guest prints TEXT (30 s at most).
# The lines of file $1 that are complete: a guest line may arrive in several
# console writes, and a test must not read one half-written.
complete_lines() {
    if [ -n "$(tail -c 1 "$1" 2>/dev/null)" ]; then
        sed '$d' "$1"
    else
        cat "$1" 2>/dev/null
    fi
}

wait_for_guest() {
    i=0
    until complete_lines .tender.out | grep -q -- "$1"; do
        kill -0 "$tender_pid" 2>/dev/null ||
            fail "tender ended before '$1': $(cat .tender.out .tender.err)"
        i=$((i + 1))
        [ $i -lt 300 ] || fail "the guest never printed '$1'"
        sleep 0.1
    done
}

# stop_tender: SIGTERM and wait; leaves $st, $out and $err.
stop_tender() {
    kill -TERM "$tender_pid" 2>/dev/null
    wait "$tender_pid"
    st=$?
    tender_pid=
    out=$(cat .tender.out)
    err=$(cat .tender.err)
}

# wait_tender: wait for a guest that ends by itself; $st, $out and $err.
wait_tender() {
    wait "$tender_pid"
    st=$?
    tender_pid=
    out=$(cat .tender.out)
    err=$(cat .tender.err)
}

# --- gdb tests: tender --gdb in the background, gdb in batch mode ---
# scripts/test puts the few Python modules gdb needs to start in ./pyhome.
if [ -d pyhome ]; then
    GDB="env PYTHONHOME=$PWD/pyhome /usr/bin/gdb -nx -batch -data-directory $PWD/pyhome/gdb"
else
    GDB="/usr/bin/gdb -nx -batch"
fi

# wait_for_gdb_port: until tender says it listens (10 s at most).
wait_for_gdb_port() {
    i=0
    until grep -q "waiting for gdb" .tender.err 2>/dev/null; do
        kill -0 "$tender_pid" 2>/dev/null ||
            fail "tender ended before listening: $(cat .tender.err)"
        i=$((i + 1))
        [ $i -lt 100 ] || fail "tender never listened for gdb"
        sleep 0.1
    done
}

# expect_gdb TEXT: gdb's output (.gdb.out) has TEXT.
expect_gdb() {
    grep -q -- "$1" .gdb.out || fail "gdb output lacks '$1': $(cat .gdb.out)"
}

# wait_debugged_tender: wait_tender, but a tender still waiting for a gdb
# that died is killed (10 s at most) and the test fails.
wait_debugged_tender() {
    i=0
    while kill -0 "$tender_pid" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -ge 100 ]; then
            kill -KILL "$tender_pid"
            fail "tender still runs after gdb: $(cat .gdb.out)"
        fi
        sleep 0.1
    done
    wait_tender
}

# The running tender (start_tender) has N threads, each under a seccomp
# filter.
expect_threads_confined() { # N
    n=0
    for t in /proc/$tender_pid/task/*; do
        grep -q '^Seccomp:[[:space:]]*2' "$t/status" ||
            fail "thread ${t##*/} is not under a seccomp filter"
        n=$((n + 1))
    done
    [ $n -eq "$1" ] || fail "$n threads, expected $1"
}
