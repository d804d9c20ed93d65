/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_tls.h - the TLS settings of a directory session's handle
 * (ldapdir.c): the server certificate always checked, TLS 1.2 at least,
 * the CA of tls_cacert or else libldap's own defaults, a TLS context of the
 * handle's own. */
#ifndef TM_LDAPDIR_TLS_H
#define TM_LDAPDIR_TLS_H

#include <stddef.h>

#include <ldap.h>

#include "backend/config/config.h"
#include "backend/ldap/ldapdir.h"

/* Set the TLS options of ld, the handle of session l, for domain d: a
 * certificate check that must pass (LDAP_OPT_X_TLS_DEMAND, whatever
 * TLS_REQCERT says), TLS 1.2 at least, the CA file tls_cacert; without it,
 * what libldap read from LDAPTLS_CACERT / LDAPTLS_CACERTDIR or ldap.conf's
 * TLS_CACERT / TLS_CACERTDIR; a client certificate and key named there;
 * then a new TLS context of the handle's own. ca (n bytes) gets
 * the CA file or folder used and where it came from, for messages ("" when
 * none). Returns 0 or -1 with e. */
int ldapdir_tls_setup(ldapdir *l, LDAP *ld, const cfg_domain *d, char *ca, size_t n,
		      tm_error *e);

#endif
