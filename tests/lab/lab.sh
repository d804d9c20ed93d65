#!/bin/sh
# tests/lab/lab.sh - a throwaway lab of real domains on 127.0.0.1 for trustmgr.
#
#   lab.sh start DIR [--domains N]   start N domains (2 <= N <= 26, default 2)
#   lab.sh stop DIR [--rm]           stop what start started (--rm: delete DIR)
#   lab.sh env DIR                   print the export lines for DIR's lab
#   lab.sh status DIR                tell what runs; exit 0 when everything does
#
# Domain i (A, B, C, ...) is DNS a.lab.test, NetBIOS A, realm A.LAB.TEST,
# base DN dc=a,dc=lab,dc=test and SID S-1-5-21-100i-200i-300i. Each domain
# gets an OpenLDAP slapd (StartTLS, ldaps and ldapi, throwaway CA) and an MIT
# KDC with kadmind (kadmin and kpasswd), all on free ports of 127.0.0.1 picked
# at start. Everything lives in DIR; nothing global (/etc, system services) is
# read or touched. See docs/LAB.md.
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

say() { echo "$PROG: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
	cat >&2 <<'EOF'
usage: lab.sh start DIR [--domains N]
       lab.sh stop DIR [--rm]
       lab.sh env DIR
       lab.sh status DIR
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
			for f in kadmind krb5kdc slapd; do
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
			rm -f "$DIR/$d/kadmind.pid" "$DIR/$d/krb5kdc.pid" "$DIR/$d/slapd.pid"
		done
	fi
	release_ports
	rm -f "$DIR/running"
}

# ---------------------------------------------------------------- start

