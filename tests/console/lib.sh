# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# lib.sh - helpers for the scripted-keystroke console cases.
#
# run.sh sources this file in a fresh shell per case, inside the case's
# output folder ($TM_OUT), then calls case_main.  A case is a folder
# tests/console/cases/NAME/ with:
#
#   script      keystrokes and commands fed with --headless --script
#   setup       optional shell snippet run before the console: build the
#               store (default when absent: `trustmgr demo`), and/or set
#               CONSOLE_ARGS, CONSOLE_ENV, NO_COLOR, TERM, LINES, COLUMNS
#   check       optional shell snippet run after the console: exit status,
#               stderr, the store, the dumps
#   expected/   NAME.screen / NAME.model, compared with the files of the same
#               name that the script's :save-screen / :save-model wrote
#
# Helpers for setup and check:
#   demo_store                  trustmgr demo into the case's store
#   add_corp / add_sales / add_partner   well-known domains
#   must ARGS...                trustmgr ARGS must succeed (else the case stops)
#   pwfile NAME TEXT            write a password file, print its path
#   tm ARGS...                  run trustmgr (not the console); stdout in
#                               $OUT, stderr in $ERR, status in $RC
#   expect_rc N                 the last `tm` exited with N
#   out_has / out_lacks TEXT    fixed-string checks on the last `tm` stdout
#   json_eq EXPR VALUE          python EXPR over the JSON document d of the
#                               last `tm` prints VALUE
#   expect_exit N               the console exited with N (default check: 0)
#   run_console_again FILE [ENV]  a second console session with the case's
#                               FILE as the script (see console_once)
#   cerr_has / cerr_lacks TEXT  fixed-string checks on the console's stderr
#   screen_has / screen_lacks FILE TEXT   on a dump the script wrote
#   screen_match FILE ERE       a line of the dump matches ERE
#   no_secret TEXT              TEXT appears in no dump, model file, console
#                               output or log of this case
#   same_column FILE A B        A and B start in the same column of FILE
#   same_as CASE REF [FILE]     the dump FILE (default REF) equals CASE's
#                               expected/REF
# A failed check prints why and marks the case failed; the case goes on so
# that every problem (and the screen diffs) is shown at once.
set -u

OUT=$TM_WORK/cmd.out
ERR=$TM_WORK/cmd.err
RC=0
LAST=
CRC=
EXIT_CHECKED=
FAILED=
CONSOLE_ARGS=
CONSOLE_ENV=
CLOG=$TM_WORK/console.out
CERR=$TM_WORK/console.err
: >"$OUT"
: >"$ERR"

fail() {
	echo "FAIL ($TM_CASE): $*"
	FAILED=1
}

# The last `tm` command and its outputs, after a failed check on them.
show_cmd() {
	echo "  command: trustmgr $LAST (exit $RC)"
	sed 's/^/  | /' "$OUT" | head -n 30
	sed 's/^/  ! /' "$ERR" | head -n 10
}

show_console() {
	echo "  console: trustmgr ${CONSOLE_ARGS:+$CONSOLE_ARGS }(exit ${CRC:-not run})"
	sed 's/^/  ! /' "$CERR" | head -n 20
}

tm() {
	LAST="$*"
	trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	if [ "${TM_VALGRIND:-}" = 1 ] && [ "$RC" = 99 ]; then
		fail "valgrind reported memory errors in: trustmgr $*"
		show_cmd
	fi
	return 0
}

expect_rc() {
	[ "$RC" = "$1" ] || { fail "exit status $RC, expected $1"; show_cmd; }
}

out_has() {
	grep -qF -- "$1" "$OUT" || { fail "stdout lacks: $1"; show_cmd; }
}

out_lacks() {
	! grep -qF -- "$1" "$OUT" || { fail "stdout should not contain: $1"; show_cmd; }
}

