#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# `trustmgr namespaces` (name suffix routing of forest trusts, and a
# forest's own UPN and SPN suffixes) against three real Samba AD DCs
# (tests/lab/samba.sh --dcs 3): SAMBA has forest trusts with SAMBA2 and
# SAMBA3, made by samba-tool. trustmgr shows the records, takes SAMBA2's
# UPN and SPN suffixes (written by trustmgr over LDAP) with --refresh
# store, enables and disables TLNs, adds and deletes exclusions, disables
# and enables the NetBIOS name and the SID; --dry-run writes nothing; a
# TLN of SAMBA3 in collision with the trust with SAMBA2 is refused, and
# stored as in conflict when enable-all leaves it so. Every change is
# judged with Samba's own tools, never with trustmgr's output:
#   samba-tool domain trust namespaces (-s DIR/dcN/etc/smb.conf), which
#     reads the records through LSA and the suffixes from the DC's database,
#   ldbsearch of DIR/dcN/private/sam.ldb: msDS-TrustForestTrustInfo decoded
#     by ndrdump drsblobs ForestTrustInfo, uPNSuffixes/msDS-SPNSuffixes of
#     CN=Partitions, the TDO's uSNChanged.
# A suffix change killed half way is rolled back (judged with ldbsearch).
# Also: a change made with samba-tool shows in trustmgr, and a record
# trustmgr does not interpret (binary data, put in with ldbmodify) is kept:
# Samba's LSA takes no such record, so trustmgr's change is refused with
# the reason and the attribute stays byte for byte.
#
#   sh tests/integration/ad_namespaces_lab.sh /abs/path/to/trustmgr
#
# Prints "ad-namespaces-lab: N passed, N failed" (exit 1 on a failure);
# skips (exit 0, saying why) only when the Samba packages are not
# installed. Needs root. No password on any command line or in the
# environment: 0600 files only.
# Functions run through trap and through expect/refuse/check:
# shellcheck disable=SC2317
set -u

BIN=${1:-}
NAME=ad-namespaces-lab
AD_TMP=adn
AD_SAMBA="ldbmodify ndrdump"
AD_TOOLS="python3"
AD_LAB_OPTS="--dcs 3"
AD_STARTED="three Samba AD DCs"
# shellcheck source-path=SCRIPTDIR source=ad_lib.sh
. "$(dirname "$0")/ad_lib.sh"
ad_conf "$tmp/state" dc1 dc2 dc3 >"$conf"

# fti_lib.sh (fti_decode, ndr_has, ndr_lacks) judges with `fail`: here a
# failed judgement is noted for the report and the check fails.
# shellcheck disable=SC2034 # both read by fti_lib.sh
TM_LIB=$here/../cli/lib.sh
# shellcheck disable=SC2034
TM_PYTHON=/usr/bin/python3
judged=0
fail() { note "$*"; judged=1; }
# shellcheck source=../cli/fti_lib.sh disable=SC1091
. "$here/../cli/fti_lib.sh"
cd "$tmp" || exit 1

dc dc2; SID2=$DC_SID

