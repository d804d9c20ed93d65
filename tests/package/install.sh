#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
#
# `make install` and `make uninstall` into a scratch DESTDIR (the "install"
# suite of make check):
#
#   sh tests/package/install.sh [BUILD]     (BUILD: the build folder, default build)
#
# Installs with the default PREFIX (/usr/local) and checks, with standard
# tools, the documented layout file by file (and nothing more), modes, that
# the installed binary runs and has its version, that the bash completion
# sourced in bash completes commands and options, that slapadd takes the
# cn=config LDIF into a scratch cn=config and then a trustedDomain entry,
# that the example configuration parses, that logrotate rotates with the
# shipped file, and that systemd-analyze accepts the units (skipped, with
# the reason, when it is missing). Then `make uninstall` must leave exactly
# the files that were there before. The last line is
# "install: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/package/lib.sh"
SUITE=install
build=${1:-build}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
dest=$tmp/root
mkdir -p "$dest/usr/local/sbin" "$dest/etc/logrotate.d"
# Files of others, there before: uninstall must leave them and their folders.
echo other >"$dest/usr/local/sbin/other-tool"
echo other >"$dest/etc/logrotate.d/other"

# make with the variables of a make that runs this suite (WERROR=1...: the
# same release build), without its jobserver, which this shell does not get
flags=$(printf ' %s ' "${MAKEFLAGS:-}" | sed -e 's/ --jobserver-[^ ]*//g' -e 's/ -j[0-9]*//g')
tm_make() {
	env -u MFLAGS -u MAKELEVEL MAKEFLAGS="$flags" make -C "$top" --no-print-directory \
		BUILD="$build" "$@"
}

if ! tm_make install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
	fail "make install DESTDIR=$dest"
	sed 's/^/    | /' "$tmp/install.log" | tail -n 30
	finish
	exit 1
fi

# ---- the layout, file by file --------------------------------------------------
P=/usr/local
# The LSA helper's modules (its launcher loads them), each with its
# compiled form, whose name carries the Python version (cpython-311).
modules="protocol tdo netlogon core"
pytag=$(/usr/bin/python3 -c 'import sys; print(sys.implementation.cache_tag)')
{
	echo "$P/libexec/trustmgr/trustmgr_lsa.py 755"
	for m in $modules; do
		echo "$P/libexec/trustmgr/trustmgr_lsa_$m.py 644"
		echo "$P/libexec/trustmgr/__pycache__/trustmgr_lsa_$m.$pytag.pyc 644"
	done
} >"$tmp/want"
cat >>"$tmp/want" <<EOF
$P/sbin/trustmgr 755
$P/share/man/man8/trustmgr.8 644
$P/share/trustmgr/trustmgr.schema 644
$P/share/trustmgr/trustmgr.ldif 644
$P/share/trustmgr/trustmgr.conf.example 644
$P/share/trustmgr/installed-folders 644
$P/share/bash-completion/completions/trustmgr 644
$P/lib/systemd/system/trustmgr-rotate.service 644
$P/lib/systemd/system/trustmgr-rotate.timer 644
/etc/logrotate.d/trustmgr 644
$P/sbin/other-tool 644
/etc/logrotate.d/other 644
EOF
(cd "$dest" && find . ! -type d -exec stat -c '%n %a' {} + | sed 's|^\.||') >"$tmp/got"
same_list "make install: the documented files with their modes, nothing else" "$tmp/want" "$tmp/got"
check "the man page, schema and example are the tree's" sh -c '
	cmp "$1/docs/trustmgr.8" "$2/share/man/man8/trustmgr.8" &&
	cmp "$1/schema/trustmgr.schema" "$2/share/trustmgr/trustmgr.schema" &&
	cmp "$1/dist/trustmgr.conf.example" "$2/share/trustmgr/trustmgr.conf.example" &&
	cmp "$1/backend/ad/trustmgr_lsa.py" "$2/libexec/trustmgr/trustmgr_lsa.py" &&
	for m in $3; do
		cmp "$1/backend/ad/trustmgr_lsa_$m.py" "$2/libexec/trustmgr/trustmgr_lsa_$m.py" || exit 1
	done' x "$top" "$dest$P" "$modules"

