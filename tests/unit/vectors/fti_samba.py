#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# fti_samba.py - write to stdout the msDS-TrustForestTrustInfo value that
# check_forestinfo.c (SAMBA_HEX) and fuzz/corpus/forestinfo/samba_* hold,
# as Samba's own NDR code (python3-samba, drsblobs.ForestTrustInfo) writes
# it: two top-level names (one disabled as new), an exclusion, two domains
# (flags set), a binary-data record (type 3) and a record of type 4.
# Samba packs the interpreted records; the two opaque ones are written here
# as MS-LSAD lays them out (uint32 length, bytes) and then unpacked and
# packed again by Samba, which must give back the same bytes.
# Run: /usr/bin/python3 tests/unit/vectors/fti_samba.py | xxd -p
import struct
import sys

from samba.dcerpc import drsblobs, security
from samba.ndr import ndr_pack, ndr_unpack

T0 = 133500000000000000  # 2024-01-17 21:20:00 UTC as a FILETIME


def text(value):
    s = drsblobs.ForestTrustString()
    s.string = value
    return s


def armor(rtype, flags, ts, data):
    r = drsblobs.ForestTrustInfoRecord()
    r.flags, r.timestamp, r.type, r.data = flags, ts, rtype, data
    a = drsblobs.ForestTrustInfoRecordArmor()
    a.record = r
    return a


def domain(sid, dns, nb):
    d = drsblobs.ForestTrustDataDomainInfo()
    d.sid, d.dns_name, d.netbios_name = security.dom_sid(sid), text(dns), text(nb)
    return d


def opaque(rtype, ts, payload):
    body = struct.pack('<IQB', 0, ts, rtype) + struct.pack('<I', len(payload)) + payload
    return struct.pack('<I', len(body)) + body


recs = [armor(0, 0, T0, text("partner.example")),
        armor(0, 1, T0 + 1, text("upn.example")),
        armor(1, 0, T0 + 2, text("hidden.partner.example")),
        armor(2, 4, T0 + 3, domain("S-1-5-21-1-2-3", "partner.example", "PARTNER")),
        armor(2, 1, T0 + 4, domain("S-1-5-21-4-5-6", "child.partner.example", "CHILD"))]
fi = drsblobs.ForestTrustInfo()
fi.version, fi.count, fi.records = 1, len(recs), recs
packed = ndr_pack(fi)
blob = struct.pack('<II', 1, len(recs) + 2) + packed[8:] + \
    opaque(3, T0 + 5, b"\x01\x02\x03opaque\x00\xff") + opaque(4, T0 + 6, b"scanner")
again = ndr_pack(ndr_unpack(drsblobs.ForestTrustInfo, blob))
if again != blob:
    sys.exit("Samba packs the value differently from what was built")
sys.stdout.buffer.write(again)
