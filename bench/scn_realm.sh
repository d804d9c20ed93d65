# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# scn_realm.sh - plain MIT realms (kind = mit: realm and kadmin credentials
# only), sourced by run.sh. The lab's realms E and F: establishing a two-way
# trust with trustmgr against a script of kadmin addprinc; realm G, holding
# NREALM cross-realm principals (NREALM/2 partner realms, both directions,
# added with kadmin.local in one batch): `trustmgr list G` against
# `kadmin listprincs 'krbtgt/*'`; and, to show what a realm with many
# partners costs, a trust between E and that busy G.

# kadmin_local X: kadmin.local on realm X's database (commands on stdin).
kadmin_local() { lab_domain "$1"; kadmin.local -r "$D_REALM" >>"$WORK/kadmin.local.log" 2>&1; }

# unmake_realm_trust X Y: delete krbtgt/X@Y and krbtgt/Y@X on both KDCs,
# whoever made them (kadmin.local: the database itself, not timed).
unmake_realm_trust() {
	for r in "$1" "$2"; do
		printf 'delprinc -force krbtgt/%s.LAB.TEST@%s.LAB.TEST\ndelprinc -force krbtgt/%s.LAB.TEST@%s.LAB.TEST\n' \
			"$1" "$2" "$2" "$1" | kadmin_local "$r" || true
	done
}

setup_realms() {
	say "adding $NREALM cross-realm principals to realm G (kadmin.local, one batch)"
	lab_domain G
	i=1
	while [ "$i" -le $((NREALM / 2)) ]; do
		echo "addprinc -randkey krbtgt/$D_REALM@P$i.BENCH.TEST"
		echo "addprinc -randkey krbtgt/P$i.BENCH.TEST@$D_REALM"
		i=$((i + 1))
	done | kadmin_local G || die "kadmin.local could not add G's principals"
	n=$(kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -k -t "$D_DIR/admin.keytab" \
		-q 'listprincs krbtgt/*' 2>/dev/null | grep -c '^krbtgt/.*BENCH\.TEST')
	[ "$n" -eq "$NREALM" ] || die "realm G holds $n cross-realm principals, wanted $NREALM"
	n=$("$BIN" list G | grep -c 'BENCH\.TEST')
	[ "$n" -eq "$NREALM" ] || die "trustmgr list G shows $n rows, wanted $NREALM"
}

reset_establish_realms() { unmake_realm_trust E F; }
tm_establish_realms() { run_timed "$1" -- "$BIN" create E F; }
std_establish_realms() {
	run_timed "$1" -- sh "$top/bench/std_establish_realms.sh" "$LAB" "$WORK/trust.pw" E F
}
reset_establish_realms_verified() { unmake_realm_trust E F; }
tm_establish_realms_verified() { tm_establish_realms "$1"; }
std_establish_realms_verified() {
	run_timed "$1" -- sh "$top/bench/std_establish_realms.sh" "$LAB" "$WORK/trust.pw" E F --verify
}
reset_establish_realm_busy() { unmake_realm_trust E G; }
tm_establish_realm_busy() { run_timed "$1" -- "$BIN" create E G; }
std_establish_realm_busy() {
	run_timed "$1" -- sh "$top/bench/std_establish_realms.sh" "$LAB" "$WORK/trust.pw" E G --verify
}

tm_list_realm() { run_timed "$1" -- "$BIN" list G; }
std_list_realm() {
	lab_domain G
	run_timed "$1" -- kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -k -t "$D_DIR/admin.keytab" \
		-q 'listprincs krbtgt/*'
}

scn_realm() {
	setup_realms
	pair establish_realms "$REPS" '<=' 0.5 "create E F (plain realms) vs kadmin addprinc script, both KDCs"
	pair establish_realms_verified "$REPS" '<=' 0.5 "create E F vs the same script + kinit/kvno both ways"
	# the script's trust works (the baseline does real work)
	unmake_realm_trust E F
	sh "$top/bench/std_establish_realms.sh" "$LAB" "$WORK/trust.pw" E F --verify ||
		die "the shell baseline's realm trust does not work"
	unmake_realm_trust E F
	pair list_realm "$REPS" '<=' 1.3 "list G ($NREALM cross-realm principals) vs kadmin listprincs"
	pair establish_realm_busy "$REPS_BUSY" '<=' 0.5 "create E G, G holding $NREALM principals, vs script + kinit/kvno"
	unmake_realm_trust E G
}