# The installed helper answers hello, and Python loads each of its modules
# from the compiled form make install wrote (python3 -v names the file a
# module's code came from), which is checked against the source's hash
# (PEP 552 flags: 3) and names the installed path, not the staging copy.
helper_check() {
	lsa=$dest$P/libexec/trustmgr
	printf 'hello version=31\nquit\n' |
		/usr/bin/python3 -I -v "$lsa/trustmgr_lsa.py" >"$tmp/hello.out" 2>"$tmp/hello.err" ||
		{ echo "the installed helper failed"; cat "$tmp/hello.out" "$tmp/hello.err"; return 1; }
	head -n 1 "$tmp/hello.out" | grep -q '^ok ' ||
		{ echo "no ok to hello:"; cat "$tmp/hello.out"; return 1; }
	for m in $modules; do
		pyc=$lsa/__pycache__/trustmgr_lsa_$m.$pytag.pyc
		grep -qF "code object from '$pyc'" "$tmp/hello.err" ||
			{ echo "python3 -v shows no load of $pyc:"; grep trustmgr_lsa "$tmp/hello.err"; return 1; }
		/usr/bin/python3 -I - "$pyc" "$P/libexec/trustmgr/trustmgr_lsa_$m.py" <<'PY' || return 1
import marshal, sys
data = open(sys.argv[1], "rb").read()
if int.from_bytes(data[4:8], "little") != 3:
    sys.exit("%s is not checked against its source's hash" % sys.argv[1])
name = marshal.loads(data[16:]).co_filename
if name != sys.argv[2]:
    sys.exit("%s names %s" % (sys.argv[1], name))
PY
	done
}
check "the installed LSA helper answers hello, loading its modules compiled (by hash) by make install" \
	helper_check

# ---- the binary ----------------------------------------------------------------------
bin=$dest$P/sbin/trustmgr
version=$(sed -n '1s/^trustmgr (\([^)]*\)).*/\1/p' "$top/debian/changelog")
check "the installed binary runs: --version says trustmgr $version (debian/changelog)" \
	sh -c '[ "$("$1" --version)" = "trustmgr $2" ]' x "$bin" "$version"
check "the binary looks for the LSA helper where it is installed ($P/libexec/trustmgr)" \
	grep -qa "$P/libexec/trustmgr" "$bin"
check "the installed binary is a release build (no TM_TEST_ hooks)" \
	sh -c '! grep -qa TM_TEST_ "$1"' x "$bin"
check "the man page names every installed file" sh -c '
	for f in /usr/sbin/trustmgr /usr/libexec/trustmgr/trustmgr_lsa.py \
		/usr/share/trustmgr/trustmgr.schema /usr/share/trustmgr/trustmgr.ldif \
		/usr/share/trustmgr/trustmgr.conf.example \
		/usr/share/bash\\-completion/completions/trustmgr \
		/lib/systemd/system/trustmgr\\-rotate.service /lib/systemd/system/trustmgr\\-rotate.timer \
		/etc/logrotate.d/trustmgr /var/lib/trustmgr /var/log/trustmgr/audit.log; do
		grep -qF -- "$f" "$1" || { echo "trustmgr.8 does not name $f"; exit 1; }
	done' x "$top/docs/trustmgr.8"

# ---- bash completion -------------------------------------------------------------------
comp=$dest$P/share/bash-completion/completions/trustmgr
# complete WORD...: what the completion offers for the last word, sorted
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _trustmgr
		printf "%s\n" "${COMPREPLY[@]}"' x "$comp" "$@" | LC_ALL=C sort
}
"$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' \
	>"$tmp/commands"
grep '^re' "$tmp/commands" | LC_ALL=C sort -u >"$tmp/want-re"
complete_words trustmgr re >"$tmp/got-re"
check "the help lists commands starting with re" test -s "$tmp/want-re"
same_list "completion: 'trustmgr re' gives the commands of --help starting with re" \
	"$tmp/want-re" "$tmp/got-re"
"$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on && $1 == "tdo" { print $2 }' \
	>"$tmp/want-tdo"
