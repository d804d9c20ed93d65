# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 5: a keytab cut short is damage, not a shorter
# valid keytab. health reports B as unreachable (exit status 4) naming the
# keytab and why, instead of missing-principal with `reset` as the fix;
# reset, verify and repair refuse (exit status 4) and leave the damaged
# file as it is, so nothing is rewritten from half a keytab. Cuts inside a
# record, at a record boundary and right after the checksum hole, and one
# changed key byte, are each found.
. "$TM_LIB"

tm domain add A --dns a.example --netbios A --sid S-1-5-21-1-2-3 --functional-level 2016
expect_rc 0
tm domain add B --dns b.example --netbios B --sid S-1-5-21-4-5-6 --functional-level 2016
expect_rc 0
tm domain add C --dns c.example --netbios C --sid S-1-5-21-7-8-9 --functional-level 2016
expect_rc 0
tm create A B
expect_rc 0
tm create A C --direction outbound
expect_rc 0

KT=$STORE/domains/B/krb5.keytab
cp "$KT" keytab.saved
size=$(stat -c %s keytab.saved)

# The end of the first entry: a cut there leaves a keytab libkrb5 reads as
# valid, with one entry.
boundary=$("$TM_PYTHON" - keytab.saved <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
at = 2
while at + 4 <= len(d):
    n = struct.unpack(">i", d[at:at + 4])[0]
    at += 4 + abs(n)
    if n > 0:
        break
print(at)
EOF
)

for cut in 200 $boundary 22; do
	[ "$cut" -lt "$size" ] || fail "the keytab is only $size bytes"
	head -c "$cut" keytab.saved >"$KT"
	before=$(sha256sum <"$KT")
	tm health --json
	expect_rc 4
	json_ok
	json_eq '[(f["partner_domain"], f["kind"]) for f in d["findings"] if f["kind"] != "ok"]' \
		"[('B', 'unreachable')]"
	out_lacks "missing-principal"
	err_has "STATUS_INTERNAL_DB_CORRUPTION"
	err_has "the keytab $KT is damaged: it is $cut bytes long, but $size were written (it was cut short)"
	err_has "Restore krb5.keytab from a backup"
	tm reset A B
	expect_rc 4
	err_has "the keytab $KT is damaged"
	tm verify A B
	expect_rc 4
	err_has "the keytab $KT is damaged"
	tm repair A B
	expect_rc 4
	[ "$(sha256sum <"$KT")" = "$before" ] || fail "the damaged keytab was rewritten (cut at $cut)"
done

# One changed byte of a key.
"$TM_PYTHON" -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[-10] ^= 0x40; open(sys.argv[2], "wb").write(d)' keytab.saved "$KT"
tm verify A B
expect_rc 4
err_has "checksum (CRC-32C)"
err_has "some of its bytes changed"

# Restored: all is well again, and klist still reads what trustmgr writes.
cp keytab.saved "$KT"
tm health
expect_rc 0
if command -v klist >/dev/null 2>&1; then
	klist -k "$KT" >klist.out 2>&1 || fail "klist cannot read the keytab: $(cat klist.out)"
	grep -q "krbtgt/A.EXAMPLE@B.EXAMPLE" klist.out || fail "klist does not list the trust key"
fi
