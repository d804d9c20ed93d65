#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# tests/lab/samba.sh - a throwaway lab of real Samba AD domain controllers.
#
#   samba.sh start DIR [--dcs N] [--fresh] [--samba-tls] [--sasl-over-tls]
#                                   provision and start N DCs (1-9, default
#                                   2), each the only DC of a forest of its
#                                   own; --fresh: provision even when a
#                                   provisioned copy is cached (see CACHE);
#                                   --sasl-over-tls: ldap server require
#                                   strong auth = allow_sasl_over_tls (a
#                                   Kerberos bind inside StartTLS/ldaps, as
#                                   Windows DCs allow; Samba's default
#                                   refuses it);
#                                   --samba-tls: let samba make its own TLS
#                                   keys (RSA 4096, seconds) instead of the
#                                   lab's EC ones
#   samba.sh stop DIR [--rm]        stop every DC, remove the namespace
#                                   (--rm: delete DIR); safe to run twice
#   samba.sh restart DIR            stop and start the DCs again (the
#                                   databases stay), dropping the cached
#                                   secure channels (netlogon_creds_cli.tdb)
#   samba.sh status DIR             what runs; exit 0 when every DC does
#   samba.sh env DIR                print the export lines for DIR's lab
#   samba.sh exec DIR -- CMD...     run CMD in the lab's network namespace
#                                   with the lab's environment
#   samba.sh trust DIR [X Y]        a two-way forest trust between DC X and
#                                   DC Y (default dc1 dc2), made by samba-tool
#                                   (an existing one is deleted first)
#
# DC i (dc1, dc2, ...) is host DCi of the forest samba.test (NetBIOS SAMBA,
# realm SAMBA.TEST) for i = 1 and sambaI.test (SAMBAI, SAMBAI.TEST) after
# that, at 127.0.0.(i+1). The DCs live in a network namespace of their own
# (tmsmb-<hash of DIR>): a DC does not listen on a secondary address of the
# host's lo. Everything that talks to them (trustmgr, ldapsearch, kinit,
# samba-tool) must run inside it: `samba.sh exec DIR -- CMD`. Names resolve
# there through /etc/netns/NS/hosts and resolv.conf (nameserver: dc1).
#
# Each DC runs `samba -i -M single` in a private mount namespace where
# DIR/dcI/runsamba is /run/samba (smbd looks for winbindd only at
# /run/samba/winbindd), with a FIFO opened read-write as its standard input
# (samba -i exits at end of input; this one never ends).
#
# CACHE: provisioning is the slow part (about 10 s a DC). A provisioned DC,
# before its first start, names its folder in etc/smb.conf only, so start
# keeps a pristine copy of each DC in $SAMBA_LAB_CACHE (default
# ${TMPDIR:-/tmp}/trustmgr-samba-cache.UID; "off" provisions every time) and
# copies it: every later lab starts in a few seconds. The copy is keyed by
# the Samba version and the provisioning options; each lab gets TLS keys of
# its own, but the domain SIDs and passwords of the cached copy. Two labs of
# one cache are still independent: their DCs live in different namespaces.
#
# POSIX sh, run as root (network and mount namespaces). Secrets are in 0600
# files and never on a command line. samba-tool domain provision would be
# the one exception (--adminpass); it is avoided: run without --adminpass,
# provision makes a random Administrator password and logs it, and start
# moves it from the log into DIR/dcI/admin.pw. samba-tool reads passwords
# from the file named by PASSWD_FILE (Samba's credentials code).
# shellcheck disable=SC2153 # DC_* variables come from dcI/dc.env
set -eu

PROG=samba-lab
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
SELF=$TOP/tests/lab/samba.sh
PY=/usr/bin/python3
# Readiness polls: attempts, 0.2 s apart (60 s: two DCs starting at once on
# a busy 2-core machine take 3-10 s).
TRIES=300
MAXDCS=9
# What a DC must serve before the lab counts as up (TCP; 53 and 88 also UDP):
# DNS, Kerberos, RPC endpoint mapper, LDAP, SMB, kpasswd, LDAPS, GC.
TCP_PORTS="53 88 135 389 445 464 636 3268"
UDP_PORTS="53 88"
SAFE_PATH=/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "$PROG: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
	cat >&2 <<'EOF'
usage: samba.sh start DIR [--dcs N] [--fresh] [--samba-tls] [--sasl-over-tls]
       samba.sh stop DIR [--rm]
       samba.sh restart DIR
       samba.sh status DIR
       samba.sh env DIR
       samba.sh exec DIR -- CMD [ARG...]
       samba.sh trust DIR [X Y]
EOF
	exit 2
}

# ---------------------------------------------------------------- helpers

# check_path PATH: DIR goes into smb.conf, krb5.conf and Unix socket paths.
check_path() {
	case $1 in
	*[!A-Za-z0-9._/+-]*) die "$1: use a folder whose path has only letters, digits and . _ / + -" ;;
	esac
	# DIR/dcI/private/ldap_priv/ldapi must fit in a Unix socket's 108 bytes.
	[ "${#1}" -le 70 ] || die "$1: path longer than 70 characters; use a shorter folder (Unix sockets live in it)"
}

# abs_path PATH: PATH made absolute (its parent must exist).
abs_path() {
	if [ -d "$1" ]; then (cd "$1" && pwd -P); else
		printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd -P)" "$(basename "$1")"
	fi
}

