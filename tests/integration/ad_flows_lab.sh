#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# trustmgr's flows against two real Samba AD DCs (tests/lab/samba.sh), the
# ones ad_lab.sh does not cover: the NT flow (permit, trust, one chance),
# reset and rotate, tdo add/modify, the journal (kill, rollback, resume),
# recreate and repair after a change behind trustmgr's back, forest
# recovery (recover, recover-partners), --json, a mixed trust with a plain
# MIT realm (refused) and the console. Every result is judged with Samba's
# own tools and the Kerberos clients, never with trustmgr's output (its
# exit status and message are checked as well, in addition):
#   samba-tool domain trust show/list/namespaces/validate (-s DIR/dcN/etc/smb.conf,
#     PASSWD_FILE=DIR/dcN/admin.pw -U Administrator@REALM),
#   ldbsearch of DIR/dcN/private/sam.ldb (TDOs, trust accounts, whenChanged),
#   ndrdump drsblobs trustAuthInOutBlob of trustAuthIncoming/Outgoing,
#   kinit (password on stdin) + kvno across the trust, each direction,
#   kadmin.local getprinc in the MIT realm (its lab inside the DCs' namespace).
#
#   sh tests/integration/ad_flows_lab.sh /abs/path/to/trustmgr
#
# The binary must be a test build (make; TM_TEST_KILL_AFTER_STEP). Prints
# "ad-flows-lab: N passed, N failed" (exit 1 on a failure); skips (exit 0,
# saying why) only when the Samba packages are not installed. Needs root.
# No password on any command line or in the environment: 0600 files only
# (kinit reads stdin, samba-tool PASSWD_FILE, trustmgr --password-file).
# Functions run through trap and through expect/refuse/check:
# shellcheck disable=SC2317
set -u

BIN=${1:-}
NAME=ad-flows-lab
AD_TMP=adf
AD_SAMBA="ldbmodify ndrdump"
AD_TOOLS="kadmin.local krb5kdc kadmind slapd python3 timeout"
# shellcheck source-path=SCRIPTDIR source=ad_lib.sh
. "$(dirname "$0")/ad_lib.sh"
MITLAB=$here/../lab/lab.sh
mit=$tmp/mit
# The MIT realms of 8 run inside the Samba lab's namespace: stopped first.
ad_cleanup_more() {
	if [ -f "$mit/domains" ]; then
		in_lab sh "$MITLAB" stop "$mit" --rm >/dev/null 2>&1
	fi
}

# Passwords: 0600 files, never on a command line.
pwf=$tmp/recovery.pw
initf=$tmp/initial.pw
wrongf=$tmp/wrong.pw
secret_file "$pwf" Recovery
secret_file "$initf" Initial
secret_file "$wrongf" Wrong

# ------------------------------------------------------------------ Samba's view
# tdo_attr X ATTR: the value of ATTR of X's (only) TDO.
tdo_attr() { ldb "$1" '(objectClass=trustedDomain)' "$2" | sed -n "s/^$2: //p"; }
# trust_state X: TDOs and trust accounts of X with their change stamps and
# identity (a TDO made again has a new objectGUID and whenCreated).
trust_state() {
	ldb "$1" '(|(objectClass=trustedDomain)(userAccountControl:1.2.840.113556.1.4.803:=2048))' \
		whenChanged whenCreated uSNChanged objectGUID |
		grep -E '^(dn|whenChanged|whenCreated|uSNChanged|objectGUID):' | sort
}
both_state() { trust_state dc1; trust_state dc2; }
# same_state FILE: both_state now is what FILE recorded.
same_state() {
	both_state >"$tmp/state.now"
	[ -s "$1" ] && cmp -s "$1" "$tmp/state.now" && return 0
	echo "ldbsearch: TDOs/trust accounts changed:"; diff "$1" "$tmp/state.now"
	return 1
}
# tdo_is X DIRECTION [ACCOUNT]: X holds exactly one TDO, for the other DC's
# domain, with trustDirection DIRECTION, and trust accounts [ACCOUNT].
tdo_is() {
	dc "$(other "$1")"
	_t=$(tdos "$1") _d=$(tdo_attr "$1" trustDirection) _p=$(tdo_attr "$1" trustPartner) _a=$(accounts "$1")
	[ "$_p" = "$DC_DNS" ] && [ "$_d" = "$2" ] && [ "$_a" = "${3:-}" ] && [ "$(echo "$_t" | wc -l)" -eq 1 ] &&
		return 0
	echo "ldbsearch of $1: TDOs [$_t] trustPartner [$_p] trustDirection [$_d] trust accounts [$_a];"
	echo "wanted one TDO for $DC_DNS with trustDirection $2 and trust accounts [${3:-}]"
	return 1
}
crosses_neither() { # crosses_neither WHEN
	refuse "$1: kinit Administrator@SAMBA.TEST, kvno cifs/dc2.samba2.test@SAMBA2.TEST fails" crosses dc1 dc2
	refuse "$1: kinit Administrator@SAMBA2.TEST, kvno cifs/dc1.samba.test@SAMBA.TEST fails" crosses dc2 dc1
}
# version_of X ATTR: the VERSION entry (key version) of the current secrets.
version_of() {
	blob "$1" "$2" "$tmp/blob" || return 0
	ndrdump drsblobs trustAuthInOutBlob struct "$tmp/blob" 2>/dev/null | awk '
		/^ *previous: struct AuthenticationInformationArray/ { exit }
		/^ *version  *: 0x/ { sub(/.*\(/, ""); sub(/\).*/, ""); print; exit }'
}
# secrets: the four current CLEAR secrets, one a line.
secrets() {
	for _x in dc1 dc2; do for _a in trustAuthIncoming trustAuthOutgoing; do
		echo "$_x $_a $(clear_of "$_x" "$_a" current)"
	done; done
}
# all_new FILE: none of the four current secrets is what FILE recorded.
all_new() {
	secrets >"$tmp/secrets.now"
	_bad=$(awk 'NR == FNR { old[$1 " " $2] = $3; next } $3 == "" || $3 == old[$1 " " $2] { print $1 " " $2 }' \
		"$1" "$tmp/secrets.now")
	[ -z "$_bad" ] && return 0
	echo "ndrdump: current CLEAR unchanged (or missing): $_bad"
	return 1
}
# describe FILE: samba-tool domain trust show and namespaces on both DCs.
describe() {
	{
		st dc1 show samba2.test; st dc1 namespaces samba2.test
		st dc2 show samba.test; st dc2 namespaces samba.test
	} >"$1" 2>&1
}
# same_description FILE: describe now is what FILE recorded (type,
# direction, attributes, enctypes, forest trust namespaces on both DCs).
same_description() {
	describe "$tmp/desc.now"
	grep -q 'Namespaces\[' "$1" && cmp -s "$1" "$tmp/desc.now" && return 0
	echo "samba-tool domain trust show/namespaces before and after:"; diff "$1" "$tmp/desc.now"
	return 1
}
# health_names REGEX DESC: health SAMBA exits non-zero and its findings
# table has a row matching REGEX.
health_names() {
	tm_rc nz "$2: trustmgr health SAMBA exits non-zero" health SAMBA
	says "$2: ... and names it ($1)" "$1"
}

