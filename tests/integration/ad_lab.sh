#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# trustmgr against two real Samba AD DCs (tests/lab/samba.sh): `kind = ad`
# domains described by ldap_uri, bind and TLS only (names, SID and levels
# read from the directory), TDOs over LDAP, changes through the LSA helper.
# Every result is judged with Samba's own tools and the Kerberos clients,
# never with trustmgr's output (its exit status and message are checked as
# well, in addition):
#   samba-tool domain trust show/list/validate (-s DIR/dcN/etc/smb.conf,
#     PASSWD_FILE=DIR/dcN/admin.pw -U Administrator@REALM),
#   ldbsearch of DIR/dcN/private/sam.ldb (TDOs, trust accounts, whenChanged),
#   ndrdump drsblobs trustAuthInOutBlob of trustAuthIncoming/Outgoing,
#   kinit (password on stdin) + kvno across the trust, each direction.
# Scenarios: domain list; the samba-tool trust seen by list/show; remove
# --sides both; create --forest-transitive; --dry-run; forest recovery with
# reset-one-side; verify; health on a healthy and on a one-sided trust;
# remove of one side, tdo delete, create after a remove; a name in the block
# that disagrees with the directory; trustmgr on a DC (local_dc_conf).
#
#   sh tests/integration/ad_lab.sh /abs/path/to/trustmgr
#
# Prints "ad-lab: N passed, N failed" (exit 1 on a failure); skips (exit 0,
# saying why) only when the Samba packages are not installed. Needs root.
# No password on any command line or in the environment: 0600 files only
# (kinit reads stdin, samba-tool PASSWD_FILE, trustmgr --password-file).
# Functions run through trap and through expect/refuse:
# shellcheck disable=SC2317
set -u

BIN=${1:-}
NAME=ad-lab
AD_TMP=adl
AD_SAMBA=ndrdump
AD_WHEN=last
# shellcheck source-path=SCRIPTDIR source=ad_lib.sh
. "$(dirname "$0")/ad_lib.sh"

# The recovery password: a 0600 file, never on a command line.
pwf=$tmp/recovery.pw
secret_file "$pwf" Recovery

# ------------------------------------------------------------------ Samba's view
# ldb_base X BASE ATTR: the attribute's value on one object.
ldb_base() { ldb "$1" -s base -b "$2" "$3" | sed -n "s/^$3: //p"; }
# trust_state X: TDOs and trust accounts of X with their change stamps.
trust_state() {
	ldb "$1" '(|(objectClass=trustedDomain)(userAccountControl:1.2.840.113556.1.4.803:=2048))' \
		whenChanged uSNChanged | grep -E '^(dn|whenChanged|uSNChanged):' | sort
}
# snapshot / unchanged WHAT: the TDOs and trust accounts of both DCs, with
# their change stamps, before; then judged unchanged after WHAT.
snapshot() { trust_state dc1 >"$tmp/before1"; trust_state dc2 >"$tmp/before2"; }
unchanged() {
	for _n in 1 2; do
		trust_state "dc$_n" >"$tmp/after$_n"
		if [ -s "$tmp/before$_n" ] && cmp -s "$tmp/before$_n" "$tmp/after$_n"; then
			ok "dc$_n: ldbsearch: TDO and trust account unchanged by $1 (whenChanged, uSNChanged)"
		else
			diff "$tmp/before$_n" "$tmp/after$_n" >"$out" 2>&1; ko "dc$_n: $1 changed the directory"
		fi
	done
}
# made_both N: after a create, each DC shows the forest trust (samba-tool
# domain trust show) and holds one TDO and one trust account (ldbsearch).
made_both() {
	for _x in dc1 dc2; do
		: >"$out"; check "$1: $_x: samba-tool domain trust show: UPLEVEL, BOTH, FOREST_TRANSITIVE" st_show_is "$_x" UPLEVEL BOTH FOREST_TRANSITIVE
		: >"$out"; check "$1: $_x: ldbsearch: one TDO and one trust account" one_trust "$_x"
	done
}
# healthy_health WHEN: health SAMBA on a working trust (kvno both ways and
# validate OK) names no problem: each finding ok (or not-checked: a check it
# could not make, no claim), exit status not 1.
# The findings table: DOMAIN PARTNER DIRECTION FINDING FIX, up to the blank line.
findings() { awk 'NR == 1 { next } NF == 0 { exit } { print $4 }' "$1" | sort -u | tr '\n' ' '; }
healthy_health() {
	tm health SAMBA >"$tmp/health" 2>&1
	hrc=$?
	cp "$tmp/health" "$out"
	note "(exit status $hrc; the trust works: judged with kvno both ways / samba-tool validate)"
	f=$(findings "$tmp/health")
	bad_f=$(echo "$f" | tr ' ' '\n' | grep -v -E '^(ok|not-checked|)$' | tr '\n' ' ')
	if [ -n "$f" ] && [ -z "$bad_f" ] && [ "$hrc" -ne 1 ]; then
		ok "health SAMBA on the healthy trust claims no problem ($1; findings: $f; exit $hrc)"
	else
		ko "health SAMBA on a healthy trust claims: ${bad_f:-exit 1} ($1; findings: $f)"
	fi
}

