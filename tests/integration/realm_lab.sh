#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Plain MIT Kerberos realms (kind = mit) against real servers: a lab of one
# OpenLDAP + MIT domain (A) and two plain realms (B, C: a KDC and kadmind
# each, no directory), configured with realm and kadmin credentials only.
# Every command that changes a trust between B and C is judged with the
# standard tools alone: kadmin getprinc on both KDCs (key versions and
# encryption types equal), kadmin listprincs after removals, kinit + kvno
# across the trust in each direction. Also --dry-run (nothing changes) and
# --json (parses). Prints "realm-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=realm-lab
LAB_TMP=realmlab
LAB_OPTS="--domains 1 --realms 2"
. "$(dirname "$0")/lab_lib.sh"
. "$(dirname "$0")/realm_lib.sh"

printf 'Recovery-Password-1\n' >"$tmp/pwT"
printf 'Initial-Password-1\n' >"$tmp/pw1"
printf 'Initial-Password-2\n' >"$tmp/pw2"
printf 'Not-The-Password\n' >"$tmp/wrong"
printf 'Local-Sides-Password-3\n' >"$tmp/pw3"

# ---- the configuration: realm and kadmin credentials only ----------------------
block() { awk -v b="    $1 = {" '$0 == b { on = 1 } on { print } on && /^    }/ { exit }' "$TRUSTMGR_CONFIG"; }
check "trustmgr.conf: B is kind = mit" sh -c "echo '$(block B)' | grep -q 'kind = mit'"
keys=$(block B | sed -n 's/^ *\([a-z_]*\) = .*/\1/p' | sort | tr '\n' ' ')
check "trustmgr.conf: B's block names only kind, realm and kadmin credentials ($keys)" \
	test "$keys" = "kadmin_keytab kadmin_principal kind realm "
expect_rc 0 "domain list" -- domain list --json
check "domain list --json: B and C are kind mit, without NetBIOS name or SID" json \
	'all(x["kind"] == "mit" and not x.get("netbios") and not x.get("sid") for x in d["domains"] if x["name"] in ("B", "C")) and len([x for x in d["domains"] if x["name"] in ("B", "C")]) == 2'
for k in "netbios_name = B" "sid = S-1-5-21-1-2-3" "ldap_uri = ldap://127.0.0.1:1/" "functional_level = 2016"; do
	sed "/^    B = {/a\\        $k" "$TRUSTMGR_CONFIG" >"$tmp/bad.conf"
	expect_rc 2 "a realm's block with '$k' is refused" -- --config "$tmp/bad.conf" domain list
	check "the refusal names the key (${k%% *})" err_has "${k%% *}"
done
check "kadmin: no trust principal between B and C before the test" no_trust B C

# ---- --dry-run writes nothing; --json plans parse ------------------------------------
princs_of B >"$tmp/pb0"; princs_of C >"$tmp/pc0"
expect_rc 0 "create B C --dry-run" -- create B C --dry-run
check "the dry run's plan changes B and C" sh -c "grep -q '^B:' '$tmp/out' && grep -q '^C:' '$tmp/out'"
expect_rc 0 "create B C --dry-run --json" -- create B C --dry-run --json
check "create --dry-run --json parses, with key-set steps on B and C" json \
	'd["dry_run"] and {s["domain"] for s in d["steps"] if s["kind"] == "key-set"} == {"B", "C"}'
check "kadmin listprincs: the dry run created nothing on B" princs_unchanged B "$tmp/pb0"
check "kadmin listprincs: the dry run created nothing on C" princs_unchanged C "$tmp/pc0"

