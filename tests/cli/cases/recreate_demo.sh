# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# recreate (KB Q102650) of the demo's SALES -> PARTNER trust, broken at one
# end (PARTNER's end was removed): both ends removed and established again
# with the surviving end's direction, type and attributes, then verified;
# also when the plan is killed after a step and resumed.
. "$TM_LIB"

tm demo
expect_rc 0
tm verify SALES PARTNER
expect_rc 1
tm show SALES PARTNER --json
attrs=$("$TM_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d["trust_attributes"], d["trust_type"], d["trust_direction"])' <"$OUT")
before=$(store_sum)

tm recreate SALES PARTNER --dry-run
expect_rc 0
out_has "Plan: recreate the trust between SALES and PARTNER (outbound, uplevel"
out_has "SALES:"
out_has "PARTNER:"
out_has "delete the trusted domain object for partner.example"
out_has "create the trusted domain object for sales.corp.example (inbound, external)"
out_has "verify that SALES trusts PARTNER"
out_has "generated at random"
out_lacks "Then, in this order"
tm recreate SALES PARTNER --dry-run --json
expect_rc 0
json_ok
json_eq 'd["op"]' recreate
[ "$(store_sum)" = "$before" ] || fail "--dry-run changed the store"

tm recreate SALES PARTNER
expect_rc 0
out_has "SALES trusts PARTNER: ok"
out_has "removed at both ends and established again with new random secrets"
tm verify SALES PARTNER
expect_rc 0
tm show SALES PARTNER --json
now=$("$TM_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d["trust_attributes"], d["trust_type"], d["trust_direction"])' <"$OUT")
[ "$now" = "$attrs" ] || fail "attributes, type, direction changed: $attrs -> $now"
tm show PARTNER SALES --json
json_eq 'd["direction"]' inbound
json_eq 'd["trust_attributes"]' "${attrs%% *}"

# Killed after each step in turn: resume reads the generated secret back
# and the trust verifies.
tm recreate SALES PARTNER --dry-run --json
steps=$("$TM_PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["steps"]))' <"$OUT")
n=1
while [ "$n" -lt "$steps" ]; do
	LAST="recreate SALES PARTNER (TM_TEST_KILL_AFTER_STEP=$n)"
	TM_TEST_KILL_AFTER_STEP=$n trustmgr recreate SALES PARTNER >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 137
	tm resume
	expect_rc 0
	tm verify SALES PARTNER
	expect_rc 0
	n=$((n + 1))
done

# A two-way forest trust keeps its forest trust information.
tm recreate CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok"
out_has "PARTNER trusts CORP: ok"
tm show CORP PARTNER --json
json_eq 'd["attributes"]' "['forest-transitive']"
json_eq 'd["forest_trust_records"] > 0' True

# Nothing left at either end.
tm remove SALES PARTNER --sides both
expect_rc 0
tm recreate SALES PARTNER
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: neither SALES nor PARTNER holds an end"
err_has "trustmgr create SALES PARTNER"
