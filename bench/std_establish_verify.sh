#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# std_establish_verify.sh LAB PWFILE A_LDIF B_LDIF - the standard tools
# doing what `trustmgr create A B` does: establish the two-way trust
# (std_establish.sh), then prove it works in both directions (std_verify.sh),
# as trustmgr's plan ends with a verification of each direction.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/std_establish.sh" "$@"
sh "$here/std_verify.sh" "$1"
