#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The administrator's own credentials and libldap's own defaults, against
# real servers: a lab of one OpenLDAP + MIT domain (A) and one plain MIT
# realm (B), configured with kadmin_principal alone (no kadmin_keytab, no
# kadmin_password_file), A's directory bound with the ticket (bind =
# sasl_gssapi, sasl_nocanon = true) and without tls_cacert: no password
# file anywhere.
#
#   1. Tickets: KRB5CCNAME=DIR:$tmp/ccdir, `kinit -k` of each realm's
#      admin/admin into that collection (one cache per principal). With
#      MIT's default (kadmin/admin refuses tickets got with a TGT) both
#      `kadmin -c` and trustmgr are refused, trustmgr saying what to run;
#      `kinit -S kadmin/admin` works for both. Once kadmin/admin allows
#      TGS requests (as on a site where `kadmin -c` works with a TGT),
#      create, verify, rotate and remove run from the tickets alone.
#   2. `kdestroy -A`: a command fails (exit 4) naming the principal, the
#      collection and the kinit to run; nothing is written.
#   3. The default client keytab (KRB5_CLIENT_KTNAME), no cache: works;
#      a FILE: cache serves the principal it holds and no other.
#   4. TLS without tls_cacert: LDAPTLS_CACERT works, ldap.conf's TLS_CACERT
#      (LDAPCONF) works, neither fails naming the certificate and the CA.
#   5. sasl_nocanon: the lab's slapd holds the key of ldap/127.0.0.1 only,
#      so a bind asking for the name reverse DNS gives 127.0.0.1 fails,
#      naming that principal: true binds whatever LDAPSASL_NOCANON says,
#      false fails, left out LDAPSASL_NOCANON decides.
# Judged with kadmin getprinc (keytab login), ldapsearch, slapd's log (the
# binds it took), kinit + kvno and klist. Prints "tickets-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=tickets-lab
LAB_TMP=tickets
LAB_OPTS="--domains 1 --realms 1"
. "$(dirname "$0")/lab_lib.sh"

has_err() { grep -q -- "$1" "$tmp/err"; }
no_tdo() { ! tdos_of A | grep -q '^trustPartner:'; }
# user_crosses TRUSTED TRUSTING: crosses (lab_lib.sh) in a cache of its own,
# away from the administrators' collection.
user_crosses() { (KRB5CCNAME=FILE:$tmp/user.cc; export KRB5CCNAME; crosses "$1" "$2"); }
# admin_kinit X [ARGS]: X's admin/admin into the collection, from its keytab.
admin_kinit() { dom "$1"; kinit -k -t "$D_DIR/admin.keytab" ${2:+"$2"} ${3:+"$3"} "admin/admin@$D_REALM"; }
# cache_of X: the cache of the collection that holds X's admin/admin (klist -A).
cache_of() {
	klist -A 2>/dev/null | awk -v p="admin/admin@$1.LAB.TEST" \
		'/^Ticket cache: / { c = substr($0, 15) } $0 == "Default principal: " p { print c }'
}
# kadmin_c X: kadmin -c with that cache lists X's principals.
kadmin_c() {
	_c=$(cache_of "$1"); [ -n "$_c" ] || return 1
	kadmin -c "$_c" -r "$1.LAB.TEST" -q 'getprinc kadmin/admin' 2>&1 | grep -q '^Principal: kadmin/admin'
}
kvno_q() { kvno "$@" >/dev/null 2>&1; }
# unlocked X: kadmin/admin@X takes tickets got with a TGT (+allow_tgs_req).
unlocked() { kadm "$1" "modprinc +allow_tgs_req kadmin/admin@$1.LAB.TEST" | grep -q modified; }

# ---- the configuration: kadmin_principal alone, the ticket's bind, no tls_cacert ----------
# gss_conf FILE [VALUE]: the lab's trustmgr.conf without a password file,
# keytab or tls_cacert, A binding with SASL GSSAPI, sasl_nocanon = VALUE
# (none: left out).
gss_conf() {
	awk -v v="${2:-}" '/^ *(bind_dn|bind_password_file|kadmin_password_file|kadmin_keytab|tls_cacert) =/ { next }
		/^ *bind = simple/ { print "        bind = sasl_gssapi"; if (v != "") print "        sasl_nocanon = " v; next }
		{ print }' "$TRUSTMGR_CONFIG" >"$1"
}
conf=$tmp/tickets.conf
gss_conf "$conf" true
gss_conf "$tmp/gss-false.conf" false
gss_conf "$tmp/gss-default.conf"
export TRUSTMGR_CONFIG="$conf"
check "trustmgr.conf: kadmin_principal alone for A and B, no password file, keytab or tls_cacert" sh -c \
	"[ \$(grep -c 'kadmin_principal =' '$conf') = 2 ] && ! grep -q 'password_file\|keytab\|tls_cacert' '$conf'"