complete_words trustmgr --json tdo '' >"$tmp/got-tdo"
same_list "completion: 'trustmgr --json tdo ' gives tdo's subcommands" "$tmp/want-tdo" "$tmp/got-tdo"
printf '%s\n' both local >"$tmp/want-sides"
complete_words trustmgr create A B --sides '' >"$tmp/got-sides"
same_list "completion: 'create A B --sides ' gives both and local" "$tmp/want-sides" "$tmp/got-sides"
printf '%s\n' --direction >"$tmp/want-dir"
complete_words trustmgr remove A B --dir >"$tmp/got-dir"
same_list "completion: 'remove A B --dir' gives --direction" "$tmp/want-dir" "$tmp/got-dir"

# ---- the cn=config LDIF in a scratch slapd configuration -----------------------------
ldif=$dest$P/share/trustmgr/trustmgr.ldif
schema=/etc/ldap/schema
slapd_check() {
	command -v slapadd >/dev/null || { echo "slapadd is missing (apt-get install slapd)"; return 1; }
	mkdir "$tmp/slapd.d" "$tmp/db"
	{
		printf 'dn: cn=config\nobjectClass: olcGlobal\ncn: config\n\n'
		printf 'dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n'
		printf 'olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n\n'
		printf 'dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n'
		for s in core cosine inetorgperson nis msuser; do cat "$schema/$s.ldif"; echo; done
	} >"$tmp/base.ldif"
	printf 'dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\n%s\n%s\n%s\n%s\n' \
		'objectClass: olcMdbConfig' 'olcDatabase: {1}mdb' "olcDbDirectory: $tmp/db" \
		'olcSuffix: dc=example,dc=org' >"$tmp/db.ldif"
	slapadd -n 0 -F "$tmp/slapd.d" -l "$tmp/base.ldif" &&
		slapadd -n 0 -F "$tmp/slapd.d" -l "$ldif" &&
		slapadd -n 0 -F "$tmp/slapd.d" -l "$tmp/db.ldif" &&
		slaptest -u -F "$tmp/slapd.d" || return 1
	slapcat -n 0 -F "$tmp/slapd.d" -a '(cn={5}trustmgr)' | grep -q "^olcObjectClasses: .*'trustedDomain'" ||
		{ echo "slapcat finds no trustedDomain class in cn={5}trustmgr"; return 1; }
	cat >"$tmp/data.ldif" <<'LDIF'
dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
dc: example
o: example

dn: cn=System,dc=example,dc=org
objectClass: container
cn: System

dn: cn=partner.example,cn=System,dc=example,dc=org
objectClass: trustedDomain
cn: partner.example
trustPartner: partner.example
flatName: PARTNER
trustDirection: 3
trustType: 2
trustAttributes: 8
msDS-TrustForestTrustInfo:: AAEC
LDIF
	slapadd -F "$tmp/slapd.d" -b dc=example,dc=org -l "$tmp/data.ldif" &&
		slapcat -F "$tmp/slapd.d" -b dc=example,dc=org -a '(objectClass=trustedDomain)' |
		grep -q '^msDS-TrustForestTrustInfo:: AAEC'
}
check "slapadd takes trustmgr.ldif into a scratch cn=config (after msuser), then a trustedDomain entry" \
	slapd_check

# ---- the example configuration parses ------------------------------------------------
# Its files are made (mode 0600) in a scratch folder; the servers are not there.
example_check() {
	sed -e "s|/etc/trustmgr/|$tmp/etc/|g" -e "s|/var/lib/trustmgr|$tmp/state|" \
		-e "s|/var/log/trustmgr|$tmp/log|" -e 's/^\( *timeout =\).*/\1 2/' \
		"$dest$P/share/trustmgr/trustmgr.conf.example" >"$tmp/example.conf"
	mkdir -p "$tmp/etc" "$tmp/state" "$tmp/log"
	for f in $(grep -o "$tmp/etc/[A-Za-z0-9._-]*" "$tmp/example.conf"); do
		echo not-a-secret >"$f" && chmod 600 "$f"
	done
	"$bin" --config "$tmp/example.conf" domain list >"$tmp/ex.out" 2>"$tmp/ex.err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ]; then
		echo "domain list exited $rc"; cat "$tmp/ex.out" "$tmp/ex.err"; return 1
	fi
	for d in CORP RESEARCH PARTNER; do
		grep -q "^$d " "$tmp/ex.out" || { echo "domain list lacks $d"; cat "$tmp/ex.out" "$tmp/ex.err"; return 1; }
	done
}
check "the example trustmgr.conf parses: domain list names CORP, RESEARCH and PARTNER" example_check

