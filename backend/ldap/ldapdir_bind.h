/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_bind.h - binding a directory session (ldapdir.c) as its domain's
 * block of the configuration says: a simple bind (its password sent only
 * where secrets may go), SASL EXTERNAL or SASL GSSAPI, asking nobody
 * anything. */
#ifndef TM_LDAPDIR_BIND_H
#define TM_LDAPDIR_BIND_H

#include <ldap.h>

#include "backend/config/config.h"
#include "backend/ldap/ldapdir.h"

/* Bind ld, the connected handle of session l (ldapdir_peer and
 * ldapdir_secure describe its connection), as d says; timeout (seconds)
 * is named when the server does not answer. Returns 0, or -1 with e: the
 * password would travel in clear, no GSSAPI module, the bind refused or
 * unanswered (then *rc gets the LDAP result; else *rc is left alone). */
int ldapdir_bind_as(ldapdir *l, LDAP *ld, const cfg_domain *d, int timeout, int *rc,
		    tm_error *e);

#endif
