# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""Drive trustmgr on a pseudo-terminal: password prompts without echo.

    python3 tty.py SCENARIO

Each scenario starts `trustmgr ...` (the wrapper on PATH) with a new pty as
its controlling terminal, waits for each expected prompt (bounded by a
timeout, never a sleep), answers it, and checks the exit status, the
transcript and the terminal's echo flag afterwards.  Exit 0 when the
scenario holds, 1 with a reason otherwise.
"""
import fcntl
import os
import select
import signal
import subprocess
import sys
import termios

TIMEOUT = 60


class Session:
    def __init__(self, args):
        self.master, self.slave = os.openpty()
        slave = self.slave

        def make_controlling():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(["trustmgr"] + args, stdin=slave, stdout=slave,
                                     stderr=slave, start_new_session=True,
                                     preexec_fn=make_controlling, close_fds=True)
        self.buf = b""

    def _read(self):
        ready, _, _ = select.select([self.master], [], [], TIMEOUT)
        if not ready:
            fail("no output for %d seconds; transcript so far: %r" % (TIMEOUT, self.buf))
        try:
            chunk = os.read(self.master, 4096)
        except OSError:
            chunk = b""
        self.buf += chunk
        return chunk

    def expect(self, text):
        while text not in self.buf:
            if not self._read():
                fail("expected %r; transcript: %r" % (text, self.buf))

    def echo_on(self):
        return bool(termios.tcgetattr(self.slave)[3] & termios.ECHO)

    def send(self, data):
        os.write(self.master, data)

    def wait(self):
        """Wait for the exit, reading output meanwhile so the child never
        blocks on a full terminal buffer (we keep the slave open to read its
        settings afterwards, so end of file cannot tell us)."""
        waited = 0.0
        while self.proc.poll() is None:
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                self._read()
            else:
                waited += 0.5
                if waited > TIMEOUT:
                    fail("still running after %d seconds: %r" % (TIMEOUT, self.buf))
        return self.proc.returncode


def fail(why):
    print("tty: " + why)
    sys.exit(1)


def run(args, answers, rc_expected, must_have, secret):
    """answers: list of (prompt, reply); echo must be off at each prompt;
    must_have: texts the transcript must hold (progress goes to a tty)."""
    s = Session(args)
    for prompt, reply in answers:
        s.expect(prompt)
        if s.echo_on():
            fail("echo is on while %r is asked" % prompt)
        s.send(reply)
    rc = s.wait()
    echo = termios.tcgetattr(s.slave)[3] & termios.ECHO
    os.close(s.slave)
    while s._read():
        pass
    if rc != rc_expected:
        fail("exit status %r, expected %r; transcript: %r" % (rc, rc_expected, s.buf))
    if not echo:
        fail("echo was not restored; transcript: %r" % s.buf)
    for text in must_have:
        if text not in s.buf:
            fail("transcript lacks %r: %r" % (text, s.buf))
    if secret and secret in s.buf:
        fail("the password was echoed or printed: %r" % s.buf)


def confirm(args, answer, rc_expected, must_have, must_lack=()):
    """A destructive command asks "Proceed? [y/N]" with echo on (the plan
    shown first); answer it (None: expect no question at all) and check the
    exit status and the transcript."""
    s = Session(args)
    if answer is not None:
        s.expect(b"Proceed? [y/N] ")
        if not s.echo_on():
            fail("echo is off while Proceed? is asked")
        s.send(answer)
    rc = s.wait()
    os.close(s.slave)
    while s._read():
        pass
    if rc != rc_expected:
        fail("exit status %r, expected %r; transcript: %r" % (rc, rc_expected, s.buf))
    for text in must_have:
        if text not in s.buf:
            fail("transcript lacks %r: %r" % (text, s.buf))
    for text in must_lack:
        if text in s.buf:
            fail("transcript should not hold %r: %r" % (text, s.buf))


def confirm_scenario(scenario):
    """The confirm-* scenarios; False when scenario is not one of them."""
    remove = ["remove", "CORP", "PARTNER", "--sides", "both"]
    plan = b"Plan: remove the trust between CORP and PARTNER (both sides)"
    table = {
        "confirm-no": (remove, b"n\n", 5, [plan, b"Cancelled (the answer was not yes)"]),
        "confirm-empty": (remove, b"\n", 5, [plan, b"Cancelled (no answer)"]),
        "confirm-eof": (remove, b"\x04", 5, [plan, b"Cancelled (no answer)"]),
        "confirm-ctrlc": (remove, b"\x03", -signal.SIGINT,
                          [plan, b"Cancelled (interrupted at the question)"]),
        "confirm-json-no": (remove + ["--json"], b"no\n", 5, [plan, b'"exit": 5']),
        "confirm-yes": (remove, b"y\n", 0, [plan, b"was removed"]),
        "confirm-YES": (["tdo", "delete", "CORP", "PARTNER"], b" YES \n", 0,
                        [b"Plan: ", b"removed"]),
        "confirm-flag": (remove + ["--yes"], None, 0, [b"was removed"]),
        "confirm-y": (["tdo", "delete", "CORP", "PARTNER", "-y"], None, 0, [b"removed"]),
        "confirm-rollback-no": (["rollback"], b"n\n", 5,
                                [b"Roll back the interrupted 'create' plan", b"Cancelled"]),
        "confirm-rollback-yes": (["rollback"], b"y\n", 0, [b"Rolled back"]),
        "confirm-discard-no": (["discard"], b"\n", 5,
                               [b"Discard the interrupted 'create' plan", b"Cancelled"]),
        "confirm-reset-one-side-no": (["reset-one-side", "CORP", "PARTNER"], b"n\n", 5,
                                      [b"Plan: ", b"Cancelled"]),
        "confirm-recover-no": (["recover", "CORP"], b"n\n", 5, [b"Plan: ", b"Cancelled"]),
        "confirm-dry-run": (remove + ["--dry-run"], None, 0, [b"Nothing was written"]),
    }
    if scenario not in table:
        return False
    args, answer, rc, must = table[scenario]
    lack = [b"Proceed?"] if answer is None else [b"[1/"] if rc else []
    confirm(args, answer, rc, must, lack)
    return True


def main():
    scenario = sys.argv[1]
    pw = b"tty-Pa55word-1"
    if scenario == "permit":
        run(["permit", "PARTNER", "CORP"],
            [(b"(permit PARTNER CORP): ", pw + b"\n"), (b"again: ", pw + b"\n")],
            0, [b"  [1/4] PARTNER: ", b"PARTNER now permits CORP"], pw)
    elif scenario == "trust":
        run(["trust", "CORP", "PARTNER"], [(b"(trust CORP PARTNER): ", pw + b"\n")],
            0, [b"successfully established"], pw)
    elif scenario == "mismatch":
        run(["permit", "CORP", "PARTNER"],
            [(b"(permit CORP PARTNER): ", pw + b"\n"), (b"again: ", b"other\n")],
            2, [b"do not match"], pw)
    elif scenario == "nul":
        # A NUL typed (Ctrl-@) does not end the password: it is refused.
        run(["permit", "CORP", "PARTNER"], [(b"(permit CORP PARTNER): ", b"tty-Pa5\x00word\n")],
            3, [b"NUL byte at character 8"], b"tty-Pa5")
    elif scenario == "short":
        run(["permit", "CORP", "PARTNER"], [(b"(permit CORP PARTNER): ", b"Ab1\n")],
            3, [b"3 characters long", b"at least 8"], b"")
    elif scenario == "interrupt":
        run(["reset-one-side", "CORP", "PARTNER", "--yes"],
            [(b"(reset-one-side CORP PARTNER): ", b"\x03")], -signal.SIGINT, [], b"")
    elif scenario == "interrupt-after-yes":
        s = Session(["reset-one-side", "CORP", "PARTNER"])
        s.expect(b"Proceed? [y/N] ")
        s.send(b"y\n")
        s.expect(b"(reset-one-side CORP PARTNER): ")
        s.send(b"\x03")
        rc = s.wait()
        if rc != -signal.SIGINT:
            fail("exit status %r, expected %r: %r" % (rc, -signal.SIGINT, s.buf))
    elif not confirm_scenario(scenario):
        fail("unknown scenario " + scenario)


if __name__ == "__main__":
    main()
