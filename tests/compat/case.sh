# One case of scripts/compat, inside the KVM host: set up the host side,
# run one tender with one guest, do what the host has to do while it runs,
# and hand back what happened.
#
#   sh case.sh [STEP;STEP;...] -- TENDER [TENDER-ARGS...]
#
# STEP (the first argument, ";"-separated, spaces around ";" ignored; an
# empty string or no first argument before "--" for none):
#
#   set-up, before the tender starts:
#     tap:NAME:ADDR/PREFIX[:MTU]  a tap with the host's address (and MTU)
#     taps:N                      N taps t1..tN, up, no address; adds
#                                 --net:nI=tI to the tender's arguments
#     disk:FILE:BYTES             a file of BYTES zero bytes
#     mark:FILE:OFFSET:TEXT       TEXT written into FILE at byte OFFSET
#     disks:N                     files manyI.img of I x 4096 zero bytes;
#                                 adds --block:dI=manyI.img
#     longarg:NAME:N              adds the guest argument NAME=xxx...
#                                 (N x's) after the others
#     limit:SECONDS               stop the tender (SIGTERM) after this long
#                                 (default 60, as Solo5's own suite)
#   while it runs, in order:
#     wait:TEXT                   until the guest printed a line with TEXT
#     ping:COUNT:ADDR             ping -c COUNT -i 0.01 ADDR
#     flood:COUNT:ADDR[:PATTERN]  ping -fq -c COUNT [-p PATTERN] ADDR
#     udp:ADDR:PORT:COUNT:MAX     ./udp-echo-client ADDR PORT COUNT MAX
#     get:ADDR:PATH               curl http://ADDR/PATH: its status and size
#     stop                        SIGTERM the tender
#     exits                       KVM's exit counters (debugfs): the first
#                                 reads them, the second says how many VM
#                                 exits, and how many of them were I/O
#                                 exits (hypercalls and ring kicks), there
#                                 were between
#
# Output: the tender's stdout on stdout, its stderr on stderr, and lines
# "compat: ..." on stderr for what the host did (the ping summaries, a
# timeout). Exit status: the tender's; 125 with "compat: error: ..." when
# the host could not be set up (the tender did not run).
# POSIX sh: busybox sh runs it in the emulated host.

IP=/usr/bin/ip
PING=/usr/bin/ping
WORK=.compat.$$
limit=60
taps=
files=
tender_pid=
extra_args=
long_arg=

say() { echo "compat: $*" >&2; }

host_error() {
    say "error: $*"
    exit 125
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    [ -n "$tender_pid" ] && kill -KILL "$tender_pid" 2>/dev/null
    for t in $taps; do $IP link delete "$t" 2>/dev/null; done
    for f in $files; do rm -f "$f"; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# make_tap NAME [ADDR/PREFIX [MTU]], without IPv6: its chatter would reach
# (and wake) the guest.
make_tap() {
    $IP tuntap add "$1" mode tap || host_error "cannot create tap $1"
    taps="$taps $1"
    if [ -e "/proc/sys/net/ipv6/conf/$1/disable_ipv6" ]; then
        echo 1 >"/proc/sys/net/ipv6/conf/$1/disable_ipv6"
    fi
    if [ -n "$3" ]; then
        $IP link set "$1" mtu "$3" || host_error "cannot set MTU $3 on $1"
    fi
    if [ -n "$2" ]; then
        $IP addr add "$2" dev "$1" || host_error "cannot add $2 to $1"
    fi
    $IP link set "$1" up || host_error "cannot bring $1 up"
}

# make_file NAME BYTES: zeros, sparse (a zero-filled hole reads as zeros).
make_file() {
    rm -f "$1"
    dd if=/dev/zero of="$1" bs=1 count=0 seek="$2" 2>/dev/null ||
        host_error "cannot create $1 of $2 bytes"
    files="$files $1"
}

# field N TEXT: the N-th ":"-separated field of TEXT.
field() { echo "$2" | cut -d: -f"$1"; }

setup_step() {
    case $1 in
    tap:*) make_tap "$(field 2 "$1")" "$(field 3 "$1")" "$(field 4 "$1")" ;;
    taps:*)
        i=1
        while [ $i -le "${1#taps:}" ]; do
            make_tap t$i
            extra_args="$extra_args --net:n$i=t$i"
            i=$((i + 1))
        done
        ;;
    disk:*) make_file "$(field 2 "$1")" "$(field 3 "$1")" ;;
    mark:*)
        printf '%s' "$(echo "$1" | cut -d: -f4-)" |
            dd of="$(field 2 "$1")" bs=1 seek="$(field 3 "$1")" conv=notrunc \
                2>/dev/null || host_error "cannot write into $(field 2 "$1")"
        ;;
    disks:*)
        i=1
        while [ $i -le "${1#disks:}" ]; do
            make_file many$i.img $((i * 4096))
            extra_args="$extra_args --block:d$i=many$i.img"
            i=$((i + 1))
        done
        ;;
    longarg:*)
        long_arg="$(field 2 "$1")=$(printf "%$(field 3 "$1")s" '' | tr ' ' x)"
        ;;
    limit:*) limit=${1#limit:} ;;
    esac
}

# The lines of the guest's output that are complete: a guest line may come
# in several console writes, and half of one must not count.
complete_lines() {
    if [ -n "$(tail -c 1 "$WORK/out" 2>/dev/null)" ]; then
        sed '$d' "$WORK/out"
    else
        cat "$WORK/out" 2>/dev/null
    fi
}

