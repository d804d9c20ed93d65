# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# audit_lib.sh - checks on trustmgr's audit log (sourced after lib.sh).
#
#   audit_parses FILE              every line of FILE is a well-formed record
#   audit_has FILE KEY=VALUE...    at least one record has all those fields
#   audit_count_is N FILE KEY=VALUE...   exactly N records have them
#   audit_field FILE NAME KEY=VALUE...   prints NAME of the last such record
#   audit_no_secret FILE TEXT...   none of the texts appears in FILE
AQ=$(dirname "$TM_LIB")/audit_query.py

audit_parses() {
	"$TM_PYTHON" "$AQ" check "$1" >audit-check.txt 2>&1 ||
		fail "the audit log $1 has a malformed record: $(cat audit-check.txt)"
}

audit_count() {
	"$TM_PYTHON" "$AQ" count "$@" || fail "cannot read the audit log $1"
}

audit_has() {
	n=$(audit_count "$@")
	[ "$n" -ge 1 ] || { f=$1; shift; fail "the audit log $f has no record with: $*"; }
}

audit_count_is() {
	want=$1
	shift
	n=$(audit_count "$@")
	[ "$n" = "$want" ] || { f=$1; shift; fail "the audit log $f has $n records with: $*; expected $want"; }
}

audit_field() {
	"$TM_PYTHON" "$AQ" field "$@" || fail "cannot read the audit log $1"
}

audit_no_secret() {
	f=$1
	shift
	for s in "$@"; do
		! grep -qF -- "$s" "$f" || fail "the audit log $f holds a password"
	done
}