# ------------------------------------------------------------------ Samba's view
# ns X [PARTNER] [OPTION...]: samba-tool domain trust namespaces on X (no
# partner: X's own forest, with its stored UPN and SPN suffixes).
ns() { _x=$1; shift; st "$_x" namespaces "$@"; }
# stored X PARTNER: the records samba-tool shows for PARTNER on X, into
# $tmp/st.ns (the "Namespaces[N] TDO[...]" block), one a line.
stored() {
	ns "$1" "$2" >"$tmp/st.all" 2>&1
	sed -n '/^Namespaces\[/,$p' "$tmp/st.all" | sed 's/  */ /g' >"$tmp/st.ns"
	[ -s "$tmp/st.ns" ] || { cat "$tmp/st.all"; return 1; }
}
# st_has X PARTNER LINE...: samba-tool shows each LINE (blanks squeezed).
st_has() {
	_x=$1 _p=$2; shift 2
	stored "$_x" "$_p" || return 1
	for _l; do
		grep -qxF -- "$_l" "$tmp/st.ns" && continue
		echo "samba-tool domain trust namespaces $_p on $_x lacks: $_l"; cat "$tmp/st.ns"
		return 1
	done
}
st_lacks() {
	_x=$1 _p=$2; shift 2
	stored "$_x" "$_p" || return 1
	for _l; do
		grep -qF -- "$_l" "$tmp/st.ns" || continue
		echo "samba-tool domain trust namespaces $_p on $_x still shows: $_l"; cat "$tmp/st.ns"
		return 1
	done
}
# raw X PARTNER FILE: msDS-TrustForestTrustInfo of X's TDO for PARTNER.
raw() {
	ldb "$1" "(&(objectClass=trustedDomain)(trustPartner=$2))" msDS-TrustForestTrustInfo |
		sed -n 's/^msDS-TrustForestTrustInfo:: //p' | base64 -d >"$3" 2>/dev/null && [ -s "$3" ]
}
# ndr X PARTNER "TYPE FLAGS NAME"...: ndrdump of that attribute shows each record.
ndr() {
	_x=$1 _p=$2; shift 2
	judged=0
	ldb "$_x" "(&(objectClass=trustedDomain)(trustPartner=$_p))" trustPartner \
		msDS-TrustForestTrustInfo >"$tmp/fti.ldif"
	fti_decode "$tmp/fti.ldif" "$_p"
	for _r; do [ "$judged" = 0 ] && ndr_has "$_r"; done
	[ "$judged" = 0 ]
}
ndr_not() {
	_x=$1 _p=$2 _t=$3
	judged=0
	ldb "$_x" "(&(objectClass=trustedDomain)(trustPartner=$_p))" trustPartner \
		msDS-TrustForestTrustInfo >"$tmp/fti.ldif"
	fti_decode "$tmp/fti.ldif" "$_p"
	[ "$judged" = 0 ] && ndr_lacks "$_t"
	[ "$judged" = 0 ]
}
# judge WHAT X PARTNER "ST LINE"... -- "NDR RECORD"...: both Samba tools agree.
judge() {
	_w=$1 _x=$2 _p=$3; shift 3
	_st="" _nd="" _side=st
	: >"$out"
	for _a; do
		if [ "$_a" = -- ]; then _side=nd; continue; fi
		if [ $_side = st ]; then _st="$_st$_a
"; else _nd="$_nd$_a
"; fi
	done
	printf '%s' "$_st" >"$tmp/want.st"
	printf '%s' "$_nd" >"$tmp/want.nd"
	_ok=1
	while IFS= read -r _l; do st_has "$_x" "$_p" "$_l" >>"$out" 2>&1 || _ok=0; done <"$tmp/want.st"
	while IFS= read -r _l; do ndr "$_x" "$_p" "$_l" >>"$out" 2>&1 || _ok=0; done <"$tmp/want.nd"
	if [ $_ok = 1 ]; then ok "$_w"; else ko "$_w"; fi
}
# usn X PARTNER: uSNChanged of X's TDO for PARTNER.
usn() { ldb "$1" "(&(objectClass=trustedDomain)(trustPartner=$2))" uSNChanged | sed -n 's/^uSNChanged: //p'; }
# suffixes X: X's uPNSuffixes and msDS-SPNSuffixes, as ldbsearch finds them.
suffixes() {
	dc "$1"
	ldb "$1" '(objectClass=*)' -b "CN=Partitions,CN=Configuration,$DC_BASE" -s base \
		uPNSuffixes msDS-SPNSuffixes | grep -E '^(uPNSuffixes|msDS-SPNSuffixes):' | sort
}
suffixes_are() { # suffixes_are X "ATTR: VALUE"... (sorted; none: no argument)
	_x=$1; shift
	suffixes "$_x" >"$tmp/sfx.now"
	: >"$tmp/sfx.want"
	for _l; do echo "$_l" >>"$tmp/sfx.want"; done
	sort -o "$tmp/sfx.want" "$tmp/sfx.want"
	cmp -s "$tmp/sfx.want" "$tmp/sfx.now" && return 0
	echo "ldbsearch of $_x's CN=Partitions:"; cat "$tmp/sfx.now"; echo "wanted:"; cat "$tmp/sfx.want"
	return 1
}

