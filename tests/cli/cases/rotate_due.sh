# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# rotate --due: every trust whose secret is older than the rotation policy
# (TM_TEST_NOW moves the diagnosis clock; --rotation-days 0 makes every
# secret due) is rotated once, each by its own plan, judged by the key
# versions `show --json` reads at both ends and by the audit log; a trust
# whose partner is not a known domain is reported as not-managed, one with
# another problem is left alone, a failing one gives exit status 1 while the
# others are still rotated.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/audit_lib.sh"
LOG=$STORE/audit.log

add_corp
add_partner
tm domain add WEST --dns west.example --netbios WEST --sid S-1-5-21-11-12-13 --functional-level 2016
expect_rc 0
tm domain add EAST --dns east.example --netbios EAST --sid S-1-5-21-21-22-23 --functional-level 2016
expect_rc 0
tm domain add NORTH --dns north.example --netbios NORTH --sid S-1-5-21-31-32-33 --functional-level 2016
expect_rc 0
tm domain add SOUTH --dns south.example --netbios SOUTH --sid S-1-5-21-41-42-43 --functional-level 2016
expect_rc 0
tm create CORP PARTNER                         # two-way
expect_rc 0
tm create WEST PARTNER --direction outbound    # one-way: WEST trusts PARTNER
expect_rc 0
tm create NORTH SOUTH                          # two-way, made unhealthy below
expect_rc 0
tm create EAST SOUTH                           # two-way, fails to rotate below
expect_rc 0
pwfile pw 'Outside-Partner-Pw-1'
tm tdo add CORP --partner ext.example --flat EXT --sid S-1-5-21-51-52-53 \
	--direction outbound --type uplevel --password-file pw
expect_rc 0