check "trustmgr.conf: A binds with the ticket (sasl_gssapi, sasl_nocanon = true)" sh -c \
	"grep -q 'bind = sasl_gssapi' '$conf' && grep -q 'sasl_nocanon = true' '$conf'"
# gss_binds: the Kerberos binds A's slapd took as its admin (its stats log).
gss_binds() { grep -c 'BIND dn="cn=admin,dc=a,dc=lab,dc=test" mech=GSSAPI' "$lab/A/slapd.log"; }
export KRB5CCNAME="DIR:$tmp/ccdir"
mkdir -m 700 "$tmp/ccdir"
# No default client keytab either (the library's default might hold one).
export KRB5_CLIENT_KTNAME="FILE:$tmp/no-client.keytab"

# ---- 1. tickets ---------------------------------------------------------------------------
check "kinit -k admin/admin@A.LAB.TEST into the DIR collection" admin_kinit A
check "kinit -k admin/admin@B.LAB.TEST into the DIR collection" admin_kinit B
check "klist -A: one cache per realm's administrator" sh -c \
	"[ \$(klist -A | grep -c '^Default principal: admin/admin@') = 2 ]"
check "kadmin -c with B's TGT alone is refused (it wants a kadmin/admin ticket)" not kadmin_c B
check "kvno kadmin/admin@B.LAB.TEST from B's TGT is refused: MIT's default (-allow_tgs_req)" \
	not kvno_q -c "$(cache_of B)" "kadmin/admin@B.LAB.TEST"
expect_rc 4 "list B with B's TGT: refused like kadmin -c" -- list B
check "the refusal names kadmin/admin, the KDC's policy and both ways out" sh -c \
	"grep -q 'kadmin/admin@B.LAB.TEST' '$tmp/err' && grep -q 'policy' '$tmp/err' &&
	 grep -q 'kinit -S kadmin/admin@B.LAB.TEST admin/admin@B.LAB.TEST' '$tmp/err' &&
	 grep -q 'allow_tgs_req' '$tmp/err'"
check "kinit -S kadmin/admin@B.LAB.TEST (the ticket kadmin -c wants)" \
	admin_kinit B -S "kadmin/admin@B.LAB.TEST"
check "kadmin -c with that ticket works" kadmin_c B
expect_rc 0 "list B with that ticket" -- list B
check "B's TGT back (kinit -k)" admin_kinit B
for x in A B; do
	check "kadmin (keytab): kadmin/admin@$x now takes tickets got with a TGT" unlocked "$x"
done
# B's cache gets its kadmin/admin ticket from kvno (as a person would for
# kadmin -c); A's has only its TGT: trustmgr asks the ticket itself.
check "kvno -c: kadmin/admin@B.LAB.TEST from B's TGT" \
	kvno_q -c "$(cache_of B)" "kadmin/admin@B.LAB.TEST"
check "kadmin -c with B's cache works" kadmin_c B
check "A's cache holds only its TGT" sh -c "! klist -c '$(cache_of A)' | grep -q kadmin/admin"

b0=$(gss_binds)
expect_rc 0 "create A B from the tickets alone" -- create A B
check "slapd's log: trustmgr bound to A's directory with the ticket, as its admin" \
	sh -c "[ $(gss_binds) -gt $b0 ]"
check "kadmin getprinc: $AB has the same kvno on A and B" same_kvno "$AB"
check "kadmin getprinc: $BA has the same kvno on A and B" same_kvno "$BA"
check "ldapsearch (no tls_cacert, LDAPTLS_CACERT): A's TDO for B.LAB.TEST" sh -c \
	"ldapsearch -LLL -ZZ -H '$(dom A; echo "$LDAP_URI")' -D 'cn=admin,dc=a,dc=lab,dc=test' \
	 -y '$lab/A/ldap-admin.pw' -b 'cn=System,dc=a,dc=lab,dc=test' '(objectClass=trustedDomain)' \
	 trustPartner | grep -qi '^trustPartner: B.LAB.TEST'"
check "klist: trustmgr got kadmin/admin@A.LAB.TEST from A's TGT into A's cache" sh -c \
	"klist -c '$(cache_of A)' | grep -q 'kadmin/admin@A.LAB.TEST'"
check "kadmin -c with A's cache works now too" kadmin_c A
check "kinit user@B; kvno host/srv.a.lab.test@A (A trusts B)" user_crosses B A
check "kinit user@A; kvno host/srv.b.lab.test@B (B trusts A)" user_crosses A B
expect_rc 0 "verify A B from the tickets (the TGTs of the collection)" -- verify A B --json
check "verify --json: both directions ok" python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["ok"] and all(x["outcome"] == "ok" for x in d["directions"]) else 1)' "$tmp/out"
k1=$(kvno_of A "$AB")
expect_rc 0 "rotate A B from the tickets" -- rotate A B
check "kadmin getprinc: $AB's kvno raised on A ($k1 -> $(kvno_of A "$AB"))" \
	sh -c "[ $(kvno_of A "$AB") -gt $k1 ]"
