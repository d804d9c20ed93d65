#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# std_establish.sh LAB PWFILE A_LDIF B_LDIF - the standard tools' way to
# establish a two-way trust between lab domains A and B, as an administrator
# would script it: the TDO on each side with ldapadd (StartTLS, admin bind,
# password from a file), then krbtgt/A@B and krbtgt/B@A on both KDCs with
# kadmin, the trust password typed twice on standard input (never on a
# command line). The TDO entries (A_LDIF for A, B_LDIF for B) were prepared
# beforehand, as the administrator would have them ready.
set -eu
lab=$1 pw=$2
for x in A B; do
	. "$lab/$x/domain.env"
	if [ "$x" = A ]; then ldif=$3; else ldif=$4; fi
	ldapadd -ZZ -H "$LDAP_URI" -x -D "cn=admin,$D_BASE" -y "$D_DIR/ldap-admin.pw" \
		-f "$ldif" >/dev/null
	for p in krbtgt/A.LAB.TEST@B.LAB.TEST krbtgt/B.LAB.TEST@A.LAB.TEST; do
		out=$({ cat "$pw"; echo; cat "$pw"; echo; } |
			kadmin -r "$D_REALM" -p "admin/admin@$D_REALM" -k -t "$D_DIR/admin.keytab" \
				-q "addprinc $p" 2>&1)
		case $out in *"created."*) ;; *) echo "$out" >&2; exit 1 ;; esac
	done
done
