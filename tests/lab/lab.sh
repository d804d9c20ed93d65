#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# tests/lab/lab.sh - a throwaway lab of real domains on 127.0.0.1 for trustmgr.
#
#   lab.sh start DIR [--domains N] [--realms M] [--replicas]
#                                    start N domains (0 <= N <= 26, default 2)
#                                    and M plain MIT realms after them (default
#                                    0; N + M from 2 to 26); --replicas: two
#                                    slapd (multi-provider syncrepl) and two
#                                    krb5kdc per domain
#   lab.sh stop DIR [--rm]           stop what start started (--rm: delete DIR)
#   lab.sh env DIR                   print the export lines for DIR's lab
#   lab.sh status DIR                tell what runs; exit 0 when everything does
#   lab.sh stop-server DIR X SERVER  stop one daemon of domain X (SERVER: slapd,
#   lab.sh start-server DIR X SERVER slapd2, krb5kdc, krb5kdc2, kadmind), or
#                                    start it again (and wait until it listens)
#   lab.sh pid DIR X SERVER          print that daemon's pid (exit 1: not running)
#
# Domain i (A, B, C, ...) is DNS a.lab.test, NetBIOS A, realm A.LAB.TEST,
# base DN dc=a,dc=lab,dc=test and SID S-1-5-21-100i-200i-300i. Each domain
# gets an OpenLDAP slapd (StartTLS, ldaps and ldapi, throwaway CA) and an MIT
# KDC with kadmind (kadmin and kpasswd), all on free ports of 127.0.0.1 picked
# at start. Everything lives in DIR; nothing global (/etc, system services) is
# read or touched. A plain realm (--realms) is an MIT KDC with kadmind and
# nothing else: no directory, kind = mit in trustmgr.conf, configured with
# its realm and kadmin credentials only. See docs/LAB.md.
#
# POSIX sh. Secrets never appear on a command line: they are made by openssl
# into 0600 files and reach the tools through files or standard input.
# Domain variables (D_*, P_*) come from DIR/X/domain.env through load_domain.
# shellcheck disable=SC2153
set -eu

PROG=lab
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
SCHEMA=/etc/ldap/schema
LETTERS=ABCDEFGHIJKLMNOPQRSTUVWXYZ
# Ports are drawn below Linux's default ephemeral range (32768-60999), so
# outgoing connections do not take them between the probe and the bind.
PORT_LO=20000
PORT_SPAN=12000
# Readiness polls: attempts of 0.1 s each.
TRIES=100
# Every daemon a domain may run (slapd2 and krb5kdc2 with --replicas).
DAEMONS="kadmind krb5kdc krb5kdc2 slapd slapd2"
REPLICAS=0

say() { echo "$PROG: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
	cat >&2 <<'EOF'
usage: lab.sh start DIR [--domains N] [--realms M] [--replicas]
       lab.sh stop DIR [--rm]
       lab.sh env DIR
       lab.sh status DIR
       lab.sh stop-server DIR X slapd|slapd2|krb5kdc|krb5kdc2|kadmind
       lab.sh start-server DIR X slapd|slapd2|krb5kdc|krb5kdc2|kadmind
       lab.sh pid DIR X slapd|slapd2|krb5kdc|krb5kdc2|kadmind
EOF
	exit 2
}

# ---------------------------------------------------------------- helpers

# abs_dir DIR: DIR as an absolute path (DIR must exist).
abs_dir() { (cd "$1" && pwd -P); }

# check_path PATH: the lab writes DIR into config files and URIs; keep it simple.
check_path() {
	case $1 in
	*[!A-Za-z0-9._/+-]*) die "$1: use a folder whose path has only letters, digits and . _ / + -" ;;
	esac
}

# secret FILE: a new random secret in FILE (mode 0600, no trailing newline:
# ldap tools' -y use the whole file as the password).
secret() {
	(umask 077 && openssl rand -base64 24 | tr -d '\n' >"$1")
}

# twice FILE: FILE's content twice, one a line (a new password and its
# confirmation, for kdb5_util and kadmin prompts that read standard input).
twice() {
	cat "$1"; echo; cat "$1"; echo
}

# port_hex N: N as the 4-digit upper-case hex /proc/net/* uses.
port_hex() { printf '%04X' "$1"; }

# port_used N: true when any TCP or UDP socket (v4 or v6) uses local port N.
port_used() {
	awk -v h="$(port_hex "$1")" 'FNR > 1 { n = split($2, a, ":"); if (a[n] == h) f = 1 }
		END { exit !f }' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null
}

# tcp_listening N: a TCP socket listens on local port N (state 0A).
tcp_listening() {
	awk -v h="$(port_hex "$1")" 'FNR > 1 && $4 == "0A" { n = split($2, a, ":"); if (a[n] == h) f = 1 }
		END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# udp_bound N: a UDP socket is bound to local port N.
udp_bound() {
	awk -v h="$(port_hex "$1")" 'FNR > 1 { n = split($2, a, ":"); if (a[n] == h) f = 1 }
		END { exit !f }' /proc/net/udp /proc/net/udp6 2>/dev/null
}

# wait_until WHAT CMD...: run CMD up to $TRIES times, 0.1 s apart, until it
# succeeds; fail naming WHAT.
wait_until() {
	_wwhat=$1; shift
	_wn=0
	while [ "$_wn" -lt "$TRIES" ]; do
		if "$@"; then return 0; fi
		_wn=$((_wn + 1))
		sleep 0.1
	done
	say "timed out waiting for $_wwhat"
	return 1
}

# Port claims: two labs started at the same moment must not pick the same
# port. A claim is a folder CLAIMS/PORT (mkdir is atomic) holding the owning
# lab's DIR; the lab lists its ports in DIR/ports. A claim whose owner no
# longer lists the port (lab stopped or deleted) is stale and taken over.
CLAIMS=${TMPDIR:-/tmp}/trustmgr-lab-ports.$(id -u)

claim_stale() {
	owner=$(cat "$CLAIMS/$1/owner" 2>/dev/null) || return 1
	[ -n "$owner" ] || return 1
	! grep -qx "$1" "$owner/ports" 2>/dev/null
}

# claim_port: print a free port of 127.0.0.1, claimed for $DIR.
claim_port() {
	mkdir -p "$CLAIMS" && chmod 700 "$CLAIMS"
	k=0
	while [ "$k" -lt 500 ]; do
		k=$((k + 1))
		r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' \n')
		p=$((PORT_LO + r % PORT_SPAN))
		if port_used "$p"; then continue; fi
		if ! mkdir "$CLAIMS/$p" 2>/dev/null; then
			claim_stale "$p" || continue
			rm -rf "${CLAIMS:?}/$p"
			mkdir "$CLAIMS/$p" 2>/dev/null || continue
		fi
		# List the port before naming the owner: a claim whose owner is
		# named but does not list it would look stale to another lab.
		echo "$p" >>"$DIR/ports"
		echo "$DIR" >"$CLAIMS/$p/owner"
		echo "$p"
		return 0
	done
	say "no free port found on 127.0.0.1 between $PORT_LO and $((PORT_LO + PORT_SPAN))"
	return 1
}

