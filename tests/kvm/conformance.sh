# The ABI conformance suite (docs/abi.md): every conformance guest and
# every hostile case, against one tender; TAP on stdout, then the plan and
# "N passed, N failed" (", N skipped" added when some were); exit 1 if
# anything failed.
#
#   sh conformance.sh [TENDER]        (default ./tender)
#
# Run it as root (taps, a small tmpfs) in the folder that holds the
# conf_*.elf guests: scripts/conformance and scripts/test do. Expectations
# that only our tender meets (its exit statuses and stderr lines, rules S*
# in docs/abi.md) are checked when TENDER's --version starts "tender ";
# with any other hvt v2 tender only what the ABI requires is judged, and
# the checks of tender-only rules (its extensions, its stricter answers,
# what other tenders really do otherwise) are skipped with a reason:
# "ok N - ... # SKIP tender-only: REASON", not counted as passes.  Any
# other skip is a failure: a suite that could not set up its tap or disk
# has not checked what it claims.
# POSIX sh: busybox sh runs it in the emulated host.

TENDER=${1:-./tender}
case $TENDER in
*/*) ;;
*) TENDER=./$TENDER ;;
esac
MEM=64
TAP_IF=tconf0
WORK=.conformance
total=0
passed=0
failed=0
skipped=0

ours=0
"$TENDER" --version 2>/dev/null | grep -q '^tender ' && ours=1

# report ok|fail|skip TEXT: one TAP line, numbered here.  A skip's TEXT
# ends in "# SKIP tender-only: REASON".
report() {
    total=$((total + 1))
    case $1 in
    ok)
        passed=$((passed + 1))
        echo "ok $total - $2"
        ;;
    skip)
        skipped=$((skipped + 1))
        echo "ok $total - $2"
        ;;
    *)
        failed=$((failed + 1))
        echo "not ok $total - $2"
        ;;
    esac
}

# tender_only RULE TEXT REASON: with another tender, skip the check here
# (return 0); with ours, return 1 and let the caller check.
tender_only() {
    [ $ours = 1 ] && return 1
    report skip "$1 $2 # SKIP tender-only: $3"
}

# run ARGS...: the tender with a time limit; $st, files $WORK/out, $WORK/err.
run() {
    timeout 120 "$TENDER" "$@" >"$WORK/out" 2>"$WORK/err"
    st=$?
}

first_err_line() {
    head -n 1 "$WORK/err" | cut -c 1-160
}

# relay: the guest's TAP lines from $WORK/out, renumbered.  A guest skips
# only tender-only checks, and only for another tender; any other skip
# fails.
relay() {
    while IFS= read -r line; do
        case $line in
        "ok "*"# SKIP tender-only: "*)
            if [ $ours = 0 ]; then
                report skip "${line#ok * - }"
            else
                report fail "$(echo "${line#ok * - }" | sed 's/ *# SKIP */ (skipped on tender itself: /;s/$/)/')"
            fi
            ;;
        "ok "*"# SKIP"*)
            report fail "$(echo "${line#ok * - }" | sed 's/ *# SKIP */ (skipped: /;s/$/)/')"
            ;;
        "ok "*) report ok "${line#ok * - }" ;;
        "not ok "*) report fail "${line#not ok * - }" ;;
        "Bail out!"*) report fail "$line" ;;
        "#"*) echo "$line" ;;
        esac
    done <"$WORK/out"
}

# guest LABEL ARGS...: run a guest that prints TAP and halts with 0.
guest() {
    label=$1
    shift
    run "$@"
    relay
    [ "$st" -eq 0 ] ||
        report fail "$label ended with status $st ($(first_err_line))"
}

# --- devices: a disk, a too-small disk and a tap ---

have_devices=0
eunspec=
ours_arg=
[ $ours = 1 ] && ours_arg=ours=1

make_tap() {
    ip tuntap add "$TAP_IF" mode tap 2>/dev/null ||
        tunctl -t "$TAP_IF" >/dev/null 2>&1 ||
        busybox tunctl -t "$TAP_IF" >/dev/null 2>&1
}

delete_tap() {
    ip tuntap del "$TAP_IF" mode tap 2>/dev/null ||
        tunctl -d "$TAP_IF" >/dev/null 2>&1 ||
        busybox tunctl -d "$TAP_IF" >/dev/null 2>&1
}

