# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# suffixes_lib.sh - what the Name Suffix Routing cases (cases/suffixes_*)
# share, sourced by their setup (the check runs in the same shell):
#
#   suffixes_store      CORP (with its child SALES) and the forest
#                       partner.example: PARTNER, its child CHILD and the
#                       extra UPN suffix upn.example; a two-way forest trust
#                       CORP - PARTNER with its default records
#   fti DOMAIN PARTNER  the msDS-TrustForestTrustInfo DOMAIN's TDO for
#                       PARTNER holds, taken out of the store's domain.ldif
#                       and decoded by Samba's own NDR code (ndrdump drsblobs
#                       ForestTrustInfo), from tests/cli/fti_lib.sh; its
#                       files (fti.bin, ndr.txt, ndr.lines) land in the
#                       case's output folder, beside the dumps
#   ndr_has "TYPE FLAGS NAME" / ndr_lacks TEXT   on what ndrdump saw
#   store_sum           checksums of every store file but the lock, the
#                       audit log and the journal
# Without ndrdump (samba-common-bin) the case is skipped, as the cli cases are.
TM_LIB=$TM_CASES/../../cli/lib.sh
. "$TM_CASES/../../cli/fti_lib.sh"

suffixes_store() {
	add_corp
	add_sales
	must domain add PARTNER --dns partner.example --netbios PARTNER \
		--sid S-1-5-21-2127521184-1604012920-1887927527 --functional-level 2016
	must domain add CHILD --dns child.partner.example --netbios CHILD \
		--sid S-1-5-21-11-22-33 --forest partner.example --functional-level 2016
	must namespaces PARTNER --add-upn-suffix upn.example
	must create CORP PARTNER --forest-transitive
}

store_sum() {
	(cd "$STORE" && find . -type f ! -name lock ! -name audit.log ! -path './journal/*' |
		LC_ALL=C sort | while read -r f; do sha256sum "$f"; done)
}
