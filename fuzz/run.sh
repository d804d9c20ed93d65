#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Run each fuzz target for a bounded time: fuzz/run.sh BUILD SECONDS TARGET...
# The seed corpus fuzz/corpus/<target>/ is copied to a scratch folder, so the
# committed corpus never grows by itself. A crash, leak, sanitizer report or
# broken property is saved under BUILD/fuzz/artifacts/<target>/ and fails the
# run. One summary line per target: seconds, executions, crashes.
set -u
build=$1; secs=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d /tmp/tm-fuzz-run.XXXXXX) || exit 1
trap 'rm -rf "$scratch"' EXIT INT TERM
fail=0; total_execs=0
for t in "$@"; do
	bin=$build/fuzz/fuzz_$t
	art=$build/fuzz/artifacts/$t
	rm -rf "$art"; mkdir -p "$scratch/$t" "$art"
	if [ -d "$here/corpus/$t" ]; then
		cp "$here/corpus/$t"/* "$scratch/$t"/ 2>/dev/null
	fi
	dict=""
	[ -f "$here/dict/$t.dict" ] && dict="-dict=$here/dict/$t.dict"
	log=$build/fuzz/$t.log
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$art/" $dict "$scratch/$t" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
	corp=$(ls "$scratch/$t" | wc -l)
	crashes=$(ls "$art" | wc -l)
	total_execs=$((total_execs + ${execs:-0}))
	if [ "$rc" -ne 0 ]; then
		fail=$((fail + 1))
		echo "fuzz: $t FAILED after $((end - start))s, ${execs:-?} executions (exit $rc); see $log and $art/"
		grep -m 3 -E 'ERROR:|property broken|runtime error' "$log" | sed 's/^/    /'
	else
		echo "fuzz: $t ok: $((end - start))s, ${execs:-?} executions, cov ${cov:-?}, corpus $corp, crashes $crashes"
	fi
done
echo "fuzz: $# targets, $total_execs executions, $fail failed"
[ "$fail" -eq 0 ]
