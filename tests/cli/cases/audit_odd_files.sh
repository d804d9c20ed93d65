# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: something other than a regular file in the audit log's place
# (a FIFO nobody reads, which made `reset A B` wait for ever in open()
# holding the store's lock; a FIFO somebody reads; a socket; a device) is
# refused at once with a message naming what it is, and the change does
# not run: the store, the journal and the lock are as before, and the next
# command is not kept waiting.
. "$TM_LIB"

for d in A:1-2-3 B:4-5-6 C:7-8-9; do
	n=${d%%:*}
	tm domain add "$n" --dns "$(echo "$n" | tr A-Z a-z).example" --netbios "$n" \
		--sid "S-1-5-21-${d#*:}" --functional-level 2016
	expect_rc 0
done
tm create A B
expect_rc 0
tm create A C --direction outbound
expect_rc 0
mv "$STORE/audit.log" audit.saved
before=$(store_sum)

# bounded ARGS...: trustmgr ARGS, which must end by itself well within the
# bound (status 124 would mean it waited).
bounded() {
	LAST="$*"
	timeout -k 5 60 trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	valgrind_check
	[ "$RC" != 124 ] && [ "$RC" != 137 ] || fail "trustmgr did not end by itself"
}

refused_as() {
	expect_rc 4
	err_has "the audit log $1 is $2, not a regular file"
	err_has "every change is recorded there first, so nothing was changed"
	err_has "--audit-log FILE"
	[ "$(store_sum)" = "$before" ] || fail "a refused change changed the store"
	[ ! -e "$STORE/journal/current" ] || fail "a refused change started a journal"
}

mkfifo "$STORE/audit.log"
bounded reset A B
refused_as "$STORE/audit.log" "a FIFO (named pipe)"
# With a reader the open would succeed: the type is checked on the descriptor.
exec 3<>"$STORE/audit.log"
bounded reset A B
refused_as "$STORE/audit.log" "a FIFO (named pipe)"
exec 3>&-
# The lock was not kept: another command runs at once.
bounded list A
expect_rc 0
rm "$STORE/audit.log"

"$TM_PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$STORE/audit.log"
bounded reset A B
refused_as "$STORE/audit.log" "a socket"
rm "$STORE/audit.log"

bounded --audit-log /dev/null reset A B
refused_as /dev/null "a device"
bounded --audit-log /dev/null domain add D --dns d.example --netbios D \
	--sid S-1-5-21-10-11-12 --functional-level 2016
expect_rc 4
err_has "the domain was not added"
tm domain list
out_lacks "d.example"

# A regular file again: the change runs and is recorded.
mv audit.saved "$STORE/audit.log"
bounded reset A B
expect_rc 0
tail -n 1 "$STORE/audit.log" | grep -q 'event=end result=ok op=reset' ||
	fail "the reset was not recorded"
exit 0
