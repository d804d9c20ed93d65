# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: a password a person gives is taken whole or refused. A NUL is
# not its end ('abc\0def' and 'abc' were the same password) and no other
# control character passes, in a password file, on standard input or
# typed at the terminal; the message says which character and why, never
# the password. Passwords shorter than min_password_length (8 for the
# embedded store) are refused with the minimum and where it is set.
# Nothing is changed by a refused password; generated secrets (create,
# reset) are not concerned.
. "$TM_LIB"

tty() {
	LAST="(pty) $1"
	"$TM_PYTHON" "$(dirname "$TM_LIB")/tty.py" "$1" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
}

add_corp
add_partner
add_sales
# Typed at the terminal (tty.py: permit CORP PARTNER): the same rules,
# checked before the second prompt.
tty nul
tty short
tm list CORP --json
json_eq 'len(d["trusting"]) + len(d["trusted"])' 0

tm create CORP PARTNER
expect_rc 0
before=$(store_sum)
audit_lines=$(wc -l <"$STORE/audit.log")

refused() {
	expect_rc 3
	err_starts "STATUS_PASSWORD_RESTRICTION: The password from $1 was refused: the password"
	[ "$(store_sum)" = "$before" ] || fail "a refused password changed the store"
	[ ! -e "$STORE/journal/current" ] || fail "a refused password left a journal"
	[ "$(wc -l <"$STORE/audit.log")" = "$audit_lines" ] ||
		fail "a refused password started an audited plan"
}

printf 'Abcdefgh\000ijk\n' >nul.pw
tm reset-one-side CORP PARTNER --password-file nul.pw
refused "the password file nul.pw"
err_has "holds a NUL byte at character 9"
err_has "a NUL would cut it short there"
err_lacks "Abcdefgh"

tm_stdin nul.pw reset-one-side CORP PARTNER --password-file -
refused "standard input"
err_has "NUL byte at character 9"

printf 'Abc\tdefghij\n' >tab.pw
tm reset-one-side CORP PARTNER --password-file tab.pw
refused "the password file tab.pw"
err_has "holds a tab at character 4"

printf 'Abcdefg\033[1mh\n' >esc.pw
tm reset-one-side CORP PARTNER --password-file esc.pw
refused "the password file esc.pw"
err_has "holds an escape character at character 8"

printf 'Abcd\302\205efgh\n' >c1.pw
tm reset-one-side CORP PARTNER --password-file c1.pw
refused "the password file c1.pw"
err_has "the control character U+0085 at character 5"

printf 'Abcd\377efgh\n' >latin1.pw
tm reset-one-side CORP PARTNER --password-file latin1.pw
refused "the password file latin1.pw"
err_has "not valid UTF-8 text at character 5 (byte 5)"

for pw in x Abc1234; do
	pwfile short.pw "$pw"
	tm permit SALES CORP --password-file short.pw
	refused "the password file short.pw"
	err_has "is ${#pw} character"
	err_has "must have at least 8"
	err_has "min_password_length in trustmgr.conf's [trustmgr] section"
done

# Eight characters, some of them outside ASCII: counted as characters.
pwfile ok.pw 'Pässwörd'
tm reset-one-side CORP PARTNER --password-file ok.pw
expect_rc 0

# Generated secrets are never measured against the rule.
tm reset CORP PARTNER
expect_rc 0
tm verify CORP PARTNER
expect_rc 0
exit 0
