# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: forest-transitive cleared at one end; the attributes disagree (the
# trust still verifies); repair gives that end the attributes of the other.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
tm create CORP PARTNER --forest-transitive
expect_rc 0
tm tdo modify PARTNER CORP --no-forest-transitive
expect_rc 0
tm verify CORP PARTNER
expect_rc 0
expect_problem attribute-mismatch align
json_eq '[f["fix_command"] for f in d["findings"]][0]' "trustmgr tdo modify PARTNER CORP --attributes 0x8"
expect_detail "CORP: attributes forest-transitive (0x8); PARTNER: attributes none (0x0)"

repair_verifies CORP PARTNER
tm show PARTNER CORP --json
json_eq '"forest-transitive" in d["attributes"]' True
json_eq 'd["forest_trust_records"] > 0' True