release_ports() {
	[ -f "$DIR/ports" ] || return 0
	while read -r p; do
		if [ "$(cat "$CLAIMS/$p/owner" 2>/dev/null || true)" = "$DIR" ]; then
			rm -rf "${CLAIMS:?}/$p"
		fi
	done <"$DIR/ports"
	rm -f "$DIR/ports"
}

# urlenc S: S percent-encoded for an ldapi:// URI.
# check_path restricts paths to [A-Za-z0-9._/+-]: only / and + need it.
urlenc() {
	printf '%s' "$1" | sed -e 's|+|%2B|g' -e 's|/|%2F|g'
}

# ---------------------------------------------------------------- state

# The lab's domains are listed in DIR/domains; each DIR/X/domain.env holds
# that domain's names and ports (sourced by load_domain).
domains() { cat "$DIR/domains"; }

load_domain() {
	# shellcheck source=/dev/null
	. "$DIR/$1/domain.env"
}

# ours PID: PID is a live slapd, krb5kdc or kadmind whose command line names DIR.
ours() {
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] || return 1
	case $(readlink "/proc/$1/exe" 2>/dev/null || true) in
	*/slapd | */krb5kdc | */kadmind) ;;
	*) return 1 ;;
	esac
	tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$DIR/"
}

pid_of() {
	[ -s "$1" ] || return 1
	pid=$(tr -dc 0-9 <"$1")
	ours "$pid" || return 1
	echo "$pid"
}

# strays: daemons this lab started whose pidfile is missing (a start that
# failed half way): slapd/krb5kdc/kadmind processes whose command line names DIR.
strays() {
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		if ours "$pid"; then echo "$pid"; fi
	done
}

# gone PID: PID has ended. A daemon that detached is reaped by PID 1; until
# then it stays a zombie (state Z), which counts as ended.
gone() {
	kill -0 "$1" 2>/dev/null || return 0
	[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

all_gone() {
	for _p in "$@"; do gone "$_p" || return 1; done
}

# stop_all: stop every daemon of the lab in DIR (TERM, then KILL after 5 s);
# release its ports.
stop_all() {
	pids=""
	if [ -f "$DIR/domains" ]; then
		for d in $(domains); do
			for f in $DAEMONS; do
				if pid=$(pid_of "$DIR/$d/$f.pid"); then
					pids="$pids $pid"
				fi
			done
		done
	fi
	for pid in $(strays); do
		case " $pids " in *" $pid "*) ;; *) pids="$pids $pid" ;; esac
	done
	if [ -n "$pids" ]; then
		# shellcheck disable=SC2086 # a list of numbers
		kill -TERM $pids 2>/dev/null || true
		# A daemon a test suspended (SIGSTOP: a hung server) ends only
		# once it runs again.
		# shellcheck disable=SC2086
		kill -CONT $pids 2>/dev/null || true
		# shellcheck disable=SC2086
		if ! TRIES=50 wait_until "the lab's daemons to end" all_gone $pids; then
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null || true
			# shellcheck disable=SC2086
			TRIES=20 wait_until "the lab's daemons to end after SIGKILL" all_gone $pids || true
		fi
	fi
	if [ -f "$DIR/domains" ]; then
		for d in $(domains); do
			for f in $DAEMONS; do rm -f "$DIR/$d/$f.pid"; done
		done
	fi
	release_ports
	rm -f "$DIR/running"
}

# ---------------------------------------------------------------- start

