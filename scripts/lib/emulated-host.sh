#!/usr/bin/env bash
# Emulated host: no usable /dev/kvm here, so boot Debian's cloud kernel under
# QEMU's TCG with -cpu max (which emulates AMD SVM), load kvm-amd in it and
# run the batch there (see shared/kvm-without-hardware.md).
# Sourced by kvm-run, which has set COMMANDS, TIMEOUT, BATCH and OUT.
#
# TCG runs single-threaded (thread=single). With one host thread per vCPU
# (MTTCG) the emulated host was seen to go silent for minutes now and then
# on a loaded machine, its cause not found; single-threaded it has not, and
# it ran the whole test batch of scripts/test in 271-461 s here.
#
# Measured on the 2-core development machine (6.1.0-56 cloud kernel, QEMU 7.2):
# /dev/kvm is ready 3.1-6.1 s into the boot (uptime stamp in console.log,
# higher when the machine is busy); `kvm-exec -- true` takes 4.4-5.5 s in all
# with the kernel cached, 12.6 s when it must be downloaded first.

# shellcheck source=kernel.sh
source "$SCRIPTS_DIR/lib/kernel.sh"
# shellcheck source=initramfs.sh
source "$SCRIPTS_DIR/lib/initramfs.sh"

emulated_host_packages() {
	ensure_packages qemu-system-x86 busybox-static cpio
}

# Boots the prepared initramfs; the console goes to out/console.log and the
# results to the raw disk image $1 (a virtio disk moves MiB in well under a
# second, where a 16550 serial port took 15 s for 3 MB under TCG). The
# whole batch gets every command's timeout plus 120 s for boot and
# transfer. Returns 0, or 3 when the host stopped making progress (see
# watch_progress); dies on any other failure.
emulated_boot() {
	local results=$1 initrd=$2 budget status=0 tail_pid='' qemu_pid
	budget=$((${#COMMANDS[@]} * TIMEOUT + 120))
	: >"$OUT/console.log"
	# Created first so that tail can follow it from the start.
	if [[ "${TENDER_KVM_VERBOSE:-0}" == 1 ]]; then
		tail -n +1 -f "$OUT/console.log" >&2 &
		tail_pid=$!
	fi
	log "booting emulated host (batch budget ${budget}s)"
	timeout -k 10 "$budget" qemu-system-x86_64 \
		-accel tcg,thread=single -cpu max -m 2G -smp 2 \
		-nographic -no-reboot -nodefaults -monitor none \
		-serial stdio -drive "file=$results,format=raw,if=virtio" \
		-kernel "$KERNEL_IMAGE" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 quiet" \
		</dev/null >>"$OUT/console.log" 2>&1 &
	qemu_pid=$!
	watch_progress "$qemu_pid" || status=$?
	if ((status == 3)); then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	else
		wait "$qemu_pid" || status=$?
	fi
	[[ -n "$tail_pid" ]] && sleep 0.2 && kill "$tail_pid" 2>/dev/null
	((status != 3)) || return 3
	((status != 124 && status != 137)) ||
		die "emulated host still running after ${budget}s; killed (see $OUT/console.log)"
	((status == 0)) || die "qemu failed with status $status (see $OUT/console.log)"
}

# The init prints a line as each command ends, and every command has its
# own timeout inside the host, so a console that stays silent for longer
# than that timeout (plus a margin for the boot) means the emulated machine
# itself has stopped: a rare freeze seen under TCG with nested KVM on a
# loaded machine. Returns 3 then, 0 once QEMU has exited.
watch_progress() {
	local pid=$1 lines last_lines=-1 quiet=0 limit=$((TIMEOUT + 90))
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		lines=$(grep -c 'tender-init:' "$OUT/console.log" 2>/dev/null || true)
		if [[ "$lines" != "$last_lines" ]]; then
			last_lines=$lines
			quiet=0
		else
			quiet=$((quiet + 5))
		fi
		if ((quiet >= limit)); then
			log "emulated host silent for ${quiet}s after: $(grep 'tender-init:' "$OUT/console.log" | tail -n 1)"
			return 3
		fi
	done
	return 0
}

# A sparse file: it costs only what the guest writes.
RESULTS_DISK_SIZE=1G

# Reads the header sector the guest wrote last (see ship_results in
# emulated-init), cuts the archive out, checks its md5, unpacks into out/.
emulated_unpack() {
	local results=$1 work=$2 magic size sum
	read -r magic size sum < <(head -c 512 "$results" | tr -d '\0') || true
	[[ "$magic" == TENDER-RESULTS && "$size" =~ ^[0-9]+$ ]] ||
		die "emulated host sent no results (see $OUT/console.log)"
	dd if="$results" of="$work/results.tgz" bs=1M skip=512 count="$size" \
		iflag=skip_bytes,count_bytes status=none
	[[ "$(md5sum <"$work/results.tgz" | cut -d' ' -f1)" == "$sum" ]] ||
		die "results from the emulated host are corrupt (md5 mismatch)"
	tar -xzf "$work/results.tgz" -C "$OUT" || die "cannot unpack the results"
	if [[ -f "$OUT/host-error" ]]; then
		die "emulated host: $(head -n 1 "$OUT/host-error") (see $OUT/console.log)"
	fi
}

emulated_host_run() {
	local work start attempt status
	emulated_host_packages
	kernel_prepare
	work=$(mktemp -d "${TMPDIR:-/tmp}/kvm-run.XXXXXX")
	# shellcheck disable=SC2064 # expand $work now: it is local
	trap "rm -rf '$work'" EXIT
	initramfs_build "$work" "$work/initrd.cpio"
	# A frozen emulated machine is no verdict on the commands: boot once
	# more and run the batch again, then give up.
	for attempt in 1 2; do
		rm -f "$work/results.img"
		truncate -s "$RESULTS_DISK_SIZE" "$work/results.img"
		start=$SECONDS
		status=0
		emulated_boot "$work/results.img" "$work/initrd.cpio" || status=$?
		((status == 3)) || break
		cp "$OUT/console.log" "$OUT/console-stalled-$attempt.log"
		((attempt == 1)) && log "rebooting the emulated host to run the batch again"
	done
	((status != 3)) ||
		die "emulated host froze twice (see $OUT/console-stalled-*.log)"
	log "emulated host ran the batch in $((SECONDS - start))s"
	emulated_unpack "$work/results.img" "$work"
}
