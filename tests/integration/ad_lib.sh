# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# ad_lib.sh - shared prelude and helpers of the Samba AD lab tests
# (ad_lab.sh, ad_flows_lab.sh, ad_gssapi_lab.sh, ad_namespaces_lab.sh); sourced, not run (run.sh
# skips it). Before sourcing set
#   BIN       the trustmgr binary (the test's first argument)
#   NAME      as in "NAME: N passed, N failed" (ad-lab)
#   AD_TMP    the temporary folder is ${TMPDIR:-/tmp}/tm-$AD_TMP-XXXXXX
# and optionally
#   AD_SAMBA     Samba commands the test needs besides samba, samba-tool and
#                ldbsearch (missing: the test is skipped), e.g. ndrdump
#   AD_TOOLS     other commands it needs besides kinit kvno kdestroy iconv
#                od base64 ip (missing: a failure), e.g. python3
#   AD_LAB_OPTS  more options for samba.sh start, e.g. --sasl-over-tls
#   AD_STARTED   what the started lab is, in the first check's text
#                (default: two Samba AD DCs)
#   AD_WHEN      last: validated's and crosses_both's WHEN ends their check
#                texts ("TEXT (WHEN)"); else it starts them ("WHEN: TEXT").
# It checks the binary, skips (exit 0, saying why) when the Samba packages
# are not installed, needs root, starts the lab of two DCs in $lab (stopped
# and removed on exit, after ad_cleanup_more when the test defines it), sets
# $here, $LAB (samba.sh), $tmp, $out, $conf (the minimal configuration, see
# ad_conf), the pass/fail counters, and defines the helpers below.
# No password on any command line or in the environment: 0600 files only
# (kinit reads stdin, samba-tool PASSWD_FILE, trustmgr --password-file).
# shellcheck shell=sh
# shellcheck disable=SC2154 # BIN, NAME, AD_TMP: set by the test
# Functions run through trap and through expect/refuse/check:
# shellcheck disable=SC2317

here=$(cd "$(dirname "$0")" && pwd -P)
LAB=$here/../lab/samba.sh