# ================================================================== 1. show
expect "1: samba.sh trust dc1 dc2: samba-tool makes a forest trust SAMBA <-> SAMBA2" sh "$LAB" trust "$lab" dc1 dc2
expect "1: samba.sh trust dc1 dc3: samba-tool makes a forest trust SAMBA <-> SAMBA3" sh "$LAB" trust "$lab" dc1 dc3
tm_rc 0 "1: trustmgr namespaces SAMBA SAMBA2" namespaces SAMBA SAMBA2
says "1: ... shows the TLN samba2.test and the domain SAMBA2 with its SID" "domain +samba2.test +$SID2 +SAMBA2 "
tm_rc 0 "1: trustmgr namespaces SAMBA SAMBA2 --json" namespaces SAMBA SAMBA2 --json
json_is() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ('"$1"') else 1)' "$tmp/stdout"; }
if json_is '[(r["type"], r["name"], r["status"]) for r in d["records"]] == [("TLN", "samba2.test", "enabled"), ("domain", "samba2.test", "enabled")]'; then
	ok "1: ... --json: the TLN and the domain, enabled"
else ko "1: ... --json: not the TLN and the domain, enabled"; fi
judge "1: samba-tool and ndrdump show the same two records, enabled" dc1 samba2.test \
	"TLN: Status[Enabled] DNS[*.samba2.test]" \
	"DOM: Status[Enabled] DNS[samba2.test] Netbios[SAMBA2] SID[$SID2]" -- \
	"0 0x00000000 samba2.test" "2 0x00000000 samba2.test"

# ================================================================== 2. a forest's own suffixes
tm_rc 0 "2: trustmgr namespaces SAMBA2 --add-upn-suffix upn2.example --add-spn-suffix spn2.example" \
	namespaces SAMBA2 --add-upn-suffix upn2.example --add-spn-suffix spn2.example
: >"$out"; check "2: ldbsearch of dc2's CN=Partitions: uPNSuffixes upn2.example, msDS-SPNSuffixes spn2.example" \
	suffixes_are dc2 "msDS-SPNSuffixes: spn2.example" "uPNSuffixes: upn2.example"
ns dc2 >"$out" 2>&1
says "2: samba-tool domain trust namespaces on dc2: one stored uPNSuffixes value" 'Stored uPNSuffixes attributes\[1\]'
says "2: ... and one stored msDS-SPNSuffixes value (TLN *.spn2.example)" 'DNS\[\*\.spn2\.example\]'
tm_rc 0 "2: trustmgr namespaces SAMBA2 shows them" namespaces SAMBA2
says "2: ... UPN suffix upn2.example" "UPN suffix +upn2.example"
tm_rc 3 "2: trustmgr namespaces SAMBA2 --add-upn-suffix x.samba.test: routed to SAMBA, refused (exit 3)" \
	namespaces SAMBA2 --add-upn-suffix x.samba.test
says "2: ... STATUS_OBJECT_NAME_COLLISION naming samba.test" "STATUS_OBJECT_NAME_COLLISION.*samba\.test"
: >"$out"; check "2: ldbsearch: dc2's suffixes unchanged by the refusal" \
	suffixes_are dc2 "msDS-SPNSuffixes: spn2.example" "uPNSuffixes: upn2.example"

# ================================================================== 3. refresh, dry run
raw dc1 samba2.test "$tmp/before.bin"
u0=$(usn dc1 samba2.test)
tm_rc 0 "3: trustmgr namespaces SAMBA SAMBA2 --refresh check" namespaces SAMBA SAMBA2 --refresh check
says "3: ... the partner's suffixes would arrive disabled as new" "upn2\.example .*disabled \(new\)"
tm_rc 0 "3: trustmgr namespaces SAMBA SAMBA2 --refresh store --dry-run" namespaces SAMBA SAMBA2 --refresh store --dry-run
unchanged() {
	raw dc1 samba2.test "$tmp/now.bin" && cmp -s "$tmp/before.bin" "$tmp/now.bin" &&
		[ "$(usn dc1 samba2.test)" = "$u0" ] && return 0
	echo "ldbsearch: uSNChanged $u0 -> $(usn dc1 samba2.test), or the attribute changed"
	return 1
}
: >"$out"; check "3: ldbsearch: --refresh check and --dry-run wrote nothing (same bytes, same uSNChanged)" unchanged
tm_rc 0 "3: trustmgr namespaces SAMBA SAMBA2 --refresh store" namespaces SAMBA SAMBA2 --refresh store
judge "3: samba-tool and ndrdump: upn2.example and spn2.example arrived disabled as new" dc1 samba2.test \
	"TLN: Status[Disabled-New] DNS[*.upn2.example]" "TLN: Status[Disabled-New] DNS[*.spn2.example]" \
	"TLN: Status[Enabled] DNS[*.samba2.test]" -- \
	"0 0x00000001 upn2.example" "0 0x00000001 spn2.example" "0 0x00000000 samba2.test"