# make_domain I: names, ports and folders of the I-th domain (1-based).
make_domain() {
	i=$1
	D=$(printf '%s' "$LETTERS" | cut -c "$i")
	d=$(printf '%s' "$D" | tr '[:upper:]' '[:lower:]')
	mkdir -m 700 "$DIR/$D"
	p_ldap=$(claim_port); p_ldaps=$(claim_port); p_kdc=$(claim_port)
	p_kadmin=$(claim_port); p_kpasswd=$(claim_port)
	sock="$DIR/$D/ldapi"
	if [ "${#sock}" -gt 100 ]; then
		die "$sock: path too long for a Unix socket; use a shorter DIR"
	fi
	cat >"$DIR/$D/domain.env" <<EOF
D=$D
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

# realm_block: the [realms] block of the loaded domain's realm.
realm_block() {
	echo "    $D_REALM = {"
	echo "        database_name = $D_DIR/krb5/principal"
	echo "        key_stash_file = $D_DIR/krb5/stash"
	echo "        acl_file = $D_DIR/krb5/kadm5.acl"
	echo "        kdc_listen = 127.0.0.1:$P_KDC"
	echo "        kdc_tcp_listen = 127.0.0.1:$P_KDC"
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
	done
}

write_trustmgr_conf() {
	{
		echo "# trustmgr.conf for the lab in $DIR (TRUSTMGR_CONFIG). Generated by lab.sh."
		echo "# krb5.conf syntax. ldap_uri: one URI per ldap_uri line, several lines are"
		echo "# tried in order (failover). Here the StartTLS URI comes first, then the"
		echo "# ldaps URI of the same server (already TLS: tls = starttls applies to"
		echo "# ldap:// URIs). The ldapi URI (bind = sasl_external, tls = none) is in"
		echo "# each block's comment."
		echo "[domains]"
		for x in $(domains); do
			load_domain "$x"
			echo "    $D = {"
			echo "        dns_name = $D_DNS"
			echo "        netbios_name = $D_NETBIOS"
			echo "        sid = $D_SID"
			echo "        forest = $D_DNS"
			echo "        functional_level = 2016"
			echo "        realm = $D_REALM"
			echo "        # also: ldapi: $LDAPI_URI"
			echo "        ldap_uri = $LDAP_URI"
			echo "        ldap_uri = $LDAPS_URI"
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

# make_slapd: slapd.conf, its database with the base entries, loaded offline.
make_slapd() {
	secret "$D_DIR/ldap-admin.pw"
	secret "$D_DIR/ldap-reader.pw"
	admin_hash=$(slappasswd -T "$D_DIR/ldap-admin.pw")
	reader_hash=$(slappasswd -T "$D_DIR/ldap-reader.pw")
	mkdir -m 700 "$D_DIR/ldap-db"
	uid=$(id -u)
	(
		umask 077
		cat >"$D_DIR/slapd.conf" <<EOF
# slapd.conf of lab domain $D ($D_DNS). Generated by tests/lab/lab.sh.
include $SCHEMA/core.schema
include $SCHEMA/cosine.schema
include $SCHEMA/inetorgperson.schema
include $SCHEMA/nis.schema
include $SCHEMA/msuser.schema
include $TOP/schema/trustmgr.schema

pidfile $D_DIR/slapd.pid
argsfile $D_DIR/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb

TLSCACertificateFile $D_DIR/tls/ca.pem
TLSCertificateFile $D_DIR/tls/server.pem
TLSCertificateKeyFile $D_DIR/tls/server.key
# TLS 1.2 or later
TLSProtocolMin 3.3

# SASL EXTERNAL over ldapi by the user who started the lab is the admin.
authz-regexp "^gidNumber=[0-9]+[+]uidNumber=$uid,cn=peercred,cn=external,cn=auth\$"
	"cn=admin,$D_BASE"

# Anyone may read the root DSE and the schema.
access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read

database mdb
suffix "$D_BASE"
rootdn "cn=admin,$D_BASE"
rootpw $admin_hash
directory $D_DIR/ldap-db
maxsize 67108864
index objectClass eq
index cn eq

# The rootdn cn=admin,$D_BASE is above every ACL: it reads and writes all.
# (Naming it in a "by" clause only draws a warning from slapd.)
# Trust secrets: nobody else reads or writes them, nor learns that they exist.
access to attrs=trustAuthIncoming,trustAuthOutgoing
	by * none
access to attrs=userPassword
	by self write
	by anonymous auth
	by * none
# Everything else: authenticated users read, anonymous sees nothing.
access to *
	by users read
	by * none
EOF
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
	)
	slaptest -Q -u -f "$D_DIR/slapd.conf" >"$D_DIR/slaptest.log" 2>&1 ||
		{ cat "$D_DIR/slaptest.log" >&2; return 1; }
	slapadd -q -f "$D_DIR/slapd.conf" -l "$D_DIR/base.ldif" >"$D_DIR/slapadd.log" 2>&1 ||
		{ cat "$D_DIR/slapadd.log" >&2; return 1; }
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

start_daemons() {
	load_domain "$1"
	setsid slapd -d 256 -f "$D_DIR/slapd.conf" \
		-h "$LDAP_URI $LDAPS_URI $LDAPI_URI" </dev/null >>"$D_DIR/slapd.log" 2>&1 &
	echo "$!" >"$D_DIR/slapd.job"
	# krb5kdc and kadmind detach themselves once listening.
	KRB5_CONFIG=$DIR/krb5.conf KRB5_KDC_PROFILE=$D_DIR/kdc.conf \
		krb5kdc -r "$D_REALM" -P "$D_DIR/krb5kdc.pid" </dev/null >>"$D_DIR/krb5kdc.out" 2>&1
	KRB5_CONFIG=$DIR/krb5.conf KRB5_KDC_PROFILE=$D_DIR/kdc.conf \
		kadmind -r "$D_REALM" -P "$D_DIR/kadmind.pid" </dev/null >>"$D_DIR/kadmind.out" 2>&1
}

slapd_ready() {
	# slapd runs in the foreground (-d, so that it logs to slapd.log) under
	# setsid: give up at once when it has exited.
	if gone "$(cat "$D_DIR/slapd.job")"; then
		say "slapd of $D exited; see $D_DIR/slapd.log"
		exit 1
	fi
	pid_of "$D_DIR/slapd.pid" >/dev/null && tcp_listening "$P_LDAP" &&
		tcp_listening "$P_LDAPS" && [ -S "$D_DIR/ldapi" ]
}
kdc_ready() {
	pid_of "$D_DIR/krb5kdc.pid" >/dev/null && udp_bound "$P_KDC" && tcp_listening "$P_KDC"
}
kadmind_ready() {
	pid_of "$D_DIR/kadmind.pid" >/dev/null && tcp_listening "$P_KADMIN" &&
		tcp_listening "$P_KPASSWD" && udp_bound "$P_KPASSWD"
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
	while [ $# -gt 0 ]; do
		case $1 in
		--domains) [ $# -ge 2 ] || usage; n=$2; shift 2 ;;
		--domains=*) n=${1#--domains=}; shift ;;
		*) usage ;;
		esac
	done
	case $n in
	'' | *[!0-9]*) die "--domains wants a number from 2 to 26, not '$n'" ;;
	esac
	if [ "$n" -lt 2 ] || [ "$n" -gt 26 ]; then die "--domains wants a number from 2 to 26, not $n"; fi
	for t in slapd slaptest slapadd slappasswd ldapsearch krb5kdc kadmind kdb5_util kadmin.local \
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
	while [ "$i" -le "$n" ]; do
		make_domain "$i"
		i=$((i + 1))
	done
	write_krb5_conf
	write_kdc_conf
	write_trustmgr_conf
	for x in $(domains); do
		load_domain "$x"
		d=$(printf '%s' "$D" | tr '[:upper:]' '[:lower:]')
		make_tls
		make_slapd
		make_kdc
	done
	for x in $(domains); do
		start_daemons "$x"
	done
	for x in $(domains); do
		load_domain "$x"
		wait_until "slapd of $D ($LDAP_URI)" slapd_ready
		wait_until "krb5kdc of $D_REALM (127.0.0.1:$P_KDC)" kdc_ready
		wait_until "kadmind of $D_REALM (127.0.0.1:$P_KADMIN, kpasswd $P_KPASSWD)" kadmind_ready
	done

	# CA bundle of every domain, and the environment to use the lab.
	for x in $(domains); do cat "$DIR/$x/tls/ca.pem"; done >"$DIR/ca-bundle.pem"
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
	echo "# trustmgr lab in $DIR: $n domains on 127.0.0.1"
	for x in $(domains); do
		load_domain "$x"
		echo "#   $D: $D_DNS, realm $D_REALM, $D_SID, $D_BASE"
		echo "#      ldap  $LDAP_URI (StartTLS)  $LDAPS_URI  $LDAPI_URI"
		echo "#      kdc 127.0.0.1:$P_KDC  kadmin 127.0.0.1:$P_KADMIN  kpasswd 127.0.0.1:$P_KPASSWD"
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
		for f in slapd krb5kdc kadmind; do
			if pid=$(pid_of "$D_DIR/$f.pid"); then
				state="running (pid $pid)"
			else
				state="stopped"; bad=1
			fi
			case $f in
			slapd) where="$LDAP_URI $LDAPS_URI" ;;
			krb5kdc) where="127.0.0.1:$P_KDC" ;;
			kadmind) where="127.0.0.1:$P_KADMIN kpasswd 127.0.0.1:$P_KPASSWD" ;;
			esac
			printf '%s %-8s %-20s %s\n' "$D" "$f" "$state" "$where"
		done
	done
	return "$bad"
}

[ $# -ge 1 ] || usage
cmd=$1; shift
case $cmd in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
env) cmd_env "$@" ;;
status) cmd_status "$@" ;;
*) usage ;;
esac