# netns_of DIR: the network namespace of the lab in DIR (derived from the
# path, so stop finds it even when DIR's files are gone).
netns_of() {
	set -- "$(printf '%s' "$1" | cksum)"
	printf 'tmsmb-%08x\n' "${1%% *}"
}

set_lab() {
	DIR=$1
	NS=$(netns_of "$DIR")
}

dcs() { cat "$DIR/dcs" 2>/dev/null || true; }

load_dc() {
	# shellcheck source=/dev/null
	. "$DIR/$1/dc.env"
}

# wait_until WHAT CMD...: run CMD up to $TRIES times, 0.2 s apart.
wait_until() {
	_what=$1; shift
	_n=0
	while [ "$_n" -lt "$TRIES" ]; do
		if "$@"; then return 0; fi
		_n=$((_n + 1))
		sleep 0.2
	done
	say "timed out waiting for $_what"
	return 1
}

# gone PID: PID has ended (a zombie counts: this sandbox's init reaps late).
gone() {
	kill -0 "$1" 2>/dev/null || return 0
	[ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" = Z ]
}

all_gone() {
	for _p in "$@"; do gone "$_p" || return 1; done
}

# stop_pids WHAT PID...: TERM (and CONT: a suspended process ends only when
# it runs), wait up to 10 s, then KILL and wait up to 5 s more.
stop_pids() {
	_what=$1; shift
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	kill -CONT "$@" 2>/dev/null || true
	TRIES=50 wait_until "$_what to end" all_gone "$@" && return 0
	kill -KILL "$@" 2>/dev/null || true
	TRIES=25 wait_until "$_what to end after SIGKILL" all_gone "$@" || true
}

# all_reaped PID...: no such process, not even a zombie.
all_reaped() {
	for _p in "$@"; do [ ! -e "/proc/$_p" ] || return 1; done
}

# in_ns CMD...: run CMD in the lab's namespace with a clean environment.
in_ns() {
	ip netns exec "$NS" env -i PATH="$SAFE_PATH" HOME="$DIR" LANG=C.UTF-8 \
		KRB5_CONFIG="$DIR/krb5.conf" KRB5CCNAME="FILE:$DIR/ccache" \
		LDAPTLS_CACERT="$DIR/ca-bundle.pem" "$@"
}

# ---------------------------------------------------------------- processes

# ns_pids: every process in the lab's namespace (none when it is gone).
ns_pids() {
	[ -e "/run/netns/$NS" ] || return 0
	ip netns pids "$NS" 2>/dev/null || true
}

# children PID: PID's descendants (one ps, not a read of every /proc entry).
children() {
	ps -e -o pid= -o ppid= | awk -v root="$1" '{ kid[$2] = kid[$2] " " $1 }
		END { n = split(kid[root], q, " "); for (i = 1; i <= n; i++) {
			print q[i]; m = split(kid[q[i]], more, " ")
			for (j = 1; j <= m; j++) q[++n] = more[j] } }'
}

# configured X: the smbd and winbindd processes of DC X (samba starts them
# with --configfile=DIR/X/etc/smb.conf), also those whose parent is gone.
configured() {
	ps -e -o pid= -o args= | awk -v a="--configfile=$DIR/$1/etc/smb.conf" '
		{ for (i = 2; i <= NF; i++) if ($i == a) { print $1; next } }'
}

# root_pid X: the pid of DC X's samba root process, if it runs.
root_pid() {
	[ -s "$DIR/$1/samba.pid" ] || return 1
	_pid=$(tr -dc 0-9 <"$DIR/$1/samba.pid")
	[ -n "$_pid" ] && ! gone "$_pid" || return 1
	case $(readlink "/proc/$_pid/exe" 2>/dev/null || true) in
	*/samba) echo "$_pid" ;;
	*) return 1 ;;
	esac
}

# dc_pids X: DC X's processes: the root, its descendants, and any smbd or
# winbindd left of it (their parent gone).
dc_pids() {
	{
		if _r=$(root_pid "$1"); then echo "$_r"; children "$_r"; fi
		configured "$1"
	} | sort -u
}

# all_dc_pids: the processes of every DC of the lab.
all_dc_pids() {
	for _x in $(dcs); do
		[ -f "$DIR/$_x/dc.env" ] && dc_pids "$_x"
	done
	return 0
}

# stop_dcs: stop every DC at once (the namespaces stay).
stop_dcs() {
	# shellcheck disable=SC2046 # a list of numbers
	stop_pids "the DCs' processes" $(all_dc_pids)
	for _x in $(dcs); do rm -f "$DIR/$_x/samba.pid"; done
}

# stop_all: everything of the lab: the DCs, whatever else runs in its
# namespace (a provisioning, a command of `exec`), then the namespace.
stop_all() {
	_all=$( (all_dc_pids; ns_pids) | sort -u | tr '\n' ' ')
	stop_dcs
	# shellcheck disable=SC2046
	stop_pids "the processes in namespace $NS" $(ns_pids)
	# The ended processes are zombies until init reaps them, which in this
	# sandbox takes a few seconds: wait (bounded), so that once stop has
	# returned no process of the lab is listed any more.
	# shellcheck disable=SC2086 # a list of numbers
	TRIES=50 wait_until "init to reap the lab's processes" all_reaped $_all || true
	if [ -e "/run/netns/$NS" ]; then
		ip netns del "$NS" 2>/dev/null || say "could not remove network namespace $NS"
	fi
	rm -rf "/etc/netns/$NS"
	rm -f "$DIR/running"
}