# ================================================================== 4. TLNs and exclusions
tm_rc 0 "4: trustmgr namespaces SAMBA SAMBA2 --enable-tln upn2.example" namespaces SAMBA SAMBA2 --enable-tln upn2.example
judge "4: samba-tool and ndrdump: upn2.example enabled" dc1 samba2.test \
	"TLN: Status[Enabled] DNS[*.upn2.example]" -- "0 0x00000000 upn2.example"
tm_rc 0 "4: trustmgr namespaces SAMBA SAMBA2 --disable-tln upn2.example" namespaces SAMBA SAMBA2 --disable-tln upn2.example
judge "4: samba-tool and ndrdump: upn2.example disabled by the administrator" dc1 samba2.test \
	"TLN: Status[Disabled] DNS[*.upn2.example]" -- "0 0x00000002 upn2.example"
tm_rc 0 "4: trustmgr namespaces SAMBA SAMBA2 --add-tln-ex x.samba2.test" namespaces SAMBA SAMBA2 --add-tln-ex x.samba2.test
judge "4: samba-tool and ndrdump: the exclusion x.samba2.test" dc1 samba2.test \
	"TLN_EX: DNS[*.x.samba2.test]" -- "1 0x00000000 x.samba2.test"
tm_rc 0 "4: trustmgr namespaces SAMBA SAMBA2 --delete-tln-ex x.samba2.test" namespaces SAMBA SAMBA2 --delete-tln-ex x.samba2.test
: >"$out"; check "4: samba-tool: no exclusion any more" st_lacks dc1 samba2.test "x.samba2.test"
: >"$out"; check "4: ndrdump: no exclusion any more" ndr_not dc1 samba2.test "x.samba2.test"

# ================================================================== 5. NetBIOS name and SID
tm_rc 0 "5: trustmgr namespaces SAMBA SAMBA2 --disable-nb SAMBA2" namespaces SAMBA SAMBA2 --disable-nb SAMBA2
judge "5: samba-tool and ndrdump: the NetBIOS name SAMBA2 disabled" dc1 samba2.test \
	"DOM: Status[Disabled-NB] DNS[samba2.test] Netbios[SAMBA2] SID[$SID2]" -- "2 0x00000004 samba2.test"
tm_rc 0 "5: trustmgr namespaces SAMBA SAMBA2 --enable-nb SAMBA2" namespaces SAMBA SAMBA2 --enable-nb SAMBA2
judge "5: samba-tool and ndrdump: SAMBA2 enabled again" dc1 samba2.test \
	"DOM: Status[Enabled] DNS[samba2.test] Netbios[SAMBA2] SID[$SID2]" -- "2 0x00000000 samba2.test"
tm_rc 0 "5: trustmgr namespaces SAMBA SAMBA2 --disable-sid $SID2" namespaces SAMBA SAMBA2 --disable-sid "$SID2"
judge "5: samba-tool and ndrdump: the SID disabled" dc1 samba2.test \
	"DOM: Status[Disabled-SID] DNS[samba2.test] Netbios[SAMBA2] SID[$SID2]" -- "2 0x00000001 samba2.test"
tm_rc 0 "5: trustmgr namespaces SAMBA SAMBA2 --enable-sid $SID2" namespaces SAMBA SAMBA2 --enable-sid "$SID2"
judge "5: samba-tool and ndrdump: the SID enabled again" dc1 samba2.test \
	"DOM: Status[Enabled] DNS[samba2.test] Netbios[SAMBA2] SID[$SID2]" -- "2 0x00000000 samba2.test"

# ================================================================== 6. samba-tool's change, trustmgr's view
ns dc1 samba2.test --add-tln-ex y.samba2.test --disable-nb SAMBA2 >"$out" 2>&1
says "6: samba-tool domain trust namespaces samba2.test --add-tln-ex y.samba2.test --disable-nb SAMBA2" \
	'TLN_EX: +DNS\[\*\.y\.samba2\.test\]'
