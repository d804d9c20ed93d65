# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Trusting before the other side permitted: "could not be verified", exit 1.
. "$TM_LIB"

add_corp
add_partner
pwfile pw some-password

tm trust CORP PARTNER --password-file pw
expect_rc 1
err_has "could not be verified"
err_has "permit"
