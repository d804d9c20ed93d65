#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health and repair on plain MIT realms (kind = mit), against real servers:
# a trust between realms B and C is broken behind trustmgr's back with
# kadmin (a key changed on one KDC, a principal deleted on one KDC, the
# encryption types narrowed, requires_preauth set, a key older than the
# rotation policy, two passwords at one kvno); `health --json` must name
# each (its kind) and `repair` must heal it, judged with kinit + kvno across
# the trust and kadmin getprinc on both KDCs. Then the clients' side: a
# krb5.conf without the [domain_realm] lines of a realm that has a dns_name
# makes verify say no-client-path, and the lines `show --krb5-conf` prints,
# appended to it, make verify pass. Prints "realm-health-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=realm-health-lab
LAB_TMP=realmhl
LAB_OPTS="--domains 1 --realms 2"
. "$(dirname "$0")/lab_lib.sh"
. "$(dirname "$0")/realm_lib.sh"

printf 'Password-B-1\n' >"$tmp/pwB"
printf 'Password-C-2\n' >"$tmp/pwC"
printf 'Manual-Password-3\n' >"$tmp/pwM"

# found DESCRIPTION KIND: health --json (exit 1) names KIND for the B-C trust.
found() {
	expect_rc 1 "$1: health finds it" -- health B --json
	check "$1: health --json names $2 (found: $(finding_kinds))" \
		json "any(f['kind'] == '$2' and f['partner_domain'] in ('B', 'C') for f in d['findings'])"
}
# healed NAME: repair B C, then the standard clients and health agree.
healed() {
	expect_rc 0 "$1: repair B C" -- repair B C
	check "$1: kinit user@C; kvno host/srv.b.lab.test@B after repair" crosses C B
	check "$1: kinit user@B; kvno host/srv.c.lab.test@C after repair" crosses B C
	check "$1: kadmin getprinc: $BC current key (kvno, enctypes) equal on both KDCs after repair" same_current "$BC"
	check "$1: kadmin getprinc: $CB current key (kvno, enctypes) equal on both KDCs after repair" same_current "$CB"
	expect_rc 0 "$1: health B after repair" -- health B --json
	check "$1: health --json all ok after repair ($(finding_kinds))" test "$(finding_kinds)" = ok
}
fresh() {
	"$BIN" remove B C --sides both >/dev/null 2>&1
	expect_rc 0 "$1: create B C" -- create B C
	check "$1: kvno across the fresh trust" crosses C B
}

# ---- healthy ----------------------------------------------------------------------------
fresh healthy
expect_rc 0 "healthy: health --json" -- health --json
check "healthy: only ok findings ($(finding_kinds))" test "$(finding_kinds)" = ok

# ---- a key changed on one KDC: kvno mismatch --------------------------------------------
fresh kvno
check "kvno: kadmin cpw -randkey $BC on C" getprinc_has C "$BC" '^Key:' # exists first
kadm C "cpw -randkey $BC" >"$tmp/kadm.out"
check "kvno: kadmin changed the key" grep -q 'randomized' "$tmp/kadm.out"
check "kvno: the kvnos differ now" not same_kvno_in "$BC" B C
check "kvno: kvno across the trust fails" not crosses C B
found kvno kvno-mismatch
healed kvno

# ---- a principal deleted on one KDC --------------------------------------------------------
fresh missing
kadm C "delprinc -force $CB" >"$tmp/kadm.out"
check "missing: kadmin listprincs: C no longer holds $CB" not_listed C "$CB"
check "missing: kvno from B into C fails" not crosses B C
found missing missing-principal
healed missing

# ---- encryption types narrowed: no enctype in common ----------------------------------------
# The same password at the same kvno on both KDCs, but B keeps only an
# aes256 key and C only an rc4 one (kadmin cpw -e, then modprinc -kvno).
fresh enctype
kv=$(( $(kvno_in B "$BC") + 5 ))
kadm_pw B "cpw -e aes256-cts:normal $BC" "$tmp/pwM" >"$tmp/kadm.out"
kadm_pw C "cpw -e rc4-hmac:normal $BC" "$tmp/pwM" >>"$tmp/kadm.out"
kadm B "modprinc -kvno $kv $BC" >>"$tmp/kadm.out"
kadm C "modprinc -kvno $kv $BC" >>"$tmp/kadm.out"
# kadmin's answers are shown when one of these fails.
shown() { what=$1; shift; if "$@"; then ok; else bad "$what"; sed 's/^/    /' "$tmp/kadm.out"; fi; }
shown "enctype: kadmin: B holds only aes256 at kvno $kv ($(current_keys B "$BC"))" \
	test "$(current_keys B "$BC")" = "aes256-cts-hmac-sha1-96 "
