#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# ldapdir_lab.sh BIN - backend/ldap/ldapdir.c against the real slapd servers of a
# lab (tests/lab/lab.sh), checked by the probe (ldapdir_probe.c, built here
# from the libraries next to BIN) and again with ldapsearch:
#   - a TDO with binary SID, both trustAuth blobs, forest information and
#     enctypes: written, listed back equal, the same bytes in ldapsearch;
#     a bind that may not read secrets lists it without them
#   - a direction change empties the outgoing blob, clearing the forest bit
#     deletes msDS-TrustForestTrustInfo; delete, and delete again
#   - partner names with every LDAP special character, non-ASCII and long
#     labels round trip, and their DNs are escaped
#   - 1,200 TDOs (ldapadd) listed by paged searches of 500; the reader's
#     500 size limit is met the way ldapsearch meets it
#   - tls = none: the simple bind password and trust secrets are refused
#     unless allow_plaintext_secrets (loopback, ldapi)
#   - a closed port, a server that never answers (ldap and ldaps), a wrong
#     password, a wrong CA, GSSAPI without a ticket or module: clear
#     messages within the timeout; failover to the next URI
#   - a server that answers TDO writes with result 53 (like Samba): the
#     samba-tool command; a missing cn=System: how to create it
# Prints "ldapdir: N passed, N failed"; exits non-zero on a failure.
set -u
BIN=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$(dirname "$BIN")" && pwd)
tmp=$(mktemp -d /tmp/tm-ldapdir-XXXXXX)
lab=$tmp/lab
helper_pids=""
pass=0
fails=0