# ---------------------------------------------------------------- names

# names I: DC I's names as dc.env lines.
names() {
	_i=$1
	if [ "$_i" = 1 ]; then _d=samba; else _d=samba$_i; fi
	_u=$(printf '%s' "$_d" | tr '[:lower:]' '[:upper:]')
	cat <<EOF
DC=dc$_i
DC_HOST=DC$_i
DC_FQDN=dc$_i.$_d.test
DC_IP=127.0.0.$((_i + 1))
DC_DNS=$_d.test
DC_NETBIOS=$_u
DC_REALM=$_u.TEST
DC_BASE=DC=$_d,DC=test
DC_DIR=$DIR/dc$_i
DC_CONF=$DIR/dc$_i/etc/smb.conf
DC_PW=$DIR/dc$_i/admin.pw
DC_CA=$DIR/dc$_i/private/tls/ca.pem
LDAP_URI=ldap://dc$_i.$_d.test/
LDAPS_URI=ldaps://dc$_i.$_d.test/
EOF
}

# ---------------------------------------------------------------- namespace

make_netns() {
	if [ ! -e "/run/netns/$NS" ]; then
		ip netns add "$NS" || die "ip netns add $NS failed (root needed)"
	fi
	ip netns exec "$NS" ip link set lo up
	for x in $(dcs); do
		load_dc "$x"
		ip netns exec "$NS" ip addr replace "$DC_IP/8" dev lo
	done
	mkdir -p "/etc/netns/$NS"
	{
		echo "# hosts of the Samba lab in $DIR (network namespace $NS). Generated by samba.sh."
		echo "127.0.0.1 localhost"
		for x in $(dcs); do
			load_dc "$x"
			echo "$DC_IP $DC_FQDN $DC"
		done
	} >"/etc/netns/$NS/hosts"
	load_dc "$(head -n 1 "$DIR/dcs")"
	{
		echo "# resolv.conf of the Samba lab in $DIR. Generated by samba.sh."
		echo "nameserver $DC_IP"
		echo "options timeout:2 attempts:1"
	} >"/etc/netns/$NS/resolv.conf"
}

# ---------------------------------------------------------------- provision

# prov_args TARGET: samba-tool domain provision's arguments for the loaded
# DC into folder TARGET, one a line (no password: provision makes one).
prov_args() {
	cat <<EOF
--realm=$DC_REALM
--domain=$DC_NETBIOS
--server-role=dc
--dns-backend=SAMBA_INTERNAL
--host-name=$DC_HOST
--host-ip=$DC_IP
--targetdir=$1
--option=interfaces = $DC_IP
--option=bind interfaces only = yes
--option=pid directory = $1/run
--option=ncalrpc dir = $1/run/ncalrpc
--option=usershare path = $1/usershares
--option=ntp signd socket directory = $1/ntp_signd
--option=log file = $1/log/log.%m
--option=log level = 1
--option=disable netbios = yes
--option=load printers = no
--option=printing = bsd
--option=printcap name = /dev/null
--option=disable spoolss = yes
--option=panic action =
EOF
}

# provision TARGET LOG: provision the loaded DC into TARGET (a new folder)
# inside the namespace; its Administrator password ends up in TARGET/admin.pw.
provision() {
	{
		mkdir -p "$1" && chmod 700 "$1" &&
			mkdir -m 700 "$1/log" "$1/usershares" "$1/runsamba" &&
			prov_args "$1" >"$1/provision.args"
	} || return 1
	# One argument a line (some hold blanks): read them back as "$@".
	set -- "$1" "$2"
	_t=$1 _log=$2
	set --
	while IFS= read -r _a; do set -- "$@" "$_a"; done <"$_t/provision.args"
	(umask 077 && in_ns samba-tool domain provision "$@" </dev/null >"$_log" 2>&1) ||
		{ say "provisioning $DC_HOST ($DC_REALM) failed:"; tail -n 15 "$_log" >&2; return 1; }
	# The generated password: from the log into a file, and out of the log.
	(umask 077 && sed -n 's/^.*Admin password:[[:space:]]*//p' "$_log" | tr -d '\n' >"$_t/admin.pw")
	sed -i 's/\(Admin password:\).*/\1 (moved to admin.pw)/' "$_log"
	[ -s "$_t/admin.pw" ] || { say "no Administrator password in $_log"; return 1; }
}

# cache_key: the cached copy of the loaded DC is valid for this Samba and
# these provisioning options.
cache_key() {
	set -- "$( (samba -V; prov_args @TARGET@) | cksum)"
	echo "${DC}-${1%% *}"
}

# lock_stale LOCK: the process that holds LOCK is gone.
lock_stale() {
	_o=$(cat "$1/pid" 2>/dev/null) || return 1
	[ -n "$_o" ] && gone "$_o"
}

