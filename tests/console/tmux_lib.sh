# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# tmux_lib.sh - the prelude the tmux tests share (smoke_tmux.sh,
# signals_tmux.sh, terminal_tmux.sh); sourced, not run. Before sourcing set NAME (as in
# "NAME: N passed, N failed") and TOOLS (the commands the test needs besides
# tmux and infocmp); $1 is the trustmgr binary. Checks both, then sets bin
# (absolute), term, sock, root (a new temporary folder), cap, polls,
# sockfile, pass and fail, and defines t (tmux on the private server),
# ok / bad (count a check; bad shows the last capture, and the window $win
# when set), finish (the last line and the exit status) and
# tmux_lib_cleanup (kills that server, removes the folder). The test sets
# its own traps and calls tmux_lib_cleanup from its cleanup.
tmux_lib_give_up() {
	echo "$NAME: $1" >&2
	echo "$NAME: 0 passed, 1 failed"
	exit "${2:-1}"
}

bin=${1:-}
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	tmux_lib_give_up "usage: sh tests/console/${NAME}_tmux.sh /abs/path/to/trustmgr" 2
fi
case $bin in /*) ;; *) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;; esac
for tool in tmux infocmp $TOOLS; do
	command -v "$tool" >/dev/null 2>&1 ||
		tmux_lib_give_up "$tool is missing (apt-get install tmux ncurses-bin coreutils)"
done
term=screen-256color
infocmp "$term" >/dev/null 2>&1 ||
	tmux_lib_give_up "no terminfo entry for $term (apt-get install ncurses-base)"

sock=tm-$NAME-$$
root=$(mktemp -d "${TMPDIR:-/tmp}/trustmgr-$NAME.XXXXXX") || exit 1
cap=$root/capture
polls=${TM_SMOKE_POLLS:-600}    # 0.05 s apart: a wait gives up after 30 s
sockfile=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock

t() { tmux -L "$sock" -f /dev/null "$@"; }

# tmux_lib_poll COMMAND...: capture the window (the caller's capture) and
# run COMMAND until it succeeds, at most $polls times 0.05 s apart; 1 if it
# never does.
tmux_lib_poll() {
	i=0
	while [ "$i" -lt "$polls" ]; do
		capture
		"$@" && return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

tmux_lib_cleanup() {
	tmux -L "$sock" kill-server >/dev/null 2>&1
	rm -f "$sockfile"
	rm -rf "$root"
}

pass=0
fail=0
ok() {
	pass=$((pass + 1))
	[ -n "${TM_VERBOSE:-}" ] && echo "ok: $1"
	return 0
}
bad() {
	fail=$((fail + 1))
	echo "FAIL: $1"
	echo "  last capture${win:+ ($win)}:"
	sed 's/^/  | /' "$cap"
}
finish() {
	echo "$NAME: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
