#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Run the integration tests against the binary given.
#
#   sh tests/integration/run.sh [-j N] [-x SCRIPT]... /abs/path/to/trustmgr [SCRIPT ...]
#
# The tests are tests/integration/*.sh but this one and the sourced
# lab_lib.sh, realm_lib.sh and ad_lib.sh, or the SCRIPTs named (cli_lab or cli_lab.sh). Each test
# starts its own lab on free ports (tests/lab/lab.sh claims them) in its own
# temporary folder, so with -j N up to N of them run at once. The longest
# ones start first; -x leaves a script out (make check-all leaves the lab
# self-tests, which never run trustmgr, out of its second, ASan run). Each test's output goes to a log that is printed whole
# after it ends (failed or not), so parallel tests do not mix their lines.
# After each test's log, a line "integration: NAME took Ns" (wall-clock
# seconds, for the ORDER below). The last line is "integration: N passed,
# N failed".
set -u

usage() {
	echo "usage: sh tests/integration/run.sh [-j N] [-x SCRIPT]... /abs/path/to/trustmgr [SCRIPT ...]" >&2
	echo "integration: 0 passed, 1 failed"
	exit 2
}
jobs=1
skip=
while [ $# -gt 0 ]; do
	case $1 in
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	-x) [ $# -ge 2 ] || usage; skip="$skip ${2%.sh}"; shift 2 ;;
	*) break ;;
	esac
done
case $jobs in '' | *[!0-9]* | 0) usage ;; esac
BIN=${1:-}
[ -n "$BIN" ] && [ -x "$BIN" ] || usage
shift
dir=$(cd "$(dirname "$0")" && pwd)

# The slowest first (the "took" lines of a plain run, -j 2, on a quiet
# 2-core machine: faults_lab 242 s, ad_flows_lab 191 s, ad_lab 98 s ...),
# so the last to start are short ones.
ORDER="faults_lab ad_flows_lab ad_lab realm_health_lab realm_journal_lab ad_namespaces_lab hang_lab samba_lab_selftest realm_lab health_lab failover_lab rotate_due_lab cli_lab ad_gssapi_lab lab_selftest ldapdir_lab kdc_lab"
if [ $# -gt 0 ]; then
	tests=
	for t in "$@"; do tests="$tests ${t%.sh}"; done
else
	tests=
	for t in $ORDER; do [ -f "$dir/$t.sh" ] && tests="$tests $t"; done
	for f in "$dir"/*.sh; do
		t=$(basename "$f" .sh)
		case " run lab_lib realm_lib ad_lib $ORDER " in *" $t "*) continue ;; esac
		tests="$tests $t"
	done
fi
if [ -n "$skip" ]; then
	kept=
	for t in $tests; do
		case " $skip " in *" $t "*) echo "integration: $t left out (-x)" ;; *) kept="$kept $t" ;; esac
	done
	tests=$kept
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/tm-integration.XXXXXX") || exit 1
mkfifo "$logs/done" || exit 1
exec 3<>"$logs/done"
trap 'rm -rf "$logs"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

pass=0
fail=0
running=0
start() {
	(
		t0=$(date +%s)
		if [ -f "$dir/$1.sh" ]; then
			sh "$dir/$1.sh" "$BIN" </dev/null >"$logs/$1.log" 2>&1 3>&-
			rc=$?
		else
			echo "no such test: $dir/$1.sh" >"$logs/$1.log"
			rc=2
		fi
		echo "$1 $rc $(($(date +%s) - t0))" >&3
	) &
	running=$((running + 1))
}
wait_one() {
	read -r name rc secs <&3
	running=$((running - 1))
	cat "$logs/$name.log"
	echo "integration: $name took ${secs}s"
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $dir/$name.sh (exit status $rc)"
	fi
}
for t in $tests; do
	[ "$running" -lt "$jobs" ] || wait_one
	start "$t"
done
while [ "$running" -gt 0 ]; do
	wait_one
done
wait
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
