# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Forest recovery (netdom /resetOneSide): one side reset -> kvno mismatch;
# the other side with the same password -> ok; current = previous.
. "$TM_LIB"

add_corp
add_partner
pwfile pwT 'Recovery-passwordT-42'
tm create CORP PARTNER
expect_rc 0

tm reset-one-side CORP PARTNER --password-file pwT
expect_rc 0
tm verify CORP PARTNER
expect_rc 1
out_has "kvno-mismatch"
tm verify CORP PARTNER --json
expect_rc 1
json_ok
json_eq 'd["ok"]' False
json_eq '"kvno-mismatch" in [x["outcome"] for x in d["directions"]]' True

tm_stdin pwT reset-one-side PARTNER CORP --password-file -
expect_rc 0
tm verify CORP PARTNER
expect_rc 0
out_has "CORP trusts PARTNER: ok"
out_has "PARTNER trusts CORP: ok"

for side in "CORP PARTNER" "PARTNER CORP"; do
	tm show $side
	expect_rc 0
	[ "$(grep -c 'previous equals current: yes' "$OUT")" = 2 ] ||
		fail "show $side: both secrets should have previous equal to current"
	out_lacks 'Recovery-passwordT-42'
	tm show $side --json
	json_eq 'd["incoming"]["previous_equals_current"] and d["outgoing"]["previous_equals_current"]' True
done