# ================================================================== 1. domain list
tm_rc 0 "1: trustmgr domain list (kind ad, ldap_uri/bind/TLS only)" domain list
cp "$out" "$tmp/domains"
level_name() {
	case $1 in 0) echo 2000 ;; 1) echo 2003_interim ;; 2) echo 2003 ;; 3) echo 2008 ;;
	4) echo 2008R2 ;; 5) echo 2012 ;; 6) echo 2012R2 ;; 7) echo 2016 ;; *) echo "level$1" ;; esac
}
for x in dc1 dc2; do
	base=$(ldb_base "$x" "" defaultNamingContext)
	root=$(ldb_base "$x" "" rootDomainNamingContext)
	config=$(ldb_base "$x" "" configurationNamingContext)
	sid=$(ldb_base "$x" "$base" objectSid)
	level=$(level_name "$(ldb_base "$x" "$base" msDS-Behavior-Version)")
	ldb "$x" "(&(objectClass=crossRef)(nCName=$base))" -b "CN=Partitions,$config" nETBIOSName dnsRoot >"$tmp/xref"
	nb=$(sed -n 's/^nETBIOSName: //p' "$tmp/xref")
	dns=$(sed -n 's/^dnsRoot: //p' "$tmp/xref")
	forest=$(ldb "$x" "(&(objectClass=crossRef)(nCName=$root))" -b "CN=Partitions,$config" dnsRoot |
		sed -n 's/^dnsRoot: //p')
	realm=$(echo "$dns" | tr '[:lower:]' '[:upper:]')
	wanted="$nb ad $dns $nb $sid $realm $forest $level"
	got=$(awk -v n="$nb" '$1 == n { $1 = $1; print }' "$tmp/domains")
	cp "$tmp/domains" "$out"
	note "ldbsearch of $x's sam.ldb: objectSid $sid, nETBIOSName $nb, dnsRoot $dns, forest $forest, msDS-Behavior-Version -> $level"
	if [ -n "$nb" ] && [ -n "$sid" ] && [ "$got" = "$wanted" ]; then
		ok "1: domain list $nb = ldbsearch of $x ($sid, $nb, $dns, $realm, forest $forest, $level)"
	else
		ko "1: domain list row '$got', ldbsearch says '$wanted'"
	fi
done

# ================================================================== 2. samba-tool's trust
expect "2: samba.sh trust: samba-tool makes a forest trust SAMBA <-> SAMBA2" sh "$LAB" trust "$lab"
for x in dc1 dc2; do
	: >"$out"; check "2: $x: ldbsearch: one TDO and one trust account (uac 0x800) after samba-tool" one_trust "$x"
