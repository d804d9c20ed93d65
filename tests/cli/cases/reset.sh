# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# reset: a new random secret on both sides (previous kept), then verify.
. "$TM_LIB"

add_corp
add_partner
tm create CORP PARTNER
expect_rc 0
tm show CORP PARTNER --json
json_eq 'd["outgoing"]["current_kvno"]' 1

tm reset CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok (kvno 2"
tm verify CORP PARTNER
expect_rc 0
tm show CORP PARTNER --json
json_eq 'd["outgoing"]["current_kvno"]' 2
json_eq 'd["outgoing"]["previous_kvno"]' 1
json_eq 'd["outgoing"]["previous_equals_current"]' False
json_eq 'd["principals"][0]["kvnos"]' "[2, 1]"
