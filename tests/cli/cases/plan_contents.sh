# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Plans say what changes (issue 17, item 2): a new trust lists every setting
# (type, direction, transitivity, SID filtering, authentication, encryption
# types, trustAttributes, forest trust records), a change lists each
# setting it changes as old -> new, and the steps are numbered in the
# order they are listed (per domain, then the checks). --dry-run writes
# nothing (store checksums).
. "$TM_LIB"

add_corp
add_partner
add_fab_europe
before=$(store_sum)
unchanged() {
	[ "$(store_sum)" = "$before" ] || fail "--dry-run changed the store"
}

# The listed numbers run 1, 2, 3 ... in the order the lines are printed.
numbered_in_order() {
	grep -E '^ +[0-9]+\. ' "$OUT" | sed -E 's/^ +([0-9]+)\..*/\1/' >nums.txt
	seq 1 "$(wc -l <nums.txt)" >want.txt
	cmp -s nums.txt want.txt || fail "steps not numbered in the order shown: $(tr '\n' ' ' <nums.txt)"
}

# a forest trust between two forest roots: every setting, both sides
tm create CORP FAB --forest-transitive --dry-run
expect_rc 0
out_has "   1. create the trusted domain object for fabrikam.example (two-way, forest)"
out_has "        type: forest"
out_has "        direction: two-way"
out_has "        transitivity: transitive (to every domain of the partner forest)"
out_has "        SID filtering: on (only SIDs of the trusted forest)"
out_has "        authentication: forest-wide"
out_has "        encryption types: aes128,aes256"
out_has "        trustAttributes: forest-transitive"
out_has "        forest trust records: name suffix fabrikam.example, enabled; domain fabrikam.example (FAB, S-1-5-21-500-600-700), enabled"
out_has "   4. create the trusted domain object for corp.example (two-way, forest)"
out_has "        forest trust records: name suffix corp.example, enabled; domain corp.example (CORP, S-1-5-21-1004336348-1177238915-682003330), enabled"
numbered_in_order
unchanged

# selective authentication shows as such
tm create CORP FAB --forest-transitive --selective-auth --dry-run
expect_rc 0
out_has "        authentication: selective"
unchanged

# an external trust: non-transitive, quarantined, no forest trust records
tm create CORP EUROPE --direction outbound --dry-run
expect_rc 0
out_has "create the trusted domain object for europe.fabrikam.example (outbound, external)"
out_has "        type: external"
out_has "        direction: outbound"
out_has "        transitivity: non-transitive"
out_has "        SID filtering: on (only SIDs of the trusted domain)"
out_has "        authentication: domain-wide"
out_lacks "forest trust records"
numbered_in_order
unchanged

# the same in JSON: each TDO write carries its changes
tm create CORP EUROPE --dry-run --json
expect_rc 0
json_ok
json_eq '[s["changes"].split("\n")[0] for s in d["steps"] if s["kind"] == "tdo-put"]' "['type: external', 'type: external']"
json_eq '[s["changes"] for s in d["steps"] if s["kind"] != "tdo-put"] == [None] * (len(d["steps"]) - 2)' True
unchanged

# a change: only what changes, as old -> new
tm create CORP PARTNER --direction outbound
expect_rc 0
before=$(store_sum)
tm tdo modify CORP partner.example --direction both --selective-auth --enctypes aes256 --dry-run
expect_rc 0
out_has "        direction: outbound -> two-way"
out_has "        authentication: domain-wide -> selective"
out_has "        encryption types: aes128,aes256 -> aes256"
out_has "        trustAttributes: non-transitive,quarantined-domain -> non-transitive,quarantined-domain,cross-organization"
out_lacks "        type:"
out_lacks "        transitivity:"
out_lacks "        SID filtering:"
numbered_in_order
unchanged

# a reset acts on both sides in turn; the listing is still 1, 2, 3 ...
tm reset CORP PARTNER --dry-run
expect_rc 0
numbered_in_order
out_lacks "        type:"
unchanged
