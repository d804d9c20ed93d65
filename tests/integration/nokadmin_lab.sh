#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# A domain configured without kadmin credentials, against real servers: its
# directory answers (TDOs over LDAP) but trustmgr may not read or change its
# KDC. It must still be listed, shown, verified and diagnosed, every check
# that could not run named with its reason, a removal must go as far as the
# domain allows and say what is left, and a change that needs its KDC must
# be refused before anything is written. Judged with ldapsearch, kadmin,
# kinit and kvno. Prints "nokadmin-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=nokadmin-lab
LAB_TMP=nokadmin
. "$(dirname "$0")/lab_lib.sh"

# conf_without_kadmin OUT [VERIFY]: the lab's configuration with B's kadmin_*
# lines removed; with VERIFY, B gets user@B as its client for verify.
conf_without_kadmin() {
	dom B
	awk -v verify="${2:-}" -v realm="$D_REALM" -v dir="$D_DIR" 'BEGIN { inb = 0 }
		/^    B = \{/ { inb = 1 }
		inb && /^        kadmin_/ { next }
		inb && /^    \}/ && verify != "" {
			print "        verify_principal = user@" realm
			print "        verify_password_file = " dir "/user.pw"
		}
		/^    \}/ { inb = 0 }
		{ print }' "$TRUSTMGR_CONFIG" >"$1"
}
conf_without_kadmin "$tmp/b-verify.conf" verify
conf_without_kadmin "$tmp/b-bare.conf"
check "B's block has no kadmin line" sh -c "! awk '/^    B = {/,/^    }/' '$tmp/b-bare.conf' | grep -q kadmin_"
has() { grep -q -- "$1" "$tmp/out"; }
has_err() { grep -q -- "$1" "$tmp/err"; }
json_kinds() {         # the finding kinds of health --json, sorted, one line
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted(set(f["kind"] for f in d["findings"]))))' "$tmp/out"
}

# ---- a working two-way trust, made with every credential -------------------------------
expect_rc 0 "create A B (full configuration)" -- create A B
check "kvno across the trust (B's users into A)" crosses B A
check "kvno across the trust (A's users into B)" crosses A B
kv_ab=$(kvno_of B "$AB")
kv_ba=$(kvno_of B "$BA")

# ---- listed and shown ---------------------------------------------------------------
export TRUSTMGR_CONFIG="$tmp/b-verify.conf"
expect_rc 0 "domain list" -- domain list
check "domain list names B" grep -q '^B\b\|  B ' "$tmp/out"
expect_rc 0 "list B" -- list B
check "list B shows the trust with A (both lists)" sh -c "[ \$(grep -c 'a.lab.test' '$tmp/out') -ge 2 ]"
expect_rc 0 "show B A" -- show B A
check "show B A: the TDO's direction" has "two-way"
check "show B A: the secrets are read from the directory" has "current:  set"
check "show B A: the KDC principals are not read, and why" has "not read: no kadmin credentials are configured for B"
expect_rc 0 "show B A --json" -- show B A --json
check "show --json parses and says why the principals were not read" python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert "no kadmin credentials" in d["principals_not_read"], d' "$tmp/out"
expect_rc 0 "show A B (A managed in full, partner B)" -- show A B
check "show A B lists A's principals" has "$AB"

# ---- verified ---------------------------------------------------------------------------
expect_rc 0 "verify B A with B's client credentials" -- verify B A
check "verify B A: both directions ok" sh -c "[ \$(grep -c 'ok (kvno' '$tmp/out') -eq 2 ]"
expect_rc 0 "verify A B" -- verify A B

# ---- diagnosed ----------------------------------------------------------------------------
expect_rc 0 "health B: every check could run and the trust is well" -- health B --json
kinds=$(json_kinds)
check "health B: only ok findings ($kinds)" test "$kinds" = ok
export TRUSTMGR_CONFIG="$tmp/b-bare.conf"
expect_rc 4 "health B without a client of B: a check could not run (exit 4)" -- health B --json
kinds=$(json_kinds)
check "health B: not-checked is one of the findings ($kinds)" sh -c "echo '$kinds' | grep -q not-checked"
check "health B: the not-checked finding names the missing client credentials" \
	grep -q 'verify_principal' "$tmp/out"
check "health B: no finding calls the unchecked direction ok" python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
nc = [f for f in d["findings"] if f["kind"] == "not-checked"]
assert nc, d
for f in nc:
    assert not any(g["kind"] == "ok" and g["direction"] == f["direction"] and g["domain"] == f["domain"]
                   for g in d["findings"]), d' "$tmp/out"
expect_rc 4 "health B (text)" -- health B
check "health B (text): says what could not be checked and why" has "Could not check"
expect_rc 4 "verify A B without a client of B: one direction cannot be checked" -- verify A B
check "verify A B: says which credentials are missing" has_err "verify_principal"
expect_rc 0 "list B (bare)" -- list B
expect_rc 0 "show B A (bare)" -- show B A

# ---- a change that needs B's KDC is refused before anything is written -------------------
expect_rc 3 "reset B A is refused (no kadmin for B)" -- reset B A
check "the refusal names STATUS_ACCESS_DENIED and the reason" sh -c \
	"grep -q STATUS_ACCESS_DENIED '$tmp/err' && grep -q 'no kadmin credentials are configured for B' '$tmp/err'"
check "kadmin: krbtgt/A@B's kvno unchanged on B" sh -c "[ $(kvno_of B "$AB") = $kv_ab ]"
check "kadmin: krbtgt/B@A's kvno unchanged on B" sh -c "[ $(kvno_of B "$BA") = $kv_ba ]"
check "kvno across the trust still works" crosses B A
expect_rc 3 "reset B A --dry-run is refused too" -- reset B A --dry-run

# ---- a removal goes as far as B allows and says what is left ------------------------------
tdos_of B >"$tmp/tdos"
check "ldapsearch: B holds its TDO for A before the removal" grep -q '^trustPartner: a.lab.test' "$tmp/tdos"
expect_rc 0 "remove B A --sides local" -- remove B A --sides local
tdos_of B >"$tmp/tdos"
check "ldapsearch: B holds no TDO for A any more" not grep -q '^trustPartner: a.lab.test' "$tmp/tdos"
check "kadmin: B still holds krbtgt/A@B (left for its administrator)" sh -c "[ $(kvno_of B "$AB") != none ]"
check "the result says what is left and how to remove it" grep -q "kadmin delprinc" "$tmp/out"
expect_rc 1 "health A: the trust is one-sided now" -- health A --json
kinds=$(json_kinds)
check "health A: one-sided ($kinds)" sh -c "echo '$kinds' | grep -q one-sided"

echo "nokadmin-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
