/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_bind.c - binding a directory session (see ldapdir_bind.h). */
#include "backend/ldap/ldapdir_bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lber.h>

#include "model/secret.h"

/* Cyrus SASL's sasl_interact_t and the callback ids used here, as
 * <sasl/sasl.h> declares them (stable since SASL 2.0); declared here so
 * that building needs no libsasl2-dev. */
typedef struct ldapdir_interact {
	unsigned long id;
	const char *challenge;
	const char *prompt;
	const char *defresult;
	const void *result;
	unsigned len;
} ldapdir_interact;
#define LDAPDIR_SASL_CB_LIST_END 0UL
#define LDAPDIR_SASL_CB_USER 0x4001UL       /* authorization id */
#define LDAPDIR_SASL_CB_AUTHNAME 0x4002UL   /* authentication id */
#define LDAPDIR_SASL_CB_GETREALM 0x4008UL

/* One bind: the session (for messages), its handle, how, and where the
 * result of a refused bind goes. */
typedef struct bind_job {
	ldapdir *l;
	LDAP *ld;
	const cfg_domain *d;
	int timeout;
	int *rc;
} bind_job;

/* Answer SASL's questions without asking anyone: the defaults (empty
 * authorization id = the identity of the credentials). A password is
 * never asked by EXTERNAL or GSSAPI: refuse to make one up. */
static int sasl_quiet(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	ldapdir_interact *it = in;

	(void)ld;
	(void)flags;
	(void)defaults;
	for (; it && it->id != LDAPDIR_SASL_CB_LIST_END; it++) {
		if (it->id != LDAPDIR_SASL_CB_USER && it->id != LDAPDIR_SASL_CB_AUTHNAME &&
		    it->id != LDAPDIR_SASL_CB_GETREALM)
			return LDAP_OTHER;
		it->result = it->defresult ? it->defresult : "";
		it->len = (unsigned)strlen(it->result);
	}
	return LDAP_SUCCESS;
}

/* The bind failed: refused by the server, or no answer in time. */
static int bind_refused(const bind_job *j, int rc, const char *how, tm_error *e)
{
	*j->rc = rc;
	if (rc == LDAP_TIMEOUT || rc == LDAP_SERVER_DOWN) {
		ldapdir_fail(j->l, TM_EBACKEND, ST_NO_LOGON_SERVERS, rc, e, "The directory of domain "
			     "%s at %s did not answer the bind %s within %d s", j->d->dom.name,
			     ldapdir_peer(j->l), how, j->timeout);
		error_hint(e, "Check that the server runs normally (its log, its load), or raise "
			"timeout in [trustmgr].");
		return -1;
	}
	return ldapdir_fail(j->l, TM_EBACKEND, NULL, rc, e, "The directory of domain %s at %s "
			    "refused the bind %s", j->d->dom.name, ldapdir_peer(j->l), how);
}

