# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# lib.sh - helpers for the command-line scenario cases (sourced by each case).
#
#   tm ARGS...          run trustmgr; stdout in $OUT, stderr in $ERR, status in $RC
#   tm_stdin FILE ARGS  the same with standard input from FILE
#   expect_rc N         the last run exited with N
#   out_has / out_lacks / err_has / err_lacks TEXT   fixed-string checks
#   err_starts TEXT     the first line of stderr starts with TEXT
#   json_ok             stdout is one valid JSON document
#   json_eq EXPR VALUE  python EXPR over the document d prints VALUE
#   pty_scenario NAME   run scenario NAME of tty.py (a real pseudo-terminal); it must hold
#   json_error STATUS N stdout is the --json error object: version 1, error
#                       status STATUS (an NTSTATUS name or None) and exit N
#   store_sum           checksums of every store file but the lock and journal
#   add_corp / add_sales / add_partner / add_legacy   well-known domains
#   pwfile NAME TEXT    write TEXT as the one line of file NAME
#   copy_store_as_user NAME   a copy of the store in $H for tmu (below)
#   tmu ARGS...         trustmgr on that copy as another user ($who)
# Every check that fails prints what was expected and both outputs, then exits 1.
set -u

OUT=$PWD/out.txt
ERR=$PWD/err.txt
RC=0
LAST=
: >"$OUT"
: >"$ERR"

fail() {
	echo "FAIL ($TM_CASE): $*"
	echo "  command: trustmgr $LAST"
	echo "  --- stdout"
	sed 's/^/  | /' "$OUT"
	echo "  --- stderr"
	sed 's/^/  | /' "$ERR"
	exit 1
}

valgrind_check() {
	if [ "${TM_VALGRIND:-}" = 1 ] && [ "$RC" = 99 ]; then
		fail "valgrind reported memory errors"
	fi
}

tm() {
	LAST="$*"
	trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	valgrind_check
}

tm_stdin() {
	input=$1
	shift
	LAST="$* < $input"
	trustmgr "$@" >"$OUT" 2>"$ERR" <"$input"
	RC=$?
	valgrind_check
}

expect_rc() {
	[ "$RC" = "$1" ] || fail "exit status $RC, expected $1"
}

out_has() {
	grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"
}

out_lacks() {
	! grep -qF -- "$1" "$OUT" || fail "stdout should not contain: $1"
}

err_has() {
	grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"
}

err_lacks() {
	! grep -qF -- "$1" "$ERR" || fail "stderr should not contain: $1"
}

err_starts() {
	first=$(head -n 1 "$ERR")
	case $first in
	"$1"*) ;;
	*) fail "stderr should start with: $1" ;;
	esac
}

out_empty() {
	[ ! -s "$OUT" ] || fail "stdout should be empty"
}

json_ok() {
	"$TM_PYTHON" -c 'import json,sys; json.load(sys.stdin)' <"$OUT" ||
		fail "stdout is not valid JSON"
}

pty_scenario() {
	LAST="(pty) $1"
	"$TM_PYTHON" "$(dirname "$TM_LIB")/tty.py" "$1" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
}

json_error() {
	json_ok
	json_eq 'd["version"]' 1
	json_eq 'd["error"]["status"]' "$1"
	json_eq 'd["error"]["exit"]' "$2"
}

