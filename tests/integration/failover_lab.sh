#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Faults against real servers: a lab of two domains with two servers each
# (lab.sh --replicas: two slapd replicating each other, two krb5kdc on one
# database). trustmgr runs a plan, stops at a step boundary (the test hook
# TM_TEST_PAUSE_AFTER_STEP and its FIFOs), the test stops or suspends a
# server there, and the plan goes on:
# - one slapd stopped: trustmgr fails over to the other, finishes, says
#   which server failed and which took over; once the stopped one is back
#   ldapsearch finds the same TDOs on each server;
# - one krb5kdc stopped: libkrb5 uses the other; kinit + kvno across the
#   trust work with only the second KDC;
# - both slapd of a domain stopped: a clear message at once, the plan left
#   interrupted (trustmgr journal), trustmgr resume finishes it later;
# - a hung slapd (SIGSTOP: the port stays open): with a replica, failover
#   within the timeout; without one, a clear message within 3x the timeout.
# Never a sleep waiting for trustmgr: it is waited for with wait; the only
# polling loops wait (bounded) for slapd's replication. Prints
# "failover-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=failover-lab
LAB_TMP=folab
LAB_OPTS=--replicas
. "$(dirname "$0")/lab_lib.sh"

LAB="$top/tests/lab/lab.sh"
# Whatever happens: suspended servers run again, so that stop can end them.
trap 'for x in A B; do for s in slapd slapd2; do
		p=$(sh "$LAB" pid "$lab" "$x" "$s" 2>/dev/null) && kill -CONT "$p" 2>/dev/null
	done; done
	sh "$LAB" stop "$lab" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM

printf 'Initial-Password-1\n' >"$tmp/pw1"
pause=$tmp/pause
mkdir "$pause" && mkfifo "$pause/paused" "$pause/resume"
# A configuration with a short timeout for the hung-server cases.
TIMEOUT=3
{ printf '[trustmgr]\n    timeout = %s\n' "$TIMEOUT"; cat "$TRUSTMGR_CONFIG"; } >"$tmp/short.conf"

server() { sh "$LAB" "$1" "$lab" "$2" "$3" >>"$tmp/servers.log" 2>&1; }
pid_of() { sh "$LAB" pid "$lab" "$1" "$2"; }

# paused STEP ACTION -- trustmgr args: run trustmgr, stopped after STEP;
# run the shell command ACTION there, let trustmgr go on and wait for it.
# Sets rc, and secs: seconds from "go on" to its exit.
paused() {
	step=$1; action=$2; shift 3
	TM_TEST_PAUSE_AFTER_STEP=$step TM_TEST_PAUSE_DIR=$pause \
		"$BIN" "$@" >"$tmp/out" 2>"$tmp/err" &
	job=$!
	if ! read -r line <"$pause/paused"; then line=none; fi
	[ "$line" = "paused $step" ] || bad "trustmgr $*: the pause hook said '$line'"
	eval "$action"
	t0=$(date +%s)
	echo go >"$pause/resume"
	wait "$job"; rc=$?
	secs=$(($(date +%s) - t0))
}
expect_paused() {      # expect_paused WANT DESCRIPTION STEP ACTION -- args
	want=$1; what=$2; shift 2
	paused "$@"
	if [ "$rc" -eq "$want" ]; then ok; else
		shift 3
		bad "$what: trustmgr $* exited $rc, wanted $want"; sed 's/^/    /' "$tmp/out" "$tmp/err"
	fi
}
said() {               # said DESCRIPTION PATTERN: trustmgr's stderr holds PATTERN
	if grep -Eq -- "$2" "$tmp/err"; then ok; else bad "$1"; sed 's/^/    | /' "$tmp/err"; fi
}

