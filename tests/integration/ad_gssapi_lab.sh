#!/bin/sh
# trustmgr's Kerberos bind (bind = sasl_gssapi) to Samba AD DCs: over StartTLS
# and ldaps where the DC allows SASL inside TLS (samba.sh --sasl-over-tls,
# ldap server require strong auth = allow_sasl_over_tls, as Windows DCs do),
# the LSA calls logging on with the same ticket, and against Samba's default
# (which refuses a Kerberos bind inside TLS) the refusal naming tls = none,
# then tls = none working (the bind seals the connection itself).
# Judged with ldbsearch of each DC's sam.ldb and kinit + kvno across the trust.
#
#   sh tests/integration/ad_gssapi_lab.sh /abs/path/to/trustmgr
#
# Prints "ad-gssapi-lab: N passed, N failed". Needs root and the Samba
# packages (skipped, saying so, without them). Passwords only in 0600 files
# (kinit reads stdin).
# shellcheck disable=SC2317 # functions run through trap
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
LAB=$here/../lab/samba.sh
BIN=${1:-}
NAME=ad-gssapi-lab
pass=0
fail=0
finish() {
	echo "$NAME: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: sh tests/integration/ad_gssapi_lab.sh /abs/path/to/trustmgr"
	fail=1; finish
fi
case $BIN in /*) ;; *) BIN=$(pwd -P)/$BIN ;; esac
for t in samba samba-tool ldbsearch; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "$NAME: skipped: the Samba packages are not installed ($t missing; tools/install-deps.sh)"
		finish
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "$NAME: must run as root (the Samba lab makes network and mount namespaces)"
	fail=1; finish
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-adg-XXXXXX")
lab=$tmp/lab
trap 'sh "$LAB" stop "$lab" --rm >/dev/null 2>&1; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

out=$tmp/out
ok() { pass=$((pass + 1)); echo "ok: $*"; }
ko() {
	fail=$((fail + 1)); echo "FAIL: $*"
	[ -s "$out" ] && sed 's/^/    | /' "$out" | tail -n 20
}
has() { grep -Eq -- "$1" "$out"; }
in_lab() { sh "$LAB" exec "$lab" -- "$@"; }
dc() {
	# shellcheck source=/dev/null
	. "$lab/$1/dc.env"
}

if ! sh "$LAB" start "$lab" --sasl-over-tls >"$out" 2>&1; then
	ko "samba.sh start --sasl-over-tls"
	finish
fi
ok "samba.sh start --sasl-over-tls: two DCs that allow SASL inside TLS"

# conf FILE URI TLS: SAMBA binds with the administrator's ticket over URI
# with TLS; SAMBA2 with a simple bind over ldaps.
conf() {
	dc dc1
	{
		echo "[trustmgr]"
		echo "    state_dir = $tmp/state"
		echo "[domains]"
		echo "    SAMBA = {"
		echo "        kind = ad"
		echo "        ldap_uri = $2"
		echo "        bind = sasl_gssapi"
		echo "        tls = $3"
		[ "$3" = none ] || echo "        tls_cacert = $DC_CA"
		echo "        verify_principal = Administrator@$DC_REALM"
		echo "        verify_password_file = $DC_PW"
		echo "    }"
		dc dc2
		echo "    SAMBA2 = {"
		echo "        kind = ad"
		echo "        ldap_uri = $LDAPS_URI"
		echo "        bind = simple"
		echo "        bind_dn = CN=Administrator,CN=Users,$DC_BASE"
		echo "        bind_password_file = $DC_PW"
		echo "        tls = ldaps"
		echo "        tls_cacert = $DC_CA"
		echo "    }"
	} >"$1"
}
mkdir -p "$tmp/state" "$tmp/home"
cc=FILE:$tmp/admin.ccache
tm() {
	_c=$1; shift
	in_lab env TRUSTMGR_CONFIG="$_c" KRB5CCNAME="$cc" HOME="$tmp/home" "$BIN" "$@" </dev/null
}
dc dc1
in_lab env KRB5CCNAME="$cc" kinit "Administrator@$DC_REALM" <"$DC_PW" >"$out" 2>&1 &&
	ok "kinit Administrator@$DC_REALM (the ticket trustmgr binds with)" || ko "kinit"

# sid_of X: the domain SID as ldbsearch decodes objectSid of X's domain object.
sid_of() {
	dc "$1"
	ldbsearch -H "$lab/$1/private/sam.ldb" -s base -b "$DC_BASE" objectSid 2>/dev/null |
		sed -n 's/^objectSid: //p'
}
# names_read CONF HOW: domain list shows SAMBA with the SID and NetBIOS name
# sam.ldb holds.
names_read() {
	tm "$1" domain list >"$out" 2>&1
	_sid=$(sid_of dc1)
	if [ -n "$_sid" ] && grep -Eq "^SAMBA +ad +samba\.test +SAMBA +$_sid " "$out"; then
		ok "domain list over $2 (Kerberos bind): SAMBA's SID $_sid as in sam.ldb"
	else
		echo "sam.ldb: objectSid $_sid" >>"$out"
		ko "domain list over $2 (Kerberos bind)"
	fi
}

dc dc1
uri=$LDAP_URI uris=$LDAPS_URI
conf "$tmp/starttls.conf" "$uri" starttls
conf "$tmp/ldaps.conf" "$uris" ldaps
conf "$tmp/none.conf" "$uri" none
names_read "$tmp/starttls.conf" StartTLS
names_read "$tmp/ldaps.conf" ldaps

# LSA logs on with the same ticket: create changes dc1 through it.
if tm "$tmp/starttls.conf" create SAMBA SAMBA2 --forest-transitive >"$out" 2>&1; then
	ok "create SAMBA SAMBA2 with SAMBA's LSA calls made with the ticket"
else
	ko "create SAMBA SAMBA2 (Kerberos bind and LSA logon)"
fi
tdo=$(ldbsearch -H "$lab/dc1/private/sam.ldb" '(objectClass=trustedDomain)' trustPartner \
	trustDirection 2>/dev/null | sed -n 's/^trustPartner: /p=/p;s/^trustDirection: /d=/p' | sort |
	tr '\n' ' ')
[ "$tdo" = "d=3 p=samba2.test " ] && ok "ldbsearch dc1: TDO for samba2.test, direction 3" ||
	{ echo "ldbsearch dc1: [$tdo]" >"$out"; ko "ldbsearch dc1 after create"; }
dc dc2
in_lab env KRB5CCNAME="$cc" kvno "cifs/$DC_FQDN@$DC_REALM" >"$out" 2>&1 &&
	ok "kvno cifs/$DC_FQDN@$DC_REALM with the SAMBA ticket: the trust works" ||
	ko "kvno across the new trust"
if tm "$tmp/ldaps.conf" remove SAMBA SAMBA2 --sides both >"$out" 2>&1 &&
	[ -z "$(ldbsearch -H "$lab/dc1/private/sam.ldb" '(objectClass=trustedDomain)' dn 2>/dev/null |
		sed -n 's/^dn: //p')" ]; then
	ok "remove --sides both over ldaps with the ticket: ldbsearch finds no TDO on dc1"
else
	ko "remove over ldaps with the ticket"
fi

# Samba's default: no Kerberos bind inside TLS. The refusal names tls = none.
sed -i '/ldap server require strong auth/d' "$lab/dc1/etc/smb.conf"
if sh "$LAB" restart "$lab" >"$out" 2>&1; then ok "dc1 back to Samba's default (restart)"; else
	ko "samba.sh restart"; finish; fi
tm "$tmp/starttls.conf" list SAMBA >"$out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && has "Sign or Seal are required" && has "tls = none"; then
	ok "Kerberos bind inside StartTLS refused by the default DC (exit $rc), naming tls = none"
else
	ko "the refusal of a Kerberos bind inside TLS (exit $rc)"
fi
names_read "$tmp/none.conf" "ldap:// with tls = none (SASL sealing)"
tm "$tmp/none.conf" list SAMBA >"$out" 2>&1 && ok "list SAMBA with tls = none and the ticket" ||
	ko "list SAMBA with tls = none"
finish