# kvnos DOMAIN PARTNER WHICH: "current previous" of DOMAIN's TDO for PARTNER
kvnos() {
	tm show "$1" "$2" --json
	expect_rc 0
	"$TM_PYTHON" -c 'import json,sys; d=json.load(sys.stdin)[sys.argv[1]]; print(d["current_kvno"], d["previous_kvno"])' "$3" <"$OUT"
}
# kvnos_are DOMAIN PARTNER WHICH "CUR PREV"
kvnos_are() {
	got=$(kvnos "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$1's $3 secret for $2 has kvnos '$got', expected '$4'"
}
# row_is A B OUTCOME: the text table has the trust A-B (either way round) with OUTCOME
row_is() {
	grep -Eq "^($1 +$2|$2 +$1) +[0-9]+ days? +$3\$" "$OUT" || fail "the trust $1-$2 is not $3"
}
rotations() {        # rotations A B: rotate plans started for the pair A-B
	echo $(( $(audit_count "$LOG" event=start op=rotate domain="$1" partner="$2") +
		$(audit_count "$LOG" event=start op=rotate domain="$2" partner="$1") ))
}

# ---- nothing due: nothing changes ------------------------------------------------
store_sum >before.sum
lines=$(wc -l <"$LOG")
tm rotate --due
expect_rc 0
out_has "No trust secret is older than the rotation policy (30 days); nothing was changed."
out_lacks "OUTCOME"
store_sum >after.sum
cmp -s before.sum after.sum || fail "rotate --due with nothing due changed the store"
[ "$(wc -l <"$LOG")" = "$lines" ] || fail "rotate --due with nothing due wrote audit records"
tm rotate --due --json
expect_rc 0
json_eq '(d["rotation_days"], d["due"], d["other_problems"], d["ok"])' "(30, [], 0, True)"

# ---- usage --------------------------------------------------------------------------
tm rotate CORP
expect_rc 2
err_has "rotate takes DOMAIN PARTNER (one trust), or --due"
tm rotate CORP PARTNER --due
expect_rc 2
err_has "rotate --due takes at most one DOMAIN"
tm rotate CORP PARTNER --rotation-days 3
expect_rc 2
err_has "--rotation-days applies to rotate --due only"
tm rotate --due --rotation-days x
expect_rc 2
tm rotate --due NOPE
expect_rc 3
err_has "NOPE is not a domain trustmgr knows"

# ---- NORTH-SOUTH made unhealthy: one end reset alone ------------------------------------
pwfile pwn 'North-Alone-Pw-2'
tm reset-one-side NORTH SOUTH --password-file pwn
expect_rc 0
tm health NORTH
expect_rc 1
kvnos_are SOUTH NORTH outgoing "1 1"
north=$(kvnos NORTH SOUTH outgoing)

# ---- --dry-run: every due trust would be rotated, nothing is written ----------------------
store_sum >before.sum
lines=$(wc -l <"$LOG")
tm rotate --due --rotation-days 0 --dry-run
expect_rc 0
out_has "Plan: rotate the trust secret between CORP and PARTNER"
out_has "Plan: rotate the trust secret between PARTNER and WEST"
row_is CORP PARTNER would-rotate
row_is CORP ext.example not-managed
out_has "only the partner's administrator can rotate it"
out_has "1 trust with other problems was not rotated: run 'trustmgr health'"
out_lacks "NORTH "
store_sum >after.sum
cmp -s before.sum after.sum || fail "rotate --due --dry-run changed the store"
[ "$(wc -l <"$LOG")" = "$lines" ] || fail "rotate --due --dry-run wrote audit records"

# ---- DOMAIN limits the scope -----------------------------------------------------------
tm rotate --due WEST --rotation-days 0
expect_rc 0
row_is WEST PARTNER rotated
out_lacks "CORP"
kvnos_are WEST PARTNER outgoing "2 1"
kvnos_are PARTNER WEST incoming "2 1"
kvnos_are CORP PARTNER outgoing "1 1"
[ "$(rotations WEST PARTNER)" = 1 ] || fail "WEST-PARTNER: $(rotations WEST PARTNER) rotate plans, expected 1"
[ "$(rotations CORP PARTNER)" = 0 ] || fail "CORP-PARTNER was rotated by rotate --due WEST"

# ---- forty days later every healthy trust is due --------------------------------------
later=$(( $(date +%s) + 40 * 86400 ))
TM_TEST_NOW=$later tm rotate --due --json
expect_rc 0
json_ok
json_eq 'sorted((min(r["domain"], r["partner"]), max(r["domain"], r["partner"]), r["outcome"]) for r in d["due"])' \
	"[('CORP', 'PARTNER', 'rotated'), ('CORP', 'ext.example', 'not-managed'), ('EAST', 'SOUTH', 'rotated'), ('PARTNER', 'WEST', 'rotated')]"
json_eq '(d["rotation_days"], d["other_problems"], d["ok"])' "(30, 1, True)"
json_eq 'all(r["age_days"] >= 39 and r["message"] for r in d["due"])' True
# each managed trust exactly once, both ends, both directions of a two-way one
kvnos_are CORP PARTNER outgoing "2 1"
kvnos_are CORP PARTNER incoming "2 1"
kvnos_are PARTNER CORP outgoing "2 1"
kvnos_are PARTNER CORP incoming "2 1"
kvnos_are WEST PARTNER outgoing "3 2"
kvnos_are PARTNER WEST incoming "3 2"
kvnos_are EAST SOUTH outgoing "2 1"
kvnos_are SOUTH EAST incoming "2 1"
[ "$(rotations CORP PARTNER)" = 1 ] || fail "CORP-PARTNER: $(rotations CORP PARTNER) rotate plans, expected 1"
[ "$(rotations WEST PARTNER)" = 2 ] || fail "WEST-PARTNER: $(rotations WEST PARTNER) rotate plans, expected 2"
[ "$(rotations NORTH SOUTH)" = 0 ] || fail "the unhealthy NORTH-SOUTH was rotated"
audit_count_is 4 "$LOG" event=end result=ok op=rotate   # WEST-PARTNER twice
# the unhealthy trust was left as it was
[ "$(kvnos NORTH SOUTH outgoing)" = "$north" ] || fail "NORTH's secret for SOUTH changed"
kvnos_are SOUTH NORTH outgoing "1 1"
tm verify CORP PARTNER
expect_rc 0
tm verify WEST PARTNER
expect_rc 0

# ---- an interrupted plan refuses rotate --due up front ----------------------------------
TM_TEST_KILL_AFTER_STEP=1 tm rotate CORP PARTNER
[ "$RC" = 137 ] || fail "the killed rotate exited $RC, expected 137"
store_sum >before.sum
tm rotate --due --rotation-days 0
expect_rc 4
err_has "This command was not run."
err_has "trustmgr resume"
store_sum >after.sum
cmp -s before.sum after.sum || fail "rotate --due ran while a plan was interrupted"
tm rollback
expect_rc 0

# ---- a rotation that fails: EAST and SOUTH cannot be written -----------------------------
# On a copy of the store run as another user, EAST's and SOUTH's folders
# readable but not writable.
copy_store_as_user rotate-due
for d in EAST SOUTH; do
	if [ "$(id -u)" = 0 ]; then
		chown -R root "$H/store/domains/$d"
		chmod 644 "$H/store/domains/$d"/*
		chmod 755 "$H/store/domains/$d"
	else
		chmod 555 "$H/store/domains/$d"
	fi
done
tmu rotate --due --rotation-days 0
expect_rc 1
row_is EAST SOUTH failed
row_is CORP PARTNER rotated
row_is WEST PARTNER rotated
out_has "EAST - SOUTH: failed: "
out_has "permission denied for nobody"
err_has "1 due trust that trustmgr manages could not be rotated"
out_has "could not be"
tmu show CORP PARTNER --json
expect_rc 0
json_eq '(d["outgoing"]["current_kvno"], d["incoming"]["current_kvno"])' "(3, 3)"
tmu show EAST SOUTH --json
json_eq 'd["outgoing"]["current_kvno"]' 2
tmu journal --json
expect_rc 0
json_eq 'd["interrupted"]' False
tmu rotate --due --rotation-days 0 --json
expect_rc 1
json_eq 'd["ok"]' False
json_eq '[r["outcome"] for r in d["due"] if "EAST" in (r["domain"], r["partner"])]' "['failed']"
[ "$(id -u)" = 0 ] || for d in EAST SOUTH; do chmod 755 "$H/store/domains/$d"; done
