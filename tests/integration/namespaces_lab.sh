#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Forest trust information (name suffix routing) on real OpenLDAP
# directories: domain A trusts the forest of B, whose forest also holds C
# (trustmgr.conf says C's forest root is b.lab.test) and a UPN and an SPN
# suffix (on its Partitions container). After each change the
# attribute is fetched with ldapsearch from A's directory and decoded by
# Samba's own NDR code (ndrdump drsblobs ForestTrustInfo), which must say
# what trustmgr says: refresh (C arrives), enable, exclusions, NetBIOS and
# SID disabling, a collision with a second forest trust of A, clearing
# forest-transitive; A's own UPN and SPN suffixes written, rolled back and
# deleted (judged with ldapsearch of its Partitions container). Prints
# "namespaces-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=namespaces-lab
LAB_TMP=nsl
LAB_OPTS="--domains 3"
if ! command -v ndrdump >/dev/null 2>&1; then
	echo "namespaces-lab: skipped: ndrdump (samba-common-bin) is not installed"
	echo "namespaces-lab: 0 passed, 0 failed"
	exit 0
fi
. "$(dirname "$0")/lab_lib.sh"

# C belongs to B's forest.
awk '/^    C = \{$/ { c = 1 } c && /^        forest = / { $0 = "        forest = b.lab.test" }
     /^    \}$/ { c = 0 } { print }' "$TRUSTMGR_CONFIG" >"$tmp/ns.conf"
TRUSTMGR_CONFIG=$tmp/ns.conf
export TRUSTMGR_CONFIG

# The fti_lib.sh helpers (fti_decode, ndr_has, ndr_lacks) judge with
# `fail`; here a failed judgement is counted and the script goes on.
TM_LIB=$top/tests/cli/lib.sh
TM_PYTHON=python3
judged=0
fail() { bad "$*"; judged=1; }
. "$top/tests/cli/fti_lib.sh"
cd "$tmp" || exit 1

# ldapsearch A's TDO for PARTNER into ldap.ldif, decode its forest information.
fti_of() {
	dom A
	ldapsearch -LLL -o ldif-wrap=no -ZZ -H "$LDAP_URI" -D "cn=admin,$D_BASE" \
		-y "$D_DIR/ldap-admin.pw" -b "cn=System,$D_BASE" "(objectClass=trustedDomain)" \
		trustPartner msDS-TrustForestTrustInfo >"$tmp/ldap.ldif" 2>&1
	fti_decode "$tmp/ldap.ldif" "$1"
}
# judge DESCRIPTION "TYPE FLAGS NAME"...: ndrdump shows every record named.
judge() {
	what=$1; shift
	judged=0
	for rec in "$@"; do
		[ "$judged" = 0 ] && ndr_has "$rec"
	done
	if [ "$judged" = 0 ]; then ok; else echo "    (while judging: $what)"; fi
}
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ('"$1"') else 1)' "$tmp/out"; }

expect_rc 0 "create A B --forest-transitive" -- create A B --forest-transitive
expect_rc 0 "namespaces A B --json" -- namespaces A B --json
check "two records: the TLN and the domain b.lab.test" \
	json "[(r['type'], r['name']) for r in d['records']] == [('TLN', 'b.lab.test'), ('domain', 'b.lab.test')]"
fti_of b.lab.test && judge "ldapsearch + ndrdump: the default records" \
	"0 0x00000000 b.lab.test" "2 0x00000000 b.lab.test"

# B's forest has a UPN and an SPN suffix, on its Partitions container.
dom B
ldapadd -ZZ -H "$LDAP_URI" -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" >"$tmp/add.out" 2>&1 <<LDIF
dn: cn=Configuration,$D_BASE
objectClass: container
cn: Configuration

dn: cn=Partitions,cn=Configuration,$D_BASE
objectClass: crossRefContainer
cn: Partitions
uPNSuffixes: upn.lab.test
msDS-SPNSuffixes: svc.lab.test
LDIF
check "ldapadd: B's Partitions container with its suffixes" test $? -eq 0
expect_rc 0 "namespaces B --json" -- namespaces B --json
check "B's suffixes read from its directory" \
	json "[(x['upn_suffixes'], x['spn_suffixes']) for x in d['domains'] if x['name'] == 'B'] == [(['upn.lab.test'], ['svc.lab.test'])]"

expect_rc 0 "refresh check" -- namespaces A B --refresh check --json
check "refresh check: C and the suffixes would arrive" \
	json "[r['name'] for r in d['after']] == ['b.lab.test', 'b.lab.test', 'c.lab.test', 'upn.lab.test', 'svc.lab.test', 'c.lab.test']"
expect_rc 0 "refresh store" -- namespaces A B --refresh store
fti_of b.lab.test && judge "ndrdump: C's TLN and the suffixes disabled as new, C's domain enabled" \
	"0 0x00000001 c.lab.test" "0 0x00000001 upn.lab.test" "0 0x00000001 svc.lab.test" \
	"2 0x00000000 c.lab.test"
expect_rc 0 "enable-tln c.lab.test, add-tln-ex x.b.lab.test" -- \
	namespaces A B --enable-tln c.lab.test --add-tln-ex x.b.lab.test
