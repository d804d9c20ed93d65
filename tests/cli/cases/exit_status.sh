# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The exit status table of trustmgr(8) holds for every command that
# `trustmgr help` lists, without --json: a message that starts with an
# NTSTATUS name never exits 2 (3 for a refusal, 4 for a damaged store file);
# usage errors exit 2 (tests/cli/everywhere.py).
. "$TM_LIB"

LAST="everywhere.py status"
"$TM_PYTHON" "$(dirname "$TM_LIB")/everywhere.py" status >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0

# The refusals that once exited 2 with an NTSTATUS name (a new store).
XDG_DATA_HOME=$PWD/second
export XDG_DATA_HOME
add_corp
add_partner
for bad in "--direction sideways" "--type nope" "--enctypes nope"; do
	# shellcheck disable=SC2086
	tm create CORP PARTNER $bad
	err_starts "STATUS_"
	expect_rc 3
done
tm tdo add CORP --partner x.example --flat X --direction inbound --type uplevel --attributes zz
err_starts "STATUS_INVALID_PARAMETER: "
expect_rc 3
tm domain add BAD --dns bad.example --netbios BAD --sid S-1
err_starts "STATUS_INVALID_SID: "
expect_rc 3
tm domain add BAD2 --dns bad2.example --netbios BAD2 --sid S-1-5-21-1-2-3 --functional-level 1999
err_starts "STATUS_"
expect_rc 3