check "kadmin getprinc: $AB has the same kvno on A and B after rotate" same_kvno "$AB"
check "kadmin getprinc: $BA has the same kvno on A and B after rotate" same_kvno "$BA"
check "kvno across the rotated trust (A trusts B)" user_crosses B A
expect_rc 0 "remove A B --sides both from the tickets" -- remove A B --sides both
check "kadmin getprinc: $AB gone from B" sh -c "[ $(kvno_of B "$AB") = none ]"
check "kadmin getprinc: $BA gone from A" sh -c "[ $(kvno_of A "$BA") = none ]"
check "ldapsearch: no TDO left in A" no_tdo
check "klist -A: trustmgr kept the caches (kadmin/admin tickets added, TGTs there)" sh -c \
	"[ \$(klist -A | grep -c 'krbtgt/[AB].LAB.TEST@') -ge 2 ]"

# ---- 2. no ticket ---------------------------------------------------------------------------
check "kdestroy -A" kdestroy -A
expect_rc 4 "create A B without tickets fails (exit 4: a server or login failed)" -- create A B
check "the message names the collection ($KRB5CCNAME)" has_err "$KRB5CCNAME"
check "... and the kinit to run" has_err 'kinit admin/admin@A.LAB.TEST`'
check "nothing written: no TDO in A" no_tdo
check "nothing written: no $AB in B" sh -c "[ $(kvno_of B "$AB") = none ]"
expect_rc 4 "list B without tickets fails" -- list B
check "list B: names admin/admin@B.LAB.TEST and the collection" sh -c \
	"grep -q 'no ticket of admin/admin@B.LAB.TEST in the credential cache collection $KRB5CCNAME' '$tmp/err'"
check "... the client keytab looked in" has_err "no-client.keytab holds no key"
check "... and the kinit to run" has_err 'Run `kinit admin/admin@B.LAB.TEST`'

# ---- 3. the default client keytab, no cache --------------------------------------------------
printf 'rkt %s\nrkt %s\nwkt %s\n' "$lab/A/admin.keytab" "$lab/B/admin.keytab" \
	"$tmp/client.keytab" | ktutil >/dev/null 2>&1
chmod 600 "$tmp/client.keytab"
check "klist -k: the client keytab holds both administrators" sh -c \
	"[ \$(klist -k '$tmp/client.keytab' | grep -c 'admin/admin@[AB].LAB.TEST') -ge 2 ]"
export KRB5_CLIENT_KTNAME="FILE:$tmp/client.keytab"
expect_rc 0 "create A B with the default client keytab" -- create A B
check "kadmin getprinc: $AB has the same kvno on A and B" same_kvno "$AB"
check "kvno across the trust (A trusts B)" user_crosses B A
expect_rc 0 "verify A B with the default client keytab" -- verify A B
expect_rc 0 "remove A B --sides both with the default client keytab" -- remove A B --sides both
check "kadmin getprinc: $AB gone from A" sh -c "[ $(kvno_of A "$AB") = none ]"
check "klist -A: the directory's bind took A's administrator from the client keytab" sh -c \
	"klist -A | grep -q 'Default principal: admin/admin@A.LAB.TEST'"
kdestroy -A
export KRB5_CLIENT_KTNAME="FILE:$tmp/no-client.keytab"

# A plain FILE: cache is a collection of the one principal it holds.
export KRB5CCNAME="FILE:$tmp/b-admin.cc"
check "kinit -k admin/admin@B.LAB.TEST into a FILE: cache" admin_kinit B
expect_rc 0 "list B with B's administrator in a FILE: cache" -- list B
check "klist: trustmgr got kadmin/admin@B.LAB.TEST into that cache" sh -c \
	"klist | grep -q 'kadmin/admin@B.LAB.TEST'"
check "kinit -k admin/admin@A.LAB.TEST into that FILE: cache instead" admin_kinit A
expect_rc 4 "list B with only A's administrator there fails" -- list B
check "... naming admin/admin@B.LAB.TEST and the FILE: cache" sh -c \
	"grep -q 'no ticket of admin/admin@B.LAB.TEST' '$tmp/err' && grep -q 'collection FILE:$tmp/b-admin.cc' '$tmp/err'"
kdestroy >/dev/null 2>&1
export KRB5CCNAME="DIR:$tmp/ccdir"