json_eq() {
	got=$("$TM_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print('"$1"')' <"$OUT") ||
		fail "cannot evaluate $1 on the JSON output"
	[ "$got" = "$2" ] || fail "JSON $1 is '$got', expected '$2'"
}

store_sum() {
	(cd "$STORE" && find . -type f ! -name lock ! -name audit.log ! -path './journal/*' | LC_ALL=C sort |
		while read -r f; do sha256sum "$f"; done)
}

domain_sum() {
	(cd "$STORE" && find ./domains -type f \( -name domain.ldif -o -name krb5.keytab \) |
		LC_ALL=C sort | while read -r f; do sha256sum "$f"; done)
}

pwfile() {
	printf '%s\n' "$2" >"$1"
}

add_corp() {
	tm domain add CORP --dns corp.example --netbios CORP \
		--sid S-1-5-21-1004336348-1177238915-682003330 --functional-level 2016
	expect_rc 0
}

add_sales() {
	tm domain add SALES --dns sales.corp.example --netbios SALES \
		--sid S-1-5-21-1993962763-492894223-1202660629 --forest corp.example \
		--functional-level 2016
	expect_rc 0
}

add_partner() {
	tm domain add PARTNER --dns partner.example --netbios PARTNER \
		--sid S-1-5-21-2127521184-1604012920-1887927527 --functional-level 2012R2
	expect_rc 0
}

# locked -s|-x CMD...: trustmgr CMD while flock(1) holds the store's lock
# shared (as a running reader does) or exclusive (as a change does); RC,
# OUT, ERR as tm sets them.
locked() {
	mode=$1
	shift
	LAST="$* (while flock $mode holds the lock)"
	flock "$mode" "$STORE/lock" timeout 60 trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	valgrind_check
}

# add_letters NAME...: the domains A, B, C (a.example, NetBIOS A, SID
# S-1-5-21-1-2-3; b.example ... 4-5-6; c.example ... 7-8-9) at level 2016.
add_letters() {
	for _al_n in "$@"; do
		case $_al_n in
		A) _al_sid=1-2-3 ;;
		B) _al_sid=4-5-6 ;;
		C) _al_sid=7-8-9 ;;
		*) fail "add_letters: no domain $_al_n" ;;
		esac
		tm domain add "$_al_n" --dns "$(echo "$_al_n" | tr A-Z a-z).example" --netbios "$_al_n" \
			--sid "S-1-5-21-$_al_sid" --functional-level 2016
		expect_rc 0
	done
}

# abc_store: the store of issue 12's reproductions: A, B and C, `create A B`
# and `create A C --direction outbound`.
abc_store() {
	add_letters A B C
	tm create A B
	expect_rc 0
	tm create A C --direction outbound
	expect_rc 0
}

# FAB, the root of the forest fabrikam.example, and EUROPE, a child domain
# of it (a partner that is not a forest root).
add_fab_europe() {
	tm domain add FAB --dns fabrikam.example --netbios FAB --sid S-1-5-21-500-600-700 \
		--functional-level 2016
	expect_rc 0
	tm domain add EUROPE --dns europe.fabrikam.example --netbios EUROPE \
		--sid S-1-5-21-501-601-701 --forest fabrikam.example --functional-level 2016
	expect_rc 0
}

add_legacy() {
	tm domain add LEGACY --kind nt4 --netbios LEGACY \
		--sid S-1-5-21-3623811015-3361044348-30300820 --nt-service-pack 6 \
		--lm-compat-level 4
	expect_rc 0
}

# copy_store_as_user NAME: copy the store into a new folder $H
# (/tmp/tm-NAME.XXXXXX, removed on exit) and define as_user CMD... and $who.
# Root reads and writes every folder, so as root CMD runs as nobody, who
# then owns the copy (take rights away with chown root); otherwise as this
# user (take them away with chmod).
copy_store_as_user() {
	H=$(mktemp -d "/tmp/tm-$1.XXXXXX") || fail "no temporary folder"
	trap 'rm -rf "$H"' EXIT
	chmod 755 "$H"
	cp -a "$STORE" "$H/store"
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed to run as nobody"
		chown -R nobody "$H/store"
		as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
		who=nobody
	else
		as_user() { "$@"; }
		who=$(id -un)
	fi
}

# tmu ARGS...: trustmgr on the copy of copy_store_as_user, as $who.
tmu() {
	LAST="--store $H/store $* (as $who)"
	as_user env HOME="$H" "$TM_BIN" --store "$H/store" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}