# ================================================================== 1. the NT flow
expect "1: samba.sh trust: samba-tool makes a forest trust SAMBA <-> SAMBA2" sh "$LAB" trust "$lab"
tm_rc 0 "1: trustmgr remove SAMBA SAMBA2 --sides both" remove SAMBA SAMBA2 --sides both
for x in dc1 dc2; do
	: >"$out"; check "1: $x: ldbsearch: no TDO and no trust account after remove" no_trust "$x"
done
tm_rc 0 "1: trustmgr permit SAMBA2 SAMBA --password-file (0600)" permit SAMBA2 SAMBA --password-file "$initf"
: >"$out"; check "1: dc2: ldbsearch: an inbound TDO (trustDirection 1) for samba.test and the trust account SAMBA\$" \
	tdo_is dc2 1 'SAMBA$'
: >"$out"; check "1: dc1: ldbsearch: no TDO yet (only the trusted side permitted)" no_trust dc1
init_hex=$(utf16 "$initf")
permitted_with() { # permitted_with HEX: dc2's incoming CLEAR is HEX
	_v=$(clear_of dc2 trustAuthIncoming current)
	[ "$_v" = "$1" ] && return 0
	echo "ndrdump: dc2's trustAuthIncoming current CLEAR is ${_v:-missing} (${#_v} hex digits), not the initial password"
	return 1
}
: >"$out"; check "1: ndrdump: dc2's incoming CLEAR is the initial password (UTF-16LE)" permitted_with "$init_hex"
tm_rc 0 "1: trustmgr trust SAMBA SAMBA2 --password-file (the initial password)" trust SAMBA SAMBA2 --password-file "$initf"
: >"$out"; check "1: dc1: ldbsearch: an outbound TDO (trustDirection 2) for samba2.test, no trust account" \
	tdo_is dc1 2 ""
: >"$out"; check "1: ndrdump: dc1's outgoing CLEAR = dc2's incoming CLEAR" \
	same_secret dc1 trustAuthOutgoing dc2 trustAuthIncoming
replaced() {
	_v=$(clear_of dc1 trustAuthOutgoing current)
	[ -n "$_v" ] && [ "$_v" != "$init_hex" ] && return 0
	echo "ndrdump: dc1's outgoing CLEAR is ${_v:-missing}: still the initial password"
	return 1
}
: >"$out"; check "1: ndrdump: the secret is not the initial password any more (replaced)" replaced
expect "1: kinit Administrator@SAMBA2.TEST, kvno cifs/dc1.samba.test@SAMBA.TEST (SAMBA trusts SAMBA2)" crosses dc2 dc1

# One chance: a fresh permit, then trust with a wrong password.
tm_rc 0 "1: trustmgr remove SAMBA SAMBA2 --sides both (before a fresh permit)" remove SAMBA SAMBA2 --sides both
tm_rc 0 "1: trustmgr permit SAMBA2 SAMBA again" permit SAMBA2 SAMBA --password-file "$initf"
tm_rc 1 "1: trustmgr trust SAMBA SAMBA2 with a wrong password exits 1" trust SAMBA SAMBA2 --password-file "$wrongf"
says "1: ... saying STATUS_WRONG_PASSWORD" "STATUS_WRONG_PASSWORD"
: >"$out"; check "1: dc1: ldbsearch: no TDO after the wrong password" no_trust dc1
: >"$out"; check "1: dc2: ldbsearch: the permit's TDO and SAMBA\$ are still there" tdo_is dc2 1 'SAMBA$'
# trustmgr(8): "A wrong password uses the one chance: the permit is no
# longer valid". Judged by Samba: the initial password is not dc2's
# incoming secret any more, and trust with it makes no TDO on dc1.
not_permitted() {
	_v=$(clear_of dc2 trustAuthIncoming current)
	[ "$_v" != "$init_hex" ] && return 0
	echo "ndrdump: dc2's trustAuthIncoming current CLEAR is still the initial password (UTF-16LE)"
	return 1
}
: >"$out"; check "1: ndrdump: after the wrong attempt dc2 no longer accepts the initial password (one chance used)" not_permitted
tm_rc nz "1: trustmgr trust SAMBA SAMBA2 with the right password after the chance was used is refused" \
	trust SAMBA SAMBA2 --password-file "$initf"