cleanup() {
	for p in $helper_pids; do kill "$p" 2>/dev/null; done
	sh "$top/tests/lab/lab.sh" stop "$lab" --rm >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
die() { echo "ldapdir_lab: $*" >&2; echo "ldapdir: $pass passed, $((fails + 1)) failed"; exit 1; }

for t in cc nm pkg-config python3 ldapsearch ldapadd ldapdelete base64; do
	command -v "$t" >/dev/null 2>&1 || die "$t is missing (tools/install-deps.sh)"
done

# ---- the probe, built from the libraries of the build under test ----------
san=""
if nm "$build/libtm_backend.a" 2>/dev/null | grep -q '__asan_'; then
	san="-fsanitize=address,undefined"
fi
# shellcheck disable=SC2046
cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wcast-qual -Wwrite-strings -Wundef -Wpointer-arith -Werror $san \
	-I"$top" $(pkg-config --cflags ldap krb5 kadm-client gssrpc) \
	"$top/tests/integration/ldapdir_probe.c" "$build/libtm_backend.a" "$build/libtm_model.a" \
	$(pkg-config --libs ldap krb5 kadm-client gssrpc) \
	-o "$tmp/probe" || die "cannot build the probe"
P=$tmp/probe

# run NAME CMD...: one check, passed when CMD exits 0.
run() {
	name=$1; shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else bad "$name"; fi
	sed 's/^/    /' "$tmp/out"
}

# ---- the lab ------------------------------------------------------------------
sh "$top/tests/lab/lab.sh" start "$lab" >"$tmp/lab.out" 2>&1 ||
	{ cat "$tmp/lab.out"; die "the lab did not start"; }
eval "$(sh "$top/tests/lab/lab.sh" env "$lab")"
export KRB5CCNAME="FILE:$tmp/no-ticket.ccache"   # no Kerberos ticket anywhere
# shellcheck source=/dev/null  # D_BASE, D_DIR, LDAP_URI, LDAPS_URI, LDAPI_URI
. "$lab/A/domain.env"
# shellcheck disable=SC2153  # from domain.env
A_BASE=$D_BASE A_DIR=$D_DIR A_LDAP=$LDAP_URI A_LDAPS=$LDAPS_URI A_LDAPI=$LDAPI_URI
SYS="cn=System,$A_BASE"

# The probe's view of domain A: StartTLS first, then ldaps (failover).
export PROBE_NAME=A PROBE_DNS=a.lab.test PROBE_NETBIOS=A PROBE_BASE="$A_BASE"
export PROBE_URIS="$A_LDAP $A_LDAPS" PROBE_BIND=simple PROBE_BIND_DN="cn=admin,$A_BASE"
export PROBE_PWFILE="$A_DIR/ldap-admin.pw" PROBE_TLS=starttls
export PROBE_CACERT="$A_DIR/tls/ca.pem" PROBE_ALLOW=0 PROBE_TIMEOUT=3
as_reader() {
	env PROBE_BIND_DN="cn=reader,cn=Users,$A_BASE" PROBE_PWFILE="$A_DIR/ldap-reader.pw" "$P" "$@"
}

# ldapsearch as A's admin / reader over StartTLS, unwrapped LDIF.
adm() {
	ldapsearch -LLL -o ldif-wrap=no -ZZ -H "$A_LDAP" -x -D "cn=admin,$A_BASE" \
		-y "$A_DIR/ldap-admin.pw" "$@"
}
reader() {
	ldapsearch -LLL -o ldif-wrap=no -ZZ -H "$A_LDAP" -x -D "cn=reader,cn=Users,$A_BASE" \
		-y "$A_DIR/ldap-reader.pw" "$@"
}

# same_attrs SENT DN: the entry's attributes (but dn, objectClass and cn)
# are exactly the lines the probe says it sent.
same_attrs() {
	adm -b "$2" -s base >"$tmp/got.ldif" || { echo "ldapsearch failed"; return 1; }
	grep -v '^dn::\? \|^objectClass: \|^cn::\? \|^$' "$tmp/got.ldif" | sort >"$tmp/got.sorted"
	sort "$1" >"$tmp/sent.sorted"
	diff "$tmp/sent.sorted" "$tmp/got.sorted" && grep -q '^objectClass: trustedDomain$' "$tmp/got.ldif"
}

# ---- one TDO: put, read back, modify, delete ------------------------------------
run "StartTLS connection is secure" "$P" secure 1
run "ldaps-only connection is secure" env PROBE_TLS=ldaps PROBE_URIS="$A_LDAPS" "$P" secure 1
run "put a full TDO, list it back equal" "$P" put-full partner.example "$tmp/sent1.ldif"
run "ldapsearch shows exactly the attributes sent (binary SID and blobs)" \
	same_attrs "$tmp/sent1.ldif" "cn=partner.example,$SYS"
run "the reader lists the TDO without secrets" as_reader count 1 noblobs
reader_secret() {
	reader -b "cn=partner.example,$SYS" -s base trustAuthIncoming trustAuthOutgoing \
		trustPartner >"$tmp/r.ldif" || return 1
	grep -q '^trustPartner: partner.example$' "$tmp/r.ldif" && ! grep -q '^trustAuth' "$tmp/r.ldif"
}
run "ldapsearch as the reader sees the entry but no trustAuth*" reader_secret

run "modify: inbound only, no forest bit" "$P" modify partner.example "$tmp/sent2.ldif"
run "ldapsearch shows the modified attributes exactly" \
	same_attrs "$tmp/sent2.ldif" "cn=partner.example,$SYS"
dropped() {
	adm -b "cn=partner.example,$SYS" -s base >"$tmp/m.ldif" || return 1
	grep -q '^trustDirection: 1$' "$tmp/m.ldif" &&
		grep -q '^trustAuthOutgoing:: AAAAAAAAAAAAAAAA$' "$tmp/m.ldif" &&
		grep -q '^trustAuthIncoming:: ' "$tmp/m.ldif" &&
		! grep -q '^msDS-TrustForestTrustInfo' "$tmp/m.ldif" &&
		! grep -q '^msDS-SupportedEncryptionTypes' "$tmp/m.ldif"
}
run "ldapsearch: outgoing blob empty (count 0), forest info and enctypes deleted" dropped
run "delete, and delete again" "$P" delete partner.example
gone() {
	adm -b "$1" -s base dn >/dev/null 2>&1
	[ $? -eq 32 ]
}
run "ldapsearch: the entry is gone (no such object)" gone "cn=partner.example,$SYS"

# ---- names that need escaping -------------------------------------------------------
l63=$(printf '%063d' 0 | tr 0 l)
{
	printf '%s\n' 'a,b+c"d\e<f>g;h=i' '#hash' ' lead and trail ' 'star*(paren)\back' \
		'x=y#z' 'semi;colon' 'new' 'ümlaut.exämple.テスト' \
		'*' 'x)(objectClass=*' '*)(|(cn=*' 'hex\2a\00text' '  ' '# ' 'end\'
	# three 63-character labels: back-mdb takes RDNs up to about 240 bytes
	echo "$l63.$l63.$l63.long-label.example"
} >"$tmp/names.txt"
run "odd partner names written and listed back equal" "$P" names "$tmp/names.txt"
# trustPartner values as ldapsearch prints them, decoded, one a line.
partners() {
	adm -b "$SYS" -s one '(objectClass=trustedDomain)' trustPartner >"$tmp/p.ldif" || return 1
	while IFS= read -r line; do
		case $line in
		'trustPartner:: '*) printf '%s' "${line#trustPartner:: }" | base64 -d; echo ;;
		'trustPartner: '*) printf '%s\n' "${line#trustPartner: }" ;;
		esac
	done <"$tmp/p.ldif" | sort
}
same_names() {
	partners >"$tmp/p.sorted" || return 1
	sort "$tmp/names.txt" | diff - "$tmp/p.sorted"
}
same_names_plus() {    # same_names_plus NAME: the odd names but '*', and NAME
	partners >"$tmp/p.sorted" || return 1
	{ grep -vx '[*]' "$tmp/names.txt"; echo "$1"; } | sort | diff - "$tmp/p.sorted"
}
run "ldapsearch: the same partner names, byte for byte" same_names
escaped() {
	adm -b "$SYS" -s one '(objectClass=trustedDomain)' dn >"$tmp/dn.ldif" || return 1
	grep -qF 'dn: cn=a\2Cb\2Bc\22d\5Ce\3Cf\3Eg\3Bh\3Di,cn=System,' "$tmp/dn.ldif" &&
		grep -qF 'dn: cn=\23hash,cn=System,' "$tmp/dn.ldif" &&
		grep -qF 'dn: cn=\20lead and trail\20,cn=System,' "$tmp/dn.ldif"
}
run "ldapsearch: their DNs are escaped (RFC 4514)" escaped
# No value reaches a filter or a DN unescaped: deleting the partner "*"
# deletes that entry only, and deleting "x)(cn=*" (there is none) nothing.
run "put victim.example" "$P" put-full victim.example "$tmp/victim.ldif"
run "delete of the partner '*' deletes it" "$P" delete '*'
run "delete of the partner 'x)(cn=*' (none) is fine" "$P" delete 'x)(cn=*'
still_there() { adm -b "cn=victim.example,$SYS" -s base dn | grep -q '^dn: cn=victim.example,'; }
run "ldapsearch: victim.example is still there" still_there
run "ldapsearch: every other odd name is still there" same_names_plus victim.example
run "delete victim.example" "$P" delete victim.example
run "odd partner names deleted" "$P" names-delete "$tmp/names.txt"
empty() {
	n=$(adm -b "$SYS" -s one '(objectClass=trustedDomain)' dn | grep -c '^dn')
	[ "$n" -eq 0 ]
}
run "ldapsearch: cn=System is empty again" empty
# A name over back-mdb's RDN limit (about 240 bytes; a DNS name may have 253):
# refused with a message that says why, and nothing written.
l49=$(printf "%049d" 0 | tr 0 m)
run "a 249-byte partner name is refused with a message" \
	"$P" put-fail "$l49.$l49.$l49.$l49.$l49" "240 bytes" "server's log"
