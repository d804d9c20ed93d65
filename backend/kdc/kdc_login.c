/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_login.c - a kadm5 session's login (kdc_internal.h): the kadmin
 * principal's keytab, its password file, or the administrator's own
 * credentials (kdc_own.c); each refusal explained. */
#include "backend/kdc/kdc_internal.h"

#include <gssrpc/rpc.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "model/secret.h"

/* Explain a refused kadm5 login: who, where, with what (how, file), and
 * what to check. */
static int kdc_login_failed(kdc *k, const cfg_domain *d, const char *how, const char *file,
			    long rc, tm_error *e)
{
	kdc_fail(k->ctx, e, rc, "could not log in to the kadmin server of realm %s "
		 "(admin_server %s) as %s with %s %s", k->realm, k->servers, k->admin, how, file);
	if (strncmp(how, "kadmin_", 7) == 0)
		error_hint(e, "Check that kadmind and the KDC of %s run, that %s exists and %s of "
			   "domain %s holds its current key, and that kadm5.acl grants it rights.",
			   k->realm, k->admin, how, d->dom.name);
	else
		error_hint(e, "Check that kadmind and the KDC of %s run, that kadm5.acl grants %s "
			   "rights, and that %s %s is current for it (klist -A, klist -k; run kinit "
			   "%s again), or give domain %s kadmin_keytab or kadmin_password_file.",
			   k->realm, k->admin, how, file, k->admin, d->dom.name);
	return -1;
}

/* The parameters every kadm5 login passes: the realm. */
static void kdc_login_params(kdc *k, kadm5_config_params *params, char *realm, size_t n)
{
	memset(params, 0, sizeof *params);
	snprintf(realm, n, "%s", k->realm);
	params->mask = KADM5_CONFIG_REALM;
	params->realm = realm;
}

/* The initial login kadm5_init_with_skey and _with_password make (a
 * kadmin/admin ticket, neither forwardable nor proxiable), made here into a
 * memory cache of this session's own (k->login_cc): the library names the
 * cache of those logins from a counter it does not lock, so two sessions
 * opened at once (backend/os/parallel.h) could share one; a session given
 * its credentials (kadm5_init_with_creds) has no such cache. The library's
 * own error codes for a wrong key and a missing kadmin/admin are kept. */
static krb5_error_code kdc_login_ticket(kdc *k, const char *keytab, const char *pw)
{
	char service[] = KADM5_ADMIN_SERVICE;
	krb5_get_init_creds_opt *opt = NULL;
	krb5_principal client = NULL;
	krb5_keytab kt = NULL;
	krb5_creds creds;
	krb5_error_code rc;

	memset(&creds, 0, sizeof creds);
	rc = krb5_parse_name(k->ctx, k->admin, &client);
	if (rc == 0 && (rc = krb5_cc_new_unique(k->ctx, "MEMORY", NULL, &k->login_cc)) == 0)
		rc = krb5_cc_initialize(k->ctx, k->login_cc, client);
	if (rc == 0 && (rc = krb5_get_init_creds_opt_alloc(k->ctx, &opt)) == 0) {
		krb5_get_init_creds_opt_set_forwardable(opt, 0);
		krb5_get_init_creds_opt_set_proxiable(opt, 0);
		rc = krb5_get_init_creds_opt_set_out_ccache(k->ctx, opt, k->login_cc);
	}
	if (rc == 0 && keytab && (rc = krb5_kt_resolve(k->ctx, keytab, &kt)) == 0)
		rc = krb5_get_init_creds_keytab(k->ctx, &creds, client, kt, 0, service, opt);
	else if (rc == 0 && !keytab)
		rc = krb5_get_init_creds_password(k->ctx, &creds, client, pw, NULL, NULL, 0,
						  service, opt);
	if (kt)
		krb5_kt_close(k->ctx, kt);
	krb5_get_init_creds_opt_free(k->ctx, opt);
	krb5_free_cred_contents(k->ctx, &creds);
	krb5_free_principal(k->ctx, client);
	if (rc == KRB5KRB_AP_ERR_BAD_INTEGRITY)
		rc = KADM5_BAD_PASSWORD;
	if (rc == KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN)
		rc = KADM5_SECURE_PRINC_MISSING;
	return rc;
}

