#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Install what trustmgr needs to build and to run its whole test suite on
# Debian 12; the last line of PKGS is what the package test (make
# package-check) and the install suite need: dpkg-buildpackage, debhelper,
# lintian, bash for the completion, logrotate and systemd-analyze. Runs
# apt-get as root (or through sudo when not root).
set -eu
PKGS="build-essential pkg-config libncurses-dev libldap-dev libkrb5-dev check
      valgrind strace tmux python3 ncurses-term krb5-user slapd
      ldap-utils krb5-kdc krb5-admin-server openssl
      clang libclang-rt-14-dev libsasl2-modules-gssapi-mit
      samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-common-bin
      python3-samba winbind ldb-tools samba-testsuite iproute2
      dpkg-dev debhelper fakeroot bash-completion logrotate lintian systemd"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: everything is installed"
	exit 0
fi
echo "install-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
