#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The TDO entries of the embedded store load into a real OpenLDAP database:
# build a demo store, take each domain's directory entries (the domain entry
# reduced to its LDAP-standard attributes, cn=System and the TDOs), and load
# them with slapadd into an mdb database using Debian's msuser.schema plus
# schema/trustmgr.schema; then read them back with slapcat and compare the
# binary trust attributes. Offline tools only: no server, no network.
set -eu
BIN=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v slapadd >/dev/null 2>&1; then
	echo "slapadd_tdo: slapadd is missing (package slapd)" >&2
	exit 1
fi
tmp=$(mktemp -d /tmp/tm-slapadd-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$BIN" --store "$tmp/store" demo >/dev/null
fails=0
for ldif in "$tmp"/store/domains/*/domain.ldif; do
	name=$(basename "$(dirname "$ldif")")
	base=$(sed -n 's/^dn: //p' "$ldif" | head -n 1)
	db="$tmp/db-$name"
	mkdir -p "$db"
	cat >"$tmp/slapd-$name.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/msuser.schema
include $top/schema/trustmgr.schema
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "$base"
rootdn "cn=admin,$base"
directory $db
maxsize 10485760
CONF
	# Keep the domain entry's standard attributes, cn=System and the TDOs
	# (trust accounts need AD-only attributes of msuser's user class).
	awk -v RS= -v ORS='\n\n' '
		/^(# [^\n]*\n)*dn: (dc|DC)=/ { n = split($0, l, "\n"); out = "";
			for (i = 1; i <= n; i++) if (l[i] ~ /^(dn|objectClass|dc):/) out = out l[i] "\n";
			printf "%s\n", out; next }
		/\ndn: cn=System,|^dn: cn=System,/ { print; next }
		/objectClass: trustedDomain/ { print }' "$ldif" >"$tmp/in-$name.ldif"
	want=$(grep -c '^objectClass: trustedDomain' "$tmp/in-$name.ldif" || true)
	if ! slapadd -q -f "$tmp/slapd-$name.conf" -l "$tmp/in-$name.ldif" 2>"$tmp/err-$name"; then
		echo "FAIL: slapadd refused $name's entries:"; cat "$tmp/err-$name"
		fails=$((fails + 1)); continue
	fi
	slapcat -f "$tmp/slapd-$name.conf" -o ldif-wrap=no >"$tmp/out-$name.ldif" 2>/dev/null
	got=$(grep -c '^objectClass: trustedDomain' "$tmp/out-$name.ldif" || true)
	for a in trustAuthIncoming trustAuthOutgoing securityIdentifier; do
		ina=$(awk -v RS= -v a="$a" '{gsub(/\n /, ""); n = split($0, l, "\n");
			for (i = 1; i <= n; i++) if (index(l[i], a "::") == 1) print l[i]}' "$tmp/in-$name.ldif" | sort)
		outa=$(grep "^$a::" "$tmp/out-$name.ldif" | sort || true)
		if [ "$ina" != "$outa" ]; then
			echo "FAIL: $name: $a differs after the round trip through slapd"
			fails=$((fails + 1))
		fi
	done
	if [ "$want" -lt 1 ] || [ "$want" != "$got" ]; then
		echo "FAIL: $name: $want TDOs written, $got read back"
		fails=$((fails + 1))
	else
		echo "ok: $name: $got TDOs loaded into slapd and read back intact"
	fi
done
[ "$fails" -eq 0 ]
