# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# create both sides with a generated secret, then verify; the rules refuse
# self-trust, forest-transitive from a child domain and duplicates.
. "$TM_LIB"

add_corp
add_sales
add_partner

tm create CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok"
out_has "PARTNER trusts CORP: ok"

tm verify CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok (kvno 1, aes256-cts-hmac-sha1-96)"
out_has "PARTNER trusts CORP: ok (kvno 1, aes256-cts-hmac-sha1-96)"

tm list PARTNER --json
json_eq '[x["direction"] for x in d["trusted"] if x["name"]=="CORP"][0]' two-way
json_eq '[x["state"] for x in d["trusting"] if x["name"]=="CORP"][0]' verified

# Self-trust, by store name and by DNS name.
tm create CORP CORP
expect_rc 3
err_starts "STATUS_CURRENT_DOMAIN_NOT_ALLOWED: "
tm tdo add CORP --partner corp.example --flat CORP --sid S-1-5-21-1004336348-1177238915-682003330 \
	--direction outbound --type uplevel
expect_rc 3
err_starts "STATUS_CURRENT_DOMAIN_NOT_ALLOWED: "

# Forest-transitive only from the forest root.
tm create SALES PARTNER --forest-transitive
expect_rc 3
err_starts "STATUS_INVALID_DOMAIN_STATE: "

# A second trust with the same partner.
tm create CORP PARTNER
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "
tm tdo add CORP --partner partner.example --flat PARTNER \
	--sid S-1-5-21-2127521184-1604012920-1887927527 --direction inbound --type uplevel
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "

# One-way within the forest, outbound only.
tm create CORP SALES --direction outbound
expect_rc 0
tm list CORP --json
json_eq '[x["direction"] for x in d["trusted"] if x["name"]=="SALES"][0]' one-way
json_eq 'len([x for x in d["trusting"] if x["name"]=="SALES"])' 0
tm show CORP SALES --json
json_eq '"within-forest" in d["attributes"]' True
