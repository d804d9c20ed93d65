#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# tests/lab/samba_selftest.sh - prove the Samba lab works, with the standard
# clients only: start two Samba AD DCs (tests/lab/samba.sh) in a temporary
# folder, check LDAPS by name as Administrator, Kerberos in each realm, a
# forest trust made by samba-tool (validate, cross-realm tickets both ways,
# the trustAuth* blobs in sam.ldb decoded with ndrdump), the same trust made
# again (the stale secure channel trap), then stop and check that nothing is
# left; finally a start that fails half way must undo itself.
#
#   sh tests/lab/samba_selftest.sh [TRUSTMGR]
#
# With TRUSTMGR (a trustmgr binary) it also checks that trustmgr reads the
# lab's trustmgr.conf, sees the trust and verifies it. Prints "samba-lab: N passed, N
# failed" (exit 1 on a failure); when the Samba packages are missing it says
# so and exits 0 ("skipped"). Needs root. POSIX sh.
# Functions run through trap and through expect/refuse:
# shellcheck disable=SC2317
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
LAB=$here/samba.sh
BIN=${1:-}
PY=/usr/bin/python3

finish() {
	echo "samba-lab: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
pass=0
fail=0

# Skip only when Samba itself is not installed.
missing=""
for t in samba samba-tool ldbsearch wbinfo net; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
[ -d /usr/share/samba/setup ] || missing="$missing /usr/share/samba/setup"
"$PY" -c 'import samba.dcerpc.drsblobs' 2>/dev/null || missing="$missing python3-samba"
if [ -n "$missing" ]; then
	echo "samba-lab: skipped: the Samba packages are not installed (missing:$missing);"
	echo "samba-lab: tools/install-deps.sh installs samba samba-ad-dc samba-ad-provision samba-dsdb-modules"
	echo "samba-lab: samba-common-bin python3-samba winbind ldb-tools samba-testsuite"
	finish
fi
for t in ldapsearch kinit kvno kdestroy ip unshare nsenter openssl; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "samba-lab: $t is missing: run tools/install-deps.sh"
		fail=1; finish
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "samba-lab: must run as root (network and mount namespaces)"
	fail=1; finish
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-smb-XXXXXX")
lab=$tmp/lab
cleanup() {
	for l in "$lab" "$tmp/lab2"; do
		sh "$LAB" stop "$l" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

out=$tmp/out
ok() { pass=$((pass + 1)); echo "ok: $*"; }
ko() {
	fail=$((fail + 1)); echo "FAIL: $*"
	if [ -s "$out" ]; then sed 's/^/    | /' "$out" | tail -n 15; fi
}
# expect DESC CMD...: CMD succeeds. refuse DESC CMD...: CMD fails.
expect() { d=$1; shift; if "$@" >"$out" 2>&1; then ok "$d"; else ko "$d"; fi; }
refuse() { d=$1; shift; if "$@" >"$out" 2>&1; then ko "$d"; else ok "$d"; fi; }
has() { grep -Eq -- "$1" "$out"; }
says() { if has "$2"; then ok "$1"; else ko "$1"; fi; }
# in_lab CMD...: CMD inside the lab's network namespace, lab environment.
in_lab() { sh "$LAB" exec "$lab" -- "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------------ start
t0=$(now)
if ! sh "$LAB" start "$lab" >"$tmp/start.out" 2>&1; then
	out=$tmp/start.out
	ko "samba.sh start"
	finish
fi
ok "samba.sh start: 2 DCs up in $(since "$t0") s ($(sed -n 's/^# Samba lab in [^(]*(\(.*\))$/\1/p' "$tmp/start.out"))"
eval "$(sh "$LAB" env "$lab")"
NS=$SAMBA_LAB_NETNS
if [ -f "$KRB5_CONFIG" ] && [ -f "$TRUSTMGR_CONFIG" ] && [ -f "$LDAPTLS_CACERT" ] && [ -n "$NS" ]; then
	ok "samba.sh env exports KRB5_CONFIG, TRUSTMGR_CONFIG, LDAPTLS_CACERT, SAMBA_LAB_NETNS"
else
	ko "samba.sh env"
fi
expect "samba.sh status: both DCs run" sh "$LAB" status "$lab"
expect "network namespace $NS exists" test -e "/run/netns/$NS"
expect "/etc/netns/$NS/hosts names the DCs" grep -q 'dc2.samba2.test' "/etc/netns/$NS/hosts"

dc() {
	# shellcheck source=/dev/null
	. "$lab/$1/dc.env"
}
for x in dc1 dc2; do
	dc "$x"
	mode=$(stat -c %a "$DC_PW")
	if [ "$mode" = 600 ] && [ -s "$DC_PW" ]; then ok "$x: Administrator's password in a 0600 file"
	else ko "$x: $DC_PW has mode $mode"; fi
	# shellcheck disable=SC2016 # an awk program
	expect "$x: trustmgr.conf block $DC_NETBIOS (kind ad, ldaps by name, SID, level)" awk -v n="$DC_NETBIOS" \
		-v uri="$LDAPS_URI" -v sid="$DC_SID" '
		$1 == n && $2 == "=" { inb = 1 } inb && $1 == "}" { inb = 0 }
		inb && $1 == "kind" && $3 == "ad" { k++ } inb && $1 == "ldap_uri" && $3 == uri { k++ }
		inb && $1 == "sid" && $3 == sid { k++ } inb && $1 == "tls" && $3 == "ldaps" { k++ }
		inb && $1 == "functional_level" && $3 ~ /^20/ { k++ }
		END { exit k != 5 }' "$TRUSTMGR_CONFIG"
done

# No password on any command line while the lab runs (grep reads the
# patterns from the files: not on its own command line either).
cat "$lab/dc1/admin.pw" >"$tmp/pws"; echo >>"$tmp/pws"; cat "$lab/dc2/admin.pw" >>"$tmp/pws"
# shellcheck disable=SC2009 # patterns from a file: pgrep would show them
leaks=$(ps -e -ww -o pid= -o args= | grep -F -f "$tmp/pws" | awk '{ printf " %s", $1 }')
rm -f "$tmp/pws"
if [ -z "$leaks" ]; then ok "no Administrator password on any process's command line"
else : >"$out"; ko "a password on the command line of:$leaks"; fi

# ------------------------------------------------------------------ each DC
for x in dc1 dc2; do
	dc "$x"
	expect "$x: $DC_FQDN resolves to $DC_IP in the namespace" in_lab getent hosts "$DC_FQDN"
	says "$x: ... to $DC_IP" "^$DC_IP "
	expect "$x: ldapsearch $LDAPS_URI as Administrator (simple bind, the DC's CA)" \
		in_lab ldapsearch -LLL -o ldif-wrap=no -H "$LDAPS_URI" -x \
		-D "CN=Administrator,CN=Users,$DC_BASE" -y "$DC_PW" -b "$DC_BASE" \
		"(sAMAccountName=$DC_HOST\$)" dNSHostName
	says "$x: the DC's computer object names $DC_FQDN" "^dNSHostName: $DC_HOST\\.$DC_DNS$"
	refuse "$x: a simple bind without TLS is refused" \
		in_lab ldapsearch -LLL -H "$LDAP_URI" -x -D "CN=Administrator,CN=Users,$DC_BASE" \
		-y "$DC_PW" -b "$DC_BASE" -s base dn
	says "$x: ... with strongerAuthRequired" "Strong\\(er\\) authentication required"
	refuse "$x: ldaps by address fails (the certificate names the DC)" \
		in_lab ldapsearch -LLL -H "ldaps://$DC_IP/" -x -D "CN=Administrator,CN=Users,$DC_BASE" \
		-y "$DC_PW" -b "$DC_BASE" -s base dn
	in_lab kdestroy >/dev/null 2>&1
	expect "$x: kinit Administrator@$DC_REALM" in_lab kinit "Administrator@$DC_REALM" <"$DC_PW"
	expect "$x: kvno ldap/$DC_FQDN@$DC_REALM" in_lab kvno "ldap/$DC_FQDN@$DC_REALM"
done
in_lab kdestroy >/dev/null 2>&1

# ------------------------------------------------------------------ trust
# validate X Y: samba-tool on X validates X's trust with Y's domain, logged
# on to Y as its Administrator for the remote part.
validate() {
	dc "$2"; ydns=$DC_DNS; yrealm=$DC_REALM; ypw=$DC_PW
	dc "$1"
	in_lab env PASSWD_FILE="$ypw" samba-tool domain trust validate "$ydns" -s "$DC_CONF" \
		-U "Administrator@$yrealm" </dev/null
}
# validated X Y WHEN: validate succeeds and reports OK both locally and remotely.
validated() {
	expect "samba-tool domain trust validate on $1 ($3)" validate "$1" "$2"
	if has "OK: LocalValidation" && has "OK: RemoteValidation" && ! has "ERROR"; then
		ok "$1: local and remote validation OK ($3)"
	else
		ko "$1: validation ($3)"
	fi
}
# crosses X Y: a user of X's realm gets a ticket to a service of Y's DC.
crosses() {
	dc "$2"; svc="cifs/$DC_FQDN@$DC_REALM"
	dc "$1"
	in_lab kdestroy >/dev/null 2>&1
	in_lab kinit "Administrator@$DC_REALM" <"$DC_PW" || return 1
	in_lab kvno "$svc"
}

t0=$(now)
expect "samba.sh trust: forest trust samba.test <-> samba2.test" sh "$LAB" trust "$lab"
echo "     (trust made in $(since "$t0") s)"
validated dc1 dc2 "first trust"
validated dc2 dc1 "first trust"
expect "kinit in SAMBA2.TEST, kvno cifs/dc1.samba.test@SAMBA.TEST" crosses dc2 dc1
expect "kinit in SAMBA.TEST, kvno cifs/dc2.samba2.test@SAMBA2.TEST" crosses dc1 dc2
in_lab kdestroy >/dev/null 2>&1

# blob X ATTR FILE: X's TDO attribute ATTR (base64 in ldbsearch's LDIF,
# folded lines joined) decoded into FILE.
blob() {
	ldbsearch -H "$lab/$1/private/sam.ldb" '(objectClass=trustedDomain)' "$2" 2>/dev/null |
		awk -v a="$2:: " 'index($0, a) == 1 { v = substr($0, length(a) + 1); on = 1; next }
			on && /^ / { v = v substr($0, 2); next } { on = 0 } END { print v }' |
		base64 -d >"$3" 2>/dev/null && [ -s "$3" ]
}
# ndr FILE: decode a trustAuthInOutBlob (ndrdump when samba-testsuite is
# there, else Samba's Python bindings).
ndr() {
	if command -v ndrdump >/dev/null 2>&1; then
		ndrdump drsblobs trustAuthInOutBlob struct "$1"
	else
		"$PY" - "$1" <<'EOF'
import sys
from samba.ndr import ndr_unpack, ndr_print
from samba.dcerpc import drsblobs
print("pull returned Success")
print(ndr_print(ndr_unpack(drsblobs.trustAuthInOutBlob, open(sys.argv[1], "rb").read())))
EOF
	fi
}
# current FILE: the current secret of a trustAuthInOutBlob, in hex.
current() {
	"$PY" - "$1" <<'EOF'
import sys
from samba.ndr import ndr_unpack
from samba.dcerpc import drsblobs
b = ndr_unpack(drsblobs.trustAuthInOutBlob, open(sys.argv[1], "rb").read())
print(bytes(b.current.array[0].AuthInfo.password).hex())
EOF
}

tdo_checks() {
	for x in dc1 dc2; do
		if [ "$x" = dc1 ]; then y=dc2; else y=dc1; fi
		dc "$y"; partner=$DC_DNS
		dc "$x"
		expect "$x: ldbsearch $DC_DIR/private/sam.ldb finds the trustedDomain object" \
			ldbsearch -H "$DC_DIR/private/sam.ldb" '(objectClass=trustedDomain)' \
			trustPartner trustDirection trustType trustAttributes
		says "$x: TDO for $partner: two-way (3), uplevel (2), forest transitive (8)" \
			"^trustPartner: $partner"
		if has '^trustDirection: 3$' && has '^trustType: 2$' && has '^trustAttributes: 8$'; then
			ok "$x: trustDirection 3, trustType 2, trustAttributes 8"
		else
			ko "$x: the TDO's direction, type or attributes"
		fi
		for a in trustAuthIncoming trustAuthOutgoing; do
			if blob "$x" "$a" "$tmp/$x.$a"; then
				expect "$x: $a decodes as a trustAuthInOutBlob" ndr "$tmp/$x.$a"
				if has "Success" && has "TRUST_AUTH_TYPE_CLEAR" && has "size +: 0x000000f0 \\(240\\)"; then
					ok "$x: $a holds a 240-byte CLEAR secret"
				else
					ko "$x: $a is not the CLEAR secret samba-tool writes"
				fi
			else
				: >"$out"; ko "$x: no $a in sam.ldb"
			fi
		done
	done
	for p in "dc1 dc2" "dc2 dc1"; do
		# shellcheck disable=SC2086 # two words
		set -- $p
		a=$(current "$tmp/$1.trustAuthIncoming" 2>/dev/null)
		b=$(current "$tmp/$2.trustAuthOutgoing" 2>/dev/null)
		if [ -n "$a" ] && [ "$a" = "$b" ]; then
			ok "$1's incoming secret is $2's outgoing secret"
		else
			: >"$out"; ko "$1's incoming secret differs from $2's outgoing one"
		fi
	done
}
tdo_checks

if [ -n "$BIN" ] && [ -x "$BIN" ]; then
	mkdir -p "$tmp/home"
	expect "trustmgr list SAMBA reads the lab's trustmgr.conf (ldaps, Administrator)" \
		in_lab env HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_STATE_HOME="$tmp/home/state" \
		"$BIN" list SAMBA
	says "trustmgr sees the two-way trust with SAMBA2" "SAMBA2 +samba2\\.test +two-way"
	expect "trustmgr verify SAMBA SAMBA2 (verify_principal, verify_service of trustmgr.conf)" \
		in_lab env HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_STATE_HOME="$tmp/home/state" \
		"$BIN" verify SAMBA SAMBA2
	says "... both directions ok" "SAMBA trusts SAMBA2: ok"
	says "... both directions ok (the other one)" "SAMBA2 trusts SAMBA: ok"
fi

# The same trust again: samba.sh trust deletes it, restarts the DCs (the
# stale secure channel would make validate fail with WERR_ACCOUNT_DISABLED)
# and creates it anew.
t0=$(now)
expect "samba.sh trust again (delete, restart, create)" sh "$LAB" trust "$lab"
says "... it deleted the first trust" "deleting the existing trust"
echo "     (trust made again in $(since "$t0") s)"
validated dc1 dc2 "trust made again"
validated dc2 dc1 "trust made again"
expect "after the new trust: kinit in SAMBA2.TEST, kvno cifs/dc1.samba.test@SAMBA.TEST" crosses dc2 dc1
expect "after the new trust: kinit in SAMBA.TEST, kvno cifs/dc2.samba2.test@SAMBA2.TEST" crosses dc1 dc2
in_lab kdestroy >/dev/null 2>&1

# ------------------------------------------------------------------ stop
pids=$(ip netns pids "$NS" 2>/dev/null | tr '\n' ' ')
n=$(echo "$pids" | wc -w)
t0=$(now)
expect "samba.sh stop" sh "$LAB" stop "$lab"
echo "     (stopped in $(since "$t0") s)"
left=""
for p in $pids; do
	[ -e "/proc/$p" ] && left="$left $p($(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1))"
done
if [ "$n" -gt 5 ] && [ -z "$left" ]; then
	ok "none of the lab's $n processes is left, not even as a zombie"
else
	: >"$out"; ko "processes left after stop ($n were in the namespace):$left"
fi
echo "$lab/" >"$tmp/labpath"
# shellcheck disable=SC2009
named=$(ps -e -ww -o pid= -o args= | grep -F -f "$tmp/labpath" | awk '{ printf " %s", $1 }')
if [ -z "$named" ]; then ok "no process names the lab's folder"; else : >"$out"; ko "processes naming $lab:$named"; fi
refuse "network namespace $NS is gone" test -e "/run/netns/$NS"
refuse "/etc/netns/$NS is gone" test -e "/etc/netns/$NS"
refuse "samba.sh status says the lab is down" sh "$LAB" status "$lab"
expect "samba.sh stop a second time" sh "$LAB" stop "$lab"
expect "samba.sh stop --rm" sh "$LAB" stop "$lab" --rm
refuse "the lab's folder is gone" test -e "$lab"
expect "samba.sh stop --rm a second time" sh "$LAB" stop "$lab" --rm

# ------------------------------------------------------------------ failed start
# A start that fails after it made the namespace (here: a cache it cannot
# create) must undo everything.
lab2=$(cd "$tmp" && pwd -P)/lab2
refuse "samba.sh start with a cache it cannot make fails" \
	env SAMBA_LAB_CACHE=/proc/no-such-cache sh "$LAB" start "$lab2"
says "... and says it stops what it started" "start failed; stopping what it started"
refuse "... the folder it made is gone" test -e "$lab2"
ns2=$(printf '%s' "$lab2" | cksum | awk '{ printf "tmsmb-%08x", $1 }')
refuse "... its namespace $ns2 is gone" test -e "/run/netns/$ns2"
refuse "... and /etc/netns/$ns2 too" test -e "/etc/netns/$ns2"

finish
