# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The audit trail of the embedded store (issue 6): every change leaves
# records in STORE/audit.log (mode 0600): the start of the plan before its
# first step, each step with its domain, the end with the result; a failed
# trust (wrong password, the one chance used) ends "failed" with its
# NTSTATUS; a plan killed part-way leaves a start without an end, and its
# resume and rollback are recorded with their results; reading commands
# and dry runs record nothing; the operator (login, uid, SUDO_USER, the SSH
# client) is named; no password ever appears; every line parses.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/audit_lib.sh"

PA='Zq7-audit-ALPHA-31'
PB='Zq7-audit-BRAVO-32'
pwfile pwA "$PA"
pwfile pwB "$PB"
LOG=$STORE/audit.log
ME=$(id -un)

add_corp
add_partner
add_sales
audit_count_is 1 "$LOG" event=start result=started op=domain-add domain=SALES
audit_count_is 3 "$LOG" event=end result=ok op=domain-add
tm domain add CORP --dns corp.example --netbios CORP \
	--sid S-1-5-21-1004336348-1177238915-682003330
expect_rc 3
audit_has "$LOG" event=end result=failed op=domain-add domain=CORP status=STATUS_DOMAIN_EXISTS

# create: start (before the steps), a step per change, end ok.
tm create CORP PARTNER
expect_rc 0
[ "$(stat -c %a "$LOG")" = 600 ] || fail "the audit log is mode $(stat -c %a "$LOG"), not 600"
audit_parses "$LOG"
audit_count_is 1 "$LOG" event=start result=started op=create domain=CORP partner=PARTNER \
	domains=CORP,PARTNER backend=embedded operator="$ME" uid="$(id -u)"
audit_has "$LOG" event=step result=ok op=create domain=CORP action=tdo-put step=1/8
audit_has "$LOG" event=step result=ok op=create domain=PARTNER action=tdo-put
audit_has "$LOG" event=step result=ok op=create action=key-set \
	principal=krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE
audit_count_is 1 "$LOG" event=end result=ok op=create domain=CORP partner=PARTNER
first=$(head -n 1 "$LOG")
case $first in *" event=start "*) ;; *) fail "the first record is not the start: $first" ;; esac
last=$(tail -n 1 "$LOG")
case $last in *" event=end result=ok "*) ;; *) fail "the last record is not the end: $last" ;; esac

# Reading and dry runs record nothing.
n=$(wc -l <"$LOG")
tm list CORP
tm show CORP PARTNER
tm verify CORP PARTNER
expect_rc 0
tm --dry-run reset CORP PARTNER
expect_rc 0
[ "$(wc -l <"$LOG")" = "$n" ] || fail "reading or a dry run wrote audit records"

# reset, from an SSH session under sudo.
LAST="reset CORP PARTNER (SUDO_USER, SSH_CONNECTION)"
SUDO_USER=bob SSH_CONNECTION="192.0.2.7 50122 192.0.2.1 22" trustmgr reset CORP PARTNER \
	>"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 0
audit_has "$LOG" event=start op=reset domain=CORP partner=PARTNER operator="$ME" \
	sudo_user=bob ssh_client=192.0.2.7
audit_has "$LOG" event=end result=ok op=reset sudo_user=bob ssh_client=192.0.2.7

# remove, then permit and a trust with the wrong password: failed, with why.
tm remove CORP PARTNER --sides both
expect_rc 0
audit_has "$LOG" event=step result=ok op=remove domain=CORP action=tdo-delete
audit_has "$LOG" event=step result=ok op=remove domain=PARTNER action=tdo-delete
audit_has "$LOG" event=end result=ok op=remove domain=CORP partner=PARTNER
tm permit PARTNER CORP --password-file pwA
expect_rc 0
audit_has "$LOG" event=end result=ok op=permit domain=PARTNER partner=CORP
tm trust CORP PARTNER --password-file pwB
expect_rc 1
audit_has "$LOG" event=step result=failed op=trust action=prove domain=PARTNER \
	status=STATUS_WRONG_PASSWORD
audit_has "$LOG" event=end result=failed op=trust domain=CORP partner=PARTNER \
	status=STATUS_WRONG_PASSWORD
msg=$(audit_field "$LOG" msg event=end op=trust result=failed)
case $msg in *"one chance"*) ;; *) fail "the failure's reason is not recorded: $msg" ;; esac

# A plan killed after step 2: a start without an end; resume finishes it.
LAST="create CORP SALES (TM_TEST_KILL_AFTER_STEP=2)"
TM_TEST_KILL_AFTER_STEP=2 trustmgr create CORP SALES >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 137
kpid=$(audit_field "$LOG" pid event=start op=create partner=SALES)
[ -n "$kpid" ] || fail "no start record for the killed plan"
audit_count_is 2 "$LOG" event=step result=ok op=create pid="$kpid"
audit_count_is 0 "$LOG" event=end pid="$kpid"
tm resume
expect_rc 0
rpid=$(audit_field "$LOG" pid event=resume op=create partner=SALES)
audit_has "$LOG" event=resume result=started op=create domain=CORP partner=SALES done=2 \
	pid="$rpid"
audit_has "$LOG" event=step result=ok op=create step=3/8 pid="$rpid"
audit_count_is 1 "$LOG" event=end result=resumed op=create partner=SALES pid="$rpid"

# Another killed plan, rolled back.
LAST="remove CORP SALES (TM_TEST_KILL_AFTER_STEP=1)"
TM_TEST_KILL_AFTER_STEP=1 trustmgr remove CORP SALES >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 137
tm rollback
expect_rc 0
out_has "Rolled back"
audit_has "$LOG" event=rollback result=started op=remove domain=CORP partner=SALES done=1
audit_count_is 1 "$LOG" event=end result=rolled-back op=remove partner=SALES
tm verify CORP SALES
expect_rc 0

# A killed plan forgotten with discard: recorded, and no domain changed.
before=$(store_sum)
LAST="reset CORP SALES (TM_TEST_KILL_AFTER_STEP=1)"
TM_TEST_KILL_AFTER_STEP=1 trustmgr reset CORP SALES >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 137
after_kill=$(store_sum)
tm discard
expect_rc 0
out_has "no domain was changed"
[ "$(store_sum)" = "$after_kill" ] || fail "discard changed a domain"
audit_has "$LOG" event=discard result=started op=reset domain=CORP partner=SALES done=1
audit_count_is 1 "$LOG" event=end result=discarded op=reset partner=SALES
tm journal
expect_rc 0
tm rollback
expect_rc 0
out_has "Nothing to roll back"
tm reset CORP SALES
expect_rc 0
[ "$before" != "$(store_sum)" ] || fail "reset after discard changed nothing"

# --audit-log FILE records there instead.
tm --audit-log "$PWD/other.log" rotate CORP SALES
expect_rc 0
audit_parses other.log
audit_has other.log event=end result=ok op=rotate domain=CORP partner=SALES
audit_count_is 0 "$LOG" op=rotate
[ "$(stat -c %a other.log)" = 600 ] || fail "--audit-log file is mode $(stat -c %a other.log)"

audit_parses "$LOG"
audit_no_secret "$LOG" "$PA" "$PB"
audit_no_secret other.log "$PA" "$PB"
exit 0
