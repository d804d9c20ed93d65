# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Hardening of the running process (issue 6): a plan paused at a step
# boundary (TM_TEST_PAUSE_AFTER_STEP with FIFOs, no sleeps) is examined from
# outside: core file size limit 0 even though it was started with
# `ulimit -c unlimited`, not dumpable (its /proc files belong to root, so
# another process of the same user can neither read /proc/PID/environ nor
# ptrace-attach: EPERM), its secret pages locked (VmLck), no password in
# its environment or command line, and SIGABRT leaves no core file in its
# working folder. Each check is first shown to detect the problem on an
# ordinary process of the same user holding the same password (a control):
# there /proc/PID/environ is readable, a ptrace attach succeeds and reads the
# password out of its memory, and SIGABRT writes a core file that holds the
# password; so the checks cannot pass whatever trustmgr does. Run as root,
# the examined processes run as nobody (setpriv); otherwise as the current
# user. A password in a TRUSTMGR_*PASSWORD* variable is refused.
. "$TM_LIB"

if [ "${TM_VALGRIND:-}" = 1 ]; then
	echo "skipped under valgrind: the process examined would be valgrind's"
	exit 0
fi
PW='Zq7-harden-PASSWORD-77'
H=$(mktemp -d /tmp/tm-harden.XXXXXX) || fail "no temporary folder"
pid=
cpid=
# A failing check must not leave a paused process behind.
trap 'for k in $pid $cpid; do kill -KILL "$k" 2>/dev/null; done; rm -rf "$H"' EXIT
chmod 755 "$H"
mkdir "$H/store" "$H/p" "$H/cwd" "$H/ctl"
mkfifo "$H/p/paused" "$H/p/resume" "$H/ctl/fifo"
printf '%s\n' "$PW" >"$H/pw"
chmod 600 "$H/pw"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$TM_PYTHON
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed to run as nobody"
	chown -R nobody "$H"
	as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
else
	as_user() { "$@"; }
fi
tmh() {
	LAST="--store $H/store $*"
	as_user env HOME="$H/cwd" "$TM_BIN" --store "$H/store" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}
tmh domain add CORP --dns corp.example --netbios CORP \
	--sid S-1-5-21-1004336348-1177238915-682003330 --functional-level 2016
expect_rc 0
tmh domain add PARTNER --dns partner.example --netbios PARTNER \
	--sid S-1-5-21-2127521184-1604012920-1887927527 --functional-level 2012R2
expect_rc 0

# ptrace(PTRACE_ATTACH) from a process of the same user: prints the errno;
# when the attach worked, also whether the password file's text is in the
# process's memory ("found" or "absent"), read through /proc/PID/mem.
cat >"$H/attach.py" <<'PYEOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
pid = int(sys.argv[1])
secret = open(sys.argv[2], "rb").read().strip()
if libc.ptrace(16, pid, None, None) != 0:             # PTRACE_ATTACH
    print("errno=%d" % ctypes.get_errno())
    sys.exit(0)
os.waitpid(pid, 0x40000000)                           # __WALL: until it stops
found = False
with open("/proc/%d/maps" % pid) as maps, open("/proc/%d/mem" % pid, "rb", 0) as mem:
    for line in maps:
        addr, perms = line.split()[:2]
        if not perms.startswith("r"):
            continue
        lo, hi = (int(x, 16) for x in addr.split("-"))
        try:
            mem.seek(lo)
            if secret in mem.read(hi - lo):
                found = True
                break
        except (OSError, OverflowError, ValueError):
            pass
libc.ptrace(17, pid, None, None)                      # PTRACE_DETACH
print("errno=0 " + ("found" if found else "absent"))
PYEOF
chmod 644 "$H/attach.py"
attach_errno() { as_user "$PY" "$H/attach.py" "$1" "$H/pw"; }

# The control: an ordinary process of the same user that read the password
# file (the text is in its memory, as in trustmgr's), waiting on a FIFO.
LAST="(control process)"
(cd "$H/cwd" && ulimit -c unlimited && exec env $( [ "$(id -u)" = 0 ] &&
	echo setpriv --reuid=nobody --regid=nogroup --clear-groups -- ) \
	sh -c 'pw=$(cat "$1"); exec 3<"$2"; read x <&3' sh "$H/pw" "$H/ctl/fifo") </dev/null &
cpid=$!
exec 4>"$H/ctl/fifo"          # opens once the control has opened its end
as_user cat "/proc/$cpid/environ" >/dev/null 2>&1 ||
	fail "control: /proc/PID/environ of a same-user process is unreadable: the check cannot see"
