#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""audit_query.py - read trustmgr audit records (trustmgr(8), AUDIT TRAIL).

  audit_query.py check FILE              every line parses; prints the count
  audit_query.py count FILE KEY=VALUE..  records with all those fields
  audit_query.py field FILE NAME KEY=VALUE..   NAME of the last such record

A line is "TIME key=value ..." with TIME as 2026-11-22T10:00:00Z, keys in the
documented order, values bare ([A-Za-z0-9._:/@+,-]+) or quoted with \\" \\\\
and \\xHH escapes. Exits 1 with the offending line when one does not parse.
"""
import re
import sys

KEYS = ["event", "result", "op", "domain", "partner", "principal", "step", "action",
        "steps", "done", "domains", "status", "operator", "uid", "sudo_user",
        "ssh_client", "host", "pid", "backend", "msg"]
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
FIELD = re.compile(r' ([a-z_]+)=([A-Za-z0-9._:/@+,-]+|"(?:[^"\\\x00-\x1f\x7f-\xff]|\\["\\]|\\x[0-9a-f]{2})*")')


def unquote(v):
    if not v.startswith('"'):
        return v
    out, i, s = [], 0, v[1:-1]
    while i < len(s):
        if s[i] == "\\" and s[i + 1] == "x":
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        elif s[i] == "\\":
            out.append(s[i + 1])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def parse(line):
    m = TIME.match(line)
    if not m:
        raise ValueError("no time at the start")
    rec, pos, order = {"time": m.group(0)}, m.end(), []
    while pos < len(line):
        f = FIELD.match(line, pos)
        if not f:
            raise ValueError("unparsable at column %d" % pos)
        key = f.group(1)
        if key not in KEYS or key in rec:
            raise ValueError("unknown or repeated key %s" % key)
        order.append(KEYS.index(key))
        rec[key] = unquote(f.group(2))
        pos = f.end()
    if order != sorted(order):
        raise ValueError("keys out of the documented order")
    for need in ("event", "result", "operator", "uid", "host", "pid", "backend"):
        if need not in rec:
            raise ValueError("no %s" % need)
    return rec


def records(path):
    out = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                line = raw.decode("ascii").rstrip("\n")
                out.append(parse(line))
            except (ValueError, UnicodeDecodeError) as e:
                print("%s:%d: %s: %r" % (path, n, e, raw))
                sys.exit(1)
    return out


def matching(recs, conds):
    want = [c.split("=", 1) for c in conds]
    return [r for r in recs if all(r.get(k) == v for k, v in want)]


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    recs = records(path)
    if cmd == "check":
        print(len(recs))
    elif cmd == "count":
        print(len(matching(recs, sys.argv[3:])))
    elif cmd == "field":
        m = matching(recs, sys.argv[4:])
        print(m[-1].get(sys.argv[3], "") if m else "")
    else:
        sys.exit("unknown command " + cmd)


main()
