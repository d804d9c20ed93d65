#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The journal on plain MIT realms (kind = mit), against real servers: plans
# between realms B and C (and between OpenLDAP + MIT domain A and realm B)
# are killed at a step boundary (SIGKILL, TM_TEST_KILL_AFTER_STEP), then
# rolled back, resumed or discarded. A realm's KDC keeps no password and
# kadmin never gives key bytes out, so a key a plan already changed on a
# realm cannot be put back: rollback must refuse that, change nothing and
# name the way out; before a realm's key was changed (or when the plan only
# created principals) rollback must work. Judged with kadmin getprinc /
# listprincs (before and after), ldapsearch for A, kinit + kvno across the
# trust. Prints "realm-journal-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=realm-journal-lab
LAB_TMP=realmjl
LAB_OPTS="--domains 1 --realms 2"
. "$(dirname "$0")/lab_lib.sh"
. "$(dirname "$0")/realm_lib.sh"

printf 'Recovery-Password-1\n' >"$tmp/pwT"
printf 'Initial-Password-1\n' >"$tmp/pw1"

# killed N CMD...: run trustmgr CMD killed after step N; expects status 137.
killed() {
	n=$1; shift
	TM_TEST_KILL_AFTER_STEP=$n "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 137 ]; then ok; else bad "$* killed after step $n: exit $rc, wanted 137"; fi
}
# pending N: journal --json reports an interrupted plan with N steps done.
pending() {
	tm journal --json
	check "journal --json: an interrupted plan, $1 steps done" \
		json "d['interrupted'] and d['done'] == $1"
}
clean() {
	"$BIN" discard >/dev/null 2>&1
	"$BIN" remove B C --sides both >/dev/null 2>&1
	"$BIN" remove C B --sides both >/dev/null 2>&1
	"$BIN" remove A B --sides both >/dev/null 2>&1
	no_trust B C && no_trust A B || bad "could not clean the lab between cases"
}
# step_of KIND DOMAIN PRINCIPAL -- CMD...: the number of the plan's first
# step of KIND in DOMAIN (for PRINCIPAL, or any), from --dry-run --json.
step_of() {
	kind=$1 sdom=$2 sp=$3; shift 4
	"$BIN" "$@" --dry-run --json 2>/dev/null | python3 -c '
import json, sys
k, d, p = sys.argv[1:4]
for s in json.load(sys.stdin)["steps"]:
    if s["kind"] == k and s["domain"] == d and (p == "-" or p in s["text"]):
        print(s["number"]); break' "$kind" "$sdom" "$sp"
}

# ---- rollback before a realm's key was changed: it works ---------------------------------
clean
expect_rc 0 "create B C" -- create B C
n=$(step_of key-set B "$BC" -- reset B C)
check "reset's plan: B's key step comes after two steps that only name TDOs ($n)" test "$n" = 3
keys_snapshot >"$tmp/s0"
killed 1 reset B C
pending 1
expect_rc 4 "a change is refused while the plan is pending" -- rotate B C
check "the refusal names the interrupted plan" err_has "interrupted"
expect_rc 0 "rollback after step 1 (nothing changed on a realm yet)" -- rollback
check "kadmin getprinc: both KDCs' keys as before the plan" snap_same "$tmp/s0"
tm journal --json
check "journal --json: no plan pending after the rollback" json 'not d["interrupted"]'
expect_rc 0 "verify B C after the rollback" -- verify B C
check "kvno across the trust after the rollback" crosses C B

# ---- rollback of a create: the principals it made are deleted -------------------------------
for n in 3 5; do
	clean
	killed "$n" create B C
	check "create/$n: kadmin listprincs: B holds $BC (made before the kill)" listed B "$BC"
	pending "$n"
	expect_rc 0 "create/$n: rollback" -- rollback
	check "create/$n: kadmin listprincs: no trust principal left on B or C" no_trust B C
done

# ---- rollback after a realm's key was changed: refused, nothing changed ----------------------
clean
expect_rc 0 "create B C (again)" -- create B C
killed 3 reset B C
keys_snapshot >"$tmp/s1"
check "kadmin: the kill left B's $BC at a new kvno, C's at the old one" not same_kvno_in "$BC" B C
expect_rc 1 "rollback after B's key was changed is refused" -- rollback
check "the refusal is STATUS_NOT_SUPPORTED and names the principal" \
	sh -c "grep -q STATUS_NOT_SUPPORTED '$tmp/err' && grep -q '$BC' '$tmp/err'"
