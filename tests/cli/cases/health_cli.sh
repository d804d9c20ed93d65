# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# health and repair on the command line: the demo's findings, DOMAIN scope,
# JSON, usage errors, nothing to repair.
. "$TM_LIB"
. "$(dirname "$TM_LIB")/health_lib.sh"

tm health
expect_rc 0
out_has "No trusts to check"
tm demo
expect_rc 0
tm health
expect_rc 1
out_has "LEGACY  PARTNER  inbound    pending    establish"
out_has "SALES   PARTNER  outbound   one-sided  recreate"
out_has "2 of 8 findings need attention."
tm health --json
expect_rc 1
json_eq 'len(d["findings"])' 8
tm health CORP
expect_rc 0
tm health corp.example --json
expect_rc 0
json_eq 'set(f["domain"] for f in d["findings"])' "{'CORP'}"
tm health NOWHERE
expect_rc 3
err_starts "STATUS_NO_SUCH_DOMAIN: "
tm health CORP SALES
expect_rc 2
tm health --rotation-days -1
expect_rc 2
tm health --dry-run
expect_rc 2

tm repair CORP SALES
expect_rc 0
out_has "Nothing to repair"
tm repair CORP SALES --json
expect_rc 0
json_eq 'd["finding"]' None
tm repair LAB SALES
expect_rc 3
err_has "no trust between LAB and SALES"

tm repair SALES PARTNER --json
expect_rc 0
json_eq 'd["finding"]["kind"]' one-sided
json_eq 'd["op"]' recreate
json_eq 'd["remaining"]' "[]"
tm health SALES
expect_rc 0
tm --help
out_has "health"
out_has "repair"
out_has "rotate"