done
tm_rc 0 "2: trustmgr list SAMBA" list SAMBA
cp "$out" "$tmp/list"
st dc1 list >"$tmp/st.list" 2>&1
# samba-tool: "Type[Forest] Transitive[Yes] Direction[BOTH] Name[samba2.test]"
list_agrees() {
	_n=0
	while read -r _line; do
		_name=$(echo "$_line" | sed -n 's/.*Name\[\([^]]*\)\].*/\1/p')
		_dir=$(echo "$_line" | sed -n 's/.*Direction\[\([A-Z]*\)\].*/\1/p')
		[ -n "$_name" ] || continue
		_n=$((_n + 1))
		case $_dir in BOTH) _w=two-way ;; INCOMING) _w=inbound ;; OUTGOING) _w=outbound ;; *) _w=unknown ;; esac
		_rows=$(awk -v d="$_name" '/^  [^ ]/ && $2 == d' "$tmp/list")
		_c=$(printf '%s\n' "$_rows" | grep -c " $_w ")
		# two-way: once among the trusted, once among the trusting domains
		if [ "$_w" = two-way ] && [ "$_c" -ne 2 ]; then echo "samba-tool: $_line; list rows for it: $_c"; return 1; fi
		if [ "$_w" != two-way ] && [ "$_c" -ne 1 ]; then echo "samba-tool: $_line; list rows for it: $_c"; return 1; fi
	done <"$tmp/st.list"
	[ "$_n" -gt 0 ] || { echo "samba-tool domain trust list shows no trust"; return 1; }
	# and no row for a domain samba-tool does not list
	awk '/^  [^ ]/ && NF >= 4 { print $2 }' "$tmp/list" | sort -u | while read -r _d; do
		grep -q "Name\\[$_d\\]" "$tmp/st.list" || { echo "list shows $_d, samba-tool does not"; exit 1; }
	done
}
: >"$out"; cat "$tmp/st.list" "$tmp/list" >"$out"
check "2: list SAMBA: the trusts and directions samba-tool domain trust list shows" list_agrees
tm_rc 0 "2: trustmgr show SAMBA SAMBA2" show SAMBA SAMBA2
cp "$out" "$tmp/show"
st dc1 show samba2.test >"$tmp/st.show" 2>&1
# stv LABEL: the first word after "LABEL:" in samba-tool's show; tmv LABEL:
# the rest of trustmgr's show line "  LABEL ...".
stv() { sed -n "s/^$1: *\\([^ ]*\\).*/\\1/p" "$tmp/st.show" | head -n 1; }
tmv() { sed -n "s/^  $1 *\\(.*\\)/\\1/p" "$tmp/show" | head -n 1; }
show_agrees() {
	_e=0
	# same LABEL TRUSTMGR SAMBA_TOOL
	same() { if [ "$2" != "$3" ]; then echo "$1: trustmgr '$2', samba-tool '$3'"; _e=1; fi; }
	# samenum LABEL TRUSTMGR SAMBA_TOOL: equal numbers (hex or decimal)
	samenum() {
		if [ -z "$2" ] || [ -z "$3" ] || [ "$(($2))" -ne "$(($3))" ]; then
			echo "$1: trustmgr '$2', samba-tool '$3'"; _e=1
		fi
	}
	same partner "$(tmv 'Partner (trustPartner):')" "$(stv DnsName)"
	same "flat name" "$(tmv 'Flat name (flatName):')" "$(stv NetbiosName)"
	same SID "$(tmv 'SID (securityIdentifier):')" "$(stv SID)"
	samenum direction "$(tmv 'Direction:' | sed -n 's/.*(\([0-9]*\)).*/\1/p')" "$(stv Direction)"
	samenum type "$(tmv 'Type:' | sed -n 's/.*(\([0-9]*\)).*/\1/p')" "$(stv Type)"
	samenum attributes "$(tmv 'Attributes:' | sed -n 's/.*(\(0x[0-9a-fA-F]*\)).*/\1/p')" "$(stv Attributes)"
	samenum enctypes "$(tmv 'Encryption types:' | sed -n 's/.*(\(0x[0-9a-fA-F]*\)).*/\1/p')" "$(stv kerb_EncTypes)"
	samenum "POSIX offset" "$(tmv 'POSIX offset:')" "$(stv PosixOffset)"
	return "$_e"
}
cat "$tmp/st.show" "$tmp/show" >"$out"
check "2: show SAMBA SAMBA2: partner, flat name, SID, direction, type, attributes, enctypes, POSIX offset as samba-tool domain trust show" show_agrees
crosses_both "the samba-tool trust"
healthy_health "2: the samba-tool trust (secrets trustmgr never saw)"

