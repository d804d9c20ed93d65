# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 6: no partial answer with exit status 0. With A's
# domain.ldif cut short anywhere (inside a secret, inside an entry, between
# two entries), `list A` fails as `show A C` does: the same exit status 4,
# STATUS_INTERNAL_DB_CORRUPTION naming the file and its line, and nothing
# on standard output. A damaged B fails `list A` as well (the domains are
# listed first), and health says so.
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

LA=$STORE/domains/A/domain.ldif
LB=$STORE/domains/B/domain.ldif
cp "$LA" a.saved
cp "$LB" b.saved

# Where to cut: inside B's trustAuth value, just before C's entry (what is
# left is valid LDIF naming B only), inside C's entry, and before the last line.
cuts=$("$TM_PYTHON" - a.saved <<'EOF'
import sys
t = open(sys.argv[1], "rb").read()
b = t.index(b"dn: cn=b.example,cn=System")
c = t.index(b"dn: cn=c.example,cn=System")
print(t.index(b"trustAuthOutgoing::", b) + 40, c, c + 120, len(t) - 5)
EOF
)
for cut in $cuts; do
	head -c "$cut" a.saved >"$LA"
	tm list A
	expect_rc 4
	out_empty
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: $LA: line "
	err_has "cut short"
	tm list A --json
	expect_rc 4
	json_error STATUS_INTERNAL_DB_CORRUPTION 4
	tm show A C
	expect_rc 4
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: $LA: line "
	tm show A B
	expect_rc 4
done

# Text appended after the last line is read as usual.
cp a.saved "$LA"
printf '\n# a note added by hand\n' >>"$LA"
tm list A
expect_rc 0
out_has "C         c.example"

# B cut short: every command that lists the domains says so.
cp a.saved "$LA"
head -c 1500 b.saved >"$LB"
tm list A
expect_rc 4
out_empty
err_starts "STATUS_INTERNAL_DB_CORRUPTION: $LB: line "
tm domain list
expect_rc 4
out_empty
tm health
expect_rc 4

cp b.saved "$LB"
tm list A
expect_rc 0
out_has "B         b.example"
out_has "C         c.example"

# A changed byte that still reads as LDIF (a letter of C's secret, a digit
# of B's trustDirection) is damage too: the checksum line before the last
# line no longer matches. Every command that reads A says so, with the
# line of the checksum, and a change that cannot read A changes nothing.
flip() {
	"$TM_PYTHON" - a.saved "$LA" "$1" <<'EOF'
import sys
t = bytearray(open(sys.argv[1], "rb").read())
if sys.argv[3] == "secret":
    i = t.index(b"trustAuthIncoming::", t.index(b"dn: cn=c.example,cn=System")) + 40
    while not chr(t[i]).isalpha():
        i += 1
    t[i] ^= 0x20
else:
    i = t.index(b"trustDirection: 3", t.index(b"dn: cn=b.example,cn=System")) + 16
    t[i] = ord("1")
open(sys.argv[2], "wb").write(t)
EOF
}
sumline=$(grep -n '^# crc32c ' a.saved | cut -d: -f1)
[ -n "$sumline" ] || fail "domain.ldif has no checksum line"
for harm in secret direction; do
	flip $harm
	tm list A
	expect_rc 4
	out_empty
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: $LA: line $sumline: the checksum on this line"
	err_has "some of them changed after trustmgr wrote the file"
	err_has "Restore domain.ldif from a backup"
	tm list A --json
	expect_rc 4
	json_error STATUS_INTERNAL_DB_CORRUPTION 4
	tm show A C
	expect_rc 4
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: $LA: line $sumline:"
	tm domain list
	expect_rc 4
	tm verify A B
	expect_rc 4
	cp "$LA" flipped
	tm reset A B
	expect_rc 4
	cmp -s "$LA" flipped || fail "a reset that could not read A changed its file"
done

# A change by hand on purpose: with the checksum line deleted (what the
# message says to do) the file is read; the next change writes a new one.
flip direction
grep -v '^# crc32c ' "$LA" >edited
cp edited "$LA"
tm list A
expect_rc 0
out_has "B         b.example         one-way"
tm reset A C
expect_rc 0
grep -q '^# crc32c ' "$LA" || fail "the next change wrote no checksum line"
tm list A
expect_rc 0
