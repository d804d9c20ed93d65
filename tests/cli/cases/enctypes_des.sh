# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Encryption types that are DES only: no key can be made for them. A create
# asking for them is refused while it is planned (it used to fail at step 2
# of 8, after step 1 had written a TDO, leaving an interrupted plan); a TDO
# holding them (tdo modify may write them, as Active Directory allows) makes
# reset refuse before writing, and health's fix brings back a trust that
# verifies.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

add_corp
add_partner
before=$(store_sum)
for et in des des-cbc-crc des-cbc-md5 0x3; do
	tm create CORP PARTNER --enctypes "$et" --yes
	expect_rc 3
	err_starts "STATUS_KDC_UNKNOWN_ETYPE: CORP: no key can be made for krbtgt/"
	err_has "DES only, and DES is never used"
	err_has "--enctypes aes"
	out_empty
	[ "$(store_sum)" = "$before" ] || fail "create --enctypes $et changed the store"
done
tm journal
expect_rc 0
out_has "No interrupted plan"
tm create CORP PARTNER --enctypes des --dry-run
expect_rc 3
err_starts "STATUS_KDC_UNKNOWN_ETYPE:"

# DES with AES is fine: the keys are made for AES only.
tm create CORP PARTNER --enctypes des,aes --yes
expect_rc 0
tm verify CORP PARTNER
expect_rc 0

# One end made DES only: reset refuses before writing anything, health
# names the disagreement and repair leads to a trust that verifies.
tm tdo modify CORP PARTNER --enctypes des --yes
expect_rc 0
before=$(store_sum)
tm reset CORP PARTNER --yes
expect_rc 3
err_starts "STATUS_KDC_UNKNOWN_ETYPE: CORP: no key can be made for krbtgt/"
[ "$(store_sum)" = "$before" ] || fail "a refused reset changed the store"
tm journal
out_has "No interrupted plan"
tm health CORP
expect_rc 1
repair_verifies CORP PARTNER

# Both ends DES only: health's fix must still lead to a trust that verifies.
tm tdo modify CORP PARTNER --enctypes des --yes
expect_rc 0
tm tdo modify PARTNER CORP --enctypes des --yes
expect_rc 0
tm health CORP
expect_rc 1
out_has "Both ends allow only DES"
out_has "give both trusted domain objects aes128,aes256"
repair_verifies CORP PARTNER
tm show CORP PARTNER --json
json_eq 'd["enctypes"]' aes128,aes256
tm show PARTNER CORP --json
json_eq 'd["enctypes"]' aes128,aes256
