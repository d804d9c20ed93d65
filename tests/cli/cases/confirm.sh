# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Destructive commands ask "Proceed? [y/N]" on a terminal (a real pty,
# tests/cli/tty.py): the plan first, then only y/yes goes on; n, an empty
# line, end of input and Ctrl-C change nothing (exit 5, or by SIGINT);
# --yes skips the question, --dry-run never asks, and without a terminal
# the commands go ahead as before.
. "$TM_LIB"

# The store is exactly as before (every file, the journal's included).
same_store() {
	now=$(store_sum; find "$STORE/journal" -type f 2>/dev/null | LC_ALL=C sort | xargs -r sha256sum)
	[ "$now" = "$1" ] || fail "the store changed after $LAST"
}

both_sides() {
	tm show CORP PARTNER
	expect_rc "$1"
	tm show PARTNER CORP
	expect_rc "$2"
}

STORE=$XDG_DATA_HOME/trustmgr
add_corp
add_partner
tm create CORP PARTNER
expect_rc 0
before=$(store_sum; find "$STORE/journal" -type f 2>/dev/null | LC_ALL=C sort | xargs -r sha256sum)

for answer in confirm-no confirm-empty confirm-eof confirm-ctrlc confirm-json-no \
	confirm-reset-one-side-no confirm-recover-no confirm-dry-run; do
	pty_scenario "$answer"
	same_store "$before"
done
both_sides 0 0

pty_scenario confirm-yes
both_sides 3 3

# Without a terminal: no question, the command goes ahead (as in scripts).
tm create CORP PARTNER
expect_rc 0
tm remove CORP PARTNER --sides both
expect_rc 0
err_lacks "Proceed?"
out_lacks "Proceed?"
both_sides 3 3

tm create CORP PARTNER
expect_rc 0
pty_scenario confirm-flag
both_sides 3 3
tm create CORP PARTNER
expect_rc 0
pty_scenario confirm-y
both_sides 3 0
tm remove PARTNER CORP
expect_rc 0

# tdo delete: "yes" in any case, blanks around it; only CORP's side goes.
tm create CORP PARTNER
expect_rc 0
pty_scenario confirm-YES
both_sides 3 0
tm remove PARTNER CORP
expect_rc 0

# rollback and discard of an interrupted plan ask too.
LAST="create CORP PARTNER (TM_TEST_KILL_AFTER_STEP=3)"
TM_TEST_KILL_AFTER_STEP=3 trustmgr create CORP PARTNER >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 137
before=$(store_sum; find "$STORE/journal" -type f 2>/dev/null | LC_ALL=C sort | xargs -r sha256sum)
pty_scenario confirm-rollback-no
same_store "$before"
pty_scenario confirm-discard-no
same_store "$before"
tm journal --json
json_eq 'd["interrupted"]' True
pty_scenario confirm-rollback-yes
tm journal --json
json_eq 'd["interrupted"]' False
both_sides 3 3

# After a yes, Ctrl-C at the password prompt still ends by SIGINT.
tm create CORP PARTNER
expect_rc 0
pty_scenario interrupt-after-yes
tm journal --json
json_eq 'd["interrupted"]' False
both_sides 0 0
