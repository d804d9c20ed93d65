# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""trustmgr_lsa_core.py - trustmgr's helper for Active Directory's LSA (MS-LSAD).

Debian ships no C client for LSA, so trustmgr (backend/ad/ad_lsa.c) starts
this program once per command and talks to it over its standard input and
output. The program trustmgr starts is trustmgr_lsa.py, beside this file,
which loads the helper's modules (so Python uses their compiled forms, made
at installation) and calls main() of this one; run on its own, this file
does the same.
It uses Samba's Python bindings (python3-samba), the engine of `samba-tool
domain trust`: DCE/RPC, NDR and the session-key encryption of trust
secrets are Samba's code. Secrets travel only through the two pipes:
never in arguments, the environment, files, logs or tracebacks.

The line protocol is in trustmgr_lsa_protocol.py, the LSA session and the
trusted domain objects in trustmgr_lsa_tdo.py, netlogon's secure channel
in trustmgr_lsa_netlogon.py; this module holds the verbs, the loop that
serves them and the factory. The launcher loads the four in that order.
"""

import os
import signal
import sys

from trustmgr_lsa_netlogon import authenticator, classify_logon, crypt_password, secure_channel
from trustmgr_lsa_protocol import (LINE_MAX, PROTOCOL_VERSION, Fields, Refusal, bad, check_host,
                                   error_pairs, is_status, parse_request, reply_line,
                                   werr_name)
from trustmgr_lsa_tdo import (UNREACHABLE, Session, apply_info, auth_blob, change_tdo,
                              collisions_text, describe_tdo, encrypted_auth_info, ft_from_lsa,
                              ft_to_lsa, loadparm, local_dc, lsa_string, missing_tdo, open_policy,
                              open_tdo, optional_number, read_secrets, replace_tdo, rpc_binding,
                              set_enctypes, tdo_info, user_credentials)


# ---- the verbs ---------------------------------------------------------------

class Helper:
    """The verbs, and the state they share: the session, the debug flag."""

    def __init__(self, out):
        self.out = out
        self.session = None
        self.debug = False

    def send(self, word, pairs=()):
        self.out.write(reply_line(word, pairs))

    def need_session(self, lsa_pipe=True):
        if self.session is None:
            raise Refusal("STATUS_CONNECTION_INVALID", "no domain controller is connected "
                          "(send connect first)")
        if lsa_pipe and self.session.conn is None:
            raise Refusal("STATUS_CONNECTION_INVALID", "this session has no LSA pipe "
                          "(connect with lsa=0 opens none; send connect without it)")
        return self.session

    def do_hello(self, f):
        import samba
        if f.text("version") != PROTOCOL_VERSION:
            raise Refusal("STATUS_REVISION_MISMATCH", "this helper speaks version %s of "
                          "the protocol" % PROTOCOL_VERSION)
        if f.has("debug") and f.text("debug") not in ("", "0", "no"):
            self.debug = True
            restore_stderr()
        self.send("ok", [("version", PROTOCOL_VERSION), ("samba", samba.version),
                         ("pid", str(os.getpid()))])

    def do_connect(self, f):
        from samba.dcerpc import lsa
        server, local_host = check_host(f.text("server")), ""
        if f.text("local"):
            lp, binding, local_host = local_dc(f.text("local"))
            creds = None                        # the system, on its own socket
        elif not f.has("user"):
            raise bad("connect needs user (or local, on a DC)")
        else:
            lp = loadparm()
            creds = user_credentials(lp, f.text("user"), f.text("password"),
                                     f.text("kerberos", "auto"))
            binding = rpc_binding("ncacn_np", server, f.text("host"))
        if self.session is not None:
            self.session.close()
            self.session = None
        if f.text("lsa", "1") == "0":
            # Only netlogon will be asked (validate): each call opens its own
            # pipe, so no LSA session is opened for nothing.
            self.session = Session(server, lp, creds, None, None, False, binding,
                                   f.text("host"))
            self.send("ok", [("transport", "none")] +    # validate picks its own
                      ([("dc", local_host)] if local_host else []))
            return
        try:
            conn = lsa.lsarpc(binding, lp, creds)
        except Exception:
            if local_host and os.geteuid() != 0:     # the DC's answer says only "unsuccessful"
                raise Refusal("STATUS_ACCESS_DENIED", "the DC's local socket serves the "
                              "system to root only, and this helper runs as uid %d"
                              % os.geteuid())
            raise
        policy, writable = open_policy(conn)
        info = conn.QueryInfoPolicy2(policy, lsa.LSA_POLICY_INFO_DNS)
        self.session = Session(server, lp, creds, conn, policy, writable, binding,
                               f.text("host"))
        pairs = [("dns_name", info.dns_domain.string or ""),
                 ("netbios_name", info.name.string or ""),
                 ("sid", str(info.sid) if info.sid else ""),
                 ("forest", info.dns_forest.string or ""),
                 ("writable", "1" if writable else "0"),
                 ("transport", "ncalrpc" if local_host else "ncacn_np+smb3-encryption")]
        self.send("ok", pairs + ([("dc", local_host)] if local_host else []))

    def do_list(self, f):
        session = self.need_session()
        count, resume = 0, 0
        while True:
            try:
                resume, domains = session.conn.EnumTrustedDomainsEx(
                    session.policy, resume, 0x10000)
            except Exception as exc:
                if is_status(exc, "NT_STATUS_NO_MORE_ENTRIES"):
                    break
                raise
            for d in domains.domains or []:
                self.send("item", describe_tdo(d))
                count += 1
            if not domains.domains or resume in (0, 0xFFFFFFFF):
                break
        self.send("ok", [("count", str(count))])

    def do_query(self, f):
        from samba.dcerpc import lsa
        session, name = self.need_session(), f.text("name")
        info = tdo_info(session, name, lsa.LSA_TRUSTED_DOMAIN_INFO_INFO_EX)
        pairs = describe_tdo(info)
        pairs.append(("posix_offset", optional_number(lambda: tdo_info(
            session, name, lsa.LSA_TRUSTED_DOMAIN_INFO_POSIX_OFFSET).posix_offset)))
        pairs.append(("enctypes", optional_number(lambda: tdo_info(
            session, name, lsa.LSA_TRUSTED_DOMAIN_SUPPORTED_ENCRYPTION_TYPES).enc_types)))
        incoming, outgoing, why = read_secrets(session, name)
        pairs += [("incoming", incoming), ("outgoing", outgoing)]
        if why:
            pairs.append(("secrets_error", why))
        self.send("ok", pairs)

    def do_create(self, f):
        from samba.dcerpc import lsa
        session = self.need_session()
        info = lsa.TrustDomainInfoInfoEx()
        apply_info(info, f, ("name", "flat", "sid", "direction", "type", "attributes"))
        internal = encrypted_auth_info(session, auth_blob(f.blob("incoming"), "incoming"),
                                       auth_blob(f.blob("outgoing"), "outgoing"))
        handle = session.conn.CreateTrustedDomainEx2(
            session.policy, info, internal, lsa.LSA_TRUSTED_DOMAIN_ALL_ACCESS)
        try:
            if f.has("enctypes"):
                set_enctypes(session, handle, f.number("enctypes"))
            if f.has("posix_offset") and f.number("posix_offset", low=-0x80000000):
                value = lsa.TrustDomainInfoPosixOffset()
                value.posix_offset = f.number("posix_offset", low=-0x80000000)
                session.conn.SetInformationTrustedDomain(
                    handle, lsa.LSA_TRUSTED_DOMAIN_INFO_POSIX_OFFSET, value)
        except Exception:
            session.conn.DeleteObject(handle)    # all or nothing, as samba-tool
            raise
        session.conn.Close(handle)
        self.send("ok")

    def do_set(self, f):
        from samba.dcerpc import lsa
        session, name = self.need_session(), f.text("name")
        handle = open_tdo(session, name, lsa.LSA_TRUSTED_DOMAIN_ALL_ACCESS)
        if f.has("incoming") or f.has("outgoing"):
            replace_tdo(session, handle, f)     # closes handle (the TDO is gone)
            self.send("ok", [("replaced", "1")])
            return
        try:
            change_tdo(session, handle, f)
        finally:
            session.conn.Close(handle)
        self.send("ok")

    def do_delete(self, f):
        from samba.dcerpc import security
        session = self.need_session()
        try:
            handle = open_tdo(session, f.text("name"), security.SEC_STD_DELETE)
        except Exception as exc:
            if is_status(exc, "NT_STATUS_OBJECT_NAME_NOT_FOUND"):
                self.send("ok", [("missing", "1")])
                return
            raise
        session.conn.DeleteObject(handle)    # the DC removes the trust account too
        self.send("ok")

    def do_ftinfo_get(self, f):
        from samba.dcerpc import lsa
        session = self.need_session()
        try:
            info = session.conn.lsaRQueryForestTrustInformation(
                session.policy, lsa_string(f.text("name")), lsa.LSA_FOREST_TRUST_DOMAIN_INFO)
        except Exception as exc:
            if is_status(exc, "NT_STATUS_NOT_FOUND"):
                self.send("ok", [("data", b"")])
                return
            raise missing_tdo(exc)
        self.send("ok", [("data", ft_from_lsa(info))])

    def do_ftinfo_set(self, f):
        from samba.dcerpc import lsa
        session = self.need_session()
        info = ft_to_lsa(f.blob("data"))
        check_only = f.number("check_only", 0, 1) if f.has("check_only") else 0
        try:
            collisions = session.conn.lsaRSetForestTrustInformation(
                session.policy, lsa_string(f.text("name"), large=True),
                lsa.LSA_FOREST_TRUST_DOMAIN_INFO, info, check_only)
        except Exception as exc:
            raise missing_tdo(exc)
        text = collisions_text(collisions) if collisions is not None else ""
        self.send("ok", [("collisions", text)] if text else [])

    def do_prove(self, f):
        from samba import ntstatus
        try:
            secure_channel(f, f.text("password"))
        except Exception as exc:
            result = classify_logon(exc, ntstatus)
            if result is None:
                raise
            self.send("ok", [("result", result)])
            return
        self.send("ok", [("result", "ok")])

    def do_change(self, f):
        from samba.dcerpc import misc, netlogon
        creds, conn = secure_channel(f, f.text("password"))
        version = f.number("version") if f.has("version") else None
        crypt = crypt_password(f.text("new_password"), version)
        creds.encrypt_netr_crypt_password(crypt)
        conn.netr_ServerPasswordSet2(check_host(f.text("server")), f.text("account"),
                                     misc.SEC_CHAN_DOMAIN, creds.get_workstation(),
                                     authenticator(creds, netlogon), crypt)
        self.send("ok")

    def do_validate(self, f):
        from samba.dcerpc import lsa, netlogon
        session = self.need_session(lsa_pipe=False)
        name = f.text("name")
        if session.conn is not None:       # the TDO's own name for it, as samba-tool asks
            name = tdo_info(session, name, lsa.LSA_TRUSTED_DOMAIN_INFO_INFO_EX).domain_name.string
        conn, transport = self.netlogon_pipe(session)
        answer = conn.netr_LogonControl2Ex(session.host, netlogon.NETLOGON_CONTROL_TC_VERIFY,
                                           2, name)
        self.send("ok", [("status", werr_name(answer.pdc_connection_status)),
                         ("connection", werr_name(answer.tc_connection_status)),
                         ("dc", answer.trusted_dc_name or ""), ("transport", transport)])

    def netlogon_pipe(self, session):
        """netlogon to the session's DC, authenticated as the session's user
        (the system on the DC's own socket after connect local=):
        (connection, transport). Over TCP (ncacn_ip_tcp, sealed), as the
        secure channels of prove and change: no SMB session, which costs the
        DC far more than the call. Over SMB when the DC cannot be reached
        over TCP at all (its endpoint mapper or RPC port refused or
        unreachable from here)."""
        from samba.dcerpc import netlogon
        if session.local:                   # the DC this helper runs on
            return netlogon.netlogon(session.binding, session.lp, None), "ncalrpc"
        tcp = rpc_binding("ncacn_ip_tcp", session.server, session.host, ["seal"])
        try:
            return netlogon.netlogon(tcp, session.lp, session.creds), "ncacn_ip_tcp"
        except Exception as exc:
            if not is_status(exc, *UNREACHABLE):
                raise
            trace(self, "validate", "ncacn_ip_tcp: %s, over SMB instead"
                  % error_pairs(exc, "netlogon")[0])
        return netlogon.netlogon(session.binding, session.lp, session.creds), "ncacn_np"

    def do_quit(self, f):
        self.send("ok")
        leave()


# ---- the loop ----------------------------------------------------------------

VERBS = {
    "hello": (("version",), ("debug",)),
    "connect": (("server",), ("user", "password", "kerberos", "host", "lsa", "local")),
    "list": ((), ()),
    "query": (("name",), ()),
    "create": (("name", "flat", "sid", "direction", "type", "attributes",
                "incoming", "outgoing"), ("enctypes", "posix_offset")),
    "set": (("name",), ("direction", "type", "attributes", "flat", "sid",
                        "posix_offset", "incoming", "outgoing", "enctypes")),
    "delete": (("name",), ()),
    "ftinfo_get": (("name",), ()),
    "ftinfo_set": (("name", "data"), ("check_only",)),
    "prove": (("server", "account", "domain", "password"), ()),
    "change": (("server", "account", "domain", "password", "new_password"), ("version",)),
    "validate": (("name",), ()),
    "quit": ((), ()),
}

_SAVED_STDERR = None


def restore_stderr():
    if _SAVED_STDERR is not None:
        os.dup2(_SAVED_STDERR, 2)


def quiet_fds(reply_fd=1):
    """Keep the protocol on a private descriptor (reply_fd, or a copy of
    standard output); point 1 and 2 (which Samba's libraries may write to)
    at the null device."""
    global _SAVED_STDERR
    proto = os.fdopen(os.dup(1) if reply_fd == 1 else reply_fd, "wb", buffering=0)
    null = os.open(os.devnull, os.O_WRONLY)
    _SAVED_STDERR = os.dup(2)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    sys.stdout = sys.stderr
    return proto


def leave():
    """End now, without Python's teardown: the replies are written
    (unbuffered), the DC drops the SMB session and its handles when the
    connection closes, and the secrets go with the process's memory. The
    teardown (Samba's objects logging off one by one) would keep trustmgr
    waiting for nothing."""
    os._exit(0)


def handle(helper, raw):
    """Answer one request line; every failure becomes an error line."""
    verb, f = "request", None
    try:
        if len(raw) > LINE_MAX:
            raise bad("the request is longer than %d bytes" % LINE_MAX)
        verb, fields = parse_request(raw)
        if verb not in VERBS:
            raise Refusal("STATUS_NOT_IMPLEMENTED", "unknown request %s" % verb[:40])
        f = Fields(verb, fields, *VERBS[verb])
        getattr(helper, "do_" + verb)(f)
        trace(helper, verb, "ok")
    except SystemExit:
        trace(helper, verb, "ok")
        raise
    except Exception as exc:
        try:
            status, code, message = error_pairs(exc, verb)
        except Exception:
            status, code, message = "STATUS_UNSUCCESSFUL", 0xC0000001, "%s failed" % verb
        helper.send("error", [("status", status), ("code", "0x%08X" % code),
                              ("message", message)])
        trace(helper, verb, status)
    finally:
        if f is not None:
            f.wipe()


def trace(helper, verb, result):
    if helper.debug:
        sys.stderr.write("trustmgr_lsa: %s: %s\n" % (verb, result))
        sys.stderr.flush()


def samba_missing():
    """Without python3-samba every request gets the same error line."""
    try:
        import samba.dcerpc.lsa  # noqa: F401
        return False
    except ImportError:
        return True


def preload():
    """Import what the verbs use, once (the factory does it before it
    forks, so that each helper starts with Samba's libraries loaded)."""
    if samba_missing():
        return True
    import samba  # noqa: F401
    from samba import arcfour_encrypt, credentials, crypto, ntstatus, param, werror  # noqa: F401
    from samba.dcerpc import drsblobs, lsa, misc, netlogon, samr, security  # noqa: F401
    from samba.ndr import ndr_pack, ndr_unpack  # noqa: F401
    return False


def serve(source, reply_fd, no_samba):
    """Answer the requests read from source until quit or end of input."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # trustmgr decides, not the terminal
    helper = Helper(quiet_fds(reply_fd))
    try:
        while True:
            raw = source.readline(LINE_MAX + 1)
            if not raw:
                leave()
            if len(raw) > LINE_MAX:                  # skip the rest of a long line
                while raw and not raw.endswith(b"\n"):
                    raw = source.readline(LINE_MAX + 1)
                raw = b"x" * (LINE_MAX + 1)
            raw = raw[:-1] if raw.endswith(b"\n") else raw
            if no_samba:
                helper.out.write(reply_line("error", [
                    ("status", "STATUS_NOT_SUPPORTED"), ("code", "0xC00000BB"),
                    ("message", "python3-samba is not installed")]))
                continue
            handle(helper, raw)
    except SystemExit as done:
        return done.code or 0
    except BrokenPipeError:
        return 0


def factory():
    """--factory: standard input is a SOCK_SEQPACKET socket from trustmgr.
    Each message `fork` on it carries two descriptors, the read end of a
    request pipe and the write end of a reply pipe; a child made with
    fork() serves them exactly as a helper started on its own serves its
    standard input and output. Samba's libraries are imported once, before
    the first fork, so every helper after the first starts at once. The
    factory itself never reads a request, so it never holds a secret; it
    ends when trustmgr closes the socket."""
    import socket
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=os.dup(0))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    no_samba = preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)    # the children are reaped by the kernel
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(control, 64, 2)
        except OSError:
            leave()
        if not data:
            leave()
        if data != b"fork" or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            continue
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # Samba waits for its own children
            os._exit(serve(os.fdopen(fds[0], "rb"), fds[1], no_samba))
        for fd in fds:
            os.close(fd)


def main():
    if sys.argv[1:] == ["--factory"]:
        factory()
        return 0
    return serve(sys.stdin.buffer, 1, samba_missing())


if __name__ == "__main__":
    sys.exit(main())
