# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: damage to a health file is damage, even when every line still
# reads as a line (a flipped bit in a health digit or a time digit): the
# line before the last, "# crc32c X", no longer matches the bytes before
# it. Every command that reads A's health file fails with exit status 4,
# STATUS_INTERNAL_DB_CORRUPTION, the file and the checksum line, and says
# what to do; nothing prints a partial answer; commands that would change
# the store refuse and change nothing. A file cut between two lines lacks
# its last line: damage too. The ways out the message gives work: delete
# the file (verify records the state again), or, after a change by hand,
# delete the checksum line (read as it is; the next write adds one). A
# health file of the earlier format (no announcement) is still read.
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
tm verify A B
expect_rc 0

H=$STORE/domains/A/health
cp "$H" health.saved
head -n 1 health.saved | grep -q '^# trustmgr health file, format 2' ||
	fail "the health file does not announce format 2"
[ "$(tail -n 1 health.saved)" = "# end of the trustmgr health file" ] ||
	fail "the health file does not end with its last line"
sumline=$(grep -n '^# crc32c [0-9a-f]\{8\}$' health.saved | cut -d: -f1)
[ "$sumline" = "$(($(wc -l <health.saved) - 1))" ] ||
	fail "the checksum line is not the one before the last"

# One bit flipped: b.example's health 1 (verified) becomes 3, or a digit of
# its time changes; both still read as a line of the file.
flip() {
	"$TM_PYTHON" - health.saved "$H" "$1" <<'EOF'
import sys
t = bytearray(open(sys.argv[1], "rb").read())
i = t.index(b"b.example\t") + len(b"b.example\t")
if sys.argv[3] == "time":
    i += 2 + 5
t[i] ^= 0x02 if sys.argv[3] == "health" else 0x01
assert chr(t[i]).isdigit()
open(sys.argv[2], "wb").write(t)
EOF
}
damaged() {
	err_has "STATUS_INTERNAL_DB_CORRUPTION: "
	err_has "$H is damaged at line $1: "
}
for harm in health time; do
	flip $harm
	cp "$H" flipped
	before=$(store_sum)
	for cmd in "list A" "list A --json" "show A B" "show A C" "show A B --json"; do
		tm $cmd
		expect_rc 4
		case $cmd in
		*--json) json_error STATUS_INTERNAL_DB_CORRUPTION 4 ;;
		*) out_empty ;;
		esac
		err_starts "STATUS_INTERNAL_DB_CORRUPTION: $H is damaged at line $sumline: the checksum on this line"
		err_has "some of them changed after trustmgr wrote the file"
		err_has "delete it, then \`trustmgr verify DOMAIN PARTNER\` records each trust's state again"
		err_has "delete its line \"# crc32c ...\""
	done
	for cmd in "health" "health A" "health --json"; do
		tm $cmd
		expect_rc 4
		damaged "$sumline"
	done
	for cmd in "verify A B" "reset A B" "rotate A C" "remove A C"; do
		tm $cmd
		expect_rc 4
		damaged "$sumline"
	done
	cmp -s "$H" flipped || fail "a command that could not read the health file changed it"
	[ "$(store_sum)" = "$before" ] || fail "a command that could not read A changed the store"
done

# Cut between two lines: the last line is missing.
head -n 2 health.saved >"$H"
for cmd in "list A" "show A B" "health A" "verify A B"; do
	tm $cmd
	expect_rc 4
	damaged 2
	err_has "without its last line \"# end of the trustmgr health file\": it was cut short"
done
# Cut to nothing.
: >"$H"
tm list A
expect_rc 4
out_empty
err_starts "STATUS_INTERNAL_DB_CORRUPTION: $H is damaged: it is empty"

# The first way out: delete the file; verify records the state again.
rm -f "$H"
tm list A
expect_rc 0
tm verify A B
expect_rc 0
grep -q "^b.example	1	" "$H" || fail "verify did not record B's state again"
grep -q '^# crc32c ' "$H" || fail "verify wrote no checksum line"

# The second: a change by hand on purpose, with the checksum line deleted,
# is read as it is; the next write puts a checksum line back.
flip health
grep -v '^# crc32c ' "$H" >edited
cp edited "$H"
tm list A
expect_rc 0
out_has "pending"
tm verify A B
expect_rc 0
grep -q '^# crc32c ' "$H" || fail "the next write put no checksum line back"
tm list A
expect_rc 0
out_has "verified"
out_lacks "pending"

# The earlier format (bare lines) is still read, and rewritten in format 2.
printf 'b.example\t2\t1700000000\nc.example\t1\t1700000000\n' >"$H"
tm list A
expect_rc 0
out_has "broken"
tm verify A C
expect_rc 0
head -n 1 "$H" | grep -q '^# trustmgr health file, format 2' ||
	fail "the next write kept the earlier format"
grep -q "^b.example	2	1700000000$" "$H" || fail "the rewrite lost B's line"
