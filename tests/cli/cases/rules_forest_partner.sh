# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# One rule set on every path that writes a TDO: a forest trust joins two
# forest roots (rule 2, the partner's side) and is never also non-transitive
# (rule 4). `tdo modify` wrote trustAttributes 0xd (non-transitive,
# quarantined, forest-transitive) on CORP's trust with EUROPE, a child
# domain of another forest, though `create` refused the same. Judged by the
# store's files (unchanged after each refusal) and show --json.
. "$TM_LIB"

add_corp
add_fab_europe
tm create CORP EUROPE
expect_rc 0
tm show CORP EUROPE
out_has "non-transitive,quarantined-domain (0x00000005)"
before=$(store_sum)

# the reported case: forest-transitive added to the non-transitive external trust
tm tdo modify CORP europe.fabrikam.example --forest-transitive
expect_rc 3
err_starts "STATUS_INVALID_DOMAIN_STATE: CORP: A forest trust joins two forest root domains, and europe.fabrikam.example is not one"
err_has "the root of its forest is fabrikam.example"
tm tdo modify CORP europe.fabrikam.example --forest-transitive --transitive
expect_rc 3
err_has "europe.fabrikam.example is not one"
tm tdo modify CORP europe.fabrikam.example --attributes 0xd
expect_rc 3
err_starts "STATUS_INVALID_DOMAIN_STATE:"
tm create CORP EUROPE --forest-transitive --dry-run
expect_rc 3
[ "$(store_sum)" = "$before" ] || fail "a refused change wrote to the store"

# between two roots: forest-transitive yes, with non-transitive never
tm create CORP FAB --forest-transitive --non-transitive
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: CORP: The trust with fabrikam.example cannot be forest-transitive and also non-transitive"
[ "$(store_sum)" = "$before" ] || fail "a refused create wrote to the store"
tm create CORP FAB --forest-transitive
expect_rc 0
tm tdo modify CORP fabrikam.example --non-transitive
expect_rc 3
err_has "cannot be forest-transitive and also non-transitive"
tm show CORP FAB
out_has "forest-transitive (0x00000008)"
