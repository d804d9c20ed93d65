# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# A second process meets the lock: a changing command fails with a clear
# message while another process holds it; readers share it.
. "$TM_LIB"

add_corp
add_partner
[ -f "$STORE/lock" ] || fail "the store has no lock file"

msg="another trustmgr process is using the store $STORE"
locked -x create CORP PARTNER
expect_rc 4
err_has "$msg"
locked -s create CORP PARTNER
expect_rc 4
err_has "$msg"
locked -x list CORP
expect_rc 4
err_has "$msg"
locked -s list CORP
expect_rc 0
out_has "Trusted domains (CORP trusts them, outbound):"

tm list CORP --json
json_eq 'len(d["trusted"]) + len(d["trusting"])' 0
tm create CORP PARTNER
expect_rc 0
