# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: an empty word where the command goes is a usage error that
# names it, not "no command" (which would open the console or print the
# overview); nothing reaches the store.
. "$TM_LIB"

add_corp
before=$(store_sum)
tm ""
expect_rc 2
err_has "the command is empty ('')"
err_has "Try 'trustmgr --help'"
out_empty
tm "" CORP
expect_rc 2
err_has "the command is empty ('')"
tm --store "$STORE" -- ""
expect_rc 2
err_has "the command is empty ('')"
[ "$(store_sum)" = "$before" ] || fail "an empty command changed the store"
# Without any word it is still the overview (standard input is no terminal).
tm
expect_rc 0
out_has "CORP"
exit 0
