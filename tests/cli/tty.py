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
        run(["reset-one-side", "CORP", "PARTNER"],
            [(b"(reset-one-side CORP PARTNER): ", b"\x03")], -signal.SIGINT, [], b"")
    else:
        fail("unknown scenario " + scenario)


if __name__ == "__main__":
    main()