: >"$out"; check "1: dc1: ldbsearch: still no TDO after the used chance" no_trust dc1

# ================================================================== 2. reset and rotate
# After the used chance only SAMBA2 holds an end (the withdrawn permit).
tm_rc 0 "2: trustmgr remove SAMBA2 SAMBA --sides both (the withdrawn permit)" remove SAMBA2 SAMBA --sides both
: >"$out"; check "2: dc2: ldbsearch: no TDO and no trust account left" no_trust dc2
tm_rc 0 "2: trustmgr create SAMBA SAMBA2 --forest-transitive" create SAMBA SAMBA2 --forest-transitive
for x in dc1 dc2; do
	: >"$out"; check "2: $x: samba-tool domain trust show: UPLEVEL, BOTH, FOREST_TRANSITIVE" st_show_is "$x" UPLEVEL BOTH FOREST_TRANSITIVE
done
describe "$tmp/desc0"
# version_is N: the current VERSION of every blob is N.
version_is() {
	_bad=0
	for _x in dc1 dc2; do for _a in trustAuthIncoming trustAuthOutgoing; do
		_v=$(version_of "$_x" "$_a")
		if [ "${_v:-missing}" != "$1" ]; then
			echo "ndrdump: $_x $_a current VERSION is ${_v:-missing}, wanted $1"; _bad=1
		fi
	done; done
	return "$_bad"
}
for op in reset rotate; do
	secrets >"$tmp/secrets.$op"
	v0=$(version_of dc1 trustAuthIncoming)
	tm_rc 0 "2: trustmgr $op SAMBA SAMBA2" "$op" SAMBA SAMBA2
	ends_equal "2: after $op"
	: >"$out"; check "2: ndrdump: all four current CLEAR secrets differ from before $op" all_new "$tmp/secrets.$op"
	# trustmgr(8), reset: the key version goes up, but a DC that hands out no
	# secrets (Samba) hides the present one too, and then the new secret is
	# stored with key version 1 on both ends (docs/AD.md, "Keys and key
	# versions"): every blob's VERSION is 1, the ends agree.
	: >"$out"; check "2: ndrdump: the VERSION (key version) of every blob is 1 after $op (was ${v0:-none}; Samba hides the present one)" \
		version_is 1
	crosses_both "2: after $op"
	: >"$out"; check "2: samba-tool show + namespaces on both DCs unchanged by $op (FOREST_TRANSITIVE, enctypes, namespaces)" \
		same_description "$tmp/desc0"
done

# ================================================================== 3. tdo modify / tdo add
tm_rc 0 "3: trustmgr tdo modify SAMBA SAMBA2 --enctypes aes,rc4" tdo modify SAMBA SAMBA2 --enctypes aes,rc4
st dc1 show samba2.test >"$out" 2>&1
says "3: samba-tool domain trust show: kerb_EncTypes 0x1c" "^kerb_EncTypes: *0x1c "
attrs0=$(tdo_attr dc1 trustAttributes)
trust_state dc1 >"$tmp/mod0"
tm_rc 3 "3: trustmgr tdo modify SAMBA SAMBA2 --selective-auth: refused by Samba (exit 3)" \
	tdo modify SAMBA SAMBA2 --selective-auth
if head -n 1 "$tmp/err" | grep -q '^STATUS_INVALID_PARAMETER'; then
	ok "3: ... stderr starts with STATUS_INVALID_PARAMETER"
else ko "3: ... stderr does not start with STATUS_INVALID_PARAMETER"; fi
attrs_same() {
	_now=$(tdo_attr dc1 trustAttributes)
	trust_state dc1 >"$tmp/mod1"
	[ "$_now" = "$attrs0" ] && [ "$attrs0" = 8 ] && cmp -s "$tmp/mod0" "$tmp/mod1" && return 0
	echo "ldbsearch: trustAttributes $attrs0 -> $_now"; diff "$tmp/mod0" "$tmp/mod1"
	return 1
}
: >"$out"; check "3: dc1: ldbsearch: trustAttributes still 8 (FOREST_TRANSITIVE), whenChanged unchanged" attrs_same
crosses_both "3: after tdo modify"
tm_rc 0 "3: trustmgr tdo delete SAMBA SAMBA2" tdo delete SAMBA SAMBA2
: >"$out"; check "3: dc1: ldbsearch: no TDO after tdo delete" no_trust dc1
dc dc2
tm_rc 0 "3: trustmgr tdo add SAMBA --partner samba2.test ... --direction both --type uplevel --attributes forest-transitive --password-file" \
	tdo add SAMBA --partner samba2.test --flat SAMBA2 --sid "$DC_SID" --direction both --type uplevel \
	--attributes forest-transitive --enctypes aes --password-file "$pwf"
