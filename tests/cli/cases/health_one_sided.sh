# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: a trust removed at one end (KB Q102650) is one-sided; repair
# recreates both ends as the surviving end describes them; --dry-run first
# shows that plan and writes nothing.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
tm create CORP PARTNER --forest-transitive
expect_rc 0
healthy
out_has "CORP    PARTNER  outbound   ok"

tm remove PARTNER CORP --sides local
expect_rc 0
expect_problem one-sided recreate
json_eq '[f["fix_command"] for f in d["findings"]][0]' "trustmgr recreate CORP PARTNER"
json_eq '[f["direction"] for f in d["findings"]][0]' "two-way"
expect_detail "PARTNER: no TDO for CORP"
out_has "KB Q102650"
tm health
expect_rc 1
out_has "1 of 1 finding needs attention."

before=$(store_sum)
tm repair CORP PARTNER --dry-run
expect_rc 0
out_has "Plan: recreate the trust between CORP and PARTNER"
out_has "Nothing was written (--dry-run)."
[ "$(store_sum)" = "$before" ] || fail "repair --dry-run changed the store"

repair_verifies CORP PARTNER
tm show PARTNER CORP --json
json_eq 'd["direction"]' two-way
json_eq '"forest-transitive" in d["attributes"]' True