setup_devices() {
    dd if=/dev/zero of="$WORK/disk.img" bs=1024 count=1024 2>/dev/null
    printf 'tender-conformance-marker' |
        dd of="$WORK/disk.img" bs=1 seek=512 conv=notrunc 2>/dev/null
    mkdir -p "$WORK/small"
    # A 1 MiB file on 64 KiB of tmpfs: writes past 64 KiB fail (EUNSPEC).
    if mount -t tmpfs -o size=64k tmpfs "$WORK/small" 2>/dev/null; then
        eunspec=eunspec=1
    fi
    dd if=/dev/zero of="$WORK/small/small.img" bs=1 count=0 seek=1048576 \
        2>/dev/null
    make_tap || return 1
    if [ -e "/proc/sys/net/ipv6/conf/$TAP_IF/disable_ipv6" ]; then
        echo 1 >"/proc/sys/net/ipv6/conf/$TAP_IF/disable_ipv6"
    fi
    ip addr add 10.77.0.1/24 dev "$TAP_IF" && ip link set "$TAP_IF" up &&
        have_devices=1
}

cleanup() {
    delete_tap
    umount "$WORK/small" 2>/dev/null
}

DISK_ARGS="--block:disk=$WORK/disk.img --net:nic=$TAP_IF"

# --- the conformance guests ---

entry_guest() {
    guest conf_entry.elf --mem=$MEM conf_entry.elf mem=$MEM x=1 y=two
}

# How late this test host itself wakes from sleeps like the guest's POLLs
# (10, 100 and 300 ms), right now; K3 allows the guest twice that, plus a
# margin for its exits.  In microseconds.
poll_lateness_us() {
    ./sleep-lateness 10000 5 100000 3 300000 2 |
        awk '$4 > m { m = $4 } END { print 2 * m + 20000 }'
}

