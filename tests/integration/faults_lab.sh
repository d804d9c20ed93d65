#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Faults at every step boundary of every two-domain plan, on real servers.
# For create, reset, rotate, remove (both sides), recreate, permit and trust, the
# process is killed (SIGKILL, TM_TEST_KILL_AFTER_STEP) after each step in
# turn; the next run reports the interrupted plan; then
#   - rollback puts both domains back exactly as they were: the TDOs with
#     their trustAuth values (ldapsearch) and the trust principals' key
#     versions and policies (kadmin getprinc) are compared with a snapshot
#     taken before, and verify agrees with what was there;
#   - resume finishes the plan and verify (and kinit + kvno) agree.
# For create and reset the servers of the next step's domain (slapd and
# kadmind) are also stopped at each boundary (TM_TEST_PAUSE_AFTER_STEP):
# the plan stops with a message, is reported, and resumes once they are
# back. Prints "faults-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=faults-lab
LAB_TMP=faultlab
. "$(dirname "$0")/lab_lib.sh"

printf 'Initial-Password-1\n' >"$tmp/pw1"

# ---- snapshots ------------------------------------------------------------------
# principal_state X P: key versions, enctypes and policy of P in X's KDC, or "absent".
principal_state() {
	kadm "$1" "getprinc $2" | sed -n -e 's/^\(Key: vno .*\)$/\1/p' -e 's/^\(Policy: .*\)$/\1/p' \
		-e 's/.*does not exist.*/absent/p'
}
# snapshot: both domains' TDOs (every value, trustAuth included) and keys.
snapshot() {
	for X in A B; do
		echo "== $X"
		tdos_of "$X" | grep -v '^$'
		for P in "$AB" "$BA"; do echo "-- $P"; principal_state "$X" "$P"; done
	done
}
# verify_state: what verify says about A and B (exit status and the result lines).
verify_state() {
	"$BIN" verify A B >"$tmp/v.out" 2>&1
	echo "rc=$?"
	grep -E 'trusts' "$tmp/v.out" | sed 's/(kvno [0-9]*, /(/'
}

# clean: no trust at all between A and B (checked).
clean() {
	"$BIN" remove A B --sides both >/dev/null 2>&1
	"$BIN" remove B A --sides both >/dev/null 2>&1
	"$BIN" discard >/dev/null 2>&1
	if tdos_of A | grep -q '^trustPartner' || tdos_of B | grep -q '^trustPartner' ||
	   [ "$(principal_state A "$AB")" != absent ] || [ "$(principal_state B "$AB")" != absent ]; then
		bad "could not clean the lab between cases"
		snapshot
		return 1
	fi
}

# The plan's steps as "NUMBER DOMAIN KIND" lines (from --dry-run --json).
plan_steps() {
	"$BIN" "$@" --dry-run --json 2>/dev/null | "$PYTHON" -c '
import json, sys
for s in json.load(sys.stdin)["steps"]:
    print(s["number"], s["domain"], s["kind"])'
}
PYTHON=${TM_PYTHON:-python3}