: >"$out"; check "3: dc1: samba-tool domain trust show: UPLEVEL, BOTH, FOREST_TRANSITIVE" st_show_is dc1 UPLEVEL BOTH FOREST_TRANSITIVE
: >"$out"; check "3: dc1: ldbsearch: one TDO and the trust account SAMBA2\$" one_trust dc1
st dc1 namespaces samba2.test >"$out" 2>&1
says "3: samba-tool domain trust namespaces: TLN *.samba2.test (forest trust information)" 'TLN: Status\[Enabled\] +DNS\[\*\.samba2\.test\]'
: >"$out"; check "3: ndrdump: dc1's blobs, current and previous, are the given password" is_password dc1 "$pwf"
tm_rc 0 "3: trustmgr reset-one-side SAMBA2 SAMBA with the same password" reset-one-side SAMBA2 SAMBA --password-file "$pwf"
crosses_both "3: tdo add + reset-one-side"

# ================================================================== 4. the journal
both_state >"$tmp/j0"
TM_KILL=1 tm_rc 137 "4: trustmgr reset SAMBA SAMBA2 killed after step 1 (SIGKILL, exit 137)" reset SAMBA SAMBA2
both_state >"$tmp/j1"
step1_written() { # step 1 made dc1's TDO again: its stamps changed
	trust_state dc1 >"$tmp/j1dc1"
	grep -F -x -v -f "$tmp/j0" "$tmp/j1dc1" | grep -q '^objectGUID:' && return 0
	echo "ldbsearch: dc1's TDO is the same object: was the process killed before its first write?"
	return 1
}
: >"$out"; check "4: ldbsearch: step 1 wrote (dc1's TDO made again: a new objectGUID)" step1_written
tm_rc 0 "4: trustmgr journal" journal
says "4: journal shows the interrupted reset" "Interrupted plan: reset SAMBA SAMBA2"
says "4: ... with step 1 done" '\[done\] +1\. '
tm_rc nz "4: trustmgr rollback refuses" rollback
says "4: ... naming that the old secrets cannot be put back" "cannot be put back"
: >"$out"; check "4: ldbsearch: the rollback attempt changed nothing (whenChanged/whenCreated/uSNChanged/objectGUID of both TDOs and accounts)" \
	same_state "$tmp/j1"
tm_rc 0 "4: trustmgr journal after the refused rollback" journal
says "4: ... the plan is still there" "Interrupted plan: reset SAMBA SAMBA2"
tm_rc 0 "4: trustmgr resume finishes the reset" resume
tm_rc 0 "4: trustmgr journal after resume" journal
if has "Interrupted plan"; then ko "4: ... still shows an interrupted plan"; else ok "4: ... shows no interrupted plan"; fi
crosses_both "4: after resume"
ends_equal "4: after resume"

tm_rc 0 "4: trustmgr remove SAMBA SAMBA2 --sides both (before the create)" remove SAMBA SAMBA2 --sides both
TM_KILL=1 tm_rc 137 "4: trustmgr create SAMBA SAMBA2 --forest-transitive killed after step 1" \
	create SAMBA SAMBA2 --forest-transitive
: >"$out"; check "4: dc1: ldbsearch: step 1 created dc1's TDO" tdo_is dc1 3 'SAMBA2$'
tm_rc 0 "4: trustmgr rollback of the interrupted create" rollback
for x in dc1 dc2; do
	: >"$out"; check "4: $x: ldbsearch: no TDO and no trust account after the rollback" no_trust "$x"
done
tm_rc 0 "4: trustmgr journal after the rollback" journal
if has "Interrupted plan"; then ko "4: ... still shows an interrupted plan"; else ok "4: ... shows no interrupted plan"; fi

# ================================================================== 5. recreate, repair
tm_rc 0 "5: trustmgr create SAMBA SAMBA2 --forest-transitive" create SAMBA SAMBA2 --forest-transitive
describe "$tmp/desc5"
secrets >"$tmp/secrets.5"
both_state >"$tmp/r0"
tm_rc 0 "5: trustmgr recreate SAMBA SAMBA2" recreate SAMBA SAMBA2
new_objects() {
	both_state >"$tmp/r1"
	_g0=$(grep objectGUID "$tmp/r0" | sort) _g1=$(grep objectGUID "$tmp/r1" | sort)
	_same=$(printf '%s\n' "$_g1" | grep -Fx -f /dev/stdin "$tmp/r0" 2>/dev/null | head -n 1)
	[ -n "$_g1" ] && [ "$(echo "$_g1" | wc -l)" -eq 4 ] && [ -z "$_same" ] && return 0
	echo "ldbsearch objectGUIDs before: $_g0"; echo "after: $_g1"
	return 1
}
: >"$out"; check "5: ldbsearch: both TDOs and both trust accounts are new objects (objectGUID)" new_objects
: >"$out"; check "5: ndrdump: all four secrets are new after recreate" all_new "$tmp/secrets.5"
ends_equal "5: after recreate"
: >"$out"; check "5: samba-tool show + namespaces unchanged by recreate (UPLEVEL, BOTH, FOREST_TRANSITIVE, enctypes)" \
	same_description "$tmp/desc5"
crosses_both "5: after recreate"

# Behind trustmgr's back: dc2's incoming secret replaced (ldbmodify of its
# sam.ldb with another secret: dc1's incoming blob).
b64=$(ldb dc1 '(objectClass=trustedDomain)' trustAuthIncoming | sed -n 's/^trustAuthIncoming:: //p')
printf 'dn: %s\nchangetype: modify\nreplace: trustAuthIncoming\ntrustAuthIncoming:: %s\n' \
	"$(tdos dc2)" "$b64" >"$tmp/mod.ldif"
