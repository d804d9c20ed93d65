# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""Every command of the command table, in success and in failure.

    python3 everywhere.py json|status

The commands are the ones `trustmgr help` lists (a listed command without a
case here fails the test, so a new command gets one). Each run is checked:

  json    with --json: standard output is exactly one JSON object with
          "version" 1; a failure carries "error" {status, message, hint,
          exit} whose exit is the process's exit status and whose status is
          the NTSTATUS name standard error starts with.
  status  without --json: when standard error starts with an NTSTATUS name,
          the exit status is 4 for STATUS_INTERNAL_DB_CORRUPTION and 3 for a
          refusal (1 for an operation that ran and failed, 4 for a store or
          server failure), never 2; exit 2 never comes with an NTSTATUS name.
In both modes the exit status of each run is the one the case expects.
Runs `trustmgr` from PATH in the current folder (the case's temporary one);
exit 0 when everything holds, 1 with the reasons otherwise.
"""
import json
import os
import re
import shutil
import subprocess
import sys

MODE = sys.argv[1] if len(sys.argv) > 1 else "json"
FAILURES = []
STATUS_RE = re.compile(rb"^(STATUS_[A-Z0-9_]+): ")

# Each command: (arguments that succeed, accepted exit statuses) and the
# arguments of an unknown-domain failure (None when it takes no domain).
# Successes run in this order on the demo store (+ NEWD).
SUCCESS = [
    ("domain add", ["NEWD", "--dns", "new.example", "--netbios", "NEWD",
                    "--sid", "S-1-5-21-11-12-13"], (0,)),
    ("domain list", [], (0,)),
    ("list", ["CORP"], (0,)),
    ("show", ["CORP", "PARTNER"], (0,)),
    ("verify", ["CORP", "PARTNER"], (0,)),
    ("permit", ["PARTNER", "NEWD", "--password-file", "pw"], (0,)),
    ("trust", ["NEWD", "PARTNER", "--password-file", "pw"], (0,)),
    ("create", ["CORP", "NEWD"], (0,)),
    ("tdo add", ["CORP", "--partner", "x.example", "--flat", "XTDO", "--direction", "inbound",
                 "--type", "uplevel", "--password-file", "pw"], (0,)),
    ("tdo modify", ["CORP", "x.example", "--selective-auth"], (0,)),
    ("tdo delete", ["CORP", "x.example"], (0,)),
    ("remove", ["CORP", "NEWD", "--sides", "both"], (0,)),
    ("reset", ["CORP", "PARTNER"], (0,)),
    ("rotate", ["CORP", "PARTNER"], (0,)),
    ("reset-one-side", ["CORP", "PARTNER", "--password-file", "pw"], (0, 1)),
    ("recover", ["CORP", "--password-file", "pw"], (0, 1)),
    ("recover-partners", ["CORP", "--password-file", "pw"], (0, 1)),
    ("recreate", ["CORP", "SALES"], (0,)),
    ("health", [], (0, 1)),
    ("repair", ["CORP", "PARTNER"], (0, 1)),
    ("journal", [], (0,)),
    ("resume", [], (0,)),
    ("rollback", [], (0,)),
    ("discard", [], (0,)),
    ("demo", ["--store", "other-store"], (0,)),
    ("help", ["list"], (0,)),
    ("state", [], (0,)),       # run only where the table has it
    ("rotate", ["--due"], (0,)),
    ("namespaces", ["CORP"], (0,)),
]

UNKNOWN_DOMAIN = {
    "list": ["NOPE"], "show": ["NOPE", "PARTNER"], "verify": ["NOPE", "PARTNER"],
    "permit": ["NOPE", "CORP", "--password-file", "pw"],
    "trust": ["NOPE", "CORP", "--password-file", "pw"], "create": ["NOPE", "PARTNER"],
    "tdo add": ["NOPE", "--partner", "y.example", "--flat", "Y", "--direction", "inbound",
                "--type", "uplevel", "--password-file", "pw"],
    "tdo modify": ["NOPE", "PARTNER"], "tdo delete": ["NOPE", "PARTNER"],
    "remove": ["NOPE", "PARTNER"], "reset": ["NOPE", "PARTNER"],
    "rotate": ["NOPE", "PARTNER"], "reset-one-side": ["NOPE", "PARTNER", "--password-file", "pw"],
    "recover": ["NOPE", "--password-file", "pw"],
    "recover-partners": ["NOPE", "--password-file", "pw"], "recreate": ["NOPE", "PARTNER"],
    "health": ["NOPE"], "repair": ["NOPE", "PARTNER"], "namespaces": ["NOPE"],
}


def fail(why):
    FAILURES.append(why)


def run(args, expect, label):
    """Run trustmgr args (plus --json in json mode) and check the run."""
    argv = ["trustmgr"] + args + (["--json"] if MODE == "json" else [])
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
    what = "%s: trustmgr %s -> %d\n  stdout %r\n  stderr %r" % (
        label, " ".join(argv[1:]), p.returncode, p.stdout[:600], p.stderr[:600])
    if p.returncode not in expect:
        fail("exit status not in %r: %s" % (expect, what))
    m = STATUS_RE.match(p.stderr)
    check_status(p.returncode, m.group(1).decode() if m else None, what)
    if MODE == "json":
        check_json(p, m.group(1).decode() if m else None, what)
    return p


def check_status(rc, status, what):
    if rc == 2 and status:
        fail("exit 2 with an NTSTATUS name: " + what)
    if status == "STATUS_INTERNAL_DB_CORRUPTION" and rc != 4:
        fail("a damaged store file is exit 4: " + what)
    if status and rc not in (1, 3, 4):
        fail("an NTSTATUS name with exit status %d: %s" % (rc, what))


def check_json(p, status, what):
    try:
        d = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        fail("stdout is not one JSON document (%s): %s" % (e, what))
        return
    if not isinstance(d, dict):
        fail("stdout is not a JSON object: " + what)
        return
    if d.get("version") != 1:
        fail("no \"version\": 1: " + what)
    if p.returncode == 0 or (p.returncode == 1 and not p.stderr):
        return                 # success, or findings (health) without an error
    err = d.get("error")
    if not isinstance(err, dict):
        fail("a failure without an \"error\" object: " + what)
        return
    for key in ("status", "message", "hint", "exit"):
        if key not in err:
            fail("the error object lacks %r: %s" % (key, what))
    if err.get("exit") != p.returncode:
        fail("error.exit %r is not the exit status: %s" % (err.get("exit"), what))
    if err.get("status") != status:
        fail("error.status %r, stderr names %r: %s" % (err.get("status"), status, what))
    if not err.get("message") or "could not say why" in err.get("message"):
        fail("an error object without the message printed: " + what)


def listed_commands():
    p = subprocess.run(["trustmgr", "help"], capture_output=True, text=True)
    lines = p.stdout.split("\n")
    start = lines.index("Commands:") + 1
    names = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        names.append(line[2:18].strip())
    return names


def main():
    with open("pw", "w") as f:
        f.write("Everywhere-Pa55\n")
    run(["demo"], (0,), "setup")
    names = listed_commands()
    known = [n for n, _, _ in SUCCESS]
    for n in names:
        if n not in known:
            fail("the command %r that `trustmgr help` lists has no case here" % n)
    for name, args, expect in SUCCESS:
        if name in names:
            run(name.split() + args, expect, "success")
    for name in names:
        failures(name)
    damaged_and_interrupted(names)
    if FAILURES:
        print("\n".join(FAILURES))
        sys.exit(1)


def failures(name):
    """The failures every command can meet."""
    words = name.split()
    run(words + ["--no-such-option"], (2,), "unknown option")
    run(words + ["A1", "A2", "A3", "A4"], (2,), "too many arguments")
    store_less = name == "help"
    run(["--store", "pw"] + words, (0,) if store_less else (2, 4), "store is a file")
    run(["--config", "no-such.conf"] + words, (0,) if store_less else (2, 3),
        "missing --config")
    if name in UNKNOWN_DOMAIN:
        run(words + UNKNOWN_DOMAIN[name], (3,), "unknown domain")


def damaged_and_interrupted(names):
    """A damaged domain file (4), then an interrupted plan (4 for changes)."""
    ldif = os.path.join(os.environ["XDG_DATA_HOME"], "trustmgr", "domains", "CORP",
                        "domain.ldif")
    shutil.copy(ldif, "domain.ldif.good")
    with open(ldif, "r+b") as f:
        f.truncate(os.path.getsize(ldif) // 2)
    for args in (["list", "CORP"], ["show", "CORP", "PARTNER"], ["reset", "CORP", "PARTNER"],
                 ["remove", "CORP", "PARTNER"], ["domain", "list"], ["health"]):
        run(args, (4,), "damaged store")
    shutil.copy("domain.ldif.good", ldif)
    env = dict(os.environ, TM_TEST_KILL_AFTER_STEP="2")
    subprocess.run(["trustmgr", "reset", "CORP", "PARTNER"], env=env,
                   stdin=subprocess.DEVNULL, capture_output=True)
    for args in (["reset", "CORP", "PARTNER"], ["remove", "CORP", "PARTNER"],
                 ["domain", "add", "N2", "--kind", "mit", "--dns", "n2.example"]):
        run(args, (4,), "interrupted plan")
    run(["journal"], (0,), "interrupted plan")
    run(["rollback"], (0,), "interrupted plan")


if __name__ == "__main__":
    main()
