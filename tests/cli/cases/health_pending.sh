# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: NT style trusts left half done. Permitted but never established,
# and trusted before the permit (KB Q112214): both pending; repair finishes
# each with the initial password.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
pwfile pw 'Initial-password-1'
tm permit PARTNER CORP --password-file pw
expect_rc 0
expect_problem pending establish
json_eq '[f["fix_command"] for f in d["findings"]][0]' "trustmgr trust CORP PARTNER"
expect_detail "PARTNER permits CORP to trust it, but CORP has not established the trust"
# A verify overwrites the recorded state; the armed account and the unused
# secret still say "permitted".
tm verify PARTNER CORP
expect_rc 1
tm list PARTNER --json
json_eq '[t["state"] for t in d["trusting"]]' "['broken']"
expect_problem pending establish
repair_verifies CORP PARTNER --password-file pw
out_has "CORP    PARTNER  outbound   ok"

tm remove CORP PARTNER --sides both
expect_rc 0
tm trust CORP PARTNER --password-file pw
expect_rc 1
expect_problem pending establish
expect_detail "CORP recorded that it trusts PARTNER before PARTNER permitted it"
out_has "trustmgr permit PARTNER CORP; trustmgr trust CORP PARTNER"
repair_verifies CORP PARTNER --password-file pw