# make_domain I [mit]: names, ports and folders of the I-th domain
# (1-based); with mit, a plain realm (no directory, no LDAP ports).
make_domain() {
	i=$1
	kind=${2:-ad}
	D=$(printf '%s' "$LETTERS" | cut -c "$i")
	d=$(printf '%s' "$D" | tr '[:upper:]' '[:lower:]')
	mkdir -m 700 "$DIR/$D"
	p_ldap=0; p_ldaps=0
	if [ "$kind" = ad ]; then p_ldap=$(claim_port); p_ldaps=$(claim_port); fi
	p_kdc=$(claim_port); p_kadmin=$(claim_port); p_kpasswd=$(claim_port)
	p_ldap2=0; p_ldaps2=0; p_kdc2=0
	if [ "$REPLICAS" = 1 ]; then
		if [ "$kind" = ad ]; then p_ldap2=$(claim_port); p_ldaps2=$(claim_port); fi
		p_kdc2=$(claim_port)
	fi
	sock="$DIR/$D/ldapi"
	sock2="$DIR/$D/ldapi2"
	if [ "${#sock2}" -gt 100 ]; then
		die "$sock2: path too long for a Unix socket; use a shorter DIR"
	fi
	cat >"$DIR/$D/domain.env" <<EOF
D=$D
D_KIND=$kind
D_DNS=$d.lab.test
D_NETBIOS=$D
D_REALM=$D.LAB.TEST
D_BASE=dc=$d,dc=lab,dc=test
D_SID=S-1-5-21-$((1000 + i))-$((2000 + i))-$((3000 + i))
D_DIR=$DIR/$D
P_LDAP=$p_ldap
P_LDAPS=$p_ldaps
P_KDC=$p_kdc
P_KADMIN=$p_kadmin
P_KPASSWD=$p_kpasswd
LDAP_URI=ldap://127.0.0.1:$p_ldap/
LDAPS_URI=ldaps://127.0.0.1:$p_ldaps/
LDAPI_URI=ldapi://$(urlenc "$sock")/
REPLICAS=$REPLICAS
P_LDAP2=$p_ldap2
P_LDAPS2=$p_ldaps2
P_KDC2=$p_kdc2
LDAP2_URI=ldap://127.0.0.1:$p_ldap2/
LDAPS2_URI=ldaps://127.0.0.1:$p_ldaps2/
LDAPI2_URI=ldapi://$(urlenc "$sock2")/
EOF
	echo "$D" >>"$DIR/domains"
}

write_krb5_conf() {
	first=$(head -n 1 "$DIR/domains")
	{
		echo "# Client view of the trustmgr lab in $DIR (KRB5_CONFIG). Generated by lab.sh."
		echo "[libdefaults]"
		echo "    default_realm = $first.LAB.TEST"
		echo "    dns_lookup_kdc = false"
		echo "    dns_lookup_realm = false"
		echo "    dns_canonicalize_hostname = false"
		echo "    rdns = false"
		echo "    # Old enctypes for interoperability tests (krb5 1.20 permits rc4-hmac anyway)."
		echo "    allow_weak_crypto = true"
		echo "    # TCP first: every request to the lab's KDCs goes over TCP."
		echo "    udp_preference_limit = 1"
		echo ""
		echo "[realms]"
		for x in $(domains); do
			load_domain "$x"
			echo "    $D_REALM = {"
			echo "        kdc = 127.0.0.1:$P_KDC"
			if [ "$REPLICAS" = 1 ]; then
				echo "        kdc = 127.0.0.1:$P_KDC2"
			fi
			echo "        admin_server = 127.0.0.1:$P_KADMIN"
			echo "        kpasswd_server = 127.0.0.1:$P_KPASSWD"
			echo "    }"
		done
		echo ""
		echo "[domain_realm]"
		for x in $(domains); do
			load_domain "$x"
			echo "    .$D_DNS = $D_REALM"
			echo "    $D_DNS = $D_REALM"
		done
		echo ""
		echo "# Direct cross-realm paths between every pair of realms: a client of"
		echo "# one realm asks its own KDC for krbtgt/OTHER@OWN and nothing else."
		echo "[capaths]"
		for x in $(domains); do
			load_domain "$x"
			client=$D_REALM
			echo "    $client = {"
			for y in $(domains); do
				[ "$y" = "$x" ] && continue
				echo "        $y.LAB.TEST = ."
			done
			echo "    }"
		done
	} >"$DIR/krb5.conf"
}

# realm_block [PORT]: the [realms] block of the loaded domain's realm, its
# KDC on PORT (default P_KDC; the second KDC of --replicas reads the same
# database on P_KDC2).
realm_block() {
	echo "    $D_REALM = {"
	echo "        database_name = $D_DIR/krb5/principal"
	echo "        key_stash_file = $D_DIR/krb5/stash"
	echo "        acl_file = $D_DIR/krb5/kadm5.acl"
	echo "        kdc_listen = 127.0.0.1:${1:-$P_KDC}"
	echo "        kdc_tcp_listen = 127.0.0.1:${1:-$P_KDC}"
	echo "        kadmind_listen = 127.0.0.1:$P_KADMIN"
	echo "        kpasswd_listen = 127.0.0.1:$P_KPASSWD"
	echo "        supported_enctypes = aes256-cts:normal aes128-cts:normal rc4-hmac:normal"
	echo "        default_principal_flags = +preauth"
	echo "        max_life = 10h 0m 0s"
	echo "        max_renewable_life = 7d 0h 0m 0s"
	echo "    }"
}

# write_kdc_conf: DIR/kdc.conf knows every realm (KRB5_KDC_PROFILE for
# kadmin.local and kdb5_util); DIR/X/kdc.conf, read by X's daemons, knows
# only realm X and names X's log files. KRB5_KDC_PROFILE is one file, not a
# list.
write_kdc_conf() {
	{
		echo "# Server view of the trustmgr lab in $DIR (KRB5_KDC_PROFILE). Generated by lab.sh."
		echo "# The daemons of realm X read X/kdc.conf: the same realm block and X's log files."
		echo "[realms]"
		for x in $(domains); do
			load_domain "$x"
			realm_block
		done
	} >"$DIR/kdc.conf"
	for x in $(domains); do
		load_domain "$x"
		{
			echo "# kdc.conf of $D_REALM's krb5kdc and kadmind. Generated by lab.sh."
			echo "[realms]"
			realm_block
			echo ""
			echo "[logging]"
			echo "    kdc = FILE:$D_DIR/krb5kdc.log"
			echo "    admin_server = FILE:$D_DIR/kadmind.log"
			echo "    default = FILE:$D_DIR/krb5lib.log"
		} >"$D_DIR/kdc.conf"
		[ "$REPLICAS" = 1 ] || continue
		{
			echo "# kdc.conf of $D_REALM's second krb5kdc: the same database. Generated by lab.sh."
			echo "[realms]"
			realm_block "$P_KDC2"
			echo ""
			echo "[logging]"
			echo "    kdc = FILE:$D_DIR/krb5kdc2.log"
			echo "    default = FILE:$D_DIR/krb5lib2.log"
		} >"$D_DIR/kdc2.conf"
	done
}

