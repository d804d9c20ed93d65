#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Command-line scenario tests for trustmgr.
#
#   sh tests/cli/run.sh /abs/path/to/trustmgr [CASE ...]
#
# Each case (tests/cli/cases/NAME.sh, or the names given) runs in its own
# temporary folder with a pinned environment: HOME, XDG_STATE_HOME, XDG_DATA_HOME (so the
# default store is $XDG_DATA_HOME/trustmgr), LANG/LC_ALL=C.UTF-8, TZ=UTC,
# TERM=dumb, and nothing else from the caller but PATH (TM_BIN names the
# binary itself, for cases that must run it without the wrapper; TM_RELEASE_BIN,
# when the caller sets it, names a release build for release_hooks.sh).  The folder is
# removed afterwards, also on failure or interruption.  With TM_VALGRIND=1
# trustmgr runs go through valgrind memcheck (the first
# TM_VALGRIND_RUNS, default 2, of each command in a case; 0: all); an error
# there fails the case (exit status 99).  TM_CLI_SHARD=I/N runs only the I-th of N
# shares of the cases.  The last line is "cli: N passed, N failed".
set -u

bin=${1:-}
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	echo "usage: sh tests/cli/run.sh /abs/path/to/trustmgr [CASE ...]" >&2
	echo "cli: 0 passed, 1 failed"
	exit 2
fi
shift
here=$(cd "$(dirname "$0")" && pwd)
case $bin in /*) ;; *) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;; esac

# Every tool the cases use must be here; say which one is missing.
missing=
for tool in python3 flock timeout sha256sum find sort grep sed; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ "${TM_VALGRIND:-}" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	missing="$missing valgrind"
fi
if [ -n "$missing" ]; then
	echo "cli: missing tools:$missing (install them, e.g. apt-get install util-linux coreutils python3 valgrind)" >&2
	echo "cli: 0 passed, 1 failed"
	exit 1
fi
# The real interpreter, not a shim that depends on the caller's HOME.
python=$(python3 -c 'import sys; print(sys.executable)')
valgrind=$(command -v valgrind 2>/dev/null || true)

root=$(mktemp -d "${TMPDIR:-/tmp}/trustmgr-cli.XXXXXX") || exit 1
trap 'rm -rf "$root"' EXIT
trap 'exit 130' INT TERM HUP

if [ $# -gt 0 ]; then
	cases=
	for name in "$@"; do cases="$cases $here/cases/${name%.sh}.sh"; done
else
	cases=$(ls "$here"/cases/*.sh)
fi
# TM_CLI_SHARD=I/N: only every N-th case from the I-th on, so that N runs
# side by side share the cases.
shard=
if [ -n "${TM_CLI_SHARD:-}" ]; then
	si=${TM_CLI_SHARD%/*}
	sn=${TM_CLI_SHARD#*/}
	case $si:$sn in *[!0-9:]* | :* | *: | *:0 | 0:*)
		echo "cli: TM_CLI_SHARD wants I/N (1 <= I <= N), not '$TM_CLI_SHARD'" >&2
		echo "cli: 0 passed, 1 failed"
		exit 2 ;;
	esac
	# The costliest first, each to the share with the least so far
	# (tests/cli/weights), so that the shares take about as long.
	cases=$(for c in $cases; do echo "$c"; done | awk -v si="$si" -v sn="$sn" \
		-v wf="$here/weights" -v col="$(if [ "${TM_VALGRIND:-}" = 1 ]; then echo 3; else echo 2; fi)" '
		BEGIN { while ((getline l < wf) > 0) if (l !~ /^#/) { split(l, f, " "); w[f[1]] = f[col] } }
		{ n = $0; sub(/.*\//, "", n); sub(/\.sh$/, "", n); c[NR] = $0
		  cw[NR] = (n in w) ? w[n] + 0 : (col == 3 ? 8 : 2) }
		END {
			for (i = 1; i <= NR; i++) done[i] = 0
			for (k = 1; k <= NR; k++) {
				b = 0
				for (i = 1; i <= NR; i++) if (!done[i] && (b == 0 || cw[i] > cw[b])) b = i
				done[b] = 1; t = 1
				for (j = 2; j <= sn; j++) if (load[j] < load[t]) t = j
				load[t] += cw[b]
				if (t == si) print c[b]
			}
		}')
	shard=" (shard $TM_CLI_SHARD)"
fi

# A trustmgr on PATH that runs the binary under test (under valgrind on
# request). Under valgrind, only the first TM_VALGRIND_RUNS runs (default 2;
# 0: every run) of each command in a case go through memcheck: the cases
# that repeat one command over every crash point or damage (rollback,
# resume, verify, ...) would otherwise spend most of CI's time in memcheck
# on what the ASan + UBSan run of the same case (asan-cli) checks on every
# run. The command is the first argument made of lower-case letters and
# dashes (none: the console); the counts live in the case's folder.
make_wrapper() {
	mkdir -p "$1/vgruns"
	cat >"$1/bin/trustmgr" <<EOF
#!/bin/sh
if [ "\${TM_VALGRIND:-}" = 1 ]; then
	cmd=console
	for a in "\$@"; do
		case \$a in -* | *[!a-z-]* | '') ;; *) cmd=\$a; break ;; esac
	done
	n=\$(cat "$1/vgruns/\$cmd" 2>/dev/null || echo 0)
	echo \$((n + 1)) >"$1/vgruns/\$cmd"
	if [ "$vgruns" = 0 ] || [ "\$n" -lt "$vgruns" ]; then
		exec "$valgrind" -q --error-exitcode=99 --leak-check=full \\
			--errors-for-leak-kinds=definite "$bin" "\$@"
	fi
fi
exec "$bin" "\$@"
EOF
	chmod +x "$1/bin/trustmgr"
}
vgruns=${TM_VALGRIND_RUNS:-2}
case $vgruns in '' | *[!0-9]*)
	echo "cli: TM_VALGRIND_RUNS wants a number (0: every run), not '$vgruns'" >&2
	echo "cli: 0 passed, 1 failed"
	exit 2 ;;
esac

pass=0
fail=0
for c in $cases; do
	name=$(basename "$c" .sh)
	dir=$root/$name
	mkdir -p "$dir/home" "$dir/xdg" "$dir/bin" "$dir/work"
	make_wrapper "$dir"
	if [ ! -f "$c" ]; then
		echo "FAIL: $name (no such case: $c)"
		fail=$((fail + 1))
		continue
	fi
	if (cd "$dir/work" && env -i PATH="$dir/bin:$PATH" HOME="$dir/home" \
		XDG_DATA_HOME="$dir/xdg" XDG_STATE_HOME="$dir/xdg-state" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TERM=dumb \
		TM_VALGRIND="${TM_VALGRIND:-}" TM_PYTHON="$python" TM_LIB="$here/lib.sh" \
		TM_CASE="$name" STORE="$dir/xdg/trustmgr" TM_BIN="$bin" \
		TM_RELEASE_BIN="${TM_RELEASE_BIN:-}" sh "$c") >"$dir/log" 2>&1; then
		pass=$((pass + 1))
		[ -n "${TM_VERBOSE:-}" ] && echo "ok: $name"
	else
		fail=$((fail + 1))
		echo "FAIL: $name"
		sed 's/^/    /' "$dir/log" | tail -n 40
	fi
done
echo "cli: $pass passed, $fail failed$shard"
[ "$fail" -eq 0 ]
