#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The command line against real servers: a lab of two domains (slapd +
# krb5kdc + kadmind each, TLS), driven through create, verify, reset,
# reset-one-side on each side, remove, and the NT permit/trust flow with its
# one chance. After each step the result is checked with the STANDARD
# CLIENTS only: ldapsearch for the entries, kadmin getprinc for the kvnos,
# kinit + kvno for whether the trust really works. Prints
# "cli-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=cli-lab
LAB_TMP=clilab
. "$(dirname "$0")/lab_lib.sh"

diff_kvno() { a=$(kvno_of A "$1"); b=$(kvno_of B "$1"); [ "$a" != none ] && [ "$b" != none ] && [ "$a" != "$b" ]; }
no_princ() { [ "$(kvno_of "$1" "$2")" = none ]; }
has_tdo() { tdos_of "$1" | grep -q "^trustPartner: $2\$"; }
no_tdo() { ! tdos_of "$1" | grep -q "^trustPartner: $2\$"; }
printf 'Recovery-Password-1\n' >"$tmp/pwT"
printf 'Initial-Password-1\n' >"$tmp/pw1"
printf 'Initial-Password-2\n' >"$tmp/pw2"
printf 'Not-The-Password\n' >"$tmp/wrong"

# ---- both sides at once ---------------------------------------------------------
expect_rc 0 "domain list reads the configuration" -- domain list
check "domain list shows A and B" grep -q "a.lab.test" "$tmp/out"
# No Active Directory here: a changing command starts no LSA helper (no
# Python, no Samba libraries loaded for nothing). The helper named here only
# leaves a mark beside itself when started.
cat >"$tmp/lsa-mark.py" <<'PY'
import os, sys
open(os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])), "lsa-started"), "w").close()
PY
TRUSTMGR_LSA_HELPER=$tmp/lsa-mark.py
export TRUSTMGR_LSA_HELPER
expect_rc 0 "create A B (both sides)" -- create A B
unset TRUSTMGR_LSA_HELPER
check "create A B on OpenLDAP + MIT domains started no LSA helper (trustmgr_lsa.py)" \
	test ! -e "$tmp/lsa-started"
check "ldapsearch: A holds a TDO for b.lab.test" has_tdo A b.lab.test
check "ldapsearch: B holds a TDO for a.lab.test" has_tdo B a.lab.test
tdos_of A | grep -q '^trustAuthOutgoing:: ' && ok || bad "A's TDO has no trustAuthOutgoing blob"
check "kadmin: krbtgt/A@B has the same kvno in both KDCs" same_kvno "$AB"
check "kadmin: krbtgt/B@A has the same kvno in both KDCs" same_kvno "$BA"
check "kinit user@B; kvno host/srv.a@A works (A trusts B)" crosses B A
check "kinit user@A; kvno host/srv.b@B works (B trusts A)" crosses A B
expect_rc 0 "verify A B" -- verify A B

# ---- reset both sides -------------------------------------------------------------
k0=$(kvno_of A "$AB")
expect_rc 0 "reset A B" -- reset A B
check "kadmin: reset raised krbtgt/A@B's kvno on both sides" sh -c "[ $(kvno_of A "$AB") -gt $k0 ]"
check "kadmin: kvnos equal after reset" same_kvno "$AB"
check "kvno across the trust after reset" crosses B A

# ---- reset one side, then the other with the same password -------------------------
expect_rc 0 "reset-one-side A B" -- reset-one-side A B --password-file "$tmp/pwT"
check "kadmin: kvnos differ with one side reset" diff_kvno "$AB"
check "kvno across the trust fails with one side reset" not crosses B A
expect_rc 1 "verify A B fails with one side reset" -- verify A B
expect_rc 0 "reset-one-side B A (same password)" -- reset-one-side B A --password-file "$tmp/pwT"
check "kadmin: kvnos equal after both sides reset" same_kvno "$AB"
check "kvno across the trust after both sides reset" crosses B A
expect_rc 0 "verify A B after both sides reset" -- verify A B

# ---- remove both sides --------------------------------------------------------------
expect_rc 0 "remove A B --sides both" -- remove A B --sides both
check "ldapsearch: A's TDO is gone" no_tdo A b.lab.test
check "ldapsearch: B's TDO is gone" no_tdo B a.lab.test
check "kadmin: krbtgt/A@B gone from A" no_princ A "$AB"
check "kadmin: krbtgt/A@B gone from B" no_princ B "$AB"
check "kvno across the removed trust fails" not crosses B A

