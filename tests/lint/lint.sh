#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The project's source rules, checked on the tree and its build folder.
#
#   sh tests/lint/lint.sh [BUILD]      (BUILD: the build folder, default build)
#
#   prefixes  every global symbol an object of model/, backend/ or ui/
#             defines (nm on BUILD/DIR/F.o) is P or starts with P_, where
#             P is F, or a leading part of F ending at an underscore for
#             which DIR/P.h or DIR/P_internal.h exists (a module split over
#             X.c and X_part.c); under ui/console/ it is con_P or con_P_...
#   lines     no .c, .h or .py file in model, backend, ui, tests, fuzz or
#             bench is longer than 1000 lines (its licence header not counted)
#   includes  the quoted #include lines between the project's files make no
#             cycle
#   licence   every source file starts with the licence header
#             (tools/licence-headers.sh check)
# Each problem is one line naming the file (and the symbol, the line count
# or the cycle). Run from anywhere; needs nm and awk. The last line is
# "lint: N passed, N failed" (one count per rule).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/lint
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
cd "$top" || exit 1

pass=0
fail=0
result() {          # result RULE PROBLEMS-FILE WHAT-WAS-CHECKED
	n=$(wc -l <"$2")
	if [ "$n" -eq 0 ]; then
		pass=$((pass + 1))
		echo "lint $1: ok ($3)"
	else
		fail=$((fail + 1))
		echo "lint $1: $n problem(s) ($3):"
		sed 's/^/  /' "$2"
	fi
}

for tool in nm awk find sort; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "lint: $tool is missing (apt-get install binutils gawk findutils coreutils)" >&2
		echo "lint: 0 passed, 1 failed"
		exit 1
	fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-lint.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# ---- prefixes ----------------------------------------------------------------
sh "$here/prefixes.sh" "$build" >"$tmp/prefixes" 2>&1
nobj=$(find model backend ui -name '*.c' | wc -l)
result prefixes "$tmp/prefixes" "global symbols of $nobj objects in $(basename "$build")/"

# ---- lines -------------------------------------------------------------------
find model backend ui tests fuzz bench -type f \( -name '*.c' -o -name '*.h' \) |
	sort >"$tmp/sources"
find model backend ui tests fuzz bench -type f -name '*.py' | sort | cat "$tmp/sources" - >"$tmp/counted"
# The two-line licence header (tools/licence-headers.sh) is not counted
# (after a Python program's #! line).
# shellcheck disable=SC2046 # file names without blanks (the tree's own)
xargs awk 'function done_file() { if (n - hdr > 1000)
		printf "%s: %d lines (at most 1000, not counting the licence header)\n", f, n - hdr }
	FNR == 1 { if (NR > 1) done_file(); f = FILENAME; n = 0; hdr = 0 }
	{ n++ }
	FNR <= 3 && /^(\/\*|#) (SPDX-License-Identifier:|Copyright \(C\)) / { hdr++ }
	END { if (NR > 0) done_file() }' <"$tmp/counted" >"$tmp/lines"
result lines "$tmp/lines" "$(wc -l <"$tmp/counted") files"

# ---- licence -----------------------------------------------------------------
sh tools/licence-headers.sh check >"$tmp/licence" 2>&1
result licence "$tmp/licence" "the licence header of every source file"

# ---- includes ----------------------------------------------------------------
sh "$here/includes.sh" <"$tmp/sources" >"$tmp/includes" 2>&1
result includes "$tmp/includes" "quoted #include lines of $(wc -l <"$tmp/sources") files"

echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
