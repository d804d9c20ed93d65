# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Both ends of CORP's external trust with EUROPE (a child domain of another
# forest) are made forest-transitive and non-transitive (0xd) behind
# trustmgr's back: the ends agree, but on attributes the rules refuse.
# health names it (invalid-attributes, never "healthy"), its fix gives both
# ends the attributes without the forest bits, and the repaired trust
# verifies. Judged by the store's LDIF files and verify.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_fab_europe
tm create CORP EUROPE
expect_rc 0

corp=$STORE/domains/CORP/domain.ldif
europe=$STORE/domains/EUROPE/domain.ldif
for f in "$corp" "$europe"; do
	sed -e 's/^trustAttributes: 5$/trustAttributes: 13/' -e '/^# crc32c /d' "$f" >edit.ldif
	cat edit.ldif >"$f"
	grep -q '^trustAttributes: 13$' "$f" || fail "the edit of $f did not take"
done

for pair in "CORP EUROPE" "EUROPE CORP"; do
	set -- $pair
	expect_problem invalid-attributes align "$1"
	out_has "Both ends hold attributes the rules refuse"
	out_has "europe.fabrikam.example is not"
	out_has "both ends become an external trust"
	json_eq '[f["fix_command"] for f in d["findings"] if f["kind"] != "ok"][0]' \
		"trustmgr repair $1 $2"
done
tm health
expect_rc 1
out_lacks "All trusts are healthy"

tm repair CORP EUROPE --dry-run
expect_rc 0
out_has "type: forest -> external"
grep -qx "CORP:" "$OUT" || fail "the plan does not change CORP's end"
grep -qx "EUROPE:" "$OUT" || fail "the plan does not change EUROPE's end"

repair_verifies CORP EUROPE
grep -q '^trustAttributes: 5$' "$corp" || fail "CORP's end is not 0x5 after the repair"
grep -q '^trustAttributes: 5$' "$europe" || fail "EUROPE's end is not 0x5 after the repair"
grep -q '^msDS-TrustForestTrustInfo' "$corp" "$europe" && fail "forest trust records were written"
tm health CORP
expect_rc 0
