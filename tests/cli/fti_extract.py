#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# fti_extract.py LDIF PARTNER OUT: write to OUT the bytes of the
# msDS-TrustForestTrustInfo value of the trustedDomain entry whose
# trustPartner is PARTNER in LDIF (a store's domain.ldif, or what ldapsearch
# printed). Exit 1 when there is no such entry or value.
import base64
import sys


def entries(text):
    cur = []
    for raw in text.split("\n"):
        if raw.startswith(" ") and cur:
            cur[-1] += raw[1:]
        elif raw == "":
            if cur:
                yield cur
            cur = []
        elif not raw.startswith("#"):
            cur.append(raw)
    if cur:
        yield cur


def main():
    path, partner, out = sys.argv[1:4]
    for e in entries(open(path, encoding="utf-8").read()):
        attrs = {}
        for line in e:
            key, _, value = line.partition(":")
            attrs.setdefault(key.lower(), []).append(value)
        if attrs.get("trustpartner", [""])[0].strip().lower() != partner.lower():
            continue
        val = attrs.get("msds-trustforesttrustinfo")
        if not val or not val[0].startswith(":"):
            return 1
        with open(out, "wb") as f:
            f.write(base64.b64decode(val[0][1:].strip()))
        return 0
    return 1


sys.exit(main())
