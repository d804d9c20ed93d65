#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# rotate --due against real servers: a lab of one OpenLDAP + MIT domain (A)
# and two plain MIT realms (B, C), trusts A-B (two-way), B-C (two-way), A
# trusts C (one-way) and a TDO of A for a realm trustmgr does not know.
# Scheduled rotation must rotate every managed trust exactly once and report
# the unknown partner; judged with kadmin getprinc on both KDCs (the key
# version went up by one on both, the same on both, the previous key kept)
# and kinit + kvno across each trust; nothing changes when nothing is due
# or with --dry-run; DOMAIN limits it. Prints "rotate-due-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=rotate-due-lab
LAB_TMP=rotdue
LAB_OPTS="--domains 1 --realms 2"
. "$(dirname "$0")/lab_lib.sh"
. "$(dirname "$0")/realm_lib.sh"

AC=krbtgt/A.LAB.TEST@C.LAB.TEST
printf 'Outside-Realm-Pw-1\n' >"$tmp/pwX"
PAIRS="A:B:$AB A:B:$BA B:C:$BC B:C:$CB A:C:$AC"

# kvnos_now: "X Y P kvno-in-X kvno-in-Y" for every trust principal of the lab.
kvnos_now() {
	for t in $PAIRS; do
		x=${t%%:*}; r=${t#*:}; y=${r%%:*}; p=${r#*:}
		echo "$x $y $p $(kvno_in "$x" "$p") $(kvno_in "$y" "$p")"
	done
}
# rotated_once BEFORE X Y P: P's kvno is one more than BEFORE recorded, on
# both KDCs, the same on both, with the previous key still there.
rotated_once() {
	old=$(awk -v p="$4" '$3 == p { print $4 }' "$1")
	n1=$(kvno_in "$2" "$4"); n2=$(kvno_in "$3" "$4")
	gt "$old" 0 && [ "$n1" = $((old + 1)) ] && [ "$n2" = "$n1" ] && has_key "$2" "$4" "$old" &&
		has_key "$3" "$4" "$old" && same_current "$4" "$2" "$3" && return 0
	echo "    $4: kvno before $old, now $2 $n1, $3 $n2"
	return 1
}
# unchanged BEFORE X Y P: P's kvnos on both KDCs are those BEFORE recorded.
unchanged() { [ "$(kvno_in "$2" "$4") $(kvno_in "$3" "$4")" = "$(awk -v p="$4" '$3 == p { print $4, $5 }' "$1")" ]; }
# outcome_of X Y: the outcome --json gives the trust X-Y (either way round).
outcome_of() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(r["outcome"] for r in d["due"] if {r["domain"], r["partner"]} == {sys.argv[2], sys.argv[3]}))' "$tmp/out" "$1" "$2"; }
every_trust_crosses() {
	check "$1: kinit user@B; kvno host/srv.a.lab.test@A (A trusts B)" crosses B A
	check "$1: kinit user@A; kvno host/srv.b.lab.test@B (B trusts A)" crosses A B
	check "$1: kinit user@C; kvno host/srv.b.lab.test@B (B trusts C)" crosses C B
	check "$1: kinit user@B; kvno host/srv.c.lab.test@C (C trusts B)" crosses B C
	check "$1: kinit user@C; kvno host/srv.a.lab.test@A (A trusts C)" crosses C A
}

# ---- the trusts ----------------------------------------------------------------------
expect_rc 0 "create A B" -- create A B
expect_rc 0 "create B C" -- create B C
expect_rc 0 "create A C --direction outbound (A trusts C)" -- create A C --direction outbound
expect_rc 0 "tdo add A for X.LAB.TEST, a realm trustmgr does not know" -- \
	tdo add A --partner X.LAB.TEST --direction outbound --type mit --password-file "$tmp/pwX"
check "kadmin listprincs: A holds $AC" listed A "$AC"
check "kadmin listprincs: C holds $AC" listed C "$AC"
every_trust_crosses created

