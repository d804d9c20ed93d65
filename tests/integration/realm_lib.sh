# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# realm_lib.sh - helpers of the plain-realm lab tests (realm_*_lab.sh);
# sourced after lab_lib.sh, not run (run.sh skips it). The lab has
# LAB_OPTS="--domains 1 --realms 2": A is an OpenLDAP + MIT domain, B and C
# are plain MIT realms (kind = mit in trustmgr.conf: realm and kadmin
# credentials only). Everything here judges with the standard tools:
# kadmin getprinc / listprincs, kinit and kvno.
BC=krbtgt/B.LAB.TEST@C.LAB.TEST
CB=krbtgt/C.LAB.TEST@B.LAB.TEST

# keys_of X P: P's keys in X's KDC as "KVNO ENCTYPE" lines (sorted), or
# "absent"; nothing when kadmin gave neither (then every comparison fails).
# kadmin's answer stays in a variable: callers run keys_of on both sides of
# a pipe (current_keys), and a shared file would be rewritten under a reader.
keys_of() {
	_ko=$(kadm "$1" "getprinc $2")
	case $_ko in *'does not exist'*) echo absent; return ;; esac
	printf '%s\n' "$_ko" | sed -n 's/^Key: vno \([0-9]*\), \(.*\)$/\1 \2/p' | sort
}
# kvno_in X P: P's highest key version in X's KDC, or "none".
kvno_in() { keys_of "$1" "$2" | awk '$1 ~ /^[0-9]+$/ && $1 > m { m = $1 } END { print m ? m : "none" }'; }
# current_keys X P: the enctypes of P's highest key version, one line.
current_keys() {
	keys_of "$1" "$2" | awk -v k="$(kvno_in "$1" "$2")" '$1 == k { print $2 }' | sort | tr '\n' ' '
}
# same_keys P [X Y]: P exists in X and Y (default B and C) with the same key
# versions and, for each, the same encryption types.
same_keys() {
	ka=$(keys_of "${2:-B}" "$1"); kb=$(keys_of "${3:-C}" "$1")
	[ -n "$ka" ] && [ "$ka" != absent ] && [ "$ka" = "$kb" ]
}
# same_kvno_in P X Y: the highest key versions are equal (enctypes aside).
same_kvno_in() { a=$(kvno_in "$2" "$1"); [ "$a" != none ] && [ "$a" = "$(kvno_in "$3" "$1")" ]; }
# attrs_of X P: the "Attributes:" line of getprinc (flags such as REQUIRES_PRE_AUTH).
attrs_of() { kadm "$1" "getprinc $2" | sed -n 's/^Attributes: *//p'; }
no_preauth() { a=$(kadm "$1" "getprinc $2"); case $a in *"Principal: $2"*) ;; *) return 1 ;; esac
	! printf '%s\n' "$a" | grep -q '^Attributes:.*REQUIRES_PRE_AUTH'; }
# princs_of X: the krbtgt principals kadmin listprincs shows in X, sorted.
princs_of() { kadm "$1" 'listprincs krbtgt/*' | grep '^krbtgt/' | sort; }
listed() { princs_of "$1" | grep -qxF "$2"; }
not_listed() { p=$(princs_of "$1"); [ -n "$p" ] && ! printf '%s\n' "$p" | grep -qxF "$2"; }
# no_trust X Y: neither krbtgt/X@Y nor krbtgt/Y@X in either KDC (listprincs).
no_trust() {
	for r in "$1" "$2"; do
		for p in "krbtgt/$1.LAB.TEST@$2.LAB.TEST" "krbtgt/$2.LAB.TEST@$1.LAB.TEST"; do
			not_listed "$r" "$p" || return 1
		done
	done
}
# keys_snapshot: every key of both trust principals of B and C, both KDCs.
keys_snapshot() {
	for x in B C; do for p in "$BC" "$CB"; do echo "$x $p: $(keys_of "$x" "$p" | tr '\n' ' ')"; done; done
}
# pw_twice FILE: the first line of FILE twice, as kadmin's password prompt reads it.
pw_twice() { l=$(head -n 1 "$1"); printf '%s\n%s\n' "$l" "$l"; }
# kadm_pw X QUERY PWFILE: a kadmin query that asks for a password, given on stdin.
kadm_pw() {
	dom "$1"
	pw_twice "$3" | kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -k -t "$D_DIR/admin.keytab" \
		-q "$2" 2>&1
}
# json PYTHON-EXPRESSION: evaluate it on $tmp/out parsed as d; exit 0 when true.
json() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/out" "$1"; }
# finding_kinds [DOMAIN]: the kinds of health --json's findings, sorted, one line.
finding_kinds() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted(set(f["kind"] for f in d["findings"]))))' "$tmp/out"
}
out_has() { grep -q -- "$1" "$tmp/out"; }
err_has() { grep -q -- "$1" "$tmp/err"; }
# has_key X P KVNO: X's KDC holds a key of version KVNO for P.
has_key() { keys_of "$1" "$2" | grep -q "^$3 "; }
# keys_unchanged X P FILE: P's keys in X are those FILE recorded (keys_of).
keys_unchanged() { keys_of "$1" "$2" | cmp -s - "$3"; }
# princs_unchanged X FILE: X's krbtgt principals are those FILE recorded.
princs_unchanged() { princs_of "$1" | cmp -s - "$2"; }
# getprinc_has X P REGEX: a line of kadmin getprinc P in X matches REGEX.
getprinc_has() { kadm "$1" "getprinc $2" | grep -q -- "$3"; }
# gt A B: both numbers and A > B.
gt() { case "$1$2" in '' | *[!0-9]*) return 1 ;; esac; [ "$1" -gt "$2" ]; }
# same_current P [X Y]: the highest key version of P and its encryption
# types are the same in X and Y (default B and C); older keys may differ
# (after a key was broken by hand the previous ones cannot match).
same_current() {
	ka=$(kvno_in "${2:-B}" "$1")
	[ "$ka" != none ] && [ "$ka" = "$(kvno_in "${3:-C}" "$1")" ] &&
		[ "$(current_keys "${2:-B}" "$1")" = "$(current_keys "${3:-C}" "$1")" ] && return 0
	# what kadmin showed, for the report
	echo "    kadmin getprinc $1: ${2:-B} kvno $ka keys [$(current_keys "${2:-B}" "$1")];" \
		"${3:-C} kvno $(kvno_in "${3:-C}" "$1") keys [$(current_keys "${3:-C}" "$1")]"
	return 1
}
# snap_same FILE: keys_snapshot now is what FILE recorded.
snap_same() { keys_snapshot | cmp -s - "$1"; }
# has_tdo_for X PARTNER: ldapsearch finds X's TDO for PARTNER (X has a directory).
has_tdo_for() { tdos_of "$1" | grep -q "^trustPartner: $2\$"; }