# ---- logrotate with the shipped file -----------------------------------------------------
logrotate_check() {
	mkdir -p "$tmp/lr"
	echo "record 1" >"$tmp/lr/audit.log"
	sed -e "s|/var/log/trustmgr/|$tmp/lr/|" -e "s/ root trustmgr$/ $(id -un) $(id -gn)/" \
		"$dest/etc/logrotate.d/trustmgr" >"$tmp/lr.conf"
	chmod 644 "$tmp/lr.conf"
	grep -q "^[[:space:]]*copytruncate" "$tmp/lr.conf" && { echo "copytruncate loses records"; return 1; }
	logrotate -f -s "$tmp/lr.state" "$tmp/lr.conf" || return 1
	[ -f "$tmp/lr/audit.log" ] && [ ! -s "$tmp/lr/audit.log" ] ||
		{ echo "no new empty audit.log after the rotation"; ls -l "$tmp/lr"; return 1; }
	[ "$(stat -c %a "$tmp/lr/audit.log")" = 660 ] ||
		{ echo "the new audit.log is not mode 660"; ls -l "$tmp/lr"; return 1; }
	[ "$(cat "$tmp/lr"/audit.log-*)" = "record 1" ] ||
		{ echo "the rotated file does not hold the record"; ls -l "$tmp/lr"; return 1; }
}
if ! command -v logrotate >/dev/null 2>&1; then
	fail "logrotate is missing (apt-get install logrotate, or sh tools/install-deps.sh)"
elif [ "$(id -u)" -ne 0 ]; then
	echo "skipped: rotating with the logrotate file needs root (its su line)"
else
	check "logrotate rotates audit.log by renaming it and creates a new one, mode 660" logrotate_check
fi

# ---- the systemd units ---------------------------------------------------------------------
units=$dest$P/lib/systemd/system
check "the service runs $P/sbin/trustmgr rotate --due, then health" sh -c '
	grep -qx "ExecStart=$2/sbin/trustmgr rotate --due" "$1" &&
	grep -qx "ExecStopPost=$2/sbin/trustmgr health" "$1" &&
	grep -qx "Group=trustmgr" "$1" && grep -qx "ProtectSystem=strict" "$1" &&
	grep -qx "ReadWritePaths=/var/lib/trustmgr /var/log/trustmgr" "$1"' \
	x "$units/trustmgr-rotate.service" "$P"
if command -v systemd-analyze >/dev/null 2>&1; then
	# verify wants the programs to exist: point the copy at the installed binary
	mkdir "$tmp/units"
	sed "s|=$P/sbin/trustmgr|=$bin|" "$units/trustmgr-rotate.service" >"$tmp/units/trustmgr-rotate.service"
	cp "$units/trustmgr-rotate.timer" "$tmp/units/"
	check "systemd-analyze verify accepts the units, without a word" sh -c '
		cd "$1" && out=$(systemd-analyze verify --man=no ./trustmgr-rotate.service \
			./trustmgr-rotate.timer 2>&1); rc=$?; printf "%s" "$out"; [ $rc -eq 0 ] && [ -z "$out" ]' \
		x "$tmp/units"
else
	echo "skipped: systemd-analyze is missing, the units were not verified (apt-get install systemd)"
fi

# ---- make uninstall -----------------------------------------------------------------------
if tm_make uninstall DESTDIR="$dest" >"$tmp/uninstall.log" 2>&1; then
	(cd "$dest" && find . -mindepth 1 | sed 's|^\.||') >"$tmp/left"
	printf '%s\n' /usr /usr/local /usr/local/sbin /usr/local/sbin/other-tool \
		/etc /etc/logrotate.d /etc/logrotate.d/other >"$tmp/want-left"
	same_list "make uninstall leaves only what was there before" "$tmp/want-left" "$tmp/left"
else
	fail "make uninstall DESTDIR=$dest"
	sed 's/^/    | /' "$tmp/uninstall.log" | tail -n 30
fi
finish
