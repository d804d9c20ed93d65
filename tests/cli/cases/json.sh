# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The JSON writer escapes quotes, backslashes and control characters, passes
# UTF-8 through and replaces invalid bytes, so the output always parses.
. "$TM_LIB"

add_corp
add_partner

# A domain name full of awkward characters reaches the error object.
odd=$(printf 'A"B\\C\tD\001E\nF\342\202\254G\377H')
tm create "$odd" PARTNER --json
expect_rc 3
json_ok
json_eq 'd["ok"]' False
json_eq 'd["error"]["status"]' STATUS_NO_SUCH_DOMAIN
json_eq 'd["version"]' 1
json_eq 'sorted(d["error"])' "['class', 'exit', 'hint', 'message', 'next', 'status', 'what']"
json_eq 'd["error"]["exit"]' 3
json_eq 'd["error"]["message"] == d["error"]["what"]' True
json_eq '"A\"B\\C\tD\x01E\nF\u20acG\ufffdH" in d["error"]["what"]' True
err_starts "STATUS_NO_SUCH_DOMAIN: "

# One object for each JSON-capable command, with its documented keys.
tm create CORP PARTNER --json
expect_rc 0
json_ok
json_eq 'sorted(d)' "['command', 'directions', 'error', 'exit_status', 'message', 'ok', 'op', 'version']"
json_eq 'd["exit_status"]' 0

tm list CORP --json
json_eq 'sorted(d)' "['dns', 'domain', 'kind', 'netbios', 'trusted', 'trusting', 'version']"
json_eq 'sorted(d["trusted"][0])' "['direction', 'display', 'flat_name', 'name', 'partner', 'state', 'state_changed', 'trust_direction', 'type']"

tm show CORP PARTNER --json
json_eq 'sorted(d["incoming"])' "['age_seconds', 'changed', 'current', 'current_kvno', 'previous', 'previous_equals_current', 'previous_kvno']"
json_eq 'd["when_created"].endswith("Z")' True

tm verify CORP PARTNER --json
json_eq 'sorted(d)' "['directions', 'domain', 'error', 'ok', 'partner', 'version']"
json_eq 'd["error"]' None

tm journal --json
json_eq 'd' "{'version': 1, 'interrupted': False}"

tm reset CORP PARTNER --dry-run --json
json_eq 'sorted(d)' "['domain', 'dry_run', 'expected_result', 'expected_status', 'op', 'partner', 'secrets', 'steps', 'summary', 'version']"
json_eq 'd["secrets"][0]["source"]' generated

# On stderr, the control characters of that name are shown as '?'.
tm create "$odd" PARTNER
expect_rc 3
err_has 'A"B\C?D?E?F'
! grep -q "$(printf '\001')" "$ERR" || fail "a control character reached stderr"
