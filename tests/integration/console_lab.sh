#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The console against real servers: a lab of two domains; a scripted,
# headless console session does the NT flow (B permits A, then A adds B as
# a trusted domain) with :expect checks on the screen; then the standard
# clients prove the result: kadmin getprinc shows equal kvnos and
# kinit user@B + kvno host/srv.a@A works. Prints "console-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=console-lab
LAB_TMP=conlab
. "$(dirname "$0")/lab_lib.sh"
export TERM=xterm

cat >"$tmp/script" <<'SCRIPT'
:expect Domain: A
<F6>
<End>
<Enter>
:expect Domain: B
# Trusting Domains: Add... -> Permit Domain to Trust A
<A-d>
:expect Permit Domain to Trust
A
<Tab><Tab>
Lab-permit-77
<Tab>
Lab-permit-77
<Enter>
:expect B now permits A to trust it
<Enter>
<F6>
<Home>
<Enter>
:expect Domain: A
# Trusted Domains: Add... -> Add Trusted Domain B
<A-a>
:expect Add Trusted Domain
B
<Tab><Tab>
Lab-permit-77
<Enter>
:expect successfully established
<Enter>
:save-screen final.screen
:quit
SCRIPT

if (cd "$tmp" && timeout -k 5 120 "$BIN" --headless --size 100x30 --script "$tmp/script" \
	>"$tmp/console.out" 2>&1); then ok; else
	bad "the scripted console session failed"; sed 's/^/    /' "$tmp/console.out"
fi
if grep -q "b.lab.test" "$tmp/final.screen" 2>/dev/null; then ok; else
	bad "A's Trusted Domains list does not show b.lab.test"; cat "$tmp/final.screen" 2>/dev/null
fi
if grep -rq "Lab-permit-77" "$tmp/final.screen" "$tmp/console.out" "$tmp/state" 2>/dev/null; then
	bad "the password appears in a screen, the output or the state folder"; else ok; fi

. "$lab/A/domain.env"
kv() {
	kadm "$1" "getprinc $AB" | sed -n 's/^Key: vno \([0-9]*\),.*/\1/p' | sort -n | tail -n 1
}
ka=$(kv A); kb=$(kv B)
if [ -n "$ka" ] && [ "$ka" = "$kb" ]; then ok; else bad "kvnos of krbtgt/A@B differ: A=$ka B=$kb"; fi
. "$lab/B/domain.env"
kdestroy >/dev/null 2>&1
if kinit "user@B.LAB.TEST" <"$D_DIR/user.pw" >/dev/null 2>&1 &&
	kvno "host/srv.a.lab.test@A.LAB.TEST" >"$tmp/kvno.out" 2>&1; then ok; else
	bad "kinit user@B; kvno host/srv.a@A failed"; cat "$tmp/kvno.out" 2>/dev/null
fi
echo "console-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
