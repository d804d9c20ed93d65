#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Smoke test: the real trustmgr console in a real terminal (tmux).
#
#   sh tests/console/smoke_tmux.sh /abs/path/to/trustmgr
#
# A private tmux server (its own socket, no configuration file) runs a plain
# shell in a 100x30 window with a pinned environment; the shell starts the
# console on a fresh demo store.  The test types keys with send-keys and
# reads the window with capture-pane, checking what a person would see: the
# Trust Relationships dialog, the domain line, rows in both lists, a
# sub-dialog that opens with Tab/Enter and closes with Esc, F6 switching the
# domain, the window shrunk below the minimum and grown back, and, after
# quitting with Esc and Yes, the shell back with the terminal in a sane state (exit
# status 0, echo and canonical mode on, the console's screen gone).  It
# never sleeps to wait for the program: each wait polls the window until
# what it waits for shows, bounded (TM_SMOKE_POLLS, default 600 polls 0.05 s
# apart, so that a loaded machine does not fail it), and a wait that runs
# out fails showing the last capture.  The tmux server and the temporary
# folder are removed on every exit.  Last line: "smoke: N passed, N failed".
set -u

NAME=smoke
TOOLS=""
. "$(dirname "$0")/tmux_lib.sh"
trap tmux_lib_cleanup EXIT
trap 'exit 130' INT TERM HUP


capture() {
	t capture-pane -p -t smoke >"$cap" 2>/dev/null || : >"$cap"
}

# poll until the window contains TEXT (fixed string); 1 if it never does
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