shown "enctype: kadmin: C holds only rc4 at kvno $kv ($(current_keys C "$BC"))" \
	test "$(current_keys C "$BC")" = "DEPRECATED:arcfour-hmac "
check "enctype: kvno across the trust fails" not crosses C B
found enctype no-common-enctype
healed enctype

# ---- requires_preauth on a cross-realm principal ------------------------------------------
fresh preauth
kadm C "modprinc +requires_preauth $BC" >"$tmp/kadm.out"
check "preauth: kadmin getprinc shows REQUIRES_PRE_AUTH" getprinc_has C "$BC" '^Attributes:.*REQUIRES_PRE_AUTH'
check "preauth: the trust still works" crosses C B
keys_of C "$BC" >"$tmp/keys-before"
found preauth preauth
check "preauth: health --json offers the tidy fix" \
	json "any(f['kind'] == 'preauth' and f['fix'] == 'tidy' for f in d['findings'])"
expect_rc 0 "preauth: repair B C" -- repair B C
check "preauth: kadmin getprinc: REQUIRES_PRE_AUTH is gone" no_preauth C "$BC"
check "preauth: kadmin getprinc: the keys were not changed" keys_unchanged C "$BC" "$tmp/keys-before"
check "preauth: kvno across the trust after repair" crosses C B
expect_rc 0 "preauth: health B after repair" -- health B

# ---- a key older than the rotation policy ----------------------------------------------------
fresh old
k0=$(kvno_in B "$BC")
later=$(( $(date +%s) + 40 * 86400 ))
export TM_TEST_NOW=$later
expect_rc 1 "old: health forty days later" -- health B --json
check "old: health --json names secret-old ($(finding_kinds))" \
	json "any(f['kind'] == 'secret-old' and f['fix'] == 'rotate' for f in d['findings'])"
expect_rc 0 "old: repair B C (forty days later)" -- repair B C
unset TM_TEST_NOW
check "old: kadmin: the key was rotated (kvno raised on C)" gt "$(kvno_in C "$BC")" "$k0"
check "old: kadmin: the previous key is kept" has_key C "$BC" "$k0"
check "old: kadmin getprinc: keys equal on both KDCs" same_keys "$BC"
check "old: kvno across the rotated trust" crosses C B
check "old: kvno across it the other way" crosses B C
expect_rc 0 "old: health today after the rotation" -- health B --json
check "old: all ok ($(finding_kinds))" test "$(finding_kinds)" = ok

# ---- each side reset alone with its own password: password mismatch -------------------------
fresh password
expect_rc 0 "password: reset-one-side B C" -- reset-one-side B C --password-file "$tmp/pwB"
expect_rc 0 "password: reset-one-side C B (another password)" -- reset-one-side C B --password-file "$tmp/pwC"
check "password: kadmin: the same kvno on both sides" same_kvno_in "$BC" B C
check "password: kvno across the trust fails" not crosses C B
found password password-mismatch
healed password

# ---- the clients' krb5.conf ---------------------------------------------------------------
# B gets a dns_name in a copy of trustmgr.conf; a copy of krb5.conf lacks the
# [domain_realm] lines of b.lab.test, as a client's might.
fresh clients
sed '/^    B = {/a\        dns_name = b.lab.test' "$TRUSTMGR_CONFIG" >"$tmp/dns.conf"
grep -v 'b\.lab\.test' "$KRB5_CONFIG" >"$tmp/krb5-client.conf"
check "clients: the client krb5.conf has no mapping for b.lab.test" not grep -q 'b\.lab\.test' "$tmp/krb5-client.conf"
check "clients: the lab's krb5.conf had one" grep -q '^ *\.b\.lab\.test = B\.LAB\.TEST' "$KRB5_CONFIG"
lab_krb5=$KRB5_CONFIG
# host_realm: the realm kvno -S finds for srv.b.lab.test as a client of C (the
# lab's KDCs map hosts themselves and refer the client, so the ticket comes
# either way: the client's own mapping is what shows in the name).
host_realm() {
	dom C; kdestroy >/dev/null 2>&1
	KRB5_CONFIG=$1 kinit "user@$D_REALM" <"$D_DIR/user.pw" >/dev/null 2>&1 || return 1
	KRB5_CONFIG=$1 kvno -S host srv.b.lab.test 2>&1 | sed -n 's/^host\/srv\.b\.lab\.test@\([^:]*\): kvno = .*/\1/p'
}
check "clients: kvno -S host srv.b.lab.test: the stripped krb5.conf maps it to no realm" \
	test "$(host_realm "$tmp/krb5-client.conf")" = ""
