# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# namespaces: a forest's own names (UPN and SPN suffixes) and the forest
# trust information they feed. The partner forest (a root and a child) gets
# an extra UPN suffix and an SPN suffix; a refresh brings them as top-level
# names disabled as new (ndrdump sees the flags); a suffix the local forest
# holds may not be routed to the partner, nor may the local forest take a
# name a forest trust routes; deleting a suffix drops its TLN at the next
# refresh. The suffixes are stored in domain.ldif (uPNSuffixes,
# msDS-SPNSuffixes), whose checksum every later command verifies.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/fti_lib.sh"

add_corp
add_partner_forest
tm create CORP PARTNER --forest-transitive
expect_rc 0

# The partner forest's own names.
tm namespaces PARTNER --add-upn-suffix upn.example --add-spn-suffix svc.example --dry-run
expect_rc 0
out_has "set the UPN suffixes to [upn.example] and the SPN suffixes to [svc.example]"
grep -q uPNSuffixes "$STORE/domains/PARTNER/domain.ldif" && fail "--dry-run wrote the suffixes"
tm namespaces PARTNER --add-upn-suffix upn.example --add-spn-suffix svc.example
expect_rc 0
grep -qx "uPNSuffixes: upn.example" "$STORE/domains/PARTNER/domain.ldif" ||
	fail "domain.ldif lacks uPNSuffixes"
grep -qx "msDS-SPNSuffixes: svc.example" "$STORE/domains/PARTNER/domain.ldif" ||
	fail "domain.ldif lacks msDS-SPNSuffixes"
tm namespaces PARTNER --json
expect_rc 0
json_eq '[x["upn_suffixes"] for x in d["domains"] if x["name"] == "PARTNER"][0]' "['upn.example']"
json_eq '[x["spn_suffixes"] for x in d["domains"] if x["name"] == "PARTNER"][0]' "['svc.example']"
tm namespaces PARTNER --add-upn-suffix UPN.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "
tm namespaces PARTNER --add-upn-suffix 'not a name'
expect_rc 3
tm namespaces PARTNER --delete-upn-suffix nosuch.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: "

# The refresh: the child domain, the suffixes as TLNs disabled as new.
tm namespaces CORP PARTNER --refresh store
expect_rc 0
tm namespaces CORP PARTNER --json
json_eq '[(r["name"], r["status"]) for r in d["records"] if r["type"] == "TLN"]' \
	"[('partner.example', 'enabled'), ('upn.example', 'disabled (new)'), ('svc.example', 'disabled (new)')]"
fti CORP partner.example
ndr_has "0 0x00000001 upn.example"
ndr_has "0 0x00000001 svc.example"
ndr_has "2 0x00000000 child.partner.example"
tm namespaces CORP PARTNER --enable-tln upn.example
expect_rc 0
fti CORP partner.example
ndr_has "0 0x00000000 upn.example"

# CORP may not take a name routed to the partner forest.
tm namespaces CORP --add-upn-suffix upn.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "
err_has "partner.example"
tm namespaces CORP --add-upn-suffix mail.example
expect_rc 0

# Nor may the partner forest's TLN cover CORP's own names (rule 13).
tm namespaces PARTNER --add-upn-suffix mail.example
expect_rc 0
tm namespaces CORP PARTNER --refresh store
expect_rc 0
fti CORP partner.example
ndr_has "0 0x00000001 mail.example"
tm namespaces CORP PARTNER --enable-tln mail.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "
err_has "the local forest CORP"
tm namespaces CORP PARTNER --enable-all --json --dry-run
json_eq '[r["status"] for r in d["after"] if r["name"] == "mail.example"]' "['conflict']"
json_eq '[r["conflict_with"] for r in d["after"] if r["name"] == "mail.example"]' \
	"['the local forest CORP']"

# A suffix the partner forest gives up leaves with the next refresh.
tm namespaces PARTNER --delete-upn-suffix mail.example
expect_rc 0
tm namespaces CORP PARTNER --refresh store
expect_rc 0
fti CORP partner.example
ndr_lacks "mail.example"
ndr_has "0 0x00000000 upn.example"
# The checksum of domain.ldif holds: the store reads it.
tm namespaces PARTNER
expect_rc 0
out_has "UPN suffix     upn.example"
out_lacks "mail.example"
tm domain list
expect_rc 0

# Both kinds of plan killed after their step: the journal holds them (its
# plan text carries the suffixes and the records), rollback puts the store
# back byte for byte, resume finishes them.
for args in "namespaces PARTNER --add-upn-suffix late.example" \
	"namespaces CORP PARTNER --disable-tln upn.example"; do
	before=$(store_sum)
	LAST="$args (TM_TEST_KILL_AFTER_STEP=1)"
	# shellcheck disable=SC2086 # args: words
	TM_TEST_KILL_AFTER_STEP=1 trustmgr $args >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 137
	tm journal --json
	expect_rc 0
	json_eq 'd["done"]' 1
	tm rollback
	expect_rc 0
	[ "$(store_sum)" = "$before" ] || fail "$args: rollback left the store changed"
	TM_TEST_KILL_AFTER_STEP=1 trustmgr $args >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 137
	tm resume
	expect_rc 0
done
grep -qx "uPNSuffixes: late.example" "$STORE/domains/PARTNER/domain.ldif" ||
	fail "resume did not write the suffix"
fti CORP partner.example
ndr_has "0 0x00000002 upn.example"
