#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# trustmgr's Kerberos bind (bind = sasl_gssapi) to Samba AD DCs: over StartTLS
# and ldaps where the DC allows SASL inside TLS (samba.sh --sasl-over-tls,
# ldap server require strong auth = allow_sasl_over_tls, as Windows DCs do),
# the LSA calls and the DC's own check logging on with the same ticket, and
# against Samba's default (which refuses a Kerberos bind inside TLS) the
# refusal naming tls = none, then tls = none working (the bind seals the
# connection itself). Judged with ldbsearch of each DC's sam.ldb, kinit +
# kvno across the trust and samba-tool domain trust validate.
#
#   sh tests/integration/ad_gssapi_lab.sh /abs/path/to/trustmgr
#
# Prints "ad-gssapi-lab: N passed, N failed". Needs root and the Samba
# packages (skipped, saying so, without them). Passwords only in 0600 files
# (kinit reads stdin).
set -u

BIN=${1:-}
NAME=ad-gssapi-lab
AD_TMP=adg
AD_LAB_OPTS=--sasl-over-tls
AD_STARTED="two DCs that allow SASL inside TLS"
# shellcheck source-path=SCRIPTDIR source=ad_lib.sh
. "$(dirname "$0")/ad_lib.sh"

# gssapi_conf FILE URI TLS: SAMBA binds with the administrator's ticket
# over URI with TLS; SAMBA2 with a simple bind over ldaps (its minimal block).
gssapi_conf() {
	dc dc1
	{
		ad_conf "$tmp/state"
		echo "    SAMBA = {"
		echo "        kind = ad"
		echo "        ldap_uri = $2"
		echo "        bind = sasl_gssapi"
		echo "        tls = $3"
		[ "$3" = none ] || echo "        tls_cacert = $DC_CA"
		echo "        verify_principal = Administrator@$DC_REALM"
		echo "        verify_password_file = $DC_PW"
		echo "    }"
		ad_block dc2
	} >"$1"
}
# tm (ad_lib.sh) binds with the administrator's ticket in TM_CC; the
# configuration is given with TM_CONF=FILE.
cc=FILE:$tmp/admin.ccache
TM_CC=$cc
dc dc1
if in_lab env KRB5CCNAME="$cc" kinit "Administrator@$DC_REALM" <"$DC_PW" >"$out" 2>&1; then
	ok "kinit Administrator@$DC_REALM (the ticket trustmgr binds with)"
else ko "kinit"; fi

# sid_of X: the domain SID as ldbsearch decodes objectSid of X's domain object.
sid_of() { dc "$1"; ldb "$1" -s base -b "$DC_BASE" objectSid | sed -n 's/^objectSid: //p'; }
# names_read CONF HOW: domain list shows SAMBA with the SID and NetBIOS name
# sam.ldb holds.
names_read() {
	TM_CONF=$1 tm domain list >"$out" 2>&1
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
gssapi_conf "$tmp/starttls.conf" "$uri" starttls
gssapi_conf "$tmp/ldaps.conf" "$uris" ldaps
gssapi_conf "$tmp/none.conf" "$uri" none
names_read "$tmp/starttls.conf" StartTLS
names_read "$tmp/ldaps.conf" ldaps

# LSA logs on with the same ticket: create changes dc1 through it.
if TM_CONF=$tmp/starttls.conf tm create SAMBA SAMBA2 --forest-transitive >"$out" 2>&1; then
	ok "create SAMBA SAMBA2 with SAMBA's LSA calls made with the ticket"
else
	ko "create SAMBA SAMBA2 (Kerberos bind and LSA logon)"
fi
tdo=$(ldb dc1 '(objectClass=trustedDomain)' trustPartner trustDirection |
	sed -n 's/^trustPartner: /p=/p;s/^trustDirection: /d=/p' | sort | tr '\n' ' ')
if [ "$tdo" = "d=3 p=samba2.test " ]; then ok "ldbsearch dc1: TDO for samba2.test, direction 3"
else echo "ldbsearch dc1: [$tdo]" >"$out"; ko "ldbsearch dc1 after create"; fi
dc dc2
if in_lab env KRB5CCNAME="$cc" kvno "cifs/$DC_FQDN@$DC_REALM" >"$out" 2>&1; then
	ok "kvno cifs/$DC_FQDN@$DC_REALM with the SAMBA ticket: the trust works"
else ko "kvno across the new trust"; fi
# The DC's own check logs on with the same ticket (netlogon over TCP:
# Kerberos to host/<DC>), and says what samba-tool validate says on dc1.
TM_CONF=$tmp/starttls.conf
: >"$out"; check "verify with the ticket: dc1's dc_check says what samba-tool domain trust validate's local part says" dc_check_agrees dc1
unset TM_CONF
if TM_CONF=$tmp/ldaps.conf tm remove SAMBA SAMBA2 --sides both >"$out" 2>&1 && [ -z "$(tdos dc1)" ]; then
	ok "remove --sides both over ldaps with the ticket: ldbsearch finds no TDO on dc1"
else
	ko "remove over ldaps with the ticket"
fi

# Samba's default: no Kerberos bind inside TLS. The refusal names tls = none.
sed -i '/ldap server require strong auth/d' "$lab/dc1/etc/smb.conf"
if sh "$LAB" restart "$lab" >"$out" 2>&1; then ok "dc1 back to Samba's default (restart)"; else
	ko "samba.sh restart"; finish; fi
TM_CONF=$tmp/starttls.conf tm list SAMBA >"$out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && has "Sign or Seal are required" && has "tls = none"; then
	ok "Kerberos bind inside StartTLS refused by the default DC (exit $rc), naming tls = none"
else
	ko "the refusal of a Kerberos bind inside TLS (exit $rc)"
fi
names_read "$tmp/none.conf" "ldap:// with tls = none (SASL sealing)"
if TM_CONF=$tmp/none.conf tm list SAMBA >"$out" 2>&1; then ok "list SAMBA with tls = none and the ticket"
else ko "list SAMBA with tls = none"; fi
finish