json_eq() {
	got=$("$TM_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print('"$1"')' <"$OUT" 2>&1) ||
		{ fail "cannot evaluate $1 on the JSON output: $got"; show_cmd; return 0; }
	[ "$got" = "$2" ] || { fail "JSON $1 is '$got', expected '$2'"; show_cmd; }
}

# Setup: the store.  A failure here makes the rest meaningless: stop.
must() {
	tm "$@"
	if [ "$RC" != 0 ]; then
		fail "setup command failed: trustmgr $*"
		show_cmd
		exit 1
	fi
}

# pwfile NAME TEXT: a password file outside the dump folder; prints its path
pwfile() {
	printf '%s\n' "$2" >"$TM_WORK/$1"
	echo "$TM_WORK/$1"
}

demo_store() {
	must demo
}

add_corp() {
	must domain add CORP --dns corp.example --netbios CORP \
		--sid S-1-5-21-1004336348-1177238915-682003330 --functional-level 2016
}

add_sales() {
	must domain add SALES --dns sales.corp.example --netbios SALES \
		--sid S-1-5-21-1993962763-492894223-1202660629 --forest corp.example \
		--functional-level 2016
}

add_partner() {
	must domain add PARTNER --dns partner.example --netbios PARTNER \
		--sid S-1-5-21-2127521184-1604012920-1887927527 --functional-level 2012R2
}

# The console ------------------------------------------------------------

# One run of the console, headless, in $TM_OUT (so relative :save-* paths
# land there whether the console resolves them against the working folder
# or the script's folder): console_once FILE ENV, where FILE is a file of
# the case folder and ENV environment assignments ("" for none).  Without
# ENV the script and headless mode come from --headless --script FILE; with
# ENV from the environment (ENV must then name TRUSTMGR_SCRIPT and
# TRUSTMGR_NO_DISPLAY, or CONSOLE_ARGS --headless --script).  Bounded by
# timeout: a script that ends without :quit, or a console that waits for a
# key that never comes, fails instead of hanging the suite.  A console that
# ends by a signal of its own before the limit (TM_TEST_KILL_AFTER_STEP
# kills it with SIGKILL, status 137) is not a timeout: the case checks the
# status with expect_exit.
RUNS=0
console_once() {
	cp "$TM_CASE_DIR/$1" "$TM_OUT/$1"
	RUNS=$((RUNS + 1))
	if [ "$RUNS" -gt 1 ]; then
		CLOG=$TM_WORK/console.$RUNS.out
		CERR=$TM_WORK/console.$RUNS.err
	fi
	limit=60
	[ "${TM_VALGRIND:-}" = 1 ] && limit=600
	start=$(date +%s)
	if [ -n "$2" ]; then
		TM_CONSOLE_RUN=1 env $2 timeout -k 5 "$limit" trustmgr $CONSOLE_ARGS \
			</dev/null >"$CLOG" 2>"$CERR"
	else
		TM_CONSOLE_RUN=1 timeout -k 5 "$limit" trustmgr --headless --script "$1" $CONSOLE_ARGS \
			</dev/null >"$CLOG" 2>"$CERR"
	fi
	CRC=$?
	took=$(($(date +%s) - start))
	case $CRC in
	124) fail "the console did not finish within $limit seconds"; show_console ;;
	137) [ "$took" -ge "$limit" ] &&
		{ fail "the console did not finish within $limit seconds"; show_console; } ;;
	99) [ "${TM_VALGRIND:-}" = 1 ] && { fail "valgrind reported memory errors"; show_console; } ;;
	esac
	# Headless means nothing is drawn on standard output.
	if LC_ALL=C grep -q "$(printf '\033')" "$CLOG"; then
		fail "headless console wrote terminal escape sequences to standard output"
	fi
	return 0
}

# The case's script, once (CONSOLE_ENV, CONSOLE_ARGS from the setup).
run_console() {
	console_once script "${CONSOLE_ENV:-}"
}

# run_console_again FILE [ENV]: from a check, the console once more on the
# same store with the case's FILE as the script (and ENV, as console_once);
# CRC, $CLOG and $CERR then describe this run (earlier runs' outputs stay
# in $TM_WORK/console*.out and .err for no_secret).  For cases that need
# two sessions: a plan interrupted in the first, resumed in the second.
run_console_again() {
	console_once "$1" "${2:-}"
}

expect_exit() {
	EXIT_CHECKED=1
	[ "$CRC" = "$1" ] || { fail "console exit status $CRC, expected $1"; show_console; }
}

cerr_has() {
	grep -qF -- "$1" "$CERR" || { fail "console stderr lacks: $1"; show_console; }
}

cerr_lacks() {
	! grep -qF -- "$1" "$CERR" || { fail "console stderr should not contain: $1"; show_console; }
}

# A dump the script should have written; say once if it did not.
MISSING=
dump_missing() {
	[ -f "$TM_OUT/$1" ] && return 1
	case " $MISSING " in
	*" $1 "*) ;;
	*) fail "$1 was not written"; MISSING="$MISSING $1" ;;
	esac
	return 0
}

# Show a dump once, after the first failed check on it.
SHOWN=
show_dump() {
	case " $SHOWN " in
	*" $1 "*) ;;
	*) sed 's/^/  | /' "$TM_OUT/$1"; SHOWN="$SHOWN $1" ;;
	esac
}

screen_has() {
	if dump_missing "$1"; then
		:
	elif ! grep -qF -- "$2" "$TM_OUT/$1"; then
		fail "$1 lacks: $2"
		show_dump "$1"
	fi
}

screen_match() {
	if dump_missing "$1"; then
		:
	elif ! grep -qE -- "$2" "$TM_OUT/$1"; then
		fail "$1 has no line matching: $2"
		show_dump "$1"
	fi
}

screen_lacks() {
	if dump_missing "$1"; then
		:
	elif grep -qF -- "$2" "$TM_OUT/$1"; then
		fail "$1 should not contain: $2"
		show_dump "$1"
	fi
}

no_secret() {
	hits=$(grep -rlF -- "$1" "$TM_OUT" "$TM_WORK"/console*.out "$TM_WORK"/console*.err \
		"$OUT" "$ERR" 2>/dev/null | grep -v "/script\$" | grep -v "\.script\$")
	[ -z "$hits" ] || fail "the password '$1' appears in: $(echo "$hits" | tr "\n" " ")"
}

