#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
#
# The Debian package (make package-check; the "package" suite of make
# check-all):
#
#   sh tests/package/run.sh
#
# Copies the tree without build folders (git's files, committed or not,
# when this is a git checkout) into a scratch folder, builds the package
# there with dpkg-buildpackage -us -uc -b (DEB_BUILD_OPTIONS nocheck,
# parallel=2: no test runs in the package build) and inspects the .deb with
# dpkg-deb: the layout, the control fields, the maintainer scripts, the
# conffile; lintian's errors fail it when lintian is installed. As root
# (CI on a fresh machine) it then installs the package with apt-get, checks
# the group trustmgr, the folders /var/lib/trustmgr and /var/log/trustmgr
# (root:trustmgr, 2770), /usr/sbin/trustmgr --version, the enabled timer,
# then purges it and checks that everything is gone. That part is skipped,
# with the reason, when not root, when trustmgr is already installed, when
# those folders exist already (they are someone's state), or when
# TM_PACKAGE_NO_INSTALL=1 (a shared machine). The last
# line is "package: N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/package/lib.sh"
SUITE=package

missing=
for tool in dpkg-buildpackage dpkg-deb dh fakeroot tar; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	fail "missing tools:$missing (apt-get install dpkg-dev debhelper fakeroot, or sh tools/install-deps.sh)"
	finish
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tm-package.XXXXXX") || exit 1
installed=
cleanup() {
	if [ -n "$installed" ]; then
		env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq trustmgr >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- a clean copy, built ------------------------------------------------------------
mkdir "$tmp/src"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -co --exclude-standard |
		tar --null -T - -cf -) | tar -C "$tmp/src" -xf -
else
	(cd "$top" && tar --exclude='./build' --exclude='./build-*' -cf - .) | tar -C "$tmp/src" -xf -
