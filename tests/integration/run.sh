#!/bin/sh
# Run every integration test (tests/integration/*.sh but this one and the
# sourced lab_lib.sh) against the binary given; prints
# "integration: N passed, N failed".
BIN=$1
dir=$(dirname "$0")
pass=0; fail=0
for t in "$dir"/*.sh; do
	case $(basename "$t") in run.sh | lab_lib.sh) continue ;; esac
	if sh "$t" "$BIN"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $t"; fi
done
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
