#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The console and the terminal it runs in (issue 15), in a real terminal
# (tmux):
#
#   sh tests/console/terminal_tmux.sh /abs/path/to/trustmgr
#
#   - TERM=dumb: refused before anything is drawn (the typed command line
#     stays on the screen), status 2, the message names the fix and the
#     command line; the terminal's modes untouched;
#   - flow control on (stty ixon): while the console runs the terminal has
#     -ixon (Ctrl-C still raises SIGINT: isig), Ctrl-S freezes nothing (F1
#     after it opens Help), Ctrl-Q leaves with status 0 and ixon back;
#   - Ctrl-Z: the shell gets the terminal back with its own modes (ixon,
#     icanon, echo), `fg` brings the console back (-ixon again), Ctrl-Q
#     leaves;
#   - focus reports (tmux's focus-events on): with the idle watch off
#     (TRUSTMGR_WATCH_SECONDS=0), a trust removed by another trustmgr stays
#     listed until the terminal reports the focus (ESC [ I), then it is gone;
#     ESC [ O does nothing;
#   - the idle watch (default): a trust removed by another trustmgr goes
#     from the list while nobody types.
# No sleeps waiting for the program: bounded polling of the window, as
# smoke_tmux.sh. Last line: "terminal: N passed, N failed".
set -u

NAME=terminal
TOOLS="stty"
. "$(dirname "$0")/tmux_lib.sh"
trap tmux_lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

win=term
capture() { t capture-pane -p -t "$win" >"$cap" 2>/dev/null || : >"$cap"; }
not() { ! "$@"; }
shows() { grep -qF -- "$1" "$cap"; }
wait_for() { tmux_lib_poll shows "$1"; }
# wait_prompt: the shell waits at its prompt (the last line written is the
# bare prompt), so what is typed next comes after it, not as type-ahead
# echoed before it.
at_prompt() { [ "$(grep -v '^ *$' "$cap" | tail -n 1)" = 'term-prompt$' ]; }
wait_prompt() { tmux_lib_poll at_prompt; }
wait_gone() { tmux_lib_poll not shows "$1"; }
check() { if wait_for "$2"; then ok "$1"; else bad "$1 (never showed: $2)"; fi; }
keys() { t send-keys -t "$win" "$@"; }
# The modes of the window's terminal now, as "ixon isig icanon echo" with a
# '-' before each one that is off.
modes() {
	stty -a <"$pane_tty" | tr ' ;' '\n\n' | grep -xE -- '-?(ixon|isig|icanon|echo)' | tr '\n' ' '
}
has_mode() {          # has_mode NAME MODE: MODE (e.g. -ixon) is in the modes now
	m=$(modes)
	case " $m " in
	*" $2 "*) ok "$1" ;;
	*) : >"$cap"; bad "$1: the terminal's modes are '$m', want $2" ;;
	esac
}
# Start the console (ENV: assignments before it); the marker line
# "after: rc=N MODES" comes once the shell has the terminal back (printed
# from two pieces, so the typed command line never shows it).
start() {
	capture
	if grep -qF "after: rc=" "$cap"; then      # an earlier marker: clear it first
		keys -l "clear"
		keys Enter
		wait_gone "after: rc=" || bad "clear did not clear the window"
	fi
	wait_prompt || bad "no shell prompt before starting trustmgr"
	keys -l "$1 $bin --store $store; printf '%s: rc=%s %s\\n' aft''er \"\$?\" \"\$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(ixon|icanon|echo)' | tr '\\n' ' ')\""
	keys Enter
}
# A list of the window shows the row NAME (a NetBIOS name after the
# list's border, ASCII or line drawing).
listed() { grep -qE "(\\||│) $1 " "$cap"; }
# poll until the row NAME is listed (wait_listed) or not (wait_unlisted)
wait_listed() { tmux_lib_poll listed "$1"; }
wait_unlisted() { tmux_lib_poll not listed "$1"; }
# F1 on the list opens Help on it; Esc closes it
help_text="The domains this domain trusts"

store=$root/store
mkdir -p "$root/home"
if ! "$bin" --store "$store" demo >"$root/demo.log" 2>&1; then
	cat "$root/demo.log"
	: >"$cap"
	bad "trustmgr demo failed"
	finish
fi
t set -g focus-events on 2>/dev/null || t set -s focus-events on 2>/dev/null
t new-session -d -s "$win" -x 100 -y 30 \
	"env -i PATH=/usr/bin:/bin HOME=$root/home LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TERM=$term PS1='term-prompt\$ ' sh" ||
	{ : >"$cap"; bad "tmux could not start"; finish; }
check "shell prompt" "term-prompt\$"
pane_tty=$(t display -p -t "$win" '#{pane_tty}')
keys -l "stty ixon"
keys Enter
wait_for "term-prompt\$ stty ixon" && wait_prompt || bad "stty ixon did not give the prompt back"

