# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Passwords typed on a terminal: no echo, typed twice where it matters,
# the terminal restored afterwards, also when interrupted with ^C.
. "$TM_LIB"

tty() {
	LAST="(pty) $1"
	"$TM_PYTHON" "$(dirname "$TM_LIB")/tty.py" "$1" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
}

add_corp
add_partner
tty permit
tty trust
tm verify CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok"

tty mismatch
tm list CORP --json
json_eq 'len(d["trusting"])' 0

tty interrupt
tm journal --json
json_eq 'd["interrupted"]' False