# (Yama's ptrace_scope 1 or more forbids it even without trustmgr: then the
# ptrace check below cannot tell anything and is left out.)
ptrace_seen=$(attach_errno $cpid)
case $ptrace_seen in
"errno=0 found") ;;
"errno=0 "*) fail "control: ptrace attached, but did not find the password in the memory" \
	"of a process holding it ($ptrace_seen): the check cannot see" ;;
*) echo "note: ptrace attach to a same-user process is refused here anyway" \
	"($ptrace_seen): the ptrace check is left out" ;;
esac
kill -KILL "$cpid"       # stopped by the attach: only SIGKILL ends it now
wait "$cpid"
cpid=
exec 4>&-
# The core control: a same-user shell holding the password aborts itself
# under the same limit, in the same folder; where the system writes core
# files there, its core holds the password.
(cd "$H/cwd" && ulimit -c unlimited && exec env $( [ "$(id -u)" = 0 ] &&
	echo setpriv --reuid=nobody --regid=nogroup --clear-groups -- ) \
	sh -c 'pw=$(cat "$1"); kill -ABRT $$' sh "$H/pw") </dev/null
control_core=$(ls "$H/cwd" | grep '^core' || true)
if [ -n "$control_core" ]; then
	(cd "$H/cwd" && grep -qaF -- "$PW" $control_core) ||
		fail "control: the core file of a process holding the password lacks it" \
			"($control_core): the check cannot see"
fi
rm -f "$H/cwd"/core*

# trustmgr, paused after the first step of a permit (the password read).
LAST="permit PARTNER CORP --password-file (paused after step 1)"
(cd "$H/cwd" && ulimit -c unlimited &&
	exec env TM_TEST_PAUSE_AFTER_STEP=1 TM_TEST_PAUSE_DIR="$H/p" \
	"$(command -v setpriv || echo env)" $( [ "$(id -u)" = 0 ] &&
	echo --reuid=nobody --regid=nogroup --clear-groups -- ) \
	"$TM_BIN" --store "$H/store" permit PARTNER CORP --password-file "$H/pw") \
	>"$OUT" 2>"$ERR" </dev/null &
pid=$!
read -r paused <"$H/p/paused"
[ "$paused" = "paused 1" ] || fail "the plan did not pause after step 1 ('$paused')"

grep -E '^Max core file size +0 +0 ' "/proc/$pid/limits" >/dev/null ||
	fail "core dumps are not disabled: $(grep 'core file' /proc/$pid/limits)"
[ "$(stat -c %u "/proc/$pid/environ")" = 0 ] ||
	fail "the process is dumpable: /proc/$pid/environ belongs to uid $(stat -c %u /proc/$pid/environ)"
! as_user cat "/proc/$pid/environ" >/dev/null 2>&1 ||
	fail "another process of the same user reads /proc/PID/environ"
if [ "$ptrace_seen" = "errno=0 found" ]; then
	got=$(attach_errno "$pid")
	[ "$got" = "errno=1" ] || fail "ptrace attach by the same user: $got, expected EPERM (1)"
fi
lck=$(sed -n 's/^VmLck:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
if ldd "$TM_BIN" 2>/dev/null | grep -q libasan; then
	echo "note: AddressSanitizer's mlock locks nothing: VmLck not checked (${lck:-?} kB)"
else
	[ "${lck:-0}" -gt 0 ] || fail "no locked memory (VmLck ${lck:-?} kB) while a password is held"
fi
! grep -qaF -- "$PW" "/proc/$pid/environ" || fail "the password is in the environment"
! grep -qaF -- "$PW" "/proc/$pid/cmdline" || fail "the password is on the command line"

kill -ABRT "$pid"
wait "$pid"
RC=$?
pid=
[ "$RC" = 134 ] || fail "SIGABRT: exit status $RC, expected 134"
found=$(ls "$H/cwd" | grep '^core' || true)
[ -z "$found" ] || fail "a core file was written: $found"
if [ -z "$control_core" ]; then
	echo "note: this system writes no core file into the working folder even for the" \
		"control ($(cat /proc/sys/kernel/core_pattern)); the core check only shows the limit"
fi

# A password offered in the environment is refused before anything runs.
LAST="TRUSTMGR_PASSWORD=... create CORP PARTNER"
TRUSTMGR_PASSWORD="$PW" trustmgr --store "$H/store" create CORP PARTNER >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 2
err_has "TRUSTMGR_PASSWORD is set"
err_has "never reads a password from the environment"
err_has "--password-file"
err_lacks "$PW"
exit 0
