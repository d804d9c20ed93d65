# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# namespaces without a change option (or with --refresh check) only shows:
# it reads under the shared lock, as show and list do, so it works while
# another process reads the store; a change (and --refresh store) needs
# the exclusive lock and meets the holder. (While a process holds the lock
# exclusive, readers are refused too, as lock.sh shows for list.)
. "$TM_LIB"
. "$(dirname "$TM_LIB")/fti_lib.sh"

add_corp
add_partner_forest
tm create CORP PARTNER --forest-transitive
expect_rc 0

msg="another trustmgr process is using the store $STORE"
# A reader (flock -s, as a running `show` holds it) does not stop a show ...
locked -s namespaces CORP PARTNER
expect_rc 0
out_has "Forest trust information CORP holds for partner.example (2 records):"
locked -s namespaces CORP PARTNER --json
expect_rc 0
json_ok
locked -x namespaces CORP PARTNER
expect_rc 4
err_has "$msg"
locked -s namespaces CORP PARTNER --refresh check
expect_rc 0
out_has "After the change (3 records):"
locked -s namespaces CORP
expect_rc 0
out_has "Names of the forest"
# ... nor a dry run, but it stops every change.
locked -s namespaces CORP PARTNER --refresh store --dry-run
expect_rc 0
locked -s namespaces CORP PARTNER --refresh store
expect_rc 4
err_has "$msg"
locked -s namespaces CORP PARTNER --disable-nb PARTNER
expect_rc 4
err_has "$msg"
locked -s namespaces CORP --add-upn-suffix upn.example
expect_rc 4
err_has "$msg"

# A reader that keeps the lock shared until the test lets it go (a shell
# that waits on a FIFO under flock -s): shows go on beside it.
P=$PWD/hold
mkdir "$P"
mkfifo "$P/held" "$P/release"
flock -s "$STORE/lock" sh -c 'echo held >"$1/held"; read -r x <"$1/release"' sh "$P" &
holder=$!
trap 'kill -KILL $holder 2>/dev/null' EXIT
read -r line <"$P/held"
[ "$line" = held ] || fail "the holder did not take the lock"
tm namespaces CORP PARTNER
expect_rc 0
out_has "Forest trust information CORP holds for partner.example (2 records):"
tm namespaces CORP PARTNER --enable-all
expect_rc 4
err_has "$msg"
echo go >"$P/release"
wait "$holder"
trap - EXIT
tm namespaces CORP PARTNER --refresh store
expect_rc 0
out_has "was changed"