# ---- create: both realms, generated secret ------------------------------------------
expect_rc 0 "create B C (both realms)" -- create B C
check "kadmin listprincs: B holds $BC" listed B "$BC"
check "kadmin listprincs: B holds $CB" listed B "$CB"
check "kadmin listprincs: C holds $BC" listed C "$BC"
check "kadmin listprincs: C holds $CB" listed C "$CB"
check "kadmin getprinc: $BC has the same kvno and enctypes on both KDCs" same_keys "$BC"
check "kadmin getprinc: $CB has the same kvno and enctypes on both KDCs" same_keys "$CB"
check "kadmin getprinc: $BC holds AES keys" sh -c "echo '$(keys_of B "$BC")' | grep -q aes256"
# The lab's realms have default_principal_flags = +preauth: trustmgr still
# creates plain cross-realm principals (MIT advises against preauth there).
for x in B C; do for p in "$BC" "$CB"; do
	check "kadmin getprinc: $p in $x does not require preauth" no_preauth "$x" "$p"
done; done
check "kinit user@C; kvno host/srv.b.lab.test@B (B trusts C)" crosses C B
check "kinit user@B; kvno host/srv.c.lab.test@C (C trusts B)" crosses B C
expect_rc 0 "verify B C" -- verify B C --json
check "verify --json: both directions ok" json 'd["ok"] and len(d["directions"]) == 2 and all(x["outcome"] == "ok" for x in d["directions"])'
expect_rc 0 "list B --json" -- list B --json
check "list B --json: C.LAB.TEST two-way mit in both lists" json \
	'any(t["partner"] == "C.LAB.TEST" and t["type"] == "mit" and t["direction"] == "two-way" for t in d["trusted"]) and any(t["partner"] == "C.LAB.TEST" for t in d["trusting"])'
expect_rc 0 "show B C --json" -- show B C --json
kv=$(kvno_in B "$BC")
check "show --json: the principals' kvnos are those kadmin shows ($kv)" json \
	"{p['principal']: p['kvno'] for p in d['principals']} == {'$BC': $kv, '$CB': $(kvno_in B "$CB")}"
check "show --json: a realm's end has no SID or flat name" json 'd["sid"] is None and d["flat_name"] is None'
expect_rc 0 "show B C" -- show B C
check "show: each principal with its kvno" sh -c "grep -q '$BC  *kvno $kv' '$tmp/out'"
check "show: the clients' krb5.conf lines" out_has "Clients' krb5.conf"

# ---- reset: both sides ------------------------------------------------------------------
keys_snapshot >"$tmp/dry0"
expect_rc 0 "reset B C --dry-run" -- reset B C --dry-run
expect_rc 0 "rotate B C --dry-run --json" -- rotate B C --dry-run --json
check "rotate --dry-run --json parses, nothing run" json 'd["dry_run"] and not any(s["done"] for s in d["steps"])'
check "kadmin getprinc: the dry runs changed no key on either KDC" snap_same "$tmp/dry0"
k0=$(kvno_in C "$BC")
expect_rc 0 "reset B C" -- reset B C
check "kadmin: reset raised $BC's kvno" gt "$(kvno_in C "$BC")" "$k0"
check "kadmin getprinc: $BC keys equal on both KDCs after reset" same_keys "$BC"
check "kadmin getprinc: $CB keys equal on both KDCs after reset" same_keys "$CB"
check "kadmin getprinc: reset kept the previous key (kvno $k0) on C" has_key C "$BC" "$k0"
check "kvno across the reset trust (C's users into B)" crosses C B
check "kvno across the reset trust (B's users into C)" crosses B C

