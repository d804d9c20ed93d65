/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_tdo.h - one domain's trusted domain objects in its directory,
 * over a session of ldapdir.h: entries cn=<trustPartner>,cn=System,<base_dn>
 * of objectClass trustedDomain, with the attribute mapping of tdoattr.h.
 */
#ifndef TM_LDAPDIR_TDO_H
#define TM_LDAPDIR_TDO_H

#include <stddef.h>

#include "model/trust.h"
#include "backend/ldap/ldapdir.h"

/* Every TDO (paged search of (objectClass=trustedDomain) one level below
 * cn=System,<base_dn>), secrets included when the bind may read them. */
int ldapdir_tdo_list(ldapdir *l, tm_tdo **out, size_t *n, tm_error *e);

/* What a listing shows of every TDO, appended to out (the same paged search,
 * asking only for the TDOATTR_LISTED attributes: no secrets are read). */
int ldapdir_tdo_rows(ldapdir *l, tm_tdo_rows *out, tm_error *e);

/* Create or replace cn=<t->partner>,cn=System,<base_dn>. Refused (TM_EREFUSED,
 * with the way out) when the connection is not secure and t carries secrets.
 * A server that refuses TDO writes over LDAP (Active Directory, Samba: result
 * 53) is reported with the exact samba-tool / netdom command for that side. */
int ldapdir_tdo_put(ldapdir *l, const tm_tdo *t, tm_error *e);

/* Delete cn=<partner>,cn=System,<base_dn>; a missing entry is fine. */
int ldapdir_tdo_delete(ldapdir *l, const char *partner, tm_error *e);

#endif
