# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
"""trustmgr_lsa_netlogon.py - netlogon for trustmgr's LSA helper: the
secure channel of an interdomain trust account (prove, change), the
password it sets. The verbs that use it are in trustmgr_lsa_core.py.
"""

import os
import struct

from trustmgr_lsa_protocol import bad, check_host, is_status
from trustmgr_lsa_tdo import loadparm, rpc_binding

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