/* The session, with the ticket kdc_login_ticket got. */
static int kdc_login_with(kdc *k, const cfg_domain *d, const char *keytab, const char *pw,
			  const char *how, const char *file, tm_error *e)
{
	char service[] = KADM5_ADMIN_SERVICE, realm[NAME_DNS_MAX];
	kadm5_config_params params;
	kadm5_ret_t rc = kdc_login_ticket(k, keytab, pw);

	kdc_login_params(k, &params, realm, sizeof realm);
	if (rc == 0)
		rc = kadm5_init_with_creds(k->ctx, k->admin, k->login_cc, service, &params,
					   KADM5_STRUCT_VERSION, KADM5_API_VERSION_4, NULL,
					   &k->handle);
	if (rc == 0)
		return 0;
	k->handle = NULL;
	return kdc_login_failed(k, d, how, file, rc, e);
}

/* A login with the keytab named path. */
static int kdc_login_keytab(kdc *k, const cfg_domain *d, const char *path, const char *how,
			    tm_error *e)
{
	return kdc_login_with(k, d, path, NULL, how, path, e);
}

/* A login with the first line of kadmin_password_file. */
static int kdc_login_password(kdc *k, const cfg_domain *d, tm_error *e)
{
	char *pw = NULL;
	int r;

	if (config_read_secret(d->kadmin_password_file, "kadmin_password_file", d, &pw, e))
		return -1;
	r = kdc_login_with(k, d, NULL, pw, "kadmin_password_file", d->kadmin_password_file, e);
	secret_free(&pw);
	return r;
}

/* The kadmin/admin ticket, from the cache or asked with its krbtgt, as
 * `kadmin -c` does; a KDC that issues it only at an initial login (MIT's
 * default for kadmin/admin) is explained. */
static int kdc_login_service_ticket(kdc *k, krb5_ccache cc, krb5_principal client,
				    tm_error *e)
{
	krb5_creds in, *out = NULL;
	krb5_error_code rc;

	memset(&in, 0, sizeof in);
	in.client = client;
	rc = krb5_build_principal(k->ctx, &in.server, (unsigned)strlen(k->realm), k->realm,
				  "kadmin", "admin", (char *)NULL);
	if (rc == 0)
		rc = krb5_get_credentials(k->ctx, 0, cc, &in, &out);
	krb5_free_principal(k->ctx, in.server);
	krb5_free_creds(k->ctx, out);
	if (rc == 0)
		return 0;
	kdc_fail(k->ctx, e, rc, "the KDC of %s did not give %s a ticket for kadmin/admin@%s "
		 "with the ticket in %s:%s", k->realm, k->admin, k->realm, krb5_cc_get_type(k->ctx, cc),
		 krb5_cc_get_name(k->ctx, cc));
	if (rc == KRB5KDC_ERR_POLICY)
		error_hint(e, "kadmin/admin@%s takes only tickets of an initial login (MIT's default, "
			   "-allow_tgs_req). Get that ticket at login: `kinit -S kadmin/admin@%s %s` "
			   "(into the same collection), or allow tickets from a ticket-granting "
			   "ticket once on the KDC: `kadmin.local -q 'modprinc +allow_tgs_req "
			   "kadmin/admin@%s'`.", k->realm, k->realm, k->admin, k->realm);
	else
		error_hint(e, "Run `kinit %s` again (klist shows what the cache holds), and check that "
			   "the KDC of %s runs.", k->admin, k->realm);
	return -1;
}

