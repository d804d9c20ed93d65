# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health never proposes a state the rules refuse (issue 17, item 1): CORP's
# end of its external trust with EUROPE (a child domain of another forest)
# is made forest-transitive and non-transitive (0xd) behind trustmgr's back,
# by editing the store's LDIF (without its checksum line it is read
# unchecked). The ends disagree; "align" takes the valid end, EUROPE's,
# never copies 0xd onto EUROPE, and the repaired trust verifies. Judged by
# the store's LDIF files and verify.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_fab_europe
tm create CORP EUROPE
expect_rc 0

corp=$STORE/domains/CORP/domain.ldif
europe=$STORE/domains/EUROPE/domain.ldif
grep -q '^trustAttributes: 5$' "$corp" || fail "CORP's end is not 0x5 after create"
grep -q '^trustAttributes: 5$' "$europe" || fail "EUROPE's end is not 0x5 after create"

# behind trustmgr's back: 0xd at CORP's end, the checksum line dropped
sed -e 's/^trustAttributes: 5$/trustAttributes: 13/' -e '/^# crc32c /d' "$corp" >corp.ldif
cat corp.ldif >"$corp"
grep -q '^trustAttributes: 13$' "$corp" || fail "the edit did not take"

# seen from either domain, the fix gives CORP's end EUROPE's attributes
expect_problem attribute-mismatch align CORP
json_eq '[f["fix_command"] for f in d["findings"] if f["kind"] != "ok"][0]' \
	"trustmgr tdo modify CORP EUROPE --attributes 0x5"
out_has "the rules do not allow keeping CORP's: at CORP's end: "
out_has "europe.fabrikam.example is not one"
expect_problem attribute-mismatch align EUROPE
json_eq '[f["fix_command"] for f in d["findings"] if f["kind"] != "ok"][0]' \
	"trustmgr tdo modify CORP EUROPE --attributes 0x5"
out_lacks "tdo modify EUROPE"

# the plan changes CORP's end only, old -> new
tm repair EUROPE CORP --dry-run
expect_rc 0
out_has "Plan: give CORP's end of the trust with EUROPE the attributes of EUROPE's end"
grep -qx "CORP:" "$OUT" || fail "the plan does not change CORP's end"
out_has "type: forest -> external"
out_has "trustAttributes: non-transitive,quarantined-domain,forest-transitive -> non-transitive,quarantined-domain"
grep -qx "EUROPE:" "$OUT" && fail "the plan changes EUROPE's end"

repair_verifies EUROPE CORP
grep -q '^trustAttributes: 5$' "$corp" || fail "CORP's end is not 0x5 after the repair"
grep -q '^trustAttributes: 5$' "$europe" || fail "EUROPE's end changed"
grep -q '^trustAttributes: 13$' "$corp" "$europe" && fail "0xd is still stored"
grep -q '^msDS-TrustForestTrustInfo' "$corp" "$europe" && fail "forest trust records were written"
tm verify CORP EUROPE
expect_rc 0
