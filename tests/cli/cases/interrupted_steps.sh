# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# A create killed after each of its steps in turn: resume always ends with a
# verified trust, rollback always restores the store files byte for byte.
. "$TM_LIB"

add_corp
add_partner
tm create CORP PARTNER --dry-run --json
expect_rc 0
steps=$("$TM_PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["steps"]))' <"$OUT")
[ "$steps" -gt 2 ] || fail "create should have several steps, has $steps"
before=$(store_sum)

n=1
while [ "$n" -lt "$steps" ]; do
	LAST="create CORP PARTNER (TM_TEST_KILL_AFTER_STEP=$n)"
	TM_TEST_KILL_AFTER_STEP=$n trustmgr create CORP PARTNER >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 137
	tm journal --json
	json_eq 'd["done"]' "$n"
	tm rollback
	expect_rc 0
	[ "$(store_sum)" = "$before" ] || fail "rollback after step $n left the store changed"

	LAST="create CORP PARTNER (TM_TEST_KILL_AFTER_STEP=$n)"
	TM_TEST_KILL_AFTER_STEP=$n trustmgr create CORP PARTNER >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 137
	tm resume
	expect_rc 0
	tm verify CORP PARTNER
	expect_rc 0
	tm remove CORP PARTNER --sides both
	expect_rc 0
	before=$(store_sum)
	n=$((n + 1))
done