fti_of b.lab.test && judge "ndrdump: TLN enabled, the exclusion there" \
	"0 0x00000000 c.lab.test" "1 0x00000000 x.b.lab.test"
dom C
expect_rc 0 "disable-nb and disable-sid of C" -- namespaces A B --disable-nb "$D_NETBIOS" \
	--disable-sid "$D_SID"
fti_of b.lab.test && judge "ndrdump: C's NetBIOS name and SID disabled by the administrator" \
	"2 0x00000005 c.lab.test"
expect_rc 0 "namespaces A B" -- namespaces A B
check "trustmgr says so too" grep -q "SID disabled (admin), NetBIOS disabled (admin)" "$tmp/out"

# A second forest trust of A claiming a name below b.lab.test.
expect_rc 0 "tdo add A rogue.b.lab.test (forest-transitive)" -- tdo add A --partner rogue.b.lab.test \
	--flat ROGUE --sid S-1-5-21-901-902-903 --direction inbound --type uplevel \
	--attributes forest-transitive
expect_rc 0 "refresh store of the rogue trust records its conflict" -- \
	namespaces A rogue.b.lab.test --refresh store
fti_of rogue.b.lab.test && judge "ndrdump: the rogue TLN in conflict" "0 0x00000004 rogue.b.lab.test"
expect_rc 3 "enabling it is refused" -- namespaces A rogue.b.lab.test --enable-tln rogue.b.lab.test
check "STATUS_OBJECT_NAME_COLLISION naming the trust with b.lab.test" \
	grep -q "^STATUS_OBJECT_NAME_COLLISION: .*trust b.lab.test" "$tmp/err"
fti_of rogue.b.lab.test && judge "ndrdump: still in conflict" "0 0x00000004 rogue.b.lab.test"

# A's own suffixes, written by trustmgr into A's directory (A has no
# Partitions container yet: trustmgr adds it), judged with ldapsearch.
parts_of() {
	dom "$1"
	ldapsearch -LLL -o ldif-wrap=no -ZZ -H "$LDAP_URI" -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" \
		-s base -b "cn=Partitions,cn=Configuration,$D_BASE" uPNSuffixes msDS-SPNSuffixes 2>&1 |
		grep -i "suffixes:" | LC_ALL=C sort | tr '\n' ' '
}
expect_rc 3 "a suffix routed to B is refused" -- namespaces A --add-upn-suffix x.c.lab.test
check "... naming the trust with b.lab.test" grep -q "^STATUS_OBJECT_NAME_COLLISION: .*b.lab.test" "$tmp/err"
expect_rc 0 "add UPN and SPN suffixes to A" -- namespaces A --add-upn-suffix mail.lab.test,corp.lab.test \
	--add-spn-suffix web.lab.test
check "ldapsearch: A's Partitions container holds them" \
	test "$(parts_of A)" = "msDS-SPNSuffixes: web.lab.test uPNSuffixes: corp.lab.test uPNSuffixes: mail.lab.test "
expect_rc 0 "namespaces A --json" -- namespaces A --json
check "trustmgr reads them back" \
	json "[x['upn_suffixes'] for x in d['domains'] if x['name'] == 'A'] == [['mail.lab.test', 'corp.lab.test']]"
# Killed after its step, rolled back: ldapsearch sees the old values again.
dom A
TM_TEST_KILL_AFTER_STEP=1 "$BIN" namespaces A --delete-upn-suffix mail.lab.test \
	--delete-spn-suffix web.lab.test >"$tmp/out" 2>"$tmp/err"
check "killed after its step (exit 137)" test $? -eq 137
check "ldapsearch: the step was done" test "$(parts_of A)" = "uPNSuffixes: corp.lab.test "
expect_rc 0 "rollback" -- rollback
check "ldapsearch: rollback put the suffixes back" \
	test "$(parts_of A)" = "msDS-SPNSuffixes: web.lab.test uPNSuffixes: corp.lab.test uPNSuffixes: mail.lab.test "
expect_rc 0 "delete them all" -- namespaces A --delete-upn-suffix mail.lab.test,corp.lab.test \
	--delete-spn-suffix web.lab.test
check "ldapsearch: none left" test -z "$(parts_of A)"

# Clearing forest-transitive drops the attribute.
expect_rc 0 "tdo modify A B --no-forest-transitive" -- tdo modify A B --no-forest-transitive
dom A
ldapsearch -LLL -o ldif-wrap=no -ZZ -H "$LDAP_URI" -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" \
	-b "cn=System,$D_BASE" "(objectClass=trustedDomain)" trustPartner msDS-TrustForestTrustInfo >"$tmp/ldap.ldif" 2>&1
check "ldapsearch: the TDO for b.lab.test is still there" grep -qx "trustPartner: b.lab.test" "$tmp/ldap.ldif"
check "ldapsearch: it has no msDS-TrustForestTrustInfo left" \
	not python3 "$top/tests/cli/fti_extract.py" "$tmp/ldap.ldif" b.lab.test "$tmp/gone.bin"
expect_rc 3 "namespaces A B after clearing" -- namespaces A B

echo "$LAB_NAME: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