expect "5: ldbmodify dc2's sam.ldb: trustAuthIncoming replaced behind trustmgr's back" \
	ldbmodify -H "$lab/dc2/private/sam.ldb" "$tmp/mod.ldif"
rm -f "$tmp/mod.ldif"
differ() { ! same_secret dc1 trustAuthOutgoing dc2 trustAuthIncoming >/dev/null; }
: >"$out"; check "5: ndrdump: dc1's outgoing no longer equals dc2's incoming" differ
refuse "5: broken: kinit Administrator@SAMBA2.TEST, kvno cifs/dc1.samba.test@SAMBA.TEST fails" crosses dc2 dc1
health_names "^SAMBA +SAMBA2 +[a-z-]+ +password-mismatch" "5: secret changed on dc2"
tm_rc 0 "5: trustmgr repair SAMBA SAMBA2" repair SAMBA SAMBA2
crosses_both "5: after repair of the changed secret"
ends_equal "5: after repair of the changed secret"

# Behind trustmgr's back: dc1's TDO deleted locally with samba-tool.
expect "5: samba-tool domain trust delete samba2.test --delete-location=local on dc1" \
	st dc1 delete samba2.test --delete-location=local
: >"$out"; check "5: dc1: ldbsearch: no TDO left" no_trust dc1
health_names "^SAMBA +SAMBA2 +[a-z-]+ +one-sided" "5: dc1's TDO deleted"
tm_rc 0 "5: trustmgr repair SAMBA SAMBA2 (one-sided)" repair SAMBA SAMBA2
for x in dc1 dc2; do
	: >"$out"; check "5: $x: ldbsearch: one TDO and one trust account after repair" one_trust "$x"
	: >"$out"; check "5: $x: samba-tool domain trust show: UPLEVEL, BOTH, FOREST_TRANSITIVE after repair" \
		st_show_is "$x" UPLEVEL BOTH FOREST_TRANSITIVE
done
crosses_both "5: after repair of the one-sided trust"
ends_equal "5: after repair of the one-sided trust"

# Behind trustmgr's back: the ends' encryption types narrowed apart (dc1's
# TDO rc4 only, dc2's AES only, ldbmodify of each sam.ldb): a DC derives its
# keys for exactly those types, so referrals fail; health names it and
# repair aligns the ends and gives them new keys.
for x in dc1:4 dc2:24; do
	printf 'dn: %s\nchangetype: modify\nreplace: msDS-SupportedEncryptionTypes\nmsDS-SupportedEncryptionTypes: %s\n' \
		"$(tdos "${x%%:*}")" "${x#*:}" >"$tmp/mod.ldif"
	expect "5: ldbmodify ${x%%:*}'s sam.ldb: msDS-SupportedEncryptionTypes = ${x#*:} behind trustmgr's back" \
		ldbmodify -H "$lab/${x%%:*}/private/sam.ldb" "$tmp/mod.ldif"
done
rm -f "$tmp/mod.ldif"
health_names "^SAMBA +SAMBA2 +[a-z-]+ +no-common-enctype" "5: encryption types narrowed apart"
tm_rc 0 "5: trustmgr repair SAMBA SAMBA2 (no common encryption type)" repair SAMBA SAMBA2
crosses_both "5: after repair of the encryption types"
ends_equal "5: after repair of the encryption types"
enc_equal() {
	_a=$(ldb dc1 '(objectClass=trustedDomain)' msDS-SupportedEncryptionTypes |
		sed -n 's/^msDS-SupportedEncryptionTypes: //p')
	_b=$(ldb dc2 '(objectClass=trustedDomain)' msDS-SupportedEncryptionTypes |
		sed -n 's/^msDS-SupportedEncryptionTypes: //p')
	[ -n "$_a" ] && [ "$_a" = "$_b" ] && return 0
	echo "ldbsearch: dc1 msDS-SupportedEncryptionTypes [$_a], dc2 [$_b]"
	return 1
}
: >"$out"; check "5: ldbsearch: both TDOs allow the same encryption types after repair" enc_equal

# Behind trustmgr's back: both TDOs deleted over LDAP (ldapdelete as each
# DC's Administrator, which a DC allows). The DCs keep the trust accounts
# CN=NB$,CN=Users, on which creating the trust again would fail: health
# names each orphan-account, repair deletes them (one per run), ldbsearch
# finds none, and the trust can be created again.
for x in dc1 dc2; do
	dc "$x"
	_dn=$(tdos "$x")
	expect "5: ldapdelete of $x's TDO ($_dn) behind trustmgr's back" \
		in_lab env LDAPTLS_CACERT="$DC_CA" ldapdelete -H "$LDAPS_URI" -x \
		-D "CN=Administrator,CN=Users,$DC_BASE" -y "$DC_PW" "$_dn"
done
has_accounts() {
	[ -n "$(accounts dc1)" ] && [ -n "$(accounts dc2)" ] && [ -z "$(tdos dc1)$(tdos dc2)" ] &&
		return 0
	echo "ldbsearch: dc1 TDOs [$(tdos dc1)] accounts [$(accounts dc1)]; dc2 TDOs [$(tdos dc2)] accounts [$(accounts dc2)]"
	return 1
}
: >"$out"; check "5: ldbsearch: no TDO left, both trust accounts kept by the DCs" has_accounts
health_names "^SAMBA +SAMBA2 +inbound +orphan-account +delete-account" "5: TDOs deleted over LDAP"
says "5: ... and the one SAMBA2 keeps (outbound: the partner holds it)" "^SAMBA +SAMBA2 +outbound +orphan-account"
tm_rc 0 "5: trustmgr repair SAMBA SAMBA2 (an orphaned trust account)" repair SAMBA SAMBA2
tm_rc 0 "5: trustmgr repair SAMBA2 SAMBA (the other one)" repair SAMBA2 SAMBA
for x in dc1 dc2; do
	: >"$out"; check "5: $x: ldbsearch: no TDO and no trust account after the repairs" no_trust "$x"
