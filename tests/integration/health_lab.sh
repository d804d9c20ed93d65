#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health and repair against real servers: a lab of two domains (slapd +
# krb5kdc + kadmind each, TLS). Trusts are broken on purpose (one side reset,
# one end removed, the one chance used, an old secret), `health` must name
# the finding and `repair` must make the trust work again, checked with the
# standard clients (kinit + kvno across the trust). Also [trustmgr]
# rotation_days of the configuration. Prints "health-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=health-lab
LAB_TMP=healthlab
. "$(dirname "$0")/lab_lib.sh"

# The first finding of `health --json` that is not ok, as "kind fix".
first_problem() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(next(((f["kind"], f["fix"]) for f in d["findings"] if f["kind"] != "ok"), ("ok", "none"))))' "$tmp/out"
}
expect_problem() {     # expect_problem "KIND FIX" DESCRIPTION
	got=$(first_problem 2>&1)
	if [ "$got" = "$1" ]; then ok; else bad "$2: health found '$got', wanted '$1'"; fi
}
# Each scenario below starts from a fresh two-way trust A-B.
fresh() {              # fresh NAME
	expect_rc 0 "$1: remove A B --sides both" -- remove A B --sides both
	expect_rc 0 "$1: create A B" -- create A B
	check "$1: kvno across the fresh trust" crosses B A
}
broken() {             # broken NAME "KIND FIX": health exits 1 and names the finding
	expect_rc 1 "$1: health finds it" -- health A --json
	expect_problem "$2" "$1: health A --json"
}
repaired() {           # repaired NAME [repair options]: repair, then verify + standard clients
	n=$1; shift
	expect_rc 0 "$n: repair A B" -- repair A B "$@"
	expect_rc 0 "$n: verify A B after repair" -- verify A B
	check "$n: kinit user@B; kvno host/srv.a.lab.test@A after repair" crosses B A
	check "$n: kinit user@A; kvno host/srv.b.lab.test@B after repair" crosses A B
	check "$n: kadmin: krbtgt/A@B kvnos equal after repair" same_kvno "$AB"
	check "$n: kadmin: krbtgt/B@A kvnos equal after repair" same_kvno "$BA"
	expect_rc 0 "$n: health A after repair" -- health A
}
printf 'Recovery-Password-1\n' >"$tmp/pwT"
printf 'Initial-Password-1\n' >"$tmp/pw1"
printf 'Initial-Password-2\n' >"$tmp/pw2"
printf 'Not-The-Password\n' >"$tmp/wrong"

# ---- a healthy trust ---------------------------------------------------------------
expect_rc 0 "create A B" -- create A B
expect_rc 0 "health: every trust well" -- health --json
expect_problem "ok none" "health after create"

# ---- one side reset: kvno mismatch, repaired with the same password -------------------
expect_rc 0 "reset-one-side A B" -- reset-one-side A B --password-file "$tmp/pwT"
check "kvno across the trust fails with one side reset" not crosses B A
expect_rc 1 "health finds the half-done reset" -- health --json
expect_problem "kvno-mismatch reset-one-side" "health after reset-one-side"
expect_rc 0 "repair A B with the password" -- repair A B --password-file "$tmp/pwT"
check "kvno across the trust after repair" crosses B A
check "kvno across the trust after repair (other way)" crosses A B
expect_rc 0 "health after the repair" -- health

# ---- one end removed: one-sided, repaired by recreating both ends ----------------------
expect_rc 0 "remove B A --sides local" -- remove B A --sides local
check "kvno across the one-sided trust fails" not crosses B A
expect_rc 1 "health finds the one-sided trust" -- health --json
expect_problem "one-sided recreate" "health after remove --sides local"
expect_rc 0 "repair A B recreates it" -- repair A B
check "kvno across the recreated trust" crosses B A
expect_rc 0 "verify A B after recreate" -- verify A B

# ---- the one chance used: re-permit and trust ----------------------------------------
expect_rc 0 "remove A B --sides both" -- remove A B --sides both
expect_rc 0 "permit B A" -- permit B A --password-file "$tmp/pw1"
expect_rc 1 "health: pending" -- health --json
expect_problem "pending establish" "health after permit"
expect_rc 1 "trust A B with a wrong password" -- trust A B --password-file "$tmp/wrong"
expect_rc 1 "health: one chance used" -- health --json
expect_problem "chance-used repermit" "health after the wrong password"
expect_rc 0 "repair A B permits again and trusts" -- repair A B --password-file "$tmp/pw2"
check "kvno across the re-permitted trust" crosses B A
expect_rc 0 "health after the re-permit" -- health

