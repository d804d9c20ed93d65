#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The lab (tests/lab/lab.sh) starts real slapd, krb5kdc and kadmind servers
# on 127.0.0.1 and they behave as trustmgr needs: TLS, the trustAuth* ACL,
# network kadmin, a hand-made cross-realm trust, the one-chance lockout.
# Checked with the standard clients only; the trustmgr binary ($1) is not used.
exec sh "$(dirname "$0")/../lab/selftest.sh"
