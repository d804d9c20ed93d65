# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12, reproduction 1: rollback and resume never write back a damaged
# before-image. `reset A B` is killed after two steps; then one of B's
# before-images is damaged (cut short, overwritten by another domain's
# valid file, the keytab's image cut short, replaced along with its sum
# record by text that is no keytab). Rollback and resume refuse with exit
# status 4 and STATUS_INTERNAL_DB_CORRUPTION naming the image, change no
# store file, and keep the journal; with the image restored, rollback puts
# the store back byte for byte.
. "$TM_LIB"

setup_abc() {
	rm -rf "$STORE"
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
}

killed() {
	step=$1
	shift
	LAST="$* (TM_TEST_KILL_AFTER_STEP=$step)"
	TM_TEST_KILL_AFTER_STEP=$step trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

IMG=$STORE/journal/before

cut_ldif() { head -c 100 "$IMG/B.domain.ldif" >cut && cp cut "$IMG/B.domain.ldif"; }
other_ldif() { cp "$IMG/A.domain.ldif" "$IMG/B.domain.ldif"; }
cut_keytab() { head -c 120 "$IMG/B.krb5.keytab" >cut && cp cut "$IMG/B.krb5.keytab"; }
# a matching sum record, but the bytes are no keytab: the content check finds it
garbage_keytab() {
	printf 'not a keytab\n' >"$IMG/B.krb5.keytab"
	"$TM_PYTHON" - "$IMG/B.krb5.keytab" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
crc = 0xffffffff
for b in data:
    crc ^= b
    for _ in range(8):
        crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
open(sys.argv[1] + ".sum", "w").write("trustmgr-sum 1 bytes %d crc32c %08x\n" % (len(data), crc ^ 0xffffffff))
EOF
}

for harm in cut_ldif other_ldif cut_keytab garbage_keytab; do
	setup_abc
	before=$(store_sum)
	killed 2 reset A B
	expect_rc 137
	mid=$(store_sum)
	[ "$mid" != "$before" ] || fail "the killed reset changed nothing ($harm)"
	case $harm in *keytab) img=$IMG/B.krb5.keytab ;; *) img=$IMG/B.domain.ldif ;; esac
	cp "$img" saved.img
	cp "$img.sum" saved.sum
	$harm

	tm rollback
	expect_rc 4
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: the before-image $img is damaged"
	err_has "Nothing was changed and the journal was kept"
	err_has "trustmgr discard --force"
	[ "$(store_sum)" = "$mid" ] || fail "rollback wrote into the store ($harm)"
	tm resume
	expect_rc 4
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: the before-image $img is damaged"
	[ "$(store_sum)" = "$mid" ] || fail "resume wrote into the store ($harm)"
	tm journal
	expect_rc 4
	out_has "Interrupted plan: reset"
	out_has "2 of 8 steps done"
	err_has "$img"
	# every other command says so too: changes are refused, reading warns
	tm create B C
	expect_rc 4
	err_has "$img"
	tm list A
	expect_rc 0
	err_starts "warning: STATUS_INTERNAL_DB_CORRUPTION"

	# the image restored from a backup: the rollback goes through
	cp saved.img "$img"
	cp saved.sum "$img.sum"
	tm rollback
	expect_rc 0
	out_has "Rolled back the interrupted 'reset' plan"
	[ "$(store_sum)" = "$before" ] || fail "rollback did not restore the store ($harm)"
done

# The message says what is wrong: cut short, or bytes that changed.
setup_abc
killed 2 reset A B
cp "$IMG/B.domain.ldif" saved.img
cut_ldif
tm rollback
expect_rc 4
err_has "it is 100 bytes long, but"
err_has "cut short"
"$TM_PYTHON" -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[len(d) // 2] ^= 1; open(sys.argv[2], "wb").write(d)' saved.img "$IMG/B.domain.ldif"
tm rollback
expect_rc 4
err_has "checksum (CRC-32C)"
err_has "some of its bytes changed"

# Every file of the journal (the journal, each before-image, each sum
# record), cut at its start, after one byte, in the middle and before its
# last byte, and with one bit flipped at its start, middle and end: a
# rollback either refuses (exit 4, STATUS_INTERNAL_DB_CORRUPTION, nothing
# changed, the journal kept; resume refuses as well) or puts the store back byte for byte (a flip
# in the newline of the journal's last line leaves a torn line, which is
# ignored); then the file restored, rollback works.
setup_abc
before=$(store_sum)
killed 2 reset A B
mid=$(store_sum)
rm -rf journal.saved
cp -a "$STORE/journal" journal.saved
for f in current $(cd journal.saved && ls before/*); do
	size=$(wc -c <"journal.saved/$f")
	for harm in cut:0 cut:1 cut:$((size / 2)) cut:$((size - 1)) flip:0 flip:$((size / 2)) flip:$((size - 1)); do
		at=${harm#*:}
		case $harm in
		cut:*) head -c "$at" "journal.saved/$f" >"$STORE/journal/$f" ;;
		flip:*) "$TM_PYTHON" -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[int(sys.argv[3])] ^= 4; open(sys.argv[2], "wb").write(d)' \
			"journal.saved/$f" "$STORE/journal/$f" "$at" ;;
		esac
		tm rollback
		if [ "$RC" = 0 ]; then
			[ "$(store_sum)" = "$before" ] || fail "rollback with $f damaged ($harm) wrote something else"
			setup_abc
			before=$(store_sum)
			killed 2 reset A B
			mid=$(store_sum)
			rm -rf journal.saved
			cp -a "$STORE/journal" journal.saved
			continue
		fi
		expect_rc 4
		err_starts "STATUS_INTERNAL_DB_CORRUPTION"
		[ "$(store_sum)" = "$mid" ] || fail "a refused rollback changed the store ($f, $harm)"
		[ -e "$STORE/journal/current" ] || fail "a refused rollback removed the journal ($f, $harm)"
		tm resume
		expect_rc 4
		[ "$(store_sum)" = "$mid" ] || fail "a refused resume changed the store ($f, $harm)"
		cp "journal.saved/$f" "$STORE/journal/$f"
	done
done
tm rollback
expect_rc 0
[ "$(store_sum)" = "$before" ] || fail "the restored journal did not roll back"