# wait_for TEXT: 0 once the guest printed it, 1 if the tender ended first
# or the limit passed.
wait_for() {
    i=0
    until complete_lines | grep -q -- "$1"; do
        if ! kill -0 "$tender_pid" 2>/dev/null; then
            say "the tender ended before the guest printed '$1'"
            return 1
        fi
        i=$((i + 1))
        if [ $i -ge $((limit * 10)) ]; then
            say "the guest did not print '$1' within $limit s"
            return 1
        fi
        sleep 0.1
    done
}

# ping_summary ARGS...: ping, bounded by the limit; one line of its result.
ping_summary() {
    start=$(cut -d. -f1 /proc/uptime)
    timeout "$limit" $PING "$@" >"$WORK/ping" 2>&1
    rc=$?
    end=$(cut -d. -f1 /proc/uptime)
    say "ping $*: $(grep 'packets transmitted' "$WORK/ping" || tail -n 1 "$WORK/ping") (status $rc, $((end - start)) s)"
}

# action STEP: 1 when the steps after it make no sense any more.
action() {
    case $1 in
    wait:*) wait_for "${1#wait:}" || return 1 ;;
    ping:*) ping_summary -c "$(field 2 "$1")" -i 0.01 -W 5 "$(field 3 "$1")" ;;
    flood:*)
        pattern=$(field 4 "$1")
        if [ -n "$pattern" ]; then
            ping_summary -fq -c "$(field 2 "$1")" -p "$pattern" "$(field 3 "$1")"
        else
            ping_summary -fq -c "$(field 2 "$1")" "$(field 3 "$1")"
        fi
        ;;
    udp:*)
        timeout "$limit" ./udp-echo-client "$(field 2 "$1")" "$(field 3 "$1")" \
            "$(field 4 "$1")" "$(field 5 "$1")" >"$WORK/udp" 2>&1
        say "udp-echo-client (status $?): $(tail -n 1 "$WORK/udp")"
        ;;
    get:*)
        url=http://$(field 2 "$1")$(field 3 "$1")
        got=$(timeout "$limit" /usr/bin/curl -sS --max-time 20 -o "$WORK/body" \
            -w '%{http_code}' "$url" 2>&1)
        say "get $url: status $got, $(wc -c <"$WORK/body" 2>/dev/null || echo 0) bytes"
        ;;
    stop) kill -TERM "$tender_pid" 2>/dev/null ;;
    exits) count_exits ;;
    esac
    return 0
}

# count_exits: KVM's counters sum over the VMs that exist, so both reads
# fall while the tender runs.
exits_from=
count_exits() {
    mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
    e=$(cat /sys/kernel/debug/kvm/exits 2>/dev/null) || e=
    i=$(cat /sys/kernel/debug/kvm/io_exits 2>/dev/null) || i=
    if [ -z "$e" ] || [ -z "$i" ]; then
        say "error: no KVM exit counters in debugfs"
        return
    fi
    if [ -z "$exits_from" ]; then
        exits_from="$e $i"
        return
    fi
    set -- $exits_from
    say "exits: $((e - $1)) VM exits, $((i - $2)) I/O exits"
    exits_from=
}

# solo5-hvt maps guest memory as shared anonymous memory (MAP_SHARED |
# MAP_ANONYMOUS, no MAP_NORESERVE), which counts against the commit limit:
# 4096 MiB fail in the emulated host's 2 GiB under the default heuristic
# ("Error allocating guest memory"). That host is a throwaway VM
# (scripts/lib/initramfs.sh puts the batch in /batch), so allow overcommit
# there; a real machine's setting is never touched.
allow_overcommit() {
    if [ -f /batch/config ] && [ "$(pwd)" = /batch/files ]; then
        echo 1 >/proc/sys/vm/overcommit_memory
    fi
}

# A watchdog that stops a tender still running after the limit (TERM,
# then KILL 5 s later); it ends by itself within a second of the tender.
watchdog() {
    i=0
    while kill -0 "$tender_pid" 2>/dev/null; do
        if [ $i -eq "$limit" ]; then
            : >"$WORK/timed-out"
            kill -TERM "$tender_pid" 2>/dev/null
        elif [ $i -eq $((limit + 5)) ]; then
            kill -KILL "$tender_pid" 2>/dev/null
        fi
        sleep 1
        i=$((i + 1))
    done
}

main() {
    steps=
    if [ "$1" != -- ]; then
        steps=$1
        shift
    fi
    [ "$1" = -- ] || host_error "usage: sh case.sh [STEPS] -- TENDER [ARGS...]"
    shift
    tender=$1
    shift
    mkdir -p "$WORK"
    # Words of the steps: split on ";" only, spaces kept inside a step.
    echo "$steps" | tr ';' '\n' | sed 's/^ *//;s/ *$//;/^$/d' >"$WORK/steps"
    while IFS= read -r step; do
        setup_step "$step"
    done <"$WORK/steps"
    allow_overcommit
    [ -z "$long_arg" ] || set -- "$@" "$long_arg"
    # shellcheck disable=SC2086 # the added device options are separate words
    "$tender" $extra_args "$@" >"$WORK/out" 2>"$WORK/err" &
    tender_pid=$!
    watchdog &
    dog=$!
    while IFS= read -r step; do
        action "$step" || break
    done <"$WORK/steps"
    wait "$tender_pid"
    st=$?
    tender_pid=
    wait "$dog"
    [ -e "$WORK/timed-out" ] && say "timed out: the tender was still running after $limit s"
    cat "$WORK/out"
    cat "$WORK/err" >&2
    exit "$st"
}

main "$@"