# ---- servers: stop and start one lab server (its own command line again) ------------
# srv_stop X NAME (slapd|kadmind|krb5kdc): stop it, remembering how it ran.
srv_stop() {
	pidf="$lab/$1/$2.pid"
	pid=$(cat "$pidf")
	tr '\0' '\n' <"/proc/$pid/cmdline" >"$tmp/$1.$2.cmd"
	tr '\0' '\n' <"/proc/$pid/environ" | grep -E '^(KRB5_|PATH=|HOME=)' >"$tmp/$1.$2.env"
	kill -TERM "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
	kill -0 "$pid" 2>/dev/null && { bad "$1's $2 did not stop"; return 1; }
	return 0
}
# srv_start X NAME: start it again as it ran, and wait until it answers.
srv_start() {
	(
		x=$1 srv=$2
		set --
		while IFS= read -r a; do set -- "$@" "$a"; done <"$tmp/$x.$srv.cmd"
		while IFS= read -r v; do export "${v?}"; done <"$tmp/$x.$srv.env"
		if [ "$srv" = slapd ]; then
			"$@" >>"$lab/$x/slapd.log" 2>&1 &
			echo $! >"$lab/$x/slapd.pid"
		else
			"$@" >>"$lab/$x/$srv.out" 2>&1
		fi
	)
	i=0
	while [ $i -lt 200 ]; do
		case $2 in
		slapd) ldapsearch -x -LLL -ZZ -H "$(dom_uri "$1")" -b "" -s base namingContexts \
			>/dev/null 2>&1 && return 0 ;;
		kadmind) kadm "$1" listprincs | grep -q '^krbtgt/' && return 0 ;;
		krb5kdc) dom "$1"; kinit "user@$D_REALM" <"$D_DIR/user.pw" >/dev/null 2>&1 && return 0 ;;
		esac
		i=$((i + 1))
		sleep 0.05
	done
	bad "$1's $2 did not come back"
	return 1
}
dom_uri() { grep -A12 "^    $1 = {" "$TRUSTMGR_CONFIG" | sed -n 's/^ *ldap_uri = \(ldap:.*\)/\1/p' | head -n 1; }

# ---- one plan, killed after every step ---------------------------------------------
# kill_loop NAME SETUP AFTER -- ARGS...: SETUP (a function) makes the starting
# state; AFTER (a function) checks the state after a resume; ARGS is the plan.
kill_loop() {
	name=$1; setup=$2; after=$3; shift 4
	clean && $setup || return
	steps=$(plan_steps "$@" | wc -l)
	[ "$steps" -gt 1 ] || { bad "$name: no plan ($steps steps)"; return; }
	n=1
	while [ "$n" -lt "$steps" ]; do
		clean && $setup || return
		before=$(snapshot)
		vbefore=$(verify_state)
		TM_TEST_KILL_AFTER_STEP=$n "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		kills=$((kills + 2)) boundaries=$((boundaries + 1))
		[ "$rc" -eq 137 ] && ok || bad "$name: kill after step $n: exit $rc, wanted 137"
		expect_rc 4 "$name/$n: a change is refused while the plan is interrupted" -- reset A B
		check "$name/$n: the refusal names the interrupted plan" grep -q "interrupted" "$tmp/err"
		tm journal --json
		check "$name/$n: journal reports $n steps done" \
			"$PYTHON" -c "import json,sys; sys.exit(json.load(open('$tmp/out'))['done'] != $n)"
		expect_rc 0 "$name/$n: rollback" -- rollback
		after_rb=$(snapshot)
		if [ "$after_rb" = "$before" ]; then ok; else
			bad "$name/$n: rollback did not restore both domains"
			printf '%s\n' "$before" >"$tmp/before"; printf '%s\n' "$after_rb" >"$tmp/after"
			diff "$tmp/before" "$tmp/after" | sed 's/^/    /' | head -n 20
		fi
		vafter=$(verify_state)
		[ "$vafter" = "$vbefore" ] && ok || bad "$name/$n: verify after rollback says '$vafter', before '$vbefore'"

		TM_TEST_KILL_AFTER_STEP=$n "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ "$rc" -eq 137 ] && ok || bad "$name: second kill after step $n: exit $rc, wanted 137"
		expect_rc 0 "$name/$n: resume" -- resume --password-file "$tmp/pw1"
		$after "$name/$n"
		n=$((n + 1))
	done
}

# fifo_read F / fifo_write F: one line through a FIFO, giving up after
# FIFO_SECONDS when the other side never comes (a bound on a failure, not a
# wait for the program).
FIFO_SECONDS=${TM_FIFO_SECONDS:-120}
fifo_read() { timeout "$FIFO_SECONDS" sh -c 'read -r l <"$1" && echo "$l"' fifo "$1"; }
fifo_write() { timeout "$FIFO_SECONDS" sh -c 'echo go >"$1"' fifo "$1"; }