fi
if ! (cd "$tmp/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -us -uc -b -j2) >"$tmp/build.log" 2>&1; then
	fail "dpkg-buildpackage -us -uc -b in a clean copy"
	sed 's/^/    | /' "$tmp/build.log" | tail -n 40
	finish
	exit 1
fi
version=$(sed -n '1s/^trustmgr (\([^)]*\)).*/\1/p' "$top/debian/changelog")
deb=$(ls "$tmp"/trustmgr_"$version"_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	fail "dpkg-buildpackage made no trustmgr_${version}_*.deb"
	ls "$tmp" | sed 's/^/    | /'
	finish
	exit 1
fi
passed=$((passed + 1))

# ---- what the .deb holds -----------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ n = $6; sub(/^\./, "", n); sub(/\/$/, "", n); print $1, $2, n }' \
	>"$tmp/contents"
awk '$1 !~ /^d/ { print $3 }' "$tmp/contents" >"$tmp/files"
cat >"$tmp/want-files" <<'EOF'
/usr/sbin/trustmgr
/usr/libexec/trustmgr/trustmgr_lsa.py
/usr/libexec/trustmgr/trustmgr_lsa_protocol.py
/usr/libexec/trustmgr/trustmgr_lsa_tdo.py
/usr/libexec/trustmgr/trustmgr_lsa_netlogon.py
/usr/libexec/trustmgr/trustmgr_lsa_core.py
/usr/share/man/man8/trustmgr.8.gz
/usr/share/trustmgr/trustmgr.schema
/usr/share/trustmgr/trustmgr.ldif
/usr/share/trustmgr/trustmgr.conf.example
/usr/share/bash-completion/completions/trustmgr
/lib/systemd/system/trustmgr-rotate.service
/lib/systemd/system/trustmgr-rotate.timer
/etc/logrotate.d/trustmgr
/usr/share/doc/trustmgr/copyright
/usr/share/doc/trustmgr/changelog.gz
/usr/share/doc/trustmgr/README.md.gz
/usr/share/doc/trustmgr/AD.md.gz
/usr/share/doc/trustmgr/RULES.md.gz
EOF
same_list "dpkg-deb -c: the documented files, nothing else" "$tmp/want-files" "$tmp/files"
check "dpkg-deb -c: /usr/sbin/trustmgr and the helper root-owned, 0755, its modules 0644, no compiled Python" sh -c '
	grep -qx "\-rwxr-xr-x root/root /usr/sbin/trustmgr" "$1" &&
	grep -qx "\-rwxr-xr-x root/root /usr/libexec/trustmgr/trustmgr_lsa.py" "$1" &&
	for m in protocol tdo netlogon core; do
		grep -qx "\-rw-r--r-- root/root /usr/libexec/trustmgr/trustmgr_lsa_$m.py" "$1" || exit 1
	done &&
	! grep -q "\.pyc$" "$1"' x "$tmp/contents"
check "dpkg-deb -c: /var/lib/trustmgr and /var/log/trustmgr are in the package" sh -c '
	grep -q "^d.* /var/lib/trustmgr$" "$1" && grep -q "^d.* /var/log/trustmgr$" "$1"' x "$tmp/contents"

dpkg-deb -x "$deb" "$tmp/x"
check "the packaged service runs /usr/sbin/trustmgr rotate --due, then health" sh -c '
	grep -qx "ExecStart=/usr/sbin/trustmgr rotate --due" "$1" &&
	grep -qx "ExecStopPost=/usr/sbin/trustmgr health" "$1"' x "$tmp/x/lib/systemd/system/trustmgr-rotate.service"
check "the packaged binary is a release build (no TM_TEST_ hooks) that looks in /usr/libexec/trustmgr" sh -c '
	! grep -qa TM_TEST_ "$1" && grep -qa /usr/libexec/trustmgr "$1"' x "$tmp/x/usr/sbin/trustmgr"
check "the packaged binary was built with dpkg's hardening flags (fortify, relro, bindnow)" sh -c '
	command -v readelf >/dev/null || exit 0
	readelf -d "$1" | grep -q "BIND_NOW" || { echo "not linked with -z now"; exit 1; }
	readelf -l "$1" | grep -q GNU_RELRO || { echo "not linked with -z relro"; exit 1; }
	readelf --dyn-syms -W "$1" | grep -q "__[a-z_]*_chk" ||
		{ echo "no fortified call (__*_chk): built without -D_FORTIFY_SOURCE?"; exit 1; }' \
	x "$tmp/x/usr/sbin/trustmgr"

dpkg-deb -f "$deb" Package Version Depends Recommends >"$tmp/fields"
check "dpkg-deb -f: trustmgr $version, Depends adduser, python3 and the libraries, Recommends python3-samba" sh -c '
	grep -qx "Package: trustmgr" "$1" && grep -qx "Version: $2" "$1" &&
	grep "^Depends:" "$1" | grep -q adduser && grep "^Depends:" "$1" | grep -q python3 &&
	grep "^Depends:" "$1" | grep -q libkrb5 && grep "^Depends:" "$1" | grep -q libldap &&
	grep -qx "Recommends: python3-samba" "$1"' x "$tmp/fields" "$version"
dpkg-deb -e "$deb" "$tmp/control"
check "dpkg-deb -I: /etc/logrotate.d/trustmgr is a conffile" grep -qx /etc/logrotate.d/trustmgr "$tmp/control/conffiles"
check "postinst: makes the group, sets the folders root:trustmgr 2770, enables the timer and starts no service" sh -c '
	grep -q "addgroup --system" "$1" && grep -q "chmod 2770" "$1" &&
	grep -q "trustmgr-rotate.timer" "$1" &&
	! grep -q "deb-systemd-invoke .*start.*trustmgr-rotate.service" "$1"' x "$tmp/control/postinst"

if command -v lintian >/dev/null 2>&1; then
	lintian --tag-display-limit 0 "$deb" >"$tmp/lintian" 2>&1
	grep '^W:' "$tmp/lintian" | sed 's/^/    lintian warning: /'
	check "lintian finds no error" sh -c '! grep "^E:" "$1"' x "$tmp/lintian"
else
	echo "skipped: lintian is not installed"
fi

# ---- installed with apt, then purged --------------------------------------------------------
reason=
if [ "${TM_PACKAGE_NO_INSTALL:-}" = 1 ]; then
	reason="TM_PACKAGE_NO_INSTALL=1"
elif [ "$(id -u)" -ne 0 ]; then
	reason="not root"
elif ! command -v apt-get >/dev/null 2>&1; then
	reason="no apt-get"
elif dpkg-query -W -f='${Status}' trustmgr 2>/dev/null | grep -q 'install ok installed'; then
	reason="trustmgr is installed on this machine already; it is left alone"
elif [ -e /var/lib/trustmgr ] || [ -e /var/log/trustmgr ]; then
	reason="/var/lib/trustmgr or /var/log/trustmgr exists already (someone's state; purge would remove it)"
fi
if [ -n "$reason" ]; then
	echo "skipped: installing the package ($reason)"
	finish
	exit $?
fi

installed=1
if ! (cd "$tmp" && env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends "./$(basename "$deb")") >"$tmp/apt.log" 2>&1; then
	fail "apt-get install ./$(basename "$deb")"
	sed 's/^/    | /' "$tmp/apt.log" | tail -n 30
	finish
	exit 1
fi
check "the group trustmgr exists (a system group)" sh -c '
	gid=$(getent group trustmgr | cut -d: -f3) && [ -n "$gid" ] && [ "$gid" -lt 1000 ]'
check "/var/lib/trustmgr and /var/log/trustmgr are root:trustmgr 2770" sh -c '
	[ "$(stat -c "%U:%G %a" /var/lib/trustmgr)" = "root:trustmgr 2770" ] &&
	[ "$(stat -c "%U:%G %a" /var/log/trustmgr)" = "root:trustmgr 2770" ] ||
	{ stat -c "%n %U:%G %a" /var/lib/trustmgr /var/log/trustmgr; exit 1; }'
check "postinst compiled the LSA helper's modules; the helper answers hello from them" sh -c '
	tag=$(/usr/bin/python3 -c "import sys; print(sys.implementation.cache_tag)")
	printf "hello version=31\nquit\n" | /usr/bin/python3 -I -v /usr/libexec/trustmgr/trustmgr_lsa.py \
		>"$1/hello.out" 2>"$1/hello.err" || exit 1
	head -n 1 "$1/hello.out" | grep -q "^ok " || exit 1
	for m in protocol tdo netlogon core; do
		pyc=/usr/libexec/trustmgr/__pycache__/trustmgr_lsa_$m.$tag.pyc
		[ -f "$pyc" ] && grep -qF "code object from '"'"'$pyc'"'"'" "$1/hello.err" || exit 1
	done' x "$tmp"
check "/usr/sbin/trustmgr --version says trustmgr $version" \
	sh -c '[ "$(/usr/sbin/trustmgr --version)" = "trustmgr $1" ]' x "$version"
check "the timer is enabled, the service is not" sh -c '
	[ -L /etc/systemd/system/timers.target.wants/trustmgr-rotate.timer ] &&
	! ls /etc/systemd/system/*.wants/trustmgr-rotate.service 2>/dev/null'
if command -v logrotate >/dev/null 2>&1; then
	check "logrotate reads /etc/logrotate.d/trustmgr without an error" sh -c '
		out=$(logrotate -d /etc/logrotate.d/trustmgr 2>&1); printf "%s\n" "$out" | grep "error" && exit 1
		printf "%s\n" "$out" | grep -q "/var/log/trustmgr/audit.log"'
fi

if ! env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq trustmgr >"$tmp/purge.log" 2>&1; then
	fail "apt-get purge trustmgr"
	sed 's/^/    | /' "$tmp/purge.log" | tail -n 30
fi
installed=
check "after purge: not installed, and its files, folders and timer link are gone" sh -c '
	! dpkg-query -W -f="\${Status}" trustmgr 2>/dev/null | grep -q "installed" || exit 1
	for p in /usr/sbin/trustmgr /usr/libexec/trustmgr /usr/share/trustmgr \
		/usr/share/bash-completion/completions/trustmgr /lib/systemd/system/trustmgr-rotate.service \
		/lib/systemd/system/trustmgr-rotate.timer /etc/logrotate.d/trustmgr /var/lib/trustmgr \
		/var/log/trustmgr /etc/systemd/system/timers.target.wants/trustmgr-rotate.timer; do
		if [ -e "$p" ] || [ -L "$p" ]; then echo "$p is still there"; exit 1; fi
	done'
finish
