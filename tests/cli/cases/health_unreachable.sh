# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: a domain that cannot be read (its keytab damaged) is unreachable,
# exit status 4, the other trusts still diagnosed; a TDO for a domain
# trustmgr does not know cannot be checked. Neither has a fix trustmgr runs.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
add_sales
tm create CORP PARTNER
expect_rc 0
tm create CORP SALES
expect_rc 0
cp "$STORE/domains/PARTNER/krb5.keytab" keytab.saved
echo 'not a keytab' >"$STORE/domains/PARTNER/krb5.keytab"
tm health --json
expect_rc 4
json_ok
json_eq '[(f["partner_domain"], f["kind"], f["fix"]) for f in d["findings"] if f["kind"] != "ok"]' \
	"[('PARTNER', 'unreachable', 'manual')]"
json_eq 'len([f for f in d["findings"] if f["kind"] == "ok"])' 2
err_has "Part of the diagnosis could not be made"
tm repair CORP PARTNER
expect_rc 4
err_has "Unsupported key table format"
cp keytab.saved "$STORE/domains/PARTNER/krb5.keytab"
healthy

pwfile pw 'Unknown-partner-1'
tm tdo add CORP --partner other.example --flat OTHER --sid S-1-5-21-1-2-3 \
	--direction outbound --type uplevel --password-file pw
expect_rc 0
expect_problem unreachable manual
expect_detail "a domain trustmgr does not know"
tm repair CORP other.example
expect_rc 1
err_has "outside trustmgr"
