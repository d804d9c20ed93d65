#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Run test suites side by side and keep their output readable.
#
#   sh tools/suites.sh [-j N] [-l LOGDIR] NAME COMMAND [NAME COMMAND ...]
#
# Starts the suites in the order given, at most N (default 2) at once; each
# COMMAND runs with sh -c, its output (stdout and stderr) going to
# LOGDIR/NAME.log (default build/logs) and nowhere else. When a suite ends
# this prints one line "ok|FAIL NAME (Ns)" and the suite's summary lines
# (its "...: N passed, N failed" lines, else its last line); the whole log
# when it failed. The last line is "suites: N passed, N failed" (with the
# names of those that failed), preceded, when some failed, by each failed
# suite's "FAIL..." lines with the few lines that follow them, so that the
# end of the output alone says what failed; the exit status is 0 only when
# all passed.
# Interrupted (INT, TERM, HUP), it stops the suites still running.
set -u

jobs=2
logs=build/logs
while [ $# -gt 0 ]; do
	case $1 in
	-j) jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	-l) logs=$2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
if [ $(($# % 2)) -ne 0 ] || [ $# -eq 0 ]; then
	echo "usage: sh tools/suites.sh [-j N] [-l LOGDIR] NAME COMMAND [NAME COMMAND ...]" >&2
	exit 2
fi
case $jobs in '' | *[!0-9]* | 0) echo "suites: -j wants a positive number, not '$jobs'" >&2; exit 2 ;; esac
mkdir -p "$logs" || exit 1

# Each finished suite writes "NAME STATUS SECONDS" into a FIFO the loop reads.
state=$(mktemp -d "${TMPDIR:-/tmp}/tm-suites.XXXXXX") || exit 1
mkfifo "$state/done" || exit 1
exec 3<>"$state/done"
# Each suite runs in a session of its own (setsid), so that stopping it
# reaches every process it started: its process group gets SIGTERM.
newsession=
command -v setsid >/dev/null 2>&1 && newsession=setsid
cleanup() {
	for f in "$state"/*.pid; do
		[ -f "$f" ] || continue
		p=$(cat "$f")
		kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
	done
	rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# start NAME COMMAND: run it in the background; its pid (and process
# group) in STATE/NAME.pid while it runs.
start() {
	log=$logs/$1.log
	(
		begin=$(date +%s)
		$newsession sh -c "$2" </dev/null >"$log" 2>&1 3>&- &
		echo $! >"$state/$1.pid"
		wait $!
		rc=$?
		rm -f "$state/$1.pid"
		echo "$1 $rc $(($(date +%s) - begin))" >&3
	) &
}

# report NAME STATUS SECONDS
report() {
	log=$logs/$1.log
	if [ "$2" -eq 0 ]; then
		echo "ok   $1 ($3s)"
	else
		echo "FAIL $1 ($3s, exit status $2): its whole output ($log):"
		sed 's/^/    | /' "$log"
	fi
	summary=$(grep -E '^[A-Za-z0-9 ._-]+: [0-9]+ passed, [0-9]+ failed' "$log")
	[ -n "$summary" ] || summary=$(tail -n 1 "$log")
	[ -n "$summary" ] || summary="(no output)"
	printf '%s\n' "$summary" | sed 's/^/     /'
}

passed=0
failed=0
failed_names=
running=0
wait_one() {
	read -r n rc secs <&3
	running=$((running - 1))
	report "$n" "$rc" "$secs"
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names="$failed_names $n"
	fi
}

while [ $# -gt 0 ]; do
	[ "$running" -lt "$jobs" ] || wait_one
	start "$1" "$2"
	running=$((running + 1))
	shift 2
done
while [ "$running" -gt 0 ]; do
	wait_one
done
wait
# The failures again, last, where a reader of a cut-down log looks.
for n in $failed_names; do
	echo "failures in $n ($logs/$n.log):"
	grep -E -A4 '^ *(FAIL|not ok)' "$logs/$n.log" | head -n 60 | sed 's/^/    | /'
done
echo "suites: $passed passed, $failed failed${failed_names:+ (failed:$failed_names)}"
[ "$failed" -eq 0 ]
