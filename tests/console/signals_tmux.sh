#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Ctrl-C and SIGHUP (an SSH connection dropping) against the real trustmgr
# in a real terminal (tmux), on an embedded store:
#
#   sh tests/console/signals_tmux.sh /abs/path/to/trustmgr
#
# A plan is stopped at an exact step boundary with the test hook
# TM_TEST_PAUSE_AFTER_STEP / TM_TEST_PAUSE_DIR (two FIFOs), then the signal
# is sent: Ctrl-C with tmux send-keys, SIGHUP by killing the tmux window
# (tmux hangs up its terminal, as sshd does). Cases:
#   - command line, Ctrl-C: the plan stops after the running step, says what
#     was done and how to resume, exit status 130, terminal modes sane;
#   - command line, Ctrl-C twice: ends at once; the journal has the plan;
#   - command line, SIGHUP: the plan stops at the boundary (the journal shows
#     exactly the steps done before), the process ends;
#   - password prompt (echo off), Ctrl-C: echo and canonical mode are back,
#     nothing was changed;
#   - console (Resume of an interrupted plan), Ctrl-C: the console ends with
#     the terminal restored (modes, screen, cursor) and the message printed;
#   - console, SIGHUP: the process ends, the plan stops at the boundary; a
#     fresh window works.
# After each, `trustmgr journal` reports the interrupted plan, `trustmgr
# resume` finishes it and `trustmgr verify` passes. No sleeps waiting for the
# program: FIFOs, and bounded polling of the window (as smoke_tmux.sh).
# Last line: "signals: N passed, N failed".
set -u

