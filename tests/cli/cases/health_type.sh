# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: one end's TDO replaced by a downlevel one (the type cannot be
# changed in place, so: tdo delete, tdo add); repair recreates the trust.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
pwfile pw 'Other-end-password-1'
tm create CORP PARTNER
expect_rc 0
tm tdo modify PARTNER CORP --type downlevel
expect_rc 3
tm tdo delete PARTNER CORP
expect_rc 0
tm tdo add PARTNER --partner CORP --flat CORP --sid S-1-5-21-1004336348-1177238915-682003330 \
	--direction both --type downlevel --password-file pw
expect_rc 0
expect_problem type-mismatch recreate
json_eq '[f["direction"] for f in d["findings"]][0]' two-way
expect_detail "CORP says uplevel, PARTNER says downlevel"

repair_verifies CORP PARTNER
tm show PARTNER CORP --json
json_eq 'd["type"]' uplevel