# ---- nothing due ------------------------------------------------------------------------
kvnos_now >"$tmp/k0"
tdos_of A >"$tmp/tdoA0"
expect_rc 0 "rotate --due (nothing is 30 days old)" -- rotate --due
check "rotate --due says nothing was due" out_has "No trust secret is older than the rotation policy"
kvnos_now | cmp -s - "$tmp/k0"; check "kadmin getprinc: every kvno as before (nothing due)" test $? = 0

# ---- --dry-run ---------------------------------------------------------------------------
expect_rc 0 "rotate --due --rotation-days 0 --dry-run" -- rotate --due --rotation-days 0 --dry-run
check "the dry run shows the plan of B-C" out_has "Plan: rotate the trust secret between B and C"
check "the dry run names X.LAB.TEST not-managed" sh -c "grep -Eq '^A +X.LAB.TEST +.* not-managed\$' '$tmp/out'"
kvnos_now | cmp -s - "$tmp/k0"; check "kadmin getprinc: every kvno as before (--dry-run)" test $? = 0
tdos_of A | cmp -s - "$tmp/tdoA0"; check "ldapsearch: A's TDOs as before (--dry-run)" test $? = 0

# ---- DOMAIN limits it ---------------------------------------------------------------------
expect_rc 0 "rotate --due C --rotation-days 0" -- rotate --due C --rotation-days 0 --json
check "rotate --due C --json: B-C and A-C rotated, nothing else" json \
	'sorted(tuple(sorted((r["domain"], r["partner"]))) + (r["outcome"],) for r in d["due"]) == [("A", "C", "rotated"), ("B", "C", "rotated")] and d["ok"]'
for t in "B C $BC" "B C $CB" "A C $AC"; do
	set -- $t
	check "kadmin getprinc: $3 rotated once on $1 and $2 (rotate --due C)" rotated_once "$tmp/k0" "$1" "$2" "$3"
done
check "kadmin getprinc: $AB untouched by rotate --due C" unchanged "$tmp/k0" A B "$AB"
check "kadmin getprinc: $BA untouched by rotate --due C" unchanged "$tmp/k0" A B "$BA"

# ---- forty days later: every managed trust once ----------------------------------------------
kvnos_now >"$tmp/k1"
export TM_TEST_NOW=$(( $(date +%s) + 40 * 86400 ))
expect_rc 0 "rotate --due forty days later" -- rotate --due --json
unset TM_TEST_NOW
check "rotate --due --json parses with its keys" json \
	'd["rotation_days"] >= 0 and d["other_problems"] == 0 and d["ok"] is True and all(set(r) == {"domain", "partner", "age_days", "outcome", "message"} for r in d["due"])'
check "A-B rotated ($(outcome_of A B))" test "$(outcome_of A B)" = rotated
check "B-C rotated ($(outcome_of B C))" test "$(outcome_of B C)" = rotated
check "A-C rotated ($(outcome_of A C))" test "$(outcome_of A C)" = rotated
check "A-X.LAB.TEST reported not-managed ($(outcome_of A X.LAB.TEST))" test "$(outcome_of A X.LAB.TEST)" = not-managed
for t in "A B $AB" "A B $BA" "B C $BC" "B C $CB" "A C $AC"; do
	set -- $t
	check "kadmin getprinc: $3 rotated once on $1 and $2, same kvno on both" rotated_once "$tmp/k1" "$1" "$2" "$3"
done
every_trust_crosses rotated
expect_rc 1 "health after the rotation (X.LAB.TEST is unknown: not all well)" -- health --rotation-days 1 --json
check "health: no secret-old left, only X.LAB.TEST unreachable" json \
	'{(f["partner"], f["kind"]) for f in d["findings"] if f["kind"] != "ok"} == {("X.LAB.TEST", "unreachable")}'

echo "rotate-due-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
