# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""trustmgr_lsa_protocol.py - the line protocol of trustmgr's LSA helper.

trustmgr (backend/ad/ad_lsa.c) and the helper (trustmgr_lsa_core.py, the
verbs) speak it over two pipes; this module reads requests, writes replies
and turns the errors of Samba's bindings into error lines. The launcher,
trustmgr_lsa.py, loads it before the modules that use it.

PROTOCOL (version 1)

One message per line, ASCII, ending with a newline. Words are separated by
one space. The first word is the verb (a request) or the status `ok`,
`error` or `item` (replies). Every other word is key=value: the key matches
[a-z0-9_]+, the value is the lower-case hex of the value's bytes (UTF-8 for
text, decimal digits for numbers; `key=` is an empty value). A key may
appear once; a key the verb does not know is an error. The answer to a
request is zero or more `item` lines, then one `ok` or `error` line:

  error status=<NTSTATUS name> code=<"0x" and 8 hex digits> message=<a sentence>

Errors of Samba's bindings keep their NTSTATUS (names from samba.ntstatus,
NT_ replaced by nothing: STATUS_ACCESS_DENIED); a code without a name, or a
WERROR, is STATUS_UNSUCCESSFUL with the code and the name in the message.
A bad request is an error line, never the end of the helper. Nothing else
is ever written to standard output; standard error stays empty unless
`hello debug=31` asked for a trace (verbs and statuses only, never values).
End of input or `quit` ends the helper with exit status 0.

  hello version=1 [debug=1]     -> ok version=1 samba=<samba.version> pid=
  connect server= user= [password=] [kerberos=yes|no|auto] [host=] [lsa=0]
        server is the DC's name or address; host, its name when server is
        its address (the SMB target name, for Kerberos); lsa=0 opens no LSA
        session (only validate may follow) and answers ok transport= at
        once;
        user is DOMAIN\\name or name@REALM; an empty password with
        kerberos=yes (or auto) uses the credential cache of KRB5CCNAME, and
        an empty user then means the cache's own principal.
  connect server= local=<the DC's smb.conf> [host=] [lsa=0]
        on a DC, as root: LSA and validate reach that DC over its local
        socket (ncalrpc) as the system, as samba-tool does there; no user,
        no password, no SMB session. Answers dc=<its DNS host name> too.
        -> ok dns_name= netbios_name= sid= forest= writable=1|0 transport=
           [dc=]      (with lsa=0: ok transport=none [dc=])
  list  -> item name= flat= sid= direction= type= attributes=  (each TDO)
        -> ok count=
  query name=<partner DNS or NetBIOS name>
        -> ok name= flat= sid= direction= type= attributes= posix_offset=
              enctypes= incoming= outgoing= [secrets_error=]
        incoming/outgoing: trustAuthIncoming/Outgoing as MS-ADTS 6.1.6.9.1
        (ndr_pack of drsblobs.trustAuthInOutBlob), empty with
        secrets_error=<why> when the DC hands out no secrets.
  create name= flat= sid= direction= type= attributes= incoming= outgoing=
        [enctypes=] [posix_offset=]                     -> ok
  set name= [direction= type= attributes= flat= sid= posix_offset=]
        [incoming= outgoing=] [enctypes=]   -> ok, or ok replaced=1 (secrets:
        the TDO was made again with them, see replace_tdo)
  delete name=                                 -> ok, or ok missing=1
  ftinfo_get name=                             -> ok data=<ForestTrustInfo>
  ftinfo_set name= data= [check_only=1]        -> ok [collisions=<text>]
        data: ndr_pack of drsblobs.ForestTrustInfo (msDS-TrustForestTrustInfo);
        empty data from ftinfo_get: the TDO holds none. check_only=1: the DC
        only checks (lsaRSetForestTrustInformation's check_only) and writes
        nothing. collisions: what the DC found, records separated by "; ",
        each "index=N type=T flags=0xF name=NAME" (index: the record of data;
        type 0 another trust, 1 the forest's own domain, 2 other).
  prove server= account=<NB$> domain=<NetBIOS> password=
        -> ok result=ok|wrong|locked|missing
  change server= account= domain= password= new_password= [version=]
        -> ok          (netr_ServerPasswordSet2 over the secure channel)
  validate name=  -> ok status=<WERR name> connection=<WERR name> dc=<name>
                     transport=ncacn_ip_tcp|ncacn_np|ncalrpc
        netlogon_pipe: TCP (sealed; the DC's endpoint mapper, port 135, and
        its RPC port), SMB when the DC refuses or cannot be reached over TCP;
        the local socket after connect local=.
  quit            -> ok, then exit 0 at once (so does end of input)
"""

import re

PROTOCOL_VERSION = "1"
LINE_MAX = 16 << 20                   # the longest request line read
KEY_RE = re.compile(r"[a-z0-9_]+\Z")
HEX_RE = re.compile(r"(?:[0-9a-f]{2})*\Z")
HOST_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*\Z")   # no binding options
NUMBER_RE = re.compile(r"-?(?:[0-9]+|0x[0-9a-fA-F]+)\Z")


class Refusal(Exception):
    """An error this helper reports itself: an NTSTATUS name and a sentence."""

    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status
        self.message = message


def bad(message):
    return Refusal("STATUS_INVALID_PARAMETER", message)


# ---- the line protocol -------------------------------------------------------

def parse_request(raw):
    """A request line (bytes, newline dropped) as (verb, {key: bytearray})."""
    try:
        line = raw.decode("ascii")
    except UnicodeDecodeError:
        raise bad("the request is not ASCII")
    words = line.split(" ")
    verb, fields = words[0], {}
    if not KEY_RE.match(verb):
        raise bad("the request does not start with a verb")
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if not eq or not KEY_RE.match(key):
            raise bad("'%s' is not a key=value word" % word[:40])
        if not HEX_RE.match(value):
            raise bad("the value of %s is not lower-case hex" % key)
        if key in fields:
            raise bad("%s is given twice" % key)
        fields[key] = bytearray.fromhex(value)
    return verb, fields


def reply_line(word, pairs=()):
    """The reply line for word and (key, bytes or str) pairs, as bytes."""
    out = [word]
    for key, value in pairs:
        if isinstance(value, str):
            value = value.encode("utf-8")
        out.append("%s=%s" % (key, bytes(value).hex()))
    return (" ".join(out) + "\n").encode("ascii")


class Fields:
    """The values of one request, checked against what its verb takes."""

    def __init__(self, verb, fields, required, optional):
        for key in fields:
            if key not in required and key not in optional:
                raise bad("%s takes no key %s" % (verb, key))
        for key in required:
            if key not in fields:
                raise bad("%s needs %s=" % (verb, key))
        self.values = fields

    def has(self, key):
        return key in self.values

    def blob(self, key, default=b""):
        return bytes(self.values[key]) if key in self.values else default

    def text(self, key, default=""):
        if key not in self.values:
            return default
        try:
            return self.values[key].decode("utf-8")
        except UnicodeDecodeError:
            raise bad("%s is not UTF-8 text" % key)

    def number(self, key, low=0, high=0xFFFFFFFF):
        text = self.text(key)
        if not NUMBER_RE.match(text):
            raise bad("%s is not a number" % key)
        value = int(text, 0) if "x" in text else int(text, 10)
        if not low <= value <= high:
            raise bad("%s is out of range" % key)
        return value & 0xFFFFFFFF

    def wipe(self):
        """Overwrite the values (they may be secrets) once answered."""
        for value in self.values.values():
            value[:] = bytes(len(value))


# ---- errors ------------------------------------------------------------------

_NAMES = {}


def status_name(code, module, prefix):
    """The name of an NTSTATUS or WERROR code from Samba's tables, or None."""
    table = _NAMES.get(prefix)
    if table is None:
        table = {}
        for attr in dir(module):
            value = getattr(module, attr)
            if attr.startswith(prefix) and isinstance(value, int):
                table.setdefault(value & 0xFFFFFFFF, attr)
        _NAMES[prefix] = table
    return table.get(code & 0xFFFFFFFF)


def error_pairs(exc, doing):
    """The status, code and message words of an error line for exc."""
    import samba
    from samba import ntstatus, werror
    if isinstance(exc, Refusal):
        code = getattr(ntstatus, "NT_" + exc.status, 0xC0000001)
        return exc.status, code, exc.message
    code, text = exc_code(exc)
    if isinstance(exc, samba.WERRORError):
        name = status_name(code, werror, "WERR_") or "WERROR"
        message = "%s failed: %s (%s)" % (doing, text, name)
        if name == "WERR_ACCESS_DENIED":     # netlogon's refusal of a non-administrator
            return "STATUS_ACCESS_DENIED", ntstatus.NT_STATUS_ACCESS_DENIED & 0xFFFFFFFF, message
        return "STATUS_UNSUCCESSFUL", code, message
    name = status_name(code, ntstatus, "NT_STATUS_") if code is not None else None
    if name is None:
        return "STATUS_UNSUCCESSFUL", code or 0xC0000001, "%s failed: %s" % (doing, text)
    return name[3:], code, "%s failed: %s" % (doing, text)


def exc_code(exc):
    """(code or None, text) of an exception raised by Samba's bindings."""
    args = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):
        return args[0] & 0xFFFFFFFF, str(args[1]).rstrip(".")
    return None, (str(exc) or type(exc).__name__).rstrip(".")


def ntstatus_of(exc):
    """The NTSTATUS code of a bindings error, or None."""
    import samba
    if isinstance(exc, samba.NTSTATUSError):
        return exc_code(exc)[0]
    return None


def is_status(exc, *names):
    from samba import ntstatus
    code = ntstatus_of(exc)
    return code is not None and any(
        code == getattr(ntstatus, name) & 0xFFFFFFFF for name in names)


def werr_name(value):
    """The WERROR name of a (code, text) pair from netlogon, or its code."""
    from samba import werror
    code = value[0] if isinstance(value, tuple) else int(value)
    if code == 0:
        return "WERR_OK"                   # the name Samba's tools print
    return status_name(code, werror, "WERR_") or "0x%08X" % (code & 0xFFFFFFFF)


def check_host(server):
    if not HOST_RE.match(server):
        raise bad("server must be a host name or address")
    return server