# ---- TERM=dumb --------------------------------------------------------------
start "TERM=dumb"
if wait_for "after: rc="; then
	if grep -qF "after: rc=2 ixon icanon echo" "$cap"; then
		ok "dumb: status 2, modes untouched"
	else
		bad "dumb: want 'after: rc=2 ixon icanon echo'"
	fi
	for text in "the console cannot run on this terminal: TERM=dumb describes a terminal that cannot move" \
		"Set TERM to the type of the terminal you are using" "'trustmgr list DOMAIN'"; do
		if tr -d '\n' <"$cap" | grep -qF -- "$text"; then ok "dumb says: $text"; else bad "dumb does not say: $text"; fi
	done
	if tr -d '\n' <"$cap" | grep -qF "stty ixonterm-prompt\$ TERM=dumb $bin" &&
		! grep -qF "Trust Relationships" "$cap"; then
		ok "dumb: nothing drawn, the command line still on the screen"
	else
		bad "dumb: the screen was drawn on or cleared"
	fi
else
	bad "dumb: the console did not end"
fi

# ---- Ctrl-S and Ctrl-Q with flow control on ------------------------------------
start ""
check "console up" "Trust Relationships"
has_mode "flow control off while the console runs" "-ixon"
has_mode "Ctrl-C still a signal while the console runs" "isig"
keys C-s
keys F1
if wait_for "$help_text"; then ok "Ctrl-S freezes nothing: F1 after it opens Help"; else bad "after Ctrl-S, F1 did not open Help"; fi
keys Escape
wait_gone "$help_text" || bad "Esc did not close Help"
keys C-q
if wait_for "after: rc="; then
	if grep -qF "after: rc=0 ixon icanon echo" "$cap"; then
		ok "Ctrl-Q leaves with flow control on; ixon back"
	else
		bad "after Ctrl-Q: want 'after: rc=0 ixon icanon echo'"
	fi
else
	bad "Ctrl-Q did not leave the console (flow control on)"
fi

# ---- Ctrl-Z, fg ---------------------------------------------------------------------
keys -l "clear; $bin --store $store"
keys Enter
check "console up again" "Trust Relationships"
keys C-z
if wait_for "Stopped"; then
	ok "Ctrl-Z suspends"
	has_mode "suspended: the shell's flow control" "ixon"
	has_mode "suspended: the shell's canonical mode" "icanon"
	keys -l "fg"
	keys Enter
	check "fg: the console again" "Trusting Domains"
	has_mode "resumed: flow control off again" "-ixon"
	keys C-q
	if wait_gone "Trusting Domains" && wait_for "term-prompt"; then ok "Ctrl-Q after fg"; else bad "Ctrl-Q after fg did not leave"; fi
	has_mode "after the console: ixon" "ixon"
else
	bad "Ctrl-Z did not suspend the console"
	keys C-q
fi

# ---- focus reports -------------------------------------------------------------------
start "TRUSTMGR_WATCH_SECONDS=0"
check "console up (no idle watch)" "Trust Relationships"
wait_listed LEGACY || bad "LEGACY is not listed at the start"
"$bin" --store "$store" remove CORP LEGACY --sides local >"$root/remove1.log" 2>&1 ||
	{ cat "$root/remove1.log"; bad "trustmgr remove CORP LEGACY failed"; }
keys -H 1b 5b 4f                 # ESC [ O: the window lost the focus
keys F1
check "focus-out does nothing (F1 still opens Help)" "$help_text"
keys Escape
wait_gone "$help_text" || bad "Esc did not close Help"
capture
# Help closed over the list: the stamp moved, so the list was read again
if listed LEGACY; then bad "LEGACY still listed after a dialog closed"; else ok "a dialog closing reads the changed store"; fi
"$bin" --store "$store" remove CORP LAB.EXAMPLE --sides local >"$root/remove2.log" 2>&1 ||
	{ cat "$root/remove2.log"; bad "trustmgr remove CORP LAB.EXAMPLE failed"; }
capture
if listed 'LAB\.EXAMPLE'; then ok "without a report nothing is read"; else bad "LAB.EXAMPLE vanished without a focus report or the idle watch"; fi
keys -H 1b 5b 49                 # ESC [ I: the window got the focus
if wait_unlisted 'LAB\.EXAMPLE'; then ok "a focus report reads the changed store"; else bad "LAB.EXAMPLE still listed after a focus report"; fi
keys C-q
wait_for "after: rc=0" || bad "the console did not leave with status 0"

# ---- the idle watch ------------------------------------------------------------------
start ""
check "console up (idle watch)" "Trust Relationships"
wait_listed SALES || bad "SALES is not listed at the start"
"$bin" --store "$store" remove CORP SALES --sides local >"$root/remove3.log" 2>&1 ||
	{ cat "$root/remove3.log"; bad "trustmgr remove CORP SALES failed"; }
if wait_unlisted SALES; then ok "the idle watch reads the changed store"; else bad "SALES still listed: the idle watch did not notice"; fi
keys C-q
wait_for "after: rc=0" || bad "the console did not leave with status 0"
finish
