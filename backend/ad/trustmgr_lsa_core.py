# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""trustmgr_lsa_core.py - trustmgr's helper for Active Directory's LSA (MS-LSAD).

Debian ships no C client for LSA, so trustmgr (backend/ad/ad_lsa.c) starts
this program once per command and talks to it over its standard input and
output. The program trustmgr starts is trustmgr_lsa.py, beside this file,
which loads this one as a module (so Python uses its compiled form, made at
installation) and calls main(); run on its own, this file does the same.
It uses Samba's Python bindings (python3-samba), the engine of `samba-tool
domain trust`: DCE/RPC, NDR and the session-key encryption of trust
secrets are Samba's code. Secrets travel only through the two pipes:
never in arguments, the environment, files, logs or tracebacks.

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

What Samba 4.17's LSA server does, and so what this helper does:
- LSA runs over ncacn_np (SMB) with no DCE/RPC authentication of its own,
  as samba-tool does: the server encrypts and decrypts trust secrets with
  the SMB session key, which it offers only on an unauthenticated bind;
  the SMB connection is SMB3 encrypted ("client smb encrypt = required").
  ncacn_ip_tcp is refused by the DC (OpenPolicy2: access denied).
  netlogon needs no session key: validate, prove and change use TCP,
  which spares the DC an SMB session (a process and a logon of its own).
- It never returns trust secrets (QueryTrustedDomainInfo answers the
  authentication levels with STATUS_INVALID_INFO_CLASS): query says so in
  secrets_error. Its POSIX offset reads are always 0.
- SetInformationTrustedDomain answers OK to new secrets at every level
  and stores none of them, and LDAP refuses writes to trustAuth*: so
  `set` with secrets makes the TDO again (replace_tdo).
- Of trustAttributes it lets a change touch only FOREST_TRANSITIVE.
"""

import os
import re
import signal
import struct
import sys

PROTOCOL_VERSION = "1"
LINE_MAX = 16 << 20                   # the longest request line read
KEY_RE = re.compile(r"[a-z0-9_]+\Z")
HEX_RE = re.compile(r"(?:[0-9a-f]{2})*\Z")
HOST_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*\Z")   # no binding options
NUMBER_RE = re.compile(r"-?(?:[0-9]+|0x[0-9a-fA-F]+)\Z")

# Numbers of the forest trust record types (the same in lsa and drsblobs).
FT_TLN, FT_TLN_EX, FT_DOMAIN = 0, 1, 2


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


# ---- trustAuth blobs and LSA's authentication information --------------------

def auth_blob(data, key):
    """The drsblobs.trustAuthInOutBlob in data; empty data is no secret."""
    from samba.dcerpc import drsblobs
    from samba.ndr import ndr_unpack
    if not data:
        blob = drsblobs.trustAuthInOutBlob()
        blob.count = 0
        return blob
    try:
        return ndr_unpack(drsblobs.trustAuthInOutBlob, data)
    except Exception:
        raise bad("%s is not a trustAuthInOutBlob (MS-ADTS 6.1.6.9.1)" % key)


def blob_from_buffers(count, current, previous):
    """ndr_pack of the trustAuthInOutBlob that one side of an LSA answer
    describes (one buffer per pointer, as Samba's IDL has it)."""
    from samba.dcerpc import drsblobs, lsa, samr
    from samba.ndr import ndr_pack

    def entries(buf):
        out = []
        if buf is not None and count:
            data = bytes(buf.data.data or [])[:buf.data.size]
            entry = drsblobs.AuthenticationInformation()
            entry.LastUpdateTime = buf.last_update_time
            entry.AuthType = buf.AuthType
            if buf.AuthType == lsa.TRUST_AUTH_TYPE_CLEAR:
                value = drsblobs.AuthInfoClear()
                value.password = list(data.decode("utf-8").encode("utf-16-le"))
                value.size = len(value.password)
            elif buf.AuthType == lsa.TRUST_AUTH_TYPE_NT4OWF:
                value = drsblobs.AuthInfoNT4Owf()
                value.size, value.password = 16, samr.Password()
                value.password.hash = list(data[:16].ljust(16, b"\0"))
            elif buf.AuthType == lsa.TRUST_AUTH_TYPE_VERSION:
                value = drsblobs.AuthInfoVersion()
                value.size, value.version = 4, struct.unpack("<I", data[:4])[0]
            else:
                value = drsblobs.AuthInfoNone()
                value.size = 0
            entry.AuthInfo = value
            out.append(entry)
        array = drsblobs.AuthenticationInformationArray()
        array.count, array.array = len(out), out
        return array

    blob = drsblobs.trustAuthInOutBlob()
    blob.current = entries(current)
    blob.previous = entries(previous)
    blob.count = blob.current.count
    return ndr_pack(blob)


def encrypted_auth_info(session, incoming, outgoing):
    """lsa.TrustDomainInfoAuthInfoInternal: the blobs in a
    drsblobs.trustDomainPasswords after 512 random bytes, RC4-encrypted with
    the session key by Samba's arcfour_encrypt (as samba-tool does)."""
    from samba import arcfour_encrypt, crypto
    from samba.dcerpc import drsblobs, lsa
    from samba.ndr import ndr_pack
    passwords = drsblobs.trustDomainPasswords()
    passwords.confounder = list(os.urandom(512))
    passwords.incoming, passwords.outgoing = incoming, outgoing
    try:
        if session.conn.transport_encrypted():
            crypto.set_relax_mode()
        sealed = arcfour_encrypt(session.conn.session_key, ndr_pack(passwords))
    finally:
        crypto.set_strict_mode()
    info = lsa.TrustDomainInfoAuthInfoInternal()
    info.auth_blob = lsa.DATA_BUF2()
    info.auth_blob.size, info.auth_blob.data = len(sealed), list(sealed)
    return info


def decrypted_blobs(session, internal):
    """The (incoming, outgoing) blobs of an AUTH_INFO_INTERNAL answer."""
    from samba import arcfour_encrypt, crypto
    from samba.dcerpc import drsblobs
    from samba.ndr import ndr_pack, ndr_unpack
    sealed = bytes(internal.auth_blob.data or [])[:internal.auth_blob.size]
    try:
        crypto.set_relax_mode()
        plain = arcfour_encrypt(session.conn.session_key, sealed)
    finally:
        crypto.set_strict_mode()
    passwords = ndr_unpack(drsblobs.trustDomainPasswords, plain)
    return ndr_pack(passwords.incoming), ndr_pack(passwords.outgoing)


# ---- forest trust information ------------------------------------------------

def ft_to_lsa(data):
    """drsblobs.ForestTrustInfo bytes as lsa.ForestTrustInformation."""
    from samba.dcerpc import drsblobs, lsa, security
    from samba.ndr import ndr_unpack
    try:
        blob = ndr_unpack(drsblobs.ForestTrustInfo, data)
    except Exception:
        raise bad("data is not a ForestTrustInfo (MS-ADTS 6.1.6.9.3)")
    entries = []
    for armor in blob.records or []:
        rec, entry = armor.record, lsa.ForestTrustRecord()
        entry.flags, entry.type, entry.time = rec.flags, rec.type, rec.timestamp
        if rec.type in (FT_TLN, FT_TLN_EX):
            entry.forest_trust_data = lsa.StringLarge()
            entry.forest_trust_data.string = rec.data.string
        elif rec.type == FT_DOMAIN:
            dom = lsa.ForestTrustDomainInfo()
            dom.domain_sid = security.dom_sid(str(rec.data.sid))
            dom.dns_domain_name = lsa.StringLarge()
            dom.dns_domain_name.string = rec.data.dns_name.string
            dom.netbios_domain_name = lsa.StringLarge()
            dom.netbios_domain_name.string = rec.data.netbios_name.string
            entry.forest_trust_data = dom
        else:
            raw = lsa.ForestTrustBinaryData()
            raw.length, raw.data = rec.data.size, list(rec.data.data or [])
            entry.forest_trust_data = raw
        entries.append(entry)
    info = lsa.ForestTrustInformation()
    info.count, info.entries = len(entries), entries
    return info


def ft_string(text):
    from samba.dcerpc import drsblobs
    value = drsblobs.ForestTrustString()
    value.string = text or ""
    value.size = len(value.string.encode("utf-8"))
    return value


def ft_from_lsa(info):
    """lsa.ForestTrustInformation as drsblobs.ForestTrustInfo bytes."""
    from samba.dcerpc import drsblobs
    from samba.ndr import ndr_pack
    records = []
    for entry in info.entries or []:
        rec = drsblobs.ForestTrustInfoRecord()
        rec.flags, rec.type, rec.timestamp = entry.flags, entry.type, entry.time
        data = entry.forest_trust_data
        if entry.type in (FT_TLN, FT_TLN_EX):
            rec.data = ft_string(data.string)
        elif entry.type == FT_DOMAIN:
            dom = drsblobs.ForestTrustDataDomainInfo()
            dom.sid = data.domain_sid
            dom.dns_name = ft_string(data.dns_domain_name.string)
            dom.netbios_name = ft_string(data.netbios_domain_name.string)
            rec.data = dom
        else:
            raw = drsblobs.ForestTrustDataBinaryData()
            raw.size, raw.data = data.length, list(data.data or [])
            rec.data = raw
        armor = drsblobs.ForestTrustInfoRecordArmor()
        armor.record = rec
        records.append(armor)
    blob = drsblobs.ForestTrustInfo()
    blob.version, blob.count, blob.records = 1, len(records), records
    return ndr_pack(blob)


def collisions_text(collisions):
    """The DC's collision records as one line of text."""
    parts = []
    for rec in getattr(collisions, "entries", None) or []:
        name = rec.name.string if rec.name is not None else ""
        parts.append("index=%d type=%d flags=0x%x name=%s" %
                     (rec.index, rec.type, rec.flags, name))
    return "; ".join(parts)


# ---- the LSA session ---------------------------------------------------------

class Session:
    """The connection of the last `connect`: LSA pipe, policy handle, facts."""

    def __init__(self, server, lp, creds, conn, policy, writable, binding, host):
        self.server, self.lp, self.creds = server, lp, creds
        self.conn, self.policy, self.writable = conn, policy, writable
        self.binding = binding            # the same DC again (netlogon)
        self.host = host or server        # its name, where a name is asked for
        self.local = binding.startswith("ncalrpc:")   # the DC this helper runs on

    def close(self):
        if self.conn is None:
            return
        try:
            self.conn.Close(self.policy)
        except Exception:
            pass


def loadparm():
    """Samba's settings for a client: its defaults (no smb.conf is read),
    SMB3 with encryption required."""
    from samba import param
    lp = param.LoadParm()
    lp.set("client smb encrypt", "required")
    lp.set("client min protocol", "SMB3")
    return lp


def local_dc(path):
    """The DC this helper runs on, from its smb.conf at path: (Samba's
    settings, the binding that reaches its LSA and netlogon over its local
    socket as the system, as samba-tool does on a DC; the DC lets only root
    do so), and its DNS host name as Samba makes it."""
    from samba import param
    if not path.startswith("/"):
        raise bad("local must be the absolute path of the DC's smb.conf")
    if not os.access(path, os.R_OK):
        raise Refusal("STATUS_OBJECT_NAME_NOT_FOUND", "cannot read %s (the DC's smb.conf, "
                      "local_dc_conf)" % path)
    lp = param.LoadParm()
    lp.load(path)
    if lp.server_role() != "ROLE_ACTIVE_DIRECTORY_DC":
        raise Refusal("STATUS_INVALID_SERVER_STATE", "%s is not the smb.conf of an Active "
                      "Directory DC (its server role is %s)" % (path, lp.server_role()))
    name = check_host(lp.get("netbios name") or "")
    host = "%s.%s" % (name.lower(), (lp.get("realm") or "").lower())
    return lp, "ncalrpc:%s[auth_type=ncalrpc_as_system]" % name, host


def check_host(server):
    if not HOST_RE.match(server):
        raise bad("server must be a host name or address")
    return server


def rpc_binding(transport, server, host=None, options=()):
    """A binding string to server (an address or a name) over transport,
    with options; with host, the DC's name when server is its address (the
    target name: Kerberos asks for cifs/<host> over SMB, host/<host> over
    TCP), so that Samba need not look the name up."""
    check_host(server)
    options = list(options)
    if host and host.lower() != server.lower():
        options.append("target_hostname=" + check_host(host))
    return "%s:%s%s" % (transport, server, "[%s]" % ",".join(options) if options else "")


# What Samba answers when a DC cannot be reached over TCP at all.
UNREACHABLE = ("NT_STATUS_CONNECTION_REFUSED", "NT_STATUS_HOST_UNREACHABLE",
               "NT_STATUS_NETWORK_UNREACHABLE", "NT_STATUS_PORT_UNREACHABLE",
               "NT_STATUS_CONNECTION_RESET", "NT_STATUS_IO_TIMEOUT")


def user_credentials(lp, user, password, kerberos):
    """Credentials for an administrator: DOMAIN\\name or name@REALM."""
    from samba import credentials
    states = {"yes": credentials.MUST_USE_KERBEROS,
              "no": credentials.DONT_USE_KERBEROS,
              "auto": credentials.AUTO_USE_KERBEROS}
    if kerberos not in states:
        raise bad("kerberos must be yes, no or auto")
    if (not user and (password or kerberos == "no")) or "%" in user:
        raise bad("user must be DOMAIN\\name or name@REALM (without %); empty only for the "
                  "credential cache's own principal (kerberos=yes, no password)")
    creds = credentials.Credentials()
    creds.set_workstation(lp.get("netbios name") or "TRUSTMGR")
    if user:
        creds.parse_string(user, credentials.SPECIFIED)
    creds.set_kerberos_state(states[kerberos])
    if password:
        creds.set_password(password, credentials.SPECIFIED)
    elif kerberos == "no":
        raise bad("an empty password needs kerberos=yes (a credential cache)")
    else:
        cache = os.environ.get("KRB5CCNAME") or "FILE:/tmp/krb5cc_%d" % os.getuid()
        creds.set_named_ccache(cache, credentials.SPECIFIED, lp)
    return creds


def open_policy(conn):
    """OpenPolicy2 with what the writes need, else read-only access."""
    from samba.dcerpc import lsa
    attrs = lsa.ObjectAttribute()
    attrs.sec_qos = lsa.QosInfo()
    write = (lsa.LSA_POLICY_VIEW_LOCAL_INFORMATION | lsa.LSA_POLICY_TRUST_ADMIN |
             lsa.LSA_POLICY_CREATE_SECRET)
    try:
        return conn.OpenPolicy2("", attrs, write), True
    except Exception as exc:
        if not is_status(exc, "NT_STATUS_ACCESS_DENIED"):
            raise
    return conn.OpenPolicy2("", attrs, lsa.LSA_POLICY_VIEW_LOCAL_INFORMATION), False


def lsa_string(text, large=False):
    from samba.dcerpc import lsa
    value = lsa.StringLarge() if large else lsa.String()
    value.string = text
    return value


def tdo_info(session, name, level):
    """QueryTrustedDomainInfoByName(name, level)."""
    return session.conn.QueryTrustedDomainInfoByName(
        session.policy, lsa_string(name), level)


def open_tdo(session, name, access):
    return session.conn.OpenTrustedDomainByName(session.policy, lsa_string(name), access)


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


def describe_tdo(info):
    """The key=value pairs of an lsa.TrustDomainInfoInfoEx."""
    return [("name", info.domain_name.string or ""),
            ("flat", info.netbios_name.string or ""),
            ("sid", str(info.sid) if info.sid else ""),
            ("direction", str(info.trust_direction)),
            ("type", str(info.trust_type)),
            ("attributes", str(info.trust_attributes & 0xFFFFFFFF))]


def optional_number(call):
    """call()'s number as text, or empty when the DC does not answer it."""
    try:
        return str(call() & 0xFFFFFFFF)
    except Exception as exc:
        if is_status(exc, "NT_STATUS_INVALID_PARAMETER", "NT_STATUS_INVALID_INFO_CLASS"):
            return ""
        raise


def read_secrets(session, name):
    """(incoming, outgoing, why): the secrets through the internal
    (encrypted) authentication level, else the plain one; or two empty
    blobs and a sentence saying what the DC answered."""
    from samba.dcerpc import lsa
    answers = []
    try:
        internal = tdo_info(session, name, lsa.LSA_TRUSTED_DOMAIN_INFO_AUTH_INFO_INTERNAL)
        return decrypted_blobs(session, internal) + ("",)
    except Exception as exc:
        answers.append("AUTH_INFO_INTERNAL: %s" % error_pairs(exc, "")[0])
    try:
        auth = tdo_info(session, name, lsa.LSA_TRUSTED_DOMAIN_INFO_AUTH_INFO)
        if auth.incoming_count or auth.outgoing_count:
            return tuple(blob_from_buffers(
                getattr(auth, side + "_count"), getattr(auth, side + "_current_auth_info"),
                getattr(auth, side + "_previous_auth_info")) if getattr(auth, side + "_count")
                else b"" for side in ("incoming", "outgoing")) + ("",)
        answers.append("AUTH_INFO: no secrets")
    except Exception as exc:
        answers.append("AUTH_INFO: %s" % error_pairs(exc, "")[0])
    return b"", b"", "; ".join(answers)


def apply_info(info, f, keys):
    """Fill an lsa.TrustDomainInfoInfoEx from the request's keys."""
    from samba.dcerpc import lsa, security
    if "name" in keys:
        info.domain_name = lsa_string(f.text("name"), large=True)
    if "flat" in keys:
        info.netbios_name = lsa_string(f.text("flat"), large=True)
    if "sid" in keys:
        text = f.text("sid")
        try:
            info.sid = security.dom_sid(text) if text else None
        except Exception:
            raise Refusal("STATUS_INVALID_SID", "sid is not a SID (S-1-5-21-a-b-c)")
    for key, attr in (("direction", "trust_direction"), ("type", "trust_type"),
                      ("attributes", "trust_attributes")):
        if key in keys:
            setattr(info, attr, f.number(key))


def set_enctypes(session, handle, value):
    from samba.dcerpc import lsa
    enc = lsa.TrustDomainInfoSupportedEncTypes()
    enc.enc_types = value
    session.conn.SetInformationTrustedDomain(
        handle, lsa.LSA_TRUSTED_DOMAIN_SUPPORTED_ENCRYPTION_TYPES, enc)


def change_tdo(session, handle, f):
    """`set` without secrets: the description (INFO_EX), the POSIX offset,
    the encryption types (with secrets: replace_tdo)."""
    from samba.dcerpc import lsa
    info_keys = [k for k in ("flat", "sid", "direction", "type", "attributes") if f.has(k)]
    if info_keys:
        info = session.conn.QueryTrustedDomainInfo(handle, lsa.LSA_TRUSTED_DOMAIN_INFO_INFO_EX)
        apply_info(info, f, info_keys)
        session.conn.SetInformationTrustedDomain(handle, lsa.LSA_TRUSTED_DOMAIN_INFO_INFO_EX, info)
    if f.has("posix_offset"):
        value = lsa.TrustDomainInfoPosixOffset()
        value.posix_offset = posix_offset(session, handle, f)
        session.conn.SetInformationTrustedDomain(
            handle, lsa.LSA_TRUSTED_DOMAIN_INFO_POSIX_OFFSET, value)
    if f.has("enctypes"):
        set_enctypes(session, handle, f.number("enctypes"))


def replace_tdo(session, handle, f):
    """`set` with secrets. Samba's SetInformationTrustedDomain answers OK
    and stores no secret at any level (the plain level's blobs are dropped,
    and the internal levels store only with the plain one present), and
    LDAP refuses trustAuth* writes: the one way to new secrets is the TDO
    made again by CreateTrustedDomainEx2 with the sealed secrets, as create
    does, with everything else the old TDO held (description, POSIX offset,
    encryption types, forest trust information). Every check runs before
    the delete; a create that fails after it says so, naming what to run."""
    from samba.dcerpc import lsa
    old = session.conn.QueryTrustedDomainInfo(handle, lsa.LSA_TRUSTED_DOMAIN_INFO_INFO_EX)
    info = session.conn.QueryTrustedDomainInfo(handle, lsa.LSA_TRUSTED_DOMAIN_INFO_INFO_EX)
    apply_info(info, f, [k for k in ("flat", "sid", "direction", "type", "attributes")
                         if f.has(k)])
    incoming = auth_blob(f.blob("incoming"), "incoming")
    outgoing = auth_blob(f.blob("outgoing"), "outgoing")
    for blob, bit, side in ((incoming, lsa.LSA_TRUST_DIRECTION_INBOUND, "incoming"),
                            (outgoing, lsa.LSA_TRUST_DIRECTION_OUTBOUND, "outgoing")):
        if blob.count and not info.trust_direction & bit:
            raise bad("an %s secret needs a direction with that side" % side)
        if not blob.count and info.trust_direction & bit:
            raise Refusal("STATUS_NOT_SUPPORTED", "the %s secret of %s would be lost: a Samba "
                          "DC changes trust secrets only by making the TDO again, and it "
                          "never hands the present ones out, so both secrets of its "
                          "directions must be given" % (side, old.domain_name.string))
    enctypes = f.number("enctypes") if f.has("enctypes") else optional_number(
        lambda: session.conn.QueryTrustedDomainInfo(
            handle, lsa.LSA_TRUSTED_DOMAIN_SUPPORTED_ENCRYPTION_TYPES).enc_types)
    offset = posix_offset(session, handle, f)
    ftinfo = None
    if info.trust_attributes & lsa.LSA_TRUST_ATTRIBUTE_FOREST_TRANSITIVE:
        try:
            ftinfo = session.conn.lsaRQueryForestTrustInformation(
                session.policy, lsa_string(old.domain_name.string),
                lsa.LSA_FOREST_TRUST_DOMAIN_INFO)
        except Exception as exc:
            if not is_status(exc, "NT_STATUS_NOT_FOUND"):
                raise
    sealed = encrypted_auth_info(session, incoming, outgoing)
    session.conn.DeleteObject(handle)
    try:
        new = session.conn.CreateTrustedDomainEx2(
            session.policy, info, sealed, lsa.LSA_TRUSTED_DOMAIN_ALL_ACCESS)
    except Exception as exc:
        raise Refusal("STATUS_INTERNAL_ERROR", "the TDO for %s was deleted to store its new "
                      "secrets, and making it again failed (%s): run the command again, or "
                      "'trustmgr rollback'" % (old.domain_name.string, error_pairs(exc, "")[0]))
    try:
        if enctypes:
            set_enctypes(session, new, int(enctypes))
        if offset:
            value = lsa.TrustDomainInfoPosixOffset()
            value.posix_offset = offset
            session.conn.SetInformationTrustedDomain(
                new, lsa.LSA_TRUSTED_DOMAIN_INFO_POSIX_OFFSET, value)
    finally:
        session.conn.Close(new)
    if ftinfo is not None:
        session.conn.lsaRSetForestTrustInformation(
            session.policy, lsa_string(info.domain_name.string, large=True),
            lsa.LSA_FOREST_TRUST_DOMAIN_INFO, ftinfo, 0)


def posix_offset(session, handle, f):
    """The POSIX offset given, else the one the DC reports."""
    from samba.dcerpc import lsa
    if f.has("posix_offset"):
        return f.number("posix_offset", low=-0x80000000)
    return session.conn.QueryTrustedDomainInfo(
        handle, lsa.LSA_TRUSTED_DOMAIN_INFO_POSIX_OFFSET).posix_offset


def missing_tdo(exc):
    """The forest trust calls answer a missing TDO with NO_SUCH_DOMAIN: say
    OBJECT_NAME_NOT_FOUND, as every other verb does."""
    if is_status(exc, "NT_STATUS_NO_SUCH_DOMAIN"):
        return Refusal("STATUS_OBJECT_NAME_NOT_FOUND", "no trusted domain object by that name")
    return exc


# ---- netlogon: the trust account's secure channel ----------------------------

def secure_channel(f, password):
    """A netlogon schannel (sealed, over TCP) to server as the interdomain
    trust account: (credentials, connection). Raises what the DC answered."""
    from samba import credentials
    from samba.dcerpc import misc, netlogon
    server, account = check_host(f.text("server")), f.text("account")
    if not account.endswith("$") or len(account) < 2 or not password:
        raise bad("account must be NETBIOS$ and the password not empty")
    lp = loadparm()
    creds = credentials.Credentials()
    creds.set_username(account)
    creds.set_domain(f.text("domain"))
    creds.set_workstation(account[:-1])
    creds.set_password(password, credentials.SPECIFIED)
    creds.set_secure_channel_type(misc.SEC_CHAN_DOMAIN)
    creds.set_kerberos_state(credentials.DONT_USE_KERBEROS)
    conn = netlogon.netlogon(rpc_binding("ncacn_ip_tcp", server, None, ["schannel", "seal"]),
                            lp, creds)
    return creds, conn


def classify_logon(exc, ntstatus):
    """prove's result for a failed secure channel, or None (a real error)."""
    classes = {"wrong": ("NT_STATUS_ACCESS_DENIED", "NT_STATUS_WRONG_PASSWORD",
                         "NT_STATUS_LOGON_FAILURE"),
               "locked": ("NT_STATUS_ACCOUNT_LOCKED_OUT", "NT_STATUS_ACCOUNT_DISABLED"),
               "missing": ("NT_STATUS_NO_TRUST_SAM_ACCOUNT", "NT_STATUS_NO_SUCH_USER")}
    for result, names in classes.items():
        if is_status(exc, *names):
            return result
    return None


def crypt_password(text, version):
    """netlogon.netr_CryptPassword: random filler, then (for a version) an
    NL_PASSWORD_VERSION, then the password in UTF-16LE at the end."""
    from samba.dcerpc import netlogon
    password = text.encode("utf-16-le")
    room = 500 - 12 if version is not None else 512
    if not 2 <= len(password) <= room:
        raise bad("new_password must be 1 to %d UTF-16 units" % (room // 2))
    tail = password
    if version is not None:
        tail = struct.pack("<III", 0, version,
                           netlogon.NETLOGON_PASSWORD_VERSION_NUMBER_PRESENT) + password
    crypt = netlogon.netr_CryptPassword()
    crypt.length = len(password)
    crypt.data = list(os.urandom(512 - len(tail)) + tail)
    return crypt


def authenticator(creds, netlogon):
    """The next netr_Authenticator of the secure channel."""
    value = creds.new_client_authenticator()
    auth = netlogon.netr_Authenticator()
    auth.cred.data = list(value["credential"])
    auth.timestamp = value["timestamp"]
    return auth


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