# The TDO entries of domain X on its server N (1 or 2) only: one line per
# attribute, prefixed by the entry's DN, sorted (entries and attributes in
# any order compare equal; values exactly).
tdos_on() {
	dom "$1"
	uri=$LDAP_URI; [ "$2" = 2 ] && uri=$LDAP2_URI
	ldapsearch -LLL -o ldif-wrap=no -ZZ -H "$uri" -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" \
		-b "cn=System,$D_BASE" "(objectClass=trustedDomain)" '*' 2>&1 |
		awk 'BEGIN { RS = "" } { n = split($0, l, "\n"); for (i = 2; i <= n; i++) print l[1] " | " l[i] }' |
		sort
}
# same_tdos X: both servers of X hold the same TDOs (and at least one).
# Replication takes a moment: poll the servers, at most 15 s.
same_tdos() {
	k=0
	while [ "$k" -lt 75 ]; do
		tdos_on "$1" 1 >"$tmp/s1"; tdos_on "$1" 2 >"$tmp/s2"
		if [ -s "$tmp/s1" ] && grep -q '^dn: ' "$tmp/s1" && cmp -s "$tmp/s1" "$tmp/s2"; then
			return 0
		fi
		k=$((k + 1)); sleep 0.2
	done
	diff "$tmp/s1" "$tmp/s2" | head -n 20 | sed 's/^/    /'
	return 1
}
no_journal() { "$BIN" journal >"$tmp/j.out" 2>&1 && grep -q "^No interrupted plan" "$tmp/j.out"; }
quiet() { "$@" >/dev/null 2>&1; }
dom A; A_LDAP1=$LDAP_URI; A_LDAP2=$LDAP2_URI
dom B; B_LDAP1=$LDAP_URI

check "lab.sh status: two slapd and two krb5kdc per domain run" quiet sh "$LAB" status "$lab"
check "trustmgr.conf lists both servers of A" grep -q "ldap_uri = $A_LDAP2" "$TRUSTMGR_CONFIG"
check "krb5.conf lists two KDCs for A.LAB.TEST" sh -c "[ \$(grep -c '^        kdc = ' '$KRB5_CONFIG') -eq 4 ]"

# ---- create A B: B's first slapd stops after A's side is written ---------------
expect_paused 0 "create A B with B's first slapd stopped after step 1" \
	1 'server stop-server B slapd' -- create A B
said "the notice names the failed server and the one that took over" \
	"directory server ${B_LDAP1%/}.* failed while .*; .* took over"
expect_rc 0 "verify A B after the failover" -- verify A B
check "kvno across the trust (B into A)" crosses B A
check "kvno across the trust (A into B)" crosses A B
server start-server B slapd
check "ldapsearch: B's two servers hold the same TDOs once the first is back" same_tdos B
check "ldapsearch: A's two servers hold the same TDOs" same_tdos A

# ---- reset B A: A's first slapd stops between B's TDO and A's -------------------
k0=$(kvno_of A "$AB")
expect_paused 0 "reset B A with A's first slapd stopped after step 1" \
	1 'server stop-server A slapd' -- reset B A
said "the notice names A's failed server" "Domain A: the directory server ${A_LDAP1%/}"
check "kadmin: reset raised krbtgt/A@B's kvno" sh -c "[ $(kvno_of A "$AB") -gt $k0 ]"
check "kadmin: kvnos equal after the reset" same_kvno "$AB"
expect_rc 0 "verify A B after the reset with A's first slapd down" -- verify A B
server start-server A slapd
check "ldapsearch: A's two servers hold the same TDOs after the reset" same_tdos A

# ---- reset A B: A's first krb5kdc stops after step 1 -----------------------------
k0=$(kvno_of A "$BA")
expect_paused 0 "reset A B with A's first krb5kdc stopped after step 1" \
	1 'server stop-server A krb5kdc' -- reset A B
check "kadmin: reset raised krbtgt/B@A's kvno" sh -c "[ $(kvno_of A "$BA") -gt $k0 ]"
expect_rc 0 "verify A B with only A's second KDC" -- verify A B
check "kinit+kvno from B into A with only A's second KDC" crosses B A
check "kinit+kvno from A into B with only A's second KDC" crosses A B
server start-server A krb5kdc

# ---- the NT way: permit, then trust with A's first KDC down and A's first
# slapd stopped between the proof and A's TDO update --------------------------------
expect_rc 0 "remove A B --sides both" -- remove A B --sides both
expect_rc 0 "permit A B" -- permit A B --password-file "$tmp/pw1"
server stop-server A krb5kdc
expect_paused 0 "trust B A (proof against A's second KDC; A's first slapd stopped after step 2)" \
	2 'server stop-server A slapd' -- trust B A --password-file "$tmp/pw1"
