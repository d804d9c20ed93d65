# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# bench/lib.sh - helpers of the benchmarks (sourced by bench/run.sh).
# Timing goes through bench/tmrun (wall time, peak memory), terminal bytes
# through bench/ttybytes; each scenario runs trustmgr and the standard tool
# interleaved, REPS times each, and records medians and their ratio.

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# median FILE COLUMN: the median of one column of numbers (lower middle).
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit } print v[int((NR + 1) / 2)] }'
}

# run_timed OUT -- COMMAND...: append "secs rss rc" of one run to OUT; a
# command that fails makes the whole scenario fail (its stderr is shown).
run_timed() {
	out=$1; shift 2
	line=$("$TMRUN" -- "$@" 2>"$WORK/err") || die "tmrun failed: $*"
	set -- $line
	if [ "$3" != 0 ]; then
		sed 's/^/    /' "$WORK/err" >&2
		die "exit status $3 from a timed command (scenario $SCN)"
	fi
	echo "$line" >>"$out"
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "null" }'; }

# meets VALUE OP LIMIT: "met" or "missed".
meets() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "<=") ? (v <= l) : (v < l); print ok ? "met" : "missed" }'
}

# record NAME TM STD UNIT RATIO CHECK OP LIMIT NOTE: one result line (text
# and JSON); CHECK (the ratio, or an absolute figure) is held against LIMIT.
record() {
	res=$(meets "$6" "$7" "$8")
	printf '%-40s %12s %12s %-5s %7s  %-2s %-6s %-6s %s\n' "$1" "$2" "$3" "$4" "$5" "$7" \
		"$8" "$res" "$9" >>"$RESULTS"
	[ -s "$JSON" ] && printf ',\n' >>"$JSON"
	printf '  {"scenario": "%s", "trustmgr": %s, "standard": %s, "unit": "%s", "ratio": %s, "checked": %s, "target": "%s %s", "result": "%s", "note": "%s"}' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$res" "$9" >>"$JSON"
}

# pair NAME REPS OP TARGET NOTE: run tm_NAME and std_NAME interleaved (and
# reset_NAME before each run when defined); record medians and the ratio.
pair() {
	SCN=$1
	: >"$WORK/$1.tm"
	: >"$WORK/$1.std"
	i=0
	while [ "$i" -lt "$2" ]; do
		if command -v "reset_$1" >/dev/null 2>&1; then "reset_$1"; fi
		"tm_$1" "$WORK/$1.tm"
		if command -v "reset_$1" >/dev/null 2>&1; then "reset_$1"; fi
		"std_$1" "$WORK/$1.std"
		i=$((i + 1))
	done
	a=$(median "$WORK/$1.tm" 1)
	b=$(median "$WORK/$1.std" 1)
	r=$(ratio "$a" "$b")
	record "$1" "$a" "$b" s "$r" "$r" "$3" "$4" "$5"
	say "$1: trustmgr $a s, standard $b s"
}

# lab_domain X: load the variables of lab domain X (D_*, LDAP_URI, ...).
lab_domain() { . "$LAB/$1/domain.env"; }

# ldap_list OUT X [ATTR...]: one timed ldapsearch of every TDO of lab domain
# X, paged as trustmgr pages (500 a page), StartTLS and admin bind as
# trustmgr; every attribute, or only the ATTRs named.
ldap_list() {
	out=$1 x=$2
	shift 2
	lab_domain "$x"
	run_timed "$out" -- ldapsearch -LLL -ZZ -H "$LDAP_URI" -x -D "cn=admin,$D_BASE" \
		-y "$D_DIR/ldap-admin.pw" -E pr=500/noprompt -b "cn=System,$D_BASE" \
		'(objectClass=trustedDomain)' "$@"
}

# The attributes `trustmgr list` reads (backend/ldap/tdoattr.c, TDOATTR_LISTED).
LISTED_ATTRS="trustPartner flatName trustDirection trustType trustAttributes"


# slapd_reload X LDIF: stop X's slapd, raise its database size limit, load
# LDIF offline with slapadd (much faster than ldapadd for 100,000 entries),
# start slapd again as lab.sh did (same URIs, config and pidfile).
slapd_reload() {
	lab_domain "$1"
	pid=$(cat "$D_DIR/slapd.pid")
	kill "$pid"
	tail --pid="$pid" -s 0.05 -f /dev/null
	sed -i 's/^maxsize .*/maxsize 8589934592/' "$D_DIR/slapd.conf"
	slapadd -q -f "$D_DIR/slapd.conf" -l "$2" >"$WORK/slapadd.log" 2>&1 ||
		{ cat "$WORK/slapadd.log" >&2; die "slapadd refused the TDOs of $1"; }
	setsid slapd -d 256 -f "$D_DIR/slapd.conf" -h "$LDAP_URI $LDAPS_URI $LDAPI_URI" \
		</dev/null >>"$D_DIR/slapd.log" 2>&1 &
	tries=0
	until ldapsearch -LLL -Y EXTERNAL -H "$LDAPI_URI" -s base -b "$D_BASE" dn \
		>/dev/null 2>&1 && [ -s "$D_DIR/slapd.pid" ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 200 ] || die "slapd of $1 did not come back"
		sleep 0.1   # a server starting, not trustmgr: bounded readiness poll
	done
}