done
tm_rc 0 "5: trustmgr create SAMBA SAMBA2 --forest-transitive after the orphans were removed" \
	create SAMBA SAMBA2 --forest-transitive
crosses_both "5: after the orphans were removed and the trust created again"

# ================================================================== 6. forest recovery
# recover DOMAIN: every trust of DOMAIN reset on DOMAIN's side only, current
# and previous both the password; the partners not touched. recover-partners
# DOMAIN: the same password on the partners' sides, then verified.
trust_state dc2 >"$tmp/rec2"
secrets >"$tmp/secrets.6"
both_state >"$tmp/rec0"
tm_rc 0 "6: trustmgr --dry-run recover SAMBA" --dry-run recover SAMBA --password-file "$pwf"
: >"$out"; check "6: ldbsearch: --dry-run recover wrote nothing" same_state "$tmp/rec0"
tm_rc 0 "6: trustmgr recover SAMBA --password-file (0600)" recover SAMBA --password-file "$pwf"
says "6: ... naming SAMBA2 as a partner that still needs the password (recover-partners)" "SAMBA2.*recover-partners"
: >"$out"; check "6: ndrdump: dc1's incoming and outgoing, current and previous, are the password" is_password dc1 "$pwf"
partner_untouched() {
	trust_state dc2 | cmp -s - "$tmp/rec2" || { echo "ldbsearch: dc2's TDO or account changed"; return 1; }
	_a=$(grep '^dc2 ' "$tmp/secrets.6") _b=$(secrets | grep '^dc2 ')
	[ "$_a" = "$_b" ] || { echo "ndrdump: dc2's secrets changed"; return 1; }
}
: >"$out"; check "6: dc2 (the partner) untouched: ldbsearch stamps and ndrdump secrets as before" partner_untouched
crosses_neither "6: only SAMBA's side recovered"
tm_rc 0 "6: trustmgr recover-partners SAMBA --password-file (the same)" recover-partners SAMBA --password-file "$pwf"
: >"$out"; check "6: ndrdump: dc2's blobs, current and previous, are the password too" is_password dc2 "$pwf"
crosses_both "6: after recover-partners"
for x in dc1 dc2; do
	: >"$out"; check "6: $x: samba-tool domain trust show: UPLEVEL, BOTH, FOREST_TRANSITIVE after the recovery" \
		st_show_is "$x" UPLEVEL BOTH FOREST_TRANSITIVE
done

# ================================================================== 7. --json
restart "7: winbindd's secure channels after the TDOs were made again"
validated dc1 "7: after the forest recovery and a restart"
validated dc2 "7: after the forest recovery and a restart"
# json_ok FILE EXPR: FILE is JSON and the python expression EXPR over it
# (d) is true; on failure the keys found are printed.
json_ok() {
	python3 -m json.tool "$1" >/dev/null || { echo "not valid JSON:"; head -c 600 "$1"; return 1; }
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def need(obj, keys, where):
    miss = [k for k in keys.split() if not isinstance(obj, dict) or k not in obj]
    if miss:
        print("%s: missing %s (has %s)" % (where, ", ".join(miss), ", ".join(sorted(obj)) if isinstance(obj, dict) else type(obj).__name__))
    return not miss
ok = eval(sys.argv[2])
sys.exit(0 if ok else 1)
PY
}
jrun() { # jrun NAME ARG...: trustmgr --json ARG... into $tmp/NAME.json, exit status in jrc
	_j=$tmp/$1.json; shift
	(tm --json "$@" >"$_j" 2>"$tmp/err")
	jrc=$?
}
jexit() { cp "$tmp/err" "$out"; if [ "$jrc" -eq 0 ]; then ok "$1"; else ko "$2"; fi; }
st dc1 show samba2.test >"$tmp/st.show" 2>&1
stv() { sed -n "s/^$1: *\\([^ ]*\\).*/\\1/p" "$tmp/st.show" | head -n 1; }
st_sid=$(stv SID) st_attr=$(($(stv Attributes))) st_enc=$(($(stv kerb_EncTypes))) st_dir=$(($(stv Direction)))

jrun list list SAMBA
jexit "7: trustmgr --json list SAMBA exits 0" "7: trustmgr --json list SAMBA: exit $jrc"
: >"$out"; check "7: list --json: valid JSON with domain, dns, netbios, kind, trusted, trusting (trustmgr(8))" \
	json_ok "$tmp/list.json" 'need(d, "domain dns netbios kind trusted trusting", "list") and all(need(r, "name partner flat_name display direction trust_direction type state state_changed", "list row") for r in d["trusted"] + d["trusting"])'
: >"$out"; check "7: list --json: samba2.test in trusted and trusting, trust_direction $st_dir as samba-tool's Direction" \
	json_ok "$tmp/list.json" "[(r['partner'], r['trust_direction']) for r in d['trusted']] == [('samba2.test', $st_dir)] and [(r['partner'], r['trust_direction']) for r in d['trusting']] == [('samba2.test', $st_dir)]"