# cached_copy: print the folder of the loaded DC's pristine cached copy,
# provisioning it first when there is none (one provisioning per cache:
# others wait for it).
cached_copy() {
	{ mkdir -p "$CACHE" && chmod 700 "$CACHE"; } ||
		{ say "cannot make the cache folder $CACHE (SAMBA_LAB_CACHE=off: no cache)"; return 1; }
	_k=$CACHE/$(cache_key)
	_w=0
	while [ ! -f "$_k/ready" ]; do
		if mkdir "$_k.lock" 2>/dev/null; then
			echo "$$" >"$_k.lock/pid"
			rm -rf "$_k"
			if provision "$_k" "$_k.log" >&2; then
				date >"$_k/ready"
			fi
			rm -rf "$_k.lock"
			[ -f "$_k/ready" ] || { rm -rf "$_k"; return 1; }
			break
		fi
		[ -d "$_k.lock" ] || { say "cannot lock $_k.lock"; return 1; }
		if lock_stale "$_k.lock"; then rm -rf "$_k.lock"; continue; fi
		_w=$((_w + 1))
		[ "$_w" -le 900 ] || { say "gave up waiting for $_k (another lab provisions it)"; return 1; }
		sleep 0.2
	done
	echo "$_k"
}

# make_dc_files: DIR/dcI for the loaded DC, fresh or copied from the cache;
# then the lab's own settings in its smb.conf.
make_dc_files() {
	if [ "$CACHE" = off ]; then
		provision "$DC_DIR" "$DC_DIR/provision.log"
	else
		src=$(cached_copy) || return 1
		cp -a "$src/." "$DC_DIR/" && rm -f "$DC_DIR/ready"
		# The copy's smb.conf names the cache's folder: make it this one.
		sed -i "s|$src/|$DC_DIR/|g; s|$src\$|$DC_DIR|" "$DC_CONF"
	fi
	# A missing dns forwarder is no forwarder; provision wrote the host's.
	sed -i '/^[[:space:]]*dns forwarder[[:space:]]*=/d' "$DC_CONF"
	if [ "$SASL_TLS" = yes ]; then
		sed -i "s|^\[global\]\$|[global]\n\tldap server require strong auth = allow_sasl_over_tls|" \
			"$DC_CONF"
	fi
	dc_facts >>"$DC_DIR/dc.env"
	[ "$SAMBA_TLS" = yes ] || make_tls
}

# forwarders: DC i forwards what it does not know to DC i+1, the last one
# nowhere: a chain without a loop (two DCs forwarding to each other bounce
# unknown names for about 2 s a lookup).
forwarders() {
	prev=""
	for x in $(dcs); do
		load_dc "$x"
		if [ -n "$prev" ]; then
			sed -i "s|^\[global\]\$|[global]\n\tdns forwarder = $DC_IP|" "$DIR/$prev/etc/smb.conf"
		fi
		prev=$x
	done
}

# dc_facts: the domain SID and functional level of the loaded DC, read
# from its database (offline: the DC does not run yet).
dc_facts() {
	ldb=$DC_DIR/private/sam.ldb
	sid=$(ldbsearch -H "$ldb" -s base -b "$DC_BASE" objectSid 2>/dev/null |
		sed -n 's/^objectSid: //p')
	lvl=$(ldbsearch -H "$ldb" -s base -b "CN=Partitions,CN=Configuration,$DC_BASE" \
		msDS-Behavior-Version 2>/dev/null | sed -n 's/^msDS-Behavior-Version: //p')
	case $sid in S-1-5-21-*) ;; *) say "no domain SID in $ldb"; return 1 ;; esac
	case $lvl in
	0) lvl=2000 ;; 2) lvl=2003 ;; 3) lvl=2008 ;; 4) lvl=2008R2 ;;
	5) lvl=2012 ;; 6) lvl=2012R2 ;; 7) lvl=2016 ;;
	*) say "unknown forest functional level '$lvl' in $ldb"; return 1 ;;
	esac
	echo "DC_SID=$sid"
	echo "DC_LEVEL=$lvl"
}

# make_tls: the loaded DC's TLS files where samba looks for them
# (private/tls/{ca,cert,key}.pem): a throwaway EC CA and a certificate
# naming the DC (CN and DNS name, no address, as samba's own). Samba makes
# RSA 4096 keys itself when the files are missing (--samba-tls), which
# takes seconds at every first start; these take milliseconds.
make_tls() {
	t=$DC_DIR/private/tls
	mkdir -p "$t"
	chmod 700 "$t"
	(
		umask 077
		openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-keyout "$t/ca.key" -out "$t/ca.pem" -days 30 \
			-subj "/O=trustmgr Samba lab/CN=lab CA $DC_DNS" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" &&
		openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-keyout "$t/key.pem" -out "$t/cert.csr" -subj "/O=trustmgr Samba lab/CN=$DC_HOST.$DC_DNS" &&
		printf '%s\n' "basicConstraints = CA:FALSE" \
			"keyUsage = critical, digitalSignature, keyAgreement" \
			"extendedKeyUsage = serverAuth, clientAuth" \
			"subjectAltName = DNS:$DC_FQDN" >"$t/cert.ext" &&
		openssl x509 -req -in "$t/cert.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" \
			-set_serial "0x$(openssl rand -hex 8)" -days 30 -extfile "$t/cert.ext" -out "$t/cert.pem"
	) >"$t/openssl.log" 2>&1 || { cat "$t/openssl.log" >&2; return 1; }
	chmod 644 "$t/ca.pem" "$t/cert.pem"
}

