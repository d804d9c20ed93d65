# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# scn_list.sh - listing a domain's trusts (sourced by run.sh): trustmgr list
# against ldapsearch (paged) of the same entries from the same lab slapd;
# the embedded store's list against ldapsearch of the same count.

tm_list_lab_n1() { run_timed "$1" -- "$BIN" list C; }
std_list_lab_n1() { ldap_list "$1" C; }
tm_list_lab_n2() { run_timed "$1" -- "$BIN" list D; }
std_list_lab_n2() { ldap_list "$1" D; }
# The same lists against an ldapsearch that asks, as trustmgr does, only for
# the attributes a list shows (stricter: the server sends no trustAuth*).
tm_list_lab_n1_attrs() { tm_list_lab_n1 "$1"; }
std_list_lab_n1_attrs() { ldap_list "$1" C $LISTED_ATTRS; }
tm_list_lab_n2_attrs() { tm_list_lab_n2 "$1"; }
std_list_lab_n2_attrs() { ldap_list "$1" D $LISTED_ATTRS; }
tm_list_store_n1() { run_timed "$1" -- "$BIN" --store "$WORK/store-$N1" list A; }
std_list_store_n1() { ldap_list "$1" C; }
tm_list_store_n2() { run_timed "$1" -- "$BIN" --store "$WORK/store-$N2" list A; }
std_list_store_n2() { ldap_list "$1" D; }

scn_list() {
	n=$("$BIN" list C | grep -c 'T[0-9]')
	[ "$n" -eq $((2 * N1)) ] || die "trustmgr list C shows $n rows, wanted $((2 * N1))"
	pair list_lab_n1 "$REPS" '<=' 1.3 "lab slapd, $N1 TDOs"
	pair list_lab_n2 "$REPS_BIG" '<=' 1.3 "lab slapd, $N2 TDOs"
	pair list_lab_n1_attrs "$REPS" '<=' 1.3 "lab, $N1 TDOs, vs ldapsearch of the listed attributes"
	pair list_lab_n2_attrs "$REPS_BIG" '<=' 1.3 "lab, $N2 TDOs, vs ldapsearch of the listed attributes"
	pair list_store_n1 "$REPS" '<=' 1.3 "embedded store vs ldapsearch, $N1 TDOs"
	pair list_store_n2 "$REPS_BIG" '<=' 1.3 "embedded store vs ldapsearch, $N2 TDOs"
}