same_as() {
	ref=$TM_CASES/$1/expected/$2
	mine=${3:-$2}
	if [ ! -f "$ref" ]; then
		fail "no reference $1/expected/$2"
	elif dump_missing "$mine"; then
		:
	elif ! diff -u --label "$1/expected/$2" --label "actual/$mine" "$ref" "$TM_OUT/$mine" >"$TM_WORK/same.diff"; then
		fail "$mine differs from $1/expected/$2"
		sed 's/^/  /' "$TM_WORK/same.diff"
	fi
}

# same_column FILE A B: A and B start in the same screen column (counted
# in characters, so a name outside ASCII must not shift what follows it).
same_column() {
	dump_missing "$1" && return 0
	cols=$("$TM_PYTHON" - "$TM_OUT/$1" "$2" "$3" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
def col(t):
    for l in lines:
        if t in l:
            return l.index(t)
    return -1
print(col(sys.argv[2]), col(sys.argv[3]))
PY
)
	set -- "$1" "$2" "$3" $cols
	if [ "$4" = -1 ] || [ "$5" = -1 ]; then
		fail "$1: '$2' or '$3' not found"
		show_dump "$1"
	elif [ "$4" != "$5" ]; then
		fail "$1: '$2' starts in column $4, '$3' in column $5"
		show_dump "$1"
	fi
}

# Dumps ------------------------------------------------------------------

# Properties every dump must have, whatever the screen: no control bytes,
# ASCII borders (no line-drawing characters), and for screens trailing
# blanks trimmed.
dump_format() {
	f=$1
	n=$(basename "$f")
	case $n in
	*.screen) grep -n ' $' "$f" >"$TM_WORK/fmt" 2>/dev/null ;;
	*) : >"$TM_WORK/fmt" ;;
	esac
	if [ -s "$TM_WORK/fmt" ]; then
		fail "$n: trailing blanks on line(s) $(cut -d: -f1 "$TM_WORK/fmt" | tr '\n' ' ')"
	fi
	if LC_ALL=C grep -n "$(printf '[\001-\011\013-\037\177]')" "$f" >"$TM_WORK/fmt"; then
		fail "$n: control characters on line(s) $(cut -d: -f1 "$TM_WORK/fmt" | tr '\n' ' ')"
	fi
	if grep -n "$(printf '\342\224\|\342\225')" "$f" >"$TM_WORK/fmt"; then
		fail "$n: line-drawing characters instead of ASCII borders"
	fi
}

# Compare what the script wrote with expected/; with TM_UPDATE=1 rewrite
# expected/ from it instead (and say what changed).
compare_dumps() {
	exp=$TM_CASE_DIR/expected
	for f in "$TM_OUT"/*.screen "$TM_OUT"/*.model; do
		[ -f "$f" ] || continue
		n=$(basename "$f")
		dump_format "$f"
		if [ "${TM_UPDATE:-}" = 1 ]; then
			mkdir -p "$exp"
			if [ ! -f "$exp/$n" ]; then
				echo "  new: $TM_CASE/expected/$n"
			elif ! cmp -s "$f" "$exp/$n"; then
				echo "  changed: $TM_CASE/expected/$n"
				diff -u --label "expected/$n" --label "new/$n" "$exp/$n" "$f" | sed 's/^/    /'
			fi
			cp "$f" "$exp/$n"
		elif [ ! -f "$exp/$n" ]; then
			fail "$n has no expected file (read it, then record it with TM_UPDATE=1)"
			sed 's/^/  | /' "$f"
		fi
	done
	for e in "$exp"/*.screen "$exp"/*.model; do
		[ -f "$e" ] || continue
		n=$(basename "$e")
		if [ ! -f "$TM_OUT/$n" ]; then
			if [ "${TM_UPDATE:-}" = 1 ]; then
				echo "  removed: $TM_CASE/expected/$n (the script no longer writes it)"
				rm -f "$e"
			else
				dump_missing "$n"
			fi
		elif [ "${TM_UPDATE:-}" != 1 ] && ! cmp -s "$e" "$TM_OUT/$n"; then
			fail "$n differs from expected/$n"
			diff -u --label "expected/$n" --label "actual/$n" "$e" "$TM_OUT/$n" | sed 's/^/  /'
		fi
	done
}

case_main() {
	if [ -f "$TM_CASE_DIR/setup" ]; then
		. "$TM_CASE_DIR/setup"
	else
		demo_store
	fi
	run_console
	# The exit status first: when it is wrong, it explains the rest.
	if [ ! -f "$TM_CASE_DIR/check" ] ||
		! grep -qE 'expect_exit|EXIT_CHECKED' "$TM_CASE_DIR/check"; then
		expect_exit 0
	fi
	[ -f "$TM_CASE_DIR/check" ] && . "$TM_CASE_DIR/check"
	compare_dumps
	[ -z "$FAILED" ]
}