# ---------------------------------------------------------------- run a DC

# write_wrapper: DIR/dcI/run-dc.sh runs the loaded DC in the foreground.
write_wrapper() {
	cat >"$DC_DIR/run-dc.sh" <<EOF
#!/bin/sh
# Runs $DC_HOST ($DC_REALM) of the Samba lab in $DIR. Generated by samba.sh,
# which starts it as
#   setsid ip netns exec $NS unshare -m --propagation private sh run-dc.sh
# with a FIFO opened read-write as standard input: in this mount namespace
# $DC_DIR/runsamba is /run/samba (winbindd's socket), and samba -i
# (which exits at the end of its input) runs until it is told to stop.
set -e
mount --bind $DC_DIR/runsamba /run/samba
echo \$\$ >$DC_DIR/samba.pid
cd $DC_DIR
exec env -i PATH=$SAFE_PATH HOME=$DC_DIR LANG=C.UTF-8 KRB5_CONFIG=$DIR/krb5.conf \\
	samba -i -M single -s $DC_CONF
EOF
}

start_dc() {
	load_dc "$1"
	rm -f "$DC_DIR/samba.pid"
	[ -p "$DC_DIR/stdin" ] || mkfifo -m 600 "$DC_DIR/stdin"
	[ -d /run/samba ] || die "/run/samba is missing (package samba-common-bin)"
	write_wrapper
	echo "--- $(date) start" >>"$DC_DIR/samba.out"
	setsid ip netns exec "$NS" unshare -m --propagation private sh "$DC_DIR/run-dc.sh" \
		<>"$DC_DIR/stdin" >>"$DC_DIR/samba.out" 2>&1 &
	echo "$!" >"$DC_DIR/samba.job"
}

# serving PID IP: in PID's network namespace, TCP sockets listen on IP at
# every port of TCP_PORTS and UDP sockets are bound at every UDP_PORTS.
serving() {
	awk -v ip="$2" -v tcp="$TCP_PORTS" -v udp="$UDP_PORTS" '
		BEGIN { split(ip, o, "."); h = sprintf("%02X%02X%02X%02X", o[4], o[3], o[2], o[1])
			n = split(tcp, t, " "); for (i = 1; i <= n; i++) want["tcp " sprintf("%s:%04X", h, t[i])] = 1
			m = split(udp, u, " "); for (i = 1; i <= m; i++) want["udp " sprintf("%s:%04X", h, u[i])] = 1 }
		FNR == 1 { proto = FILENAME ~ /udp$/ ? "udp" : "tcp"; next }
		proto == "udp" || $4 == "0A" { delete want[proto " " $2] }
		END { for (k in want) exit 1 }' "/proc/$1/net/tcp" "/proc/$1/net/udp" 2>/dev/null
}

# dc_ready X: DC X serves every port, its winbindd socket and TLS CA exist.
# Fails the whole start when the DC has exited.
dc_ready() {
	load_dc "$1"
	if ! pid=$(root_pid "$1"); then
		# The wrapper writes samba.pid just before it becomes samba (then
		# the pid is no samba yet); without samba.pid, the wrapper's own
		# pid (setsid does not fork: the job is no group leader).
		_p=$(cat "$DC_DIR/samba.pid" 2>/dev/null || cat "$DC_DIR/samba.job")
		[ -n "$_p" ] || return 1
		if gone "$_p"; then
			say "$DC_HOST ($DC_REALM) exited; last lines of $DC_DIR/samba.out:"
			tail -n 12 "$DC_DIR/samba.out" >&2
			exit 1
		fi
		return 1
	fi
	serving "$pid" "$DC_IP" || return 1
	[ -S "$DC_DIR/runsamba/winbindd/pipe" ] && [ -s "$DC_CA" ]
}

# wb X ARG...: wbinfo against DC X's winbindd (in its mount namespace,
# where its /run/samba is).
wb() {
	_pid=$(root_pid "$1") || return 1
	shift
	nsenter -t "$_pid" -m -n wbinfo "$@"
}

# flush X: empty DC X's gencache, where a failed DC lookup is remembered
# (for about 30 s, as observed: validate fails with WERR_NO_LOGON_SERVERS
# that long unless the cache is flushed).
flush() {
	in_ns net cache flush -s "$DIR/$1/etc/smb.conf" >/dev/null 2>&1 || true
}

# trusts_ready X: DC X's winbindd reaches a DC of every domain it trusts.
# A DC that starts before its partner marks the partner's domain offline
# and remembers the failed lookup; a new attempt after a flush succeeds.
trusts_ready() {
	_own=$(sed -n 's/^DC_NETBIOS=//p' "$DIR/$1/dc.env")
	_doms=$(wb "$1" --trusted-domains 2>/dev/null) || return 1
	for _d in $_doms; do
		case $_d in BUILTIN | "$_own") continue ;; esac
		wb "$1" --ping-dc --domain="$_d" >/dev/null 2>&1 || { flush "$1"; return 1; }
	done
}

