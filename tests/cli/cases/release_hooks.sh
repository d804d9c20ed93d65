# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The TM_TEST_* hooks exist only in test builds: the binary `make install`
# installs (TM_RELEASE_BIN, set by the Makefile's cli suite: a release build
# installed with `make install DESTDIR=...`) ignores TM_TEST_KILL_AFTER_STEP,
# TM_TEST_PAUSE_AFTER_STEP/TM_TEST_PAUSE_DIR and TM_TEST_NOW, and holds none
# of their names. Each check first runs on the test build (trustmgr, the
# binary under test), where the hook must act: a control, so the release
# checks cannot pass because the hook was set up wrong. Without
# TM_RELEASE_BIN (the suite run by hand) only the controls run.
. "$TM_LIB"

REL=${TM_RELEASE_BIN:-}
later=$(( $(date +%s) + 400 * 86400 ))     # every secret is old by then

add_corp
add_partner
# stores: copies of one with the two domains and no trust yet
for s in kill pause now rel-kill rel-pause rel-now; do
	cp -R "$STORE" "$PWD/$s"
done

# run LABEL COMMAND...: like tm, for any command (env VAR=... BIN ARGS)
run() {
	LAST=$1
	shift
	"$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	valgrind_check
}

# The pause hook's "FIFOs" are regular files here: a binary with the hook
# writes "paused 1" into D/paused and reads the line in D/resume without
# blocking, so its presence shows without a process to wait for.
pause_dir() {
	mkdir -p "$1"
	: >"$1/paused"
	echo go >"$1/resume"
}

# ---- the controls: the test build obeys the hooks ----------------------------
run "create CORP PARTNER (TM_TEST_KILL_AFTER_STEP=1, test build)" \
	env TM_TEST_KILL_AFTER_STEP=1 trustmgr --store "$PWD/kill" create CORP PARTNER
expect_rc 137

pause_dir "$PWD/p-test"
run "create CORP PARTNER (TM_TEST_PAUSE_AFTER_STEP=1, test build)" \
	env TM_TEST_PAUSE_AFTER_STEP=1 TM_TEST_PAUSE_DIR="$PWD/p-test" \
	trustmgr --store "$PWD/pause" create CORP PARTNER
expect_rc 0
[ "$(cat "$PWD/p-test/paused")" = "paused 1" ] ||
	fail "control: the test build did not take the pause hook (D/paused: '$(cat "$PWD/p-test/paused")')"

tm --store "$PWD/now" create CORP PARTNER
expect_rc 0
run "health --json (TM_TEST_NOW=$later, test build)" \
	env TM_TEST_NOW=$later trustmgr --store "$PWD/now" health --json
expect_rc 1
out_has '"secret-old"'

grep -qa TM_TEST_KILL_AFTER_STEP "$TM_BIN" ||
	fail "control: the test build $TM_BIN does not hold the name TM_TEST_KILL_AFTER_STEP"

if [ -z "$REL" ]; then
	echo "note: no TM_RELEASE_BIN (run through 'make check' or 'make cli-tests'):" \
		"only the test build's hooks were checked"
	exit 0
fi
[ -x "$REL" ] || fail "TM_RELEASE_BIN=$REL is not an executable"

# ---- the release binary ignores them -------------------------------------------
if grep -qa TM_TEST_ "$REL"; then
	LAST="grep -a TM_TEST_ $REL"
	fail "the release binary holds the names of the test hooks: $(grep -ao 'TM_TEST_[A-Z_]*' "$REL" | sort -u | tr '\n' ' ')"
fi

run "create CORP PARTNER (TM_TEST_KILL_AFTER_STEP=1, release)" \
	env TM_TEST_KILL_AFTER_STEP=1 "$REL" --store "$PWD/rel-kill" create CORP PARTNER
expect_rc 0
run "verify CORP PARTNER (release)" "$REL" --store "$PWD/rel-kill" verify CORP PARTNER
expect_rc 0

pause_dir "$PWD/p-rel"
run "create CORP PARTNER (TM_TEST_PAUSE_AFTER_STEP=1, release)" \
	env TM_TEST_PAUSE_AFTER_STEP=1 TM_TEST_PAUSE_DIR="$PWD/p-rel" \
	"$REL" --store "$PWD/rel-pause" create CORP PARTNER
expect_rc 0
[ ! -s "$PWD/p-rel/paused" ] ||
	fail "the release binary took the pause hook (D/paused: '$(cat "$PWD/p-rel/paused")')"

run "create CORP PARTNER (release)" "$REL" --store "$PWD/rel-now" create CORP PARTNER
expect_rc 0
run "health --json (TM_TEST_NOW=$later, release)" \
	env TM_TEST_NOW=$later "$REL" --store "$PWD/rel-now" health --json
expect_rc 0
out_lacks '"secret-old"'
exit 0
