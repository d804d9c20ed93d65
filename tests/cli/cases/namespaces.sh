# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# namespaces DOMAIN PARTNER: a forest trust's name suffix routing on the
# embedded store. Two forests (CORP; PARTNER with a child domain), a forest
# trust between them: show, refresh check and store, exclusions, NetBIOS and
# SID disabling, enable-all, and clearing forest-transitive. After each
# change the stored msDS-TrustForestTrustInfo is taken out of domain.ldif
# and decoded by Samba's own NDR code (ndrdump drsblobs ForestTrustInfo),
# which must say what trustmgr says.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/fti_lib.sh"

add_corp
add_partner_forest
tm create CORP PARTNER --forest-transitive
expect_rc 0

# The default records (rule 6), stamped with the time of creation.
tm namespaces CORP PARTNER
expect_rc 0
out_has "Forest trust information CORP holds for partner.example (2 records):"
out_lacks "unknown"
tm namespaces CORP PARTNER --json
expect_rc 0
json_ok
json_eq 'len(d["records"])' 2
json_eq '[r["type"] for r in d["records"]]' "['TLN', 'domain']"
json_eq 'd["records"][1]["sid"]' S-1-5-21-2127521184-1604012920-1887927527
json_eq 'd["records"][1]["netbios"]' PARTNER
json_eq 'd["records"][0]["time"] is not None' True
fti CORP partner.example
ndr_has "0 0x00000000 partner.example"
ndr_has "2 0x00000000 partner.example"

# refresh check compares and writes nothing.
before=$(store_sum)
tm namespaces CORP PARTNER --refresh check
expect_rc 0
out_has "After the change (3 records):"
out_has "child.partner.example"
[ "$(store_sum)" = "$before" ] || fail "--refresh check changed the store"
tm namespaces CORP PARTNER --refresh check --json
json_eq 'len(d["before"])' 2
json_eq 'len(d["after"])' 3
# ... and mixing it with a change is a usage error.
tm namespaces CORP PARTNER --refresh check --enable-all
expect_rc 2

# refresh store: the child domain arrives.
tm namespaces CORP PARTNER --refresh store
expect_rc 0
out_has "was changed"
tm namespaces CORP PARTNER --json
json_eq '[(r["type"], r["name"], r["status"]) for r in d["records"]]' \
	"[('TLN', 'partner.example', 'enabled'), ('domain', 'partner.example', 'enabled'), ('domain', 'child.partner.example', 'enabled')]"
fti CORP partner.example
ndr_has "2 0x00000000 child.partner.example"
grep -q "sid                      : S-1-5-21-11-22-33" ndr.txt || fail "ndrdump lacks the child's SID"
grep -q "string                   : 'CHILD'" ndr.txt || fail "ndrdump lacks the child's NetBIOS name"

# An exclusion below the TLN; one elsewhere is refused; --dry-run writes nothing.
before=$(store_sum)
tm namespaces CORP PARTNER --add-tln-ex sales.partner.example --dry-run
expect_rc 0
out_has "TLN exclusion  sales.partner.example"
out_has "Nothing was written"
[ "$(store_sum)" = "$before" ] || fail "--dry-run changed the store"
tm namespaces CORP PARTNER --add-tln-ex elsewhere.example
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: "
err_has "elsewhere.example"
tm namespaces CORP PARTNER --add-tln-ex sales.partner.example,hr.partner.example
expect_rc 0
fti CORP partner.example
ndr_has "1 0x00000000 sales.partner.example"
ndr_has "1 0x00000000 hr.partner.example"
tm namespaces CORP PARTNER --delete-tln-ex hr.partner.example
expect_rc 0
fti CORP partner.example
ndr_lacks "hr.partner.example"
tm namespaces CORP PARTNER --delete-tln-ex hr.partner.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: "

# NetBIOS and SID disabling, several at once (applied in the documented order).
tm namespaces CORP PARTNER --disable-nb CHILD --disable-sid S-1-5-21-2127521184-1604012920-1887927527
expect_rc 0
tm namespaces CORP PARTNER --json
json_eq '[r["status"] for r in d["records"] if r["type"] == "domain"]' \
	"['SID disabled (admin)', 'NetBIOS disabled (admin)']"
fti CORP partner.example
ndr_has "2 0x00000001 partner.example"
ndr_has "2 0x00000004 child.partner.example"
tm namespaces CORP PARTNER --disable-tln partner.example
expect_rc 0
fti CORP partner.example
ndr_has "0 0x00000002 partner.example"
tm namespaces CORP PARTNER
out_has "disabled (admin)"
# A name the trust does not hold.
tm namespaces CORP PARTNER --enable-nb NOSUCH
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: "
err_has "NOSUCH"

# enable-all: every TLN and domain record enabled again; exclusions stay.
tm namespaces CORP PARTNER --enable-all
expect_rc 0
fti CORP partner.example
ndr_has "0 0x00000000 partner.example"
ndr_has "2 0x00000000 partner.example"
ndr_has "2 0x00000000 child.partner.example"
ndr_has "1 0x00000000 sales.partner.example"

# The change went through a plan: the audit trail has it.
grep -q "namespaces" "$STORE/audit.log" || fail "the audit trail lacks the namespaces plan"

# Clearing forest-transitive drops the information; namespaces then refuses.
tm tdo modify CORP PARTNER --no-forest-transitive
expect_rc 0
tm namespaces CORP PARTNER
expect_rc 3
err_starts "STATUS_INVALID_DOMAIN_STATE: "
err_has "not a forest trust"

# The forest's own names (one argument).
tm namespaces PARTNER --json
expect_rc 0
json_eq 'sorted(x["dns"] for x in d["domains"])' "['child.partner.example', 'partner.example']"
tm namespaces PARTNER --enable-all
expect_rc 2
