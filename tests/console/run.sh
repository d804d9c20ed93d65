#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Scripted-keystroke tests for the trustmgr console.
#
#   sh tests/console/run.sh /abs/path/to/trustmgr [CASE ...]
#
# Each case is a folder tests/console/cases/NAME/ (see lib.sh for what it
# holds).  It runs in its own temporary folder with a pinned environment and
# nothing else from the caller but PATH: HOME, XDG_DATA_HOME (so the store is
# a fresh $XDG_DATA_HOME/trustmgr), LANG/LC_ALL=C.UTF-8, TZ=UTC,
# TERM=xterm-256color, COLUMNS=80, LINES=24, NO_COLOR unset.  The console
# runs once with --headless --script (a case's check may run it again on
# the same store: run_console_again in lib.sh); the screens and models its
# scripts save are compared with expected/, a mismatch shown as a unified diff.
#
#   TM_UPDATE=1    rewrite expected/ from what the script wrote (read every
#                  new or changed file before committing it)
#   TM_VALGRIND=1  every console run goes through valgrind memcheck (the
#                  commands that prepare a case run plain)
#   TM_KEEP=1      keep the temporary folders and print where they are
#   TM_VERBOSE=1   name the cases that pass too
# The last line is "console: N passed, N failed"; the exit status is 0 only
# when every case passed.
set -u

bin=${1:-}
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	echo "usage: sh tests/console/run.sh /abs/path/to/trustmgr [CASE ...]" >&2
	echo "console: 0 passed, 1 failed"
	exit 2
fi
shift
here=$(cd "$(dirname "$0")" && pwd)
case $bin in /*) ;; *) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;; esac

# Every tool the cases use must be here, and the terminal descriptions
# the cases name; say which one is missing.
missing=
for tool in python3 timeout diff cmp find sort grep sed infocmp date; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ "${TM_VALGRIND:-}" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	missing="$missing valgrind"
fi
for term in xterm-256color xterm-mono vt100; do
	infocmp "$term" >/dev/null 2>&1 || missing="$missing terminfo:$term"
done
if [ -n "$missing" ]; then
	echo "console: missing:$missing (apt-get install coreutils diffutils python3 ncurses-bin ncurses-base ncurses-term valgrind)" >&2
	echo "console: 0 passed, 1 failed"
	exit 1
fi
python=$(python3 -c 'import sys; print(sys.executable)')
valgrind=$(command -v valgrind 2>/dev/null || true)

root=$(mktemp -d "${TMPDIR:-/tmp}/trustmgr-console.XXXXXX") || exit 1
if [ "${TM_KEEP:-}" = 1 ]; then
	trap 'echo "console: outputs kept in $root"' EXIT
else
	trap 'rm -rf "$root"' EXIT
fi
trap 'exit 130' INT TERM HUP

if [ $# -gt 0 ]; then
	cases=
	for name in "$@"; do
		name=${name%/}
		cases="$cases ${name##*/}"
	done
else
	cases=$(cd "$here/cases" && ls)
fi

# A trustmgr on PATH that runs the binary under test; under valgrind on
# request, the console runs only (lib.sh marks them TM_CONSOLE_RUN=1): the
# commands that prepare a case's store run plain, since the cli suite
# checks every command under memcheck.
make_wrapper() {
	cat >"$1/bin/trustmgr" <<EOF
#!/bin/sh
if [ "\${TM_VALGRIND:-}" = 1 ] && [ "\${TM_CONSOLE_RUN:-}" = 1 ]; then
	exec "$valgrind" -q --error-exitcode=99 --leak-check=full \\
		--errors-for-leak-kinds=definite "$bin" "\$@"
fi
exec "$bin" "\$@"
EOF
	chmod +x "$1/bin/trustmgr"
}

pass=0
fail=0
for name in $cases; do
	cdir=$here/cases/$name
	dir=$root/$name
	if [ ! -f "$cdir/script" ]; then
		echo "FAIL: $name (no such case: $cdir/script)"
		fail=$((fail + 1))
		continue
	fi
	mkdir -p "$dir/home" "$dir/xdg" "$dir/bin" "$dir/out"
	make_wrapper "$dir"
	if (cd "$dir/out" && env -i PATH="$dir/bin:$PATH" HOME="$dir/home" \
		XDG_DATA_HOME="$dir/xdg" XDG_STATE_HOME="$dir/xdg-state" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC \
		TERM=xterm-256color COLUMNS=80 LINES=24 \
		TM_VALGRIND="${TM_VALGRIND:-}" TM_UPDATE="${TM_UPDATE:-}" \
		TM_PYTHON="$python" TM_CASE="$name" TM_CASE_DIR="$cdir" \
		TM_CASES="$here/cases" TM_WORK="$dir" TM_OUT="$dir/out" \
		STORE="$dir/xdg/trustmgr" \
		sh -c '. "$1" && case_main' sh "$here/lib.sh") >"$dir/log" 2>&1; then
		pass=$((pass + 1))
		[ -n "${TM_VERBOSE:-}" ] && echo "ok: $name"
		[ "${TM_UPDATE:-}" = 1 ] && sed 's/^/    /' "$dir/log"
	else
		fail=$((fail + 1))
		echo "FAIL: $name"
		sed 's/^/    /' "$dir/log" | head -n 200
	fi
done
echo "console: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