run "ldapsearch: still empty after the refused name" empty

# ---- large directory: paged searches ------------------------------------------------
awk -v base="$A_BASE" 'BEGIN {
	for (i = 1; i <= 1200; i++)
		printf "dn: cn=bulk%04d.example,cn=System,%s\nobjectClass: top\n" \
		       "objectClass: trustedDomain\ncn: bulk%04d.example\n" \
		       "trustPartner: bulk%04d.example\nflatName: BULK%04d\n" \
		       "trustDirection: 2\ntrustType: 2\ntrustAttributes: 8\n\n", i, base, i, i, i
}' >"$tmp/bulk.ldif"
bulk_add() {
	ldapadd -ZZ -H "$A_LDAP" -x -D "cn=admin,$A_BASE" -y "$A_DIR/ldap-admin.pw" \
		-f "$tmp/bulk.ldif" >/dev/null
}
run "ldapadd 1,200 TDOs" bulk_add
pages_before=$(grep -c 'SEARCH RESULT.* nentries=500 ' "$A_DIR/slapd.log")
run "the admin lists all 1,200 TDOs" "$P" count 1200
paged() {
	after=$(grep -c 'SEARCH RESULT.* nentries=500 ' "$A_DIR/slapd.log")
	echo "pages of 500 in slapd.log: $((after - pages_before))"
	[ $((after - pages_before)) -ge 2 ] && grep -q 'SEARCH RESULT.* nentries=200 ' "$A_DIR/slapd.log"
}
run "slapd.log: the listing came in pages of 500, 500 and 200" paged
limit() {
	reader -b "$SYS" -s one '(objectClass=trustedDomain)' dn >"$tmp/lim.ldif" 2>&1
	rc=$?
	echo "ldapsearch as the reader without paging: exit $rc, $(grep -c '^dn' "$tmp/lim.ldif") entries"
	[ "$rc" -eq 4 ]
}
run "ldapsearch: the reader meets the server's 500 size limit" limit
reader -E pr=500/noprompt -b "$SYS" -s one '(objectClass=trustedDomain)' dn \
	>"$tmp/pr.ldif" 2>&1
