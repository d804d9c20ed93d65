# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: a full disk must not tear the audit trail. A file size limit
# (RLIMIT_FSIZE, with SIGXFSZ left at its default action, so trustmgr must
# ignore it itself to see EFBIG) stops the audit log in the middle of a
# plan's third record. The record is not left cut: the audit log still
# ends with the last whole record and every line parses; the plan stops
# there with one message that says which step was done, why the audit log
# could not be written, and never that nothing was changed; the rollback's
# records then start on lines of their own.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/audit_lib.sh"

LOG=$STORE/audit.log

# limited BYTES ARGS...: trustmgr ARGS with files limited to BYTES bytes.
limited() {
	bytes=$1
	shift
	LAST="$* (files limited to $bytes bytes)"
	"$TM_PYTHON" -c 'import os, resource, signal, sys
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
os.execvp(sys.argv[2], sys.argv[2:])' "$bytes" trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	valgrind_check
}

ends_whole() {
	[ "$(tail -c 1 "$LOG" | od -An -c | tr -d ' ')" = '\n' ] ||
		fail "the audit log does not end with a whole record"
	audit_parses "$LOG"
}

abc_store

# The limit must stop only the audit log: it is made larger than every
# store file first (more records), and the store files stay below it.
largest=$(find "$STORE" -type f ! -name audit.log -printf '%s\n' | sort -n | tail -n 1)
while [ "$(wc -c <"$LOG")" -lt $((largest * 3)) ]; do
	tm reset A C
	expect_rc 0
done

# The sizes of the records a reset writes, from one that runs whole.
lines=$(wc -l <"$LOG")
tm reset A B
expect_rc 0
tail -n +$((lines + 1)) "$LOG" >reset-records.txt
[ "$(wc -l <reset-records.txt)" -ge 4 ] || fail "a reset wrote fewer than 4 audit records"
r1=$(sed -n 1p reset-records.txt | wc -c)
r2=$(sed -n 2p reset-records.txt | wc -c)
r3=$(sed -n 3p reset-records.txt | wc -c)

# Room for the start and step 1, and half of step 2's record.
size=$(wc -c <"$LOG")
lines=$(wc -l <"$LOG")
limit=$((size + r1 + r2 + r3 / 2))
limited "$limit" reset A B
expect_rc 4
err_has "step 2 of"
err_has "was done, but then the audit log $LOG could not be written: File too large"
[ "$(grep -o "File too large" "$ERR" | wc -l)" = 1 ] ||
	fail "the failed write is reported more than once"
err_lacks "nothing was changed"
err_lacks "Warning"
err_has "trustmgr resume"
ends_whole
[ "$(wc -l <"$LOG")" = $((lines + 2)) ] || fail "the audit log should hold start and step 1 only"
tail -n 1 "$LOG" | grep -q ' event=step result=ok op=reset .*step=1/' ||
	fail "the last record should be step 1 of the reset"

# The plan is kept; with room again, it is rolled back and recorded whole.
tm journal
expect_rc 0
out_has "Interrupted plan: reset A B"
tm rollback
expect_rc 0
ends_whole
audit_has "$LOG" event=rollback result=started op=reset
audit_has "$LOG" event=end result=rolled-back op=reset
tm verify A B
expect_rc 0

# A limit the start record already crosses: nothing runs, nothing is cut.
size=$(wc -c <"$LOG")
before=$(store_sum)
limited $((size + 10)) reset A B
expect_rc 4
err_has "the plan was not started: the audit log $LOG could not be written: File too large"
err_has "nothing was changed"
[ "$(wc -c <"$LOG")" = "$size" ] || fail "a record that did not fit was left in part"
[ "$(store_sum)" = "$before" ] || fail "a plan that could not be recorded changed the store"
[ ! -e "$STORE/journal/current" ] || fail "a plan that could not be recorded left a journal"

# A record cut by something else (a line without its newline) is never
# joined by the next one: that one starts on a new line.
printf '2026-11-22T10:00:00Z event=step result=ok op=cut' >>"$LOG"
tm reset A B
expect_rc 0
grep -q '^2026-11-22T10:00:00Z event=step result=ok op=cut$' "$LOG" ||
	fail "the next record was written on the line of a cut one"
tail -n 1 "$LOG" | grep -q 'event=end result=ok op=reset' || fail "no end record after the cut line"
exit 0
