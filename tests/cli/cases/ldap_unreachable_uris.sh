# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: with every LDAP server of a domain down, the message names each
# URI that was tried, in order, and why each one failed (not only one of
# them), says how long each was given, and what to check. Two ports of
# 127.0.0.1 that nobody listens on: refused at once, so no waiting.
. "$TM_LIB"

ports=$("$TM_PYTHON" -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
set -- $ports
P1=$1
P2=$2
pwfile bind.pw 'Bind-pw-not-used-1'
chmod 600 bind.pw
cat >trustmgr.conf <<CONF
[trustmgr]
	state_dir = $PWD/state
	timeout = 3
[domains]
	A = {
		dns_name = a.example
		netbios_name = A
		sid = S-1-5-21-1-2-3
		functional_level = 2016
		ldap_uri = ldap://127.0.0.1:$P1/
		ldap_uri = ldap://127.0.0.1:$P2/
		base_dn = dc=a,dc=example
		bind = simple
		bind_dn = cn=admin,dc=a,dc=example
		bind_password_file = bind.pw
		tls = none
	}
CONF

tm --config trustmgr.conf list A
expect_rc 4
err_has "STATUS_NO_LOGON_SERVERS"
err_has "Cannot reach the directory of domain A: tried ldap://127.0.0.1:$P1/ (the connection was refused"
err_has "then ldap://127.0.0.1:$P2/ (the connection was refused"
err_has "in that order, waiting up to 3 s for each"
err_has "the 2 ldap_uri values named"
err_lacks "Bind-pw-not-used-1"

# One URI: named with its reason too.
sed -i "/127.0.0.1:$P2/d" trustmgr.conf
tm --config trustmgr.conf list A
expect_rc 4
err_has "tried ldap://127.0.0.1:$P1/ (the connection was refused"
err_has "waiting up to 3 s"
exit 0
