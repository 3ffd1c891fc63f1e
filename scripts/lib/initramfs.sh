#!/usr/bin/env bash
# Builds the emulated host's initramfs: busybox, the /init script, the kernel
# modules to load (with their dependencies), the host tools with their shared
# libraries, and the batch itself (files/, one file per command, settings).
# Sourced by kvm-run, which has set COMMANDS, TIMEOUT, BATCH, KERNEL_MODDIR.

# Modules every batch gets, in load order. virtio_pci and virtio_blk first:
# they carry the results disk (see emulated-host.sh), which must exist to
# report any later failure. kvm-amd because TCG emulates SVM but not VMX;
# its nested=0 npt=1 go through /batch/modules (see MODULE_ARGS) because
# parameters with a dot on the kernel command line never reach insmod.
# tun: the cloud kernel has it as a module.
BASE_MODULES=(drivers/virtio/virtio_pci.ko drivers/block/virtio_blk.ko
	arch/x86/kvm/kvm-amd.ko drivers/net/tun.ko)
declare -A MODULE_ARGS=([kvm-amd]="nested=0 npt=1")

# Module names in "depends=" use _ or -, file names either: compare with _.
module_key() {
	local name=${1##*/}
	name=${name%%.ko*}
	echo "${name//-/_}"
}

# Maps every module name of the kernel to its path under the modules dir.
# Inline rather than module_key: a subshell per module costs seconds.
module_index() {
	local rel key
	declare -gA MODULE_PATH=()
	while IFS= read -r rel; do
		key=${rel##*/}
		key=${key%%.ko*}
		MODULE_PATH[${key//-/_}]=$rel
	done < <(cd "$KERNEL_MODDIR" && find kernel -name '*.ko*')
}

# The modules a .ko needs, from the depends= string of its .modinfo section
# (the deb ships no modules.dep, and depmod would mean installing kmod).
module_depends() {
	tr '\0' '\n' <"$KERNEL_MODDIR/$1" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

# Appends $1 (a path relative to the modules dir) to MODULE_ORDER after its
# dependencies, once each.
module_add() {
	local rel=$1 key dep
	key=$(module_key "$rel")
	[[ -n "${MODULE_SEEN[$key]:-}" ]] && return 0
	MODULE_SEEN[$key]=1
	for dep in $(module_depends "$rel"); do
		[[ -n "${MODULE_PATH[${dep//-/_}]:-}" ]] ||
			die "module $rel needs $dep, which the kernel package lacks"
		module_add "${MODULE_PATH[${dep//-/_}]}"
	done
	MODULE_ORDER+=("$rel")
}

# Accepts a batch module as "drivers/net/tun.ko" (below kernel/) or as
# "kernel/drivers/net/tun.ko" (below the modules dir itself).
module_resolve() {
	local rel
	for rel in "kernel/$1" "$1"; do
		[[ -f "$KERNEL_MODDIR/$rel" ]] && echo "$rel" && return 0
	done
	die "module $1 not found under $KERNEL_MODDIR"
}

initramfs_add_modules() {
	local root=$1 rel key extra=()
	read_list "$BATCH/modules" extra
	module_index
	declare -gA MODULE_SEEN=()
	MODULE_ORDER=()
	for rel in "${BASE_MODULES[@]}" "${extra[@]}"; do
		module_add "$(module_resolve "$rel")"
	done
	: >"$root/batch/modules"
	for rel in "${MODULE_ORDER[@]}"; do
		mkdir -p "$root/modules/${rel%/*}"
		cp "$KERNEL_MODDIR/$rel" "$root/modules/$rel"
		key=$(module_key "$rel")
		printf '%s %s\n' "$rel" "${MODULE_ARGS[${key//_/-}]:-}" >>"$root/batch/modules"
	done
}

# Copies a file to the same absolute path inside the initramfs, following
# symlinks: the initramfs has no /lib -> /usr/lib merge to rely on.
copy_at_same_path() {
	local root=$1 path=$2
	mkdir -p "$root${path%/*}"
	cp -L "$path" "$root$path"
}

# Host tools keep their absolute path; their libraries and ELF interpreter
# are whatever ldd names (static programs have none).
initramfs_add_host_tools() {
	local root=$1 tool lib tools=()
	read_list "$BATCH/host-tools" tools
	for tool in "${tools[@]}"; do
		[[ "$tool" == /* && -x "$tool" ]] ||
			die "host tool $tool is not an absolute path to a program"
		copy_at_same_path "$root" "$tool"
		for lib in $(ldd "$tool" 2>/dev/null | grep -o '/[^ ]*' || true); do
			copy_at_same_path "$root" "$lib"
		done
	done
}

# One file per command: no quoting or line parsing left for busybox sh.
initramfs_add_batch() {
	local root=$1 n
	mkdir -p "$root/batch/cmd"
	cp -a "$BATCH/files" "$root/batch/files"
	for ((n = 1; n <= ${#COMMANDS[@]}; n++)); do
		printf '%s\n' "${COMMANDS[n - 1]}" >"$root/batch/cmd/$n"
	done
	printf 'COUNT=%d\nTIMEOUT=%d\n' "${#COMMANDS[@]}" "$TIMEOUT" >"$root/batch/config"
}

# Writes the initramfs to $2, using $1 as scratch space. The archive is not
# compressed: gunzip under TCG would cost more than -initrd's plain copy.
initramfs_build() {
	local root=$1/root image=$2
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,batch/out}
	cp /bin/busybox "$root/bin/busybox"
	cp "$SCRIPTS_DIR/lib/emulated-init" "$root/init"
	chmod 755 "$root/init"
	initramfs_add_modules "$root"
	initramfs_add_host_tools "$root"
	initramfs_add_batch "$root"
	(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) >"$image" ||
		die "cpio failed"
}
