# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# lab_lib.sh - shared prelude of the lab tests (cli_lab.sh, health_lab.sh,
# console_lab.sh); sourced, not run (run.sh skips it). Before sourcing set
# BIN (the trustmgr binary), LAB_NAME (as in "LAB_NAME: N passed, N failed")
# and LAB_TMP (the temporary folder is /tmp/tm-$LAB_TMP-XXXXXX); optionally
# LAB_OPTS (more options for lab.sh start, e.g. --replicas). It starts a
# lab of two domains (stopped and removed on exit), sets $top, $tmp, $lab,
# the pass/fail counters, HOME and friends, and defines the helpers below.
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "/tmp/tm-$LAB_TMP-XXXXXX")
lab=$tmp/lab
pass=0
fail=0
trap 'sh "$top/tests/lab/lab.sh" stop "$lab" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# shellcheck disable=SC2086 # LAB_OPTS: options, split on blanks
if ! sh "$top/tests/lab/lab.sh" start "$lab" ${LAB_OPTS:-} >"$tmp/lab.out" 2>&1; then
	cat "$tmp/lab.out"
	echo "$LAB_NAME: 0 passed, 1 failed"
	exit 1
fi
eval "$(sh "$top/tests/lab/lab.sh" env "$lab")"
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" LANG=C.UTF-8 TZ=UTC
mkdir -p "$HOME"

tm() { "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"; }
expect_rc() {          # expect_rc WANT DESCRIPTION -- trustmgr args...
	want=$1; what=$2; shift 3
	tm "$@"; rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else
		bad "$what: trustmgr $* exited $rc, wanted $want"; sed 's/^/    /' "$tmp/out" "$tmp/err"; fi
}
dom() { . "$lab/$1/domain.env"; }
kadm() {               # kadm X QUERY -> kadmin's output in realm X
	dom "$1"
	kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -k -t "$D_DIR/admin.keytab" -q "$2" 2>&1
}
# kvno of a principal in realm X's KDC, read with kadmin (output text, not exit code).
kvno_of() {            # kvno_of X PRINCIPAL -> prints the highest kvno or "none"
	kadm "$1" "getprinc $2" | sed -n 's/^Key: vno \([0-9]*\),.*/\1/p' | sort -n | tail -n 1 |
		grep . || echo none
}
policy_of() {          # policy_of X PRINCIPAL -> prints its password policy
	kadm "$1" "getprinc $2" | sed -n 's/^Policy: //p'
}
# The TDO entries of domain X as ldapsearch sees them (StartTLS, admin bind).
tdos_of() {
	dom "$1"
	ldapsearch -LLL -o ldif-wrap=no -ZZ -H "$LDAP_URI" -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" \
		-b "cn=System,$D_BASE" "(objectClass=trustedDomain)" trustPartner trustDirection trustType \
		trustAuthIncoming trustAuthOutgoing 2>&1
}
# Does a user of TRUSTED get a service ticket in TRUSTING? (the trust works)
crosses() {            # crosses TRUSTED TRUSTING -> exit 0 when kvno succeeds
	dom "$2"; svc="host/srv.$D_DNS@$D_REALM"
	dom "$1"
	kdestroy >/dev/null 2>&1
	kinit "user@$D_REALM" <"$D_DIR/user.pw" >/dev/null 2>&1 || return 2
	kvno "$svc" >"$tmp/kvno.out" 2>&1
}
check() {              # check DESCRIPTION COMMAND...
	what=$1; shift
	if "$@"; then ok; else bad "$what"; fi
}
not() { ! "$@"; }
same_kvno() { a=$(kvno_of A "$1"); b=$(kvno_of B "$1"); [ "$a" != none ] && [ "$a" = "$b" ]; }
AB=krbtgt/A.LAB.TEST@B.LAB.TEST
BA=krbtgt/B.LAB.TEST@A.LAB.TEST
