# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# fti_lib.sh - judging forest trust information with Samba's own NDR code
# (sourced by tests/cli/cases/namespaces*.sh and the lab's namespaces test,
# after their own lib, whose `fail` it uses).
#
#   fti_decode LDIF PARTNER   the msDS-TrustForestTrustInfo of PARTNER's TDO
#                             in LDIF into fti.bin, decoded by ndrdump
#                             (drsblobs ForestTrustInfo) into ndr.txt, and
#                             one line "TYPE FLAGS NAME" a record into ndr.lines
#   ndr_has "TYPE FLAGS NAME" ndrdump saw that record
#   ndr_lacks TEXT            ndrdump's dump does not mention TEXT
#   fti DOMAIN PARTNER        fti_decode of the store's DOMAIN/domain.ldif (cli cases)
#   add_partner_forest        the store's forest partner.example: PARTNER and
#                             its child CHILD (cli cases; CORP is add_corp)
# A cli case that sources it is skipped when ndrdump is not installed.
FTI_HERE=$(dirname "$TM_LIB")

if [ -n "${TM_CASE:-}" ] && ! command -v ndrdump >/dev/null 2>&1; then
	echo "SKIP ($TM_CASE): ndrdump (samba-common-bin) is not installed"
	exit 0
fi

fti_decode() {
	"${TM_PYTHON:-python3}" "$FTI_HERE/fti_extract.py" "$1" "$2" fti.bin ||
		fail "no forest trust information for $2 in $1"
	ndrdump drsblobs ForestTrustInfo struct fti.bin >ndr.txt 2>&1 ||
		fail "ndrdump cannot decode the stored value"
	grep -q '^dump OK' ndr.txt || fail "ndrdump did not dump the value whole: $(tail -3 ndr.txt)"
	awk '/ flags  /{f=$3} / type  /{t=$NF; gsub(/[()]/,"",t)}
	     / string  /{ if (t != "") { s=$3; gsub(/'"'"'/,"",s); print t, f, s; t="" } }' \
		ndr.txt >ndr.lines
}

ndr_has() {
	grep -qxF -- "$1" ndr.lines ||
		fail "ndrdump does not show '$1'; it shows: $(tr '\n' ';' <ndr.lines)"
}

ndr_lacks() {
	! grep -qF -- "$1" ndr.txt || fail "ndrdump still shows $1"
}

fti() {
	fti_decode "$STORE/domains/$1/domain.ldif" "$2"
}

add_partner_forest() {
	tm domain add PARTNER --dns partner.example --netbios PARTNER \
		--sid S-1-5-21-2127521184-1604012920-1887927527 --functional-level 2016
	expect_rc 0
	tm domain add CHILD --dns child.partner.example --netbios CHILD \
		--sid S-1-5-21-11-22-33 --forest partner.example --functional-level 2016
	expect_rc 0
}