NAME=signals
TOOLS="timeout mkfifo"
. "$(dirname "$0")/tmux_lib.sh"
fifo_wait=${TM_FIFO_SECONDS:-30}
cleanup() {
	# a trustmgr left paused on a FIFO: end it (only the ones we started)
	for f in "$root"/*.pid; do
		[ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	tmux_lib_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP


win=main
capture() { t capture-pane -p -J -t "$win" >"$cap" 2>/dev/null || : >"$cap"; }
wait_for() {
	i=0
	while [ "$i" -lt "$polls" ]; do
		capture
		grep -qF -- "$1" "$cap" && return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}
check() { if wait_for "$2"; then ok "$1"; else bad "$1 (never showed: $2)"; fi; }
keys() { t send-keys -t "$win" "$@"; }
# The shell of a window: a pinned environment, a known prompt.
shell_cmd="env -i PATH=/usr/bin:/bin HOME=$root/home LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TERM=$term PS1='sig-prompt\$ ' sh"
new_window() {         # new_window NAME [COMMAND]: a 100x30 window
	win=$1
	t new-window -d -n "$1" "${2:-$shell_cmd}"
}
# run.sh COMMAND...: runs it, then prints a marker line with its exit status
# and the terminal modes icanon and echo. It catches SIGINT itself (a handler,
# not SIG_IGN, so the command gets the default), so that a Ctrl-C that ends
# the command does not also end the list before the marker.
cat >"$root/run.sh" <<'EOF'
trap : INT
"$@"
echo "after: rc=$? $(stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' ')"
EOF
run="sh $root/run.sh"

# FIFOs of the pause hook, bounded waits on them.
pause_dir() {
	P=$root/pause-$1
	mkdir -p "$P" && mkfifo "$P/paused" "$P/resume"
}
read_paused() { timeout "$fifo_wait" cat "$P/paused"; }
release() { timeout "$fifo_wait" sh -c 'echo go >"$1/resume"' sh "$P"; }
# signalled: wait until the paused process has seen its signal (the pause
# hook marks it with $P/signal), so that releasing the pause cannot win
# the race against the terminal delivering Ctrl-C or the hangup.
signalled() {
	i=0
	while [ "$i" -lt "$polls" ]; do
		[ -e "$P/signal" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}
gone() {               # gone PID: poll until the process has ended
	i=0
	while [ "$i" -lt "$polls" ]; do
		kill -0 "$1" 2>/dev/null || return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# A store with domains A and B and no trust.
new_store() {
	S=$root/store-$1
	"$bin" --store "$S" domain add A --dns a.example --netbios A --sid S-1-5-21-1-2-3 >/dev/null &&
		"$bin" --store "$S" domain add B --dns b.example --netbios B --sid S-1-5-21-4-5-6 >/dev/null
}
# after_interrupt CASE STEPS_DONE: journal, resume, verify on store $S.
after_interrupt() {
	"$bin" --store "$S" journal >"$root/journal.out" 2>&1
	if grep -q "Interrupted plan: create A B" "$root/journal.out" &&
		grep -q "Progress: *$2 of 8 steps done" "$root/journal.out"; then
		ok "$1: journal reports the plan stopped after step $2"
	else
		bad "$1: journal does not report 'create A B' with $2 of 8 steps done"
		sed 's/^/  > /' "$root/journal.out"
	fi
	if "$bin" --store "$S" resume >"$root/resume.out" 2>&1; then ok "$1: resume"; else
		bad "$1: resume failed"; sed 's/^/  > /' "$root/resume.out"; fi
	if "$bin" --store "$S" verify A B >"$root/verify.out" 2>&1; then ok "$1: verify"; else
		bad "$1: verify failed after resume"; sed 's/^/  > /' "$root/verify.out"; fi
}

mkdir -p "$root/home"
t new-session -d -s sig -n main -x 100 -y 30 "$shell_cmd" ||
	{ : >"$cap"; bad "tmux could not start"; finish; }
check "shell prompt" "sig-prompt\$"

# ---- 1. command line, Ctrl-C while step 2 of "create" is done -----------------------
new_store cli-int && pause_dir cli-int
keys -l "$run env TM_TEST_PAUSE_AFTER_STEP=2 TM_TEST_PAUSE_DIR=$P $bin --store $S create A B"
keys Enter
if [ "$(read_paused)" = "paused 2" ]; then ok "cli: paused after step 2"; else bad "cli: never paused"; fi
keys C-c
check "cli: Ctrl-C is acknowledged" "stopping after the current step"
if signalled; then ok "cli: the signal reached the paused plan"; else bad "cli: no signal seen"; fi
release
check "cli: the command ends" "after: rc="
if grep -q "after: rc=130 icanon echo" "$cap"; then ok "cli: exit status 130, terminal modes sane"; else
	bad "cli: want 'after: rc=130 icanon echo'"; fi
check "cli: says where it stopped" "stopped at your request after step 2 of 8"
check "cli: says how to go on" "trustmgr resume"
after_interrupt "cli Ctrl-C" 2

# ---- 2. command line, Ctrl-C twice: at once --------------------------------------
new_store cli-twice && pause_dir cli-twice
keys -l "clear; $run env TM_TEST_PAUSE_AFTER_STEP=3 TM_TEST_PAUSE_DIR=$P $bin --store $S create A B"
keys Enter
if [ "$(read_paused)" = "paused 3" ]; then ok "cli twice: paused after step 3"; else bad "cli twice: never paused"; fi
keys C-c
check "cli twice: first Ctrl-C acknowledged" "stopping after the current step"
keys C-c
check "cli twice: ends at once" "after: rc=130"
if grep -q "after: rc=130 icanon echo" "$cap"; then ok "cli twice: terminal modes sane"; else
	bad "cli twice: want 'after: rc=130 icanon echo'"; fi
after_interrupt "cli Ctrl-C twice" 3

# ---- 3. command line, SIGHUP (the window is killed) --------------------------------
new_store cli-hup && pause_dir cli-hup
new_window cli-hup "sh -c 'echo \$\$ >$root/cli-hup.pid; exec env TM_TEST_PAUSE_AFTER_STEP=4 TM_TEST_PAUSE_DIR=$P $bin --store $S create A B'"
if [ "$(read_paused)" = "paused 4" ]; then ok "cli hup: paused after step 4"; else bad "cli hup: never paused"; fi
pid=$(cat "$root/cli-hup.pid")
t kill-window -t cli-hup
if signalled; then ok "cli hup: the hangup reached the paused plan"; else bad "cli hup: no signal seen"; fi
release
if gone "$pid"; then ok "cli hup: the process ended"; rm -f "$root/cli-hup.pid"; else bad "cli hup: still running"; fi
after_interrupt "cli SIGHUP" 4

# ---- 4. the password prompt, Ctrl-C: echo back on ------------------------------------
win=main
new_store prompt
keys -l "clear; $run $bin --store $S permit B A"
keys Enter
check "prompt: asks the password" "assword"
keys C-c
check "prompt: the command ends" "after: rc="
if grep -q "after: rc=130 icanon echo" "$cap"; then ok "prompt: echo and icanon back after Ctrl-C"; else
	bad "prompt: want 'after: rc=130 icanon echo'"; fi
if "$bin" --store "$S" journal 2>&1 | grep -q "No interrupted plan"; then ok "prompt: nothing pending"; else
	bad "prompt: a plan is pending after Ctrl-C at the prompt"; fi

# ---- 5. console: Resume of an interrupted plan, Ctrl-C mid-plan -------------------------
new_store con-int && pause_dir con-int
TM_TEST_KILL_AFTER_STEP=1 "$bin" --store "$S" create A B >/dev/null 2>&1
keys -l "clear; $run env TM_TEST_PAUSE_AFTER_STEP=3 TM_TEST_PAUSE_DIR=$P $bin --store $S"
keys Enter
check "console: offers the interrupted plan" "Interrupted Plan"
keys r
if [ "$(read_paused)" = "paused 3" ]; then ok "console: resumed, paused after step 3"; else bad "console: never paused"; fi
keys C-c
if signalled; then ok "console: the signal reached the paused plan"; else bad "console: no signal seen"; fi
release
check "console: ends" "after: rc="
if grep -q "after: rc=130 icanon echo" "$cap"; then ok "console: exit 130, terminal modes sane"; else
	bad "console: want 'after: rc=130 icanon echo'"; fi
if grep -qF "Interrupted Plan" "$cap"; then bad "console: its screen is still visible"; else ok "console: screen restored"; fi
check "console: says where it stopped" "stopped at your request after step 3 of 8"
if t display-message -p -t "$win" '#{cursor_flag} #{alternate_on}' | grep -qx "1 0"; then
	ok "console: cursor visible, alternate screen left"
else
	bad "console: cursor hidden or alternate screen still on"
fi
after_interrupt "console Ctrl-C" 3

# ---- 6. console: SIGHUP mid-plan (the window is killed) ------------------------------
new_store con-hup && pause_dir con-hup
TM_TEST_KILL_AFTER_STEP=1 "$bin" --store "$S" create A B >/dev/null 2>&1
new_window con-hup "sh -c 'echo \$\$ >$root/con-hup.pid; exec env TERM=$term TM_TEST_PAUSE_AFTER_STEP=5 TM_TEST_PAUSE_DIR=$P $bin --store $S'"
check "console hup: offers the interrupted plan" "Interrupted Plan"
keys r
if [ "$(read_paused)" = "paused 5" ]; then ok "console hup: paused after step 5"; else bad "console hup: never paused"; fi
pid=$(cat "$root/con-hup.pid")
t kill-window -t con-hup
if signalled; then ok "console hup: the hangup reached the paused plan"; else bad "console hup: no signal seen"; fi
release
if gone "$pid"; then ok "console hup: the process ended"; rm -f "$root/con-hup.pid"; else bad "console hup: still running"; fi
new_window fresh
check "console hup: a fresh window has a prompt" "sig-prompt\$"
keys -l "$run $bin --store $S journal"
keys Enter
check "console hup: the next run reports the plan" "Interrupted plan: create A B"
wait_for "after: rc=" || :
if grep -q "after: rc=[0-9]* icanon echo" "$cap"; then ok "console hup: fresh terminal sane"; else
	bad "console hup: fresh window's modes"; fi
after_interrupt "console SIGHUP" 5

finish
