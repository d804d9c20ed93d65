# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# domain add / domain list, the kinds of domain and the naming rules.
. "$TM_LIB"

tm domain list
expect_rc 0
out_has "No domains in the store"

add_corp
out_has "Domain CORP (ad, corp.example) added"
add_sales
add_legacy
tm domain add LAB --kind mit --realm lab.example --dns lab.example
expect_rc 0

tm domain list
expect_rc 0
out_has "CORP "
out_has "S-1-5-21-1004336348-1177238915-682003330"
out_has "SALES.CORP.EXAMPLE"

tm domain list --json
expect_rc 0
json_ok
json_eq 'len(d["domains"])' 4
json_eq '[x for x in d["domains"] if x["name"]=="CORP"][0]["realm"]' CORP.EXAMPLE
json_eq '[x for x in d["domains"] if x["name"]=="SALES"][0]["forest"]' corp.example
json_eq '[x for x in d["domains"] if x["name"]=="LEGACY"][0]["realm"]' LEGACY
json_eq '[x for x in d["domains"] if x["name"]=="LEGACY"][0]["kind"]' nt4
json_eq '[x for x in d["domains"] if x["name"]=="LEGACY"][0]["nt_service_pack"]' 6
json_eq '[x for x in d["domains"] if x["name"]=="LEGACY"][0]["dns"]' None
json_eq '[x for x in d["domains"] if x["name"]=="LAB"][0]["realm"]' LAB.EXAMPLE
json_eq '[x for x in d["domains"] if x["name"]=="CORP"][0]["functional_level"]' 2016

# Refusals name the NTSTATUS and exit 3.
tm domain add BAD --dns bad.example --netbios BAD --sid S-1-5-21-1-2-0
expect_rc 3
err_starts "STATUS_INVALID_SID: "

tm domain add BAD --dns bad.example --netbios BAD --sid S-1-5-32-544
expect_rc 3
err_starts "STATUS_INVALID_SID: "

tm domain add BAD --dns bad.example --netbios BAD --sid not-a-sid
expect_rc 3
err_starts "STATUS_INVALID_SID: "

tm domain add BAD --dns bad.example --netbios ABCDEFGHIJKLMNOP --sid S-1-5-21-7-8-9
expect_rc 3
err_starts "STATUS_OBJECT_NAME_INVALID: "

tm domain add BAD --dns bad.example --netbios 'BA*D' --sid S-1-5-21-7-8-9
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: "

tm domain add BAD --dns -bad-.example --netbios BAD --sid S-1-5-21-7-8-9
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: "

tm domain add BAD --dns bad.example --netbios BAD --sid S-1-5-21-7-8-9 --functional-level 1999
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: --functional-level: "

tm domain add BAD --dns bad.example --netbios BAD --sid S-1-5-21-7-8-9 --kind vms
expect_rc 2
err_has "--kind takes ad, nt4 or mit"

tm domain add BAD --kind mit
expect_rc 2
err_has "--realm is required"

tm domain list --json
json_eq 'len(d["domains"])' 4

# A UTF-8 NetBIOS name is kept and passes through JSON unchanged.
tm domain add MUENCHEN --dns muenchen.example --netbios 'MÜNCHEN' --sid S-1-5-21-11-12-13
expect_rc 0
tm domain list --json
json_ok
json_eq '[x for x in d["domains"] if x["name"]=="MUENCHEN"][0]["netbios"]' 'MÜNCHEN'

# --store chooses another folder; the default one is untouched by it.
tm --store "$PWD/other" domain add OTHER --dns other.example --netbios OTHER --sid S-1-5-21-21-22-23
expect_rc 0
[ -f "$PWD/other/domains/OTHER/domain.ldif" ] || fail "--store folder not used"
tm domain list --store "$PWD/other" --json
json_eq 'len(d["domains"])' 1
tm domain list --json
json_eq 'len(d["domains"])' 5
