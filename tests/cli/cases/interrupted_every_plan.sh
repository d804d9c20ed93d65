# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Every two-domain plan killed after each of its steps in turn, in the
# embedded store: create, reset, rotate, remove (both sides), recreate,
# permit, trust and recover-partners. After each kill the next change is
# refused and the journal shows the steps done; rollback puts the store back
# byte for byte (domain files, keytabs and health); killed again at the same
# step, resume finishes the plan and verify agrees with what it did.
. "$TM_LIB"

add_corp
add_partner
pwfile pw1 Initial-Password-1
pwfile pwT Recovery-Password-1

# The plan's number of steps (from --dry-run --json).
nsteps() {
	trustmgr "$@" --dry-run --json >steps.json 2>"$ERR" </dev/null ||
		fail "trustmgr $* --dry-run failed: $(cat "$ERR")"
	"$TM_PYTHON" -c 'import json,sys; print(len(json.load(open("steps.json"))["steps"]))'
}

# Save or restore the whole store (the starting state of a plan).
save_state() { rm -rf "../snap.$1"; cp -a "$STORE" "../snap.$1"; }
load_state() { rm -rf "$STORE"; cp -a "../snap.$1" "$STORE"; }

# The starting states.
save_state none
tm create CORP PARTNER
expect_rc 0
save_state two_way
tm recover CORP --password-file "$PWD/pwT"
expect_rc 0
save_state recovered
load_state none
tm permit PARTNER CORP --password-file "$PWD/pw1"
expect_rc 0
save_state permitted

works() {
	tm verify CORP PARTNER
	expect_rc 0
}
gone() {
	tm verify CORP PARTNER
	[ "$RC" != 0 ] || fail "$1: verify passed after the trust was removed"
}
trust_completes() {
	tm trust CORP PARTNER --password-file "$PWD/pw1"
	expect_rc 0
	works
}

# every_boundary STATE CHECK -- ARGS...: ARGS killed after each step.
every_boundary() {
	state=$1 check=$2
	shift 3
	load_state "$state"
	steps=$(nsteps "$@")
	[ "$steps" -gt 1 ] || fail "$*: only $steps steps"
	n=1
	while [ "$n" -lt "$steps" ]; do
		load_state "$state"
		before=$(store_sum)
		LAST="$* (TM_TEST_KILL_AFTER_STEP=$n)"
		TM_TEST_KILL_AFTER_STEP=$n trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
		RC=$?
		expect_rc 137
		tm reset CORP PARTNER
		expect_rc 4
		err_has "was interrupted after $n of $steps steps"
		tm journal --json
		expect_rc 0
		json_eq 'd["done"]' "$n"
		tm rollback
		expect_rc 0
		[ "$(store_sum)" = "$before" ] || fail "$*: rollback after step $n left the store changed"

		LAST="$* (TM_TEST_KILL_AFTER_STEP=$n, again)"
		TM_TEST_KILL_AFTER_STEP=$n trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
		RC=$?
		expect_rc 137
		tm resume --password-file "$PWD/pw1"
		expect_rc 0
		$check "$*/$n"
		n=$((n + 1))
	done
}

every_boundary none works -- create CORP PARTNER
every_boundary two_way works -- reset CORP PARTNER
every_boundary two_way works -- rotate CORP PARTNER
every_boundary two_way gone -- remove CORP PARTNER --sides both
every_boundary two_way works -- recreate CORP PARTNER
every_boundary none trust_completes -- permit PARTNER CORP --password-file "$PWD/pw1"
every_boundary permitted works -- trust CORP PARTNER --password-file "$PWD/pw1"
every_boundary recovered works -- recover-partners CORP --password-file "$PWD/pwT"
exit 0