hcall_guest() {
    late=$(poll_lateness_us)
    # The command line is 8191 bytes in all (I4): "check late=N long=x...".
    fill=$((8191 - ${#late} - 17))
    long=$(printf "%${fill}s" '' | tr ' ' x)
    guest conf_hcall.elf --mem=$MEM conf_hcall.elf check "late=$late" \
        "long=$long"
    # What the guest's PUTS calls wrote, as hcall.c says it must read.
    line=$(grep 'between the brackets' "$WORK/out" | cut -c 1-80)
    if [ "$line" = "# PUTS of length 0 between the brackets: []" ]; then
        report ok "H2 PUTS of length 0 returns and writes nothing"
    else
        report fail "H2 PUTS of length 0 returns and writes nothing: '$line'"
    fi
    want="# PUTS from the read-only low area follows: $(echo "check late=$late long=$long" | cut -c 1-40)"
    if grep -qxF "$want" "$WORK/out"; then
        report ok "H2 PUTS of data in the read-only low area (the command line) is served"
    else
        report fail "H2 PUTS of data in the read-only low area is served: '$(grep 'low area follows' "$WORK/out" | cut -c 1-100)'"
    fi
}

dev_guest() {
    if [ $have_devices = 0 ]; then
        report fail "N5 H5-H8 R2-R4 devices: no tap or no disk could be set up"
        return
    fi
    mtu=$(cat "/sys/class/net/$TAP_IF/mtu")
    guest conf_dev.elf --mem=$MEM $DISK_ARGS \
        "--block:small=$WORK/small/small.img" conf_dev.elf cap=1048576 \
        "mtu=$mtu" $eunspec $ours_arg
    if dd if="$WORK/disk.img" bs=512 count=1 2>/dev/null |
        grep -q tender-conformance-sector0; then
        report ok "H5 the data of BLOCK_WRITE reached the disk file"
    else
        report fail "H5 the data of BLOCK_WRITE reached the disk file"
    fi
}

# H2: every byte value, then 1 MiB, arrive on standard output unchanged.
console_check() {
    i=0
    : >"$WORK/block"
    while [ $i -lt 256 ]; do
        printf "\\$(printf %03o $i)" >>"$WORK/block"
        i=$((i + 1))
    done
    cp "$WORK/block" "$WORK/mib"
    i=0
    while [ $i -lt 12 ]; do # 256 B doubled 12 times: 1 MiB
        cat "$WORK/mib" "$WORK/mib" >"$WORK/mib2"
        mv "$WORK/mib2" "$WORK/mib"
        i=$((i + 1))
    done
    cat "$WORK/block" "$WORK/mib" >"$WORK/console.expected"
    run --mem=$MEM conf_hcall.elf console
    if [ "$st" -eq 0 ] && cmp -s "$WORK/out" "$WORK/console.expected"; then
        report ok "H2 PUTS writes binary data (all 256 byte values) and a 1 MiB write unchanged"
    else
        report fail "H2 PUTS writes binary data and a 1 MiB write unchanged (status $st, $(wc -c <"$WORK/out") bytes)"
    fi
}

halt_checks() {
    for status in 0 1 42 200 255; do
        run --mem=$MEM conf_hcall.elf halt $status
        if [ "$st" -eq $status ] && ! grep -q "HALT RETURNED" "$WORK/out"; then
            report ok "H4 HALT with status $status ends the guest; the tender exits with $status"
        else
            report fail "H4 HALT with status $status: tender exit status $st ($(first_err_line))"
        fi
    done
    run --mem=$MEM conf_hcall.elf halt 9 cookie
    if [ "$st" -eq 9 ] && ! grep -q "HALT RETURNED" "$WORK/out"; then
        report ok "H4 HALT with a 512-byte cookie ends the guest with its status"
    else
        report fail "H4 HALT with a 512-byte cookie: status $st"
    fi
}

# lib_fault MODE RULE TEXT ERROR: the guest library's page tables make it fault.
lib_fault() {
    run --mem=$MEM conf_lib.elf "$1"
    if [ "$st" -eq 255 ] && grep -q "exception #PF (14) error=$4 " "$WORK/out" &&
        ! grep -q SURVIVED "$WORK/out"; then
        report ok "$2 $3 (guest library: #PF error $4, status 255)"
    else
        report fail "$2 $3: status $st, $(grep -E 'exception|SURVIVED' "$WORK/out")"
    fi
}

lib_checks() {
    lib_fault nx M8 "data is not executable" 0x11
    lib_fault text M7 "text is not writable" 0x3
    guest conf_lib.elf --mem=$MEM conf_lib.elf sse
}

# --- images and command lines a tender must refuse ---

# refuse RULE TEXT TENDER-ARGS...: the guest ("fine") must not run.
refuse() {
    rule=$1 text=$2
    shift 2
    run --mem=$MEM "$@" fine
    if [ $ours = 1 ]; then
        judge "240:." && [ ! -s "$WORK/out" ]
    else
        judge stop && [ ! -s "$WORK/out" ]
    fi
    if [ $? -eq 0 ]; then
        report ok "$rule the tender refuses $text: $why"
    else
        report fail "$rule the tender refuses $text: $why"
    fi
}

refusals() {
    refuse N2 "an image for another target (spt)" conf_refuse_target.elf
    refuse N2 "an image for ABI version 1" conf_refuse_version.elf
    refuse N2 "an image without an ABI note" conf_refuse_no_abi.elf
    refuse N4 "a manifest with the device name 'bad-name'" \
        "--block:bad-name=$WORK/disk.img" conf_refuse_name.elf
    refuse N1 "an image loaded into the low area" conf_refuse_low.elf
    if [ $have_devices = 1 ]; then
        refuse N5 "to run with a declared device left unattached" \
            "--block:disk=$WORK/disk.img" conf_hostile_dev.elf
    else
        report fail "N5 the tender refuses to run with a declared device left unattached: no disk could be set up"
    fi
    refuse N5 "an argument naming a device the manifest lacks" \
        "--block:nosuch=$WORK/disk.img" conf_hostile.elf
}

# --- hostile guests ---

# judge KIND: does the last run meet KIND?  Sets $why.
judge() {
    survived=0
    grep -q '^SURVIVED' "$WORK/out" && survived=1
    result=$(sed -n 's/^RESULT //p' "$WORK/out" | head -n 1)
    why="status $st"
    [ -n "$result" ] && why="$why, answer $result"
    [ -s "$WORK/err" ] && why="$why: $(first_err_line)"
    case $st in
    132 | 134 | 135 | 136 | 139)
        why="the tender crashed ($why)"
        return 1
        ;;
    esac
    case $1 in
    stop) [ "$st" -ne 0 ] && [ $survived = 0 ] ;;
    ends) [ $survived = 0 ] ;;
    einval) [ "$st" -eq 0 ] && [ $survived = 1 ] && [ "$result" = 2 ] ;;
    einval/stop)
        { [ "$st" -eq 0 ] && [ "$result" = 2 ]; } ||
            { [ "$st" -ne 0 ] && [ $survived = 0 ]; }
        ;;
    status:*) [ "$st" -eq "${1#status:}" ] && [ $survived = 0 ] ;;
    survive) [ "$st" -eq 0 ] && [ $survived = 1 ] ;;
    ok) [ "$st" -eq 0 ] && [ $survived = 1 ] && [ "$result" = 0 ] ;;
    any) true ;;
    [0-9]*)
        [ "$st" -eq "${1%%:*}" ] && [ $survived = 0 ] &&
            [ "$(wc -l <"$WORK/err")" -eq 1 ] &&
            grep -q -- "${1#*:}" "$WORK/err"
        ;;
    *) false ;;
    esac
}