jrun show show SAMBA SAMBA2
jexit "7: trustmgr --json show SAMBA SAMBA2 exits 0" "7: trustmgr --json show: exit $jrc"
: >"$out"; check "7: show --json: valid JSON with every key trustmgr(8) lists (incl. principals, incoming/outgoing)" \
	json_ok "$tmp/show.json" 'all([need(d, "domain partner flat_name sid direction trust_direction type trust_type attributes trust_attributes enctypes supported_encryption_types posix_offset forest_trust_records when_created when_changed state state_changed incoming outgoing principals", "show")] + [need(d.get(s) or {}, "current previous current_kvno previous_kvno changed age_seconds previous_equals_current", s) for s in ("incoming", "outgoing")])'
: >"$out"; check "7: show --json: sid, trust_attributes, supported_encryption_types as samba-tool show ($st_sid, $st_attr, $st_enc)" \
	json_ok "$tmp/show.json" "d['sid'] == '$st_sid' and d['trust_attributes'] == $st_attr and d['supported_encryption_types'] == $st_enc and d['trust_direction'] == $st_dir"
# ndrdump shows dc1's current incoming and outgoing secrets (the recovery
# password) at VERSION v: show must not say they are unset, nor another
# key version (null: not read, is no claim).
v_in=$(version_of dc1 trustAuthIncoming) v_out=$(version_of dc1 trustAuthOutgoing)
note_secrets() { echo "ndrdump of dc1: current CLEAR set in both blobs, VERSION in $v_in, out $v_out"; }
: >"$out"; note_secrets >>"$out"; check "7: show --json: incoming/outgoing current is not false (ndrdump shows current secrets on dc1)" \
	json_ok "$tmp/show.json" 'all((d.get(s) or {}).get("current") is not False or print(s, "current:", d[s]["current"]) for s in ("incoming", "outgoing"))'
: >"$out"; note_secrets >>"$out"; check "7: show --json: current_kvno is ndrdump's VERSION (or null)" \
	json_ok "$tmp/show.json" "all((d.get(s) or {}).get('current_kvno') in (None, v) or print(s, 'current_kvno:', d[s]['current_kvno']) for s, v in (('incoming', ${v_in:-0}), ('outgoing', ${v_out:-0})))"

jrun verify verify SAMBA SAMBA2
jexit "7: trustmgr --json verify SAMBA SAMBA2 exits 0 (kvno works both ways)" "7: trustmgr --json verify: exit $jrc"
: >"$out"; check "7: verify --json: valid JSON with domain, partner, ok, directions (every key of trustmgr(8)), error" \
	json_ok "$tmp/verify.json" 'need(d, "domain partner ok directions error", "verify") and len(d["directions"]) == 2 and all(need(r, "trusting trusted principal outcome ok issuer_kvno acceptor_kvno enctype missing_on detail dc_check explanation next", "direction") for r in d["directions"])'
cp "$tmp/verify.json" "$out"
: >>"$out"; check "7: verify --json: ok, both directions ok, dc_check WERR_OK (as samba-tool validate said)" \
	json_ok "$tmp/verify.json" 'd["ok"] is True and all(r["outcome"] == "ok" and r["dc_check"] == "WERR_OK" for r in d["directions"])'

jrun health health SAMBA
jexit "7: trustmgr --json health SAMBA exits 0 on the working trust" "7: trustmgr --json health SAMBA: exit $jrc"
: >"$out"; check "7: health --json: valid JSON with findings (every key of trustmgr(8)), ok, rotation_days" \
	json_ok "$tmp/health.json" 'need(d, "findings ok rotation_days", "health") and len(d["findings"]) > 0 and all(need(f, "domain partner partner_domain direction kind fix cause evidence fix_text fix_command", "finding") for f in d["findings"])'
cp "$tmp/health.json" "$out"
: >>"$out"; check "7: health --json: ok, every finding ok, partner samba2.test (SAMBA2)" \
	json_ok "$tmp/health.json" 'd["ok"] is True and all(f["kind"] == "ok" and f["partner"] == "samba2.test" and f["partner_domain"] == "SAMBA2" for f in d["findings"])'

# ================================================================== 8. a mixed trust (refused)
if ! in_lab sh "$MITLAB" start "$mit" --domains 0 --realms 2 >"$out" 2>&1; then
	ko "8: lab.sh start (plain MIT realms A and B inside the Samba lab's namespace)"
