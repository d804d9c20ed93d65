# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# --dry-run prints the plan (steps per domain, secrets) and writes nothing.
. "$TM_LIB"

add_corp
add_partner
tm create CORP PARTNER
expect_rc 0
before=$(store_sum)

check_unchanged() {
	[ "$(store_sum)" = "$before" ] || fail "--dry-run changed the store"
}

tm reset CORP PARTNER --dry-run
expect_rc 0
out_has "CORP:"
out_has "PARTNER:"
out_has " 1. "
out_has "Nothing was written (--dry-run)."
out_has "generated at random"
check_unchanged

tm permit CORP SALESX --dry-run
[ "$RC" != 0 ] || fail "permit of an unknown domain should fail"
check_unchanged

tm remove CORP PARTNER --sides both --dry-run
expect_rc 0
check_unchanged

tm reset-one-side CORP PARTNER --dry-run
expect_rc 0
out_has "asked on the terminal"
check_unchanged

tm reset-one-side CORP PARTNER --dry-run --password-file /nonexistent
expect_rc 0
out_has "read from the password file /nonexistent"
check_unchanged

tm create CORP PARTNER --dry-run --json
expect_rc 3
check_unchanged

tm remove CORP PARTNER --dry-run --json
expect_rc 0
json_ok
json_eq 'd["dry_run"]' True
json_eq 'len(d["steps"]) > 0' True
check_unchanged

tm domain add NEW --dns new.example --netbios NEW --sid S-1-5-21-31-32-33 --dry-run
expect_rc 0
out_has "nothing was written"
check_unchanged
tm domain list --json
json_eq 'len(d["domains"])' 2
