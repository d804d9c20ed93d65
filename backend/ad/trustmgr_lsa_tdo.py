# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""trustmgr_lsa_tdo.py - the LSA session and trusted domain objects of
trustmgr's LSA helper: the connection to a DC (ncacn_np, or the DC's own
socket), TDOs read and written, trust secrets sealed with the session key,
forest trust information. The verbs that use them are in
trustmgr_lsa_core.py; the launcher, trustmgr_lsa.py, loads this module
after trustmgr_lsa_protocol.py.

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
import struct

from trustmgr_lsa_protocol import Refusal, bad, check_host, error_pairs, is_status

# Numbers of the forest trust record types (the same in lsa and drsblobs).
FT_TLN, FT_TLN_EX, FT_DOMAIN = 0, 1, 2


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
    from samba.dcerpc import security
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
