# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# scn_console.sh - the console (sourced by run.sh): the first screen with N1
# trusts, headless, against ldapsearch of the same entries; and bytes written
# to a real terminal (a pty) per selection move and per dialog, against a
# full-screen redraw.

# A trustmgr.conf holding only lab domain C, so the console opens on it.
conf_only_c() {
	awk '/^\[domains\]/ { print; keep = 0; next }
	     /^    [A-Z] = \{/ { keep = ($1 == "C") }
	     keep || !/^    / { print }' "$TRUSTMGR_CONFIG" >"$WORK/c.conf"
}

tm_console() {
	(TRUSTMGR_CONFIG=$WORK/c.conf
	 export TRUSTMGR_CONFIG
	 run_timed "$1" -- "$BIN" --headless --size 80x24 --script "$WORK/first.keys")
}
std_console() { ldap_list "$1" C; }

scn_console() {
	conf_only_c
	printf ':save-screen %s\n' "$WORK/first.txt" >"$WORK/first.keys"
	pair console "$REPS" '<=' 1.5 "first screen, lab C with $N1 trusts, vs ldapsearch"
	grep -q 'Domain: C' "$WORK/first.txt" || die "the console did not open on C"
	grep -q 'T000001' "$WORK/first.txt" || die "the console's first screen lacks the trusts"
}

# tty_bytes KEYS: bytes trustmgr writes to an 80x24 xterm for a script.
tty_bytes() {
	printf '%s\n:quit\n' "$1" >"$WORK/tty.keys"
	TERM=xterm-256color "$TTYBYTES" 80 24 -- "$BIN" --store "$WORK/store-$NTTY" \
		--script "$WORK/tty.keys" | awk '{ print $1 }'
}

scn_ttybytes() {
	moves=20
	keys=
	i=0
	while [ "$i" -lt "$moves" ]; do keys="$keys<Down>"; i=$((i + 1)); done
	b0=$(tty_bytes '')
	bm=$(tty_bytes "$keys")
	bd=$(tty_bytes '<A-p><Esc>')
	bf=$(tty_bytes '<C-l>')
	per=$(( (bm - b0) / moves ))
	dlg=$((bd - b0))
	full=$((bf - b0))
	record tty_select_move "$per" "$full" bytes "$(ratio "$per" "$full")" "$per" '<=' 300 \
		"bytes per row move in a $NTTY-row list; standard = full redraw (Ctrl-L)"
	record tty_dialog_open_close "$dlg" "$full" bytes "$(ratio "$dlg" "$full")" \
		"$(ratio "$dlg" "$full")" '<=' 2 "Properties opened and closed; standard = full redraw"
	say "tty: $b0 bytes to open and quit, $per a move, $dlg a dialog, $full a full redraw"
}
