# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# trustmgr demo fills an empty store; list, show, verify and their JSON.
. "$TM_LIB"

tm demo
expect_rc 0
out_has "Demo store created"
out_has "trustmgr list CORP"

# A second run refuses: the store is no longer empty.
tm demo
expect_rc 3
err_starts "STATUS_DOMAIN_EXISTS: "

tm domain list --json
expect_rc 0
json_ok
json_eq 'sorted(x["name"] for x in d["domains"])' "['CORP', 'LAB', 'LEGACY', 'PARTNER', 'SALES']"
json_eq '[x for x in d["domains"] if x["name"]=="LEGACY"][0]["lm_compat_level"]' 4

tm list CORP
expect_rc 0
out_has "Trusted domains (CORP trusts them, outbound):"
out_has "Trusting domains (they trust CORP, inbound):"
out_has "(NT 4)"
# Two-way trusts appear in both sections.
[ "$(grep -c '^  SALES ' "$OUT")" = 2 ] || fail "SALES should be listed twice (two-way)"
[ "$(grep -c '^  PARTNER ' "$OUT")" = 2 ] || fail "PARTNER should be listed twice (two-way)"
[ "$(grep -c '^  LEGACY ' "$OUT")" = 1 ] || fail "LEGACY should be listed once (one-way)"

tm list CORP --json
expect_rc 0
json_ok
json_eq '[x["name"] for x in d["trusted"] if x["name"]=="SALES"][0]' SALES
json_eq '[x["state"] for x in d["trusted"] if x["name"]=="SALES"][0]' verified
json_eq '[x["direction"] for x in d["trusted"] if x["name"]=="LEGACY"][0]' one-way
json_eq '[x["display"] for x in d["trusted"] if x["name"]=="LEGACY"][0]' "(NT 4)"
json_eq '[x["type"] for x in d["trusted"] if x["partner"]=="LAB.EXAMPLE"][0]' mit
json_eq 'len([x for x in d["trusting"] if x["name"]=="LEGACY"])' 0

# The trust broken at one end and the one never established.
tm list SALES --json
json_eq '[x["state"] for x in d["trusted"] if x["name"]=="PARTNER"][0]' broken
tm list LEGACY --json
json_eq '[x["state"] for x in d["trusting"] if x["name"]=="PARTNER"][0]' permitted

tm show CORP PARTNER
expect_rc 0
out_has "Partner (trustPartner):"
out_has "S-1-5-21-2127521184-1604012920-1887927527"
out_has "forest-transitive (0x00000008)"
out_has "Forest trust information:  2 records"
out_has "previous equals current: yes"
out_has "krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE"
out_has "krbtgt/PARTNER.EXAMPLE@CORP.EXAMPLE"

tm show CORP partner.example --json
expect_rc 0
json_ok
json_eq 'd["flat_name"]' PARTNER
json_eq 'd["trust_attributes"] & 8' 8
json_eq '"forest-transitive" in d["attributes"]' True
json_eq 'd["forest_trust_records"]' 2
json_eq 'd["incoming"]["current"] and d["outgoing"]["current"]' True
json_eq 'len(d["principals"])' 2
json_eq 'd["state"]' verified

tm verify CORP SALES
expect_rc 0
out_has "CORP trusts SALES: ok (kvno "
out_has "SALES trusts CORP: ok (kvno "

tm verify CORP SALES --json
expect_rc 0
json_ok
json_eq 'd["ok"]' True
json_eq '[x["outcome"] for x in d["directions"]]' "['ok', 'ok']"

tm verify SALES PARTNER
expect_rc 1
out_has "SALES trusts PARTNER: missing-tdo"

tm verify SALES PARTNER --json
expect_rc 1
json_ok
json_eq 'd["ok"]' False
json_eq 'd["directions"][0]["outcome"]' missing-tdo

tm show LEGACY PARTNER
expect_rc 0
out_has "Last known state:          permitted"

# Without a command: every domain's trusts.
tm
expect_rc 0
out_has "Trusted domains (LEGACY trusts them, outbound):"
out_has "Trusted domains (CORP trusts them, outbound):"