# realm_conf_block: the trustmgr.conf block of the loaded plain realm: its
# realm and kadmin credentials, nothing else.
realm_conf_block() {
	echo "    $D = {"
	echo "        kind = mit"
	echo "        realm = $D_REALM"
	echo "        kadmin_principal = admin/admin@$D_REALM"
	echo "        kadmin_keytab = $D_DIR/admin.keytab"
	echo "    }"
}

write_trustmgr_conf() {
	{
		echo "# trustmgr.conf for the lab in $DIR (TRUSTMGR_CONFIG). Generated by lab.sh."
		echo "# krb5.conf syntax. ldap_uri: one URI per ldap_uri line, several lines are"
		echo "# tried in order (failover). Here the StartTLS URI comes first, then the"
		echo "# ldaps URI of the same server (already TLS: tls = starttls applies to"
		echo "# ldap:// URIs). The ldapi URI (bind = sasl_external, tls = none) is in"
		echo "# each block's comment. With --replicas each domain has two servers"
		echo "# replicating each other: both StartTLS URIs first, then both ldaps ones."
		echo "[domains]"
		for x in $(domains); do
			load_domain "$x"
			if [ "$D_KIND" = mit ]; then
				realm_conf_block
				continue
			fi
			echo "    $D = {"
			echo "        dns_name = $D_DNS"
			echo "        netbios_name = $D_NETBIOS"
			echo "        sid = $D_SID"
			echo "        forest = $D_DNS"
			echo "        functional_level = 2016"
			echo "        realm = $D_REALM"
			echo "        # also: ldapi: $LDAPI_URI"
			echo "        ldap_uri = $LDAP_URI"
			if [ "$REPLICAS" = 1 ]; then
				echo "        ldap_uri = $LDAP2_URI"
				echo "        ldap_uri = $LDAPS_URI"
				echo "        ldap_uri = $LDAPS2_URI"
			else
				echo "        ldap_uri = $LDAPS_URI"
			fi
			echo "        base_dn = $D_BASE"
			echo "        bind = simple"
			echo "        bind_dn = cn=admin,$D_BASE"
			echo "        bind_password_file = $D_DIR/ldap-admin.pw"
			echo "        tls = starttls"
			echo "        tls_cacert = $D_DIR/tls/ca.pem"
			echo "        kadmin_principal = admin/admin@$D_REALM"
			echo "        kadmin_password_file = $D_DIR/kadmin-admin.pw"
			echo "        kadmin_keytab = $D_DIR/admin.keytab"
			echo "    }"
		done
	} >"$DIR/trustmgr.conf"
}

# make_tls: a throwaway CA and a server certificate for 127.0.0.1/localhost.
make_tls() {
	t=$D_DIR/tls
	mkdir -m 700 "$t"
	(
		umask 077
		openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-keyout "$t/ca.key" -out "$t/ca.pem" -days 30 \
			-subj "/O=trustmgr lab/CN=lab CA $D_DNS" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$t/openssl.log"
		openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-keyout "$t/server.key" -out "$t/server.csr" \
			-subj "/O=trustmgr lab/CN=localhost" 2>>"$t/openssl.log"
		cat >"$t/server.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
EOF
		openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" \
			-set_serial "0x$(openssl rand -hex 8)" -days 30 \
			-extfile "$t/server.ext" -out "$t/server.pem" 2>>"$t/openssl.log"
	) || { cat "$t/openssl.log" >&2; return 1; }
	chmod 644 "$t/ca.pem" "$t/server.pem"
}

# slapd_conf N: the slapd.conf of the loaded domain's server N (1, or 2 with
# --replicas: server 2 keeps its files under names ending in 2). With
# --replicas both are providers replicating each other (syncrepl
# refreshAndPersist over StartTLS, bound as cn=replicator, multiprovider).
slapd_conf() {
	if [ "$1" = 1 ]; then sfx=""; peer=$LDAP2_URI; else sfx=2; peer=$LDAP_URI; fi
	repl="cn=replicator,cn=Users,$D_BASE"
	cat <<EOF
# slapd.conf of lab domain $D ($D_DNS), server $1. Generated by tests/lab/lab.sh.
include $SCHEMA/core.schema
include $SCHEMA/cosine.schema
include $SCHEMA/inetorgperson.schema
include $SCHEMA/nis.schema
include $SCHEMA/msuser.schema
include $TOP/schema/trustmgr.schema

pidfile $D_DIR/slapd$sfx.pid
argsfile $D_DIR/slapd$sfx.args
modulepath /usr/lib/ldap
moduleload back_mdb
EOF
	if [ "$REPLICAS" = 1 ]; then
		echo "moduleload syncprov"
		echo "serverID $1"
	fi
	cat <<EOF

TLSCACertificateFile $D_DIR/tls/ca.pem
TLSCertificateFile $D_DIR/tls/server.pem
TLSCertificateKeyFile $D_DIR/tls/server.key
# TLS 1.2 or later
TLSProtocolMin 3.3

# SASL EXTERNAL over ldapi by the user who started the lab is the admin.
authz-regexp "^gidNumber=[0-9]+[+]uidNumber=$uid,cn=peercred,cn=external,cn=auth\$"
	"cn=admin,$D_BASE"
# SASL GSSAPI (Kerberos) binds: the service is ldap/127.0.0.1@$D_REALM
# (its key in ldap.keytab, slapd's KRB5_KTNAME); admin/admin is the admin.
sasl-host 127.0.0.1
sasl-realm $D_REALM
authz-regexp "^uid=admin/admin(,cn=$D_DNS)?,cn=gssapi,cn=auth\$"
	"cn=admin,$D_BASE"

# Anyone may read the root DSE and the schema.
access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read

database mdb
suffix "$D_BASE"
rootdn "cn=admin,$D_BASE"
rootpw $admin_hash
directory $D_DIR/ldap-db$sfx
maxsize 67108864
index objectClass eq
index cn eq
EOF
	if [ "$REPLICAS" = 1 ]; then
		cat <<EOF
index entryCSN,entryUUID eq

# Multi-provider replication: this server pulls every change from the
# other one ($peer) and the other one from this; each writes its own.
limits dn.exact="$repl" time=unlimited size=unlimited
syncrepl rid=00$1
	provider=$peer
	bindmethod=simple
	binddn="$repl"
	credentials="$repl_pw"
	searchbase="$D_BASE"
	type=refreshAndPersist
	retry="1 +"
	timeout=3
	network-timeout=3
	starttls=critical
	tls_cacert=$D_DIR/tls/ca.pem
	tls_reqcert=demand
multiprovider on
EOF
	fi
	cat <<EOF

# The rootdn cn=admin,$D_BASE is above every ACL: it reads and writes all.
# (Naming it in a "by" clause only draws a warning from slapd.)
# Trust secrets: nobody else reads or writes them, nor learns that they exist.
access to attrs=trustAuthIncoming,trustAuthOutgoing
EOF
	if [ "$REPLICAS" = 1 ]; then echo "	by dn.exact=\"$repl\" read"; fi
	cat <<EOF
	by * none
access to attrs=userPassword
EOF
	if [ "$REPLICAS" = 1 ]; then echo "	by dn.exact=\"$repl\" read"; fi
	cat <<EOF
	by self write
	by anonymous auth
	by * none
# Everything else: authenticated users read, anonymous sees nothing.
access to *
EOF
	if [ "$REPLICAS" = 1 ]; then echo "	by dn.exact=\"$repl\" read"; fi
	cat <<EOF
	by users read
	by * none
EOF
	if [ "$REPLICAS" = 1 ]; then
		echo ""
		echo "overlay syncprov"
		echo "syncprov-checkpoint 10 1"
	fi
}

