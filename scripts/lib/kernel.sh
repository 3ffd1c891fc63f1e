#!/usr/bin/env bash
# The emulated host's kernel: Debian 12's cloud kernel package, downloaded
# with apt and unpacked (never installed) into a cache keyed by the package's
# name and version, so later runs neither download nor unpack again.
# Sourced by kvm-run. Sets KERNEL_IMAGE and KERNEL_MODDIR.

KERNEL_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/tender/kernel

# Prints "NAME VERSION" of the versioned package that the cloud metapackage
# pins, e.g. "linux-image-6.1.0-56-cloud-amd64 6.1.192-2" (its Depends names
# it with "(= VERSION)"). apt-cache reads local lists only.
kernel_query_apt() {
	apt-cache show --no-all-versions linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-image-[^ ,]*-cloud-amd64\) (= \([^)]*\)).*/\1 \2/p' |
		head -n 1
}

# apt-cache takes about a second here (no pkgcache.bin), so the answer is
# remembered until the apt lists change (apt-get update touches the folder).
kernel_resolve_package() {
	local memo=$KERNEL_CACHE/resolved stamp memo_stamp answer=
	stamp=$(stat -c %Y /var/lib/apt/lists 2>/dev/null || echo none)
	if [[ -f "$memo" ]] && read -r memo_stamp answer <"$memo" && [[ "$memo_stamp" == "$stamp" ]]; then
		:
	else
		answer=$(kernel_query_apt)
		if [[ -z "$answer" ]]; then
			log "apt lists know no cloud kernel; running apt-get update"
			apt-get update >&2 || true
			stamp=$(stat -c %Y /var/lib/apt/lists 2>/dev/null || echo none)
			answer=$(kernel_query_apt)
		fi
		[[ -n "$answer" ]] || return 1
		mkdir -p "$KERNEL_CACHE"
		echo "$stamp $answer" >"$memo"
	fi
	read -r KERNEL_PKG KERNEL_VERSION <<<"$answer"
}

# Downloads and unpacks into a scratch folder, then renames it into place, so
# an interrupted or concurrent run never leaves a half-filled cache entry.
kernel_fill_cache() {
	local dest=$1 tmp deb
	mkdir -p "$KERNEL_CACHE"
	tmp=$(mktemp -d "$KERNEL_CACHE/.fill.XXXXXX")
	log "downloading $KERNEL_PKG $KERNEL_VERSION"
	# As root, apt wants to drop to _apt, which cannot write our folder.
	(cd "$tmp" && apt-get -qq -o APT::Sandbox::User=root download \
		"$KERNEL_PKG=$KERNEL_VERSION" >&2) || {
		rm -rf "$tmp"
		die "apt-get download $KERNEL_PKG failed"
	}
	deb=$(find "$tmp" -maxdepth 1 -name "*.deb" | head -n 1)
	dpkg-deb -x "$deb" "$tmp/root" || die "dpkg-deb -x $deb failed"
	rm -f "$deb"
	mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
}

# Falls back to any kernel already cached when apt knows none (no lists and no
# mirror reachable): an old kernel is better than no test run.
kernel_pick_cached() {
	local dirs=("$KERNEL_CACHE"/linux-image-*/root)
	[[ -d "${dirs[0]}" ]] || die "no cloud kernel package known to apt, none cached"
	printf '%s\n' "${dirs[@]%/root}" | sort -V | tail -n 1
}

kernel_prepare() {
	local dir
	if kernel_resolve_package; then
		dir=$KERNEL_CACHE/${KERNEL_PKG}_$KERNEL_VERSION
		[[ -d "$dir/root" ]] || kernel_fill_cache "$dir"
	else
		dir=$(kernel_pick_cached)
	fi
	local images=("$dir"/root/boot/vmlinuz-*) moddirs=("$dir"/root/lib/modules/*)
	KERNEL_IMAGE=${images[0]}
	KERNEL_MODDIR=${moddirs[0]}
	[[ -f "$KERNEL_IMAGE" && -d "$KERNEL_MODDIR" ]] ||
		die "cached kernel in $dir is incomplete; remove it and retry"
	log "kernel $(basename "$KERNEL_IMAGE")"
}
