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
	out_empty
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
