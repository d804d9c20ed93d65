# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# remove: both sides at once, or the local side only (leaving an orphan).
. "$TM_LIB"

add_corp
add_partner
add_sales
tm create CORP PARTNER
expect_rc 0
tm remove CORP PARTNER --sides both
expect_rc 0
tm list CORP --json
json_eq 'len(d["trusted"]) + len(d["trusting"])' 0
tm list PARTNER --json
json_eq 'len(d["trusted"]) + len(d["trusting"])' 0
tm show CORP PARTNER
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: "

tm create CORP SALES
expect_rc 0
tm remove SALES CORP
expect_rc 0
tm list SALES --json
json_eq 'len(d["trusted"]) + len(d["trusting"])' 0
tm list CORP --json
json_eq 'len(d["trusted"])' 1
tm verify CORP SALES
expect_rc 1
out_has "missing-tdo"