tm_rc 0 "6: trustmgr namespaces SAMBA SAMBA2 --json" namespaces SAMBA SAMBA2 --json
if json_is '("TLN exclusion", "y.samba2.test", "enabled") in [(r["type"], r.get("name"), r["status"]) for r in d["records"]] and [r["status"] for r in d["records"] if r["type"] == "domain"] == ["NetBIOS disabled (admin)"]'; then
	ok "6: ... shows samba-tool's exclusion y.samba2.test and the NetBIOS name disabled"
else ko "6: ... does not show samba-tool's exclusion and NetBIOS change"; fi
tm_rc 0 "6: trustmgr namespaces SAMBA SAMBA2 --delete-tln-ex y.samba2.test --enable-nb SAMBA2" \
	namespaces SAMBA SAMBA2 --delete-tln-ex y.samba2.test --enable-nb SAMBA2
judge "6: samba-tool and ndrdump: samba-tool's changes undone by trustmgr" dc1 samba2.test \
	"DOM: Status[Enabled] DNS[samba2.test] Netbios[SAMBA2] SID[$SID2]" -- "2 0x00000000 samba2.test"

# ================================================================== 7. a collision
# What the DC itself says of a collision, read by trustmgr's LSA helper
# (the one beside the binary): lsaRSetForestTrustInformation with
# check_only for SAMBA3's records plus an enabled TLN samba2.test, which
# SAMBA's trust with SAMBA2 routes. trustmgr's own rules refuse such a
# change before asking (below); here the helper is asked directly, as
# trustmgr asks it, and must hand back Samba's collision record for it,
# writing nothing.
cat >"$tmp/collide.py" <<'EOF'
import subprocess, sys
from samba.dcerpc import drsblobs
from samba.ndr import ndr_pack, ndr_unpack
helper, pwfile, current = sys.argv[1:4]
fti = ndr_unpack(drsblobs.ForestTrustInfo, open(current, "rb").read())
rec = drsblobs.ForestTrustInfoRecord()
rec.flags, rec.type, rec.timestamp = 0, 0, 133000000000000000
name = drsblobs.ForestTrustString()
name.string = "samba2.test"
name.size = len(name.string)
rec.data = name
armor = drsblobs.ForestTrustInfoRecordArmor()
armor.record = rec
records = list(fti.records)
records.append(armor)
fti.count = len(records)
fti.records = records
def hx(text):
    return text.encode().hex()
with open(pwfile) as f:
    password = f.readline().strip()
proc = subprocess.Popen(["/usr/bin/python3", "-I", helper], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, text=True)
def call(line):
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    while True:
        reply = proc.stdout.readline()
        if not reply or reply.startswith(("ok", "error")):
            break
    words = reply.split()
    values = dict(w.split("=", 1) for w in words[1:])
    if not words or words[0] != "ok":
        sys.exit("helper: %s" % {k: bytes.fromhex(v).decode("utf-8", "replace")
                                  for k, v in values.items()})
    return {k: bytes.fromhex(v).decode() for k, v in values.items()}
call("hello version=" + hx("1"))
call("connect server=%s user=%s password=%s" % (hx("DC1.samba.test"),
                                               hx("Administrator@SAMBA.TEST"), hx(password)))
print(call("ftinfo_set name=%s data=%s check_only=%s" % (hx("samba3.test"), ndr_pack(fti).hex(),
                                                        hx("1"))).get("collisions", ""))
call("quit")
EOF
helper_collision() {
	raw dc1 samba3.test "$tmp/h0.bin" || return 1
	in_lab /usr/bin/python3 "$tmp/collide.py" "$(dirname "$BIN")/trustmgr_lsa.py" \
		"$lab/dc1/admin.pw" "$tmp/h0.bin" >"$tmp/collide.out" 2>&1
	cat "$tmp/collide.out"
	grep -Eq "^index=[0-9]+ type=0 flags=0x4 name=samba2\.test$" "$tmp/collide.out" || return 1
	raw dc1 samba3.test "$tmp/h1.bin" && cmp -s "$tmp/h0.bin" "$tmp/h1.bin" && return 0
	echo "ldbsearch: the check wrote the attribute"
	return 1
}
: >"$out"; check "7: the LSA helper reads Samba's collision record (another TDO, TLN conflict, samba2.test); check_only wrote nothing" \
	helper_collision

