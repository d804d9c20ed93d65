#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# State that outlives its configuration, against real servers: domain A
# (OpenLDAP + MIT) trusts realm B; then trustmgr.conf renames A to ATEST
# (same DNS and NetBIOS names). The state folder still holds A: that must
# not block ATEST (it did: "STATUS_OBJECT_NAME_COLLISION: the NetBIOS name
# A belongs to the domain A"), must be pointed out with the command that
# clears it, and `state --clear-stale` must clear it (judged with ls of the
# state folder). An interrupted plan that names A is explained, not lost:
# rollback under the renamed configuration refuses and says what to do,
# clearing keeps A's state, and rollback under the old name works (judged
# with kadmin getprinc), and resume under the new name finishes it (A is
# still ATEST's NetBIOS name; judged with kadmin listprincs and ldapsearch). Prints "state-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=state-lab
LAB_TMP=statel
LAB_OPTS="--domains 1 --realms 2"
. "$(dirname "$0")/lab_lib.sh"
. "$(dirname "$0")/realm_lib.sh"

old=$TRUSTMGR_CONFIG
new=$tmp/renamed.conf
sed 's/^    A = {$/    ATEST = {/' "$old" >"$new"
state=$XDG_STATE_HOME/trustmgr
AB=krbtgt/A.LAB.TEST@B.LAB.TEST
a_has_tdos() { tdos_of A | grep -qi '^trustPartner:'; }

check "the renamed configuration names ATEST, not A" grep -q '^    ATEST = {$' "$new"
expect_rc 0 "create A B (old name)" -- create A B
check "the state folder holds A" test -f "$state/domains/A/domain.ldif"
check "ldapsearch: A holds a TDO (for B)" a_has_tdos

# ---- renamed: the old state does not block the new name -----------------------------------
TRUSTMGR_CONFIG=$new
export TRUSTMGR_CONFIG
expect_rc 0 "list ATEST after the rename" -- list ATEST
check "list ATEST shows the trust with B" grep -q 'b.lab.test\|B.LAB.TEST' "$tmp/out"
check "stderr names the stale state of A and the command that clears it" \
	grep -q "still holds A, which .* names no more.*trustmgr state --clear-stale" "$tmp/err"
expect_rc 0 "rotate ATEST B after the rename (a change, not refused)" -- rotate ATEST B
check "kvno across the rotated trust" crosses A B
check "kadmin: $AB has the same current key on A and B" same_current "$AB" A B
expect_rc 0 "state --json" -- state --json
check "state --json: A is stale, not in a plan" \
	json "[(s['domain'], s['in_interrupted_plan']) for s in d['stale']] == [('A', False)]"
check "state --json: the state folder" json "d['state_dir'] == '$state' and not d['shared']"
expect_rc 0 "state --clear-stale" -- state --clear-stale
check "the state folder no longer holds A" test ! -e "$state/domains/A"
check "the state folder holds ATEST and B" test -f "$state/domains/ATEST/domain.ldif"
expect_rc 0 "list ATEST after clearing" -- list ATEST
check "no stale notice once cleared" not grep -q "still holds" "$tmp/err"
expect_rc 0 "state --clear-stale with nothing stale" -- state --clear-stale
check "ATEST's state kept" test -f "$state/domains/ATEST/domain.ldif"

# ---- an interrupted plan that names a domain renamed since ---------------------------------
TRUSTMGR_CONFIG=$old
before=$(kvno_in B "$AB")
TM_TEST_KILL_AFTER_STEP=1 "$BIN" remove A B --sides both >"$tmp/out" 2>"$tmp/err"
check "remove A B killed after step 1 (exit 137)" test $? -eq 137
TRUSTMGR_CONFIG=$new
expect_rc 0 "journal under the renamed configuration shows the plan" -- journal
check "journal names the remove of A and B" grep -q "remove A B" "$tmp/out"
expect_rc 4 "rollback under the renamed configuration refuses" -- rollback
check "rollback says A is named no more and what to do" \
	grep -q "changes the domain A, which .* names no more" "$tmp/err"
check "... put A back, resume or discard" grep -q "Put the block of A back.*trustmgr resume.*trustmgr discard" "$tmp/err"
expect_rc 0 "state --clear-stale keeps A (the plan names it)" -- state --clear-stale --json
check "state: A kept, in the interrupted plan" \
	json "[(s['domain'], s['in_interrupted_plan'], s['cleared']) for s in d['stale']] == [('A', True, False)]"
check "the state folder still holds A" test -f "$state/domains/A/domain.ldif"
TRUSTMGR_CONFIG=$old
expect_rc 0 "rollback under the old name" -- rollback
check "kadmin: $AB is still on B after the rollback" listed B "$AB"
check "kvno of $AB on B unchanged ($before)" test "$(kvno_in B "$AB")" = "$before"
check "kvno across the trust after the rollback" crosses A B

# resume under the renamed configuration finds A by its NetBIOS name (ATEST's)
TM_TEST_KILL_AFTER_STEP=1 "$BIN" remove A B --sides both >"$tmp/out" 2>"$tmp/err"
check "remove A B killed after step 1 again (exit 137)" test $? -eq 137
TRUSTMGR_CONFIG=$new
expect_rc 0 "resume under the renamed configuration" -- resume
check "kadmin listprincs: no trust between A and B is left" no_trust A B
check "ldapsearch: A holds no TDO any more" not a_has_tdos
expect_rc 0 "journal: nothing interrupted" -- journal
check "journal says so" grep -q "No interrupted plan" "$tmp/out"
export TRUSTMGR_CONFIG

echo "state-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
