# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# namespaces: collisions between two forest trusts of one forest (docs/RULES.md,
# rules 13 to 15). CORP trusts the forest partner.example and a forest whose
# root, rogue.partner.example, lies below partner.example's TLN; a third
# trust, to a domain trustmgr does not know, claims the NetBIOS name of the
# partner forest's child domain. The conflicts are stored (ndrdump sees the
# conflict bits) and enabling a record in conflict is refused, naming the
# other trust, until the other trust excludes the name.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/fti_lib.sh"

add_corp
add_partner_forest
tm domain add ROGUE --dns rogue.partner.example --netbios ROGUE \
	--sid S-1-5-21-44-55-66 --functional-level 2016
expect_rc 0
tm create CORP PARTNER --forest-transitive
expect_rc 0
tm namespaces CORP PARTNER --refresh store
expect_rc 0

# A TLN below another trust's enabled TLN: shown in conflict, with whom.
tm create CORP ROGUE --forest-transitive
expect_rc 0
tm namespaces CORP ROGUE --json
json_eq 'd["records"][0]["conflict_with"]' "trust partner.example"
json_eq 'd["records"][0]["conflict_name"]' "partner.example"
# Any change records the conflict bit in the attribute.
tm namespaces CORP ROGUE --refresh store
expect_rc 0
out_has "conflict (collides with trust partner.example: partner.example)"
fti CORP rogue.partner.example
ndr_has "0 0x00000004 rogue.partner.example"
# Enabling it is refused with the reason; nothing is written.
before=$(store_sum)
tm namespaces CORP ROGUE --enable-tln rogue.partner.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "
err_has "trust partner.example"
[ "$(store_sum)" = "$before" ] || fail "a refused change wrote to the store"
# enable-all leaves it in conflict (and says so).
tm namespaces CORP ROGUE --enable-all --json --dry-run
json_eq 'd["after"][0]["status"]' "conflict"

# The other trust excludes the name: now it may be enabled.
tm namespaces CORP PARTNER --add-tln-ex rogue.partner.example
expect_rc 0
tm namespaces CORP ROGUE --enable-tln rogue.partner.example
expect_rc 0
fti CORP rogue.partner.example
ndr_has "0 0x00000000 rogue.partner.example"
# Deleting the exclusion now would put partner.example, routed, in conflict
# with the name the other trust routes: refused, nothing written.
before=$(store_sum)
tm namespaces CORP PARTNER --delete-tln-ex rogue.partner.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "
err_has "trust rogue.partner.example"
[ "$(store_sum)" = "$before" ] || fail "a refused change wrote to the store"
# Disabled there first, the exclusion can go.
tm namespaces CORP ROGUE --disable-tln rogue.partner.example --disable-sid S-1-5-21-44-55-66
expect_rc 0
tm namespaces CORP PARTNER --delete-tln-ex rogue.partner.example
expect_rc 0
fti CORP rogue.partner.example
ndr_has "0 0x00000002 rogue.partner.example"
ndr_has "2 0x00000001 rogue.partner.example"
fti CORP partner.example
ndr_has "0 0x00000000 partner.example"
ndr_lacks "rogue"

# A domain record whose NetBIOS name another trust routes: NetBIOS conflict.
pwfile pw 'dup-trust-password-1'
tm tdo add CORP --partner dup.example --flat CHILD --sid S-1-5-21-77-88-99 \
	--direction both --type uplevel --attributes forest-transitive --password-file pw
expect_rc 0
tm namespaces CORP dup.example --refresh store
expect_rc 0
fti CORP dup.example
ndr_has "2 0x00000008 dup.example"
tm namespaces CORP dup.example --enable-nb CHILD
expect_rc 3
err_starts "STATUS_OBJECT_NAME_COLLISION: "
err_has "trust partner.example"
# The partner forest's trust stops routing CHILD: no conflict any more.
tm namespaces CORP PARTNER --disable-nb CHILD
expect_rc 0
tm namespaces CORP dup.example --enable-nb CHILD
expect_rc 0
fti CORP dup.example
ndr_has "2 0x00000000 dup.example"