# hostile CASE GENERIC OURS RULE TEXT
hostile() {
    name=$1 want=$2
    elf=conf_hostile.elf
    args=
    case $name in
    blk-* | net-*)
        if [ $have_devices = 0 ]; then
            report fail "$4 $5 [$name]: no tap or no disk could be set up"
            return
        fi
        elf=conf_hostile_dev.elf
        args=$DISK_ARGS
        ;;
    esac
    case $want in
    tender-only:*)
        tender_only "$4" "$5 [$name]" "${want#tender-only:}" && return
        ;;
    esac
    [ $ours = 1 ] && want=$3
    run --mem=$MEM $args $elf "$name"
    if judge "$want"; then
        verdict=ok
    else
        verdict=fail
    fi
    text="$4 $5 [$name]: $why"
    kind="S1 tender-specific"
    case $2 in tender-only:*) kind=tender-only ;; esac
    case $3 in
    status:*) shown="status ${3#status:}" ;;
    [0-9]*:*) shown="${3%%:*}, stderr \"${3#*:}\"" ;;
    *) shown=$3 ;;
    esac
    [ $ours = 1 ] && [ "$3" != "$2" ] && text="$text ($kind: expected $shown)"
    run --mem=$MEM conf_hostile.elf fine
    if [ "$st" -ne 0 ] || ! grep -q '^SURVIVED' "$WORK/out"; then
        verdict=fail
        text="$text; the next guest failed: status $st"
    fi
    report $verdict "$text"
}

hostile_cases() {
    while IFS='|' read -r name generic mine rule text; do
        case $name in
        "" | "#"*) continue ;;
        esac
        hostile "$name" "$generic" "$mine" "$rule" "$text"
    done <<'EOF'
