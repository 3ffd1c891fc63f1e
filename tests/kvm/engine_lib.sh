# Shared by the tests that run real container engines from Debian on
# tender-oci (tests/kvm/podman*.sh, tests/kvm/containerd.sh): what the
# emulated host lacks for them (a passwd file, a signature policy, cgroup
# v2, iptables' extensions), storage in its tmpfs, and the image, built
# offline from a Containerfile (FROM scratch, COPY).
. ./lib.sh

mkdir -p /etc/containers /var/tmp /run /dev/shm /tmp/engine
[ -s /etc/passwd ] || echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
[ -s /etc/group ] || echo 'root:x:0:' >/etc/group
[ -e /etc/containers/policy.json ] ||
    echo '{"default":[{"type":"insecureAcceptAnything"}]}' \
        >/etc/containers/policy.json
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts ||
    mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
# iptables (CNI's bridge and portmap plugins) loads its extensions from
# here; scripts/test copies them into the batch.
[ -d "$PWD/xtables" ] && export XTABLES_LIBDIR="$PWD/xtables"
export TMPDIR=/tmp/engine

RUNTIME=$PWD/tender-oci
PODMAN="/usr/bin/podman --root /tmp/engine/storage --runroot /tmp/engine/run \
--storage-driver vfs --cgroup-manager cgroupfs --events-backend file \
--runtime $RUNTIME"

# build_image: localhost/tender-echo from a Containerfile, offline.
build_image() {
    $PODMAN image exists localhost/tender-echo && return 0
    rm -rf ctx
    mkdir ctx
    cp hello.elf exit_status.elf udp-echo.elf ctx/
    cat >ctx/Containerfile <<'CF'
FROM scratch
COPY hello.elf exit_status.elf udp-echo.elf /
ENV TENDER_NET=service
CMD ["/udp-echo.elf", "{ip}", "7777"]
CF
    $PODMAN build --network none -t localhost/tender-echo ctx >.build.log 2>&1 ||
        fail "podman build: $(cat .build.log)"
}

# Nothing of a container left: no state directory of tender-oci's, no VM
# or conmon process, no network namespace, no veth on the host.
expect_engine_clean() {
    left=$(ls -A /run/tender-oci 2>/dev/null)
    [ -z "$left" ] || fail "left in /run/tender-oci: $left"
    ps -o pid,args | grep -v grep | grep -q "tender-oci create\|conmon" &&
        fail "processes left: $(ps -o pid,args | grep 'tender-oci\|conmon')"
    left=$(ls -A /run/netns 2>/dev/null)
    [ -z "$left" ] || fail "network namespaces left: $left"
    $IP -o link show type veth | grep -q . &&
        fail "veths left: $($IP -o link show type veth)"
    return 0
}
