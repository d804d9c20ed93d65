#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The console against plain MIT realms: a lab of one OpenLDAP + MIT domain
# (A) and two plain realms (B, C) with a trust between B and C. One
# scripted, headless session switches to realm B in the domain switcher,
# shows its trust with C in the main dialog and in Properties, verifies it
# and resets its password from there. The saved screens are checked with
# grep (the realms named, no SID or NetBIOS value shown for a realm), and
# the reset with the standard tools: kadmin getprinc (kvno raised, equal on
# both KDCs) and kinit + kvno across the trust both ways.
# Prints "realm-console-lab: N passed, N failed".
set -u
BIN=$1
LAB_NAME=realm-console-lab
LAB_TMP=realmcl
LAB_OPTS="--domains 1 --realms 2"
. "$(dirname "$0")/lab_lib.sh"
. "$(dirname "$0")/realm_lib.sh"
export TERM=xterm

expect_rc 0 "create B C" -- create B C
check "kvno across the trust before the console" crosses C B
k0=$(kvno_in B "$BC")

# The domains are listed A, B, C: one Down from A is B. In B's lists C.LAB.TEST
# is the only partner, selected first.
cat >"$tmp/script" <<'SCRIPT'
:expect Domain: A
<F6>
:expect Select Domain
:expect Kerberos realm B.LAB.TEST
:save-screen switcher.screen
<Down>
<Enter>
:expect Domain: B
:expect C.LAB.TEST
:save-screen realm-main.screen
<A-p>
:expect Properties: C.LAB.TEST
:save-screen realm-properties.screen
:save-model realm-properties.model
<A-v>
:expect B trusts C: ok
:save-screen realm-verify.screen
<Enter>
<A-r>
:expect Reset Password: C.LAB.TEST
:save-screen realm-reset-confirm.screen
<Enter>
:expect was reset on both sides
:save-screen realm-reset-result.screen
<Enter>
:expect Properties: C.LAB.TEST
<Esc>
:expect Domain: B
:quit
SCRIPT

if (cd "$tmp" && timeout -k 5 120 "$BIN" --headless --size 100x30 --script "$tmp/script" \
	>"$tmp/console.out" 2>&1); then ok; else
	bad "the scripted console session failed"; sed 's/^/    /' "$tmp/console.out"
fi
scr() { cat "$tmp/$1" 2>/dev/null; }
has() { scr "$1" | grep -q -- "$2"; }
check "switcher: lists realm B as a Kerberos realm" has switcher.screen "B  *Kerberos realm B.LAB.TEST"
check "switcher: lists realm C as a Kerberos realm" has switcher.screen "C  *Kerberos realm C.LAB.TEST"
check "switcher: lists the directory domain A" has switcher.screen "A  *a.lab.test"
check "main dialog: the domain is realm B" has realm-main.screen "Domain: B (realm B.LAB.TEST)"
check "main dialog: C.LAB.TEST two-way in B's lists" has realm-main.screen "C.LAB.TEST  *C.LAB.TEST  *realm  .*two-way"
check "properties: the partner is C.LAB.TEST" has realm-properties.screen "Partner: *C.LAB.TEST"
check "properties: the type is a Kerberos realm" has realm-properties.screen "Type: *realm (MIT Kerberos)"
check "properties: no SID value for the realm partner" not has realm-properties.screen "SID: *S-"
check "properties: a key version is shown" has realm-properties.screen "key version $k0"
check "properties model: no field holds a SID" not grep -q 'value: .*S-1-5-' "$tmp/realm-properties.model"
check "properties model: the dialog was saved" grep -q '^title: Properties: C.LAB.TEST' "$tmp/realm-properties.model"
for f in switcher.screen realm-main.screen realm-properties.screen realm-verify.screen \
	realm-reset-confirm.screen realm-reset-result.screen; do
	if scr "$f" | grep -q 'S-1-5-'; then bad "$f shows a SID"; else ok; fi
	# NetBIOS names appear only in parentheses after a DNS name ("(A)"): none for B or C.
	if scr "$f" | grep -q '(B)\|(C)'; then bad "$f shows a NetBIOS name for a realm"; else ok; fi
done
check "reset confirmation: the plan changes both realms" \
	sh -c "grep -q 'B:' '$tmp/realm-reset-confirm.screen' && grep -q 'C:' '$tmp/realm-reset-confirm.screen'"

check "kadmin: the console's reset raised $BC's kvno on B" gt "$(kvno_in B "$BC")" "$k0"
check "kadmin getprinc: $BC keys equal on both KDCs" same_keys "$BC"
check "kadmin getprinc: $CB keys equal on both KDCs" same_keys "$CB"
check "kinit user@C; kvno host/srv.b.lab.test@B after the console's reset" crosses C B
check "kinit user@B; kvno host/srv.c.lab.test@C after the console's reset" crosses B C

echo "realm-console-lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
