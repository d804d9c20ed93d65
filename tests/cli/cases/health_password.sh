# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: both sides reset alone with different passwords: same key version,
# different keys; repair gives both sides one new random secret.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
pwfile pwA 'Password-A-1'
pwfile pwB 'Password-B-2'
tm create CORP PARTNER
expect_rc 0
tm reset-one-side CORP PARTNER --password-file pwA
expect_rc 0
tm reset-one-side PARTNER CORP --password-file pwB
expect_rc 0
expect_problem password-mismatch reset
json_eq '[f["fix_command"] for f in d["findings"]][0]' "trustmgr reset CORP PARTNER"
expect_detail "Decrypt integrity check failed"

repair_verifies CORP PARTNER
tm show CORP PARTNER --json
json_eq 'd["outgoing"]["current_kvno"]' 3