check "the refusal says why: a plain MIT realm keeps no password" err_has "plain MIT realm"
check "the refusal says nothing was rolled back" err_has "Nothing was rolled back"
check "the refusal names the ways out (resume, reset)" sh -c "grep -q \"trustmgr resume\" '$tmp/err' && grep -q \"trustmgr reset\" '$tmp/err'"
check "kadmin getprinc: the refused rollback changed no key on either KDC" \
	snap_same "$tmp/s1"
pending 3
# The secret the plan generated was written only to B's KDC (a realm's TDO
# write keeps nothing): resume makes a new one and sets it again from the
# first step that used it.
expect_rc 0 "resume the reset after B's key was changed (a new secret from its first step)" -- resume
check "kadmin getprinc: $BC current key equal on both KDCs after the resumed reset" same_current "$BC"
check "kvno across the resumed reset trust" crosses C B
tm journal --json
check "journal --json: nothing pending after the resume" json 'not d["interrupted"]'

# ---- discard: the journal forgotten, the keys left as the kill left them ---------------------
killed 3 reset B C
expect_rc 0 "discard the interrupted reset" -- discard
tm journal --json
check "journal --json: nothing pending after discard" json 'not d["interrupted"]'
# B's new key is of a secret nobody holds; B kept the previous key, which
# still opens C's referrals.
check "kadmin: after discard B's $BC is still a kvno above C's" not same_kvno_in "$BC" B C
check "kvno across the trust still works (B kept the previous key)" crosses C B
expect_rc 0 "reset B C (the way out the refusal named)" -- reset B C
check "kadmin getprinc: $BC current key equal on both KDCs after the reset" same_current "$BC"
check "kadmin getprinc: $CB current key equal on both KDCs after the reset" same_current "$CB"
check "kvno across the reset trust" crosses C B
check "kvno across the reset trust (other way)" crosses B C

# ---- a supplied password: resume finishes after the rollback is refused ----------------------
n=$(step_of key-set B "$BC" -- reset-one-side B C --password-file "$tmp/pwT")
killed "$n" reset-one-side B C --password-file "$tmp/pwT"
keys_snapshot >"$tmp/s2"
expect_rc 1 "reset-one-side/$n: rollback refused (B's key changed)" -- rollback
check "reset-one-side/$n: kadmin: the refused rollback changed nothing" \
	snap_same "$tmp/s2"
expect_rc 0 "reset-one-side/$n: resume with the password" -- resume --password-file "$tmp/pwT"
check "reset-one-side/$n: kadmin: resume set B's $CB (kvno above C's)" gt "$(kvno_in B "$CB")" "$(kvno_in C "$CB")"
expect_rc 0 "reset-one-side C B with the same password" -- reset-one-side C B --password-file "$tmp/pwT"
check "kadmin getprinc: $BC keys equal on both KDCs" same_keys "$BC"
check "kadmin getprinc: $CB keys equal on both KDCs" same_keys "$CB"
check "kvno across the trust after both sides" crosses C B
check "kvno across it the other way" crosses B C

# ---- a create killed half-way: resume (the secret of a realm's TDO write) ---------------------
clean
killed 3 create B C
expect_rc 0 "create/3: resume (the generated secret is held by realms only)" -- resume
check "create/3: kvno across the resumed trust" crosses C B
"$BIN" discard >/dev/null 2>&1

# ---- the NT flow: killed after kpasswd changed the trusted realm's key -------------------------
clean
expect_rc 0 "permit C B" -- permit C B --password-file "$tmp/pw1"
n=$(step_of key-change C - -- trust B C --password-file "$tmp/pw1")
check "trust's plan changes C's key through kpasswd at step 2 ($n)" test "$n" = 2
killed 2 trust B C --password-file "$tmp/pw1"
pending 2
# The new secret was written nowhere: trustmgr administers C, so resume
# gives the principal a fresh key as C's administrator and goes on.
expect_rc 0 "trust/2: resume right after the kpasswd change" -- resume --password-file "$tmp/pw1"
check "trust/2: kadmin: $BC has the same kvno on both KDCs" same_kvno_in "$BC" B C
check "trust/2: kvno across the resumed trust" crosses C B
clean
expect_rc 0 "permit C B (again)" -- permit C B --password-file "$tmp/pw1"
killed 3 trust B C --password-file "$tmp/pw1"
keys_snapshot >"$tmp/s3"
expect_rc 1 "trust/3: rollback refused (C's key changed through kpasswd)" -- rollback
check "trust/3: kadmin: the refused rollback changed nothing" \
	snap_same "$tmp/s3"
expect_rc 0 "trust/3: resume after C's (no-op) TDO write" -- resume --password-file "$tmp/pw1"
check "trust/3: kvno across the resumed trust" crosses C B

