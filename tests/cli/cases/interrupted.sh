# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# A plan killed half-way (TM_TEST_KILL_AFTER_STEP) is reported at the next
# start; changes are refused until it is resumed or rolled back.
. "$TM_LIB"

killed() {
	step=$1
	shift
	LAST="$* (TM_TEST_KILL_AFTER_STEP=$step)"
	TM_TEST_KILL_AFTER_STEP=$step trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

add_corp
add_partner
add_sales

killed 3 create CORP PARTNER
expect_rc 137

tm create CORP SALES
expect_rc 4
err_has "A 'create' plan (CORP PARTNER)"
err_has "was interrupted after 3 of "
err_has "trustmgr resume"
err_has "trustmgr rollback"
err_has "trustmgr journal"

tm domain add NEW --dns new.example --netbios NEW --sid S-1-5-21-71-72-73
expect_rc 4

# Reading still works, with a warning.
tm list CORP
expect_rc 0
err_starts "warning: "

tm journal
expect_rc 0
out_has "Interrupted plan: create CORP PARTNER"
out_has "3 of "
out_has "[done]"
tm journal --json
expect_rc 0
json_ok
json_eq 'd["interrupted"]' True
json_eq 'd["done"]' 3
json_eq 'd["op"]' create

tm resume
expect_rc 0
tm journal --json
json_eq 'd["interrupted"]' False
tm verify CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok"
out_has "PARTNER trusts CORP: ok"

# Rollback puts every touched domain back byte for byte.
before=$(store_sum)
killed 2 create CORP SALES
expect_rc 137
tm create CORP SALES
expect_rc 4
tm rollback
expect_rc 0
out_has "Rolled back the interrupted 'create' plan"
[ "$(store_sum)" = "$before" ] || fail "rollback did not restore the store files"
tm journal --json
json_eq 'd["interrupted"]' False

tm resume
expect_rc 0
out_has "Nothing to resume"
tm create CORP SALES
expect_rc 0