# make_slapd: slapd.conf, its database with the base entries, loaded offline.
# With --replicas, server 2's database is a copy of server 1's (slapcat, so
# the entries keep their entryUUID and entryCSN) and both hold contextCSN.
make_slapd() {
	secret "$D_DIR/ldap-admin.pw"
	secret "$D_DIR/ldap-reader.pw"
	admin_hash=$(slappasswd -T "$D_DIR/ldap-admin.pw")
	reader_hash=$(slappasswd -T "$D_DIR/ldap-reader.pw")
	repl_pw=""
	if [ "$REPLICAS" = 1 ]; then
		secret "$D_DIR/ldap-replicator.pw"
		repl_hash=$(slappasswd -T "$D_DIR/ldap-replicator.pw")
		repl_pw=$(cat "$D_DIR/ldap-replicator.pw")
	fi
	mkdir -m 700 "$D_DIR/ldap-db"
	uid=$(id -u)
	(
		umask 077
		slapd_conf 1 >"$D_DIR/slapd.conf"
		if [ "$REPLICAS" = 1 ]; then slapd_conf 2 >"$D_DIR/slapd2.conf"; fi
		cat >"$D_DIR/base.ldif" <<EOF
dn: $D_BASE
objectClass: top
objectClass: domain
objectClass: dcObject
dc: $d

dn: cn=System,$D_BASE
objectClass: top
objectClass: container
cn: System

dn: cn=Users,$D_BASE
objectClass: top
objectClass: container
cn: Users

dn: cn=reader,cn=Users,$D_BASE
objectClass: top
objectClass: person
cn: reader
sn: reader
description: an authenticated user who is not the admin (password in ldap-reader.pw)
userPassword: $reader_hash
EOF
		if [ "$REPLICAS" = 1 ]; then
			cat >>"$D_DIR/base.ldif" <<EOF

dn: cn=replicator,cn=Users,$D_BASE
objectClass: top
objectClass: person
cn: replicator
sn: replicator
description: the identity each server of the domain replicates the other as (password in ldap-replicator.pw)
userPassword: $repl_hash
EOF
		fi
	)
	repl_pw=""
	slaptest -Q -u -f "$D_DIR/slapd.conf" >"$D_DIR/slaptest.log" 2>&1 ||
		{ cat "$D_DIR/slaptest.log" >&2; return 1; }
	if [ "$REPLICAS" = 0 ]; then
		slapadd -q -f "$D_DIR/slapd.conf" -l "$D_DIR/base.ldif" >"$D_DIR/slapadd.log" 2>&1 ||
			{ cat "$D_DIR/slapadd.log" >&2; return 1; }
		return 0
	fi
	mkdir -m 700 "$D_DIR/ldap-db2"
	slaptest -Q -u -f "$D_DIR/slapd2.conf" >>"$D_DIR/slaptest.log" 2>&1 ||
		{ cat "$D_DIR/slaptest.log" >&2; return 1; }
	{
		slapadd -q -w -S 1 -f "$D_DIR/slapd.conf" -l "$D_DIR/base.ldif" &&
			(umask 077 && slapcat -f "$D_DIR/slapd.conf" -l "$D_DIR/seed.ldif") &&
			slapadd -q -w -S 2 -f "$D_DIR/slapd2.conf" -l "$D_DIR/seed.ldif"
	} >"$D_DIR/slapadd.log" 2>&1 || { cat "$D_DIR/slapadd.log" >&2; return 1; }
}

kadmin_local() {
	KRB5_CONFIG=$DIR/krb5.conf KRB5_KDC_PROFILE=$DIR/kdc.conf \
		kadmin.local -r "$D_REALM" "$@"
}

# add_user_princ NAME FILE: principal NAME@REALM with a new password in FILE.
add_user_princ() {
	secret "$2"
	twice "$2" | kadmin_local -q "addprinc $1" >>"$D_DIR/kadmin.local.log" 2>&1 || return 1
	kadmin_local -q "getprinc $1" 2>/dev/null | grep -q '^Principal:' ||
		{ say "$1@$D_REALM was not created"; cat "$D_DIR/kadmin.local.log" >&2; return 1; }
}

