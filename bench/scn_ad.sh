# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# scn_ad.sh - trustmgr against Samba AD DCs (kind = ad), side by side with
# samba-tool on the same lab (tests/lab/samba.sh, two DCs): list, show,
# create both sides, verify vs validate, delete; in make bench's results each
# is held against the target of at most 0.5 (half samba-tool's time).
#
# Sourced by bench/run.sh like the other scn_*.sh, it defines scn_ad, which
# run.sh calls when it runs as root (the Samba lab needs network
# namespaces). Run on its own:
#
#   sh bench/scn_ad.sh [--short] BIN OUTDIR     (OUTDIR holds tmrun: make bench-bins)
#
# writes OUTDIR/results-ad.txt. Each trustmgr command and its samba-tool
# counterpart run interleaved, REPS times each, inside the lab's network
# namespace (tmrun runs there, so the namespace wrapper is not timed);
# medians and trustmgr/samba-tool ratios. Untimed resets put the trust back
# in the state a command needs. Passwords come from 0600 files only
# (bind_password_file, PASSWD_FILE).
#
# What is compared:
#   list    trustmgr list SAMBA            samba-tool domain trust list
#   show    trustmgr show SAMBA SAMBA2     samba-tool domain trust show samba2.test
#   create  trustmgr create SAMBA SAMBA2 --forest-transitive (both sides;
#           it verifies the trust as part of create)
#                                          samba-tool domain trust create
#           samba2.test --type=forest --direction=both --create-location=both
#           (which validates the trust as part of create too); before each
#           run of either the trust is deleted and the DCs restart, untimed:
#           samba-tool's validation fails right after a re-create until
#           they do (the stale secure channel of docs/LAB.md)
#   create_skip  the same trustmgr create, held against samba-tool's
#           create with --skip-validation (less work than trustmgr does)
#   verify  trustmgr verify SAMBA SAMBA2   samba-tool domain trust validate
#           samba2.test -U Administrator@SAMBA2.TEST (local and remote)
#   delete  trustmgr remove SAMBA SAMBA2 --sides both
#                                          samba-tool domain trust delete
#                                          samba2.test --delete-location=both
# Both tools run on dc1: samba-tool (-s dc1's smb.conf) reaches dc1's LSA
# over dc1's local socket as the system and dc2 over SMB; trustmgr does the
# same with local_dc_conf = dc1's smb.conf in SAMBA's block. The full run
# adds create_net and delete_net (results-ad.txt only, no target): the same
# trustmgr commands without local_dc_conf, an SMB session to each DC, as
# from an administrator's workstation.

# shellcheck shell=sh

# ad_* helpers use AD_LAB (the Samba lab's folder) and AD_CONF.
ad_in() { sh "$top/tests/lab/samba.sh" exec "$AD_LAB" -- "$@"; }

# ad_timed OUT -- COMMAND...: one timed run inside the namespace, appended
# to OUT as "secs rss rc"; a failure stops the scenario (stderr shown).
ad_timed() {
	_o=$1; shift 2
	_l=$(ad_in "$TMRUN" -- "$@" 2>"$WORK/ad.err") || die "tmrun failed: $*"
	# shellcheck disable=SC2086 # three numbers
	set -- $_l
	if [ "$3" != 0 ]; then
		sed 's/^/    /' "$WORK/ad.err" >&2
		die "exit status $3 from a timed command (scenario $SCN)"
	fi
	echo "$_l" >>"$_o"
}

ad_tm() {
	_o=$1; shift
	ad_timed "$_o" -- env TRUSTMGR_CONFIG="${AD_TM_CONF:-$AD_CONF}" HOME="$WORK/ad-home" \
		XDG_DATA_HOME="$WORK/ad-home/data" XDG_STATE_HOME="$WORK/ad-home/state" "$BIN" "$@"
}
ad_st() {
	_o=$1; shift
	ad_timed "$_o" -- samba-tool domain trust "$@" -s "$AD_LAB/dc1/etc/smb.conf"
}
ad_st_as() {
	_o=$1; shift
	ad_timed "$_o" -- env PASSWD_FILE="$AD_LAB/dc2/admin.pw" samba-tool domain trust "$@" \
		-s "$AD_LAB/dc1/etc/smb.conf" -U Administrator@SAMBA2.TEST
}