export KRB5_CONFIG="$tmp/krb5-client.conf"
expect_rc 1 "clients: verify B C with the client's krb5.conf" -- --config "$tmp/dns.conf" verify B C --json
check "clients: verify --json says no-client-path for B trusts C" \
	json "any(x['trusting'] == 'B' and x['outcome'] == 'no-client-path' for x in d['directions'])"
check "clients: the other direction (no dns_name for C) is ok" \
	json "any(x['trusting'] == 'C' and x['outcome'] == 'ok' for x in d['directions'])"
check "clients: verify points at show --krb5-conf" json "'--krb5-conf' in d['directions'][0]['next']"
expect_rc 1 "clients: health with the client's krb5.conf" -- --config "$tmp/dns.conf" health B --json
check "clients: health names client-path ($(finding_kinds))" \
	json "any(f['kind'] == 'client-path' for f in d['findings'])"
expect_rc 0 "clients: show B C --krb5-conf" -- --config "$tmp/dns.conf" show B C --krb5-conf
cp "$tmp/out" "$tmp/lines"
check "clients: the lines map b.lab.test to B.LAB.TEST ([domain_realm])" \
	sh -c "grep -q '^\[domain_realm\]' '$tmp/lines' && grep -q '^ *\.b\.lab\.test = B\.LAB\.TEST' '$tmp/lines'"
# B.LAB.TEST and C.LAB.TEST are siblings: neither name is below the other,
# so each realm's clients need a [capaths] entry for the other.
check "clients: [capaths] for C's clients to reach B" \
	sh -c "awk '/^\[capaths\]/ { c = 1 } c && /^ *C\.LAB\.TEST = \{/ { s = 1 } s && /^ *B\.LAB\.TEST = \./ { f = 1 } END { exit !f }' '$tmp/lines'"
check "clients: [capaths] for B's clients to reach C" \
	sh -c "awk '/^\[capaths\]/ { c = 1 } c && /^ *B\.LAB\.TEST = \{/ { s = 1 } s && /^ *C\.LAB\.TEST = \./ { f = 1 } END { exit !f }' '$tmp/lines'"
check "clients: no [domain_realm] for C (no dns_name)" not grep -q 'c\.lab\.test' "$tmp/lines"
cat "$tmp/lines" >>"$tmp/krb5-client.conf"
check "clients: kvno -S host srv.b.lab.test: the appended lines map it to B.LAB.TEST" \
	test "$(host_realm "$tmp/krb5-client.conf")" = B.LAB.TEST
expect_rc 0 "clients: verify B C once the lines are appended" -- --config "$tmp/dns.conf" verify B C --json
check "clients: verify --json: both directions ok" json 'd["ok"] and all(x["outcome"] == "ok" for x in d["directions"])'
check "clients: kinit user@C; kvno host/srv.b.lab.test@B with the client's krb5.conf" crosses C B
expect_rc 0 "clients: show B C --json has the same lines" -- --config "$tmp/dns.conf" show B C --json
check "clients: show --json krb5_conf equals the --krb5-conf output" \
	python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["krb5_conf"] != open(sys.argv[2]).read())' \
	"$tmp/out" "$tmp/lines"
export KRB5_CONFIG="$lab_krb5"

# ---- a realm's kadmind or KDC down: unreachable (servers started again after) -----------------
fresh unreachable
sh "$top/tests/lab/lab.sh" stop-server "$lab" C kadmind >/dev/null 2>&1 &&
	sh "$top/tests/lab/lab.sh" stop-server "$lab" C krb5kdc >/dev/null 2>&1 && ok ||
	bad "unreachable: could not stop C's kadmind and krb5kdc"
check "unreachable: kinit in C fails with its KDC down" not crosses C B
expect_rc 4 "unreachable: health B with C down" -- health B --json
check "unreachable: health --json names unreachable ($(finding_kinds))" \
	json "any(f['kind'] == 'unreachable' for f in d['findings'])"
sh "$top/tests/lab/lab.sh" start-server "$lab" C krb5kdc >/dev/null 2>&1 &&
	sh "$top/tests/lab/lab.sh" start-server "$lab" C kadmind >/dev/null 2>&1 && ok ||
	bad "unreachable: could not start C's servers again"
expect_rc 0 "unreachable: health B once C is back" -- health B
check "unreachable: kvno across the trust once C is back" crosses C B

echo "realm-health-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
