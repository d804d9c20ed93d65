# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: a password file that never delivers a line (a FIFO or a pipe
# whose writer is silent) must not keep trustmgr waiting: Ctrl-C, SIGTERM
# or SIGHUP stops it at once (it used to wait in open() for a writer, then
# in read(), deaf to the first signal, holding the store's lock), with a
# message that says so; nothing is changed, no plan is recorded, the lock
# is free. A FIFO that delivers a line still works; one whose writer goes
# away without writing is an empty password; a folder is refused.
. "$TM_LIB"

for d in B:4-5-6 C:7-8-9; do
	n=${d%%:*}
	tm domain add "$n" --dns "$(echo "$n" | tr A-Z a-z).example" --netbios "$n" \
		--sid "S-1-5-21-${d#*:}" --functional-level 2016
	expect_rc 0
done
before=$(store_sum)
audit_lines=$(wc -l <"$STORE/audit.log")
mkfifo pw.fifo

# stopped SIGNAL: `trustmgr permit B C --password-file pw.fifo`; once it
# has opened the FIFO (the writer's open returns only then: no sleeping),
# SIGNAL, with the writer still silent. trustmgr must end by that signal;
# the bounds only turn a hang into a failure.
stopped() {
	LAST="permit B C --password-file pw.fifo (then SIG$1)"
	"$TM_PYTHON" - "$1" >"$OUT" 2>"$ERR" <<'EOF'
import signal, subprocess, sys
sig = getattr(signal, "SIG" + sys.argv[1])
err = open("stopped.err", "wb")
# A suite run in the background starts with SIGINT ignored, which trustmgr
# keeps (as under nohup): the default action is given back for the test.
def dfl():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
p = subprocess.Popen(["trustmgr", "permit", "B", "C", "--password-file", "pw.fifo"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                     preexec_fn=dfl)
signal.alarm(60)                      # a trustmgr that never opens the FIFO
w = open("pw.fifo", "wb")             # returns once trustmgr opened it to read
signal.alarm(0)
p.send_signal(sig)
try:
    rc = p.wait(timeout=60)
except subprocess.TimeoutExpired:
    p.kill()
    print("still running after SIG%s" % sys.argv[1])
    sys.exit(1)
w.close()
print("rc=%d" % rc)
EOF
	RC=$?
	cat stopped.err >>"$ERR"
	[ "$RC" = 0 ] || fail "trustmgr kept waiting for the password after SIG$1"
}

nothing_changed() {
	[ "$(store_sum)" = "$before" ] || fail "the stopped command changed the store"
	[ ! -e "$STORE/journal/current" ] || fail "the stopped command left a journal"
	[ "$(wc -l <"$STORE/audit.log")" = "$audit_lines" ] ||
		fail "the stopped command started an audited plan"
	[ ! -s "$STORE/lock" ] || fail "the stopped command left its pid in the lock file"
	timeout -k 5 60 trustmgr list B >/dev/null 2>&1 || fail "the store is still locked"
}

for sig in TERM:15 INT:2 HUP:1; do
	stopped "${sig%%:*}"
	out_has "rc=-${sig#*:}"
	err_has "Reading the password from the password file pw.fifo was stopped by a signal"
	err_has "nothing was changed"
	err_has "needs a writer"
	nothing_changed
done

# Standard input that stays open and silent: SIGTERM ends it too.
LAST="permit B C --password-file - (silent pipe, then SIGTERM)"
"$TM_PYTHON" - >"$OUT" 2>"$ERR" <<'EOF' || fail "trustmgr kept waiting on standard input"
import signal, subprocess
p = subprocess.Popen(["trustmgr", "permit", "B", "C", "--password-file", "-"],
                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
p.send_signal(signal.SIGTERM)
rc = p.wait(timeout=60)
p.stdin.close()
print("rc=%d" % rc)
EOF
out_has "rc=-15"
nothing_changed

# A writer that goes away without writing: an empty password.
LAST="permit B C --password-file pw.fifo (writer closes at once)"
"$TM_PYTHON" - >"$OUT" 2>"$ERR" <<'EOF'
import subprocess, sys
p = subprocess.Popen(["trustmgr", "permit", "B", "C", "--password-file", "pw.fifo"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
open("pw.fifo", "wb").close()
out, err = p.communicate(timeout=60)
sys.stdout.buffer.write(out)
sys.stderr.buffer.write(err)
sys.exit(p.returncode)
EOF
RC=$?
expect_rc 2
err_has "The password from the password file pw.fifo is empty"
nothing_changed

tm permit B C --password-file "$PWD"
expect_rc 2
err_has "Could not read the password file $PWD: it is a folder, not a file."
nothing_changed

# A FIFO that delivers a line works as a file does.
LAST="permit B C --password-file pw.fifo (a line written)"
"$TM_PYTHON" - >"$OUT" 2>"$ERR" <<'EOF'
import subprocess, sys
p = subprocess.Popen(["trustmgr", "permit", "B", "C", "--password-file", "pw.fifo"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
with open("pw.fifo", "wb") as w:
    w.write(b"a-long-enough-password\n")
out, err = p.communicate(timeout=60)
sys.stdout.buffer.write(out)
sys.stderr.buffer.write(err)
sys.exit(p.returncode)
EOF
RC=$?
expect_rc 0
out_has "B now permits C to trust it"
exit 0