# ---- rotation: [trustmgr] rotation_days, rotate ---------------------------------------
conf=$tmp/trustmgr.conf
{ printf '[trustmgr]\n    rotation_days = 1\n'; cat "$TRUSTMGR_CONFIG"; } >"$conf"
chmod 600 "$conf"
export TM_TEST_NOW=$(( $(date +%s) + 2 * 86400 ))
expect_rc 1 "health with rotation_days = 1, two days later" -- health --config "$conf" --json
expect_problem "secret-old rotate" "health under the configuration's policy"
expect_rc 0 "--rotation-days overrides the configuration" -- \
	health --config "$conf" --rotation-days 30
unset TM_TEST_NOW
expect_rc 0 "rotate A B" -- rotate A B
check "kvno across the rotated trust" crosses B A
expect_rc 0 "health after rotate" -- health --config "$conf"

# ---- the other classifications the lab can produce ------------------------------------
# Not made here: type mismatch and the NT 4 cause (KB Q243655) cannot be
# produced in this lab: both of its domains are MIT Kerberos realms with
# uplevel TDOs and there are no NT 4.0 domain controllers. Both are covered
# on the embedded store
# (tests/cli/cases/health_type.sh, health_nt4.sh).

# ---- each side reset alone with a different password: password mismatch ---------------
fresh password
printf 'Password-A-1\n' >"$tmp/pwA"
printf 'Password-B-2\n' >"$tmp/pwB"
expect_rc 0 "password: reset-one-side A B" -- reset-one-side A B --password-file "$tmp/pwA"
expect_rc 0 "password: reset-one-side B A (another password)" -- \
	reset-one-side B A --password-file "$tmp/pwB"
check "password: kvno across the trust fails" not crosses B A
broken password "password-mismatch reset"
repaired password

# ---- a KDC lost its trust key: missing principal --------------------------------------
fresh missing
kadm B "delprinc -force $AB" >"$tmp/kadm.out"
check "missing: kadmin delprinc $AB on B" grep -q "deleted" "$tmp/kadm.out"
[ "$(kvno_of B "$AB")" = none ] && ok || bad "missing: B still holds $AB"
check "missing: kvno across the trust fails" not crosses B A
broken missing "missing-principal reset"
repaired missing

# ---- one end allows only RC4: no common encryption type ---------------------------------
fresh enctype
expect_rc 0 "enctype: tdo modify A B --enctypes rc4" -- tdo modify A B --enctypes rc4
# The MIT KDCs do not read the TDOs' types, so tickets still pass; health
# compares the two ends' msDS-SupportedEncryptionTypes itself.
broken enctype "no-common-enctype align"
repaired enctype

# ---- one end drops a direction: direction mismatch --------------------------------------
fresh direction
expect_rc 0 "direction: tdo modify B A --direction outbound" -- tdo modify B A --direction outbound
broken direction "direction-mismatch recreate"
repaired direction

# ---- one end transitive / selective auth: attribute mismatch ---------------------------
# The lab's trusts are external ones, non-transitive and quarantined at both
# ends, so --non-transitive changes nothing; --transitive does. Quarantine
# (SID filtering) is one end's own choice and not compared by health.
fresh attributes
expect_rc 0 "attributes: tdo modify B A --transitive" -- tdo modify B A --transitive
broken attributes "attribute-mismatch align"
repaired attributes
fresh attributes2
expect_rc 0 "attributes2: tdo modify A B --selective-auth" -- tdo modify A B --selective-auth
broken attributes2 "attribute-mismatch align"
repaired attributes2

# ---- permitted, never established: pending ----------------------------------------------
expect_rc 0 "pending: remove A B --sides both" -- remove A B --sides both
expect_rc 0 "pending: permit B A" -- permit B A --password-file "$tmp/pw1"
check "pending: kvno across the half-made trust fails" not crosses B A
broken pending "pending establish"
expect_rc 0 "pending: repair A B with the initial password" -- repair A B --password-file "$tmp/pw1"
expect_rc 0 "pending: verify A B after repair" -- verify A B
check "pending: kinit user@B; kvno host/srv.a.lab.test@A after repair" crosses B A
check "pending: kadmin: krbtgt/A@B kvnos equal after repair" same_kvno "$AB"
expect_rc 0 "pending: health A after repair" -- health A

# ---- B's servers down: unreachable (last: the lab is not restarted) ---------------------
fresh unreachable
for d in slapd krb5kdc kadmind; do
	pid=$(tr -dc 0-9 <"$lab/B/$d.pid" 2>/dev/null)
	if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then ok; else bad "unreachable: kill B's $d ($pid)"; fi
done
sleep 1
start=$(date +%s)
expect_rc 4 "unreachable: health A with B down" -- health A --json
took=$(( $(date +%s) - start ))
[ "$took" -le 60 ] && ok || bad "unreachable: health took ${took}s with B down"
expect_problem "unreachable manual" "unreachable: health A --json"

echo "health-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