# ================================================================== 3. remove --sides both
tm_rc 0 "3: trustmgr remove SAMBA SAMBA2 --sides both" remove SAMBA SAMBA2 --sides both
for x in dc1 dc2; do
	: >"$out"; check "3: $x: ldbsearch: no trustedDomain and no trust account (uac 0x800, SAMBA2\$/SAMBA\$) left" no_trust "$x"
	st "$x" list >"$out" 2>&1
	if [ ! -s "$out" ] || ! grep -q 'Name\[' "$out"; then ok "3: $x: samba-tool domain trust list is empty"
	else ko "3: $x: samba-tool domain trust list still lists a trust"; fi
done

# ================================================================== 4. create --forest-transitive
tm_rc 0 "4: trustmgr create SAMBA SAMBA2 --forest-transitive (generated secrets, both sides)" \
	create SAMBA SAMBA2 --forest-transitive
made_both 4
ends_equal 4
crosses_both "after create"
for x in dc1 dc2; do
	: >"$out"; check "4: $x: verify's dc_check says what samba-tool domain trust validate's local part says" dc_check_agrees "$x"
done
restart "winbindd keeps the old secure channel"
validated dc1 "after create"
validated dc2 "after create"

# ================================================================== 7a. verify on a good trust
tm_rc 0 "7: trustmgr verify SAMBA SAMBA2 exits 0 on the working trust" verify SAMBA SAMBA2