else
	ok "8: lab.sh start: plain MIT realms A.LAB.TEST and B.LAB.TEST inside the namespace"
	# trustmgr sees the DCs and realm A: A's block and krb5.conf lines merged in.
	conf8=$tmp/trustmgr-mixed.conf krb8=$tmp/krb5-mixed.conf
	{ cat "$conf"; awk '/^    A = \{/ { on = 1 } on { print } on && /^    \}/ { exit }' "$mit/trustmgr.conf"; } >"$conf8"
	awk -v blk="$(awk '/^    A\.LAB\.TEST = \{/ { on = 1 } on { print } on && /^    \}/ { exit }' "$mit/krb5.conf")" \
		-v dr="$(grep -E '^    \.?a\.lab\.test = ' "$mit/krb5.conf")" '
		{ print }
		/^\[libdefaults\]/ { print "    allow_weak_crypto = true" }
		/^\[realms\]/ { print blk }
		/^\[domain_realm\]/ { print dr }' "$lab/krb5.conf" >"$krb8"
	kadm_a() {
		in_lab env KRB5_CONFIG="$mit/krb5.conf" KRB5_KDC_PROFILE="$mit/kdc.conf" \
			kadmin.local -r A.LAB.TEST -q "$1" </dev/null 2>&1
	}
	no_princ() {
		kadm_a "getprinc $1" >"$tmp/getprinc"
		grep -q 'Principal does not exist' "$tmp/getprinc" && return 0
		echo "kadmin.local getprinc $1:"; cat "$tmp/getprinc"
		return 1
	}
	kadm_a 'getprinc krbtgt/A.LAB.TEST@A.LAB.TEST' >"$out"
	says "8: kadmin.local: realm A answers (getprinc krbtgt/A.LAB.TEST@A.LAB.TEST)" "^Principal: krbtgt/A.LAB.TEST@A.LAB.TEST"
	both_state >"$tmp/m0"
	TM_CONF=$conf8 TM_KRB5=$krb8 tm_rc 0 "8: trustmgr domain list with realm A added" domain list
	says "8: ... lists A as a realm (mit A.LAB.TEST)" "^A +mit .*A\.LAB\.TEST"
	TM_CONF=$conf8 TM_KRB5=$krb8 tm_rc 3 "8: trustmgr create SAMBA A is refused (exit 3)" create SAMBA A
	if head -n 1 "$tmp/err" | grep -q '^STATUS_NOT_SUPPORTED'; then
		ok "8: ... stderr starts with STATUS_NOT_SUPPORTED"
	else ko "8: ... stderr does not start with STATUS_NOT_SUPPORTED"; fi
	no_tdo_for_a() {
		_t=$(ldb dc1 '(|(trustPartner=A.LAB.TEST)(flatName=A))' dn | sed -n 's/^dn: //p')
		[ -z "$_t" ] && return 0
		echo "ldbsearch of dc1: TDO $_t"
		return 1
	}
	: >"$out"; check "8: dc1: ldbsearch: no TDO for A.LAB.TEST" no_tdo_for_a
	: >"$out"; check "8: ldbsearch: nothing on either DC changed" same_state "$tmp/m0"
	: >"$out"; check "8: kadmin.local: no krbtgt/A.LAB.TEST@SAMBA.TEST in realm A" no_princ krbtgt/A.LAB.TEST@SAMBA.TEST
	: >"$out"; check "8: kadmin.local: no krbtgt/SAMBA.TEST@A.LAB.TEST in realm A" no_princ krbtgt/SAMBA.TEST@A.LAB.TEST
	TM_CONF=$conf8 TM_KRB5=$krb8 tm_rc 0 "8: trustmgr journal" journal
	if has "Interrupted plan"; then ko "8: ... an interrupted plan is left"; else ok "8: ... no plan left behind"; fi
	in_lab sh "$MITLAB" stop "$mit" --rm >/dev/null 2>&1
fi

# ================================================================== 9. the console
cat >"$tmp/console.keys" <<'SCRIPT'
:expect Domain: SAMBA
:expect samba2.test
:save-screen main.screen
<A-p>
:expect Properties: SAMBA2
:save-screen properties.screen
<A-v>
:expect SAMBA trusts SAMBA2: ok
:save-screen verify.screen
<Enter>
<Esc>
:expect Domain: SAMBA
:quit
SCRIPT
both_state >"$tmp/c0"
if (cd "$tmp" && in_lab env TERM=xterm TRUSTMGR_CONFIG="$conf" HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" \
	XDG_STATE_HOME="$tmp/home/state" XDG_CONFIG_HOME="$tmp/home/config" \
	timeout -k 5 120 "$BIN" --headless --size 100x30 --script "$tmp/console.keys" </dev/null >"$out" 2>&1); then
	ok "9: the scripted console session on AD (headless, 100x30) ran to the end"
else
	ko "9: the scripted console session on AD failed"
fi
scr_has() { grep -q -- "$2" "$tmp/$1" 2>/dev/null; }
cp "$tmp/main.screen" "$out" 2>/dev/null
check "9: main dialog: domain SAMBA" scr_has main.screen "Domain: SAMBA (samba.test)"
check "9: main dialog: samba2.test, a forest trust, two-way in SAMBA's lists" scr_has main.screen "SAMBA2  *samba2\.test  *forest  .*two-way"
cp "$tmp/properties.screen" "$out" 2>/dev/null
check "9: Properties opens for samba2.test" scr_has properties.screen "Partner: *samba2.test"
no_false_secret() {
	# ndrdump: dc1 holds current incoming and outgoing secrets.
	[ -n "$(clear_of dc1 trustAuthIncoming current)" ] && [ -n "$(clear_of dc1 trustAuthOutgoing current)" ] ||
		return 0
	! grep -q 'no secret stored' "$tmp/properties.screen" && return 0
	echo "ndrdump: dc1's trustAuthIncoming and trustAuthOutgoing hold current CLEAR secrets"
	return 1
}
check "9: Properties does not say 'no secret stored' (ndrdump shows dc1's secrets)" no_false_secret
cp "$tmp/verify.screen" "$out" 2>/dev/null
check "9: verify from the console: SAMBA trusts SAMBA2: ok" scr_has verify.screen "SAMBA trusts SAMBA2: ok"
check "9: verify from the console: SAMBA2 trusts SAMBA: ok" scr_has verify.screen "SAMBA2 trusts SAMBA: ok"
: >"$out"; check "9: ldbsearch: the console's verify wrote nothing (whenChanged, uSNChanged of both TDOs and accounts)" \
	same_state "$tmp/c0"

# ------------------------------------------------------------------ secrets
# No password in trustmgr's state, audit or configuration files.
no_password_kept "$pwf" "$initf" "$wrongf"

finish