# make_kdc: the realm's database, ACL, principals, keytabs and policy.
make_kdc() {
	k=$D_DIR/krb5
	mkdir -m 700 "$k"
	secret "$D_DIR/kdb-master.pw"
	twice "$D_DIR/kdb-master.pw" |
		KRB5_CONFIG=$DIR/krb5.conf KRB5_KDC_PROFILE=$DIR/kdc.conf \
			kdb5_util -r "$D_REALM" create -s >"$D_DIR/kdb5_util.log" 2>&1 ||
		{ cat "$D_DIR/kdb5_util.log" >&2; return 1; }
	cat >"$k/kadm5.acl" <<EOF
# kadmind ACL of $D_REALM. First matching line wins; capitals deny.
admin/admin@$D_REALM  *
# trustadmin manages cross-realm trust principals krbtgt/X@Y, not the
# realm's own krbtgt.
trustadmin@$D_REALM  ADMCILSE  krbtgt/$D_REALM@$D_REALM
trustadmin@$D_REALM  admcilse  krbtgt/*@*
EOF
	: >"$D_DIR/kadmin.local.log"
	add_user_princ admin/admin "$D_DIR/kadmin-admin.pw"
	add_user_princ trustadmin "$D_DIR/trustadmin.pw"
	add_user_princ user "$D_DIR/user.pw"
	{
		kadmin_local -q "ktadd -norandkey -k $D_DIR/admin.keytab admin/admin"
		kadmin_local -q "ktadd -norandkey -k $D_DIR/trustadmin.keytab trustadmin"
		kadmin_local -q "addprinc -randkey host/srv.$D_DNS"
		kadmin_local -q "ktadd -k $D_DIR/host.keytab host/srv.$D_DNS"
		# The directory's Kerberos service (a domain's slapd only).
		if [ "$D_KIND" = ad ]; then
			kadmin_local -q "addprinc -randkey ldap/127.0.0.1"
			kadmin_local -q "ktadd -k $D_DIR/ldap.keytab ldap/127.0.0.1"
		fi
		# The one-chance rule: a permitted trust principal locks for good
		# after one wrong password (needs preauth: default_principal_flags).
		kadmin_local -q "addpol -maxfailure 1 -failurecountinterval 0 -lockoutduration 0 trustmgr-permit"
	} >>"$D_DIR/kadmin.local.log" 2>&1
	for f in admin.keytab trustadmin.keytab host.keytab; do
		[ -s "$D_DIR/$f" ] || { say "$D_DIR/$f was not written"; cat "$D_DIR/kadmin.local.log" >&2; return 1; }
	done
	chmod 600 "$D_DIR"/*.keytab
	kadmin_local -q "getpol trustmgr-permit" 2>/dev/null | grep -q 'failures before lockout: 1' ||
		{ say "policy trustmgr-permit missing in $D_REALM"; return 1; }
}

# start_one SERVER: start one daemon of the loaded domain (slapd, slapd2,
# krb5kdc, krb5kdc2, kadmind); it is ready once ready_one SERVER succeeds.
start_one() {
	case $1 in
	slapd | slapd2)
		if [ "$1" = slapd ]; then
			uris="$LDAP_URI $LDAPS_URI $LDAPI_URI"
		else
			uris="$LDAP2_URI $LDAPS2_URI $LDAPI2_URI"
		fi
		# In the foreground (-d: it logs to its log), in a session of its own.
		KRB5_KTNAME=FILE:$D_DIR/ldap.keytab KRB5_CONFIG=$DIR/krb5.conf \
			setsid slapd -d 256 -f "$D_DIR/$1.conf" \
			-h "$uris" </dev/null >>"$D_DIR/$1.log" 2>&1 &
		echo "$!" >"$D_DIR/$1.job"
		;;
	krb5kdc | krb5kdc2)
		# krb5kdc and kadmind detach themselves once listening.
		conf=$D_DIR/kdc.conf
		[ "$1" = krb5kdc ] || conf=$D_DIR/kdc2.conf
		KRB5_CONFIG=$DIR/krb5.conf KRB5_KDC_PROFILE=$conf \
			krb5kdc -r "$D_REALM" -P "$D_DIR/$1.pid" </dev/null >>"$D_DIR/$1.out" 2>&1
		;;
	kadmind)
		KRB5_CONFIG=$DIR/krb5.conf KRB5_KDC_PROFILE=$D_DIR/kdc.conf \
			kadmind -r "$D_REALM" -P "$D_DIR/kadmind.pid" </dev/null >>"$D_DIR/kadmind.out" 2>&1
		;;
	esac
}

# servers: the daemons of the loaded domain (a plain realm runs no slapd).
servers() {
	if [ "$D_KIND" = mit ]; then
		if [ "$REPLICAS" = 1 ]; then echo krb5kdc krb5kdc2 kadmind; else echo krb5kdc kadmind; fi
	elif [ "$REPLICAS" = 1 ]; then echo slapd slapd2 krb5kdc krb5kdc2 kadmind; else echo slapd krb5kdc kadmind; fi
}

start_daemons() {
	load_domain "$1"
	for s in $(servers); do start_one "$s"; done
}

slapd_ready() {
	# slapd runs in the foreground under setsid: give up at once when it
	# has exited.
	if gone "$(cat "$D_DIR/$1.job")"; then
		say "$1 of $D exited; see $D_DIR/$1.log"
		exit 1
	fi
	if [ "$1" = slapd ]; then
		pid_of "$D_DIR/slapd.pid" >/dev/null && tcp_listening "$P_LDAP" &&
			tcp_listening "$P_LDAPS" && [ -S "$D_DIR/ldapi" ]
	else
		pid_of "$D_DIR/slapd2.pid" >/dev/null && tcp_listening "$P_LDAP2" &&
			tcp_listening "$P_LDAPS2" && [ -S "$D_DIR/ldapi2" ]
	fi
}
kdc_ready() {
	port=$P_KDC
	[ "$1" = krb5kdc ] || port=$P_KDC2
	pid_of "$D_DIR/$1.pid" >/dev/null && udp_bound "$port" && tcp_listening "$port"
}
kadmind_ready() {
	pid_of "$D_DIR/kadmind.pid" >/dev/null && tcp_listening "$P_KADMIN" &&
		tcp_listening "$P_KPASSWD" && udp_bound "$P_KPASSWD"
}

# where SERVER: the addresses SERVER of the loaded domain listens on.
where() {
	case $1 in
	slapd) echo "$LDAP_URI $LDAPS_URI" ;;
	slapd2) echo "$LDAP2_URI $LDAPS2_URI" ;;
	krb5kdc) echo "127.0.0.1:$P_KDC" ;;
	krb5kdc2) echo "127.0.0.1:$P_KDC2" ;;
	kadmind) echo "127.0.0.1:$P_KADMIN kpasswd 127.0.0.1:$P_KPASSWD" ;;
	esac
}

# wait_ready SERVER: wait until SERVER of the loaded domain listens.
wait_ready() {
	case $1 in
	slapd*) wait_until "$1 of $D ($(where "$1"))" slapd_ready "$1" ;;
	krb5kdc*) wait_until "$1 of $D_REALM ($(where "$1"))" kdc_ready "$1" ;;
	kadmind) wait_until "kadmind of $D_REALM ($(where "$1"))" kadmind_ready ;;
	esac
}

print_env() {
	cat "$DIR/lab.env"
}

# on_start_exit: the EXIT trap of start: undo everything unless start finished.
on_start_exit() {
	rc=$?
	# Finish the cleanup whatever happens now: no -e, and a reader that went
	# away (start | head) must not kill us with SIGPIPE half way.
	set +e
	trap - EXIT
	trap '' INT TERM HUP PIPE
	[ -f "$DIR/running" ] && [ "$rc" -eq 0 ] && exit 0
	say "start failed; stopping what it started"
	for f in "$DIR"/*/slapd.log "$DIR"/*/krb5kdc.log "$DIR"/*/kadmind.log \
		"$DIR"/*/krb5kdc.out "$DIR"/*/kadmind.out; do
		[ -s "$f" ] || continue
		echo "--- last lines of $f" >&2
		tail -n 8 "$f" >&2
	done
	stop_all
	if [ -n "${LAB_KEEP:-}" ]; then
		say "left $DIR for inspection (LAB_KEEP)"
	elif [ "$created" = yes ]; then
		rm -rf "$DIR"
	else
		# The folder was empty before start: empty it again.
		find "$DIR" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
	fi
	[ "$rc" -ne 0 ] || rc=1
	exit "$rc"
}

