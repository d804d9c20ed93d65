#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# std_establish_realms.sh LAB PWFILE X Y [--verify] - the standard tools' way
# to establish a two-way trust between the plain realms X and Y of the lab
# (no directory: the trust is its principals), as an administrator would
# script it: kadmin addprinc of krbtgt/X@Y and krbtgt/Y@X on both KDCs with
# the same password, typed twice on standard input (read from PWFILE, never
# on a command line). With --verify, then kinit + kvno across the trust in
# each direction, which is what `trustmgr create` ends with.
set -eu
lab=$1 pw=$2 x=$3 y=$4
for r in "$x" "$y"; do
	. "$lab/$r/domain.env"
	for p in "krbtgt/$x.LAB.TEST@$y.LAB.TEST" "krbtgt/$y.LAB.TEST@$x.LAB.TEST"; do
		out=$({ cat "$pw"; echo; cat "$pw"; echo; } |
			kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -k -t "$D_DIR/admin.keytab" \
				-q "addprinc $p" 2>&1)
		case $out in *"created."*) ;; *) echo "$out" >&2; exit 1 ;; esac
	done
done
[ "${5:-}" = --verify ] || exit 0
cc=$(mktemp /tmp/tmb-cc-XXXXXX)
trap 'rm -f "$cc"' EXIT
export KRB5CCNAME="FILE:$cc"
for pair in "$y $x" "$x $y"; do
	set -- $pair
	. "$lab/$2/domain.env"
	svc="host/srv.$D_DNS@$D_REALM"
	. "$lab/$1/domain.env"
	kinit "user@$D_REALM" <"$D_DIR/user.pw" >/dev/null
	kvno "$svc" >/dev/null
done