# SAMBA3 publishes x.samba2.test, under the enabled TLN samba2.test of
# SAMBA's trust with SAMBA2.
tm_rc 0 "7: trustmgr namespaces SAMBA3 --add-upn-suffix x.samba2.test" namespaces SAMBA3 --add-upn-suffix x.samba2.test
tm_rc 0 "7: trustmgr namespaces SAMBA SAMBA3 --refresh store" namespaces SAMBA SAMBA3 --refresh store
judge "7: samba-tool and ndrdump: x.samba2.test arrived disabled as new" dc1 samba3.test \
	"TLN: Status[Disabled-New] DNS[*.x.samba2.test]" -- "0 0x00000001 x.samba2.test"
raw dc1 samba3.test "$tmp/c0.bin"
tm_rc 3 "7: trustmgr namespaces SAMBA SAMBA3 --enable-tln x.samba2.test: refused (exit 3)" \
	namespaces SAMBA SAMBA3 --enable-tln x.samba2.test
if head -n 1 "$tmp/err" | grep -q '^STATUS_OBJECT_NAME_COLLISION: .*x\.samba2\.test.*trust samba2\.test'; then
	ok "7: ... STATUS_OBJECT_NAME_COLLISION naming the trust samba2.test"
else ko "7: ... stderr does not say STATUS_OBJECT_NAME_COLLISION naming the trust samba2.test"; fi
if sed -n 2p "$tmp/err" | grep -q .; then ok "7: ... and says what to do"; else ko "7: ... no second line (what to do)"; fi
samebytes() { raw dc1 samba3.test "$tmp/c1.bin" && cmp -s "$tmp/c0.bin" "$tmp/c1.bin"; }
: >"$out"; check "7: ldbsearch: the refused change wrote nothing" samebytes
tm_rc 0 "7: trustmgr namespaces SAMBA SAMBA3 --enable-all (x.samba2.test stays in conflict)" \
	namespaces SAMBA SAMBA3 --enable-all
judge "7: samba-tool and ndrdump: Samba too holds x.samba2.test disabled for a conflict" dc1 samba3.test \
	"TLN: Status[Disabled-Conflicting] DNS[*.x.samba2.test]" -- "0 0x00000004 x.samba2.test"
tm_rc 0 "7: trustmgr namespaces SAMBA SAMBA3" namespaces SAMBA SAMBA3
says "7: ... status conflict, naming the trust samba2.test" "x\.samba2\.test .*conflict \(collides with trust samba2\.test"

# ================================================================== 8. a record trustmgr does not interpret
# A binary-data record (type 3) appended with Samba's NDR code and ldbmodify.
cat >"$tmp/addbin.py" <<'EOF'
import sys
from samba.dcerpc import drsblobs
from samba.ndr import ndr_pack, ndr_unpack
fti = ndr_unpack(drsblobs.ForestTrustInfo, open(sys.argv[1], "rb").read())
rec = drsblobs.ForestTrustInfoRecord()
rec.flags, rec.type, rec.timestamp = 0, 3, 133000000000000000
raw = drsblobs.ForestTrustDataBinaryData()
payload = list(b"kept-as-it-is")
raw.size = len(payload)
raw.data = payload
rec.data = raw
armor = drsblobs.ForestTrustInfoRecordArmor()
armor.record = rec
records = list(fti.records)
records.append(armor)
fti.count = len(records)
fti.records = records
open(sys.argv[2], "wb").write(ndr_pack(fti))
EOF
raw dc1 samba2.test "$tmp/b0.bin"
dn2=$(ldb dc1 '(&(objectClass=trustedDomain)(trustPartner=samba2.test))' dn | sed -n 's/^dn: //p')
put_raw() {
	printf 'dn: %s\nchangetype: modify\nreplace: msDS-TrustForestTrustInfo\nmsDS-TrustForestTrustInfo:: %s\n' \
		"$dn2" "$(base64 -w0 "$1")" >"$tmp/mod.ldif"
	head -n 1 "$tmp/mod.ldif"
	ldbmodify -H "$lab/dc1/private/sam.ldb" "$tmp/mod.ldif"
}
# has_type3 FILE: ndrdump dumps FILE whole, a record of type 3 in it.
has_type3() {
	ndrdump drsblobs ForestTrustInfo struct "$1" >"$1.txt" 2>&1 &&
		grep -q "^dump OK" "$1.txt" && grep -q "UNKNOWN_ENUM_VALUE (3)" "$1.txt"
}
add_binary() { /usr/bin/python3 "$tmp/addbin.py" "$tmp/b0.bin" "$tmp/b1.bin" && has_type3 "$tmp/b1.bin"; }
expect "8: Samba's NDR code appends a binary-data record (ndrdump: type 3)" add_binary
expect "8: ... ldbmodify of dc1's sam.ldb" put_raw "$tmp/b1.bin"
cp "$out" "$tmp/put.out"
has_bin() {
	raw dc1 samba2.test "$tmp/b.now" && cmp -s "$tmp/b1.bin" "$tmp/b.now" &&
		has_type3 "$tmp/b.now" && return 0
	echo "ldbsearch of dc1: msDS-TrustForestTrustInfo is not what ldbmodify stored:"
	cat "$tmp/put.out"
	ndrdump drsblobs ForestTrustInfo struct "$tmp/b.now" | grep -E 'type  |string  '
	return 1
}
: >"$out"; check "8: ldbsearch + ndrdump: the attribute holds the binary record" has_bin
tm_rc 0 "8: trustmgr namespaces SAMBA SAMBA2 shows the binary-data record" namespaces SAMBA SAMBA2
says "8: ... as binary data" "binary data"
tm_rc 3 "8: trustmgr namespaces SAMBA SAMBA2 --enable-tln upn2.example: Samba's LSA takes no binary record, refused (exit 3)" \
	namespaces SAMBA SAMBA2 --enable-tln upn2.example
