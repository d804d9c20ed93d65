# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# `trustmgr --domain NAME` opens the console on NAME (tests/console case
# open_on_domain); without a terminal it lists only NAME's trusts. A name
# trustmgr does not know is refused before anything opens, in the project's
# three parts (the NTSTATUS, what and why, what to do), exit status 3; a
# command with --domain is a usage error (2), as the command names its
# domain itself.
. "$TM_LIB"

tm demo
expect_rc 0

tm --domain NOPE
expect_rc 3
err_starts "STATUS_NO_SUCH_DOMAIN: --domain NOPE: NOPE is not a domain trustmgr knows"
err_has "trustmgr domain list"
out_empty

# by store name, DNS name and NetBIOS name (any case): only that domain
for name in SALES sales.corp.example sales; do
	tm --domain "$name"
	expect_rc 0
	out_has "SALES (sales.corp.example)"
	out_lacks "LEGACY (NT 4)"
done
tm --domain PARTNER --json
expect_rc 0
json_eq 'd["domain"]' PARTNER

tm list CORP --domain SALES
expect_rc 2
err_has "--domain chooses the domain the console opens on; 'list' names its domain"