# ---- a mixed trust: A (OpenLDAP + MIT) and realm B --------------------------------------------
clean
n=$(step_of tdo-put B - -- create A B)
check "create A B: A's steps come first, B's TDO step is step 4 ($n)" test "$n" = 4
killed 3 create A B
check "mixed/3: ldapsearch: A holds a TDO for B.LAB.TEST" has_tdo_for A B.LAB.TEST
expect_rc 0 "mixed/3: rollback" -- rollback
check "mixed/3: ldapsearch: A's TDO is gone" not has_tdo_for A B.LAB.TEST
check "mixed/3: kadmin listprincs: no trust principal on A or B" no_trust A B
killed 3 create A B
expect_rc 0 "mixed/3: resume (the secret read back from A's TDO)" -- resume
check "mixed/3: kadmin getprinc: $AB keys equal on A and B" same_keys "$AB" A B
check "mixed/3: kadmin getprinc: $BA keys equal on A and B" same_keys "$BA" A B
check "mixed/3: kinit user@B; kvno host/srv.a.lab.test@A" crosses B A
check "mixed/3: kinit user@A; kvno host/srv.b.lab.test@B" crosses A B
killed 5 reset A B
expect_rc 1 "mixed reset/5: rollback refused (B's key changed)" -- rollback
check "mixed reset/5: the refusal names the realm B" err_has "B is a plain MIT realm"
expect_rc 0 "mixed reset/5: resume (the secret read back from A's TDO)" -- resume
check "mixed reset/5: kadmin getprinc: $AB keys equal on A and B" same_keys "$AB" A B
check "mixed reset/5: kvno across the trust" crosses B A
check "mixed reset/5: kvno across it the other way" crosses A B

# ---- a crash inside steps run side by side (TM_TEST_KEEP_WAVES=1) ------------------------------
# B's and C's change steps run at once (a wave). Kept whole, a kill after
# step 1 is recorded finds the other steps of the wave done but not marked:
# the journal must say they may be done, a rollback must undo them, a resume
# must finish them, and a rollback after a wave that changed realm keys
# must refuse as after any key change.
wave_killed() {
	n=$1; shift
	TM_TEST_KEEP_WAVES=1 TM_TEST_KILL_AFTER_STEP=$n "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 137 ]; then ok; else bad "$* killed after step $n (waves kept whole): exit $rc, wanted 137"; fi
}
both_listed() { listed "$1" "$BC" && listed "$1" "$CB"; }
may_be_done() {
	tm journal --json
	check "journal --json: 1 step done, steps 2 to $1 may be done" \
		json "d['done'] == 1 and d['may_be_done_to'] == $1 and all(s['may_be_done'] for s in d['steps'][1:$1]) and not any(s['may_be_done'] for s in d['steps'][$1:])"
	tm journal
	check "journal: the steps that may be done are marked [ ?? ] and explained" \
		sh -c "grep -q '\\[ ?? \\]' '$tmp/out' && grep -q 'side by side' '$tmp/out'"
}
clean
w=$(step_of verify B - -- create B C)
w=$((w - 1))
wave_killed 1 create B C
check "wave/create: kadmin listprincs: B holds $BC and $CB, made beside step 1" both_listed B
check "wave/create: kadmin listprincs: C holds $BC and $CB too" both_listed C
may_be_done "$w"
expect_rc 0 "wave/create: rollback" -- rollback
check "wave/create: kadmin listprincs: no trust principal left on B or C" no_trust B C
wave_killed 1 create B C
expect_rc 0 "wave/create: resume" -- resume
check "wave/create: kadmin getprinc: $BC keys equal on both KDCs" same_keys "$BC"
check "wave/create: kadmin getprinc: $CB keys equal on both KDCs" same_keys "$CB"
check "wave/create: kvno across the resumed trust" crosses C B
check "wave/create: kvno across it the other way" crosses B C
w=$(step_of verify B - -- reset B C)
w=$((w - 1))
wave_killed 1 reset B C
keys_snapshot >"$tmp/w1"
may_be_done "$w"
expect_rc 1 "wave/reset: rollback refused (keys changed beside step 1)" -- rollback
check "wave/reset: the refusal says why: a plain MIT realm keeps no password" err_has "plain MIT realm"
check "wave/reset: kadmin getprinc: the refused rollback changed no key" snap_same "$tmp/w1"
expect_rc 0 "wave/reset: resume" -- resume
check "wave/reset: kadmin getprinc: $BC current key equal on both KDCs" same_current "$BC"
check "wave/reset: kadmin getprinc: $CB current key equal on both KDCs" same_current "$CB"
check "wave/reset: kvno across the resumed trust" crosses C B
check "wave/reset: kvno across it the other way" crosses B C

echo "realm-journal-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
