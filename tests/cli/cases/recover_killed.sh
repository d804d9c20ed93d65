# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# A forest recovery killed after step N (several N) is finished by `resume`
# without asking for the password again: it is read back from the first
# trusted domain object a done step wrote. Afterwards every TDO of CORP has
# previous = current = the password, and recover-partners (itself killed and
# resumed) makes every trust verify.
. "$TM_LIB"

pwfile pwT 'Forest-Recovery-Pw-7'
pwfile other 'Not-The-Recovery-Pw'
partners="SALES PARTNER LEGACY LAB"

kill_after() {      # kill_after N COMMAND ARGS...
	n=$1
	shift
	LAST="$* (TM_TEST_KILL_AFTER_STEP=$n)"
	TM_TEST_KILL_AFTER_STEP=$n trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 137
}

fresh_demo() {
	rm -rf "$STORE"
	tm demo
	expect_rc 0
}

all_reset_on_corp() {
	for p in $partners; do
		tm show CORP "$p" --json
		expect_rc 0
		json_eq 'all(b["previous_equals_current"] and b["current_kvno"] == b["previous_kvno"] for b in (d["incoming"], d["outgoing"]) if b["current"])' True
		tm verify CORP "$p"
		expect_rc 1
	done
}

all_verify() {
	for p in $partners; do
		tm verify CORP "$p"
		expect_rc 0
	done
}

tm demo
expect_rc 0
tm recover CORP --dry-run --json
steps=$("$TM_PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["steps"]))' <"$OUT")
[ "$steps" = 14 ] || fail "recover CORP should have 14 steps, has $steps"

for n in 1 2 4 5 9 13; do
	fresh_demo
	kill_after "$n" recover CORP --password-file pwT
	tm journal --json
	json_eq 'd["done"]' "$n"
	json_eq 'd["op"]' recover
	tm recover CORP --password-file pwT
	expect_rc 4
	err_has "trustmgr resume"
	# No password file, no terminal: resume must not need to ask.
	tm resume
	expect_rc 0
	out_has "CORP's side of its 4 trusts was reset"
	all_reset_on_corp
	tm recover-partners CORP --password-file pwT
	expect_rc 0
	all_verify
done

# A different password given to resume is not used: the one the plan
# started with is read back, so the partners' password still matches.
fresh_demo
kill_after 3 recover CORP --password-file pwT
tm resume --password-file other
expect_rc 0
tm recover-partners CORP --password-file pwT
expect_rc 0
all_verify

# recover-partners killed half-way: resume finishes the partners and verifies.
tm recover-partners CORP --dry-run --json
psteps=$("$TM_PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["steps"]))' <"$OUT")
[ "$psteps" = 16 ] || fail "recover-partners CORP should have 16 steps, has $psteps"
for n in 1 3 6 12; do
	fresh_demo
	tm recover CORP --password-file pwT
	expect_rc 0
	kill_after "$n" recover-partners CORP --password-file pwT
	tm resume
	expect_rc 0
	out_has "now hold the same password as CORP"
	all_verify
done