# ---- NT style: permit, one chance, trust -------------------------------------------
expect_rc 0 "permit B A" -- permit B A --password-file "$tmp/pw1"
check "ldapsearch: B holds an inbound TDO for a.lab.test" has_tdo B a.lab.test
check "kadmin: the permitted principal has the one-chance policy" sh -c "[ \"$(policy_of B "$AB")\" = trustmgr-permit ]"
expect_rc 1 "trust A B with a wrong password uses the one chance" -- trust A B --password-file "$tmp/wrong"
expect_rc 1 "trust A B with the right password is refused now" -- trust A B --password-file "$tmp/pw1"
check "the refusal says to permit again" grep -q "permit" "$tmp/err"
expect_rc 0 "remove B A --direction inbound" -- remove B A --direction inbound
expect_rc 0 "permit B A again" -- permit B A --password-file "$tmp/pw2"
expect_rc 0 "trust A B with the new password" -- trust A B --password-file "$tmp/pw2"
check "the trust is established" grep -q "successfully established" "$tmp/out"
check "kadmin: kvnos equal after the NT flow" same_kvno "$AB"
check "kvno across the NT trust" crosses B A
expect_rc 0 "verify A B after the NT flow" -- verify A B

# ---- establishing with only the trusting side's credentials --------------------------
# A's administrator has no kadmin rights in B: trustmgr proves the password
# against B's KDC and changes it there through kpasswd, as the trust account.
expect_rc 0 "remove A B --sides both (again)" -- remove A B --sides both
expect_rc 0 "permit B A (B's administrator)" -- permit B A --password-file "$tmp/pw1"
awk 'BEGIN { inb = 0 }
	/^    B = \{/ { inb = 1 }
	inb && /^        kadmin_/ { next }
	/^    \}/ { inb = 0 }
	{ print }' "$TRUSTMGR_CONFIG" >"$tmp/a-only.conf"
check "the trusting-only configuration has no kadmin credentials for B" \
	sh -c "! awk '/^    B = {/,/^    }/' '$tmp/a-only.conf' | grep -q kadmin_"
k0=$(kvno_of B "$AB")
expect_rc 0 "trust A B with only A's credentials" -- --config "$tmp/a-only.conf" trust A B --password-file "$tmp/pw1"
check "kadmin: the trusted side's key was changed (kvno raised)" sh -c "[ $(kvno_of B "$AB") -gt $k0 ]"
check "kadmin: kvnos equal after the kpasswd change" same_kvno "$AB"
check "kvno across the trust established from one side" crosses B A
check "the result says it was not verified from here" grep -q "not verified from here" "$tmp/out"
initial_works() { kdestroy >/dev/null 2>&1; kinit "$AB" <"$tmp/pw1" >/dev/null 2>&1; }
check "kinit: the initial password of krbtgt/A@B no longer works (replaced)" not initial_works
expect_rc 3 "establishing again is refused: A already trusts B" -- --config "$tmp/a-only.conf" trust A B --password-file "$tmp/pw1"

# ---- forest recovery: every trust of A reset on A's side, then the partners' side ----
expect_rc 0 "remove A B --sides both (before recovery)" -- remove A B --sides both
expect_rc 0 "create A B (two-way, to recover)" -- create A B
check "kvno across the trust before recovery" crosses B A
expect_rc 0 "recover A --dry-run" -- recover A --password-file "$tmp/pwT" --dry-run
check "the recovery plan changes A only" sh -c "grep -q '^A:' '$tmp/out' && ! grep -q '^B:' '$tmp/out'"
k0=$(kvno_of B "$AB")
expect_rc 0 "recover A (every trust of A, A's side only)" -- recover A --password-file "$tmp/pwT"
check "the result says to do B's side with recover-partners" grep -q "recover-partners A" "$tmp/out"
check "kadmin: recover A left B's krbtgt/A@B alone" sh -c "[ $(kvno_of B "$AB") -eq $k0 ]"
check "kadmin: krbtgt/A@B kvnos differ with A recovered only" diff_kvno "$AB"
check "kadmin: krbtgt/B@A kvnos differ with A recovered only" diff_kvno "$BA"
check "kvno from B into A fails with A recovered only" not crosses B A
check "kvno from A into B fails with A recovered only" not crosses A B
expect_rc 1 "verify A B fails with A recovered only" -- verify A B
expect_rc 0 "recover-partners A (same password on B's side, then verify)" -- recover-partners A --password-file "$tmp/pwT"
check "kadmin: krbtgt/A@B kvnos equal after recover-partners" same_kvno "$AB"
check "kadmin: krbtgt/B@A kvnos equal after recover-partners" same_kvno "$BA"
check "kvno from B into A after recover-partners" crosses B A
check "kvno from A into B after recover-partners" crosses A B
expect_rc 0 "verify A B after the recovery" -- verify A B

