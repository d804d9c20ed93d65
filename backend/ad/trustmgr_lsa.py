#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""trustmgr_lsa.py - starts trustmgr's LSA helper, trustmgr_lsa_core.py.

trustmgr (backend/ad/ad_lsa.c) runs `python3 -I trustmgr_lsa.py [--factory]`.
The helper itself, and the line protocol it speaks, are in
trustmgr_lsa_core.py in the same folder. Python compiles the program it is
given at every start, but loads a module from its compiled form when one is
cached beside it (__pycache__, written by `make install`, the build and the
package's postinst, checked against the source's hash at each load): this
file is that small program, and the core is that module. Compiling the core
costs about 13 ms of CPU on every AD command otherwise (docs/AD.md).
"""

import importlib.util
import os
import sys


def core_path():
    """trustmgr_lsa_core.py in the folder of this file (not on sys.path:
    python3 -I keeps the script's folder out of it)."""
    here = os.path.dirname(os.path.realpath(__file__))
    return os.path.join(here, "trustmgr_lsa_core.py")


def load_core(path):
    spec = importlib.util.spec_from_file_location("trustmgr_lsa_core", path)
    core = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = core
    spec.loader.exec_module(core)
    return core


def refuse(path):
    """Without the core, every request gets one error line in the helper's
    protocol (so trustmgr shows why); the factory just ends, and trustmgr
    then starts each helper on its own, which refuses the same way."""
    if sys.argv[1:] == ["--factory"]:
        return 1
    message = ("the LSA helper's core %s cannot be read: install trustmgr completely "
               "(make install or the package puts it beside trustmgr_lsa.py)" % path)
    line = "error status=%s code=%s message=%s\n" % (
        b"STATUS_NOT_FOUND".hex(), b"0xC0000225".hex(), message.encode().hex())
    for _request in sys.stdin.buffer:
        sys.stdout.write(line)
        sys.stdout.flush()
    return 0


def main():
    path = core_path()
    if not os.access(path, os.R_OK):
        return refuse(path)
    return load_core(path).main()


if __name__ == "__main__":
    sys.exit(main())
