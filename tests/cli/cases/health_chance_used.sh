# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: a wrong initial password used the one chance; repair removes the
# used permission, permits again with a new password and trusts with it.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
pwfile pw 'Initial-password-1'
pwfile bad 'Wrong-password-2'
pwfile pw2 'New-initial-password-3'
tm permit PARTNER CORP --password-file pw
expect_rc 0
tm trust CORP PARTNER --password-file bad
expect_rc 1
expect_problem chance-used repermit
json_eq '[f["domain"] for f in d["findings"]][0]' PARTNER
expect_detail 'trust account CORP$ locked on'
out_has "trustmgr remove PARTNER CORP --direction inbound; trustmgr permit PARTNER CORP; trustmgr trust CORP PARTNER"

tm repair CORP PARTNER --password-file pw2 --dry-run
expect_rc 0
out_has "delete the interdomain trust account of CORP"
out_has "prove the password as CORP's trust account"

repair_verifies CORP PARTNER --password-file pw2
