#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# bench/run.sh [--short] BIN OUTDIR - trustmgr side by side with the standard
# tools (ldapsearch, ldapadd, kadmin, kinit, kvno; samba-tool on Samba AD
# DCs when run as root) in one run; see
# docs/PERFORMANCE.md. `make bench` runs it in full, `make bench-short`
# (CI) with small sizes and few repetitions.
#
# Starts a lab of four real domains and three plain MIT realms
# (tests/lab/lab.sh) in a temporary folder: A and B for establishing and
# verifying a trust, C holding N1 TDOs and D holding N2 (loaded offline with
# slapadd), realms E and F for establishing a trust between plain realms and
# G holding NREALM cross-realm principals (kadmin.local); makes embedded
# stores of the same sizes; then runs each scenario's trustmgr command and
# standard command interleaved and writes medians, ratios, targets and
# met/missed to OUTDIR/results.txt and OUTDIR/results.json. OUTDIR must hold tmrun and
# ttybytes (built from bench/*.c by the Makefile). The lab is always stopped.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/lib.sh"

MODE=full
if [ "${1:-}" = --short ]; then MODE=short; shift; fi
[ $# -eq 2 ] || die "usage: run.sh [--short] BIN OUTDIR"
BIN=$1
OUT=$2
TMRUN=$OUT/tmrun
TTYBYTES=$OUT/ttybytes
[ -x "$BIN" ] && [ -x "$TMRUN" ] && [ -x "$TTYBYTES" ] || die "build first (make bench)"
if [ "$MODE" = short ]; then
	N1=100 N2=1000 SIZES="100 400 1000" REPS=3 REPS_BIG=3 NREALM=200 REPS_BUSY=3
else
	N1=2400 N2=100000 SIZES="100 2400 10000 100000" REPS=9 REPS_BIG=5 NREALM=2000 REPS_BUSY=3
fi
NTTY=1000

WORK=$(mktemp -d /tmp/tmb-XXXXXX)
LAB=$WORK/lab
trap 'sh "$top/tests/lab/lab.sh" stop "$LAB" >/dev/null 2>&1; [ ! -d "$WORK/smb" ] || sh "$top/tests/lab/samba.sh" stop "$WORK/smb" --rm >/dev/null 2>&1; rm -rf "$WORK"' EXIT INT TERM
RESULTS=$OUT/results.txt
JSON=$WORK/results.json.part
: >"$JSON"
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" \
	LANG=C.UTF-8 TZ=UTC
mkdir -p "$HOME"

for f in "$top"/bench/scn_*.sh; do . "$f"; done

setup_lab
setup_stores
: >"$RESULTS"
header >"$OUT/header.txt"
scn_list
scn_establish
scn_verify
scn_realm
if [ "$(id -u)" -eq 0 ]; then
	AD_RESULTS=$WORK/results-ad.txt scn_ad
else
	say "ad_*: skipped, the Samba lab needs root (network namespaces)"
fi
scn_console
scn_ttybytes
scn_memory
{
	cat "$OUT/header.txt"
	printf '%-40s %12s %12s %-5s %7s  %-9s %-6s %s\n' scenario trustmgr standard unit ratio \
		target result note
	cat "$RESULTS"
} >"$RESULTS.new"
mv "$RESULTS.new" "$RESULTS"
{
	printf '{"mode": "%s", "n1": %s, "n2": %s, "nrealm": %s, "results": [\n' "$MODE" "$N1" "$N2" \
		"$NREALM"
	cat "$JSON"
	printf '\n]}\n'
} >"$OUT/results.json"
rm -f "$OUT/header.txt"
cat "$RESULTS"
echo "bench: results in $RESULTS and $OUT/results.json"
