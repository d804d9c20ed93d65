#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The Samba lab (tests/lab/samba.sh) starts real Samba AD domain controllers
# in a network namespace of their own and they behave as trustmgr needs:
# LDAPS by name, Kerberos, a samba-tool forest trust that validates and
# carries tickets both ways, its trustAuth* blobs, a clean stop. Checked with
# the standard clients, and with the trustmgr binary ($1) reading the lab's
# trustmgr.conf. Prints "samba-lab: N passed, N failed"; skips (exit 0,
# saying why) only when the Samba packages are not installed.
exec sh "$(dirname "$0")/../lab/samba_selftest.sh" "$@"