start_dcs() {
	for x in $(dcs); do start_dc "$x"; done
	for x in $(dcs); do
		load_dc "$x"
		wait_until "$DC_HOST ($DC_REALM) at $DC_IP" dc_ready "$x"
	done
	for x in $(dcs); do load_dc "$x"; cat "$DC_CA"; done >"$DIR/ca-bundle.pem"
	# Trusts (after a restart): wait until each DC reaches its partners.
	# Not fatal: a test may have left a trust broken on purpose.
	for x in $(dcs); do flush "$x"; done
	for x in $(dcs); do
		load_dc "$x"
		TRIES=50 wait_until "$DC_HOST to reach the DCs of the domains it trusts" trusts_ready "$x" ||
			say "warning: $DC_HOST's trusts do not answer (wbinfo --ping-dc); the lab runs anyway"
	done
}

# ---------------------------------------------------------------- config files

write_krb5_conf() {
	first=$(head -n 1 "$DIR/dcs")
	load_dc "$first"
	{
		echo "# Client view of the Samba lab in $DIR (KRB5_CONFIG). Generated by samba.sh."
		echo "[libdefaults]"
		echo "    default_realm = $DC_REALM"
		echo "    dns_lookup_kdc = false"
		echo "    dns_lookup_realm = false"
		echo "    dns_canonicalize_hostname = false"
		echo "    rdns = false"
		echo "    udp_preference_limit = 1"
		echo ""
		echo "[realms]"
		for x in $(dcs); do
			load_dc "$x"
			echo "    $DC_REALM = {"
			echo "        kdc = $DC_IP"
			echo "        admin_server = $DC_IP"
			echo "        kpasswd_server = $DC_IP"
			echo "    }"
		done
		echo ""
		echo "[domain_realm]"
		for x in $(dcs); do
			load_dc "$x"
			echo "    .$DC_DNS = $DC_REALM"
			echo "    $DC_DNS = $DC_REALM"
		done
		echo ""
		echo "# Direct cross-realm paths between every pair of forests."
		echo "[capaths]"
		for x in $(dcs); do
			load_dc "$x"
			echo "    $DC_REALM = {"
			for y in $(dcs); do
				[ "$y" = "$x" ] && continue
				echo "        $(sed -n 's/^DC_REALM=//p' "$DIR/$y/dc.env") = ."
			done
			echo "    }"
		done
	} >"$DIR/krb5.conf"
}

write_trustmgr_conf() {
	{
		echo "# trustmgr.conf for the Samba lab in $DIR (TRUSTMGR_CONFIG). Generated by samba.sh."
		echo "# The DCs are in network namespace $NS: run trustmgr there (samba.sh exec)."
		echo "# ldap_uri names the DC: its certificate names it, not its address."
		echo "[domains]"
		for x in $(dcs); do
			load_dc "$x"
			echo "    $DC_NETBIOS = {"
			echo "        kind = ad"
			echo "        dns_name = $DC_DNS"
			echo "        netbios_name = $DC_NETBIOS"
			echo "        sid = $DC_SID"
			echo "        forest = $DC_DNS"
			echo "        functional_level = $DC_LEVEL"
			echo "        realm = $DC_REALM"
			echo "        ldap_uri = $LDAPS_URI"
			echo "        base_dn = $DC_BASE"
			echo "        bind = simple"
			echo "        bind_dn = CN=Administrator,CN=Users,$DC_BASE"
			echo "        bind_password_file = $DC_PW"
			echo "        tls = ldaps"
			echo "        tls_cacert = $DC_CA"
			echo "        verify_principal = Administrator@$DC_REALM"
			echo "        verify_password_file = $DC_PW"
			echo "        # a DC has no kadmin/admin"
			echo "        verify_service = cifs/$DC_FQDN"
			echo "    }"
		done
	} >"$DIR/trustmgr.conf"
}

write_env() {
	{
		echo "export KRB5_CONFIG=$DIR/krb5.conf"
		echo "export KRB5CCNAME=FILE:$DIR/ccache"
		echo "export LDAPTLS_CACERT=$DIR/ca-bundle.pem"
		echo "export TRUSTMGR_CONFIG=$DIR/trustmgr.conf"
		echo "export SAMBA_LAB_DIR=$DIR"
		echo "export SAMBA_LAB_NETNS=$NS"
		echo "# The DCs answer only inside network namespace $NS:"
		echo "#   sh $SELF exec $DIR -- CMD...   (or: ip netns exec $NS CMD...)"
		for x in $(dcs); do
			load_dc "$x"
			echo "# $DC: $DC_FQDN $DC_IP realm $DC_REALM NetBIOS $DC_NETBIOS $DC_SID"
			echo "#      Administrator's password: $DC_PW; CA: $DC_CA"
		done
	} >"$DIR/lab.env"
}

# ---------------------------------------------------------------- start

on_start_exit() {
	rc=$?
	set +e
	trap - EXIT
	trap '' INT TERM HUP PIPE
	[ -f "$DIR/running" ] && [ "$rc" -eq 0 ] && exit 0
	say "start failed; stopping what it started"
	stop_all
	if [ -n "${SAMBA_LAB_KEEP:-}" ]; then
		say "left $DIR for inspection (SAMBA_LAB_KEEP)"
	elif [ "$created" = yes ]; then
		rm -rf "$DIR"
	else
		find "$DIR" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
	fi
	[ "$rc" -ne 0 ] || rc=1
	exit "$rc"
}