# ---- reset one side, then the other with the same password --------------------------
keys_of C "$BC" >"$tmp/c-before"
expect_rc 0 "reset-one-side B C" -- reset-one-side B C --password-file "$tmp/pwT"
check "kadmin: C's keys untouched by B's reset-one-side" keys_unchanged C "$BC" "$tmp/c-before"
check "kadmin: the kvnos of $BC differ with one side reset" not same_kvno_in "$BC" B C
check "kvno across the trust fails with one side reset" not crosses C B
expect_rc 1 "verify B C fails with one side reset" -- verify B C
expect_rc 0 "reset-one-side C B (same password)" -- reset-one-side C B --password-file "$tmp/pwT"
check "kadmin getprinc: $BC keys equal after both sides reset" same_keys "$BC"
check "kadmin getprinc: $CB keys equal after both sides reset" same_keys "$CB"
check "kvno across the trust after both sides reset" crosses C B
check "kvno across the trust after both sides reset (other way)" crosses B C
expect_rc 0 "verify B C after both sides reset" -- verify B C
# One side only, with another password: the same kvno does not make it work.
expect_rc 0 "reset-one-side B C (a third password)" -- reset-one-side B C --password-file "$tmp/pw3"
expect_rc 0 "reset-one-side C B (yet another password)" -- reset-one-side C B --password-file "$tmp/pw1"
check "kadmin: same kvno on both sides" same_kvno_in "$BC" B C
check "kvno fails: same kvno, different passwords" not crosses C B
expect_rc 1 "verify B C: password mismatch" -- verify B C --json
check "verify --json names password-mismatch" json 'any(x["outcome"] == "password-mismatch" for x in d["directions"])'
expect_rc 0 "reset B C puts it right" -- reset B C
check "kvno across the trust after reset" crosses C B

# ---- forest recovery: recover, then recover-partners --------------------------------
keys_of C "$BC" >"$tmp/c-before"
expect_rc 0 "recover B --dry-run" -- recover B --password-file "$tmp/pwT" --dry-run
check "the recovery plan changes B only" sh -c "grep -q '^B:' '$tmp/out' && ! grep -q '^C:' '$tmp/out'"
expect_rc 0 "recover B (B's side of every trust)" -- recover B --password-file "$tmp/pwT"
check "the result names recover-partners" out_has "recover-partners B"
check "kadmin: recover B left C's keys alone" keys_unchanged C "$BC" "$tmp/c-before"
check "kadmin: $BC kvnos differ with B recovered only" not same_kvno_in "$BC" B C
check "kvno from C into B fails with B recovered only" not crosses C B
check "kvno from B into C fails with B recovered only" not crosses B C
expect_rc 0 "recover-partners B (same password on C's side)" -- recover-partners B --password-file "$tmp/pwT"
check "kadmin getprinc: $BC keys equal after recover-partners" same_keys "$BC"
check "kadmin getprinc: $CB keys equal after recover-partners" same_keys "$CB"
check "kvno from C into B after recover-partners" crosses C B
check "kvno from B into C after recover-partners" crosses B C

# ---- rotate: new secret on both sides, the previous one kept ---------------------------
k0=$(kvno_in B "$BC")
expect_rc 0 "rotate B C" -- rotate B C
check "kadmin: rotate raised $BC's kvno to $((k0 + 1)) on C" test "$(kvno_in C "$BC")" = "$((k0 + 1))"
check "kadmin getprinc: $BC keys equal after rotate" same_keys "$BC"
check "kadmin getprinc: C keeps kvno $k0 as the previous key" has_key C "$BC" "$k0"
check "kvno across the rotated trust" crosses C B
check "kvno across the rotated trust (other way)" crosses B C

# ---- one end removed, then recreated ---------------------------------------------------
expect_rc 0 "remove C B --sides local (C's end only)" -- remove C B --sides local
check "kadmin listprincs: C no longer holds $BC" not_listed C "$BC"
check "kadmin listprincs: C no longer holds $CB" not_listed C "$CB"
check "kadmin listprincs: B still holds $BC" listed B "$BC"
check "kvno across the half-removed trust fails" not crosses C B
expect_rc 0 "recreate B C" -- recreate B C
check "kadmin getprinc: $BC keys equal after recreate" same_keys "$BC"
check "kadmin getprinc: $CB keys equal after recreate" same_keys "$CB"
check "kvno across the recreated trust" crosses C B
check "kvno across the recreated trust (other way)" crosses B C

