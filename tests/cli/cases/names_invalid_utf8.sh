# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: names that are not valid UTF-8 (or hold control characters)
# are refused, on the command line and in trustmgr.conf, and never printed
# raw: the message shows each such byte as \xHH, so a terminal sees only
# valid text. Nothing is added.
. "$TM_LIB"

# stderr is valid UTF-8 with no control character but the line ends.
err_clean() {
	"$TM_PYTHON" -c 'import sys
b = open(sys.argv[1], "rb").read()
b.decode("utf-8")
bad = [c for c in b if (c < 0x20 and c != 0x0a) or c == 0x7f]
sys.exit(1 if bad else 0)' "$ERR" || fail "stderr holds raw bytes that are not valid text"
}

add_corp
before=$(store_sum)

tm domain add "$(printf 'BA\377D')" --dns bad.example --netbios BAD \
	--sid S-1-5-21-1-2-3 --functional-level 2016
expect_rc 3
err_has 'The domain name "BA\xffD" is not valid UTF-8 text'
err_clean

tm domain add "$(printf 'A\302\205B')" --kind mit --realm AB.EXAMPLE
expect_rc 3
err_has 'The domain name "A\xc2\x85B" may not contain'
err_clean

tm domain add GOOD --dns "$(printf 'b\303.example')" --netbios GOOD \
	--sid S-1-5-21-1-2-4 --functional-level 2016
expect_rc 3
err_has '"b\xc3.example" is not a valid DNS name: the label "b\xc3"'
err_clean

tm domain add GOOD --dns good.example --netbios "$(printf 'G\351')" \
	--sid S-1-5-21-1-2-4 --functional-level 2016
expect_rc 3
err_has '"G\xe9" is not a valid NetBIOS name: it is not valid UTF-8 text'
err_clean

tm domain add GOOD --dns good.example --netbios "$(printf 'G\033[2J')" \
	--sid S-1-5-21-1-2-4 --functional-level 2016
expect_rc 3
err_has '"G\x1b[2J" is not a valid NetBIOS name: it contains a control character'
err_clean

tm domain add GOOD --kind mit --realm "$(printf 'R\200.EX')"
expect_rc 3
err_has '"R\x80.EX" is not a valid realm name'
err_clean

[ "$(store_sum)" = "$before" ] || fail "a refused name changed the store"
tm domain list
expect_rc 0
out_lacks "GOOD"
out_lacks "BA"

# Valid UTF-8 outside ASCII is a name like any other.
tm domain add "$(printf 'Caf\303\251')" --kind mit --realm CAFE.EXAMPLE
expect_rc 0
tm domain list
out_has "$(printf 'Caf\303\251')"

# The same in trustmgr.conf: the block's name and a name inside a block.
pwfile bind.pw 'Bind-pw-not-used-1'
chmod 600 bind.pw
conf() {
	cat >trustmgr.conf <<CONF
[domains]
	$1 = {
		dns_name = $2
		netbios_name = A
		sid = S-1-5-21-1-2-3
		functional_level = 2016
		ldap_uri = ldap://127.0.0.1:1/
		base_dn = dc=a,dc=example
		bind = simple
		bind_dn = cn=admin,dc=a,dc=example
		bind_password_file = bind.pw
		tls = none
	}
CONF
}
conf "$(printf 'A\377')" a.example
tm --config trustmgr.conf list A
expect_rc 3
err_has 'trustmgr.conf: domain A\xff: The domain name "A\xff" is not valid UTF-8 text'
err_clean
conf "$(printf 'A\033]0;x\007')" a.example
tm --config trustmgr.conf list A
expect_rc 3
err_has 'domain A\x1b]0;x\x07: The domain name "A\x1b]0;x\x07" may not contain'
err_clean
conf A "$(printf 'a\303.example')"
tm --config trustmgr.conf list A
expect_rc 3
err_has 'domain A: key dns_name: "a\xc3.example" is not a valid DNS name'
err_clean
exit 0
