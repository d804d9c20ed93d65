#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Two administrators, one state, real servers, tickets only: the plain
# realms B and C of the lab, a trustmgr.conf without a password file or
# keytab anywhere (kadmin_principal alone), a state folder and an audit
# log folder shared with a group (root:GID, mode 2770, as the package makes
# /var/lib/trustmgr and /var/log/trustmgr). Administrator 1 and 2 are two
# users (numeric ids through setpriv, each with their own HOME and their own
# DIR: credential cache collection holding both realms' admin/admin
# tickets). 1 creates the trust, then 1's rotate is killed half-way; 2 sees
# the interrupted plan, cannot start another change, and resumes it. Judged
# with kadmin getprinc on both KDCs (the same current key), kinit + kvno
# across the trust both ways, find/stat (group and modes) and the audit
# log's uid fields; a third user outside the group is refused. Needs root
# (CI is); prints "shared-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=shared-lab
LAB_TMP=sharedl
LAB_OPTS="--domains 1 --realms 2"
. "$(dirname "$0")/lab_lib.sh"
. "$(dirname "$0")/realm_lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	echo "shared-lab: skipped (needs root and setpriv to act as three users)"
	echo "shared-lab: 0 passed, 0 failed"
	exit 0
fi

GID=47210
U1=47201 U2=47202 U3=47203
# The users reach the binary, the lab's krb5.conf and their own files.
bin=$tmp/trustmgr
cp "$BIN" "$bin" && chmod 755 "$bin"
for d in "$tmp" "$lab"; do
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
done
chmod o+r "$KRB5_CONFIG"
shared=$tmp/shared
logs=$tmp/logs
for d in "$shared" "$logs"; do mkdir "$d" && chgrp "$GID" "$d" && chmod 2770 "$d"; done

# The lab's realms B and C, kadmin_principal alone (no keytab, no password).
conf=$tmp/shared.conf
{
	echo "[trustmgr]"
	echo "    state_dir = $shared"
	echo "    audit_log = $logs/audit.log"
	awk '/^    A = \{$/ { skip = 1 } skip && /^    }$/ { skip = 0; next } !skip' "$TRUSTMGR_CONFIG" |
		grep -v 'kadmin_keytab\|password_file'
} >"$conf"
chmod 644 "$conf"
check "trustmgr.conf: B and C with kadmin_principal alone" sh -c \
	"[ \$(grep -c 'kadmin_principal =' '$conf') = 2 ] && ! grep -q 'keytab\|password_file\|    A = {' '$conf'"

# kadmin/admin takes tickets got with a TGT in both realms.
for r in B C; do
	check "kadmin: kadmin/admin@$r.LAB.TEST +allow_tgs_req" \
		sh -c "$(command -v kadmin) -r $r.LAB.TEST -p admin/admin@$r.LAB.TEST -k -t $lab/$r/admin.keytab \
			-q 'modprinc +allow_tgs_req kadmin/admin@$r.LAB.TEST' 2>&1 | grep -q modified"
done
# Each administrator's collection: both realms' admin/admin tickets.
for n in 1 2 3; do
	eval "uid=\$U$n"
	mkdir -m 700 "$tmp/home$n" "$tmp/cc$n"
	for r in B C; do
		KRB5CCNAME=DIR:$tmp/cc$n kinit -k -t "$lab/$r/admin.keytab" "admin/admin@$r.LAB.TEST" ||
			bad "kinit admin/admin@$r.LAB.TEST for administrator $n"
	done
	chown -R "$uid" "$tmp/home$n" "$tmp/cc$n"
done

# as N [VAR=VALUE ...] ARGS: trustmgr as administrator N (3: outside the group).
as() {
	n=$1; shift
	eval "uid=\$U$n"
	groups=$GID
	[ "$n" = 3 ] && groups=$uid
	vars=
	while [ $# -gt 0 ]; do case $1 in *=*) vars="$vars $1"; shift ;; *) break ;; esac; done
	# shellcheck disable=SC2086 # vars: VAR=VALUE words
	setpriv --reuid="$uid" --regid="$uid" --groups="$groups" \
		env -i PATH=/usr/bin:/bin HOME="$tmp/home$n" KRB5_CONFIG="$KRB5_CONFIG" \
		KRB5CCNAME="DIR:$tmp/cc$n" TRUSTMGR_CONFIG="$conf" LANG=C.UTF-8 TZ=UTC $vars \
		"$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
}
# as_rc WANT N ARGS: as, expecting exit status WANT.
as_rc() {
	want=$1; n=$2; shift 2
	as "$n" "$@"; rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else
		bad "(administrator $n) trustmgr $*: exit $rc, wanted $want"; sed 's/^/    /' "$tmp/out" "$tmp/err"; fi
}
# group_only: everything in the shared folders is the group's, 0660 / 2770.
group_only() {
	[ -z "$(find "$shared" "$logs" -mindepth 1 \( -type f ! -perm 0660 \) -o \( -type d ! -perm 2770 \) -o ! -group "$GID")" ]
}

as_rc 0 1 create B C
check "kvno across the new trust (C's user into B)" crosses B C
check "kvno across it the other way" crosses C B
check "find: the state and the audit log are the group's (0660, 2770)" group_only
as_rc 0 2 state --json
check "state --json (administrator 2): shared, the configured folder" \
	json "d['shared'] and d['state_dir'] == '$shared' and d['audit_log'] == '$logs/audit.log'"

# Administrator 1's rotate dies after its second step.
kv=$(kvno_in B "$BC")
as 1 TM_TEST_KILL_AFTER_STEP=2 rotate B C
check "administrator 1: rotate B C killed after step 2 (exit 137)" test $? -eq 137
as_rc 0 2 journal
check "administrator 2's journal shows administrator 1's rotate" grep -q "Interrupted plan: rotate B C" "$tmp/out"
as_rc 4 2 reset B C
check "administrator 2's reset is refused while it is interrupted" grep -q "was interrupted after 2 of" "$tmp/err"
as_rc 0 2 resume
check "kadmin getprinc: $BC the same current key on both KDCs" same_current "$BC"
check "kadmin getprinc: $CB the same current key on both KDCs" same_current "$CB"
check "kadmin getprinc: $BC went past kvno $kv" gt "$(kvno_in B "$BC")" "$kv"
check "kvno across the rotated trust (into B)" crosses B C
check "kvno across the rotated trust (into C)" crosses C B
as_rc 0 1 journal
check "administrator 1's journal: nothing interrupted" grep -q "No interrupted plan" "$tmp/out"

# The audit trail: one log, both administrators.
check "audit log: the group's, mode 0660" test "$(stat -c '%a %g' "$logs/audit.log")" = "660 $GID"
check "audit log: records of administrator 1 (uid $U1)" grep -q "uid=$U1\b" "$logs/audit.log"
check "audit log: records of administrator 2 (uid $U2)" grep -q "uid=$U2\b" "$logs/audit.log"
check "find: still the group's after both" group_only

# Someone outside the group.
as_rc 4 3 list B
check "a user outside the group: permission denied, naming the user" grep -q "permission denied for .*$U3" "$tmp/err"

echo "shared-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
