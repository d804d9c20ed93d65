# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 4: the temporary files of atomic writes
# (NAME.tmp.PID, which may hold trust secrets) do not pile up. Those a
# process left when it died are removed by the next command that takes the
# store lock: a keytab's and a domain file's of a pid that is gone, one of
# a pid that now runs another program. One of a live trustmgr (a plan
# paused at a step boundary in another store, held there by a FIFO) is
# kept. No command leaves one behind, when it succeeds or when it fails.
. "$TM_LIB"

tm domain add A --dns a.example --netbios A --sid S-1-5-21-1-2-3 --functional-level 2016
expect_rc 0
tm domain add B --dns b.example --netbios B --sid S-1-5-21-4-5-6 --functional-level 2016
expect_rc 0
tm create A B
expect_rc 0

no_temps() {
	left=$(find "$STORE" -name '*.tmp.*' | sort)
	[ -z "$left" ] || fail "temporary files left behind: $left"
}
no_temps

# A live trustmgr: a plan in another store, paused after its first step.
OTHER=$PWD/other
P=$PWD/pause
mkdir "$P"
mkfifo "$P/paused" "$P/resume"
tm --store "$OTHER" domain add X --dns x.example --netbios X --sid S-1-5-21-11-12-13
expect_rc 0
tm --store "$OTHER" domain add Y --dns y.example --netbios Y --sid S-1-5-21-14-15-16
expect_rc 0
TM_TEST_PAUSE_AFTER_STEP=1 TM_TEST_PAUSE_DIR=$P trustmgr --store "$OTHER" create X Y \
	>paused.out 2>paused.err </dev/null &
live=$!
trap 'kill -KILL $live 2>/dev/null' EXIT
read -r line <"$P/paused"
[ "$line" = "paused 1" ] || fail "the plan in the other store did not pause ('$line')"

# A pid that is gone, and one that runs another program now (this shell).
sh -c 'exit 0' &
dead=$!
wait "$dead"
[ ! -d "/proc/$dead" ] || fail "pid $dead is still there"
printf 'key bytes\n' >"$STORE/domains/B/krb5.keytab.tmp.$dead"
printf 'half an entry\n' >"$STORE/domains/A/domain.ldif.tmp.$dead"
printf 'half a journal\n' >"$STORE/journal/current.tmp.$dead"
printf 'pid reused\n' >"$STORE/domains/B/health.tmp.$$"
printf 'being written\n' >"$STORE/domains/B/krb5.keytab.tmp.$live"

tm list A
expect_rc 0
out_has "B         b.example"
[ ! -e "$STORE/domains/B/krb5.keytab.tmp.$dead" ] || fail "the keytab temp of dead pid $dead is still there"
[ ! -e "$STORE/domains/A/domain.ldif.tmp.$dead" ] || fail "the domain file temp of dead pid $dead is still there"
[ ! -e "$STORE/journal/current.tmp.$dead" ] || fail "the journal temp of dead pid $dead is still there"
[ ! -e "$STORE/domains/B/health.tmp.$$" ] || fail "the temp of pid $$ (not a trustmgr) is still there"
[ -e "$STORE/domains/B/krb5.keytab.tmp.$live" ] || fail "the temp of the live trustmgr $live was removed"
tm journal
expect_rc 0
out_lacks "tmp"

# Let the paused plan finish; its temp is a leftover now and goes too.
echo go >"$P/resume"
wait "$live"
rc=$?
trap - EXIT
[ "$rc" = 0 ] || fail "the paused plan ended with $rc: $(cat paused.err)"
tm list A
expect_rc 0
no_temps

# Nothing is left by commands that write, also when they fail.
tm reset A B
expect_rc 0
no_temps
cp "$STORE/domains/B/krb5.keytab" kt.saved
head -c 100 kt.saved >"$STORE/domains/B/krb5.keytab"
tm reset A B
expect_rc 4
no_temps
cp kt.saved "$STORE/domains/B/krb5.keytab"
tm rotate A B
expect_rc 0
no_temps

# Before-images no journal names (a plan that died while it took them,
# before it wrote its journal: made here from a killed reset whose journal
# is then taken away) hold trust secrets and are of no use: the next
# command that takes the store lock, even one that only reads, removes
# them (also the real-domain backend's, in journal/directory) and leaves
# the store as it was. Images a journal names stay, also
# when that journal is damaged.
before=$(store_sum)
TM_TEST_KILL_AFTER_STEP=1 trustmgr reset A B >/dev/null 2>&1 </dev/null
[ -s "$STORE/journal/before/B.krb5.keytab" ] || fail "the killed reset took no before-images"
cp "$STORE/journal/current" journal.saved
tm rollback
expect_rc 0
[ "$(store_sum)" = "$before" ] || fail "the rollback did not restore the store"
mkdir -p "$STORE/journal/before"
cp "$STORE/domains/B/krb5.keytab" "$STORE/journal/before/B.krb5.keytab"
cp "$STORE/domains/B/domain.ldif" "$STORE/journal/before/B.domain.ldif"
# the real-domain backend's images of its domains, in its state store
mkdir -p "$STORE/journal/directory"
cp "$STORE/domains/B/domain.ldif" "$STORE/journal/directory/B.ldif"
printf 'present\n' >"$STORE/journal/directory/B.state"
tm list A
expect_rc 0
left=$(ls -A "$STORE/journal/before" "$STORE/journal/directory" | grep -v ':$' | grep -v '^$')
[ -z "$left" ] || fail "before-images no journal names were kept: $left"
[ "$(store_sum)" = "$before" ] || fail "removing the orphaned before-images changed the store"
# a damaged journal keeps its images (discard --force moves them aside)
printf 'garbage\n' >"$STORE/journal/current"
cp "$STORE/domains/B/krb5.keytab" "$STORE/journal/before/B.krb5.keytab"
tm list A
[ -e "$STORE/journal/before/B.krb5.keytab" ] || fail "an image of a damaged journal was removed"
tm discard --force
expect_rc 0
no_temps
[ -z "$(ls -A "$STORE/journal/before" 2>/dev/null)" ] || fail "discard --force left images"
