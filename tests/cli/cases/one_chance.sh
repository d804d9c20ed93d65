# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# A wrong password uses the one chance; the right one is refused until the
# trusted side removes and permits again (docs/RULES.md, "The one chance").
. "$TM_LIB"

add_corp
add_partner
pwfile pw right-password-1
pwfile bad wrong-password-2
pwfile pw2 right-password-3

tm permit PARTNER CORP --password-file pw
expect_rc 0

tm trust CORP PARTNER --password-file bad
expect_rc 1
err_starts "STATUS_WRONG_PASSWORD: "
err_has "one chance"
tm list PARTNER --json
json_eq '[x["state"] for x in d["trusting"] if x["name"]=="CORP"][0]' "one chance used"

tm trust CORP PARTNER --password-file pw
expect_rc 1
err_starts "STATUS_ACCOUNT_LOCKED_OUT: "
tm list CORP --json
json_eq 'len(d["trusted"])' 0

tm remove PARTNER CORP
expect_rc 0
tm permit PARTNER CORP --password-file pw2
expect_rc 0
tm trust CORP PARTNER --password-file pw2
expect_rc 0
out_has "successfully established"
tm verify CORP PARTNER
expect_rc 0
