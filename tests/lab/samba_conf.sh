# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# samba_conf.sh - sourced: the trustmgr.conf block of a DC of the Samba lab
# (tests/lab/samba.sh) as an administrator writes it, with nothing but how
# to reach the DC: kind, ldap_uri, a simple bind as Administrator (its
# password in the lab's 0600 file) and ldaps; the names, SID and levels are
# read from the directory. Used by the AD integration tests and the bench.
# shellcheck shell=sh

# samba_conf_block LAB X [local]: the block of DC X (dc1, dc2, ...) of the
# lab in LAB, named by its NetBIOS name; local: with local_dc_conf naming
# the DC's smb.conf (trustmgr run on that DC). Sets the DC_* variables of
# X's dc.env, as sourcing it does.
samba_conf_block() {
	# shellcheck source=/dev/null
	. "$1/$2/dc.env"
	echo "    $DC_NETBIOS = {"
	echo "        kind = ad"
	echo "        ldap_uri = $LDAPS_URI"
	echo "        bind = simple"
	echo "        bind_dn = CN=Administrator,CN=Users,$DC_BASE"
	echo "        bind_password_file = $DC_PW"
	echo "        tls = ldaps"
	echo "        tls_cacert = $DC_CA"
	if [ "${3:-}" = local ]; then echo "        local_dc_conf = $DC_CONF"; fi
	echo "    }"
}
