# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: an interdomain trust account that no TDO uses any more. PARTNER
# permits CORP (a TDO with the inbound direction and CORP's account), then
# its TDO loses the inbound direction without the account going (tdo modify,
# as a change over LDAP would): the account is orphan-account, after the
# one-sided finding; repair recreates the trust, then deletes the account.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
pwfile pw 'Initial-password-1'
tm permit PARTNER CORP --password-file pw
expect_rc 0
tm tdo modify PARTNER CORP --direction outbound
expect_rc 0
expect_problem one-sided recreate
json_eq '[(f["domain"], f["partner_domain"], f["direction"], f["fix"], f["fix_command"]) for f in d["findings"] if f["kind"] == "orphan-account"]' \
	"[('PARTNER', 'CORP', 'inbound', 'delete-account', 'trustmgr repair PARTNER CORP')]"
expect_detail 'The trust account CORP$ of CORP remains in PARTNER without a trusted domain object that uses it'
out_has 'STATUS_DOMAIN_EXISTS'
tm health PARTNER
expect_rc 1
out_has "PARTNER  CORP     inbound    orphan-account  delete-account"

# the first repair recreates the trust as PARTNER describes it (outbound):
# the account stays, and is what is left
tm repair PARTNER CORP
expect_rc 0
out_has "orphan-account (delete-account): trustmgr repair PARTNER CORP"
tm repair PARTNER CORP --dry-run
expect_rc 0
out_has "1. delete the leftover interdomain trust account CORP\$ of CORP"
tm repair PARTNER CORP --json
expect_rc 0
json_eq 'd["op"]' "delete-account"
json_eq 'd["finding"]["kind"]' "orphan-account"
json_eq 'd["directions"]' "[]"
json_eq 'd["remaining"]' "[]"
healthy
