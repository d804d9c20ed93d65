# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
#
# lib.sh - what the two packaging tests share (sourced; SUITE names the
# suite in the last line).
#
#   check TEXT COMMAND...   run COMMAND; "ok: TEXT" or "FAIL: TEXT" and its output
#   fail TEXT               one failed check, with TEXT as the reason
#   same_list TEXT WANT GOT two files of lines must hold the same lines
#   finish                  "SUITE: N passed, N failed", status 0 only when none failed
set -u

passed=0
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

check() {
	what=$1
	shift
	if out=$("$@" 2>&1); then
		passed=$((passed + 1))
		[ -n "${TM_VERBOSE:-}" ] && echo "ok: $what"
	else
		fail "$what"
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/    | /' | head -n 40
	fi
	return 0
}

same_list() {
	if LC_ALL=C sort -u "$2" >"$2.sorted" && LC_ALL=C sort -u "$3" >"$3.sorted" &&
		cmp -s "$2.sorted" "$3.sorted"; then
		passed=$((passed + 1))
		[ -n "${TM_VERBOSE:-}" ] && echo "ok: $1"
	else
		fail "$1 (< expected, > found)"
		diff "$2.sorted" "$3.sorted" | grep '^[<>]' | sed 's/^/    /'
	fi
	return 0
}

finish() {
	echo "$SUITE: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