# ad_has_trust: dc1 or dc2 holds a TDO (their sam.ldb, read directly).
ad_has_trust() {
	for _x in dc1 dc2; do
		ldbsearch -H "$AD_LAB/$_x/private/sam.ldb" '(objectClass=trustedDomain)' dn 2>/dev/null |
			grep -q '^dn: ' && return 0
	done
	return 1
}
# ad_untrust: no trust between dc1 and dc2 (samba-tool, untimed).
ad_untrust() {
	ad_has_trust || return 0
	ad_in env PASSWD_FILE="$AD_LAB/dc2/admin.pw" samba-tool domain trust delete samba2.test \
		--delete-location=both -s "$AD_LAB/dc1/etc/smb.conf" -U Administrator@SAMBA2.TEST \
		</dev/null >>"$WORK/ad-reset.log" 2>&1 && return 0
	for _p in "dc1 samba2.test" "dc2 samba.test"; do
		# shellcheck disable=SC2086 # two words
		set -- $_p
		ad_in samba-tool domain trust delete "$2" --delete-location=local \
			-s "$AD_LAB/$1/etc/smb.conf" </dev/null >>"$WORK/ad-reset.log" 2>&1
	done
	! ad_has_trust || die "could not delete the trust between dc1 and dc2 (see $WORK/ad-reset.log)"
}
# ad_trust: a two-way forest trust (samba-tool, untimed, not validated).
ad_trust() {
	ad_has_trust && return 0
	ad_in env PASSWD_FILE="$AD_LAB/dc2/admin.pw" samba-tool domain trust create samba2.test \
		--type=forest --direction=both --create-location=both --skip-validation \
		-s "$AD_LAB/dc1/etc/smb.conf" -U Administrator@SAMBA2.TEST </dev/null \
		>>"$WORK/ad-reset.log" 2>&1 || die "samba-tool could not create the trust (see $WORK/ad-reset.log)"
}

# ad_pair NAME REPS NOTE [info]: tm_ad_NAME and std_ad_NAME interleaved
# (each run preceded by reset_ad_NAME when defined); medians and ratio
# recorded (info: in results-ad.txt only, held against no target).
ad_pair() {
	SCN=ad_$1
	: >"$WORK/ad_$1.tm"
	: >"$WORK/ad_$1.std"
	_i=0
	while [ "$_i" -lt "$2" ]; do
		if command -v "reset_ad_$1" >/dev/null 2>&1; then "reset_ad_$1"; fi
		"tm_ad_$1" "$WORK/ad_$1.tm"
		if command -v "reset_ad_$1" >/dev/null 2>&1; then "reset_ad_$1"; fi
		"std_ad_$1" "$WORK/ad_$1.std"
		_i=$((_i + 1))
	done
	_a=$(median "$WORK/ad_$1.tm" 1)
	_b=$(median "$WORK/ad_$1.std" 1)
	_r=$(ratio "$_a" "$_b")
	_m1=$(median "$WORK/ad_$1.tm" 2)
	_m2=$(median "$WORK/ad_$1.std" 2)
	printf '%-15s %10s %10s %7s %9s %9s  %s\n' "ad_$1" "$_a" "$_b" "$_r" "$_m1" "$_m2" "$3" >>"$AD_RESULTS"
	# In make bench's run: the issue's target, at most half samba-tool's time.
	if [ -n "${JSON:-}" ] && [ -z "${4:-}" ]; then record "ad_$1" "$_a" "$_b" s "$_r" "$_r" "<=" 0.5 "$3"; fi
	say "ad_$1: trustmgr $_a s, samba-tool $_b s, ratio $_r"
}

tm_ad_list() { ad_tm "$1" list SAMBA; }
std_ad_list() { ad_st "$1" list; }
tm_ad_show() { ad_tm "$1" show SAMBA SAMBA2; }
std_ad_show() { ad_st "$1" show samba2.test; }
# ad_restart: both DCs restart (untimed), with no secure channel cached.
ad_restart() {
	sh "$top/tests/lab/samba.sh" restart "$AD_LAB" >>"$WORK/ad-lab.out" 2>&1 ||
		die "samba.sh restart failed (see $WORK/ad-lab.out)"
}
reset_ad_create() {
	ad_untrust
	ad_restart
}
tm_ad_create() { ad_tm "$1" create SAMBA SAMBA2 --forest-transitive; }
std_ad_create() {
	ad_st_as "$1" create samba2.test --type=forest --direction=both --create-location=both
}
reset_ad_create_skip() { ad_untrust; }
tm_ad_create_skip() { tm_ad_create "$1"; }
std_ad_create_skip() {
	ad_st_as "$1" create samba2.test --type=forest --direction=both --create-location=both \
		--skip-validation
}
tm_ad_verify() { ad_tm "$1" verify SAMBA SAMBA2; }
std_ad_verify() { ad_st_as "$1" validate samba2.test; }
reset_ad_delete() { ad_trust; }
tm_ad_delete() { ad_tm "$1" remove SAMBA SAMBA2 --sides both; }
std_ad_delete() { ad_st_as "$1" delete samba2.test --delete-location=both; }
# The same create and delete with trustmgr reaching dc1 over the network
# too (no local_dc_conf: an SMB session to each DC), as from a workstation.
reset_ad_create_net() { reset_ad_create; }
tm_ad_create_net() { AD_TM_CONF=$AD_CONF_NET; tm_ad_create "$1"; AD_TM_CONF=; }
std_ad_create_net() { std_ad_create "$1"; }
reset_ad_delete_net() { reset_ad_delete; }
tm_ad_delete_net() { AD_TM_CONF=$AD_CONF_NET; tm_ad_delete "$1"; AD_TM_CONF=; }
std_ad_delete_net() { std_ad_delete "$1"; }

