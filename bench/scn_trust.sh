# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# scn_trust.sh - establishing and verifying a two-way trust between lab
# domains A and B (sourced by run.sh).

# Remove the trust whoever made it: TDOs and the four principals.
unmake_trust() {
	for x in A B; do
		lab_domain "$x"
		if [ "$x" = A ]; then p=b.lab.test; else p=a.lab.test; fi
		ldapdelete -ZZ -H "$LDAP_URI" -x -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" \
			"cn=$p,cn=System,$D_BASE" >/dev/null 2>&1 || true
		for pr in krbtgt/A.LAB.TEST@B.LAB.TEST krbtgt/B.LAB.TEST@A.LAB.TEST; do
			kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -k -t "$D_DIR/admin.keytab" \
				-q "delprinc -force $pr" >/dev/null 2>&1 || true
		done
	done
}

reset_establish() { unmake_trust; }
tm_establish() { run_timed "$1" -- "$BIN" create A B; }
std_establish() {
	run_timed "$1" -- sh "$top/bench/std_establish.sh" "$LAB" "$WORK/trust.pw" \
		"$WORK/est-a.ldif" "$WORK/est-b.ldif"
}

# The same create against the shell script plus the verification trustmgr's
# plan ends with (kinit + kvno both ways): the same work on both sides.
reset_establish_verified() { unmake_trust; }
tm_establish_verified() { tm_establish "$1"; }
std_establish_verified() {
	run_timed "$1" -- sh "$top/bench/std_establish_verify.sh" "$LAB" "$WORK/trust.pw" \
		"$WORK/est-a.ldif" "$WORK/est-b.ldif"
}

tm_verify() { run_timed "$1" -- "$BIN" verify A B; }
std_verify() { run_timed "$1" -- sh "$top/bench/std_verify.sh" "$LAB"; }

scn_establish() {
	pair establish "$REPS" '<=' 0.5 "create A B vs ldapadd + kadmin script, both sides"
	pair establish_verified "$REPS" '<=' 0.5 "create A B vs the same script + kinit/kvno both ways"
	# the shell's trust works too (the baseline does real work)
	unmake_trust
	sh "$top/bench/std_establish.sh" "$LAB" "$WORK/trust.pw" "$WORK/est-a.ldif" \
		"$WORK/est-b.ldif"
	sh "$top/bench/std_verify.sh" "$LAB" || die "the shell baseline's trust does not work"
}

scn_verify() {
	unmake_trust
	"$BIN" create A B >/dev/null
	pair verify "$REPS" '<=' 1.5 "both directions vs kinit + kvno both ways"
	unmake_trust
}
