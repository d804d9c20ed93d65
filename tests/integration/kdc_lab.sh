#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# backend/kdc_*.c against real KDCs and kadminds: start a 2-domain lab
# (tests/lab/lab.sh), drive the kdc_* API through a small probe built here
# from the build's libtm_backend.a and libtm_model.a, and check every step
# with the standard clients (kadmin getprinc, kinit, kvno) as well as with
# the API's own answers. "A trusts B" is krbtgt/A.LAB.TEST@B.LAB.TEST in both
# KDCs. Prints "kdc: N passed, N failed"; the lab is always stopped.
# $1: the trustmgr binary (its folder holds the libraries). POSIX sh.
# Functions run through trap and through expect/refuse:
# shellcheck disable=SC2317
set -u

BIN=${1:?usage: kdc_lab.sh BUILD/trustmgr}
here=$(cd "$(dirname "$0")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
build=$(cd "$(dirname "$BIN")" && pwd -P)
LAB=$top/tests/lab/lab.sh
TIMEOUT=5

pass=0
fail=0
finish() {
	echo "kdc: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

for t in krb5kdc kadmind kadmin kinit kvno kdestroy openssl cc nm pkg-config; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "kdc: $t is missing: run tools/install-deps.sh" >&2
		fail=1
		finish
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-kdc-XXXXXX")
lab=$tmp/lab
hang_pid=""
cleanup() {
	if [ -n "$hang_pid" ]; then
		kill "$hang_pid" 2>/dev/null
	fi
	if [ -f "$lab/domains" ]; then
		sh "$LAB" stop "$lab" >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

out=$tmp/out
: >"$out"
ok() { pass=$((pass + 1)); echo "ok: $*"; }
ko() {
	fail=$((fail + 1)); echo "FAIL: $*"
	if [ -s "$out" ]; then sed 's/^/    | /' "$out" | tail -n 15; fi
}
expect() { d=$1; shift; if "$@" >"$out" 2>&1; then ok "$d"; else ko "$d"; fi; }
refuse() { d=$1; shift; if "$@" >"$out" 2>&1; then ko "$d"; else ok "$d"; fi; }
has() { grep -Eq -- "$1" "$out"; }
# says DESC PATTERN: the last output holds PATTERN (kadmin -q exits 0 even
# when its query failed: its output is what counts).
says() { if has "$2"; then ok "$1"; else ko "$1"; fi; }
# field NAME: a key=value line of the last probe output.
field() { sed -n "s/^$1=//p" "$out" | head -n 1; }
# is DESC NAME VALUE: the probe said NAME=VALUE.
is() {
	if [ "$(field "$2")" = "$3" ]; then ok "$1"; else ko "$1 ($2 is '$(field "$2")', want '$3')"; fi
}

# ------------------------------------------------------------ the probe
SAN=""
if nm "$build/libtm_model.a" 2>/dev/null | grep -q __asan_; then
	SAN="-fsanitize=address,undefined"
fi
# shellcheck disable=SC2046,SC2086 # pkg-config output is a list of flags
if cc -std=c17 -g $SAN -Wall -Wextra -Werror -D_GNU_SOURCE -I"$top" \
	$(pkg-config --cflags krb5 kadm-client gssrpc) "$here/kdc_probe.c" \
	"$build/libtm_backend.a" "$build/libtm_model.a" \
	$(pkg-config --libs ncursesw ldap krb5 kadm-client gssrpc) -o "$tmp/kdc_probe" >"$out" 2>&1; then
	ok "kdc_probe builds against $build/libtm_backend.a"
else
	ko "kdc_probe does not build"
	finish
fi
probe() { KDC_PROBE_TIMEOUT=$TIMEOUT "$tmp/kdc_probe" "$lab" "$@" >"$out" 2>&1; }

# ------------------------------------------------------------ the lab
if ! sh "$LAB" start "$lab" --domains 2 >"$out" 2>&1; then
	ko "lab.sh start"
	finish
fi
ok "lab started"
eval "$(sh "$LAB" env "$lab")"

T=krbtgt/A.LAB.TEST@B.LAB.TEST
(
	umask 077
	openssl rand -base64 24 | tr -d '\n' >"$tmp/p1"
	openssl rand -base64 24 | tr -d '\n' >"$tmp/p2"
	openssl rand -base64 24 | tr -d '\n' >"$tmp/p3"
)

kadm() {
	kadmin -r "$1.LAB.TEST" -p "admin/admin@$1.LAB.TEST" -k -t "$lab/$1/admin.keytab" -q "$2"
}
# vnos X PRINCIPAL: "kvno enctype" lines of getprinc, sorted.
vnos() { kadm "$1" "getprinc $2" 2>/dev/null | sed -n 's/^Key: vno \([0-9]*\), \(.*\)$/\1 \2/p' | sort; }
# kvno_set X PRINCIPAL: the distinct kvnos getprinc shows, highest first.
kvno_set() { vnos "$1" "$2" | cut -d' ' -f1 | sort -rnu | tr '\n' ' ' | sed 's/ $//'; }
# across: user@B asks for host/srv.a.lab.test@A.LAB.TEST (works iff A trusts B).
across() {
	kdestroy >/dev/null 2>&1
	kinit user@B.LAB.TEST <"$lab/B/user.pw" >/dev/null 2>&1 || { echo "kinit user@B failed"; return 1; }
	kvno host/srv.a.lab.test@A.LAB.TEST
}
same_keys() {
	vA=$(vnos A "$T"); vB=$(vnos B "$T")
	if [ -n "$vA" ] && [ "$vA" = "$vB" ]; then
		ok "$1 (getprinc: $(echo "$vA" | tr '\n' ';'))"
	else
		printf 'A: %s\nB: %s\n' "$vA" "$vB" >"$out"
		ko "$1"
	fi
}
set_both() { probe set A "$T" "$1" "$2" 0 0 && probe set B "$T" "$1" "$2" 0 0; }

# ------------------------------------------------------------ 1. same key both sides
probe set A "$T" "$tmp/p1" 3 0 0; is "key_set A: $T kvno 3 (A logs in with its keytab)" set ok
probe set B "$T" "$tmp/p1" 3 0 0; is "key_set B: $T kvno 3 (B logs in with its password file)" set ok
same_keys "getprinc shows equal kvnos and enctypes on both KDCs"
kadm A "getprinc $T" >"$out" 2>&1
says "getprinc A: kvno 3, AES256" "^Key: vno 3, aes256-cts-hmac-sha1-96"
expect "standard clients: kinit user@B, kvno host/srv.a.lab.test@A succeeds" across
kdestroy >/dev/null 2>&1
probe verify A B
is "verify A trusts B (service kadmin/admin): ok" outcome ok
is "verify: the issuing KDC used kvno 3" issuer_kvno 3
is "verify: names krbtgt/A.LAB.TEST@B.LAB.TEST" principal "$T"
if [ -e "$lab/ccache" ]; then ko "verify left a credential cache behind"; else ok "verify leaves no credential cache"; fi
probe verify A B host/srv.a.lab.test
is "verify with verify_service host/srv.a.lab.test: ok" outcome ok
KDC_PROBE_VERIFY_USER=1 probe verify A B host/srv.a.lab.test
is "verify as B's verify_principal user@B.LAB.TEST: ok" outcome ok
probe list A
if has "^key=$T kvno=3 enctypes=0x18 kvnos=3 " && ! has "krbtgt/A.LAB.TEST@A.LAB.TEST"; then
	ok "key_list A: the cross-realm principal with kvno 3, AES bits, not the realm's own krbtgt"
else
	ko "key_list A"
fi

# ------------------------------------------------------------ 2. one side kvno+1
probe set A "$T" "$tmp/p1" 4 0 0; is "key_set A: kvno 4, B stays at 3" set ok
if [ "$(kvno_set A "$T")" = 4 ] && [ "$(kvno_set B "$T")" = 3 ]; then
	ok "getprinc: A holds kvno 4 only, B kvno 3"
else
	ko "getprinc after kvno+1 (A: $(kvno_set A "$T"), B: $(kvno_set B "$T"))"
fi
probe verify A B
is "verify: kvno-mismatch" outcome kvno-mismatch
is "verify: issuer kvno 3" issuer_kvno 3
is "verify: acceptor kvno 4 (read through A's kadmin)" acceptor_kvno 4
refuse "standard clients: kvno host/srv.a@A fails" across
says "the client sees PROCESS_TGS" "PROCESS_TGS"

# ------------------------------------------------------------ 3. same kvno, another password
probe set A "$T" "$tmp/p2" 3 0 0; is "key_set A: kvno 3 (forced back from 5) with another password" set ok
if [ "$(kvno_set A "$T")" = 3 ] && [ "$(kvno_set B "$T")" = 3 ]; then
	ok "getprinc: both KDCs show kvno 3"
else
	ko "getprinc kvnos (A: $(kvno_set A "$T"), B: $(kvno_set B "$T"))"
fi
probe verify A B
is "verify: password-mismatch" outcome password-mismatch
refuse "standard clients: kvno host/srv.a@A fails" across
says "the client sees Decrypt integrity check failed" "Decrypt integrity check failed"

# ------------------------------------------------------------ 4. principal missing on one side
probe set A "$T" "$tmp/p1" 3 0 0; is "key_set A: back to the shared key" set ok
probe verify A B; is "verify: ok again" outcome ok
probe delete B "$T"; is "key_delete B" delete ok
kadm B "getprinc $T" >"$out" 2>&1
says "getprinc B: the principal does not exist" "does not exist"
probe verify A B
is "verify: missing-principal" outcome missing-principal
is "verify: missing on B (the issuer)" missing_on B
refuse "standard clients: kvno host/srv.a@A fails" across
says "the client sees krbtgt/A@B not found" "krbtgt/A.LAB.TEST@B.LAB.TEST not found"
probe delete B "$T"; is "key_delete of an absent principal succeeds" delete ok
probe set B "$T" "$tmp/p1" 3 0 0; is "key_set B: recreated" set ok
probe delete A "$T"; is "key_delete A" delete ok
probe verify A B
is "verify: missing-principal" outcome missing-principal
is "verify: missing on A (the acceptor)" missing_on A
refuse "standard clients: kvno host/srv.a@A fails" across

# ------------------------------------------------------------ 5. no common enctype
probe set A "$T" "$tmp/p1" 3 4 0; is "key_set A: RC4 only, kvno 3" set ok
kadm A "getprinc $T" >"$out" 2>&1
if has "^Key: vno 3, (DEPRECATED:)?arcfour-hmac" && ! has "^Key: .*aes"; then
	ok "getprinc A: an RC4 key only"
else
	ko "getprinc A: RC4 only"
fi
probe verify A B
is "verify (RC4 on A, AES on B): no-common-enctype" outcome no-common-enctype
refuse "standard clients: kvno host/srv.a@A fails" across

# ------------------------------------------------------------ 6. keep_previous
expect "key_set both: AES kvno 3" set_both "$tmp/p1" 3
probe set A "$T" "$tmp/p2" 4 0 1; is "key_set A: kvno 4 keeping the previous key" set ok
if [ "$(kvno_set A "$T")" = "4 3" ]; then ok "getprinc A: exactly kvnos 4 and 3"; else
	ko "getprinc A: kvnos are '$(kvno_set A "$T")', want '4 3'"; fi
probe list A
says "key_list A: kvnos 4,3" "^key=$T kvno=4 enctypes=0x18 kvnos=4,3 "
probe verify A B
is "verify: B still issues kvno 3, A still opens it with the kept key" outcome ok
expect "standard clients: kvno host/srv.a@A still succeeds" across
probe set B "$T" "$tmp/p2" 4 0 1; is "key_set B: kvno 4 keeping the previous key" set ok
same_keys "getprinc: both KDCs hold the same kvnos 4 and 3"
probe verify A B
is "verify: ok with the new key" outcome ok
is "verify: issuer kvno 4" issuer_kvno 4
probe set A "$T" "$tmp/p1" 5 0 1; is "key_set A: kvno 5 keeping the previous key" set ok
if [ "$(kvno_set A "$T")" = "5 4" ]; then ok "getprinc A: exactly kvnos 5 and 4 (3 dropped)"; else
	ko "getprinc A: kvnos are '$(kvno_set A "$T")', want '5 4'"; fi

# ------------------------------------------------------------ 7. the one chance
X=krbtgt/X1.LAB.TEST@B.LAB.TEST
kadm B "delpol -force trustmgr-permit" >"$out" 2>&1
kadm B "getpol trustmgr-permit" >"$out" 2>&1
says "B: policy trustmgr-permit removed, so permit_arm must create it" "does not exist"
probe set B "$X" "$tmp/p1" 1 0 0; is "key_set B: $X" set ok
probe state B "$X"; is "permit_state before arming: not armed" armed 0
probe arm B "$X"; is "permit_arm B: $X" arm ok
kadm B "getpol trustmgr-permit" >"$out" 2>&1
says "getpol: the policy was created with maxfailure 1" "Maximum password failures before lockout: 1"
says "getpol: no lockout duration (locked for good)" "Password lockout duration: 0 days 00:00:00"
kadm B "getprinc $X" >"$out" 2>&1
if has "^Policy: trustmgr-permit" && has "REQUIRES_PRE_AUTH" && has "Failed password attempts: 0"; then
	ok "getprinc: under the policy, requires preauth, no failures"
else
	ko "getprinc of the armed principal"
fi
probe state B "$X"
if [ "$(field armed)" = 1 ] && [ "$(field locked)" = 0 ]; then ok "permit_state: armed, not locked"; else ko "permit_state: armed, not locked"; fi
probe prove B "$X" "$tmp/p2"; is "prove with a wrong password: wrong" prove wrong
probe prove B "$X" "$tmp/p1"; is "prove with the right password afterwards: locked (the KDC enforces one chance)" prove locked
probe state B "$X"; is "permit_state: locked" locked 1
kadm B "getprinc $X" >"$out" 2>&1
says "getprinc: 1 failed attempt" "Failed password attempts: 1"
KRB5CCNAME=MEMORY:kdclab kinit "$X" <"$tmp/p1" >"$out" 2>&1
says "standard client: kinit with the right password is refused (revoked)" "revoked"

# ------------------------------------------------------------ 8. prove, then change
probe set B "$T" "$tmp/p1" 6 0 0; is "key_set B: $T kvno 6" set ok
probe arm B "$T"; is "permit_arm B: $T" arm ok
probe prove B "$T" "$tmp/p1"
is "prove a fresh armed principal with the right password: right" prove right
is "prove: kvno 6" kvno 6
probe prove B krbtgt/NOSUCH.LAB.TEST@B.LAB.TEST "$tmp/p1"; is "prove an unknown principal: unknown" prove unknown
probe change B "$T" "$tmp/p1" "$tmp/p3"
is "change through kpasswd" change ok
is "change: new kvno 7 (old + 1)" kvno 7
if [ "$(kvno_set B "$T")" = 7 ]; then ok "getprinc B: kvno 7"; else ko "getprinc B: kvno is '$(kvno_set B "$T")'"; fi
expect "standard client: kinit $T with the new password" \
	env KRB5CCNAME=MEMORY:kdclab kinit "$T" <"$tmp/p3"
probe state B "$T"
if [ "$(field armed)" = 1 ] && [ "$(field locked)" = 0 ]; then ok "permit_state: still armed, not locked"; else ko "permit_state after change"; fi
probe prove B "$T" "$tmp/p3"; is "prove with the new password: right, kvno 7" kvno 7

# ------------------------------------------------------------ 9. unreachable realm
port_used() {
	h=$(printf '%04X' "$1")
	awk -v h="$h" 'FNR > 1 { n = split($2, a, ":"); if (a[n] == h) f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null
}
tcp_listening() {
	h=$(printf '%04X' "$1")
	awk -v h="$h" 'FNR > 1 && $4 == "0A" { n = split($2, a, ":"); if (a[n] == h) f = 1 }
		END { exit !f }' /proc/net/tcp 2>/dev/null
}
# free_port: a port of 127.0.0.1 nothing uses (below the ephemeral range).
free_port() {
	k=0
	while [ "$k" -lt 200 ]; do
		k=$((k + 1))
		r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' \n')
		p=$((20000 + r % 12000))
		if ! port_used "$p"; then echo "$p"; return 0; fi
	done
	return 1
}
closed=$(free_port)
awk -v p="$closed" '{ print } /^\[realms\]/ {
	print "    C.LAB.TEST = {"
	print "        kdc = 127.0.0.1:" p
	print "        admin_server = 127.0.0.1:" p
	print "        kpasswd_server = 127.0.0.1:" p
	print "    }" }' "$lab/krb5.conf" >"$tmp/krb5-c.conf"
KRB5_CONFIG=$tmp/krb5-c.conf KDC_PROBE_PWFILE=$tmp/p1 probe verify A C
is "verify \"A trusts C\" with C's KDC on a closed port: unreachable" outcome unreachable
is "verify: C is the one that did not answer" missing_on C
ms=$(field elapsed_ms)
if [ -n "$ms" ] && [ "$ms" -le $((TIMEOUT * 1000)) ]; then ok "verify: answered in $ms ms (timeout $TIMEOUT s)"; else ko "verify took '$ms' ms"; fi
if KRB5_CONFIG=$tmp/krb5-c.conf KDC_PROBE_PWFILE=$tmp/p1 probe open C; then
	ko "kdc_open C succeeded"
else
	says "kdc_open C: a clear error naming the admin_server" "kadmin server of realm C.LAB.TEST \(admin_server 127.0.0.1:$closed\)"
	ms=$(field elapsed_ms)
	if [ -n "$ms" ] && [ "$ms" -le $((TIMEOUT * 1000)) ]; then ok "kdc_open: failed in $ms ms"; else ko "kdc_open took '$ms' ms"; fi
fi
if KRB5_CONFIG=$tmp/krb5-c.conf probe prove C user "$tmp/p1"; then
	ko "prove against C succeeded"
else
	says "prove against C: Cannot contact any KDC" "Cannot contact any KDC for realm 'C.LAB.TEST'"
fi

# A hung kadmind: the connection is accepted (kernel backlog), nothing answers.
hung=$(free_port)
"$tmp/kdc_probe" "$lab" hang "$hung" 30 >"$tmp/hang.out" 2>&1 &
hang_pid=$!
k=0
while [ "$k" -lt 50 ] && ! tcp_listening "$hung"; do k=$((k + 1)); sleep 0.1; done
sed "s/admin_server = 127.0.0.1:[0-9]*/admin_server = 127.0.0.1:$hung/" "$lab/krb5.conf" >"$tmp/krb5-h.conf"
if KRB5_CONFIG=$tmp/krb5-h.conf probe open B; then
	ko "kdc_open B with a hung kadmind succeeded"
else
	says "kdc_open B with a hung kadmind: did not answer within the timeout" \
		"kadmin server of realm B.LAB.TEST \(admin_server 127.0.0.1:$hung\) did not answer within $TIMEOUT s"
	ms=$(field elapsed_ms)
	if [ -n "$ms" ] && [ "$ms" -le $((TIMEOUT * 1000 + 500)) ]; then ok "kdc_open: gave up after $ms ms"; else ko "kdc_open took '$ms' ms"; fi
fi
kill "$hang_pid" 2>/dev/null
wait "$hang_pid" 2>/dev/null
hang_pid=""

finish
