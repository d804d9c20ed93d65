# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# One state for every administrator: a store folder shared with a group
# (set-group-ID, mode 2770, as the package makes /var/lib/trustmgr) is used
# by two administrators, each a different user with their own HOME, both in
# the group; a third user outside the group is refused. What one of them
# left interrupted is seen, refused around, and finished by the other; what
# either creates stays the group's (files 0660, folders 2770). Judged with
# find, stat and the audit log's uid field as well as trustmgr's answers.
# The users are numeric ids switched to with setpriv (no account is made on
# the machine); it needs root, as CI is.
. "$TM_LIB"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	echo "shared_state: skipped (needs root and setpriv to act as three users)"
	exit 0
fi

GID=47110
U1=47101 U2=47102 U3=47103
top=$PWD
# The binary where the users can run it; every folder above the case's
# folder lets them through (the runner's temporary folder is private).
bin=$top/bin-copy
cp "$TM_BIN" "$bin" && chmod 755 "$bin" || fail "cannot copy the binary"
d=$top
while [ "$d" != / ]; do chmod o+x "$d" || fail "chmod o+x $d"; d=$(dirname "$d"); done
shared=$top/shared
mkdir "$shared" && chgrp "$GID" "$shared" && chmod 2770 "$shared" || fail "cannot make $shared"
for u in 1 2 3; do mkdir -p "$top/home$u" && chmod 700 "$top/home$u"; done
chown "$U1" "$top/home1"; chown "$U2" "$top/home2"; chown "$U3" "$top/home3"

# as N [VAR=VALUE ...] ARGS: run trustmgr as administrator N on the shared store.
as() {
	n=$1
	shift
	eval "uid=\$U$n"
	groups=$GID
	[ "$n" = 3 ] && groups=$uid
	vars=
	while [ $# -gt 0 ]; do case $1 in *=*) vars="$vars $1"; shift ;; *) break ;; esac; done
	LAST="(user $n) $*"
	# shellcheck disable=SC2086 # vars: VAR=VALUE words
	setpriv --reuid="$uid" --regid="$uid" --groups="$groups" \
		env -i PATH=/usr/bin:/bin HOME="$top/home$n" XDG_DATA_HOME="$top/home$n/data" \
		XDG_STATE_HOME="$top/home$n/state" LANG=C.UTF-8 TZ=UTC $vars \
		"$bin" --store "$shared" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

as 1 domain add CORP --dns corp.example --netbios CORP --sid S-1-5-21-1004336348-1177238915-682003330 --functional-level 2016
expect_rc 0
as 2 domain add PARTNER --dns partner.example --netbios PARTNER --sid S-1-5-21-2127521184-1604012920-1887927527 --functional-level 2012R2
expect_rc 0
as 1 domain add SALES --dns sales.corp.example --netbios SALES --sid S-1-5-21-1993962763-492894223-1202660629 --forest corp.example --functional-level 2016
expect_rc 0
as 2 create CORP PARTNER
expect_rc 0

# What they made is the group's: files 0660, folders 2770, group GID, and
# nothing readable by others.
bad=$(find "$shared" -mindepth 1 \( -type f ! -perm 0660 \) -o \( -type d ! -perm 2770 \) -o ! -group "$GID")
[ -z "$bad" ] || { ls -lR "$shared" >"$OUT"; fail "not shared with the group: $bad"; }
[ -n "$(find "$shared" -type f -user "$U1")" ] && [ -n "$(find "$shared" -type f -user "$U2")" ] ||
	fail "expected files written by both administrators"

as 2 state --json
expect_rc 0
json_eq '(d["shared"], d["state_dir"] == "'"$shared"'", d["domains"])' "(True, True, 3)"
as 1 state
expect_rc 0
out_has "shared with the group"

# Administrator 1's reset is killed half-way: administrator 2 sees it,
# cannot start another change meanwhile, and resumes it.
as 1 TM_TEST_KILL_AFTER_STEP=2 reset CORP PARTNER
expect_rc 137
as 2 journal
expect_rc 0
out_has "Interrupted plan: reset CORP PARTNER"
as 2 create CORP SALES
expect_rc 4
err_has "was interrupted after 2 of "
as 2 resume
expect_rc 0
as 2 verify CORP PARTNER
expect_rc 0
as 1 journal
expect_rc 0
out_has "No interrupted plan"

# Administrator 2 rolls back what administrator 1 left.
as 1 TM_TEST_KILL_AFTER_STEP=1 create CORP SALES
expect_rc 137
as 2 rollback
expect_rc 0
as 1 list CORP --json
expect_rc 0
json_eq '[t["partner"] for t in d["trusted"]]' "['partner.example']"

# The audit log names both administrators (its uid field), and is the group's.
audit=$shared/audit.log
[ "$(stat -c '%a %g' "$audit")" = "660 $GID" ] || fail "audit log: $(stat -c '%a %g' "$audit")"
grep -q "uid=$U1\b" "$audit" && grep -q "uid=$U2\b" "$audit" ||
	{ cp "$audit" "$OUT"; fail "the audit log does not name both administrators"; }

# Someone outside the group is refused, told why and what to do.
as 3 list CORP
expect_rc 4
err_has "permission denied"
err_has "uid $U3"

# Still the group's after all of it.
bad=$(find "$shared" -mindepth 1 \( -type f ! -perm 0660 \) -o \( -type d ! -perm 2770 \) -o ! -group "$GID")
[ -z "$bad" ] || { ls -lR "$shared" >"$OUT"; fail "not shared with the group: $bad"; }

# A private store stays private (0600 / 0700), as per-user state always was.
tm domain add SOLO --dns solo.example --netbios SOLO --sid S-1-5-21-11-12-13
expect_rc 0
bad=$(find "$STORE" -mindepth 1 \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \))
[ -z "$bad" ] || fail "the private store has other modes: $bad"
