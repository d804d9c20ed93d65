# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# recreate with a partner trustmgr cannot write (here: a domain it does not
# know): only this end is removed (and, when this side is the trusted one of
# a direction, permitted again); the other administrator gets the ordered
# instructions: the trusted side permits first, then the trusting side trusts.
. "$TM_LIB"

add_corp
pwfile pw 'Some-Trust-Pw-1'
pwfile initial 'Initial-Pw-9'

line_of() {          # line_of TEXT: the first stdout line number holding TEXT
	grep -nF -- "$1" "$OUT" | head -n 1 | cut -d: -f1
}
before() {           # before A B: A appears on an earlier line than B
	a=$(line_of "$1")
	b=$(line_of "$2")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || fail "'$1' should come before '$2'"
}

# CORP trusts OUT (outbound only): the plan only removes CORP's end; OUT
# permits first, then CORP trusts. Never the trusting side first.
tm tdo add CORP --partner out.example --flat OUT --sid S-1-5-21-1500000001-1500000002-1500000004 \
	--direction outbound --type uplevel --attributes non-transitive,quarantined-domain \
	--password-file pw
expect_rc 0
tm recreate CORP OUT --dry-run
expect_rc 0
out_has "Plan: recreate the trust between CORP and OUT (outbound, uplevel"
out_has "delete the trusted domain object for out.example"
out_lacks "create the trusted domain object"
out_lacks "Secrets:"
out_has "Then, in this order"
out_has "1. OUT's administrator: trustmgr remove OUT CORP --direction inbound"
out_has "2. OUT's administrator: trustmgr permit OUT CORP"
out_has "trustmgr domain add OUT --dns out.example --netbios OUT --sid S-1-5-21-1500000001-1500000002-1500000004"
out_has "CORP's administrator: trustmgr trust CORP OUT"
before "trustmgr permit OUT CORP" "trustmgr trust CORP OUT"
out_lacks "tdo modify"
tm recreate CORP OUT
expect_rc 0
out_has "CORP's end of the trust with OUT was removed. OUT is not managed here"
out_has "1. OUT's administrator: trustmgr remove OUT CORP --direction inbound (if anything is left); 2. OUT's administrator: trustmgr permit OUT CORP;"
out_has "trustmgr trust CORP OUT. Each initial password"
tm list CORP
out_lacks "out.example"

# IN trusts CORP (inbound only): CORP is the trusted side, so it permits IN
# again in the same plan; IN's administrator then trusts.
tm tdo add CORP --partner in.example --flat IN --sid S-1-5-21-1500000001-1500000002-1500000005 \
	--direction inbound --type uplevel --password-file pw
expect_rc 0
tm recreate CORP IN --dry-run
expect_rc 0
out_has "delete the trusted domain object for in.example"
out_has "create the trusted domain object for in.example (inbound, external)"
out_has "create the interdomain trust account for IN (one chance"
out_has "initial password: asked on the terminal (typed twice, no echo)"
out_has "1. IN's administrator: trustmgr remove IN CORP --direction outbound"
out_has "2. IN's administrator: trustmgr trust IN CORP"
out_lacks "trustmgr permit IN CORP"
tm recreate CORP IN --password-file initial
expect_rc 0
out_has "and CORP permits IN to trust it again with the initial password given"
tm list CORP
out_has "permitted"

# Two-way with EXT: CORP's end removed, CORP permits EXT again; EXT removes
# its end, permits CORP, trusts CORP; CORP trusts EXT last.
tm tdo add CORP --partner ext.example --flat EXT --sid S-1-5-21-1500000001-1500000002-1500000003 \
	--direction both --type uplevel --password-file pw
expect_rc 0
tm recreate CORP EXT --dry-run --password-file initial
expect_rc 0
out_has "1. EXT's administrator: trustmgr remove EXT CORP"
before "trustmgr remove EXT CORP" "trustmgr permit EXT CORP"
before "trustmgr permit EXT CORP" "trustmgr trust CORP EXT"
before "trustmgr trust EXT CORP" "trustmgr trust CORP EXT"
tm recreate CORP EXT --password-file initial
expect_rc 0
tm show CORP EXT --json
json_eq 'd["direction"]' inbound
tm journal --json
json_eq 'd["interrupted"]' False

# Nothing left here and the partner unknown: nothing to recreate from.
tm recreate CORP NOWHERE
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: CORP holds no trusted domain object for NOWHERE"
