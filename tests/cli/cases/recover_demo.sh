# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Forest recovery of CORP in the demo: recover resets every trust of CORP on
# CORP's side only (current = previous = the password), so each fails to
# verify; recover-partners gives the partners the same password at the same
# key version, and each verifies again.
. "$TM_LIB"

tm demo
expect_rc 0
pwfile pwT 'Forest-Recovery-Pw-7'
partners="SALES PARTNER LEGACY LAB"
before=$(store_sum)

# The preview: one plan, CORP's steps only, the checklist of its trusts.
tm recover CORP --dry-run --password-file pwT
expect_rc 0
out_has "Plan: forest recovery of CORP"
out_has "CORP:"
out_lacks "SALES:"
out_lacks "PARTNER:"
out_has "Trusts of CORP (4):"
for p in $partners; do
	grep -q "^  $p .*partner managed here" "$OUT" || fail "the checklist lacks $p"
done
[ "$(grep -c 'store the password twice in' "$OUT")" = 4 ] ||
	fail "the plan should reset the 4 trusts of CORP"
out_has "read from the password file pwT"
out_has "Nothing was written (--dry-run)."
tm recover CORP --dry-run --json
expect_rc 0
json_ok
json_eq 'd["op"]' recover
json_eq 'sorted(set(s["domain"] for s in d["steps"]))' "['CORP']"
json_eq 'len([s for s in d["steps"] if s["kind"] == "tdo-put"])' 4
[ "$(store_sum)" = "$before" ] || fail "--dry-run changed the store"

tm recover CORP --password-file pwT
expect_rc 0
out_has "CORP's side of its 4 trusts was reset"
out_has "Managed here: SALES, PARTNER, LEGACY and LAB"
out_has "trustmgr recover-partners CORP"
out_lacks 'Forest-Recovery-Pw-7'

for p in $partners; do
	tm verify CORP "$p"
	expect_rc 1
	out_has "kvno-mismatch"
	tm show CORP "$p" --json
	expect_rc 0
	json_eq '[b["previous_equals_current"] and b["current_kvno"] == b["previous_kvno"] == 2 for b in (d["incoming"], d["outgoing"]) if b["current"]]' \
		"$(case $p in SALES|PARTNER) echo '[True, True]' ;; *) echo '[True]' ;; esac)"
done

tm recover-partners CORP --dry-run --password-file pwT
expect_rc 0
out_has "Plan: forest recovery of CORP, the partners' side"
for p in $partners; do out_has "$p:"; done
out_has "Checks:"

tm recover-partners CORP --password-file pwT
expect_rc 0
out_has "SALES, PARTNER, LEGACY and LAB now hold the same password as CORP"
out_has "CORP trusts SALES: ok"
out_has "SALES trusts CORP: ok"
out_has "CORP trusts LAB: ok"
for p in $partners; do
	tm verify CORP "$p"
	expect_rc 0
	tm show "$p" CORP
	expect_rc 0
	out_has "previous equals current: yes"
	out_lacks "previous equals current: no"
done

# Once more: the partners follow CORP's key version exactly, so running it
# again changes nothing that matters.
tm recover-partners CORP --password-file pwT
expect_rc 0
tm verify CORP PARTNER
expect_rc 0
out_has "kvno 2"