check "the trust is established" grep -q "successfully established" "$tmp/out"
said "the notice names A's failed server" "Domain A: the directory server ${A_LDAP1%/}"
check "kadmin: kvnos equal after the NT flow" same_kvno "$BA"
expect_rc 0 "verify B A with only A's second slapd and KDC" -- verify B A
check "kinit+kvno from A into B with only A's second KDC" crosses A B
server start-server A slapd
server start-server A krb5kdc
check "ldapsearch: A's two servers hold the same TDOs after the NT flow" same_tdos A
check "ldapsearch: B's two servers hold the same TDOs after the NT flow" same_tdos B

# ---- both slapd of A stopped: interrupted, then resumed ---------------------------
expect_rc 0 "remove B A --sides both" -- remove B A --sides both
expect_rc 0 "create A B (again)" -- create A B
expect_paused 4 "reset B A with both slapd of A stopped after step 1 fails" \
	1 'server stop-server A slapd; server stop-server A slapd2' -- reset B A
check "it failed within the timeout ($secs s)" sh -c "[ $secs -le 10 ]"
said "the message names the failed server" "directory server ${A_LDAP1%/}.* failed while"
said "the message says no other server took over, and which were tried" \
	"no other server of the domain took over: .*tried ${A_LDAP2}"
said "the message says what to do" "trustmgr resume"
expect_rc 0 "trustmgr journal" -- journal
check "the journal shows the interrupted reset" grep -q "reset" "$tmp/out"
check "the journal says it was interrupted" not grep -q "^No interrupted plan" "$tmp/out"
server start-server A slapd
server start-server A slapd2
expect_rc 0 "trustmgr resume finishes the reset" -- resume
check "no plan is left interrupted" no_journal
check "kadmin: kvnos equal after the resume" same_kvno "$AB"
expect_rc 0 "verify A B after the resume" -- verify A B
check "ldapsearch: A's two servers hold the same TDOs after the resume" same_tdos A

# ---- a hung slapd (SIGSTOP): failover within the timeout ---------------------------
suspend() { kill -STOP "$(pid_of "$1" "$2")"; }
resume_srv() { kill -CONT "$(pid_of "$1" "$2")"; }
expect_paused 0 "reset B A with A's first slapd hung after step 1 (timeout $TIMEOUT s)" \
	1 'suspend A slapd' -- --config "$tmp/short.conf" reset B A
check "it finished within 3x the timeout ($secs s)" sh -c "[ $secs -lt $((3 * TIMEOUT)) ]"
said "the notice says the hung server did not answer in time" \
	"${A_LDAP1%/} failed while .*no answer within the timeout of $TIMEOUT s; .*${A_LDAP2%/} took over"
resume_srv A slapd
expect_rc 0 "verify A B after the hang" -- verify A B
check "ldapsearch: A's two servers hold the same TDOs after the hang" same_tdos A

# ---- a hung slapd, and its replica stopped: a clear message in bounded time -------
expect_paused 4 "reset B A with A's first slapd hung and its second stopped fails" \
	1 'server stop-server A slapd2; suspend A slapd' -- --config "$tmp/short.conf" reset B A
check "it failed within 3x the timeout ($secs s)" sh -c "[ $secs -lt $((3 * TIMEOUT)) ]"
said "the message says what failed and why" \
	"${A_LDAP1%/} failed while .*no answer within the timeout of $TIMEOUT s; no other server"
said "the message says what to do" "trustmgr resume"
resume_srv A slapd
server start-server A slapd2
expect_rc 0 "trustmgr resume after the hang" -- resume
expect_rc 0 "verify A B after resuming" -- verify A B
check "ldapsearch: A's two servers hold the same TDOs at the end" same_tdos A
# Names that look like filters match nothing: the TDOs stay on both servers.
tdo_count() { tdos_on A "$1" | sed 's/ | .*//' | sort -u | grep -c '^dn: '; }
n1=$(tdo_count 1)
for name in '*' 'b*' '*)(cn=*' 'x)(|(objectClass=*'; do
	expect_rc 3 "tdo delete A '$name' matches no trusted domain object" -- tdo delete A "$name"
done
check "ldapsearch: A's TDOs are unchanged on both servers" same_tdos A
check "ldapsearch: A's first server still holds its TDOs" sh -c "[ $n1 -ge 1 ] && [ $(tdo_count 1) -eq $n1 ]"
check "lab.sh status: everything runs again" quiet sh "$LAB" status "$lab"

echo "failover-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
