# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# recover / recover-partners beyond the happy path: one partner at a time,
# a partner trustmgr does not manage (named in the result with what its
# administrator runs), a partner that holds no end of the trust (recreate),
# a domain without trusts, usage errors.
. "$TM_LIB"

tm demo
expect_rc 0
pwfile pwT 'Forest-Recovery-Pw-7'
# A trust with a domain trustmgr does not know: its side is someone else's.
tm tdo add CORP --partner ext.example --flat EXT --sid S-1-5-21-1500000001-1500000002-1500000003 \
	--direction outbound --type uplevel --password-file pwT
expect_rc 0

tm recover CORP --password-file pwT
expect_rc 0
out_has "CORP's side of its 5 trusts was reset"
out_has "Not managed here: EXT; its administrator runs 'trustmgr reset-one-side EXT CORP'"
out_has "netdom trust EXT /domain:CORP /resetOneSide"

# One partner only.
tm recover-partners CORP LAB --password-file pwT
expect_rc 0
out_has "LAB now holds the same password as CORP"
out_has "CORP trusts LAB: ok"
out_lacks "SALES"
tm verify CORP LAB
expect_rc 0
tm verify CORP SALES
expect_rc 1

# A partner that is not managed here: refused, with its administrator's command.
tm recover-partners CORP EXT --password-file pwT
expect_rc 2
err_has "EXT is not managed here"
err_has "trustmgr reset-one-side EXT CORP"
tm recover-partners CORP NOSUCH --password-file pwT
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: CORP has no trust with NOSUCH"

# The rest: the result still names EXT.
tm recover-partners CORP --password-file pwT
expect_rc 0
out_has "SALES, PARTNER, LEGACY and LAB now hold the same password as CORP"
out_has "Not managed here: EXT"
for p in SALES PARTNER LEGACY LAB; do
	tm verify CORP "$p"
	expect_rc 0
done

# SALES -> PARTNER is broken at one end (PARTNER's end was removed): the
# recovery resets SALES's side and says to recreate that trust.
tm recover SALES --password-file pwT
expect_rc 0
out_has "PARTNER no longer holds an end of its trust with SALES"
out_has "trustmgr recreate SALES PARTNER"
tm recover-partners SALES PARTNER --password-file pwT
expect_rc 1
err_starts "STATUS_DOMAIN_TRUST_INCONSISTENT: PARTNER holds no trusted domain object for SALES"
err_has "trustmgr recreate SALES PARTNER"
tm recover-partners SALES --password-file pwT
expect_rc 0
out_has "CORP now holds the same password as SALES"
tm recreate SALES PARTNER
expect_rc 0
tm verify SALES PARTNER
expect_rc 0

# Nothing to recover; usage.
tm domain add EMPTY --dns empty.example --netbios EMPTY --sid S-1-5-21-41-42-43
expect_rc 0
tm recover EMPTY --password-file pwT
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: EMPTY has no trust"
tm recover NOSUCH --password-file pwT
expect_rc 3
err_has "NOSUCH is not a domain trustmgr knows"
tm recover
expect_rc 2
err_has "Usage: trustmgr recover DOMAIN"
tm recover CORP SALES
expect_rc 2
err_has "too many arguments"
tm recover CORP --direction inbound
expect_rc 2
err_has "does not apply to 'recover'"
tm recover CORP
expect_rc 2
err_has "cannot be typed"
tm recover-partners --help
expect_rc 0
out_has "Usage: trustmgr recover-partners DOMAIN [PARTNER]"
