# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: something other than a regular file in the audit log's place
# (a FIFO nobody reads, which made `reset A B` wait for ever in open()
# holding the store's lock; a FIFO somebody reads; a socket; a device) is
# refused at once with a message naming what it is, and the change does
# not run: the store, the journal and the lock are as before, and the next
# command is not kept waiting.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/audit_lib.sh"

abc_store
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

# An audit log damaged before a change (cut inside a record, NUL bytes or a
# CR at its end, a changed last newline, random bytes, a hole of NULs, an
# empty file): the damage is left as it is, and every record of the change
# starts on a line of its own, parses and ends with a newline.
cp "$STORE/audit.log" audit.good
for harm in cut nul cr newline random hole empty; do
	"$TM_PYTHON" - "$STORE/audit.log" $harm <<'PY'
import os, sys
p, harm = sys.argv[1], sys.argv[2]
d = bytearray(open(p, "rb").read())
if harm == "cut": d = d[:-30]
elif harm == "nul": d += b"\0" * 100
elif harm == "cr": d[-1] = 0x0D
elif harm == "newline": d[-1] = 0x41
elif harm == "random": d = bytearray(os.urandom(5000))
elif harm == "hole": d = bytearray(1 << 20)
elif harm == "empty": d = bytearray()
open(p, "wb").write(d)
PY
	cp "$STORE/audit.log" audit.damaged
	bounded reset A B
	expect_rc 0
	cmp -s audit.damaged "$STORE/audit.log" && fail "nothing was recorded ($harm)"
	head -c "$(wc -c <audit.damaged)" "$STORE/audit.log" | cmp -s - audit.damaged ||
		fail "the damaged part of the log was changed ($harm)"
	# the records of this reset: everything after the damaged part, less the
	# newline that ends an unfinished last line
	tail -c +"$(($(wc -c <audit.damaged) + 1))" "$STORE/audit.log" >audit.new
	"$TM_PYTHON" -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(0 if d.endswith(b"\n") else 1)' \
		"$STORE/audit.log" || fail "the log does not end with a newline ($harm)"
	# an unfinished last line is ended first: the first record is on its own line
	"$TM_PYTHON" -c 'import sys; old = open(sys.argv[1], "rb").read(); new = open(sys.argv[2], "rb").read()
sys.exit(0 if (not old or old.endswith(b"\n")) == new.startswith(b"20") else 1)' audit.damaged audit.new ||
		fail "the first record of the reset does not start on a line of its own ($harm)"
	sed '/^$/d' audit.new >audit.records
	audit_parses audit.records
	audit_count_is 1 audit.records event=start op=reset
	audit_count_is 1 audit.records event=end result=ok op=reset
	cp audit.good "$STORE/audit.log"
done
exit 0