# poll until a line starting with TEXT2 follows a line containing TEXT1
wait_for_after() {
	i=0
	while [ "$i" -lt "$polls" ]; do
		capture
		if awk -v a="$1" -v b="$2" '
			seen && index($0, b) == 1 { found = 1 }
			{ seen = index($0, a) > 0 }
			END { exit !found }' "$cap"; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# poll until the window no longer contains TEXT
wait_gone() {
	i=0
	while [ "$i" -lt "$polls" ]; do
		capture
		grep -qF -- "$1" "$cap" || return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# check NAME TEXT: wait for TEXT, count the result
check() {
	if wait_for "$2"; then ok "$1"; else bad "$1 (never showed: $2)"; fi
}

keys() {
	t send-keys -t smoke "$@"
}

# The store: the demo domains, plus one with a non-ASCII NetBIOS name.
mkdir -p "$root/home"
store=$root/store
if ! "$bin" --store "$store" demo >"$root/demo.log" 2>&1; then
	cat "$root/demo.log"
	: >"$cap"
	bad "trustmgr demo failed"
	finish
fi

# A plain shell with a known prompt in a 100x30 window.
t new-session -d -s smoke -x 100 -y 30 \
	"env -i PATH=/usr/bin:/bin HOME=$root/home LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TERM=$term PS1='smoke-prompt\$ ' sh" ||
	{ : >"$cap"; bad "tmux could not start"; finish; }
check "shell prompt" "smoke-prompt\$"

# Start the console; the marker line reports its exit status and the tty modes
# once the shell has the terminal back. The marker "after: rc=" is printed by
# printf from two pieces, so the typed command line never contains it: only
# the finished command can show it on the screen.
keys -l "$bin --store $store; printf '%s: rc=%s %s\\n' aft''er \"\$?\" \"\$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')\""
keys Enter

check "title" "Trust Relationships"
check "domain line" "Domain:"
check "trusted list" "Trusted Domains"
check "trusting list" "Trusting Domains"

# Which domain did it open on, and are there rows under each list header?
capture
domain=$(sed -n 's/.*Domain: *\([^ ][^ ]*\).*/\1/p' "$cap" | head -n 1)
rows() {
	# rows between the header $1 and the next header or the end, naming a
	# demo domain
	awk -v h="$1" '
		index($0, "Trusted Domains") || index($0, "Trusting Domains") { inside = index($0, h) > 0; next }
		inside && /(CORP|SALES|PARTNER|LEGACY|LAB)/ { n++ }
		END { print n + 0 }' "$cap"
}
if [ "$domain" = CORP ]; then
	ok "opens on CORP"
	if [ "$(rows 'Trusted Domains')" -ge 4 ]; then ok "trusted rows"; else bad "CORP should show 4 trusted domains (SALES, PARTNER, LEGACY, LAB)"; fi
	if [ "$(rows 'Trusting Domains')" -ge 2 ]; then ok "trusting rows"; else bad "CORP should show 2 trusting domains (SALES, PARTNER)"; fi
	# each row at 100 columns: the NetBIOS name, the DNS name (or "(NT 4)"),
	# the type (Transitive is the one column with no room)
	for row in 'SALES +sales\.corp\.example +in forest' 'PARTNER +partner\.example +forest' \
		'LEGACY +\(NT 4\) +downlevel' 'LAB\.EXAMPLE +LAB\.EXAMPLE +realm'; do
		if grep -qE " $row " "$cap"; then ok "row $row"; else bad "no row matching '$row'"; fi
	done
else
	bad "the console should open on the first domain, CORP; the domain line reads: '$domain'"
fi

# A sub-dialog opens from the keyboard (focus moves with Tab, Enter presses
# the focused Add... button) and Esc closes it without touching the main dialog.
# The list has the focus; one Tab moves it to Add... of Trusted Domains.
keys Tab
keys Enter
if wait_for "Add Trusted Domain"; then
	ok "Tab/Enter opens Add Trusted Domain"
	check "the dialog asks for the password" "Password:"
	keys Escape
	if wait_gone "Add Trusted Domain"; then ok "Esc closes the dialog"; else bad "Esc did not close Add Trusted Domain"; fi
	check "the main dialog is back" "Trusting Domains"
else
	bad "Tab/Enter did not open Add Trusted Domain"
fi

# F6: the domain switcher (CORP, LAB, LEGACY, PARTNER, SALES); pick PARTNER.
keys F6
if wait_for "Select Domain"; then
	ok "F6 opens the domain switcher"
	keys Down Down Down Enter
	if wait_for "Domain: PARTNER (partner.example)"; then
		ok "F6 switched to PARTNER"
	else
		bad "F6 did not switch the dialog to PARTNER"
	fi
	if wait_gone "Select Domain"; then ok "the switcher closed"; else bad "the switcher is still open"; fi
else
	bad "F6 did not open the domain switcher"
fi

# The terminal shrinks below the minimum and grows back (SIGWINCH): a
# message instead of a broken layout, then the dialog again.
t resize-window -t smoke -x 50 -y 15
check "too small: says so" "too small"
t resize-window -t smoke -x 100 -y 30
if wait_gone "too small" && wait_for "Trusting Domains"; then
	ok "grown back: the dialog again"
else
	bad "after growing back the dialog is not drawn again"
fi

# Quit: Esc on the main dialog asks "Leave trustmgr?", Enter (Yes) leaves;
# the shell gets the terminal back.
keys Escape
if wait_for "Leave trustmgr?"; then
	ok "Esc asks before leaving"
else
	bad "Esc on the main dialog did not ask Leave trustmgr?"
fi
keys Enter
if wait_for "after: rc="; then
	if grep -qx "after: rc=0 icanon echo *" "$cap"; then
		ok "exit status 0, terminal modes restored"
	else
		bad "after quitting: exit status or terminal modes wrong (want: after: rc=0 icanon echo)"
	fi
	if grep -qF "Trusting Domains" "$cap"; then
		bad "the console's screen is still visible after it exited"
	else
		ok "screen restored"
	fi
	# a fresh prompt on the line after the marker: the shell reads the
	# terminal again
	if wait_for_after "after: rc=" "smoke-prompt\$"; then
		ok "prompt back"
	else
		bad "no shell prompt after the marker line"
	fi
	# and it echoes what is typed
	keys -l "echo typed-after-exit"
	keys Enter
	if wait_for_after "echo typed-after-exit" "typed-after-exit"; then
		ok "the shell works after the console"
	else
		bad "the shell does not echo and run commands after the console"
	fi
else
	bad "the console did not exit on Esc, Yes"
fi
finish
