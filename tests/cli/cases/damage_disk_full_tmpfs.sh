# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 3, on a disk that is really full: the store on a
# 256 KiB tmpfs (mounted in a user and mount namespace of this test, so no
# privilege is needed), filled so that 0, 1, 2 ... 16 pages are left when
# `create A B` runs, with audit logs of several lengths (so a record can
# meet the end of the space anywhere). Whatever step the disk stops:
#   - the audit log parses and ends with a whole record (never a record cut
#     mid-value, never the next record on the same line);
#   - no message says both that steps changed the store and that nothing
#     was changed;
#   - no temporary file (which may hold keys) is left;
#   - once there is room again: a kept plan rolls back to the store as it
#     was, byte for byte; without a plan a failed create changed nothing;
#     the other trust still verifies.
. "$TM_LIB"

if ! unshare -rm true 2>/dev/null; then
	echo "skipped: this system does not let the test make a user and mount namespace (unshare -rm)"
	exit 0
fi
mkdir mnt
# Everything below runs inside the namespace, where mnt is the tmpfs.
cat >inner.sh <<'EOF'
. "$TM_LIB"
M=$PWD/mnt
mount -t tmpfs -o size=256k tmpfs "$M" || fail "could not mount a tmpfs in the namespace"
STORE=$M/store
LOG=$STORE/audit.log
tms() { tm --store "$STORE" "$@"; }
dsum() {
	(cd "$STORE" && find domains -type f ! -name '*.tmp.*' | LC_ALL=C sort |
		while read -r f; do sha256sum "$f"; done)
}
for d in A:1-2-3 B:4-5-6 C:7-8-9; do
	n=${d%%:*}
	tms domain add "$n" --dns "$(echo "$n" | tr A-Z a-z).example" --netbios "$n" \
		--sid "S-1-5-21-${d#*:}" --functional-level 2016
	expect_rc 0
done
tms create A C --direction outbound
expect_rc 0
cp -a "$STORE" pristine
runs=0
kept=0
for lines in 1 4 7 11; do
	for pages in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 16; do
		rm -rf "$STORE" "$M/filler"
		cp -a pristine "$STORE"
		head -n "$lines" pristine/audit.log >"$LOG"
		before=$(dsum)
		free=$(df -B1 --output=avail "$M" | tail -n 1)
		fill=$((free - pages * 4096))
		[ "$fill" -gt 0 ] && head -c "$fill" /dev/zero >"$M/filler" 2>/dev/null
		tms create A B
		runs=$((runs + 1))
		what="create A B with $pages pages left, $lines audit records before"
		"$TM_PYTHON" "$(dirname "$TM_LIB")/audit_query.py" check "$LOG" >/dev/null ||
			fail "$what: the audit log does not parse"
		[ "$(tail -c 1 "$LOG" | od -An -c | tr -d ' ')" = '\n' ] ||
			fail "$what: the audit log does not end with a whole record"
		if grep -qi 'nothing was changed' "$ERR" &&
			grep -qi 'step [0-9]* of [0-9]* .*failed\|after earlier steps\|was done' "$ERR"; then
			fail "$what: the message contradicts itself"
		fi
		left=$(find "$STORE" -name '*.tmp.*')
		[ -z "$left" ] || fail "$what: temporary files left: $left"
		[ "$RC" = 0 ] || [ "$RC" = 4 ] || fail "$what: exit status $RC"
		rm -f "$M/filler"
		if [ -e "$STORE/journal/current" ]; then
			kept=$((kept + 1))
			tms rollback
			expect_rc 0
			[ "$(dsum)" = "$before" ] || fail "$what: the rollback did not restore the store"
		elif [ "$RC" != 0 ]; then
			[ "$(dsum)" = "$before" ] || fail "$what: a failed create changed the store"
			[ -z "$(ls -A "$STORE/journal/before" 2>/dev/null)" ] ||
				fail "$what: before-images left without a journal"
		fi
		tms verify A C
		expect_rc 0
	done
done
echo "$runs runs on a full tmpfs, $kept left a plan that was rolled back"
[ "$kept" -gt 0 ] || fail "no run stopped part-way: the fill sizes do not reach the plan's steps"
EOF
unshare -rm sh inner.sh
