# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# scn_setup.sh - the lab, the generated TDOs and the stores (sourced by run.sh).

header() {
	echo "# trustmgr benchmarks ($MODE run), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo |
		head -n 1), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
	echo "# $("$BIN" --version 2>/dev/null | head -n 1), git $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "# $N1 and $N2 TDOs, $NREALM principals in realm G; medians of $REPS runs ($REPS_BIG for the $N2 lists, $REPS_BUSY for the busy realm), interleaved"
	echo "# ratio = trustmgr / standard tool; bytes and memory are compared with their limit"
}

setup_lab() {
	say "starting a lab of 4 domains and 3 plain realms in $LAB"
	if ! sh "$top/tests/lab/lab.sh" start "$LAB" --domains 4 --realms 3 >"$WORK/lab.out" 2>&1; then
		say "lab start failed once; trying again"
		sh "$top/tests/lab/lab.sh" start "$LAB" --domains 4 --realms 3 >"$WORK/lab.out" 2>&1 ||
			{ tail -n 20 "$WORK/lab.out" >&2; die "the lab did not start"; }
	fi
	eval "$(sh "$top/tests/lab/lab.sh" env "$LAB")"
	export KRB5_CONFIG KRB5_KDC_PROFILE TRUSTMGR_CONFIG LDAPTLS_CACERT KRB5CCNAME
}

# tdo_template: one TDO entry as trustmgr writes it (X trusts Y both ways).
tdo_template() {
	s=$WORK/tpl-store
	"$BIN" --store "$s" domain add X --dns x.bench.test --netbios X --sid S-1-5-21-7-8-9 >/dev/null
	"$BIN" --store "$s" domain add Y --dns y.bench.test --netbios Y --sid S-1-5-21-4-5-6 >/dev/null
	"$BIN" --store "$s" create X Y >/dev/null
	awk -v RS= '/objectClass: trustedDomain/' "$s/domains/X/domain.ldif" >"$WORK/tpl.ldif"
}

# gen N BASE: N TDOs below cn=System,BASE.
gen() { awk -v n="$1" -v base="$2" -f "$top/bench/gen_tdos.awk" "$WORK/tpl.ldif"; }

# make_store N: an embedded store whose domain A holds N TDOs.
make_store() {
	s=$WORK/store-$1
	[ -d "$s" ] && return 0
	"$BIN" --store "$s" domain add A --dns a.bench.test --netbios A --sid S-1-5-21-1-2-3 >/dev/null
	f=$s/domains/A/domain.ldif
	{ cat "$f"; echo; gen "$1" dc=a,dc=bench,dc=test; } >"$f.new"
	mv "$f.new" "$f"
	chmod 600 "$f"
}

# establish_ldifs: the TDO entries the shell baseline adds (A's for B, B's
# for A), as trustmgr writes them with one supplied password.
establish_ldifs() {
	s=$WORK/est-store
	(umask 077 && openssl rand -base64 24 | tr -d '\n' >"$WORK/trust.pw")
	lab_domain A
	"$BIN" --store "$s" domain add A --dns a.lab.test --netbios A --sid "$D_SID" \
		--realm A.LAB.TEST >/dev/null
	lab_domain B
	"$BIN" --store "$s" domain add B --dns b.lab.test --netbios B --sid "$D_SID" \
		--realm B.LAB.TEST >/dev/null
	"$BIN" --store "$s" --password-file "$WORK/trust.pw" create A B --sides local >/dev/null
	"$BIN" --store "$s" --password-file "$WORK/trust.pw" create B A --sides local >/dev/null
	awk -v RS= '/objectClass: trustedDomain/' "$s/domains/A/domain.ldif" >"$WORK/est-a.ldif"
	awk -v RS= '/objectClass: trustedDomain/' "$s/domains/B/domain.ldif" >"$WORK/est-b.ldif"
}

setup_stores() {
	say "generating $N1 and $N2 TDOs (lab C and D, embedded stores)"
	tdo_template
	gen "$N1" dc=c,dc=lab,dc=test >"$WORK/c.ldif"
	slapd_reload C "$WORK/c.ldif"
	gen "$N2" dc=d,dc=lab,dc=test >"$WORK/d.ldif"
	slapd_reload D "$WORK/d.ldif"
	rm -f "$WORK/c.ldif" "$WORK/d.ldif"
	for n in $SIZES "$N1" "$N2" "$NTTY"; do make_store "$n"; done
	establish_ldifs
}
