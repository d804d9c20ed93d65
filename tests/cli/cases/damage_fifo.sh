# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 2: odd files never block. A FIFO (or a folder)
# where a store file belongs — a domain file, a health file, a keytab, the
# journal, the lock file — is refused at once with a message naming it and
# saying what it is; no command waits on it. Each run is bounded by
# timeout(1) only so that a regression fails instead of hanging the suite
# (status 124 is reported as "blocked").
. "$TM_LIB"

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

bounded() {
	LAST="$*"
	timeout 120 trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	valgrind_check
	[ "$RC" != 124 ] || fail "blocked on an odd file"
}

# odd FILE KIND: put a KIND (fifo or folder) at FILE (below the store),
# keeping the real file aside.
odd() {
	mv "$STORE/$1" real.file
	case $2 in
	fifo) mkfifo "$STORE/$1" ;;
	folder) mkdir "$STORE/$1" ;;
	socket) "$TM_PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$STORE/$1" ;;
	device) ln -s /dev/zero "$STORE/$1" ;;
	fifolink) rm -f "$PWD/a.fifo"; mkfifo "$PWD/a.fifo"; ln -s "$PWD/a.fifo" "$STORE/$1" ;;
	esac
}

back() {
	rm -rf "${STORE:?}/$1"
	mv real.file "$STORE/$1"
}

# expect CMD... : exit status $want and, when it fails, the odd file named
expect() {
	bounded "$@"
	expect_rc "$want"
	if [ "$want" != 0 ]; then
		err_has "$STORE/$f"
		err_has "$what"
	fi
}

# what_of KIND: how the message describes it
what_of() {
	case $1 in
	fifo | fifolink) what="is a FIFO (named pipe), not a regular file" ;;
	folder) what="is a folder, not a regular file" ;;
	socket) what="is a socket, not a regular file" ;;
	device) what="is a device, not a regular file" ;;
	esac
}

# A socket was called a FIFO; a symbolic link is followed, as open does.
for kind in fifo folder socket device fifolink; do
	what_of $kind

	f=domains/C/domain.ldif
	odd "$f" $kind
	want=4; expect list A; expect health; expect domain list; expect show A C
	back "$f"

	f=domains/A/health
	odd "$f" $kind
	want=4; expect list A; expect health
	want=0; expect domain list
	back "$f"

	f=domains/B/krb5.keytab
	odd "$f" $kind
	want=4; expect health; expect verify A B; expect reset A B
	want=0; expect list A; expect domain list
	back "$f"

	f=lock
	odd "$f" $kind
	want=4; expect list A; expect health; expect domain list
	back "$f"
done

# The journal: reading commands warn and go on; the journal commands say
# what it is, and discard --force sets it aside.
mkfifo "$STORE/journal/current"
bounded list A
expect_rc 0
err_starts "warning: STATUS_INTERNAL_DB_CORRUPTION: the journal ($STORE/journal/current) is a FIFO"
bounded domain list
expect_rc 0
bounded health
expect_rc 0
bounded rollback
expect_rc 4
err_has "is a FIFO (named pipe)"
bounded create B C
expect_rc 4
bounded discard --force
expect_rc 0
out_has "journal.discarded."
bounded create B C
expect_rc 0

# Every file of an interrupted plan's journal (the journal, each
# before-image and its sum record) as each odd kind: rollback, resume and
# journal refuse at once naming it, nothing changes; discard --force sets
# it aside.
domains_sum() {
	(cd "$STORE" && find domains -type f | LC_ALL=C sort | while read -r x; do sha256sum "$x"; done)
}
TM_TEST_KILL_AFTER_STEP=2 trustmgr reset A B >/dev/null 2>&1 </dev/null
mid=$(domains_sum)
for f in journal/current $(cd "$STORE" && ls journal/before/*); do
	for kind in fifo socket device fifolink folder; do
		what_of $kind
		odd "$f" $kind
		want=4; expect rollback; expect resume; expect journal
		[ "$(domains_sum)" = "$mid" ] || fail "a refused rollback changed the store ($f as $kind)"
		back "$f"
	done
done
bounded rollback
expect_rc 0

# A configuration that includes a FIFO (directly, through includedir, or
# through another included file): the profile library's open() waited for
# ever; now it is refused at once.
mkfifo inc.fifo
mkdir incdir
mkfifo incdir/more.conf
printf 'include %s/inc.fifo\n[trustmgr]\n    state_dir = %s/state\n' "$PWD" "$PWD" >c1.conf
printf 'includedir %s/incdir\n[trustmgr]\n    state_dir = %s/state\n' "$PWD" "$PWD" >c2.conf
printf 'include %s/c1.conf\n' "$PWD" >c3.conf
for c in c1 c2 c3; do
	bounded --config "$PWD/$c.conf" domain list
	expect_rc 2
	err_has "which is a FIFO (named pipe), not a regular file"
	err_has "remove the include line"
done