# ---- 4. TLS without tls_cacert ------------------------------------------------------------
# The lab's env names every CA in LDAPTLS_CACERT: used above. Now ldap.conf.
check "kinit -k admin/admin@A.LAB.TEST (the directory's bind)" admin_kinit A
printf 'TLS_CACERT %s\n' "$lab/ca-bundle.pem" >"$tmp/ldap.conf"
dom A
check "ldapsearch -ZZ with LDAPCONF's TLS_CACERT (no LDAPTLS_CACERT)" sh -c \
	"env -u LDAPTLS_CACERT LDAPCONF='$tmp/ldap.conf' ldapsearch -LLL -ZZ -H '$LDAP_URI' -x \
	 -D 'cn=admin,$D_BASE' -y '$D_DIR/ldap-admin.pw' -b '$D_BASE' -s base dn >/dev/null 2>&1"
tm_env() { env "$@" "$BIN" list A >"$tmp/out" 2>"$tmp/err"; }
if tm_env -u LDAPTLS_CACERT LDAPCONF="$tmp/ldap.conf" && grep -q 'a.lab.test' "$tmp/out"; then ok; else
	bad "list A with ldap.conf's TLS_CACERT (LDAPCONF) and no tls_cacert"; cat "$tmp/err"; fi
if tm_env LDAPTLS_CACERT="$lab/A/tls/ca.pem" && grep -q 'a.lab.test' "$tmp/out"; then ok; else
	bad "list A with LDAPTLS_CACERT naming A's CA"; cat "$tmp/err"; fi
tm_env -u LDAPTLS_CACERT -u LDAPCONF; rc=$?
check "list A with no CA anywhere fails with exit 4 (got $rc)" test "$rc" -eq 4
check "... saying StartTLS failed" has_err "StartTLS"
check "... naming the certificate and the CA that was used instead" sh -c \
	"grep -q 'certificate' '$tmp/err' && grep -q 'tls_cacert not set' '$tmp/err'"
check "ldapsearch -ZZ fails the same way with no CA" sh -c \
	"! env -u LDAPTLS_CACERT -u LDAPCONF ldapsearch -LLL -ZZ -H '$LDAP_URI' -x \
	 -D 'cn=admin,$D_BASE' -y '$D_DIR/ldap-admin.pw' -b '$D_BASE' -s base dn >/dev/null 2>&1"

# ---- 5. sasl_nocanon -------------------------------------------------------------------------
check "kinit -k admin/admin@A.LAB.TEST again" admin_kinit A
dom A
check "ldapwhoami -N -Y GSSAPI: the lab's slapd takes the ticket as its admin" sh -c \
	"ldapwhoami -N -Y GSSAPI -ZZ -O maxssf=0 -H '$LDAP_URI' 2>/dev/null | grep -qx 'dn:cn=admin,$D_BASE'"
gss() { _c=$1; shift; env "$@" "$BIN" --config "$_c" list A >"$tmp/out" 2>"$tmp/err"; }
gss "$conf" LDAPSASL_NOCANON=off; rc=$?
check "sasl_nocanon = true binds (ldap/127.0.0.1 as written) whatever LDAPSASL_NOCANON says (exit $rc)" \
	test "$rc" -eq 0
gss "$tmp/gss-false.conf" LDAPSASL_NOCANON=on; rc=$?
check "sasl_nocanon = false wins over LDAPSASL_NOCANON: the reverse DNS name was asked, refused (exit $rc)" \
	sh -c "[ $rc -eq 4 ] && grep -q 'Server ldap/[^ ]* not found' '$tmp/err' && ! grep -q 'ldap/127.0.0.1@' '$tmp/err'"
check "... and the hint names sasl_nocanon" has_err "sasl_nocanon = true"
gss "$tmp/gss-default.conf" LDAPSASL_NOCANON=on; rc=$?
check "sasl_nocanon left out: LDAPSASL_NOCANON=on stands and the bind works (exit $rc)" test "$rc" -eq 0
gss "$tmp/gss-default.conf" LDAPSASL_NOCANON=off; rc=$?
check "sasl_nocanon left out, LDAPSASL_NOCANON=off: the reverse DNS name, refused (exit $rc)" \
	sh -c "[ $rc -eq 4 ] && ! grep -q 'ldap/127.0.0.1@' '$tmp/err'"
sed 's/bind = sasl_gssapi/bind = sasl_external/' "$conf" >"$tmp/bad.conf"
expect_rc 2 "sasl_nocanon with bind = sasl_external is refused" -- --config "$tmp/bad.conf" list A
check "the refusal names sasl_nocanon and bind = sasl_gssapi" sh -c \
	"grep -q sasl_nocanon '$tmp/err' && grep -q 'bind = sasl_gssapi' '$tmp/err'"

echo "$LAB_NAME: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