cmd_start() {
	[ $# -ge 1 ] || usage
	dir=$1; shift
	n=2
	m=0
	while [ $# -gt 0 ]; do
		case $1 in
		--domains) [ $# -ge 2 ] || usage; n=$2; shift 2 ;;
		--domains=*) n=${1#--domains=}; shift ;;
		--realms) [ $# -ge 2 ] || usage; m=$2; shift 2 ;;
		--realms=*) m=${1#--realms=}; shift ;;
		--replicas) REPLICAS=1; shift ;;
		*) usage ;;
		esac
	done
	case $n$m in
	'' | *[!0-9]*) die "--domains and --realms want numbers, not '$n' and '$m'" ;;
	esac
	if [ $((n + m)) -lt 2 ] || [ $((n + m)) -gt 26 ]; then
		die "--domains plus --realms must be from 2 to 26, not $((n + m))"
	fi
	for t in slapd slaptest slapadd slapcat slappasswd ldapsearch krb5kdc kadmind kdb5_util kadmin.local \
		kadmin kinit openssl setsid od; do
		command -v "$t" >/dev/null 2>&1 ||
			die "$t is missing: run tools/install-deps.sh (slapd ldap-utils krb5-kdc krb5-admin-server krb5-user openssl)"
	done
	for s in core cosine inetorgperson nis msuser; do
		[ -r "$SCHEMA/$s.schema" ] || die "$SCHEMA/$s.schema is missing (package slapd)"
	done
	check_path "$dir"
	created=no
	if [ -e "$dir" ]; then
		[ -d "$dir" ] || die "$dir exists and is not a folder"
		[ -z "$(ls -A "$dir")" ] || die "$dir is not empty (a lab already there? lab.sh stop $dir --rm)"
	else
		mkdir -p "$dir"
		created=yes
	fi
	chmod 700 "$dir"
	DIR=$(abs_dir "$dir")
	if ! (check_path "$DIR"); then
		[ "$created" = no ] || rmdir "$dir"
		exit 1
	fi
	trap on_start_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
	: >"$DIR/ports"
	: >"$DIR/domains"

	i=1
	while [ "$i" -le $((n + m)) ]; do
		if [ "$i" -le "$n" ]; then make_domain "$i"; else make_domain "$i" mit; fi
		i=$((i + 1))
	done
	write_krb5_conf
	write_kdc_conf
	write_trustmgr_conf
	for x in $(domains); do
		load_domain "$x"
		d=$(printf '%s' "$D" | tr '[:upper:]' '[:lower:]')
		if [ "$D_KIND" = ad ]; then
			make_tls
			make_slapd
		fi
		make_kdc
	done
	for x in $(domains); do
		start_daemons "$x"
	done
	for x in $(domains); do
		load_domain "$x"
		for s in $(servers); do wait_ready "$s"; done
	done

	# CA bundle of every domain, and the environment to use the lab.
	for x in $(domains); do
		if [ -f "$DIR/$x/tls/ca.pem" ]; then cat "$DIR/$x/tls/ca.pem"; fi
	done >"$DIR/ca-bundle.pem"
	{
		echo "export KRB5_CONFIG=$DIR/krb5.conf"
		echo "export KRB5_KDC_PROFILE=$DIR/kdc.conf"
		echo "export TRUSTMGR_CONFIG=$DIR/trustmgr.conf"
		echo "export LDAPTLS_CACERT=$DIR/ca-bundle.pem"
		echo "export KRB5CCNAME=FILE:$DIR/ccache"
		echo "# run trustmgr against the lab: eval \"\$(sh $TOP/tests/lab/lab.sh env $DIR)\"; $TOP/build/trustmgr list A"
	} >"$DIR/lab.env"

	print_env
	echo "#"
	echo "# trustmgr lab in $DIR: $n domains and $m plain realms on 127.0.0.1"
	for x in $(domains); do
		load_domain "$x"
		if [ "$D_KIND" = mit ]; then
			echo "#   $D: plain realm $D_REALM"
			echo "#      kdc 127.0.0.1:$P_KDC  kadmin 127.0.0.1:$P_KADMIN  kpasswd 127.0.0.1:$P_KPASSWD"
			echo "#      secrets: $D_DIR/{kadmin-admin,trustadmin,user}.pw, $D_DIR/{admin,trustadmin,host}.keytab"
			continue
		fi
		echo "#   $D: $D_DNS, realm $D_REALM, $D_SID, $D_BASE"
		echo "#      ldap  $LDAP_URI (StartTLS)  $LDAPS_URI  $LDAPI_URI"
		echo "#      kdc 127.0.0.1:$P_KDC  kadmin 127.0.0.1:$P_KADMIN  kpasswd 127.0.0.1:$P_KPASSWD"
		if [ "$REPLICAS" = 1 ]; then
			echo "#      replicas: ldap  $LDAP2_URI (StartTLS)  $LDAPS2_URI  $LDAPI2_URI"
			echo "#                kdc 127.0.0.1:$P_KDC2 (the same database)"
		fi
		echo "#      secrets: $D_DIR/{ldap-admin,ldap-reader,kadmin-admin,trustadmin,user}.pw,"
		echo "#               $D_DIR/{admin,trustadmin,host}.keytab"
	done
	echo "# stop: sh $TOP/tests/lab/lab.sh stop $DIR [--rm]"
	# Last: from here on the lab stays up (exit 0 means a running lab;
	# anything else means nothing was left running).
	date >"$DIR/running"
}