pr_rc=$?
pr_n=$(grep -c '^dn' "$tmp/pr.ldif")
echo "    ldapsearch -E pr=500 as the reader: exit $pr_rc, $pr_n entries"
if [ "$pr_rc" -eq 0 ] && [ "$pr_n" -eq 1200 ]; then
	run "paged listing as the reader: all 1,200, no secrets" as_reader count 1200 noblobs
else
	# slapd counts paged results against size.prtotal (default: the hard
	# limit, here 500): the reader cannot list them all, and must be told.
	run "paged listing as the reader stops at the size limit like ldapsearch, with the fix" \
		as_reader list-fail "Size limit exceeded" "size.prtotal=unlimited"
fi

# ---- tls = none --------------------------------------------------------------------
plain() { env PROBE_TLS=none PROBE_URIS="$A_LDAP" "$P" "$@"; }
ldapi() { env PROBE_TLS=none PROBE_URIS="$A_LDAPI" PROBE_BIND=sasl_external "$P" "$@"; }
run "tls none, loopback, not allowed: no simple bind password in clear text" \
	plain open-fail "clear text" "allow_plaintext_secrets"
run "tls none, ldapi, not allowed: not secure" ldapi secure 0
run "tls none, ldapi, not allowed: secrets refused, the rest written" \
	ldapi put-refused refused.example
run "ldapsearch: nothing left of the refused TDO" gone "cn=refused.example,$SYS"
run "tls none, ldapi, allowed: secure" env PROBE_ALLOW=1 PROBE_TLS=none \
	PROBE_URIS="$A_LDAPI" PROBE_BIND=sasl_external "$P" secure 1
run "tls none, loopback, allowed: secure" env PROBE_ALLOW=1 PROBE_TLS=none \
	PROBE_URIS="$A_LDAP" "$P" secure 1
run "tls none, loopback, allowed: secrets written" \
	env PROBE_ALLOW=1 PROBE_TLS=none PROBE_URIS="$A_LDAP" "$P" put-full plain.example \
	"$tmp/sent3.ldif"
run "ldapsearch: the plain-text write is exact" same_attrs "$tmp/sent3.ldif" "cn=plain.example,$SYS"
run "delete it" "$P" delete plain.example

# ---- unreachable, hanging and refusing servers -----------------------------------
# free_port: a port of 127.0.0.1 nobody listens on.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# A server that accepts connections and never answers; its port in $1.
python3 -c '
import os, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1])); os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$tmp/silent.port" &
helper_pids="$helper_pids $!"
# A server like Samba AD: binds succeed, TDO writes get result 53.
python3 -c '
import os, socket, sys
def length(n):
    if n < 128: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big"); return bytes([0x80 | len(b)]) + b
def tlv(tag, body): return bytes([tag]) + length(len(body)) + body
def integer(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"); return tlv(0x02, b)
def result(tag, code, text):
    return tlv(tag, tlv(0x0a, bytes([code])) + tlv(0x04, b"") + tlv(0x04, text))
def read_tlv(c):
    head = c.recv(2)
    if len(head) < 2: return None
    n = head[1]
    if n & 0x80: n = int.from_bytes(c.recv(n & 0x7f), "big")
    body = b""
    while len(body) < n:
        chunk = c.recv(n - len(body))
        if not chunk: return None
        body += chunk
    return body
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1])); os.rename(sys.argv[1] + ".tmp", sys.argv[1])
lsa = b"LSA objectclasses (trustedDomain) cannot be created or changed over LDAP!"
while True:
    c, _ = s.accept()
    while True:
        m = read_tlv(c)
        if m is None: break
        idlen = m[1]; msgid = int.from_bytes(m[2:2 + idlen], "big"); op = m[2 + idlen]
        if op == 0x60: reply = result(0x61, 0, b"")
        elif op == 0x68: reply = result(0x69, 53, lsa)
        elif op == 0x66: reply = result(0x67, 53, lsa)
        elif op == 0x4a: reply = result(0x6b, 0, b"")
        elif op == 0x63: reply = result(0x65, 0, b"")
        else: break
        c.sendall(tlv(0x30, integer(msgid) + reply))
    c.close()
