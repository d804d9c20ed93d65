# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: one end drops a direction (tdo modify); the ends disagree about the
# direction; repair recreates the trust as the domain named first describes it.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
tm create CORP PARTNER
expect_rc 0
tm tdo modify PARTNER CORP --direction outbound
expect_rc 0
expect_problem direction-mismatch recreate
json_eq '[f["direction"] for f in d["findings"] if f["kind"] != "ok"][0]' outbound
expect_detail "CORP says CORP trusts PARTNER and PARTNER trusts CORP, PARTNER says PARTNER trusts CORP"
tm health
expect_rc 1
out_has "Run:      trustmgr recreate CORP PARTNER"
tm verify CORP PARTNER
expect_rc 1

repair_verifies CORP PARTNER
tm show PARTNER CORP --json
json_eq 'd["direction"]' two-way
