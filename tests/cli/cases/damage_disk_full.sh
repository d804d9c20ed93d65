# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: a full disk never loses data and leaves nothing behind. The
# file size limit (ulimit -f, with SIGXFSZ ignored so a write fails with
# EFBIG as it would with ENOSPC) stops trustmgr's writes part-way: the
# command fails with exit status 4 naming the file and the reason, every
# store file is as it was, no temporary file and no before-image (which
# would hold trust secrets) is left, and once there is room the same
# command works.
. "$TM_LIB"

tm domain add A --dns a.example --netbios A --sid S-1-5-21-1-2-3 --functional-level 2016
expect_rc 0
tm domain add B --dns b.example --netbios B --sid S-1-5-21-4-5-6 --functional-level 2016
expect_rc 0
tm create A B
expect_rc 0

# The audit log is kept elsewhere and small, so the store's own writes are
# the ones that meet the limit.
: >"$PWD/audit.log"
limited() {
	blocks=$1
	shift
	LAST="$* (ulimit -f $blocks)"
	(trap '' XFSZ; ulimit -f "$blocks"; exec trustmgr --audit-log "$PWD/audit.log" "$@") \
		>"$OUT" 2>"$ERR" </dev/null
	RC=$?
	valgrind_check
}

nothing_left() {
	left=$(find "$STORE" -name '*.tmp.*' | sort)
	[ -z "$left" ] || fail "temporary files left: $left"
	[ -z "$(ls -A "$STORE/journal/before" 2>/dev/null)" ] || fail "before-images left behind"
	[ ! -e "$STORE/journal/current" ] || fail "a journal was left"
}

size=$(stat -c %s "$STORE/domains/A/domain.ldif")
blocks=$(( size / 512 - 1 ))         # too small for A's domain file
before=$(store_sum)
limited "$blocks" reset A B
expect_rc 4
err_has "could not write"
err_has "File too large"
err_has "free space"
[ "$(store_sum)" = "$before" ] || fail "a failed write changed the store"
nothing_left
tm verify A B
expect_rc 0
tm reset A B
expect_rc 0
nothing_left

# A domain whose first file cannot be written: no domain, and the name can
# be added once there is room. (A fresh audit log: its first record fits.)
: >"$PWD/audit.log"
limited 1 domain add C --dns c.example --netbios C --sid S-1-5-21-7-8-9
expect_rc 4
err_has "File too large"
nothing_left
tm domain list
expect_rc 0
out_lacks "c.example"
tm domain add C --dns c.example --netbios C --sid S-1-5-21-7-8-9
expect_rc 0
