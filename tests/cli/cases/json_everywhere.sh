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