# A bind account that is not an administrator: Kerberos still proves the
# trust, and dc1 refuses it its own check, as it refuses samba-tool's
# remote validation made as the same account. The user is made by Samba's
# SamDB, its password read from a 0600 file.
(umask 077 && printf 'Tm1.%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$tmp/plain.pw")
dc dc1
/usr/bin/python3 -c 'import sys
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
lp = LoadParm()
lp.load(sys.argv[1])
SamDB(url=sys.argv[2], session_info=system_session(), lp=lp).newuser(
    "tmplain", open(sys.argv[3]).read().strip())' "$DC_CONF" "$lab/dc1/private/sam.ldb" "$tmp/plain.pw" \
	>"$out" 2>&1 || ko "SamDB.newuser tmplain on dc1"
sed -e "s|CN=Administrator,CN=Users,$DC_BASE|CN=tmplain,CN=Users,$DC_BASE|" \
	-e "s|bind_password_file = $DC_PW|bind_password_file = $tmp/plain.pw|" "$conf" >"$tmp/plain.conf"
# not_asked CONF STATUS TEXT: verify SAMBA SAMBA2 with CONF (--json, then
# text): both directions ok, SAMBA's dc_check "not asked: STATUS", the text
# saying TEXT (the reason).
not_asked() {
	(TM_CONF=$1 tm verify SAMBA SAMBA2 --json >"$tmp/na.json" 2>&1)
	(TM_CONF=$1 tm verify SAMBA SAMBA2 >"$tmp/na.txt" 2>&1)
	cat "$tmp/na.json" "$tmp/na.txt"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
r = {x["trusting"]: x for x in d["directions"]}
sys.exit(0 if all(x["outcome"] == "ok" for x in d["directions"]) and
         r["SAMBA"]["dc_check"] == "not asked: " + sys.argv[2] else 1)' "$tmp/na.json" "$2" &&
		grep -q "$3" "$tmp/na.txt"
}
: >"$out"; check "7: verify as a plain user: Kerberos ok both ways, dc1's own check refused (STATUS_ACCESS_DENIED) and said why" \
	not_asked "$tmp/plain.conf" STATUS_ACCESS_DENIED "asking for its check takes a domain administrator"
# samba-tool run on dc2 validates dc1 remotely as tmplain: refused too.
dc dc2
in_lab env PASSWD_FILE="$tmp/plain.pw" samba-tool domain trust validate samba.test \
	-s "$DC_CONF" -U tmplain@SAMBA.TEST </dev/null >"$out" 2>&1
says "7: samba-tool's remote validation of dc1 as tmplain: WERR_ACCESS_DENIED too" "WERR_ACCESS_DENIED"

# ================================================================== 5. --dry-run
snapshot
tm_rc 0 "5: trustmgr --dry-run remove SAMBA SAMBA2 --sides both" --dry-run remove SAMBA SAMBA2 --sides both
unchanged "5: --dry-run remove"

# ================================================================== 6. forest recovery
tm_rc 0 "6: trustmgr reset-one-side SAMBA SAMBA2 --password-file (0600)" \
	reset-one-side SAMBA SAMBA2 --password-file "$pwf"
: >"$out"; check "6: ndrdump: dc1's incoming and outgoing, current and previous, are the password (UTF-16LE)" is_password dc1 "$pwf"
refuse "6: one side reset: kinit Administrator@SAMBA.TEST, kvno cifs/dc2.samba2.test@SAMBA2.TEST fails" crosses dc1 dc2
refuse "6: one side reset: kinit Administrator@SAMBA2.TEST, kvno cifs/dc1.samba.test@SAMBA.TEST fails" crosses dc2 dc1
tm_rc nz "7: trustmgr verify SAMBA SAMBA2 exits non-zero after a one-sided reset" verify SAMBA SAMBA2
tm_rc 0 "6: trustmgr reset-one-side SAMBA2 SAMBA with the same password" \
	reset-one-side SAMBA2 SAMBA --password-file "$pwf"
: >"$out"; check "6: ndrdump: dc2's blobs, current and previous, are the password too" is_password dc2 "$pwf"
crosses_both "both sides reset to one password"
restart "after the forest recovery"
validated dc1 "after the forest recovery"
validated dc2 "after the forest recovery"
tm_rc 0 "7: trustmgr verify SAMBA SAMBA2 exits 0 after the recovery" verify SAMBA SAMBA2

# ================================================================== 8. health
healthy_health "8: after the forest recovery (secrets set by trustmgr)"
expect "8: samba-tool domain trust delete samba2.test --delete-location=local on dc1" \
	st dc1 delete samba2.test --delete-location=local
one_sided() {
	no_trust dc1 || return 1
	[ -n "$(tdos dc2)" ] || { echo "dc2 has no TDO either"; return 1; }
}
: >"$out"; check "8: ldbsearch: dc1 holds no TDO for samba2.test, dc2 still one for samba.test" one_sided
tm_rc nz "8: trustmgr health SAMBA exits non-zero on the one-sided trust" health SAMBA
says "8: ... and names the one-sided trust with SAMBA2" "^SAMBA +SAMBA2 +[a-z-]+ +one-sided"
: >"$out"; check "8: ldbsearch: health changed nothing (still one-sided)" one_sided

# ================================================================== 9. remove one side, tdo delete, create again
tm_rc 0 "9: trustmgr remove SAMBA2 SAMBA (its side only: the orphan end)" remove SAMBA2 SAMBA
for x in dc1 dc2; do
	: >"$out"; check "9: $x: ldbsearch: no TDO and no trust account after removing the orphan end" no_trust "$x"
done
tm_rc 0 "9: trustmgr create SAMBA SAMBA2 --forest-transitive after a remove" create SAMBA SAMBA2 --forest-transitive
for x in dc1 dc2; do
	: >"$out"; check "9: $x: ldbsearch: exactly one TDO and one trust account (none left behind)" one_trust "$x"
	: >"$out"; check "9: $x: samba-tool domain trust show: UPLEVEL, BOTH, FOREST_TRANSITIVE" st_show_is "$x" UPLEVEL BOTH FOREST_TRANSITIVE
done
crosses_both "created again after a remove"
tm_rc 0 "9: trustmgr tdo delete SAMBA SAMBA2" tdo delete SAMBA SAMBA2
: >"$out"; check "9: dc1: ldbsearch: the TDO and the trust account SAMBA2\$ are gone" no_trust dc1
: >"$out"; check "9: dc2: ldbsearch: its end is untouched (one TDO, one trust account)" one_trust dc2
tm_rc 0 "9: trustmgr remove SAMBA2 SAMBA" remove SAMBA2 SAMBA
: >"$out"; check "9: dc2: ldbsearch: no TDO and no trust account SAMBA\$" no_trust dc2
tm_rc 0 "9: trustmgr create SAMBA SAMBA2 --forest-transitive after tdo delete + remove" create SAMBA SAMBA2 --forest-transitive
for x in dc1 dc2; do
	: >"$out"; check "9: $x: ldbsearch: exactly one TDO and one trust account" one_trust "$x"
done
: >"$out"; check "9: ndrdump: dc1's incoming secret = dc2's outgoing one" same_secret dc1 trustAuthIncoming dc2 trustAuthOutgoing
: >"$out"; check "9: ndrdump: dc2's incoming secret = dc1's outgoing one" same_secret dc2 trustAuthIncoming dc1 trustAuthOutgoing
crosses_both "after tdo delete, remove and create"
restart "after the trust was made again"
validated dc1 "made again after tdo delete"
validated dc2 "made again after tdo delete"

# ------------------------------------------------------------------ 10: names that disagree
# A name also written in the block must agree with the directory: a wrong
# netbios_name for SAMBA is refused (usage error) naming both values, the
# directory's one as sam.ldb's crossRef holds it.
dc dc1
nb=$(ldb dc1 -b "CN=Partitions,CN=Configuration,$DC_BASE" '(&(objectClass=crossRef)(nETBIOSName=*))' \
	nETBIOSName | sed -n 's/^nETBIOSName: //p' | head -n 1)
good_conf=$conf
conf=$tmp/wrong-name.conf
awk 'BEGIN { n = 0 } { print } /kind = ad/ && n == 0 { print "        netbios_name = WRONGNAME"; n = 1 }' \
	"$good_conf" >"$conf"
tm_rc 2 "10: list SAMBA with netbios_name = WRONGNAME in its block: refused" list SAMBA
if [ -n "$nb" ] && has "WRONGNAME" && has "directory says $nb\$"; then
	ok "10: the refusal names both values (WRONGNAME, and $nb as sam.ldb's crossRef says)"
else
	ko "10: the refusal names both values"
fi
conf=$good_conf

# ================================================================== 11. on the DC itself
# local_dc_conf = dc1's smb.conf in SAMBA's block: trustmgr runs on dc1 as
# root (the lab's namespace, as samba-tool does), its LSA calls and dc1's
# own check reach dc1 over dc1's local socket as the system; dc2 is reached
# over SMB as before. First a wrong one: dc2's smb.conf in SAMBA's block is
# refused before any change (the DC serves samba2.test, not samba.test).
# with_local SMBCONF: the configuration with local_dc_conf = SMBCONF in
# SAMBA's block (the first).
with_local() {
	awk -v f="$1" '{ print } /kind = ad/ && !n { print "        local_dc_conf = " f; n = 1 }' "$good_conf"
}
dc dc2
with_local "$DC_CONF" >"$tmp/wrong-local.conf"
dc dc1
with_local "$DC_CONF" >"$tmp/local.conf"
snapshot
conf=$tmp/wrong-local.conf
tm_rc nz "11: remove --sides both with dc2's smb.conf as SAMBA's local_dc_conf: refused" \
	remove SAMBA SAMBA2 --sides both
says "11: ... naming what the DC serves and what SAMBA is" "serves samba2.test, not samba.test"
unchanged "11: the refused remove (dc2's smb.conf)"
# A DC of the right domain but not the one ldap_uri reached (a failover,
# say): a copy of dc1's smb.conf that calls the DC dcx reaches dc1's socket
# and samba.test, and is refused because dcx.samba.test is not the DC read.
dc dc1
(umask 077 && sed 's/^\([[:space:]]*netbios name[[:space:]]*=\).*/\1 DCX/' "$DC_CONF" >"$tmp/dcx-smb.conf")
with_local "$tmp/dcx-smb.conf" >"$tmp/dcx-local.conf"
conf=$tmp/dcx-local.conf
: >"$out"; check "11: the copy of dc1's smb.conf calls the DC DCX" grep -qi '^[[:space:]]*netbios name[[:space:]]*= DCX' "$tmp/dcx-smb.conf"
tm_rc nz "11: remove with a smb.conf naming another DC of samba.test: refused" remove SAMBA SAMBA2 --sides both
says "11: ... naming the DC of local_dc_conf and the one the directory was read from" \
	"names DC dcx.samba.test, but the directory was read from [Dd][Cc]1.samba.test"
unchanged "11: the refused remove (another DC's name)"
# verify with it: Kerberos decides both directions, SAMBA's DC is not asked
# its own check (its smb.conf names another DC), and the text says why.
: >"$out"; check "11: verify with it: Kerberos ok both ways, SAMBA's dc_check not asked (another DC), said why" \
	not_asked "$tmp/dcx-local.conf" STATUS_INVALID_SERVER_STATE \
	"local_dc_conf names a DC other than the one the directory was read from"
conf=$tmp/local.conf
tm_rc 0 "11: trustmgr journal after the refusal" journal
says "11: ... no plan left behind (the refusal came before the journal began)" "^No interrupted plan"
tm_rc 0 "11: trustmgr remove SAMBA SAMBA2 --sides both (SAMBA on its own DC)" remove SAMBA SAMBA2 --sides both
for x in dc1 dc2; do
	: >"$out"; check "11: $x: ldbsearch: no trustedDomain and no trust account left" no_trust "$x"
done
tm_rc 0 "11: trustmgr create SAMBA SAMBA2 --forest-transitive (SAMBA on its own DC)" \
	create SAMBA SAMBA2 --forest-transitive
made_both 11
: >"$out"; check "11: ndrdump: dc1's incoming secret (sealed with the local session's key) = dc2's outgoing one" same_secret dc1 trustAuthIncoming dc2 trustAuthOutgoing
: >"$out"; check "11: ndrdump: dc2's incoming secret = dc1's outgoing one" same_secret dc2 trustAuthIncoming dc1 trustAuthOutgoing
crosses_both "created from dc1 itself"
: >"$out"; check "11: dc1: verify's dc_check (asked on dc1's own socket) says what samba-tool domain trust validate says" dc_check_agrees dc1
tm_rc 0 "11: trustmgr reset-one-side SAMBA SAMBA2 (SAMBA on its own DC)" \
	reset-one-side SAMBA SAMBA2 --password-file "$pwf"
: >"$out"; check "11: ndrdump: dc1's blobs, current and previous, are the password" is_password dc1 "$pwf"
tm_rc 0 "11: trustmgr reset-one-side SAMBA2 SAMBA with the same password" \
	reset-one-side SAMBA2 SAMBA --password-file "$pwf"
crosses_both "both sides reset from dc1"
tm_rc 0 "11: trustmgr verify SAMBA SAMBA2 exits 0" verify SAMBA SAMBA2
conf=$good_conf

# ------------------------------------------------------------------ secrets
# No password in the test's environment, and none of them in trustmgr's
# state or audit files.
no_password_kept "$pwf"

finish
