#!/usr/bin/env bash
# Helpers shared by kvm-run's pieces: messages, failing, batch parsing and
# installing missing Debian packages. Sourced, never run.

# Progress goes to stderr with a fixed prefix so callers can tell it apart from
# the commands' own output; TENDER_KVM_QUIET=1 keeps only errors.
log() {
	[[ "${TENDER_KVM_QUIET:-0}" == 1 ]] || printf 'kvm-run: %s\n' "$*" >&2
}

# One clear line, then a non-zero exit: callers treat that as "the host failed".
die() {
	printf 'kvm-run: error: %s\n' "$*" >&2
	exit 1
}

# Installs the Debian packages among "$@" that are not installed yet, so a
# second run costs no apt call at all.
ensure_packages() {
	local pkg missing=()
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# Fills the global array COMMANDS with the batch's command lines: blank lines
# and comment lines are dropped, and a trailing \r (a file edited on Windows)
# is removed so both hosts see the same command text.
read_commands() {
	local file=$1 line
	COMMANDS=()
	while IFS= read -r line || [[ -n "$line" ]]; do
		line=${line%$'\r'}
		[[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
		COMMANDS+=("$line")
	done <"$file"
}

# Reads a list file (host-tools, modules) into the named array, one entry a
# line, ignoring blanks and comments like the commands file.
read_list() {
	local file=$1 line
	local -n into=$2
	into=()
	[[ -f "$file" ]] || return 0
	while IFS= read -r line || [[ -n "$line" ]]; do
		line=${line%$'\r'}
		[[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
		# Surrounding blanks are never part of a path.
		line=${line#"${line%%[![:space:]]*}"}
		line=${line%"${line##*[![:space:]]}"}
		into+=("$line")
	done <"$file"
}
