# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Every command that `trustmgr help` lists, with --json, in success and in
# failure (usage errors, a missing configuration, a store that is a file,
# an unknown domain, a damaged domain file, an interrupted plan): standard
# output is exactly one JSON object with "version", a failure's "error"
# object names the exit status and the NTSTATUS (tests/cli/everywhere.py).
. "$TM_LIB"

LAST="everywhere.py json"
"$TM_PYTHON" "$(dirname "$TM_LIB")/everywhere.py" json >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0

# Refused before the command line is read (a password in the environment).
LAST="list CORP --json (TRUSTMGR_PASSWORD set)"
TRUSTMGR_PASSWORD=not-read trustmgr list CORP --json >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 2
json_error None 2
err_has "the environment variable TRUSTMGR_PASSWORD is set"

# --json never opens the console: the overview is the domain list.
tm --json --headless
expect_rc 0
json_eq 'd["version"]' 1
json_eq 'len(d["domains"]) >= 5' True
