# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: a secret older than the rotation policy (TM_TEST_NOW moves the
# clock of the diagnosis; --rotation-days 0 makes every secret due); repair
# and rotate change it keeping the previous one.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
tm create CORP PARTNER
expect_rc 0
healthy
later=$(( $(date +%s) + 40 * 86400 ))

TM_TEST_NOW=$later tm health --json
expect_rc 1
json_eq '[(f["kind"], f["fix"], f["fix_command"]) for f in d["findings"]][0]' \
	"('secret-old', 'rotate', 'trustmgr rotate CORP PARTNER')"
json_eq 'd["rotation_days"]' 30
TM_TEST_NOW=$later tm health --rotation-days 60
expect_rc 0
tm health --rotation-days 0
expect_rc 1
out_has "secret-old"
tm health --rotation-days 0 --json
expect_rc 1
out_has "less than a day ago; the rotation policy is 0 days"
tm health --rotation-days 9999
expect_rc 2

TM_TEST_NOW=$later tm repair CORP PARTNER
expect_rc 0
out_has "rotated on both sides"
tm verify CORP PARTNER
expect_rc 0
healthy
tm show CORP PARTNER --json
json_eq '(d["outgoing"]["current_kvno"], d["outgoing"]["previous_kvno"])' "(2, 1)"

tm rotate CORP PARTNER --dry-run
expect_rc 0
out_has "Plan: rotate the trust secret between CORP and PARTNER"
tm rotate CORP PARTNER
expect_rc 0
tm show PARTNER CORP --json
json_eq '(d["incoming"]["current_kvno"], d["incoming"]["previous_kvno"])' "(3, 2)"
