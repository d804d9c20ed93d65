# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: store files far larger than trustmgr ever writes (a sparse hole
# made with truncate(1), as a damaged file system or a stray copy leaves
# them). Each is damage, found without reading it whole: exit status 4,
# STATUS_INTERNAL_DB_CORRUPTION naming the file, nothing on standard output,
# and no command takes long or much memory over it. domain.ldif was read
# as one line of 300 MB (3 GB of memory for 3 GB); a health file, a keytab
# or the journal said "File too large: check that you may read it".
. "$TM_LIB"

add_letters A B
tm create A B
expect_rc 0
D=$STORE/domains/A

huge() {
	cp "$1" saved.file
	truncate -s 300M "$1" || fail "truncate(1) failed"
}
back() {
	cp saved.file "$1"
}

huge "$D/domain.ldif"
for cmd in "list A" "show A B" "domain list" "verify A B" "reset A B"; do
	tm $cmd
	expect_rc 4
	out_empty
	err_starts "STATUS_INTERNAL_DB_CORRUPTION: $D/domain.ldif: line "
	err_has "is longer than 1048576 bytes"
done
back "$D/domain.ldif"

for f in health krb5.keytab; do
	huge "$D/$f"
	for cmd in "show A B" "reset A B"; do
		tm $cmd
		expect_rc 4
		out_empty
		err_starts "STATUS_INTERNAL_DB_CORRUPTION:"
		err_has "($D/$f) is larger than 64 MiB"
		err_has "Restore it from a backup"
	done
	back "$D/$f"
done

TM_TEST_KILL_AFTER_STEP=2 trustmgr reset A B >/dev/null 2>&1 </dev/null
J=$STORE/journal/current
huge "$J"
for cmd in journal rollback resume; do
	tm $cmd
	expect_rc 4
	err_has "($J) is larger than 64 MiB"
done
back "$J"
huge "$STORE/journal/before/B.domain.ldif"
tm rollback
expect_rc 4
err_has "STATUS_INTERNAL_DB_CORRUPTION"
err_has "$STORE/journal/before/B.domain.ldif"
cp saved.file "$STORE/journal/before/B.domain.ldif"
tm rollback
expect_rc 0
tm verify A B
expect_rc 0