# ad_conf LOCAL: trustmgr.conf for the two DCs; LOCAL: dc1's block has
# local_dc_conf (trustmgr runs on dc1, as samba-tool -s dc1's smb.conf does).
ad_conf() {
	# shellcheck source-path=SCRIPTDIR source=../tests/lab/samba_conf.sh
	. "$top/tests/lab/samba_conf.sh"
	echo "[trustmgr]"
	echo "    state_dir = $WORK/ad-home/state"
	echo "[domains]"
	samba_conf_block "$AD_LAB" dc1 "$1"
	samba_conf_block "$AD_LAB" dc2
}

# scn_ad [REPS]: start the Samba lab in WORK, run the five pairs, stop it.
scn_ad() {
	_reps=${1:-${REPS:-5}}
	AD_LAB=$WORK/smb
	AD_CONF=$WORK/ad-trustmgr.conf
	AD_CONF_NET=$WORK/ad-trustmgr-net.conf
	AD_RESULTS=${AD_RESULTS:-$WORK/results-ad.txt}
	mkdir -p "$WORK/ad-home"
	say "starting a Samba lab of two DCs in $AD_LAB"
	sh "$top/tests/lab/samba.sh" start "$AD_LAB" >"$WORK/ad-lab.out" 2>&1 ||
		{ tail -n 20 "$WORK/ad-lab.out" >&2; die "the Samba lab did not start"; }
	ad_conf local >"$AD_CONF"
	ad_conf net >"$AD_CONF_NET"
	printf '%-15s %10s %10s %7s %9s %9s  %s\n' scenario trustmgr samba-tool ratio "tm KiB" "st KiB" note \
		>>"$AD_RESULTS"
	ad_trust
	ad_pair list "$_reps" "list SAMBA vs samba-tool domain trust list (one trust)"
	ad_pair show "$_reps" "show SAMBA SAMBA2 vs samba-tool domain trust show"
	ad_pair create "$_reps" "create --forest-transitive (both sides + verify) vs samba-tool trust create --create-location=both (+ its validation); DCs restarted before each run"
	ad_pair create_skip "$_reps" "the same create vs samba-tool trust create --create-location=both --skip-validation (no validation)"
	if [ "${MODE:-full}" = full ]; then
		ad_pair create_net "$_reps" "create as ad_create, trustmgr reaching dc1 over SMB too (no local_dc_conf)" info
	fi
	# validate needs a DC restart after the trust was made again (winbindd
	# keeps the old secure channel): once, untimed.
	ad_untrust
	ad_trust
	ad_restart
	ad_pair verify "$_reps" "verify SAMBA SAMBA2 (both directions, KDCs) vs samba-tool trust validate (local + remote)"
	ad_pair delete "$_reps" "remove --sides both vs samba-tool trust delete --delete-location=both"
	if [ "${MODE:-full}" = full ]; then
		ad_pair delete_net "$_reps" "remove as ad_delete, trustmgr reaching dc1 over SMB too (no local_dc_conf)" info
	fi
	sh "$top/tests/lab/samba.sh" stop "$AD_LAB" --rm >/dev/null 2>&1
}

# Run on its own (not sourced by run.sh).
case ${0##*/} in
scn_ad.sh)
	set -eu
	top=$(cd "$(dirname "$0")/.." && pwd)
	. "$top/bench/lib.sh"
	MODE=full
	if [ "${1:-}" = --short ]; then MODE=short; shift; fi
	[ $# -eq 2 ] || die "usage: scn_ad.sh [--short] BIN OUTDIR"
	BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	OUT=$(cd "$2" && pwd)
	TMRUN=$OUT/tmrun
	if [ ! -x "$BIN" ] || [ ! -x "$TMRUN" ]; then die "build first (make bench-bins)"; fi
	[ "$(id -u)" -eq 0 ] || die "the Samba lab needs root"
	if [ "$MODE" = short ]; then REPS=3; else REPS=7; fi
	WORK=$(mktemp -d /tmp/tmba-XXXXXX)
	trap 'sh "$top/tests/lab/samba.sh" stop "$WORK/smb" --rm >/dev/null 2>&1; rm -rf "$WORK"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	export LANG=C.UTF-8 TZ=UTC
	JSON=
	AD_RESULTS=$OUT/results-ad.txt
	{
		echo "# trustmgr vs samba-tool on Samba AD DCs ($MODE run), $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "# $(samba --version 2>/dev/null), $(nproc) cores; $("$BIN" --version 2>/dev/null | head -n 1), git $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')"
		echo "# medians of $REPS runs each, interleaved; seconds; ratio = trustmgr / samba-tool; peak RSS as tmrun reports it (KiB)"
	} >"$AD_RESULTS"
	scn_ad "$REPS"
	cat "$AD_RESULTS"
	echo "bench: results in $AD_RESULTS"
	;;
esac