/* kadm5_init_with_creds with the cache holding the kadmin principal. */
static int kdc_login_cache(kdc *k, const cfg_domain *d, krb5_ccache cc, krb5_principal p,
			   tm_error *e)
{
	char service[] = KADM5_ADMIN_SERVICE, realm[NAME_DNS_MAX], where[PATH_MAX + 16];
	kadm5_config_params params;
	kadm5_ret_t rc;

	if (kdc_login_service_ticket(k, cc, p, e))
		return -1;
	kdc_login_params(k, &params, realm, sizeof realm);
	rc = kadm5_init_with_creds(k->ctx, k->admin, cc, service, &params, KADM5_STRUCT_VERSION,
				   KADM5_API_VERSION_4, NULL, &k->handle);
	if (rc == 0)
		return 0;
	k->handle = NULL;
	snprintf(where, sizeof where, "%s:%s", krb5_cc_get_type(k->ctx, cc),
		 krb5_cc_get_name(k->ctx, cc));
	return kdc_login_failed(k, d, "the tickets of the cache", where, rc, e);
}

/* No keytab or password file: the administrator's own tickets, else the
 * default client keytab (kdc_own.c). */
static int kdc_login_own(kdc *k, const cfg_domain *d, tm_error *e)
{
	krb5_principal p = NULL;
	kdc_own own;
	int r;

	if (kdc_parse_e(k->ctx, k->admin, k->realm, &p, e))
		return -1;
	r = kdc_own_find(k->ctx, p, k->admin, d->dom.name, 1, &own, e);
	if (r == 0 && own.cc)
		r = kdc_login_cache(k, d, own.cc, p, e);
	else if (r == 0)
		r = kdc_login_keytab(k, d, own.keytab, "the default client keytab", e);
	kdc_own_free(k->ctx, &own);
	krb5_free_principal(k->ctx, p);
	return r;
}

/* The kadm5 client's encoder of principal names, exported by its library
 * but declared in no header it installs. */
bool_t xdr_krb5_principal(XDR *xdrs, krb5_principal *objp);

/* What the kadm5 client and its RPC library set up on first use, each
 * behind an unlocked "if not yet made" of a process-wide variable, made
 * here once before any session opens, so that sessions opened and used
 * side by side (backend/os/parallel.h) never race on them
 * (docs/ARCHITECTURE.md, "Side by side"): the kadm5 error tables
 * registered with com_err (a lost registration would leave kadmind's
 * refusals as unknown codes), the shared "no authentication" handle of
 * every RPC client, the text buffer of RPC error messages, and the Kerberos
 * context the encoder of principal names keeps for itself. A kadm5 login
 * given no handle to fill registers the tables and returns EINVAL before
 * anything else; encoding a null principal into memory makes the context.
 * Nothing here touches the network or a file but krb5.conf. */
static void kdc_login_prime_once(void)
{
	char none[] = "", buf[64];
	krb5_principal nobody = NULL;
	XDR x;

	(void)kadm5_init_with_creds(NULL, NULL, NULL, NULL, NULL, KADM5_STRUCT_VERSION,
				    KADM5_API_VERSION_4, NULL, NULL);
	(void)authnone_create();
	(void)clnt_spcreateerror(none);
	xdrmem_create(&x, buf, sizeof buf, XDR_ENCODE);
	(void)xdr_krb5_principal(&x, &nobody);
	XDR_DESTROY(&x);
}

/* kdc_login_prime_once, once per process. */
static void kdc_login_prime(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, kdc_login_prime_once);
}

/* Log in to kadmind as the kadmin principal: its keytab, its password
 * file, or the administrator's own credentials. */
int kdc_login(kdc *k, const cfg_domain *d, tm_error *e)
{
	kdc_login_prime();
	if (d->kadmin_keytab[0])
		return kdc_login_keytab(k, d, d->kadmin_keytab, "kadmin_keytab", e);
	if (d->kadmin_password_file[0])
		return kdc_login_password(k, d, e);
	return kdc_login_own(k, d, e);
}