# ---- a trust broken at one end, recreated (KB Q102650) --------------------------------
expect_rc 0 "remove B's end only" -- remove B A
check "ldapsearch: B's TDO is gone" no_tdo B a.lab.test
check "kvno across the trust fails with B's end removed" not crosses B A
expect_rc 0 "recreate A B" -- recreate A B
check "ldapsearch: B holds a TDO for a.lab.test again" has_tdo B a.lab.test
check "kadmin: krbtgt/A@B kvnos equal after recreate" same_kvno "$AB"
check "kvno across the recreated trust" crosses B A
check "kvno across the recreated trust (other direction)" crosses A B

# ---- the audit trail on real domains ---------------------------------------------------
# Everything above ran with the lab's configuration, which names no audit
# destination: the records went to STATE_DIR/audit.log (XDG_STATE_HOME).
alog=$XDG_STATE_HOME/trustmgr/audit.log
aq() { "$PY3" "$top/tests/cli/audit_query.py" "$@"; }
PY3=$(command -v python3)
check "the default audit log parses" aq check "$alog"
check "audit: create A B started and ended ok on the real domains" sh -c \
	"[ \$('$PY3' '$top/tests/cli/audit_query.py' count '$alog' event=start op=create domain=A partner=B backend=ldap+krb5 domains=A,B) -ge 1 ] &&
	 [ \$('$PY3' '$top/tests/cli/audit_query.py' count '$alog' event=end result=ok op=create domain=A partner=B) -ge 1 ]"
check "audit: reset A B ended ok" sh -c \
	"[ \$('$PY3' '$top/tests/cli/audit_query.py' count '$alog' event=end result=ok op=reset domain=A partner=B) -ge 1 ]"
check "audit: the wrong password's trust ended failed" sh -c \
	"[ \$('$PY3' '$top/tests/cli/audit_query.py' count '$alog' event=end result=failed op=trust status=STATUS_WRONG_PASSWORD) -ge 1 ]"
check "audit: no password in the audit log" sh -c \
	"! grep -qF -e Recovery-Password-1 -e Initial-Password-1 -e Initial-Password-2 -e Not-The-Password '$alog'"
check "audit: the audit log is mode 0600" sh -c "[ \$(stat -c %a '$alog') = 600 ]"

# A copy of the configuration naming a file and syslog (a socket of this
# test's own, read by a receiver that stops after the reset's end record).
asock=$tmp/syslog.sock
akeys="    audit_log = $tmp/audit-named.log
    audit_syslog = true
    audit_facility = auth
    audit_syslog_socket = $asock"
if grep -q '^\[trustmgr\]' "$TRUSTMGR_CONFIG"; then
	printf '%s\n' "$akeys" >"$tmp/akeys"
	sed "/^\[trustmgr\]/r $tmp/akeys" "$TRUSTMGR_CONFIG" >"$tmp/audit.conf"
else
	{ printf '[trustmgr]\n%s\n' "$akeys"; cat "$TRUSTMGR_CONFIG"; } >"$tmp/audit.conf"
fi
cat >"$tmp/receiver.py" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[3], "w") as ready:
    ready.write("ready\n")
with open(sys.argv[2], "w") as out:
    while True:
        d = s.recv(65536).decode("ascii", "replace")
        out.write(d + "\n")
        out.flush()
        if "event=end" in d and "op=reset" in d:
            break
PYEOF
mkfifo "$tmp/ready"
timeout 120 "$PY3" "$tmp/receiver.py" "$asock" "$tmp/syslog.txt" "$tmp/ready" &
rpid=$!
read -r _ <"$tmp/ready"
expect_rc 0 "remove A B --sides both (audited)" -- --config "$tmp/audit.conf" remove A B --sides both
expect_rc 0 "create A B (audited)" -- --config "$tmp/audit.conf" create A B
expect_rc 0 "reset A B (audited)" -- --config "$tmp/audit.conf" reset A B
wait "$rpid"
check "the syslog receiver got every record up to the reset's end" test $? -eq 0
check "audit_log: the named file parses" aq check "$tmp/audit-named.log"
for op in remove create reset; do
	check "audit_log: $op A B ended ok in the named file" sh -c \
		"[ \$('$PY3' '$top/tests/cli/audit_query.py' count '$tmp/audit-named.log' event=end result=ok op=$op domain=A partner=B backend=ldap+krb5) = 1 ]"
	check "syslog: $op A B started and ended ok (auth facility)" sh -c \
		"grep -q '^<37>.* trustmgr\[[0-9]*\]: .* event=start result=started op=$op domain=A' '$tmp/syslog.txt' &&
		 grep -q '^<37>.* event=end result=ok op=$op domain=A partner=B' '$tmp/syslog.txt'"
done
check "audit: the default log got none of the audited runs" sh -c \
	"[ \$('$PY3' '$top/tests/cli/audit_query.py' count '$alog' event=end op=reset) = 1 ]"

echo "cli-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
