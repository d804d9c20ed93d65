# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# An audit log that cannot be written stops a change before anything is
# asked or written (issue 6): the message says which file, why, and what to
# do; the store, the journal and the health files stay as they were. A
# resume or rollback is refused the same way and the interrupted plan stays.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/audit_lib.sh"

add_corp
add_partner
pwfile pw 'Zq7-refused-PW-41'
before=$(store_sum)

for bad in "$PWD/no/such/folder/audit.log" "$PWD"; do
	tm --audit-log "$bad" create CORP PARTNER
	expect_rc 4
	err_has "the audit log $bad could not be"
	err_has "nothing was changed"
	err_has "--audit-log FILE"
	[ "$(store_sum)" = "$before" ] || fail "a refused change changed the store"
	[ ! -e "$STORE/journal/current" ] || fail "a refused change started a journal"
done
# Also before a password is asked or read.
tm --audit-log "$PWD/no/such/folder/audit.log" permit PARTNER CORP --password-file pw
expect_rc 4
err_has "nothing was changed"
[ "$(store_sum)" = "$before" ] || fail "a refused permit changed the store"

# The default log itself unusable (a folder in its place).
rm "$STORE/audit.log"          # (the records of the domains added)
mkdir "$STORE/audit.log"
tm create CORP PARTNER
expect_rc 4
err_has "$STORE/audit.log could not be opened for appending: Is a directory"
[ "$(store_sum)" = "$before" ] || fail "a refused change changed the store"
rmdir "$STORE/audit.log"

# An interrupted plan: resume and rollback are refused too, the plan stays.
LAST="create CORP PARTNER (TM_TEST_KILL_AFTER_STEP=2)"
TM_TEST_KILL_AFTER_STEP=2 trustmgr create CORP PARTNER >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 137
tm --audit-log "$PWD/no/such/folder/audit.log" resume
expect_rc 4
err_has "could not be opened for appending"
tm --audit-log "$PWD/no/such/folder/audit.log" rollback
expect_rc 4
err_has "could not be opened for appending"
tm journal
expect_rc 0
out_has "Interrupted plan: create CORP PARTNER"
tm rollback
expect_rc 0
audit_has "$STORE/audit.log" event=end result=rolled-back op=create
exit 0
