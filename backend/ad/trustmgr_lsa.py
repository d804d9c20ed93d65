#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""trustmgr_lsa.py - starts trustmgr's LSA helper.

trustmgr (backend/ad/ad_lsa.c) runs `python3 -I trustmgr_lsa.py [--factory]`.
The helper is four modules in the same folder, loaded in this order (each
uses the ones before it): trustmgr_lsa_protocol.py (the line protocol),
trustmgr_lsa_tdo.py (the LSA session and trusted domain objects),
trustmgr_lsa_netlogon.py (netlogon's secure channel) and
trustmgr_lsa_core.py (the verbs, the loop and the factory; its main() is
what runs). Python compiles the program it is given at every start, but
loads a module from its compiled form when one is cached beside it
(__pycache__, written by `make install`, the build and the package's
postinst, checked against the source's hash at each load): this file is
that small program, and the helper's code is those modules. Compiling
them costs about 13 ms of CPU on every AD command otherwise (docs/AD.md).
"""

import importlib.util
import os
import sys

MODULES = ("trustmgr_lsa_protocol", "trustmgr_lsa_tdo", "trustmgr_lsa_netlogon",
           "trustmgr_lsa_core")


def load(name, path):
    """Load one module of the helper from path under its own name, so that
    the modules after it import it from sys.modules."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def refuse(missing):
    """Without its modules, every request gets one error line in the
    helper's protocol (so trustmgr shows why); the factory just ends, and
    trustmgr then starts each helper on its own, which refuses the same way."""
    if sys.argv[1:] == ["--factory"]:
        return 1
    message = ("the LSA helper's code cannot be read (%s): install trustmgr completely "
               "(make install or the package puts it beside trustmgr_lsa.py)"
               % ", ".join(missing))
    line = "error status=%s code=%s message=%s\n" % (
        b"STATUS_NOT_FOUND".hex(), b"0xC0000225".hex(), message.encode().hex())
    for _request in sys.stdin.buffer:
        sys.stdout.write(line)
        sys.stdout.flush()
    return 0


def main():
    # The folder of this file (not on sys.path: python3 -I keeps the
    # script's folder out of it).
    here = os.path.dirname(os.path.realpath(__file__))
    paths = [os.path.join(here, name + ".py") for name in MODULES]
    missing = [path for path in paths if not os.access(path, os.R_OK)]
    if missing:
        return refuse(missing)
    modules = [load(name, path) for name, path in zip(MODULES, paths)]
    return modules[-1].main()             # trustmgr_lsa_core


if __name__ == "__main__":
    sys.exit(main())
