#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# tests/lab/selftest.sh - prove the lab works, with the standard clients only
# (ldapsearch, ldapadd, ldapmodify, kinit, kvno, kpasswd, kadmin): start a
# 2-domain lab in a temporary folder, check TLS, the trustAuth* ACL, Kerberos
# logins, network kadmin, a hand-made cross-realm trust and its failure when
# the kvnos differ, and the one-chance lockout policy; then a lab with
# --replicas (two slapd replicating each other, two KDCs per realm, one
# stopped or suspended at a time); stop the labs on exit.
# Prints "lab: N passed, N failed". POSIX sh.
# Functions run through trap and through expect/refuse:
# shellcheck disable=SC2317
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
LAB=$here/lab.sh

for t in slapd ldapsearch ldapadd ldapmodify krb5kdc kadmind kadmin kinit kvno kpasswd openssl; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "lab selftest: $t is missing: run tools/install-deps.sh" >&2
		echo "lab: 0 passed, 1 failed"
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-labtest-XXXXXX")
lab=$tmp/lab
cleanup() {
	for l in "$lab" "$tmp/lab2"; do
		if [ -f "$l/domains" ]; then
			sh "$LAB" stop "$l" >/dev/null 2>&1
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

pass=0
fail=0
out=$tmp/out
ok() { pass=$((pass + 1)); echo "ok: $*"; }
ko() {
	fail=$((fail + 1)); echo "FAIL: $*"
	if [ -s "$out" ]; then sed 's/^/    | /' "$out" | tail -n 15; fi
}
# expect DESC CMD...: CMD succeeds. refuse DESC CMD...: CMD fails.
expect() { d=$1; shift; if "$@" >"$out" 2>&1; then ok "$d"; else ko "$d"; fi; }
refuse() { d=$1; shift; if "$@" >"$out" 2>&1; then ko "$d"; else ok "$d"; fi; }
# has PATTERN: the last command's output holds the extended regex PATTERN.
has() { grep -Eq -- "$1" "$out"; }
# says DESC PATTERN: the last command's output holds PATTERN (kadmin -q exits
# 0 even when the query failed, so its output is what counts).
says() { if has "$2"; then ok "$1"; else ko "$1"; fi; }

finish() {
	echo "lab: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

# ------------------------------------------------------------------ start
t0=$(date +%s)
if ! sh "$LAB" start "$lab" --domains 2 >"$tmp/start.out" 2>&1; then
	out=$tmp/start.out
	ko "lab.sh start"
	finish
fi
ok "lab.sh start: 2 domains up in $(($(date +%s) - t0)) s"
eval "$(sh "$LAB" env "$lab")"
if [ -f "$KRB5_CONFIG" ] && [ -f "$TRUSTMGR_CONFIG" ] && [ -f "$LDAPTLS_CACERT" ]; then
	ok "lab.sh env exports KRB5_CONFIG, KRB5_KDC_PROFILE, TRUSTMGR_CONFIG, LDAPTLS_CACERT"
else
	ko "lab.sh env"
fi
expect "lab.sh status: every daemon runs" sh "$LAB" status "$lab"

# Per domain facts, read from the lab's own domain.env files.
dom() {
	# shellcheck source=/dev/null
	. "$lab/$1/domain.env"
}
admin_ldap() { ldapsearch -LLL -o ldif-wrap=no -x -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" "$@"; }
reader_ldap() { ldapsearch -LLL -o ldif-wrap=no -x -D "cn=reader,cn=Users,$D_BASE" -y "$D_DIR/ldap-reader.pw" "$@"; }
kadm() {
	# network kadmin as admin/admin with its keytab: kadm REALM-LETTER QUERY
	kadmin -r "$1.LAB.TEST" -p "admin/admin@$1.LAB.TEST" -k -t "$lab/$1/admin.keytab" -q "$2"
}

# ------------------------------------------------------------------ LDAP
for X in A B; do
	dom "$X"
	expect "$X: ldapsearch StartTLS (-ZZ) as admin finds cn=System" \
		admin_ldap -ZZ -H "$LDAP_URI" -b "cn=System,$D_BASE" -s base dn
	has "^dn: cn=System,$D_BASE" || ko "$X: cn=System not in the StartTLS answer"
	expect "$X: ldapsearch ldaps as an ordinary user finds cn=System" \
		reader_ldap -H "$LDAPS_URI" -b "cn=System,$D_BASE" -s base dn
	has "^dn: cn=System,$D_BASE" || ko "$X: cn=System not in the ldaps answer"
	expect "$X: ldapi with SASL EXTERNAL maps the lab's user to the admin" \
		ldapwhoami -H "$LDAPI_URI" -Y EXTERNAL -Q
	has "cn=admin,$D_BASE" || ko "$X: ldapi EXTERNAL identity is not cn=admin"
	other=B; [ "$X" = B ] && other=A
	refuse "$X: the other domain's CA does not vouch for $X's server (TLS is verified)" \
		env LDAPTLS_CACERT="$lab/$other/tls/ca.pem" \
		ldapsearch -LLL -x -ZZ -H "$LDAP_URI" -b "$D_BASE" -s base dn
done

# A TDO with binary attributes in A: trust with b.lab.test. SID
# S-1-5-21-1002-2002-3002; trustAuth* = the test vector of docs/RULES.md
# (CLEAR password "abc").
dom A
SID_B=AQQAAAAAAAUVAAAA6gMAANIHAAC6CwAA
AUTH=AQAAAAwAAAAkAAAAAAAAAAAA0AECAAAABgAAAGEAYgBjAAAA
cat >"$tmp/tdo.ldif" <<EOF
dn: cn=b.lab.test,cn=System,$D_BASE
objectClass: top
objectClass: leaf
objectClass: trustedDomain
cn: b.lab.test
trustPartner: b.lab.test
flatName: B
securityIdentifier:: $SID_B
trustDirection: 3
trustType: 2
trustAttributes: 8
trustPosixOffset: 0
msDS-SupportedEncryptionTypes: 24
trustAuthIncoming:: $AUTH
trustAuthOutgoing:: $AUTH
EOF
expect "A: ldapadd (StartTLS, admin) stores a TDO with binary trustAuth*" \
	ldapadd -x -ZZ -H "$LDAP_URI" -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" -f "$tmp/tdo.ldif"
TDO="cn=b.lab.test,cn=System,$D_BASE"
expect "A: the admin reads trustAuthIncoming back byte for byte" \
	admin_ldap -ZZ -H "$LDAP_URI" -b "$TDO" -s base trustAuthIncoming securityIdentifier
if has "^trustAuthIncoming:: $AUTH\$" && has "^securityIdentifier:: $SID_B\$"; then
	ok "A: trustAuthIncoming and securityIdentifier are intact"
else
	ko "A: trustAuthIncoming or securityIdentifier differ"
fi
ldapsearch -LLL -o ldif-wrap=no -x -ZZ -H "$LDAP_URI" -b "$TDO" -s base trustAuthIncoming >"$out" 2>&1
if has "trustAuthIncoming"; then ko "A: anonymous reads trustAuthIncoming"; else ok "A: anonymous cannot read trustAuthIncoming"; fi
reader_ldap -ZZ -H "$LDAP_URI" -b "$TDO" -s base trustPartner trustAuthIncoming trustAuthOutgoing >"$out" 2>&1
if has "^trustPartner: b.lab.test" && ! has "trustAuth"; then
	ok "A: an authenticated user reads the TDO but not trustAuthIncoming/Outgoing"
else
	ko "A: the ordinary user's view of the TDO is wrong"
fi
printf 'dn: %s\nchangetype: modify\nreplace: trustAuthIncoming\ntrustAuthIncoming: x\n' "$TDO" >"$tmp/mod.ldif"
refuse "A: an authenticated user cannot write trustAuthIncoming" \
	ldapmodify -x -ZZ -H "$LDAP_URI" -D "cn=reader,cn=Users,$D_BASE" -y "$D_DIR/ldap-reader.pw" -f "$tmp/mod.ldif"
has "Insufficient access" || ko "A: the refusal is not 'Insufficient access'"

# ------------------------------------------------------------------ Kerberos
for X in A B; do
	dom "$X"
	kdestroy >/dev/null 2>&1
	expect "$X: kinit user@$D_REALM with the password file" kinit "user@$D_REALM" <"$D_DIR/user.pw"
	kadm "$X" "getprinc user" >"$out" 2>&1
	says "$X: kadmin (network, admin/admin keytab) getprinc user" "^Principal: user@$D_REALM"
	kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -q "getprinc host/srv.$D_DNS" \
		<"$D_DIR/kadmin-admin.pw" >"$out" 2>&1
	says "$X: kadmin (network, admin/admin password on stdin) getprinc host/srv" \
		"^Principal: host/srv.$D_DNS@$D_REALM"
	expect "$X: the service keytab holds host/srv.$D_DNS" klist -k "$D_DIR/host.keytab"
	has "host/srv.$D_DNS@$D_REALM" || ko "$X: host keytab content"
	kadm "$X" "getpol trustmgr-permit" >"$out" 2>&1
	says "$X: policy trustmgr-permit locks after 1 failure" "Maximum password failures before lockout: 1"
done

# kpasswd through the realm's kpasswd service (RFC 3244): old, new, new.
dom A
(umask 077 && openssl rand -base64 18 | tr -d '\n' >"$tmp/user-new.pw")
{ cat "$D_DIR/user.pw"; echo; cat "$tmp/user-new.pw"; echo; cat "$tmp/user-new.pw"; echo; } >"$tmp/kpasswd.in"
# No ticket of another realm in the cache: kpasswd would use it as FAST armor.
kdestroy >/dev/null 2>&1
expect "A: kpasswd changes user@A.LAB.TEST's password" kpasswd "user@$D_REALM" <"$tmp/kpasswd.in"
kdestroy >/dev/null 2>&1
if kinit "user@$D_REALM" <"$tmp/user-new.pw" >"$out" 2>&1; then
	ok "A: kinit with the new password"
	cp "$tmp/user-new.pw" "$D_DIR/user.pw"
else
	ko "A: kinit with the new password"
fi

# An RC4-only principal (allow_weak_crypto, rc4-hmac in supported_enctypes).
(umask 077 && openssl rand -base64 18 | tr -d '\n' >"$tmp/rc4.pw")
{ cat "$tmp/rc4.pw"; echo; cat "$tmp/rc4.pw"; echo; } >"$tmp/rc4.in"
kadm A "addprinc -e rc4-hmac:normal rc4only" <"$tmp/rc4.in" >"$out" 2>&1
says "A: kadmin creates an RC4-only principal" 'Principal "rc4only@A.LAB.TEST" created' 
kadm A "getprinc rc4only" >"$out" 2>&1
if has "arcfour-hmac" && ! has "aes"; then ok "A: rc4only has only an RC4 key"; else ko "A: rc4only keys"; fi
kdestroy >/dev/null 2>&1
expect "A: kinit rc4only@A.LAB.TEST" kinit "rc4only@$D_REALM" <"$tmp/rc4.pw"

# ------------------------------------------------------------------ a trust by hand
# "A trusts B": krbtgt/A.LAB.TEST@B.LAB.TEST in both KDCs with the same
# password (so the same keys) and kvno, made through kadmin by trustadmin;
# the password goes to kadmin's prompt on stdin, never on the command line.
TGT=krbtgt/A.LAB.TEST@B.LAB.TEST
(umask 077 && openssl rand -base64 24 | tr -d '\n' >"$tmp/trust.pw")
{ cat "$tmp/trust.pw"; echo; cat "$tmp/trust.pw"; echo; } >"$tmp/trust.in"
for X in A B; do
	kadmin -r "$X.LAB.TEST" -p "trustadmin@$X.LAB.TEST" -k -t "$lab/$X/trustadmin.keytab" \
		-q "addprinc $TGT" <"$tmp/trust.in" >"$out" 2>&1
	says "$X: trustadmin adds $TGT (password on stdin)" "Principal \"$TGT\" created"
done
kadmin -r A.LAB.TEST -p trustadmin@A.LAB.TEST -k -t "$lab/A/trustadmin.keytab" \
	-q "getprinc krbtgt/A.LAB.TEST" >"$out" 2>&1
says "A: trustadmin may not touch the realm's own krbtgt" "requires ..get.. privilege"
kadm A "getprinc krbtgt/A.LAB.TEST" >"$out" 2>&1
if ! has "^Principal: krbtgt/A.LAB.TEST@A.LAB.TEST"; then ko "A: admin cannot read krbtgt/A.LAB.TEST"; fi
vnos() { kadm "$1" "getprinc $TGT" 2>/dev/null | sed -n 's/^Key: vno \([0-9]*\), \(.*\)$/\1 \2/p' | sort; }
vA=$(vnos A); vB=$(vnos B)
if [ -n "$vA" ] && [ "$vA" = "$vB" ]; then
	ok "getprinc $TGT shows equal kvnos and enctypes on both sides ($(echo "$vA" | head -n 1))"
else
	echo "    A: $vA"; echo "    B: $vB"
	ko "kvnos or enctypes of $TGT differ"
fi
dom B
kdestroy >/dev/null 2>&1
expect "B: kinit user@B.LAB.TEST" kinit "user@$D_REALM" <"$D_DIR/user.pw"
expect "trust works: kvno host/srv.a.lab.test@A.LAB.TEST as user@B.LAB.TEST" \
	kvno host/srv.a.lab.test@A.LAB.TEST
dom A
kdestroy >/dev/null 2>&1
kinit "user@$D_REALM" <"$D_DIR/user.pw" >/dev/null 2>&1
refuse "one-way: user@A.LAB.TEST gets no ticket for host/srv.b.lab.test@B.LAB.TEST" \
	kvno host/srv.b.lab.test@B.LAB.TEST
has "krbtgt/B.LAB.TEST@A.LAB.TEST not found in Kerberos database" ||
	ko "the missing-principal failure does not name krbtgt/B.LAB.TEST@A.LAB.TEST"

# One side's kvno moves: the trust breaks with the PROCESS_TGS symptom.
kadm A "modprinc -kvno 7 $TGT" >"$out" 2>&1
says "A: modprinc -kvno 7 $TGT" "Principal \"$TGT\" modified"
kdestroy >/dev/null 2>&1
kinit user@B.LAB.TEST <"$lab/B/user.pw" >/dev/null 2>&1
refuse "kvno differs: kvno host/srv.a.lab.test@A.LAB.TEST fails" kvno host/srv.a.lab.test@A.LAB.TEST
has "PROCESS_TGS" || ko "the kvno failure is not PROCESS_TGS"
if grep -q "No matching key in entry" "$lab/A/krb5kdc.log"; then
	ok "A's KDC logs 'No matching key in entry'"
else
	ko "A's KDC log lacks 'No matching key in entry'"
fi
kadm A "modprinc -kvno 1 $TGT" >"$out" 2>&1
says "A: modprinc -kvno 1 $TGT aligns the kvno again" "Principal \"$TGT\" modified"
kdestroy >/dev/null 2>&1
kinit user@B.LAB.TEST <"$lab/B/user.pw" >/dev/null 2>&1
expect "trust works again once the kvnos match" kvno host/srv.a.lab.test@A.LAB.TEST

# ------------------------------------------------------------------ one chance
dom A
(umask 077 && openssl rand -base64 18 | tr -d '\n' >"$tmp/permit.pw")
{ cat "$tmp/permit.pw"; echo; cat "$tmp/permit.pw"; echo; } >"$tmp/permit.in"
kadm A "addprinc -policy trustmgr-permit permitted" <"$tmp/permit.in" >"$out" 2>&1
says "A: addprinc -policy trustmgr-permit permitted" 'Principal "permitted@A.LAB.TEST" created' 
kdestroy >/dev/null 2>&1
echo "not-the-password" >"$tmp/wrong.pw"
refuse "A: a wrong password for permitted@A.LAB.TEST fails" kinit "permitted@$D_REALM" <"$tmp/wrong.pw"
refuse "A: after one wrong attempt the right password is refused too (locked)" \
	kinit "permitted@$D_REALM" <"$tmp/permit.pw"
has "revoked" || ko "the lockout message does not say 'revoked'"
kadm A "getprinc permitted" >"$out" 2>&1
says "A: getprinc shows 1 failed attempt" "Failed password attempts: 1"

# ------------------------------------------------------------------ stop
ports=$(cat "$lab/ports")
expect "lab.sh stop" sh "$LAB" stop "$lab"
refuse "lab.sh status after stop reports stopped daemons" sh "$LAB" status "$lab"
busy=""
for p in $ports; do
	h=$(printf ':%04X$' "$p")
	if awk -v h="$h" 'FNR > 1 && $2 ~ h && ($4 == "0A" || FILENAME ~ /udp/) { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null; then
		busy="$busy $p"
	fi
done
if [ -z "$busy" ]; then ok "every lab port is free after stop"; else ko "ports still in use after stop:$busy"; fi

# ------------------------------------------------------------------ replicas
# A second lab with two slapd (multi-provider syncrepl) and two krb5kdc per
# domain: changes made on either server reach the other, also after one was
# stopped; a client reaches the realm with its first KDC stopped.
lab2=$tmp/lab2
if ! sh "$LAB" start "$lab2" --replicas >"$tmp/start2.out" 2>&1; then
	out=$tmp/start2.out
	ko "lab.sh start --replicas"
	finish
fi
ok "lab.sh start --replicas"
eval "$(sh "$LAB" env "$lab2")"
expect "lab.sh status: slapd, slapd2, krb5kdc, krb5kdc2 and kadmind run" sh "$LAB" status "$lab2"
if ! has "^A slapd2 .*running" || ! has "^B krb5kdc2 .*running"; then ko "status lists no slapd2/krb5kdc2"; fi
# shellcheck source=/dev/null
. "$lab2/A/domain.env"
if [ "$(grep -c "ldap_uri = " "$TRUSTMGR_CONFIG")" -eq 8 ] && grep -q "ldap_uri = $LDAP2_URI" "$TRUSTMGR_CONFIG"; then
	ok "trustmgr.conf lists both servers of each domain (StartTLS and ldaps)"
else
	ko "trustmgr.conf lacks the second servers"
fi
if grep -q "kdc = 127.0.0.1:$P_KDC2" "$KRB5_CONFIG"; then ok "krb5.conf lists A's second KDC"; else ko "krb5.conf lacks A's second KDC"; fi
ldap2() { ldapadd -x -ZZ -H "$1" -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw"; }
person() { printf 'dn: cn=%s,cn=Users,%s\nobjectClass: person\ncn: %s\nsn: x\n' "$1" "$D_BASE" "$1"; }
# on URI NAME: the entry is there (polls at most 10 s: replication is not instant).
on() {
	k=0
	while [ "$k" -lt 50 ]; do
		if admin_ldap -ZZ -H "$1" -b "cn=$2,cn=Users,$D_BASE" -s base dn 2>/dev/null | grep -q "^dn: "; then
			return 0
		fi
		k=$((k + 1)); sleep 0.2
	done
	return 1
}
person one | ldap2 "$LDAP_URI" >"$out" 2>&1
expect "A: an entry added on server 1 reaches server 2" on "$LDAP2_URI" one
expect "lab.sh stop-server A slapd" sh "$LAB" stop-server "$lab2" A slapd
refuse "lab.sh status reports the stopped slapd" sh "$LAB" status "$lab2"
person two | ldap2 "$LDAP2_URI" >"$out" 2>&1
expect "lab.sh start-server A slapd" sh "$LAB" start-server "$lab2" A slapd
expect "A: an entry added on server 2 while server 1 was down reaches server 1" on "$LDAP_URI" two
expect "lab.sh stop-server A krb5kdc" sh "$LAB" stop-server "$lab2" A krb5kdc
kdestroy >/dev/null 2>&1
expect "A: kinit with only the second KDC running" kinit "user@$D_REALM" <"$D_DIR/user.pw"
expect "A: kvno with only the second KDC running" kvno "host/srv.$D_DNS@$D_REALM"
expect "lab.sh start-server A krb5kdc" sh "$LAB" start-server "$lab2" A krb5kdc
kill -STOP "$(sh "$LAB" pid "$lab2" A slapd2)"
refuse "lab.sh status reports a suspended slapd2" sh "$LAB" status "$lab2"
has "^A slapd2 .*suspended" || ko "status does not say suspended"
ports2=$(cat "$lab2/ports")
expect "lab.sh stop (with a suspended daemon)" sh "$LAB" stop "$lab2"
busy=""
for p in $ports2; do
	h=$(printf ':%04X$' "$p")
	if awk -v h="$h" 'FNR > 1 && $2 ~ h && ($4 == "0A" || FILENAME ~ /udp/) { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null; then
		busy="$busy $p"
	fi
done
if [ -z "$busy" ]; then ok "every port of the replicas lab is free after stop"; else ko "ports still in use:$busy"; fi

echo "lab selftest took $(($(date +%s) - t0)) s"
finish