# ---- remove both sides ------------------------------------------------------------------
princs_of B >"$tmp/pb1"
expect_rc 0 "remove B C --sides both --dry-run" -- remove B C --sides both --dry-run
check "kadmin listprincs: the dry run removed nothing" princs_unchanged B "$tmp/pb1"
expect_rc 0 "remove B C --sides both" -- remove B C --sides both
check "kadmin listprincs: both trust principals gone from both KDCs" no_trust B C
check "kadmin listprincs: B's own krbtgt is still there" listed B krbtgt/B.LAB.TEST@B.LAB.TEST
check "kvno across the removed trust fails" not crosses C B

# ---- create --sides local on each realm, with a supplied password ---------------------
expect_rc 0 "create B C --sides local (supplied password)" -- create B C --sides local --password-file "$tmp/pw3"
check "kadmin: B holds $BC" listed B "$BC"
check "kadmin listprincs: C holds nothing yet" not_listed C "$BC"
check "the result tells C's administrator what to run" out_has "create C B --sides local"
check "kvno fails with one side made" not crosses C B
expect_rc 0 "create C B --sides local (the same password)" -- create C B --sides local --password-file "$tmp/pw3"
check "kadmin getprinc: $BC keys equal after both local creates" same_keys "$BC"
check "kadmin getprinc: $CB keys equal after both local creates" same_keys "$CB"
check "kvno across the trust made one side at a time" crosses C B
check "kvno across it the other way" crosses B C
expect_rc 0 "verify B C" -- verify B C
expect_rc 0 "remove B C --sides both (before the NT flow)" -- remove B C --sides both
check "kadmin listprincs: clean again" no_trust B C

# ---- NT style: permit on the trusted realm, one chance, trust --------------------------
expect_rc 0 "permit C B (C, the trusted realm, permits B)" -- permit C B --password-file "$tmp/pw1"
check "kadmin listprincs: C holds $BC" listed C "$BC"
check "kadmin listprincs: B holds nothing yet" not_listed B "$BC"
check "kadmin getprinc: the permitted principal has the policy trustmgr-permit" \
	test "$(policy_of C "$BC")" = trustmgr-permit
check "kadmin getprinc: the permitted principal requires preauth (so the KDC counts failures)" \
	getprinc_has C "$BC" '^Attributes:.*REQUIRES_PRE_AUTH'
expect_rc 1 "trust B C with a wrong password uses the one chance" -- trust B C --password-file "$tmp/wrong"
check "kadmin getprinc: C counted the failed attempt" getprinc_has C "$BC" '^Failed password attempts: 1'
check "kadmin listprincs: nothing was written in B" not_listed B "$BC"
expect_rc 1 "trust B C with the right password is refused now" -- trust B C --password-file "$tmp/pw1"
check "the refusal says to permit again" err_has "permit"
expect_rc 0 "remove C B --direction inbound" -- remove C B --direction inbound
check "kadmin listprincs: the used permission is gone from C" not_listed C "$BC"
expect_rc 0 "permit C B again" -- permit C B --password-file "$tmp/pw2"
k0=$(kvno_in C "$BC")
expect_rc 0 "trust B C with the new password" -- trust B C --password-file "$tmp/pw2"
check "the trust is established" out_has "successfully established"
check "kadmin: the trusted side's key was changed through kpasswd (kvno raised)" \
	gt "$(kvno_in C "$BC")" "$k0"
check "kadmin: $BC has the same kvno on both KDCs" same_kvno_in "$BC" B C
check "kadmin getprinc: $BC has the same key versions and enctypes on both KDCs after trust (B: $(current_keys B "$BC")| C: $(current_keys C "$BC"))" \
	same_keys "$BC"
initial_works() { kdestroy >/dev/null 2>&1; kinit "$BC" <"$tmp/pw2" >/dev/null 2>&1; }
check "kinit: the initial password of $BC no longer works (replaced)" not initial_works
check "kadmin getprinc: the established principal is out of the one-chance policy" \
	not test "$(policy_of C "$BC")" = trustmgr-permit
