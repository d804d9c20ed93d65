/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_tls.c - the TLS settings of a directory session's handle (see
 * ldapdir_tls.h).
 *
 * Why the defaults are copied: a new libldap handle starts with empty TLS
 * settings of its own and shares the library's global TLS context, which
 * holds what LDAPTLS_* and ldap.conf say. trustmgr sets options of its own
 * on each handle (the certificate check, the TLS version), and those take
 * effect only in a context made for the handle (LDAP_OPT_X_TLS_NEWCTX),
 * built from the handle's settings alone. So the CA and client certificate
 * libldap read from the environment and ldap.conf are copied to the handle
 * first, when tls_cacert does not name a CA.
 */
#include "backend/ldap/ldapdir_tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set one option of ld, with a message naming what for. */
static int tls_opt(ldapdir *l, LDAP *ld, int opt, const void *val, const char *what,
		   tm_error *e)
{
	int rc = ldap_set_option(ld, opt, val);

	if (rc == LDAP_OPT_SUCCESS)
		return 0;
	return ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "libldap refused the %s option for the "
			    "directory of domain %s", what, ldapdir_domain(l)->name);
}

/* Copy libldap's global value of a string option to ld (nothing when
 * unset); buf (n bytes, may be NULL) gets it when still empty. */
static int tls_inherit(ldapdir *l, LDAP *ld, int opt, const char *what, char *buf, size_t n,
		       tm_error *e)
{
	char *v = NULL;
	int r = 0;

	if (ldap_get_option(NULL, opt, &v) != LDAP_OPT_SUCCESS || !v)
		return 0;
	if (v[0]) {
		r = tls_opt(l, ld, opt, v, what, e);
		if (buf && !buf[0])
			snprintf(buf, n, "%s", v);
	}
	ldap_memfree(v);
	return r;
}

/* Where libldap's default CA comes from, for messages. */
static const char *tls_origin(void)
{
	if (getenv("LDAPTLS_CACERT") || getenv("LDAPTLS_CACERTDIR"))
		return "LDAPTLS_CACERT";
	return "ldap.conf's TLS_CACERT";
}

/* Without tls_cacert: libldap's CA file and folder, copied to the handle;
 * ca names the CA. */
static int tls_defaults(ldapdir *l, LDAP *ld, char *ca, size_t n, tm_error *e)
{
	char file[PATH_MAX] = "";

	if (tls_inherit(l, ld, LDAP_OPT_X_TLS_CACERTFILE, "TLS CA file", file, sizeof(file), e) ||
	    tls_inherit(l, ld, LDAP_OPT_X_TLS_CACERTDIR, "TLS CA folder", file, sizeof(file), e))
		return -1;
	if (file[0])
		snprintf(ca, n, "%s (from %s; tls_cacert not set)", file, tls_origin());
	else
		snprintf(ca, n, "%s", "");
	return 0;
}

/* ldapdir_tls_setup: check, version, CA, then the handle's own context. */
int ldapdir_tls_setup(ldapdir *l, LDAP *ld, const cfg_domain *d, char *ca, size_t n,
		      tm_error *e)
{
	int demand = LDAP_OPT_X_TLS_DEMAND, min = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2, client = 0;
	int rc;

	snprintf(ca, n, "%s", d->tls_cacert);
	if (tls_opt(l, ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand, "TLS certificate check", e) ||
	    tls_opt(l, ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min, "TLS version", e))
		return -1;
	if (d->tls_cacert[0] ? tls_opt(l, ld, LDAP_OPT_X_TLS_CACERTFILE, d->tls_cacert,
				       "TLS CA file", e) : tls_defaults(l, ld, ca, n, e))
		return -1;
	/* A client certificate named there (SASL EXTERNAL over TLS). */
	if (tls_inherit(l, ld, LDAP_OPT_X_TLS_CERTFILE, "TLS client certificate", NULL, 0, e) ||
	    tls_inherit(l, ld, LDAP_OPT_X_TLS_KEYFILE, "TLS client key", NULL, 0, e))
		return -1;
	rc = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &client);
	if (rc == LDAP_OPT_SUCCESS)
		return 0;
	ldapdir_fail(l, TM_EBACKEND, NULL, rc, e, "Domain %s: no TLS context can be made with the "
		     "CA %s", d->dom.name, ca[0] ? ca : "(none: tls_cacert, LDAPTLS_CACERT and "
		     "ldap.conf's TLS_CACERT are all unset)");
	error_hint(e, "Check that tls_cacert (or LDAPTLS_CACERT, or TLS_CACERT in ldap.conf) names "
		   "a readable PEM file holding the CA certificate that signed the directory "
		   "server's certificate.");
	return -1;
}
