# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health_lib.sh - helpers for the health_*.sh cases (sourced after lib.sh).
#
#   expect_problem KIND FIX [DOMAIN]   `health [DOMAIN] --json` exits 1 and its
#                                      first non-ok finding is KIND with FIX
#   expect_detail TEXT                 a finding of `health --json` says TEXT
#                                      (in its cause, evidence or fix text)
#   repair_verifies A B [ARGS]         `repair A B ARGS` exits 0, then
#                                      `verify A B` and `health` exit 0
#   healthy                            `health` exits 0, every finding ok

expect_problem() {
	tm health ${3:-} --json
	expect_rc 1
	json_ok
	json_eq 'd["ok"]' False
	json_eq '[(f["kind"], f["fix"]) for f in d["findings"] if f["kind"] != "ok"][0]' \
		"('$1', '$2')"
	json_eq 'all(k in f for f in d["findings"] for k in ("domain", "partner", "partner_domain", "direction", "kind", "fix", "cause", "evidence", "fix_command"))' True
}

expect_detail() {
	tm health --json
	expect_rc 1
	out_has "$1"
}

healthy() {
	tm health --json
	expect_rc 0
	json_eq 'd["ok"]' True
	json_eq 'set(f["kind"] for f in d["findings"])' "{'ok'}"
	tm health
	expect_rc 0
	out_has "Every trust is healthy."
	out_lacks "need"
}

repair_verifies() {
	a=$1
	b=$2
	shift 2
	tm repair "$a" "$b" "$@"
	expect_rc 0
	out_has "Health: every direction of the trust between"
	tm verify "$a" "$b"
	expect_rc 0
	healthy
}