static int bind_simple(const bind_job *j, tm_error *e)
{
	const cfg_domain *d = j->d;
	char how[700];
	struct berval cred;
	char *pw = NULL;
	int rc;

	if (!ldapdir_secure(j->l)) {
		error_fail(e, TM_EREFUSED, NULL, "Domain %s: a simple bind would send the password of "
			"%s in clear text to %s, so it was not sent.", d->dom.name, d->bind_dn,
			ldapdir_peer(j->l));
		error_hint(e, "Use tls = starttls or ldaps with tls_cacert; for an ldapi:// URI or a "
			"loopback address you may instead set allow_plaintext_secrets = true.");
		return -1;
	}
	if (config_read_secret(d->bind_password_file, "bind_password_file", d, &pw, e) != 0)
		return -1;
	cred.bv_val = pw;
	cred.bv_len = strlen(pw);
	rc = ldap_sasl_bind_s(j->ld, d->bind_dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	secret_free(&pw);
	if (rc == LDAP_SUCCESS)
		return 0;
	snprintf(how, sizeof(how), "as %.300s (password from %.300s)", d->bind_dn,
		 d->bind_password_file);
	bind_refused(j, rc, how, e);
	if (rc != LDAP_TIMEOUT && rc != LDAP_SERVER_DOWN)
		error_hint(e, "Check bind_dn and the password in bind_password_file (its first line, "
			"no newline), and that the server allows this DN to bind.");
	return -1;
}

/* Is mech among the SASL mechanisms this machine's libsasl2 has? -1 when
 * libldap cannot tell. */
static int have_mech(LDAP *ld, const char *mech)
{
	char **mechs = NULL;
	size_t i;

	if (ldap_get_option(ld, LDAP_OPT_X_SASL_MECHLIST, &mechs) != LDAP_OPT_SUCCESS || !mechs)
		return -1;
	for (i = 0; mechs[i]; i++)
		if (strcasecmp(mechs[i], mech) == 0)
			return 1;
	return 0;
}

static int gssapi_missing(const cfg_domain *d, tm_error *e)
{
	error_fail(e, TM_EBACKEND, NULL, "Domain %s: bind = sasl_gssapi, but this machine's SASL "
		"library has no GSSAPI module.", d->dom.name);
	error_hint(e, "Install the package libsasl2-modules-gssapi-mit (apt-get install "
		"libsasl2-modules-gssapi-mit), or use another bind method.");
	return -1;
}

/* A Kerberos bind without a ticket: what to kinit, and where it must go. */
static void gssapi_no_ticket_hint(const cfg_domain *d, tm_error *e)
{
	const char *ccname = getenv("KRB5CCNAME");

	if (d->kadmin_principal[0])
		error_hint(e, "There is no Kerberos ticket in %s%s: run `kinit %s` (the domain's "
			   "kadmin_principal; or another principal the directory maps to a DN) with "
			   "KRB5CCNAME naming that credential cache collection, then run the command "
			   "again.", ccname ? ccname : "the default credential cache",
			   ccname ? " (KRB5CCNAME)" : "", d->kadmin_principal);
	else
		error_hint(e, "There is no Kerberos ticket in %s: run kinit for a principal the "
			   "directory maps to a DN, then run the command again.",
			   ccname ? ccname : "the default credential cache");
}

static void sasl_hint(const cfg_domain *d, const char *diag, tm_error *e)
{
	if (d->bind == CFG_BIND_SASL_GSSAPI && (strstr(diag, "No Kerberos credentials") ||
						 strstr(diag, "credentials were unavailable")))
		gssapi_no_ticket_hint(d, e);
	else if (d->bind == CFG_BIND_SASL_GSSAPI)
		error_hint(e, "Get a Kerberos ticket first (kinit, or KRB5CCNAME pointing at a "
			"credential cache) for a principal the directory maps to a DN, and check "
			"that the server offers GSSAPI for the host name in ldap_uri (with "
			"sasl_nocanon = true the ticket is asked for that name as written, not "
			"for the name reverse DNS gives its address).");
	else
		error_hint(e, "SASL EXTERNAL needs an ldapi:// URI (the server maps your user id) or a "
			"TLS client certificate the server maps to a DN.");
}

/* sasl_nocanon, when given: the service ticket is asked for the host as
 * ldap_uri writes it (true) or as reverse DNS names its address (false);
 * not given, libldap's default stands (LDAPSASL_NOCANON, ldap.conf's
 * SASL_NOCANON). */
static int set_nocanon(const bind_job *j, tm_error *e)
{
	if (j->d->sasl_nocanon == CFG_NOCANON_DEFAULT)
		return 0;
	if (ldap_set_option(j->ld, LDAP_OPT_X_SASL_NOCANON, j->d->sasl_nocanon == CFG_NOCANON_ON ?
			    LDAP_OPT_ON : LDAP_OPT_OFF) == LDAP_OPT_SUCCESS)
		return 0;
	return error_fail(e, TM_EBACKEND, NULL, "Domain %s: libldap refused the sasl_nocanon "
			  "setting for the Kerberos bind.", j->d->dom.name);
}

static int bind_sasl(const bind_job *j, const char *mech, tm_error *e)
{
	const cfg_domain *d = j->d;
	char diag[256];
	int rc;

	if (strcmp(mech, "GSSAPI") == 0 && have_mech(j->ld, mech) == 0)
		return gssapi_missing(d, e);
	if (strcmp(mech, "GSSAPI") == 0 && set_nocanon(j, e) != 0)
		return -1;
	/* Inside TLS the SASL layer must not add its own integrity or privacy:
	 * Active Directory refuses "Sign or Seal" over TLS. */
	if (d->tls != CFG_TLS_NONE &&
	    ldap_set_option(j->ld, LDAP_OPT_X_SASL_SECPROPS, "maxssf=0") != LDAP_OPT_SUCCESS)
		return error_fail(e, TM_EBACKEND, NULL, "Domain %s: the SASL security properties "
				  "could not be set for a bind inside TLS.", d->dom.name);
	rc = ldap_sasl_interactive_bind_s(j->ld, NULL, mech, NULL, NULL, LDAP_SASL_QUIET,
					  sasl_quiet, NULL);
	if (rc == LDAP_SUCCESS)
		return 0;
	ldapdir_diagnostic(j->l, diag, sizeof(diag));
	if (strcmp(mech, "GSSAPI") == 0 && (rc == LDAP_AUTH_UNKNOWN || rc == LDAP_NOT_SUPPORTED) &&
	    strstr(diag, "mechanism"))
		return gssapi_missing(d, e);
	bind_refused(j, rc, mech[0] == 'G' ? "with SASL GSSAPI (Kerberos)" : "with SASL EXTERNAL",
		     e);
	if (d->tls != CFG_TLS_NONE && strstr(diag, "Sign or Seal are required"))
		error_hint(e, "This domain controller takes a Kerberos bind only with SASL signing and "
			   "sealing, and refuses those inside TLS (Samba's default, ldap server require "
			   "strong auth = yes): give domain %s an ldap:// URI with tls = none, so that "
			   "the Kerberos bind seals the connection itself (trust secrets never cross "
			   "LDAP on a DC: they go through LSA over encrypted SMB), or set ldap server "
			   "require strong auth = allow_sasl_over_tls on the DC.", d->dom.name);
	else if (rc != LDAP_TIMEOUT && rc != LDAP_SERVER_DOWN)
		sasl_hint(d, diag, e);
	return -1;
}

/* ldapdir_bind_as: the method the configuration names. */
int ldapdir_bind_as(ldapdir *l, LDAP *ld, const cfg_domain *d, int timeout, int *rc,
		    tm_error *e)
{
	bind_job j = { l, ld, d, timeout, rc };

	switch (d->bind) {
	case CFG_BIND_SIMPLE: return bind_simple(&j, e);
	case CFG_BIND_SASL_EXTERNAL: return bind_sasl(&j, "EXTERNAL", e);
	case CFG_BIND_SASL_GSSAPI: return bind_sasl(&j, "GSSAPI", e);
	default:
		return error_fail(e, TM_EUSAGE, NULL, "Domain %s: unknown bind method.", d->dom.name);
	}
}
