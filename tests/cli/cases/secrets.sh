# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# No password is ever printed: not by show (text or JSON), verify, list,
# journal or a dry run, and the journal never stores one.
. "$TM_LIB"

add_corp
add_partner
secret='Do-Not-Print-Me-9f3b'
pwfile pw "$secret"

check_clean() {
	! grep -qF -- "$secret" "$OUT" "$ERR" || fail "the password appeared in the output"
}

tm create CORP PARTNER --sides local --direction outbound --password-file pw
expect_rc 0
check_clean
tm_stdin pw create PARTNER CORP --sides local --direction inbound --password-file -
expect_rc 0
check_clean
tm verify CORP PARTNER
expect_rc 0
check_clean
for args in "show CORP PARTNER" "show CORP PARTNER --json" "show PARTNER CORP" \
	"show PARTNER CORP --json" "list CORP" "list CORP --json" "journal" \
	"reset-one-side CORP PARTNER --dry-run --password-file pw" "verify CORP PARTNER --json"; do
	tm $args
	[ "$RC" = 0 ] || fail "exit status $RC"
	check_clean
done
tm show CORP PARTNER
out_has "Outgoing secret (trustAuthOutgoing):"
out_has "current:  set, kvno 1"

! grep -rqF -- "$secret" "$STORE/journal" 2>/dev/null || fail "the journal holds the password"

# An empty password is refused, and so is a missing file.
: >empty
add_sales
tm create CORP SALES --sides local --password-file empty
expect_rc 2
err_has "an empty trust password is refused"
tm create CORP SALES --sides local --password-file "$PWD/nope"
expect_rc 2
err_has "Could not open the password file"
tm list SALES --json
json_eq 'len(d["trusted"]) + len(d["trusting"])' 0