pass=0
fail=0
finish() {
	echo "$NAME: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: sh tests/integration/${0##*/} /abs/path/to/trustmgr"
	fail=1; finish
fi
case $BIN in /*) ;; *) BIN=$(pwd -P)/$BIN ;; esac

# Skip only when Samba itself is not installed.
missing=""
for t in samba samba-tool ldbsearch ${AD_SAMBA:-}; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
[ -d /usr/share/samba/setup ] || missing="$missing /usr/share/samba/setup"
/usr/bin/python3 -c 'import samba.dcerpc.lsa' 2>/dev/null || missing="$missing python3-samba"
if [ -n "$missing" ]; then
	echo "$NAME: skipped: the Samba packages are not installed (missing:$missing);"
	echo "$NAME: tools/install-deps.sh installs them (ndrdump: samba-testsuite)"
	finish
fi
for t in kinit kvno kdestroy iconv od base64 ip ${AD_TOOLS:-}; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "$NAME: $t is missing: run tools/install-deps.sh"
		fail=1; finish
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "$NAME: must run as root (the Samba lab makes network and mount namespaces)"
	fail=1; finish
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-$AD_TMP-XXXXXX")
lab=$tmp/lab
cleanup() {
	if command -v ad_cleanup_more >/dev/null 2>&1; then ad_cleanup_more; fi
	sh "$LAB" stop "$lab" --rm >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

out=$tmp/out
: >"$out"
ok() { pass=$((pass + 1)); echo "ok: $*"; }
ko() {
	fail=$((fail + 1)); echo "FAIL: $*"
	if [ -s "$out" ]; then sed 's/^/    | /' "$out" | tail -n 25; fi
}
# note TEXT: a detail printed under the next FAIL (what Samba's tools show).
note() { printf '%s\n' "$*" >>"$out"; }
# expect DESC CMD...: CMD succeeds. refuse DESC CMD...: CMD fails.
expect() { d=$1; shift; if "$@" >"$out" 2>&1; then ok "$d"; else ko "$d"; fi; }
refuse() { d=$1; shift; if "$@" >"$out" 2>&1; then ko "$d"; else ok "$d"; fi; }
has() { grep -Eq -- "$1" "$out"; }
says() { if has "$2"; then ok "$1"; else ko "$1"; fi; }
# check DESC CMD...: CMD (a comparison of the test) succeeds; its output is
# added to $out for the report. Clear $out first (: >"$out").
check() { d=$1; shift; if "$@" >>"$out" 2>&1; then ok "$d"; else ko "$d"; fi; }
in_lab() { sh "$LAB" exec "$lab" -- "$@"; }

# ------------------------------------------------------------------ lab
# shellcheck disable=SC2086 # AD_LAB_OPTS: options, split on blanks
if ! sh "$LAB" start "$lab" ${AD_LAB_OPTS:-} >"$tmp/start.out" 2>&1; then
	cp "$tmp/start.out" "$out"
	ko "samba.sh start${AD_LAB_OPTS:+ $AD_LAB_OPTS}"
	finish
fi
ok "samba.sh start${AD_LAB_OPTS:+ $AD_LAB_OPTS}: ${AD_STARTED:-two Samba AD DCs}"

dc() {
	# shellcheck source=/dev/null
	. "$lab/$1/dc.env"
}
other() { if [ "$1" = dc1 ]; then echo dc2; else echo dc1; fi; }

# ad_block X: X's block of the minimal configuration (tests/lab/samba_conf.sh:
# ldap_uri, a simple bind as Administrator, ldaps; the names trustmgr is
# called with are the NetBIOS names, the rest is read from the directory).
# shellcheck source-path=SCRIPTDIR source=../lab/samba_conf.sh
. "$(dirname "$0")/../lab/samba_conf.sh"
ad_block() { samba_conf_block "$lab" "$1"; }
# ad_conf STATE_DIR [X...]: a trustmgr.conf with state (and audit) in
# STATE_DIR and the minimal block of each DC X.
ad_conf() {
	echo "[trustmgr]"
	echo "    state_dir = $1"
	echo "[domains]"
	shift
	for _x; do ad_block "$_x"; done
}
# The minimal configuration of both DCs; state and audit in the test's folder.
conf=$tmp/trustmgr.conf
mkdir -p "$tmp/home" "$tmp/state"
ad_conf "$tmp/state" dc1 dc2 >"$conf"
# tm ARG...: trustmgr in the lab's namespace with this configuration only.
# TM_CONF / TM_KRB5 / TM_KILL / TM_CC (when set) replace the configuration
# and the krb5.conf, set the test hook TM_TEST_KILL_AFTER_STEP, and the
# credential cache (KRB5CCNAME; else the lab's).
tm() {
	in_lab env TRUSTMGR_CONFIG="${TM_CONF:-$conf}" KRB5_CONFIG="${TM_KRB5:-$lab/krb5.conf}" \
		${TM_CC:+"KRB5CCNAME=$TM_CC"} \
		TM_TEST_KILL_AFTER_STEP="${TM_KILL:-}" HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" \
		XDG_STATE_HOME="$tmp/home/state" XDG_CONFIG_HOME="$tmp/home/config" "$BIN" "$@" </dev/null
}
# tm_rc RC DESC ARG...: trustmgr exits with RC ("nz": not 0); output in $out
# (standard error alone in $tmp/err). In a subshell: a process the test
# hook kills is reported there, not on the test's output.
tm_rc() {
	want=$1 d=$2; shift 2
	(tm "$@" >"$tmp/stdout" 2>"$tmp/err")
	rc=$?
	cat "$tmp/stdout" "$tmp/err" >"$out"
	case $want in
	nz) if [ "$rc" -ne 0 ]; then ok "$d (exit $rc)"; else ko "$d: exit 0, wanted non-zero"; fi ;;
	*) if [ "$rc" -eq "$want" ]; then ok "$d"; else ko "$d: exit $rc, wanted $want"; fi ;;
	esac
}
restart() {
	if sh "$LAB" restart "$lab" >"$out" 2>&1; then ok "samba.sh restart ($1)"; else ko "samba.sh restart ($1)"; fi
}

# Passwords: 0600 files, never on a command line.
# secret_file FILE WORD: a new random password WORD-...-Tm1 in FILE (0600).
secret_file() { (umask 077 && printf '%s-%s-Tm1\n' "$2" "$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')" >"$1"); }
# utf16 FILE: the first line of FILE in UTF-16LE, as hex (ndrdump's bytes).
utf16() { head -n 1 "$1" | tr -d '\n' | iconv -f UTF-8 -t UTF-16LE | od -An -tx1 -v | tr -d ' \n'; }
# no_password_kept PWFILE...: one check, no password (the first line of the
# DCs' admin.pw and of each PWFILE) in trustmgr's state, audit or home
# folders or in $conf.
no_password_kept() {
	# (one password a line, no empty line: grep -F -f would match everything)
	for _f in "$lab/dc1/admin.pw" "$lab/dc2/admin.pw" "$@"; do head -n 1 "$_f"; echo; done |
		grep -v '^$' >"$tmp/pws"
	: >"$out"
	if grep -rlF -f "$tmp/pws" "$tmp/state" "$tmp/home" "$conf" >"$out" 2>/dev/null; then
		ko "a password is in trustmgr's state, home or configuration files"
	else
		ok "no password in trustmgr's state, audit or configuration files"
	fi
	rm -f "$tmp/pws"
}

# ------------------------------------------------------------------ Samba's view
# ldb X FILTER [ATTR...]: X's sam.ldb, LDIF with folded lines joined.
ldb() {
	_x=$1; shift
	ldbsearch -H "$lab/$_x/private/sam.ldb" "$@" 2>/dev/null | sed ':a;N;$!ba;s/\n //g'
}
# tdos X: the DNs of X's trustedDomain objects. accounts X: its trust
# accounts (userAccountControl INTERDOMAIN_TRUST_ACCOUNT 0x800), by name.
tdos() { ldb "$1" '(objectClass=trustedDomain)' dn | sed -n 's/^dn: //p'; }
accounts() {
	ldb "$1" '(userAccountControl:1.2.840.113556.1.4.803:=2048)' sAMAccountName |
		sed -n 's/^sAMAccountName: //p'
}
# no_trust X: X holds no TDO and no trust account (what ldbsearch found is
# printed for the report).
no_trust() {
	_t=$(tdos "$1") _a=$(accounts "$1")
	[ -z "$_t$_a" ] && return 0
	echo "$1's sam.ldb still holds: TDOs [$_t] trust accounts [$_a]"
	return 1
}
# one_trust X: exactly one TDO (for the partner) and one trust account (the
# partner's NetBIOS name + $) on X.
one_trust() {
	dc "$(other "$1")"
	_t=$(tdos "$1") _a=$(accounts "$1")
	if [ "$_t" = "CN=$DC_DNS,CN=System,$(dc "$1"; echo "$DC_BASE")" ] && [ "$_a" = "$DC_NETBIOS\$" ]; then
		return 0
	fi
	echo "$1's sam.ldb holds: TDOs [$_t] trust accounts [$_a]; wanted one TDO for $DC_DNS and $DC_NETBIOS\$"
	return 1
}
# st X SUBCOMMAND...: samba-tool domain trust SUBCOMMAND on X (no -U).
st() {
	_x=$1; shift
	in_lab samba-tool domain trust "$@" -s "$lab/$_x/etc/smb.conf" </dev/null
}
# validate X: samba-tool domain trust validate on X for the other's domain,
# logged on to it as its Administrator (PASSWD_FILE).
validate() {
	dc "$(other "$1")"; _dns=$DC_DNS _realm=$DC_REALM _pw=$DC_PW
	in_lab env PASSWD_FILE="$_pw" samba-tool domain trust validate "$_dns" \
		-s "$lab/$1/etc/smb.conf" -U "Administrator@$_realm" </dev/null
}
# dc_check_agrees X: DC X's own check as verify --json reports it
# (dc_check) against samba-tool validate's local part on X: WERR_OK when
# its CONNECTION and TRUST are both WERR_OK, else the one that is not (a
# trust just made again has TRUST WERR_ACCOUNT_DISABLED on Samba until
# the DC restarts).
dc_check_agrees() {
	dc "$1"; _nb=$DC_NETBIOS
	(tm verify SAMBA SAMBA2 --json >"$tmp/dcv.json" 2>&1)
	validate "$1" >"$tmp/val" 2>&1
	_line=$(grep -o 'LocalValidation: DC\[[^]]*\] CONNECTION\[[A-Z_]*\] TRUST\[[A-Z_]*\]' "$tmp/val" | head -n 1)
	[ -n "$_line" ] || { cat "$tmp/val"; return 1; }
	_conn=$(echo "$_line" | sed 's/.*CONNECTION\[\([A-Z_]*\)\].*/\1/')
	_trust=$(echo "$_line" | sed 's/.*TRUST\[\([A-Z_]*\)\].*/\1/')
	if [ "$_conn" != WERR_OK ]; then _want="connection $_conn"
	elif [ "$_trust" != WERR_OK ]; then _want="trust $_trust"
	else _want=WERR_OK; fi
	_got=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print([r["dc_check"] for r in d["directions"] if r["trusting"] == sys.argv[2]][0])' "$tmp/dcv.json" "$_nb") ||
		{ cat "$tmp/dcv.json"; return 1; }
	echo "samba-tool on $1: $_line; trustmgr's dc_check for $_nb: $_got"
	[ "$_got" = "$_want" ]
}
# when TEXT WHEN: a check's text with WHEN where AD_WHEN puts it.
when() { if [ "${AD_WHEN:-}" = last ]; then echo "$1 ($2)"; else echo "$2: $1"; fi; }
# validated X WHEN: validate X (output in $out) says OK: LocalValidation, no ERROR.
validated() {
	validate "$1" >"$out" 2>&1
	if has "OK: LocalValidation" && ! has "ERROR"; then
		ok "$(when "$1: samba-tool domain trust validate: OK: LocalValidation" "$2")"
	else
		ko "$(when "$1: samba-tool domain trust validate" "$2")"
	fi
}
# st_show_is X TYPE DIR ATTR: samba-tool domain trust show on X for the
# other's domain says Type, Direction and Attributes as given.
st_show_is() {
	dc "$(other "$1")"
	st "$1" show "$DC_DNS" >"$tmp/st.show" 2>&1 || { cat "$tmp/st.show"; return 1; }
	grep -q "^Type: .*($2)" "$tmp/st.show" && grep -q "^Direction: .*($3)" "$tmp/st.show" &&
		grep -q "^Attributes: .*($4)" "$tmp/st.show" && return 0
	cat "$tmp/st.show"
	return 1
}
# crosses X Y: Administrator of X's realm (kinit, password on stdin, a new
# ccache) gets a ticket for cifs/ of Y's DC across the trust.
crosses() {
	dc "$2"; _svc="cifs/$DC_FQDN@$DC_REALM"
	dc "$1"
	_cc=FILE:$tmp/ccache.$1
	in_lab env KRB5CCNAME="$_cc" kdestroy >/dev/null 2>&1
	in_lab env KRB5CCNAME="$_cc" kinit "Administrator@$DC_REALM" <"$DC_PW" >/dev/null || return 1
	in_lab env KRB5CCNAME="$_cc" kvno "$_svc"
}
crosses_both() { # crosses_both WHEN
	expect "$(when "kinit Administrator@SAMBA.TEST, kvno cifs/dc2.samba2.test@SAMBA2.TEST" "$1")" crosses dc1 dc2
	expect "$(when "kinit Administrator@SAMBA2.TEST, kvno cifs/dc1.samba.test@SAMBA.TEST" "$1")" crosses dc2 dc1
}
# blob X ATTR FILE: X's trustAuthIncoming/Outgoing, base64-decoded.
blob() {
	ldb "$1" '(objectClass=trustedDomain)' "$2" | sed -n "s/^$2:: //p" | base64 -d >"$3" 2>/dev/null &&
		[ -s "$3" ]
}
# clear_of X ATTR current|previous: the CLEAR secret (hex) of X's blob as
# ndrdump decodes it; empty when there is none.
clear_of() {
	blob "$1" "$2" "$tmp/blob" || return 0
	ndrdump drsblobs trustAuthInOutBlob struct "$tmp/blob" 2>/dev/null | awk -v want="$3" '
		/^ *current: struct AuthenticationInformationArray/ { sec = "current" }
		/^ *previous: struct AuthenticationInformationArray/ { sec = "previous" }
		/clear: struct AuthInfoClear/ { on = 1; v = ""; next }
		on && /^ *\[[0-9]+\] *: 0x/ { sub(/.*: 0x/, ""); v = v substr($0, 1, 2); next }
		on && /size|password: ARRAY/ { next }
		on { on = 0; if (sec == want) { print v; exit } }'
}
# same_secret X ATTR_X Y ATTR_Y: the current CLEAR secrets are equal bytes.
same_secret() {
	_a=$(clear_of "$1" "$2" current) _b=$(clear_of "$3" "$4" current)
	[ -n "$_a" ] && [ "$_a" = "$_b" ] && return 0
	echo "ndrdump: $1 $2 current CLEAR = ${_a:-none} (${#_a} hex digits)"
	echo "ndrdump: $3 $4 current CLEAR = ${_b:-none} (${#_b} hex digits)"
	return 1
}
ends_equal() { # ends_equal WHEN: both directions' CLEAR equal across the ends
	: >"$out"; check "$1: ndrdump: dc1's trustAuthIncoming = dc2's trustAuthOutgoing (CLEAR bytes)" \
		same_secret dc1 trustAuthIncoming dc2 trustAuthOutgoing
	: >"$out"; check "$1: ndrdump: dc2's trustAuthIncoming = dc1's trustAuthOutgoing (CLEAR bytes)" \
		same_secret dc2 trustAuthIncoming dc1 trustAuthOutgoing
}
# is_password X FILE: current and previous of both of X's blobs are FILE's
# password in UTF-16LE.
is_password() {
	_want=$(utf16 "$2") _bad=0
	for _a in trustAuthIncoming trustAuthOutgoing; do
		for _w in current previous; do
			_v=$(clear_of "$1" "$_a" "$_w")
			if [ "$_v" != "$_want" ]; then
				echo "ndrdump: $1 $_a $_w CLEAR is ${_v:-missing} (${#_v} hex digits), not the password (${#_want})"
				_bad=1
			fi
		done
	done
	return "$_bad"
}
