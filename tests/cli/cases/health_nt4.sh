# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: the demo's LEGACY is NT 4.0 SP6 at LMCompatibilityLevel 4; when its
# trust fails, the diagnosis names KB Q243655 (a fix outside trustmgr) after
# the fixable cause, which repair fixes.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

pwfile pwT 'Recovery-passwordT-7'
tm demo
expect_rc 0
tm health CORP
expect_rc 0
out_lacks "nt4-lmcompat"

tm reset-one-side CORP LEGACY --password-file pwT
expect_rc 0
tm health CORP --json
expect_rc 1
json_eq '[f["kind"] for f in d["findings"] if f["partner_domain"] == "LEGACY"]' \
	"['kvno-mismatch', 'nt4-lmcompat']"
json_eq '[f["fix"] for f in d["findings"] if f["kind"] == "nt4-lmcompat"]' "['manual']"
json_eq '[f["fix_command"] for f in d["findings"] if f["kind"] == "nt4-lmcompat"]' "[None]"
tm health CORP
expect_rc 1
out_has "KB"
out_has "Q243655"
out_has "STATUS_TRUSTED_DOMAIN_FAILURE"
out_has "LEGACY: NT 4.0 SP6, LMCompatibilityLevel 4"
out_has "Netlogon"

tm repair CORP LEGACY --password-file pwT
expect_rc 0
tm verify CORP LEGACY
expect_rc 0
tm health CORP
expect_rc 0
out_lacks "nt4-lmcompat"
