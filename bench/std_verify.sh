#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# std_verify.sh LAB - the standard tools' check of a two-way trust between lab
# domains A and B: in each direction a user of the trusted realm gets a
# ticket (kinit, password on standard input) and a service ticket in the
# trusting realm (kvno), which needs the referral across the trust.
set -eu
lab=$1
cc=$(mktemp /tmp/tmb-cc-XXXXXX)
trap 'rm -f "$cc"' EXIT
export KRB5CCNAME="FILE:$cc"
for pair in "B A" "A B"; do
	set -- $pair
	. "$lab/$2/domain.env"
	svc="host/srv.$D_DNS@$D_REALM"
	. "$lab/$1/domain.env"
	kinit "user@$D_REALM" <"$D_DIR/user.pw" >/dev/null
	kvno "$svc" >/dev/null
done
