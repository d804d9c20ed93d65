# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health: one end's TDO allows only RC4 while the other allows only AES: no
# common encryption type; repair aligns that end with the one whose types
# the keys have, then resets the trust (one plan).
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
tm create CORP PARTNER
expect_rc 0
tm tdo modify CORP PARTNER --enctypes rc4
expect_rc 0
expect_problem no-common-enctype align
expect_detail "CORP's TDO allows rc4, PARTNER's allows aes128,aes256"
out_has "trustmgr tdo modify CORP PARTNER --enctypes aes128,aes256; trustmgr reset CORP PARTNER"

tm repair CORP PARTNER --dry-run
expect_rc 0
out_has "change the trusted domain object for partner.example"
out_has "verify that CORP trusts PARTNER"

repair_verifies CORP PARTNER
tm show CORP PARTNER --json
json_eq 'd["enctypes"]' aes128,aes256
