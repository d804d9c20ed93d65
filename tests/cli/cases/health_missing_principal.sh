# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: a KDC lost its trust key. Dropping a direction from a TDO deletes
# its key (rule 11); giving the direction back without a password restores
# the direction only, as a restore of the directory without the KDC would.
# Repair puts one new key on both KDCs.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
tm create CORP PARTNER
expect_rc 0
tm tdo modify CORP PARTNER --direction inbound
expect_rc 0
tm tdo modify CORP PARTNER --direction both
expect_rc 0
expect_problem missing-principal reset
json_eq '[f["direction"] for f in d["findings"] if f["kind"] != "ok"][0]' outbound
expect_detail "PARTNER holds krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE at kvno 1, CORP holds none"
out_has "not found in Kerberos database"
tm health
expect_rc 1
out_has "CORP    PARTNER  inbound    ok"

repair_verifies CORP PARTNER