# ---------------------------------------------------------------- others

lab_dir() {
	[ $# -ge 1 ] || usage
	[ -d "$1" ] || die "$1: no such folder"
	DIR=$(abs_dir "$1")
	[ -f "$DIR/domains" ] || die "$DIR holds no lab"
}

cmd_stop() {
	lab_dir "$@"
	stop_all
	if [ "${2:-}" = --rm ]; then
		rm -rf "$DIR"
		say "stopped and removed $DIR"
	else
		say "stopped the lab in $DIR (files kept; lab.sh stop $DIR --rm deletes them)"
	fi
}

cmd_env() {
	lab_dir "$@"
	[ -f "$DIR/running" ] || die "the lab in $DIR is not running"
	print_env
}

cmd_status() {
	lab_dir "$@"
	bad=0
	for x in $(domains); do
		load_domain "$x"
		for f in $(servers); do
			if pid=$(pid_of "$D_DIR/$f.pid"); then
				state="running (pid $pid)"
				if [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = T ]; then
					state="suspended (pid $pid)"; bad=1
				fi
			else
				state="stopped"; bad=1
			fi
			printf '%s %-8s %-20s %s\n' "$D" "$f" "$state" "$(where "$f")"
		done
	done
	return "$bad"
}

# server_args DIR X SERVER: check them; load domain X.
server_args() {
	[ $# -eq 3 ] || usage
	lab_dir "$1"
	if ! grep -qx "$2" "$DIR/domains" || [ ! -f "$DIR/$2/domain.env" ]; then
		die "$DIR has no domain $2"
	fi
	load_domain "$2"
	case " $(servers) " in
	*" $3 "*) ;;
	*) die "domain $2 of the lab in $DIR has no $3 (it has: $(servers))" ;;
	esac
}

cmd_pid() {
	server_args "$@"
	pid_of "$D_DIR/$3.pid" || die "$3 of $2 is not running"
}

# cmd_stop_server DIR X SERVER: stop one daemon (a suspended one too).
cmd_stop_server() {
	server_args "$@"
	pid=$(pid_of "$D_DIR/$3.pid") || die "$3 of $2 is not running"
	kill -TERM "$pid" 2>/dev/null || true
	kill -CONT "$pid" 2>/dev/null || true
	if ! TRIES=50 wait_until "$3 of $2 to end" gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null || true
		TRIES=20 wait_until "$3 of $2 to end after SIGKILL" gone "$pid" || true
	fi
	rm -f "$D_DIR/$3.pid"
	say "stopped $3 of $2 ($(where "$3"))"
}

# cmd_start_server DIR X SERVER: start one daemon again; wait until it listens.
cmd_start_server() {
	server_args "$@"
	if pid_of "$D_DIR/$3.pid" >/dev/null; then die "$3 of $2 already runs"; fi
	rm -f "$D_DIR/$3.pid"
	start_one "$3"
	wait_ready "$3" || die "$3 of $2 did not start; see its log in $D_DIR"
	say "started $3 of $2 ($(where "$3"))"
}

[ $# -ge 1 ] || usage
cmd=$1; shift
case $cmd in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
env) cmd_env "$@" ;;
status) cmd_status "$@" ;;
stop-server) cmd_stop_server "$@" ;;
start-server) cmd_start_server "$@" ;;
pid) cmd_pid "$@" ;;
*) usage ;;
esac
