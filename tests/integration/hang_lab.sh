#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Hung Kerberos servers on a real lab: B's krb5kdc, then B's kadmind, is
# stopped with SIGSTOP (it keeps accepting connections in the kernel and
# never answers: a hung or overloaded server), before a command and in the
# middle of a plan (TM_TEST_PAUSE_AFTER_STEP). Every command must end within
# a bound (3 x the timeout + 2 s) with an exit status other than 0 and a
# message naming the server, the realm and the timeout; after SIGCONT an
# interrupted plan is reported by `trustmgr journal`, `trustmgr resume`
# finishes it and `trustmgr verify` passes. The configuration is the lab's
# with `timeout = 2`. A stopped daemon is always continued, and the lab
# stopped, on exit. Prints "hang-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=hang-lab
LAB_TMP=hanglab
. "$(dirname "$0")/lab_lib.sh"

TIMEOUT=2
BOUND_MS=$(((3 * TIMEOUT + 2) * 1000))
stopped=""
cont_all() {
	for p in $stopped; do kill -CONT "$p" 2>/dev/null; done
	stopped=""
}
bg_pid=""
cleanup() {
	cont_all
	if [ -n "$bg_pid" ]; then kill "$bg_pid" 2>/dev/null; fi
	sh "$top/tests/lab/lab.sh" stop "$lab" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

{ printf '[trustmgr]\n    timeout = %s\n' "$TIMEOUT"; cat "$TRUSTMGR_CONFIG"; } >"$tmp/tm.conf"
export TRUSTMGR_CONFIG="$tmp/tm.conf"

hang() {               # hang X krb5kdc|kadmind: SIGSTOP it
	p=$(tr -dc 0-9 <"$lab/$1/$2.pid")
	kill -STOP "$p" && stopped="$stopped $p"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# timed DESCRIPTION WANT_TEXT... -- trustmgr args: rc != 0, within the bound,
# each WANT_TEXT (fixed string) in stdout+stderr.
timed() {
	what=$1; shift
	wants=""
	while [ "$1" != -- ]; do wants="$wants
$1"; shift; done
	shift
	t0=$(now_ms)
	tm "$@"; rc=$?
	ms=$(($(now_ms) - t0))
	judge "$what" "$rc" "$ms" "$wants"
}
judge() {              # judge DESCRIPTION RC MS WANTS
	[ -n "${HANG_VERBOSE:-}" ] && { echo "== $1 (rc $2, $3 ms)"; cat "$tmp/out" "$tmp/err"; }
	if [ "$2" -ne 0 ]; then ok; else bad "$1: exit status 0 with a hung server"; fi
	if [ "$3" -le "$BOUND_MS" ]; then ok; else bad "$1: took $3 ms (bound $BOUND_MS ms)"; fi
	printf '%s\n' "$4" | while IFS= read -r w; do
		[ -n "$w" ] || continue
		if grep -qF -- "$w" "$tmp/out" "$tmp/err"; then echo ok; else echo "bad $w"; fi
	done >"$tmp/judge"
	while read -r v w; do
		if [ "$v" = ok ]; then ok; else
			bad "$1: the message does not say '$w'"; sed 's/^/    /' "$tmp/out" "$tmp/err"; fi
	done <"$tmp/judge"
}
no_pending() {
	"$BIN" journal >"$tmp/j.out" 2>&1
	grep -q "No interrupted plan" "$tmp/j.out"
}

expect_rc 0 "create the trust" -- create A B
expect_rc 0 "verify before" -- verify A B

KDC_B="KDC of realm B.LAB.TEST"
KADM_B="kadmin server of realm B.LAB.TEST"

# ---- B's KDC hung before the command -------------------------------------------
hang B krb5kdc
timed "verify, KDC hung" "$KDC_B" "$TIMEOUT s" -- verify A B
timed "reset, KDC hung" "$KDC_B" "$TIMEOUT s" "systemctl status krb5-kdc" -- reset A B
timed "health, KDC hung" "B.LAB.TEST" "$TIMEOUT s" -- health
cont_all
check "KDC hung: no half-done plan left" no_pending
expect_rc 0 "verify after the KDC is back" -- verify A B

# ---- B's kadmind hung before the command ---------------------------------------
hang B kadmind
timed "verify, kadmind hung" "$KADM_B" "$TIMEOUT s" -- verify A B
timed "reset, kadmind hung" "$KADM_B" "$TIMEOUT s" "systemctl status krb5-admin-server" -- reset A B
timed "health, kadmind hung" "$KADM_B" "$TIMEOUT s" -- health
cont_all
check "kadmind hung: no half-done plan left" no_pending
expect_rc 0 "verify after kadmind is back" -- verify A B

# ---- kadmind hangs in the middle of a plan -------------------------------------
# reset: 1-2 TDOs (A, B), 3 key on A, 4 key on B (B's kadmin session is open
# by then: the hang comes mid-session), 5-6 the other direction, 7-8 verify.
pause=$tmp/pause
mkdir -p "$pause" && mkfifo "$pause/paused" "$pause/resume"
TM_TEST_PAUSE_AFTER_STEP=3 TM_TEST_PAUSE_DIR=$pause "$BIN" reset A B >"$tmp/out" 2>"$tmp/err" &
bg_pid=$!
read -r line <"$pause/paused"
check "reset paused after step 3" [ "$line" = "paused 3" ]
hang B kadmind
t0=$(now_ms)
echo go >"$pause/resume"
wait "$bg_pid"; rc=$?
bg_pid=""
judge "reset, kadmind hung after step 3" "$rc" "$(($(now_ms) - t0))" "$KADM_B
$TIMEOUT s
trustmgr resume"
cont_all
tm journal
if grep -q "Interrupted plan: reset A B" "$tmp/out" "$tmp/err"; then ok; else
	bad "journal does not report the interrupted reset"; sed 's/^/    /' "$tmp/out" "$tmp/err"; fi
expect_rc 0 "resume the reset once kadmind is back" -- resume
check "reset resumed: nothing pending" no_pending
expect_rc 0 "verify after the resumed reset" -- verify A B
check "A trusts B: tickets cross (kvno)" crosses B A

# ---- the permit/trust flow: B's KDC hangs before the proof and after it ---------
expect_rc 0 "remove the trust" -- remove A B --sides both
printf 'Initial-Password-7\n' >"$tmp/pw"
expect_rc 0 "B permits A" -- --password-file "$tmp/pw" permit B A
hang B krb5kdc
timed "trust (prove), KDC hung" "$KDC_B" "$TIMEOUT s" -- --password-file "$tmp/pw" trust A B
cont_all
check "trust with a hung KDC: no half-done plan left" no_pending
# trust: 1 prove, 2 kpasswd change on B, 3 B's TDO, 4 A's TDO, 5 A's key, 6 verify
TM_TEST_PAUSE_AFTER_STEP=1 TM_TEST_PAUSE_DIR=$pause "$BIN" --password-file "$tmp/pw" trust A B \
	>"$tmp/out" 2>"$tmp/err" &
bg_pid=$!
read -r line <"$pause/paused"
check "trust paused after the proof" [ "$line" = "paused 1" ]
hang B krb5kdc
t0=$(now_ms)
echo go >"$pause/resume"
wait "$bg_pid"; rc=$?
bg_pid=""
judge "trust, KDC hung after the proof" "$rc" "$(($(now_ms) - t0))" "$KDC_B
$TIMEOUT s"
cont_all
check "trust stopped before writing: nothing pending" no_pending
expect_rc 0 "trust again once the KDC is back (the proof did not use the chance)" -- \
	--password-file "$tmp/pw" trust A B
expect_rc 0 "verify the established trust" -- verify A B

# ---- kpasswd hangs after the change request left: the plan is kept ---------------
# B's kadmind (which serves kpasswd) stopped after the proof: the change
# request is sent and never answered, so it may still be made when kadmind
# wakes up. The plan must stay reported (not closed as "nothing written"),
# the message must say the change may or may not be made, and discard must
# forget it once the administrators settled the trust by hand.
expect_rc 0 "remove the trust (kpasswd case)" -- remove A B --sides both
expect_rc 0 "B permits A (kpasswd case)" -- --password-file "$tmp/pw" permit B A
TM_TEST_PAUSE_AFTER_STEP=1 TM_TEST_PAUSE_DIR=$pause "$BIN" --password-file "$tmp/pw" trust A B \
	>"$tmp/out" 2>"$tmp/err" &
bg_pid=$!
read -r line <"$pause/paused"
check "trust paused after the proof (kpasswd case)" [ "$line" = "paused 1" ]
hang B kadmind
t0=$(now_ms)
echo go >"$pause/resume"
wait "$bg_pid"; rc=$?
bg_pid=""
judge "trust, kpasswd hung after the request" "$rc" "$(($(now_ms) - t0))" "may or may not
$TIMEOUT s"
check "the kpasswd hang names the step" grep -q "changed the password of krbtgt/A.LAB.TEST@B.LAB.TEST" "$tmp/err"
cont_all
check "an unanswered kpasswd change leaves the plan reported" not no_pending
expect_rc 0 "discard the unsure plan" -- discard
check "nothing pending after discard" no_pending

echo "hang-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