' "$tmp/samba.port" &
helper_pids="$helper_pids $!"
i=0
while { [ ! -s "$tmp/silent.port" ] || [ ! -s "$tmp/samba.port" ]; } && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
if [ ! -s "$tmp/silent.port" ] || [ ! -s "$tmp/samba.port" ]; then
	die "the helper servers did not start"
fi
closed=$(free_port)
silent=$(cat "$tmp/silent.port")
samba=$(cat "$tmp/samba.port")

run "a closed port: unreachable, URIs and timeout named" env PROBE_URIS="ldap://127.0.0.1:$closed/" \
	"$P" open-fail "ldap://127.0.0.1:$closed/" "up to 3 s"
run "a silent server (StartTLS): fails within the timeout" \
	env PROBE_URIS="ldap://127.0.0.1:$silent/" "$P" open-fail "StartTLS" "127.0.0.1:$silent"
run "a silent server (ldaps handshake): fails within the timeout" \
	env PROBE_TLS=ldaps PROBE_URIS="ldaps://127.0.0.1:$silent/" \
	"$P" open-fail "ldaps://127.0.0.1:$silent/" "did not complete TLS"
run "a silent server (tls none, bind): fails within the timeout" \
	env PROBE_TLS=none PROBE_ALLOW=1 PROBE_URIS="ldap://127.0.0.1:$silent/" \
	"$P" open-fail "127.0.0.1:$silent" "Timed out"
run "failover: a closed port, a silent ldaps server, then the real one" \
	env PROBE_URIS="ldap://127.0.0.1:$closed/ ldaps://127.0.0.1:$silent/ $A_LDAPS" \
	"$P" secure 1
printf 'not-the-password' >"$tmp/wrong.pw"
chmod 600 "$tmp/wrong.pw"
run "a wrong bind password: the DN and the file named" env PROBE_PWFILE="$tmp/wrong.pw" \
	"$P" open-fail "Invalid credentials" "cn=admin,$A_BASE" "$tmp/wrong.pw"
run "another domain's CA (StartTLS): the CA file named" \
	env PROBE_CACERT="$lab/B/tls/ca.pem" "$P" open-fail "$lab/B/tls/ca.pem"
run "another domain's CA (ldaps): the CA file named" env PROBE_TLS=ldaps \
	PROBE_URIS="$A_LDAPS" PROBE_CACERT="$lab/B/tls/ca.pem" "$P" open-fail "$lab/B/tls/ca.pem"
run "GSSAPI without a Kerberos ticket: says to get one" env PROBE_BIND=sasl_gssapi \
	"$P" open-fail "GSSAPI" "kinit"
mkdir "$tmp/no-sasl-modules"
run "GSSAPI without the SASL module: names the package" env SASL_PATH="$tmp/no-sasl-modules" \
	PROBE_BIND=sasl_gssapi "$P" open-fail "libsasl2-modules-gssapi-mit"
run "result 53 from an AD-like server: the samba-tool command" \
	env PROBE_TLS=none PROBE_ALLOW=1 PROBE_URIS="ldap://127.0.0.1:$samba/" \
	"$P" put-fail partner.example "LSA RPC" \
	"samba-tool domain trust create partner.example --type=forest --direction=both --create-location=local" \
	"netdom trust a.lab.test /domain:partner.example /add /twoway"

# ---- a directory without cn=System (domain B) --------------------------------------
# shellcheck source=/dev/null
. "$lab/B/domain.env"
run "ldapdelete B's cn=System" ldapdelete -ZZ -H "$LDAP_URI" -x -D "cn=admin,$D_BASE" \
	-y "$D_DIR/ldap-admin.pw" "cn=System,$D_BASE"
onb() {
	env PROBE_NAME=B PROBE_BASE="$D_BASE" PROBE_URIS="$LDAP_URI" \
		PROBE_BIND_DN="cn=admin,$D_BASE" PROBE_PWFILE="$D_DIR/ldap-admin.pw" \
		PROBE_CACERT="$D_DIR/tls/ca.pem" "$P" "$@"
}
run "list without cn=System: says to create it" onb list-fail \
	"no container cn=System,$D_BASE" "objectClass: container"
run "put without cn=System: says to create it" onb put-fail partner.example \
	"no container cn=System,$D_BASE"

echo "ldapdir: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