check_tools() {
	[ "$(id -u)" -eq 0 ] || die "run as root: the lab makes network and mount namespaces"
	for t in samba samba-tool ldbsearch wbinfo net nsenter ip unshare setsid mount mkfifo cksum openssl ps; do
		command -v "$t" >/dev/null 2>&1 ||
			die "$t is missing: run tools/install-deps.sh (samba samba-ad-dc samba-ad-provision ldb-tools iproute2 ...)"
	done
	[ -x "$PY" ] || die "$PY is missing (package python3-samba)"
}

# provision_all: every DC's folder, in parallel (two provisionings on two
# cores take about as long as one).
provision_all() {
	jobs=""
	for x in $(dcs); do
		load_dc "$x"
		make_dc_files >"$DIR/$x.prov.out" 2>&1 &
		jobs="$jobs $!:$x"
	done
	bad=""
	for j in $jobs; do
		wait "${j%%:*}" || bad="$bad ${j#*:}"
	done
	for x in $(dcs); do
		[ -s "$DIR/$x.prov.out" ] && cat "$DIR/$x.prov.out" >&2
		rm -f "$DIR/$x.prov.out"
	done
	[ -z "$bad" ] || die "could not make the folder of:$bad"
}

cmd_start() {
	[ $# -ge 1 ] || usage
	dir=$1; shift
	n=2
	SAMBA_TLS=no
	SASL_TLS=no
	CACHE=${SAMBA_LAB_CACHE:-${TMPDIR:-/tmp}/trustmgr-samba-cache.$(id -u)}
	while [ $# -gt 0 ]; do
		case $1 in
		--dcs) [ $# -ge 2 ] || usage; n=$2; shift 2 ;;
		--dcs=*) n=${1#--dcs=}; shift ;;
		--fresh) CACHE=off; shift ;;
		--samba-tls) SAMBA_TLS=yes; shift ;;
		--sasl-over-tls) SASL_TLS=yes; shift ;;
		*) usage ;;
		esac
	done
	case $n in '' | *[!0-9]*) die "--dcs wants a number, not '$n'" ;; esac
	case $CACHE in off | /*) ;; *) CACHE=$(pwd -P)/$CACHE ;; esac
	if [ "$n" -lt 1 ] || [ "$n" -gt "$MAXDCS" ]; then die "--dcs must be from 1 to $MAXDCS"; fi
	check_tools
	check_path "$dir"
	created=no
	if [ -e "$dir" ]; then
		[ -d "$dir" ] || die "$dir exists and is not a folder"
		[ -z "$(ls -A "$dir")" ] || die "$dir is not empty (a lab already there? samba.sh stop $dir --rm)"
	else
		mkdir -p "$dir"
		created=yes
	fi
	chmod 700 "$dir"
	set_lab "$(abs_path "$dir")"
	check_path "$DIR"
	if [ -e "/run/netns/$NS" ]; then
		[ "$created" = no ] || rmdir "$DIR"
		die "network namespace $NS exists: a lab of $DIR was not stopped (samba.sh stop $DIR)"
	fi
	trap on_start_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
	t0=$(date +%s)
	i=1
	: >"$DIR/dcs"
	while [ "$i" -le "$n" ]; do
		mkdir -m 700 "$DIR/dc$i"
		names "$i" >"$DIR/dc$i/dc.env"
		echo "dc$i" >>"$DIR/dcs"
		i=$((i + 1))
	done
	write_krb5_conf
	make_netns
	provision_all
	t1=$(date +%s)
	forwarders
	start_dcs
	write_trustmgr_conf
	write_env
	t2=$(date +%s)
	cat "$DIR/lab.env"
	echo "#"
	echo "# Samba lab in $DIR: $n DCs in network namespace $NS (folders in $((t1 - t0)) s$(
		[ "$CACHE" = off ] && echo ", provisioned" || echo ", cache $CACHE"), running in $((t2 - t1)) s more)"
	echo "# stop: sh $SELF stop $DIR [--rm]"
	date >"$DIR/running"
}

# ---------------------------------------------------------------- others

# lab_dir DIR: DIR must hold a lab.
lab_dir() {
	[ $# -ge 1 ] || usage
	[ -d "$1" ] || die "$1: no such folder"
	set_lab "$(abs_path "$1")"
	[ -f "$DIR/dcs" ] || die "$DIR holds no Samba lab"
}

cmd_stop() {
	case $#:${2:-} in 1: | 2:--rm) ;; *) usage ;; esac
	# Nothing there: nothing to stop (a second stop --rm).
	[ -d "$1" ] || [ -e "/run/netns/$(netns_of "$(abs_path "$1")")" ] || return 0
	set_lab "$(abs_path "$1")"
	trap '' INT TERM HUP PIPE
	stop_all
	if [ "${2:-}" = --rm ]; then
		rm -rf "$DIR"
		say "stopped and removed $DIR"
	else
		say "stopped the Samba lab in $DIR (files kept; samba.sh stop $DIR --rm deletes them)"
	fi
}

# cmd_restart DIR: the DCs again, with no cached secure channel (after a
# trust was deleted and made again, winbindd would keep the old one).
cmd_restart() {
	lab_dir "$@"
	trap '' HUP PIPE
	stop_dcs
	rm -f "$DIR/running"
	for x in $(dcs); do rm -f "$DIR/$x/private/netlogon_creds_cli.tdb"; done
	make_netns
	start_dcs
	date >"$DIR/running"
	say "restarted the DCs of $DIR"
}

cmd_env() {
	lab_dir "$@"
	[ -f "$DIR/running" ] || die "the Samba lab in $DIR is not running"
	cat "$DIR/lab.env"
}

cmd_status() {
	lab_dir "$@"
	bad=0
	if [ -e "/run/netns/$NS" ]; then
		echo "network namespace $NS"
	else
		echo "network namespace $NS: missing"; bad=1
	fi
	for x in $(dcs); do
		load_dc "$x"
		if pid=$(root_pid "$x"); then
			state="running (pid $pid)"
			if ! dc_ready "$x"; then state="running (pid $pid), not serving every port"; bad=1; fi
		else
			state=stopped; bad=1
		fi
		printf '%s %-16s %-10s %-12s %s\n' "$x" "$DC_FQDN" "$DC_IP" "$DC_REALM" "$state"
	done
	return "$bad"
}

# cmd_exec DIR -- CMD...: CMD in the namespace with the lab's environment
# (what `env` prints), the caller's other variables kept.
cmd_exec() {
	lab_dir "$@"
	shift
	[ "${1:-}" = -- ] && shift
	[ $# -ge 1 ] || usage
	[ -e "/run/netns/$NS" ] || die "the Samba lab in $DIR is not running (no namespace $NS)"
	exec ip netns exec "$NS" env KRB5_CONFIG="$DIR/krb5.conf" KRB5CCNAME="FILE:$DIR/ccache" \
		LDAPTLS_CACERT="$DIR/ca-bundle.pem" TRUSTMGR_CONFIG="$DIR/trustmgr.conf" \
		SAMBA_LAB_DIR="$DIR" SAMBA_LAB_NETNS="$NS" "$@"
}

# tool X CMD...: samba-tool CMD with DC X's smb.conf, in the namespace.
tool() {
	_x=$1; shift
	in_ns samba-tool "$@" -s "$DIR/$_x/etc/smb.conf"
}

# tool_as X FILE CMD...: the same, logging on with the password in FILE
# (samba's credentials read PASSWD_FILE's first line; -U names the user).
tool_as() {
	_x=$1 _pw=$2; shift 2
	in_ns PASSWD_FILE="$_pw" samba-tool "$@" -s "$DIR/$_x/etc/smb.conf"
}

# has_trust X Y: DC X has a trusted domain object for Y's domain (read
# from its sam.ldb: faster than samba-tool).
has_trust() {
	_dns=$(sed -n 's/^DC_DNS=//p' "$DIR/$2/dc.env")
	ldbsearch -H "$DIR/$1/private/sam.ldb" "(&(objectClass=trustedDomain)(trustPartner=$_dns))" dn \
		2>/dev/null | grep -q '^dn: '
}

# cmd_trust DIR [X Y]: a two-way forest trust between X's and Y's forests,
# made on both DCs by samba-tool on X (logged on to Y as its Administrator,
# password from PASSWD_FILE). An existing trust (on either side) is deleted
# first; then the DCs restart, because winbindd would keep using the old
# trust's secure channel (netlogon_creds_cli.tdb): validate failing with
# WERR_ACCOUNT_DISABLED.
cmd_trust() {
	lab_dir "$@"
	tx=${2:-dc1}
	ty=${3:-dc2}
	for d in "$tx" "$ty"; do
		[ -f "$DIR/$d/dc.env" ] || die "$DIR has no DC $d (it has: $(dcs | tr '\n' ' '))"
	done
	[ "$tx" != "$ty" ] || die "a trust needs two DCs"
	[ -f "$DIR/running" ] || die "the Samba lab in $DIR is not running"
	load_dc "$ty"
	ydns=$DC_DNS yrealm=$DC_REALM ypw=$DC_PW
	load_dc "$tx"
	xdns=$DC_DNS
	log=$DIR/trust-$tx-$ty.log
	: >"$log"
	if has_trust "$tx" "$ty" || has_trust "$ty" "$tx"; then
		say "deleting the existing trust between $xdns and $ydns"
		if ! tool_as "$tx" "$ypw" domain trust delete "$ydns" --delete-location=both \
			-U "Administrator@$yrealm" </dev/null >>"$log" 2>&1; then
			# One side only (a test removed the other): delete each locally.
			tool "$tx" domain trust delete "$ydns" --delete-location=local </dev/null >>"$log" 2>&1 || true
			tool "$ty" domain trust delete "$xdns" --delete-location=local </dev/null >>"$log" 2>&1 || true
		fi
		cmd_restart "$DIR" || return 1
	fi
	if ! tool_as "$tx" "$ypw" domain trust create "$ydns" --type=forest --direction=both \
		--create-location=both -U "Administrator@$yrealm" </dev/null >>"$log" 2>&1; then
		say "samba-tool domain trust create failed; see $log:"
		tail -n 12 "$log" >&2
		return 1
	fi
	say "forest trust $xdns <-> $ydns created (both directions, both sides); log: $log"
}

[ $# -ge 1 ] || usage
cmd=$1; shift
case $cmd in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
restart) cmd_restart "$@" ;;
env) cmd_env "$@" ;;
status) cmd_status "$@" ;;
exec) cmd_exec "$@" ;;
trust) cmd_trust "$@" ;;
*) usage ;;
esac
