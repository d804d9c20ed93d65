# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# NT style: the trusted side permits, the trusting side trusts with the same
# password (from a file, then from standard input); the secret is rotated.
. "$TM_LIB"

add_corp
add_partner
pwfile pw 'Initial-Pa55 word'

tm permit PARTNER CORP --password-file pw
expect_rc 0
out_has "PARTNER now permits CORP to trust it"
tm list PARTNER --json
json_eq '[x["state"] for x in d["trusting"] if x["name"]=="CORP"][0]' permitted

tm trust CORP PARTNER --password-file pw
expect_rc 0
out_has "Trust relationship with PARTNER successfully established"

tm verify CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok"

# The initial password was replaced on both ends: kvno moved on.
tm show CORP PARTNER --json
json_eq 'd["outgoing"]["current_kvno"] > 1' True

# The same again in the other direction, password on standard input.
tm_stdin pw permit CORP PARTNER --password-file -
expect_rc 0
tm_stdin pw trust PARTNER CORP --password-file -
expect_rc 0
out_has "successfully established"
tm verify PARTNER CORP
expect_rc 0
out_has "PARTNER trusts CORP: ok"
out_has "CORP trusts PARTNER: ok"

# A second permit of the same trusting domain is refused as already done.
tm permit PARTNER CORP --password-file pw
[ "$RC" = 0 ] && fail "a second permit should be refused"
grep -q '^STATUS_' "$ERR" || fail "the refusal should start with an NTSTATUS name"

# Without a password file and without a terminal: a clear usage error,
# and nothing is written.
add_sales
tm permit CORP SALES
expect_rc 2
err_has "standard input is not a terminal"
err_has "--password-file"
tm list CORP --json
json_eq 'len([x for x in d["trusting"] if x["name"]=="SALES"])' 0
