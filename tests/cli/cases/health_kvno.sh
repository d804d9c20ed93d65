# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: one side reset alone (forest recovery half done) is a key version
# mismatch; the fix is the same password on the other side, so repair needs
# it (--password-file) and then the trust verifies.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
pwfile pwT 'Recovery-passwordT-42'
tm create CORP PARTNER
expect_rc 0
tm reset-one-side CORP PARTNER --password-file pwT
expect_rc 0
expect_problem kvno-mismatch reset-one-side
json_eq '[f["fix_command"] for f in d["findings"]][0]' "trustmgr reset-one-side PARTNER CORP"
expect_detail "CORP holds krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE at kvno 2, PARTNER at kvno 1; verify: kvno-mismatch"
out_has "current = previous"

# Without the password and no terminal: refused before anything is written.
before=$(store_sum)
tm repair CORP PARTNER
expect_rc 2
[ "$(store_sum)" = "$before" ] || fail "a refused repair changed the store"

repair_verifies CORP PARTNER --password-file pwT
tm show PARTNER CORP --json
json_eq 'd["outgoing"]["previous_equals_current"]' True