if head -n 1 "$tmp/err" | grep -q '^STATUS_NOT_SUPPORTED: .*binary data'; then
	ok "8: ... STATUS_NOT_SUPPORTED saying why"
else ko "8: ... stderr does not start with STATUS_NOT_SUPPORTED and the reason"; fi
kept() { raw dc1 samba2.test "$tmp/b2.bin" && cmp -s "$tmp/b1.bin" "$tmp/b2.bin"; }
: >"$out"; check "8: ldbsearch: the attribute, binary record included, is byte for byte as it was" kept
: >"$out"; check "8: ndrdump: the binary record is there" has_type3 "$tmp/b2.bin"
expect "8: ldbmodify: the attribute as it was before the binary record" put_raw "$tmp/b0.bin"

# ================================================================== 9. the journal, suffixes deleted
# A suffix change killed after its one step (TM_TEST_KILL_AFTER_STEP), then
# rolled back: the old values are put back on dc2's CN=Partitions.
TM_KILL=1 tm_rc 137 "9: trustmgr namespaces SAMBA2 --add-upn-suffix killed.example, killed after step 1 (exit 137)" \
	namespaces SAMBA2 --add-upn-suffix killed.example
: >"$out"; check "9: ldbsearch of dc2's CN=Partitions: killed.example was written" suffixes_are dc2 \
	"msDS-SPNSuffixes: spn2.example" "uPNSuffixes: killed.example" "uPNSuffixes: upn2.example"
tm_rc 0 "9: trustmgr rollback" rollback
: >"$out"; check "9: ldbsearch of dc2's CN=Partitions: the rollback put the old values back" \
	suffixes_are dc2 "msDS-SPNSuffixes: spn2.example" "uPNSuffixes: upn2.example"
tm_rc 0 "9: trustmgr namespaces SAMBA2 --delete-upn-suffix upn2.example --delete-spn-suffix spn2.example" \
	namespaces SAMBA2 --delete-upn-suffix upn2.example --delete-spn-suffix spn2.example
: >"$out"; check "9: ldbsearch of dc2's CN=Partitions: no uPNSuffixes, no msDS-SPNSuffixes" suffixes_are dc2
tm_rc 0 "9: trustmgr namespaces SAMBA SAMBA2 --refresh store" namespaces SAMBA SAMBA2 --refresh store
: >"$out"; check "9: samba-tool: upn2.example and spn2.example gone from the trust" \
	st_lacks dc1 samba2.test "upn2.example" "spn2.example"
: >"$out"; check "9: samba-tool: the TLN and the domain still enabled" st_has dc1 samba2.test \
	"TLN: Status[Enabled] DNS[*.samba2.test]" "DOM: Status[Enabled] DNS[samba2.test] Netbios[SAMBA2] SID[$SID2]"

# shellcheck disable=SC2119 # no extra password files
no_password_kept
finish