# ---- one plan, its next step's servers stopped at every boundary --------------------
stop_loop() {
	name=$1; setup=$2; after=$3; shift 4
	clean && $setup || return
	plan_steps "$@" >"$tmp/steps"
	total=$(wc -l <"$tmp/steps")
	n=1
	while [ "$n" -lt "$total" ]; do
		next=$(sed -n "$((n + 1))p" "$tmp/steps")
		ndom=$(echo "$next" | cut -d' ' -f2)
		kind=$(echo "$next" | cut -d' ' -f3)
		case $kind in verify) n=$((n + 1)); continue ;; esac
		clean && $setup || return
		rm -f "$tmp/paused" "$tmp/resume"
		mkfifo "$tmp/paused" "$tmp/resume"
		TM_TEST_PAUSE_AFTER_STEP=$n TM_TEST_PAUSE_DIR=$tmp "$BIN" "$@" >"$tmp/out" 2>"$tmp/err" &
		job=$!
		# Bounded, so a trustmgr that failed before the pause cannot hang the test.
		if ! line=$(fifo_read "$tmp/paused"); then
			bad "$name: the plan never paused after step $n"
			kill -KILL "$job" 2>/dev/null
			wait "$job"
			sed 's/^/    /' "$tmp/err"
			n=$((n + 1))
			continue
		fi
		srv_stop "$ndom" slapd && srv_stop "$ndom" kadmind
		stops=$((stops + 1))
		fifo_write "$tmp/resume" || kill -KILL "$job" 2>/dev/null
		wait "$job"
		rc=$?
		[ "$rc" -ne 0 ] && ok || bad "$name: $ndom's servers stopped after step $n ($line): exit 0"
		check "$name/$n: the failure names $ndom's server" grep -qi "$ndom\|ldap\|kadmin" "$tmp/err"
		check "$name/$n: the failure says how to go on" grep -q "resume" "$tmp/err"
		srv_start "$ndom" slapd
		srv_start "$ndom" kadmind
		tm journal --json
		check "$name/$n: journal reports $n steps done" \
			"$PYTHON" -c "import json,sys; sys.exit(json.load(open('$tmp/out'))['done'] != $n)"
		expect_rc 0 "$name/$n: resume once $ndom's servers are back" -- resume --password-file "$tmp/pw1"
		$after "$name/$n"
		n=$((n + 1))
	done
}

kills=0 boundaries=0 stops=0

# ---- starting states and checks --------------------------------------------------------
none() { :; }
# A setup that fails says why (its output, indented).
setup() {
	"$BIN" "$@" >"$tmp/setup.out" 2>&1 && return 0
	bad "setup: $* failed:"
	sed 's/^/    /' "$tmp/setup.out"
	return 1
}
two_way() { setup create A B; }
permitted() { setup permit B A --password-file "$tmp/pw1"; }
works_both() {
	expect_rc 0 "$1: verify A B after resume" -- verify A B
	check "$1: kinit user@B; kvno host/srv.a@A works" crosses B A
	check "$1: kinit user@A; kvno host/srv.b@B works" crosses A B
}
works_one() {
	expect_rc 0 "$1: verify A B after resume" -- verify A B
	check "$1: kinit user@B; kvno host/srv.a@A works" crosses B A
}
gone() {
	tdos_of A | grep -q '^trustPartner' && bad "$1: A still holds a TDO" || ok
	tdos_of B | grep -q '^trustPartner' && bad "$1: B still holds a TDO" || ok
	check "$1: kvno across the removed trust fails" not crosses B A
}
trust_completes() {
	expect_rc 0 "$1: trust A B with the permitted password after the resumed permit" -- \
		trust A B --password-file "$tmp/pw1"
	check "$1: kvno across the trust" crosses B A
}

kill_loop create none works_both -- create A B
kill_loop reset two_way works_both -- reset A B
kill_loop rotate two_way works_both -- rotate A B
kill_loop remove two_way gone -- remove A B --sides both
kill_loop recreate two_way works_both -- recreate A B
kill_loop permit none trust_completes -- permit B A --password-file "$tmp/pw1"
kill_loop trust permitted works_one -- trust A B --password-file "$tmp/pw1"
stop_loop create none works_both -- create A B
stop_loop reset two_way works_both -- reset A B