check "kadmin getprinc: the established principal no longer requires preauth" no_preauth C "$BC"
check "kvno across the NT trust (C's users into B)" crosses C B
check "kvno does not cross the other way (one-way trust)" not crosses B C
expect_rc 0 "verify B C after the NT flow" -- verify B C
expect_rc 3 "establishing again is refused: B already trusts C" -- trust B C --password-file "$tmp/pw2"
expect_rc 0 "health --json after the NT flow" -- health --json
check "health --json parses and is all ok ($(finding_kinds))" test "$(finding_kinds)" = ok

# ---- a mixed trust: A (OpenLDAP + MIT, with a directory) and the plain realm B ------------
# tdo_attr ATTR: ATTR of A's TDO for B.LAB.TEST (ldapsearch); trustAuth*: is base64 ("ATTR:").
tdo_attr() { tdos_of A | awk -v a="$1:" '$1 == "dn:" { p = "" } $1 == "trustPartner:" { p = $2 } p == "B.LAB.TEST" && $1 == a { print $2 }'; }
expect_rc 0 "create A B (directory domain and plain realm)" -- create A B
check "ldapsearch: A holds a TDO for B.LAB.TEST" has_tdo_for A B.LAB.TEST
check "ldapsearch: A's TDO for B has trustType 3 (MIT)" test "$(tdo_attr trustType)" = 3
check "ldapsearch: A's TDO for B has trustDirection 3 (two-way)" test "$(tdo_attr trustDirection)" = 3
check "ldapsearch: A's TDO holds the outgoing secret" test -n "$(tdo_attr trustAuthOutgoing:)"
check "kadmin listprincs: B holds $AB" listed B "$AB"
check "kadmin listprincs: B holds $BA" listed B "$BA"
check "kadmin getprinc: $AB keys equal on A and B" same_keys "$AB" A B
check "kadmin getprinc: $BA keys equal on A and B" same_keys "$BA" A B
check "kinit user@B; kvno host/srv.a.lab.test@A (A trusts B)" crosses B A
check "kinit user@A; kvno host/srv.b.lab.test@B (B trusts A)" crosses A B
expect_rc 0 "verify A B" -- verify A B --json
check "verify A B --json: both directions ok" json 'd["ok"] and all(x["outcome"] == "ok" for x in d["directions"])'
expect_rc 0 "show B A (the realm's end)" -- show B A --json
check "show B A --json: the realm's end is its two principals" json \
	"sorted(p['principal'] for p in d['principals']) == sorted(['$AB', '$BA']) and d['type'] == 'mit'"
expect_rc 0 "reset A B" -- reset A B
check "kadmin getprinc: $AB keys equal on A and B after reset" same_keys "$AB" A B
check "kvno across the mixed trust after reset" crosses B A
check "kvno across it the other way" crosses A B
expect_rc 0 "remove A B --sides both" -- remove A B --sides both
check "ldapsearch: A's TDO for B is gone" not has_tdo_for A B.LAB.TEST
check "kadmin listprincs: no $AB or $BA on A or B" no_trust A B
# The NT flow across the two kinds: the realm B permits A, A trusts B.
expect_rc 0 "permit B A (the realm permits the directory domain)" -- permit B A --password-file "$tmp/pw1"
check "kadmin getprinc: B's $AB is under trustmgr-permit" test "$(policy_of B "$AB")" = trustmgr-permit
expect_rc 0 "trust A B with the initial password" -- trust A B --password-file "$tmp/pw1"
check "ldapsearch: A's TDO for B is outbound (trustDirection 2), trustType 3" \
	test "$(tdo_attr trustDirection) $(tdo_attr trustType)" = "2 3"
check "kadmin: $AB has the same kvno on A and B" same_kvno_in "$AB" A B
check "kvno across the NT-style mixed trust (B's users into A)" crosses B A
expect_rc 0 "remove A B --sides both (end)" -- remove A B --sides both
check "kadmin listprincs: nothing left between A and B" no_trust A B

echo "realm-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
