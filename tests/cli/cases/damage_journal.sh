# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 7: a damaged journal is not a dead end. With
# journal/current overwritten, rollback, resume and discard refuse (exit
# status 4, STATUS_INTERNAL_DB_CORRUPTION naming the journal) and change
# nothing; `trustmgr journal` shows what it can read and names the damage;
# `trustmgr discard --force` moves the journal and its before-images aside
# (a copy is kept, and the message says where), records the discard in the
# audit trail, and the store works again. A changed byte in a progress line
# and a FIFO where the journal belongs are damage too.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/audit_lib.sh"

setup_abc() {
	rm -rf "$STORE"
	tm domain add A --dns a.example --netbios A --sid S-1-5-21-1-2-3 --functional-level 2016
	expect_rc 0
	tm domain add B --dns b.example --netbios B --sid S-1-5-21-4-5-6 --functional-level 2016
	expect_rc 0
	tm domain add C --dns c.example --netbios C --sid S-1-5-21-7-8-9 --functional-level 2016
	expect_rc 0
	tm create A B
	expect_rc 0
	tm create A C --direction outbound
	expect_rc 0
}

killed() {
	step=$1
	shift
	LAST="$* (TM_TEST_KILL_AFTER_STEP=$step)"
	TM_TEST_KILL_AFTER_STEP=$step trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

J=$STORE/journal/current

# Every file of every domain (store_sum would count the kept journals too).
domains_sum() {
	(cd "$STORE" && find ./domains -type f | LC_ALL=C sort |
		while read -r f; do sha256sum "$f"; done)
}

setup_abc
killed 2 reset A B
expect_rc 137
mid=$(domains_sum)
printf 'overwritten by something else\n' >"$J"

for cmd in rollback resume discard; do
	tm $cmd
	expect_rc 4
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: the journal of an interrupted plan, $J, is damaged at line 1"
	err_has "trustmgr discard --force"
	err_lacks "or remove"
	[ "$(domains_sum)" = "$mid" ] || fail "'$cmd' changed the store"
done
tm create B C
expect_rc 4
err_has "discard --force"
tm list A
expect_rc 0
err_starts "warning: STATUS_INTERNAL_DB_CORRUPTION"
out_has "A (a.example)"

tm journal
expect_rc 4
out_has "Interrupted plan: unknown (the journal cannot be used"
err_has "$J, is damaged at line 1"
tm journal --json
expect_rc 4
json_ok
json_eq 'd["interrupted"]' True
json_eq 'd["damaged"]' True
json_eq 'd["status"]' STATUS_INTERNAL_DB_CORRUPTION

tm discard --force
expect_rc 0
out_has "Set the interrupted 'unknown' plan aside in $STORE/journal.discarded."
out_has "no domain was changed"
out_has "Its journal could not be used"
aside=$(ls -d "$STORE"/journal.discarded.*)
[ -d "$aside" ] || fail "no journal.discarded folder"
[ "$(cat "$aside/current")" = "overwritten by something else" ] || fail "the journal was not kept"
[ -f "$aside/before/B.domain.ldif" ] && [ -f "$aside/before/B.domain.ldif.sum" ] ||
	fail "the before-images were not kept"
[ "$(stat -c %a "$aside")" = 700 ] || fail "the kept journal is not private"
[ ! -e "$J" ] || fail "the damaged journal is still in place"
[ "$(domains_sum)" = "$mid" ] || fail "discard --force changed a domain"
audit_has "$STORE/audit.log" event=discard
audit_has "$STORE/audit.log" event=end result=discarded

tm journal
expect_rc 0
out_has "No interrupted plan"
tm reset A B
expect_rc 0
tm verify A B
expect_rc 0

# What can be read of a journal is shown: its id, start and process.
killed 3 reset A B
expect_rc 137
printf 'done 7 00000000\n' >>"$J"
tm journal
expect_rc 4
out_has "Interrupted plan: reset"
out_has "Journal:"
out_has "Started:"
out_has "3 of 8 steps done"
err_has "a progress line does not match its checksum"
tm rollback
expect_rc 4
# one changed byte in a progress line of its own is found as well
"$TM_PYTHON" -c 'import sys; p = sys.argv[1]; d = open(p, "rb").read(); d = d.replace(b"done 7 00000000\n", b""); i = d.rindex(b"done 1 "); d = d[:i] + b"done 4" + d[i + 6:]; open(p, "wb").write(d)' "$J"
tm rollback
expect_rc 4
err_has "a progress line does not match its checksum"
tm discard --force
expect_rc 0
out_has "Set the interrupted 'reset' plan aside"

# A FIFO where the journal belongs: refused at once, set aside on request.
killed 2 reset A B
expect_rc 137
rm -f "$J"
mkfifo "$J"
tm journal
expect_rc 4
err_has "is a FIFO (named pipe)"
tm rollback
expect_rc 4
err_has "is a FIFO (named pipe)"
tm discard --force
expect_rc 0
[ "$(ls -d "$STORE"/journal.discarded.* | wc -l)" -eq 3 ] || fail "three journals should be kept"
tm journal
expect_rc 0
out_has "No interrupted plan"

# Nothing to set aside: said, and nothing made.
tm discard --force
expect_rc 0
out_has "Nothing to discard"
[ "$(ls -d "$STORE"/journal.discarded.* | wc -l)" -eq 3 ] || fail "an empty folder was made"