# ---- trust with only A's credentials: B's password changed through kpasswd ----------
# Killed before the change: rollback and resume both work. Killed right after
# it, before the new secret was written anywhere: resume and rollback say
# what was lost and who must act, nothing is half-written in A, and discard
# forgets the plan once B's administrator permitted again.
awk 'BEGIN { inb = 0 }
	/^    B = \{/ { inb = 1 }
	inb && /^        kadmin_/ { next }
	/^    \}/ { inb = 0 }
	{ print }' "$TRUSTMGR_CONFIG" >"$tmp/a-only.conf"
clean && permitted
plan_steps --config "$tmp/a-only.conf" trust A B --password-file "$tmp/pw1" >"$tmp/steps"
change=$(awk '$3 == "key-change" { print $1 }' "$tmp/steps")
check "one-sided trust: the plan changes B's password through kpasswd" test -n "$change"
before=$(snapshot)
TM_TEST_KILL_AFTER_STEP=$((change - 1)) "$BIN" --config "$tmp/a-only.conf" trust A B \
	--password-file "$tmp/pw1" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 137 ] && ok || bad "one-sided trust: kill before the kpasswd change"
expect_rc 0 "one-sided trust: rollback before the change" -- --config "$tmp/a-only.conf" rollback
[ "$(snapshot)" = "$before" ] && ok || bad "one-sided trust: rollback before the change left a difference"
# Killed after A's TDO was written (the secret and its key version read back from it).
after=$(awk '$2 == "A" && $3 == "tdo-put" { print $1 }' "$tmp/steps")
TM_TEST_KILL_AFTER_STEP=$after "$BIN" --config "$tmp/a-only.conf" trust A B \
	--password-file "$tmp/pw1" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 137 ] && ok || bad "one-sided trust: kill after A's TDO"
expect_rc 0 "one-sided trust: resume after A's TDO was written" -- \
	--config "$tmp/a-only.conf" resume --password-file "$tmp/pw1"
check "one-sided trust: kvno across the resumed trust" crosses B A
clean && permitted
before=$(snapshot)
TM_TEST_KILL_AFTER_STEP=$change "$BIN" --config "$tmp/a-only.conf" trust A B \
	--password-file "$tmp/pw1" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 137 ] && ok || bad "one-sided trust: kill right after the kpasswd change"
expect_rc 1 "one-sided trust: resume after the change says the secret is lost" -- \
	--config "$tmp/a-only.conf" resume --password-file "$tmp/pw1"
check "one-sided trust: the message says the new secret is lost" grep -q "lost" "$tmp/err"
check "one-sided trust: the message says who must permit again" grep -q "permit B A" "$tmp/err"
expect_rc 1 "one-sided trust: rollback after the change is refused" -- --config "$tmp/a-only.conf" rollback
check "one-sided trust: the refusal names kpasswd" grep -q "kpasswd" "$tmp/err"
check "one-sided trust: the refusal says nothing was rolled back" grep -q "Nothing was rolled back" "$tmp/err"
tdos_of A | grep -q '^trustPartner' && bad "one-sided trust: A holds a half-made TDO" || ok
expect_rc 0 "one-sided trust: discard the plan" -- --config "$tmp/a-only.conf" discard
check "one-sided trust: discard says no domain was changed" grep -q "no domain was changed" "$tmp/out"
expect_rc 0 "one-sided trust: B's administrator removes the used permission" -- remove B A --sides local
expect_rc 0 "one-sided trust: B permits again" -- permit B A --password-file "$tmp/pw1"
expect_rc 0 "one-sided trust: trust A B again" -- --config "$tmp/a-only.conf" trust A B --password-file "$tmp/pw1"
check "one-sided trust: kvno across the trust" crosses B A

echo "$LAB_NAME: $boundaries step boundaries, $kills kills (SIGKILL), $stops stops of a domain's servers"
echo "$LAB_NAME: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
