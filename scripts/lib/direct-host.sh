#!/usr/bin/env bash
# Direct host: this machine has a usable /dev/kvm, so each command runs here,
# in a scratch copy of files/ (commands may write there; the batch stays
# untouched, as it does in the emulated host where the tree is a copy too).
# Sourced by kvm-run, which has set COMMANDS, TIMEOUT, BATCH and OUT.

# Runs command number $1 with text $2 in directory $3. coreutils timeout
# gives 124 on expiry and signals the command's whole process group, so a
# backgrounded grandchild does not outlive its command; -k escalates to KILL
# for commands that ignore TERM, and timeout then reports 137: that is a
# timeout too, and the emulated host calls it 124, so do the same.
direct_run_one() {
	local n=$1 cmd=$2 dir=$3 status=0 start=$SECONDS
	# The outer 2>/dev/null only silences bash's "Killed" job report.
	{ (cd "$dir" && exec timeout -k 5 "$TIMEOUT" sh -c "$cmd") \
		</dev/null >"$OUT/$n.out" 2>"$OUT/$n.err"; } 2>/dev/null || status=$?
	((status != 137 || SECONDS - start < TIMEOUT)) || status=124
	printf '%d\n' "$status" >"$OUT/$n.status"
}

direct_host_run() {
	local work n
	work=$(mktemp -d "${TMPDIR:-/tmp}/kvm-run.XXXXXX")
	# shellcheck disable=SC2064 # expand $work now: it is local
	trap "rm -rf '$work'" EXIT
	cp -a "$BATCH/files" "$work/files"
	for ((n = 1; n <= ${#COMMANDS[@]}; n++)); do
		log "command $n/${#COMMANDS[@]}: ${COMMANDS[n - 1]}"
		direct_run_one "$n" "${COMMANDS[n - 1]}" "$work/files"
	done
}