# case|what any tender must do|what ours does|rule|description
port-0x500|stop|241:port 0x500 is not a hypercall|G1|OUT to port 0x500, the reserved number 0
port-0x50f|stop|241:port 0x50f is not a hypercall|G1|OUT to port 0x50f, a number no tender serves
port-0x5ff|stop|241:port 0x5ff is not a hypercall|G1|OUT to port 0x5ff, the last of the range
port-0x4ff|stop|241:port 0x4ff is not a hypercall|G1|OUT to port 0x4ff, below the range
port-0x600|stop|241:port 0x600 is not a hypercall|G1|OUT to the ring kick port without RING_IO
port-0x80|stop|241:port 0x80 is not a hypercall|G1|OUT to port 0x80
port-0x3f8|stop|241:port 0x3f8 is not a hypercall|G1|OUT to a serial port
outb-puts|stop|241:port 0x502 is not a hypercall|G1|1-byte OUT to the PUTS port
outw-puts|stop|241:port 0x502 is not a hypercall|G1|2-byte OUT to the PUTS port
inl-puts|stop|241:port 0x502 is not a hypercall|G1|4-byte IN from the PUTS port
inb-0x60|stop|241:port 0x60 is not a hypercall|G1|IN from port 0x60
outsl-puts|any|survive|G1|string OUT of two values to the PUTS port (KVM splits it in two OUTs)
arg-beyond|stop|241:hypercall 2 has an argument outside|G2|PUTS struct at 0xfffffff0, beyond memory
arg-at-end|stop|241:hypercall 1 has an argument outside|G2|WALLTIME struct at the end of memory
arg-straddle-walltime|stop|241:hypercall 1 has an argument outside|G2|WALLTIME struct across the end of memory
arg-straddle-poll|stop|241:hypercall 3 has an argument outside|G2|POLL struct across the end of memory
arg-straddle-puts|stop|241:hypercall 2 has an argument outside|G2|PUTS struct across the end of memory
arg-straddle-halt|stop|241:hypercall 8 has an argument outside|G2|HALT struct across the end of memory
arg-in-text|tender-only:S2, tender refuses a struct in its read-only text; solo5-hvt maps text read-only too and dies of SIGSEGV|244:read-only text|G2|WALLTIME struct in the guest's loaded text
puts-beyond|stop|241:hypercall 2 has an argument outside|G3|PUTS data at the end of memory
puts-straddle|stop|241:hypercall 2 has an argument outside|G3|PUTS data across the end of memory
puts-len-overflow|stop|241:hypercall 2 has an argument outside|G3|PUTS length 2^64-1
puts-wrap|stop|241:hypercall 2 has an argument outside|G3|PUTS data that wraps around 2^64
puts-huge-data|stop|241:hypercall 2 has an argument outside|G3|PUTS data at 2^63
cookie-straddle|tender-only:solo5-hvt checks the cookie's 512 bytes and exits 1 (hvt_core.c)|status:7|G4|HALT with a cookie across the end of memory
cookie-beyond|tender-only:solo5-hvt checks the cookie's 512 bytes and exits 1 (hvt_core.c)|status:7|G4|HALT with a cookie at 2^64-1
cookie-null-page|status:7|status:7|G4|HALT with a cookie in the unmapped NULL page
halt-256|ends|255:guest aborted|G4|HALT with status 256, a reserved status
halt-negative|ends|255:guest aborted|G4|HALT with status -1
halt-big|ends|255:guest aborted|G4|HALT with status 2^31-1
mmio-read-3g|stop|242:unbacked address 0xc0000000|G5|read at 3 GiB, beyond memory (through the guest's own page tables)
mmio-write-end|stop|242:unbacked address 0x4000000|G5|write at the first address past memory (own page tables)
mmio-lapic|ends|242:unbacked address 0xfee00030|G5|read of the local APIC's page (own page tables)
mmio-top|stop|242:unbacked address 0xfffffff0|G5|read just below 4 GiB (own page tables)
exec-beyond|stop|245:KVM could not run it|G5|jump to 3 GiB, beyond memory (own page tables)
write-text|any|244:read-only text|G6|write to the guest's loaded text
low-area-write|survive|survive|G6|boot info and manifest overwritten (CR0.WP cleared)
page-tables-wiped|stop|243:triple fault|G6|empty page tables loaded
triple-fault|stop|243:triple fault|G6|exception with no IDT (triple fault)
hlt|ends|245:KVM could not run it|G6|HLT with interrupts off
flood-walltime|survive|survive|G7|20000 WALLTIME calls
flood-puts|survive|survive|G7|5000 PUTS calls
flood-poll|survive|survive|G7|5000 POLL calls with timeout 0
blk-flood-einval|ok|ok|G7|5000 invalid BLOCK_READ calls, then a valid one
blk-handle-0|einval|einval|G8|BLOCK_READ of handle 0, the reserved entry
blk-handle-63|einval|einval|G8|BLOCK_READ of handle 63, no device
blk-handle-max|einval|einval|G8|BLOCK_READ of handle 2^64-1
blk-handle-net|einval|einval|G8|BLOCK_READ of a net device's handle
blk-offset-overflow|einval|einval|G8|BLOCK_READ whose offset + length overflows
blk-len-overflow|einval|einval|G8|BLOCK_READ of length 2^64-512
blk-offset-huge|einval|einval|G8|BLOCK_WRITE at offset 2^63
blk-low-area-capacity|einval|einval|G8|BLOCK_READ past the disk after the manifest copy claimed more
blk-data-beyond|einval/stop|einval|G9|BLOCK_WRITE from the end of memory
blk-data-straddle|einval/stop|einval|G9|BLOCK_READ into a buffer across the end of memory
blk-data-wrap|einval/stop|einval|G9|BLOCK_READ into a buffer that wraps around 2^64
blk-read-into-text|any|einval|G9|BLOCK_READ into the guest's loaded text
blk-arg-straddle|stop|241:hypercall 5 has an argument outside|G2|BLOCK_READ struct across the end of memory
net-handle-0|einval|einval|G8|NET_WRITE to handle 0
net-handle-block|einval|einval|G8|NET_READ of a block device's handle
net-handle-max|einval|einval|G8|NET_WRITE to handle 2^64-1
net-write-len-huge|einval/stop|einval|G9|NET_WRITE of length 2^64-1
net-write-data-beyond|einval/stop|einval|G9|NET_WRITE of a frame at the end of memory
net-read-data-straddle|einval/stop|einval|G9|NET_READ into a buffer across the end of memory
net-read-into-text|any|einval|G9|NET_READ of a waiting frame into the guest's loaded text
net-arg-straddle|stop|241:hypercall 6 has an argument outside|G2|NET_WRITE struct across the end of memory
EOF
}

main() {
    rm -rf "$WORK"
    mkdir -p "$WORK"
    trap cleanup EXIT
    [ $ours = 1 ] && echo "# $("$TENDER" --version): its own statuses and messages (S) are checked too"
    setup_devices || echo "# no tap device could be set up: the device checks fail"
    entry_guest
    hcall_guest
    console_check
    halt_checks
    dev_guest
    lib_checks
    refusals
    hostile_cases
    echo "1..$total"
    if [ $skipped -gt 0 ]; then
        echo "$passed passed, $failed failed, $skipped skipped"
    else
        echo "$passed passed, $failed failed"
    fi
    [ $failed -eq 0 ]
}

main
