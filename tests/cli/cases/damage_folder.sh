# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 8: a domain's folder that cannot be read, or whose
# domain.ldif was deleted while its keytab is still there, is never "a
# domain trustmgr does not know". An unreadable folder is a permission
# problem naming the folder and the user (exit status 4); a deleted
# domain.ldif is damage (STATUS_INTERNAL_DB_CORRUPTION, exit status 4);
# `domain list` names it instead of leaving it out, and `domain add`
# refuses the name instead of reusing the old keytab. An empty folder (an
# add that died before its first file) is no domain and may be added; a
# file where a domain's folder belongs is damage.
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

CDIR=$STORE/domains/C

# -- domain.ldif deleted, keytab still there -------------------------------
mv "$CDIR/domain.ldif" c.ldif.saved
kt_before=$(sha256sum <"$CDIR/krb5.keytab")
for cmd in "list A" "show A C" "domain list" "health" "verify A C"; do
	tm $cmd
	expect_rc 4
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: the domain C is damaged: its folder $CDIR holds"
	err_has "but no domain.ldif"
	err_lacks "not a domain trustmgr knows"
	out_empty
done
tm domain add C --dns c.example --netbios C --sid S-1-5-21-7-8-9 --functional-level 2016
expect_rc 4
err_has "no domain.ldif"
[ ! -e "$CDIR/domain.ldif" ] || fail "domain add wrote into the damaged folder"
[ "$(sha256sum <"$CDIR/krb5.keytab")" = "$kt_before" ] || fail "the old keytab was touched"
mv c.ldif.saved "$CDIR/domain.ldif"
tm verify A C
expect_rc 0

# -- an empty folder: no domain, and the name can be added ------------------
mkdir "$STORE/domains/D"
tm domain list
expect_rc 0
! grep -q '^D ' "$OUT" || fail "the empty folder D is listed as a domain"
tm domain add D --dns d.example --netbios D --sid S-1-5-21-17-18-19
expect_rc 0
tm domain list
expect_rc 0
out_has "d.example"

# -- a file where a folder belongs -------------------------------------------
printf 'not a folder\n' >"$STORE/domains/E"
tm domain list
expect_rc 4
err_has "the domain E is damaged: $STORE/domains/E should be its folder, but it is a regular file"
tm domain add E --dns e.example --netbios E --sid S-1-5-21-20-21-22
expect_rc 4
rm "$STORE/domains/E"

# -- an unreadable folder ---------------------------------------------------
# Root reads every folder, so as root the commands run as nobody on a copy
# of the store that nobody owns, with C's folder left to root.
copy_store_as_user damage-folder
if [ "$(id -u)" = 0 ]; then
	chown root "$H/store/domains/C"
	chmod 700 "$H/store/domains/C"
else
	chmod 000 "$H/store/domains/C"
fi
for cmd in "list A" "show A C" "domain list" "health" "list C"; do
	tmu $cmd
	expect_rc 4
	err_has "$H/store/domains/C"
	err_has "permission denied for $who (uid "
	err_lacks "not a domain trustmgr knows"
	err_lacks "domain add"
	out_empty
done
tmu domain add C --dns c.example --netbios C --sid S-1-5-21-7-8-9 --functional-level 2016
expect_rc 4
err_has "permission denied for $who"
[ "$(id -u)" = 0 ] || chmod 700 "$H/store/domains/C"

# -- every store file taken away from the user -------------------------------
# Each file, in turn, readable and writable by root only (chmod 000 when not
# root): every command that reads it fails with exit status 4, naming the
# file and the user, printing nothing; none says the domain is unknown.
# take FILE / give FILE: take the rights to FILE (below the copy) away, and back
take() {
	if [ "$(id -u)" = 0 ]; then chown root "$H/store/$1"; else chmod 000 "$H/store/$1"; fi
}
give() {
	if [ "$(id -u)" = 0 ]; then chown nobody "$H/store/$1"; else chmod 600 "$H/store/$1"; fi
}
denied() {
	file=$1
	shift
	for cmd in "$@"; do
		tmu $cmd
		expect_rc 4
		err_has "$H/store/$file"
		err_has "permission denied for $who"
		err_lacks "not a domain trustmgr knows"
		case $cmd in
		*--json) json_error None 4 ;;
		*) out_empty ;;
		esac
	done
}
if [ "$(id -u)" = 0 ]; then chown nobody "$H/store/domains/C"; fi
take domains/A/domain.ldif
denied domains/A/domain.ldif "list A" "domain list" "health" "show A B" "reset A B" "verify A B" "list A --json"
give domains/A/domain.ldif
take domains/A/health
denied domains/A/health "list A" "show A B" "reset A B" "show A B --json"
give domains/A/health
take domains/B/krb5.keytab
denied domains/B/krb5.keytab "show A B" "reset A B" "verify A B"
give domains/B/krb5.keytab
take lock
denied lock "list A" "domain list" "health" "reset A B"
give lock
take audit.log
denied audit.log "reset A B" "domain add F --dns f.example --netbios F --sid S-1-5-21-23-24-25"
give audit.log
tmu verify A B
expect_rc 0

# An interrupted plan whose before-image the user cannot read: rollback and
# resume refuse naming it, nothing changes; given back, rollback works.
TM_TEST_KILL_AFTER_STEP=2 as_user env HOME="$H" "$TM_BIN" --store "$H/store" reset A B \
	>/dev/null 2>&1 </dev/null
[ -e "$H/store/journal/current" ] || fail "the killed reset left no journal"
mid=$(cd "$H/store" && find domains -type f | LC_ALL=C sort | xargs sha256sum)
for f in journal/current journal/before/B.krb5.keytab journal/before/A.domain.ldif.sum; do
	take "$f"
	denied "$f" rollback resume
	[ "$(cd "$H/store" && find domains -type f | LC_ALL=C sort | xargs sha256sum)" = "$mid" ] ||
		fail "a refused rollback changed the store ($f)"
	give "$f"
done
tmu rollback
expect_rc 0
tmu verify A B
expect_rc 0

# The whole store read-only for the user (another user's, readable by all):
# every command, reading ones too, fails naming the store and the user.
if [ "$(id -u)" = 0 ]; then
	chown -R root "$H/store"
	chmod -R a+rX "$H/store"
	for cmd in "list A" "domain list" "health" "show A B" "verify A B" "reset A B" "journal" "rollback"; do
		tmu $cmd
		expect_rc 4
		err_has "$H/store"
		err_has "permission denied for $who"
		out_empty
	done
fi
