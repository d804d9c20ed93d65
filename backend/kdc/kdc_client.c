/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_client.c - libkrb5 as an ordinary client (kdc_internal.h): the
 * library contexts with the deadline every KDC exchange keeps, and the
 * protocol operations prove, change and verify, which need no
 * administrator credentials.
 *
 * How long a call may wait. MIT krb5 1.20 has few knobs for this:
 * - KDC exchanges: libkrb5 1.20's sendto loop has no setting for its
 *   timeout. For a KDC that accepts but never answers it waits 1 s per
 *   transport and address, 2 s at the end of the first pass, then two more
 *   passes ending in 4 s and 8 s waits: measured 27 s for the lab's form
 *   (one host:port, TCP and UDP). A refused connection (nothing listens)
 *   fails at once. On top of that, a pre-send hook (krb5_set_kdc_send_hook)
 *   refuses to start another KDC request once the operation's timeout has
 *   passed, so an operation made of several exchanges ends within the
 *   timeout plus one exchange.
 * - kpasswd (krb5_change_password): the same sendto loop, without the hook.
 * - kadmind: see kdc_admin.c.
 * A single exchange with a server that accepted and went silent is cut off
 * by the call guard (kdc_watch.c): every public function ends within its
 * timeout plus a fraction of a second, with the server named.
 */
#include "backend/kdc/kdc_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/secret.h"

#define KDC_CHANGEPW_LIFE 300           /* seconds: a kadmin/changepw ticket */
#define KDC_VERIFY_DEFAULT_SERVICE "kadmin/admin"

/* A client session for the protocol operations. */
typedef struct kdc_client {
	krb5_context ctx;
	kdc_clock clock;
} kdc_client;

/* ------------------------------------------------------------ time */

/* Start c: the deadline is seconds from now (the default when <= 0). */
void kdc_clock_start(kdc_clock *c, int seconds)
{
	c->seconds = seconds > 0 ? seconds : KDC_DEFAULT_TIMEOUT;
	clock_gettime(CLOCK_MONOTONIC, &c->end);
	c->end.tv_sec += c->seconds;
}

/* Milliseconds left before the deadline (0 when it has passed). */
int kdc_clock_left_ms(const kdc_clock *c)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(c->end.tv_sec - now.tv_sec) * 1000 +
	     (c->end.tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* libkrb5 pre-send hook: no new KDC request once the timeout has passed. */
static krb5_error_code KRB5_CALLCONV kdc_send_hook(krb5_context ctx, void *data,
						   const krb5_data *realm,
						   const krb5_data *message,
						   krb5_data **new_message_out,
						   krb5_data **new_reply_out)
{
	const kdc_clock *c = data;

	(void)message;
	(void)new_message_out;
	(void)new_reply_out;
	if (kdc_clock_left_ms(c) > 0)
		return 0;
	krb5_set_error_message(ctx, KRB5_KDC_UNREACH,
			       "no answer from the KDC of %.*s within the %d s timeout",
			       (int)realm->length, realm->data, c->seconds);
	return KRB5_KDC_UNREACH;
}

/* ------------------------------------------------------------ contexts */

/* A library context reading krb5.conf (KRB5_CONFIG), with the deadline hook
 * (kdc_open uses it too). */
int kdc_ctx_new(krb5_context *ctx, kdc_clock *clock, int timeout, tm_error *e)
{
	krb5_error_code rc = krb5_init_context(ctx);

	if (rc != 0) {
		*ctx = NULL;
		return kdc_fail(NULL, e, rc, "could not initialise the Kerberos library "
				"from %s", getenv("KRB5_CONFIG") ? getenv("KRB5_CONFIG") :
				"the default krb5.conf");
	}
	kdc_clock_start(clock, timeout);
	krb5_set_kdc_send_hook(*ctx, kdc_send_hook, clock);
	return 0;
}

static int kdc_client_open(kdc_client *c, int timeout, tm_error *e)
{
	return kdc_ctx_new(&c->ctx, &c->clock, timeout, e);
}

static void kdc_client_close(kdc_client *c)
{
	if (c->ctx)
		krb5_free_context(c->ctx);
	c->ctx = NULL;
}

/* ------------------------------------------------------------ errors */

/* The library's words for rc, into buf. */
static void kdc_message(krb5_context ctx, long rc, char *buf, size_t n)
{
	const char *msg = krb5_get_error_message(ctx, (krb5_error_code)rc);

	snprintf(buf, n, "%s", msg);
	krb5_free_error_message(ctx, msg);
}

/* ------------------------------------------------------------ client side */

/* The key version and enctype of the ticket in creds (the service's key). */
static int kdc_ticket_kvno(krb5_context ctx, const krb5_creds *creds, uint32_t *kvno,
			   int32_t *enctype, tm_error *e)
{
	krb5_ticket *t = NULL;
	krb5_error_code rc = krb5_decode_ticket(&creds->ticket, &t);

	if (rc != 0)
		return kdc_fail(ctx, e, rc, "could not decode a ticket");
	if (kvno)
		*kvno = t->enc_part.kvno;
	if (enctype)
		*enctype = t->enc_part.enctype;
	krb5_free_ticket(ctx, t);
	return 0;
}

/* Principal for a client operation: realm added when missing; a different
 * realm is refused (the AS exchange goes to the principal's own realm). */
static int kdc_client_principal(kdc_client *c, const char *principal, const char *realm,
				krb5_principal *p, char *name, size_t n, tm_error *e)
{
	if (kdc_parse_e(c->ctx, principal, realm, p, e))
		return -1;
	if (!kdc_data_is(&(*p)->realm, realm)) {
		krb5_free_principal(c->ctx, *p);
		*p = NULL;
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "%s is not a principal of realm %s", principal, realm);
	}
	return kdc_unparse(c->ctx, *p, name, n, e);
}

/* AS exchange as p with password for service (NULL: the realm's TGT). */
static krb5_error_code kdc_as(kdc_client *c, krb5_principal p, const char *password,
			      const char *service, krb5_deltat life, krb5_creds *creds)
{
	krb5_get_init_creds_opt *opt = NULL;
	krb5_error_code rc;

	memset(creds, 0, sizeof *creds);
	rc = krb5_get_init_creds_opt_alloc(c->ctx, &opt);
	if (rc != 0)
		return rc;
	if (life > 0) {
		krb5_get_init_creds_opt_set_tkt_life(opt, life);
		krb5_get_init_creds_opt_set_renew_life(opt, 0);
		krb5_get_init_creds_opt_set_forwardable(opt, 0);
		krb5_get_init_creds_opt_set_proxiable(opt, 0);
	}
	rc = krb5_get_init_creds_password(c->ctx, creds, p, password, NULL, NULL, 0,
					  service, opt);
	krb5_get_init_creds_opt_free(c->ctx, opt);
	return rc;
}

/* 1 wrong password, 2 locked or revoked, 3 unknown principal, 0 other. */
static int kdc_prove_class(krb5_error_code rc)
{
	switch (rc) {
	case KRB5KDC_ERR_PREAUTH_FAILED:
	case KRB5KRB_AP_ERR_BAD_INTEGRITY:
		return 1;
	case KRB5KDC_ERR_CLIENT_REVOKED:
		return 2;
	case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
		return 3;
	default:
		return 0;
	}
}

/* A ticket for the principal itself carries its current kvno. */
static int kdc_prove_as(kdc_client *c, krb5_principal p, const char *name,
			const char *password, int *res, uint32_t *kvno, tm_error *e)
{
	krb5_creds creds;
	krb5_error_code rc = kdc_as(c, p, password, name, 0, &creds);
	int r = 0;

	if (rc == 0) {
		*res = 0;
		if (kvno)
			r = kdc_ticket_kvno(c->ctx, &creds, kvno, NULL, e);
		krb5_free_cred_contents(c->ctx, &creds);
		return r;
	}
	*res = kdc_prove_class(rc);
	if (*res)
		return 0;
	return kdc_fail(c->ctx, e, rc, "could not log in as %s", name);
}

/* The body of kdc_prove(), with SIGPIPE held off by the caller. */
static int kdc_prove_run(const char *realm, const char *principal, const char *password, int *res,
			 uint32_t *kvno, int timeout, tm_error *e)
{
	kdc_client c = { 0 };
	krb5_principal p = NULL;
	char name[KDC_NAME_MAX];
	int r;

	*res = 0;
	if (kvno)
		*kvno = 0;
	if (kdc_client_open(&c, timeout, e))
		return -1;
	r = kdc_client_principal(&c, principal, realm, &p, name, sizeof name, e);
	if (r == 0)
		r = kdc_prove_as(&c, p, name, password, res, kvno, e);
	if (p)
		krb5_free_principal(c.ctx, p);
	kdc_client_close(&c);
	return r;
}

/* AS exchange as principal with password: right, wrong, locked or unknown. */
int kdc_prove(const char *realm, const char *principal, const char *password, int *res,
	      uint32_t *kvno, int timeout, tm_error *e)
{
	kdc_guard g;
	int r;

	kdc_watch_begin(&g, timeout, NULL, 0, realm, NULL);
	r = kdc_prove_run(realm, principal, password, res, kvno, timeout, e);
	kdc_watch_end(&g);
	if (r < 0 && g.fired)
		return kdc_watch_fail(&g, realm, e, "proving the password of %s against realm %s",
				      principal, realm);
	return r;
}

/* Explain a login for a password change that the KDC refused. */
static int kdc_change_login_failed(kdc_client *c, krb5_error_code rc, const char *name,
				   tm_error *e)
{
	static const char *const why[] = { "", "the old password is wrong",
					   "the principal is locked",
					   "the principal does not exist" };
	int cls = kdc_prove_class(rc);

	kdc_fail(c->ctx, e, rc, "could not log in as %s to change its password%s%s", name,
		 cls ? ": " : "", why[cls]);
	if (cls && e)
		e->cls = TM_EFAIL;
	return -1;
}

/* Decode the kpasswd reply: 0 when the server accepted the change. */
static int kdc_change_result(kdc_client *c, const char *name, int code,
			     krb5_data *code_str, krb5_data *result, tm_error *e)
{
	char *msg = NULL;

	if (code == KRB5_KPASSWD_SUCCESS)
		return 0;
	if (krb5_chpw_message(c->ctx, result, &msg) != 0)
		msg = NULL;
	error_fail(e, TM_EFAIL, NULL, "the kpasswd service refused to change the password of %s: "
		"%.*s%s%s", name, (int)code_str->length, code_str->data ? code_str->data : "",
		msg && *msg ? ": " : "", msg ? msg : "");
	krb5_free_string(c->ctx, msg);
	return -1;
}

/* kpasswd (RFC 3244) with a kadmin/changepw ticket got with old_pw. */
static int kdc_change_pw(kdc_client *c, krb5_principal p, const char *name,
			 const char *old_pw, const char *new_pw, int *sent, tm_error *e)
{
	krb5_creds creds;
	krb5_data code_str = { 0 }, result = { 0 };
	krb5_error_code rc;
	int code = 0, r;

	rc = kdc_as(c, p, old_pw, KADM5_CHANGEPW_SERVICE, KDC_CHANGEPW_LIFE, &creds);
	if (rc != 0)
		return kdc_change_login_failed(c, rc, name, e);
	*sent = 1;
	rc = krb5_change_password(c->ctx, &creds, new_pw, &code, &code_str, &result);
	krb5_free_cred_contents(c->ctx, &creds);
	if (rc != 0)
		r = kdc_fail(c->ctx, e, rc, "could not reach the kpasswd service of %.*s to change "
			     "the password of %s", (int)p->realm.length, p->realm.data, name);
	else
		r = kdc_change_result(c, name, code, &code_str, &result, e);
	krb5_free_data_contents(c->ctx, &code_str);
	krb5_free_data_contents(c->ctx, &result);
	return r;
}

/* After the change: log in with the new password to learn the new kvno. */
static int kdc_change_kvno(kdc_client *c, krb5_principal p, const char *name,
			   const char *new_pw, uint32_t *kvno, tm_error *e)
{
	int res = 0;

	if (kdc_prove_as(c, p, name, new_pw, &res, kvno, e))
		return -1;
	if (res != 0)
		return error_fail(e, TM_EBACKEND, NULL, "the password of %s was changed, but a login "
			       "with the new one then failed (%s)", name, res == 2 ? "locked" :
			       res == 3 ? "unknown principal" : "wrong password");
	return 0;
}

/* The body of kdc_change(), with SIGPIPE held off by the caller. */
static int kdc_change_run(const char *realm, const char *principal, const char *old_pw,
			  const char *new_pw, uint32_t *kvno, int timeout, int *sent, tm_error *e)
{
	kdc_client c = { 0 };
	krb5_principal p = NULL;
	char name[KDC_NAME_MAX];
	uint32_t v = 0;
	int r;

	if (kdc_client_open(&c, timeout, e))
		return -1;
	r = kdc_client_principal(&c, principal, realm, &p, name, sizeof name, e);
	if (r == 0)
		r = kdc_change_pw(&c, p, name, old_pw, new_pw, sent, e);
	if (r == 0)
		r = kdc_change_kvno(&c, p, name, new_pw, &v, e);
	if (r == 0 && kvno)
		*kvno = v;
	if (p)
		krb5_free_principal(c.ctx, p);
	kdc_client_close(&c);
	return r;
}

/* Change principal's password from old_pw to new_pw through kpasswd. */
int kdc_change(const char *realm, const char *principal, const char *old_pw,
	       const char *new_pw, uint32_t *kvno, int timeout, tm_error *e)
{
	kdc_guard g;
	int r, sent = 0;

	kdc_watch_begin(&g, timeout, NULL, 0, realm, NULL);
	r = kdc_change_run(realm, principal, old_pw, new_pw, kvno, timeout, &sent, e);
	kdc_watch_end(&g);
	if (r < 0 && g.fired)
		kdc_watch_fail(&g, realm, e, "changing the password of %s in realm %s (kpasswd)",
			       principal, realm);
	/* Once the change request left, a failure does not say it was not made. */
	if (r < 0 && sent && e->cls != TM_EFAIL)
		e->status = ST_IO_TIMEOUT;
	return r;
}

/* ------------------------------------------------------------ verify */

/* The verify state: a client of the trusted realm with a memory cache. */
typedef struct kdc_verify_ctx {
	kdc_client c;
	krb5_ccache cc;
	krb5_ccache path_cc;           /* the initial ticket alone: the clients' path */
	krb5_principal client;
	const cfg_domain *trusting;
	const cfg_domain *trusted;
	verify_result *r;
} kdc_verify_ctx;

static void kdc_verify_init(verify_result *r, const cfg_domain *trusting,
			    const cfg_domain *trusted)
{
	memset(r, 0, sizeof *r);
	r->outcome = VERIFY_OK;
	snprintf(r->trusting, sizeof r->trusting, "%s", trusting->dom.name);
	snprintf(r->trusted, sizeof r->trusted, "%s", trusted->dom.name);
}

/* Which credentials of the trusted side to use: the verify principal, else
 * the kadmin principal (with its keytab or password file, or alone: the
 * administrator's own tickets). Returns 0 with the names set, -1 when none. */
static int kdc_verify_creds(const cfg_domain *d, const char **who, const char **keytab,
			    const char **pwfile, const char **key, tm_error *e)
{
	int v = d->verify_principal[0] && (d->verify_keytab[0] || d->verify_password_file[0]);

	*who = v ? d->verify_principal : d->kadmin_principal;
	*keytab = v ? d->verify_keytab : d->kadmin_keytab;
	*pwfile = v ? d->verify_password_file : d->kadmin_password_file;
	*key = v ? "verify_password_file" : "kadmin_password_file";
	if ((*who)[0])
		return 0;
	return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
		       "domain %s: no credentials to verify with: set verify_principal with "
		       "verify_password_file or verify_keytab, or kadmin_principal", d->dom.name);
}

static krb5_error_code kdc_tgt_keytab(kdc_verify_ctx *v, const char *path, krb5_creds *creds)
{
	krb5_keytab kt = NULL;
	krb5_error_code rc = krb5_kt_resolve(v->c.ctx, path, &kt);

	if (rc != 0)
		return rc;
	memset(creds, 0, sizeof *creds);
	rc = krb5_get_init_creds_keytab(v->c.ctx, creds, v->client, kt, 0, NULL, NULL);
	krb5_kt_close(v->c.ctx, kt);
	return rc;
}

static int kdc_tgt_password(kdc_verify_ctx *v, const char *path, const char *key,
			    krb5_creds *creds, krb5_error_code *rc, tm_error *e)
{
	char *pw = NULL;

	if (config_read_secret(path, key, v->trusted, &pw, e))
		return -1;
	*rc = kdc_as(&v->c, v->client, pw, NULL, 0, creds);
	secret_free(&pw);
	return 0;
}

/* The administrator's own TGT (kdc_own.c): copied from the cache holding
 * the principal, or got with the default client keytab. */
static int kdc_tgt_own(kdc_verify_ctx *v, const char *who, krb5_creds *creds,
		       krb5_error_code *rc, tm_error *e)
{
	kdc_own own;

	if (kdc_own_find(v->c.ctx, v->client, who, v->trusted->dom.name, 0, &own, e))
		return -1;
	if (own.cc)
		*rc = kdc_own_tgt(v->c.ctx, &own, v->client, creds);
	else
		*rc = kdc_tgt_keytab(v, own.keytab, creds);
	kdc_own_free(v->c.ctx, &own);
	return 0;
}

/* A new memory cache *cc holding creds as its first ticket. */
static krb5_error_code kdc_cache_one(kdc_verify_ctx *v, krb5_creds *creds, krb5_ccache *cc)
{
	krb5_error_code rc = krb5_cc_new_unique(v->c.ctx, "MEMORY", NULL, cc);

	if (rc == 0)
		rc = krb5_cc_initialize(v->c.ctx, *cc, v->client);
	if (rc == 0)
		rc = krb5_cc_store_cred(v->c.ctx, *cc, creds);
	return rc;
}

/* The verify cache, and a second one for the clients' own path. */
static krb5_error_code kdc_cache_init(kdc_verify_ctx *v, krb5_creds *creds)
{
	krb5_error_code rc = kdc_cache_one(v, creds, &v->cc);

	return rc ? rc : kdc_cache_one(v, creds, &v->path_cc);
}

/* Unreachable KDC: record it as the outcome, on the domain named. */
static int kdc_unreachable(kdc_verify_ctx *v, krb5_error_code rc, const cfg_domain *d)
{
	v->r->outcome = VERIFY_UNREACHABLE;
	snprintf(v->r->missing_on, sizeof v->r->missing_on, "%s", d->dom.name);
	kdc_message(v->c.ctx, rc, v->r->detail, sizeof v->r->detail);
	return 1;
}

static int kdc_is_unreachable(krb5_error_code rc)
{
	return rc == KRB5_KDC_UNREACH || rc == KRB5_REALM_CANT_RESOLVE;
}

/* A TGT of the trusted realm: 0 done, 1 outcome recorded, -1 error. */
static int kdc_verify_tgt(kdc_verify_ctx *v, tm_error *e)
{
	const char *who, *keytab, *pwfile, *key;
	krb5_creds creds;
	krb5_error_code rc;

	if (kdc_verify_creds(v->trusted, &who, &keytab, &pwfile, &key, e) ||
	    kdc_parse_e(v->c.ctx, who, v->trusted->dom.realm, &v->client, e))
		return -1;
	memset(&creds, 0, sizeof creds);
	if (keytab[0])
		rc = kdc_tgt_keytab(v, keytab, &creds);
	else if (pwfile[0] && kdc_tgt_password(v, pwfile, key, &creds, &rc, e))
		return -1;
	else if (!pwfile[0] && kdc_tgt_own(v, who, &creds, &rc, e))
		return -1;
	if (kdc_is_unreachable(rc))
		return kdc_unreachable(v, rc, v->trusted);
	if (rc != 0)
		return kdc_fail(v->c.ctx, e, rc, "domain %s: could not log in as %s to verify "
				"the trust", v->trusted->dom.name, who);
	rc = kdc_cache_init(v, &creds);
	krb5_free_cred_contents(v->c.ctx, &creds);
	if (rc != 0)
		return kdc_fail(v->c.ctx, e, rc, "could not make a memory credential cache");
	return 0;
}

/* A service ticket from cache cc's client for server. */
static krb5_error_code kdc_get_ticket_in(kdc_verify_ctx *v, krb5_ccache cc,
					 krb5_principal server, krb5_creds *out)
{
	krb5_creds in, *got = NULL;
	krb5_error_code rc;

	memset(&in, 0, sizeof in);
	in.client = v->client;
	in.server = server;
	rc = krb5_get_credentials(v->c.ctx, 0, cc, &in, &got);
	if (rc == 0) {
		*out = *got;
		free(got);
	}
	return rc;
}

/* A service ticket through the verify cache (the explicit referral). */
static krb5_error_code kdc_get_ticket(kdc_verify_ctx *v, krb5_principal server,
				      krb5_creds *out)
{
	return kdc_get_ticket_in(v, v->cc, server, out);
}

/* An error of a ticket request as an outcome; -1 when none fits. */
static int kdc_classify(krb5_error_code rc, const char *detail)
{
	switch (rc) {
	case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
		return VERIFY_MISSING_PRINCIPAL;
	case KRB5KRB_AP_ERR_BADKEYVER:
	case KRB5KRB_AP_ERR_NOKEY:
		return VERIFY_NO_MATCHING_KVNO;
	case KRB5KRB_AP_ERR_BAD_INTEGRITY:
		return VERIFY_DECRYPT_INTEGRITY;
	case KRB5KDC_ERR_ETYPE_NOSUPP:
		return VERIFY_NO_COMMON_ENCTYPE;
	case KRB5_KDC_UNREACH:
	case KRB5_REALM_CANT_RESOLVE:
		return VERIFY_UNREACHABLE;
	default:
		break;
	}
	/* "No matching key in entry" on the KDC: KRB_ERR_GENERIC + PROCESS_TGS. */
	if (strstr(detail, "PROCESS_TGS"))
		return VERIFY_NO_MATCHING_KVNO;
	return -1;
}

/* Record a failed ticket request at the KDC of d: 1, or -1 when unknown. */
static int kdc_verify_failed(kdc_verify_ctx *v, krb5_error_code rc, const cfg_domain *d,
			     const char *asked, tm_error *e)
{
	int o;

	kdc_message(v->c.ctx, rc, v->r->detail, sizeof v->r->detail);
	o = kdc_classify(rc, v->r->detail);
	if (o < 0)
		return kdc_fail(v->c.ctx, e, rc, "the KDC of %s refused a ticket for %s",
				d->dom.realm, asked);
	v->r->outcome = (verify_outcome)o;
	snprintf(v->r->missing_on, sizeof v->r->missing_on, "%s", d->dom.name);
	return 1;
}

/* Step 1: the referral krbtgt/TRUSTING@TRUSTED from the trusted KDC. */
static int kdc_verify_referral(kdc_verify_ctx *v, tm_error *e)
{
	krb5_principal server = NULL;
	krb5_creds tgt;
	krb5_error_code rc;
	int r;

	rc = krb5_parse_name(v->c.ctx, v->r->principal, &server);
	if (rc != 0)
		return kdc_fail(v->c.ctx, e, rc, "'%s' is not a valid principal", v->r->principal);
	rc = kdc_get_ticket(v, server, &tgt);
	krb5_free_principal(v->c.ctx, server);
	if (rc != 0)
		return kdc_verify_failed(v, rc, v->trusted, v->r->principal, e);
	r = kdc_ticket_kvno(v->c.ctx, &tgt, &v->r->issuer_kvno, &v->r->enctype, e);
	krb5_free_cred_contents(v->c.ctx, &tgt);
	return r;
}

/* Step 2: a service ticket of the trusting realm with that referral. */
static int kdc_verify_service(kdc_verify_ctx *v, char *asked, size_t n, tm_error *e)
{
	const char *svc = v->trusting->verify_service[0] ? v->trusting->verify_service
							: KDC_VERIFY_DEFAULT_SERVICE;
	krb5_principal server = NULL;
	krb5_creds tkt;
	krb5_error_code rc;

	if (kdc_parse_e(v->c.ctx, svc, v->trusting->dom.realm, &server, e) ||
	    kdc_unparse(v->c.ctx, server, asked, n, e)) {
		krb5_free_principal(v->c.ctx, server);
		return -1;
	}
	rc = kdc_get_ticket(v, server, &tkt);
	krb5_free_principal(v->c.ctx, server);
	if (rc == 0) {
		krb5_free_cred_contents(v->c.ctx, &tkt);
		return 0;
	}
	/* The KDC opens the referral ticket before it looks at the service's
	 * own rules: a policy refusal (kadmin/admin is DISALLOW_TGT_BASED)
	 * means the trust key worked. */
	if (rc == KRB5KDC_ERR_POLICY) {
		snprintf(v->r->detail, sizeof v->r->detail, "the KDC of %.60s opened the "
			 "referral, then refused %.120s by its own policy",
			 v->trusting->dom.realm, asked);
		return 0;
	}
	return kdc_verify_failed(v, rc, v->trusting, asked, e);
}

/* What the trusting KDC holds for the trust principal, through kadmin
 * (when its credentials are configured): 0, 1 no such principal, -1. */
static int kdc_acceptor_keys(kdc_verify_ctx *v, kdc_entry *en)
{
	tm_error ignored;
	krb5_principal p = NULL;
	kdc *k = kdc_open_run(v->trusting, v->c.clock.seconds, &ignored);
	int r = -1;

	if (!k)
		return -1;
	if (krb5_parse_name(k->ctx, v->r->principal, &p) == 0) {
		r = kdc_entry_get(k, p, v->r->principal, en, &ignored);
		krb5_free_principal(k->ctx, p);
	}
	kdc_close_run(&k);
	return r;
}

/* Add text to the library's words in r->detail (truncated to fit). */
static void kdc_detail_append(verify_result *r, const char *text)
{
	size_t len = strlen(r->detail), add = strlen(text);

	if (len + add >= sizeof r->detail)
		add = sizeof r->detail - len - 1;
	memcpy(r->detail + len, text, add);
	r->detail[len + add] = '\0';
}

static int kdc_entry_has(const kdc_entry *en, uint32_t kvno, int32_t enctype)
{
	size_t i;

	for (i = 0; i < en->nkeys; i++)
		if (en->kvno[i] == kvno && (enctype == 0 || en->enctype[i] == enctype))
			return 1;
	return 0;
}

/* The trusting KDC refused the referral: refine with what it holds. A
 * generic "No matching key" with a key of the issuer's kvno but not of its
 * enctype is an enctype mismatch. A missing service is not a trust fault. */
static int kdc_verify_refine(kdc_verify_ctx *v, const char *asked, tm_error *e)
{
	char note[NAME_DNS_MAX + sizeof v->r->principal + 64];
	kdc_entry en;
	int r = kdc_acceptor_keys(v, &en);

	if (r < 0)
		return 0;
	if (r > 0) {
		v->r->outcome = VERIFY_MISSING_PRINCIPAL;
		snprintf(note, sizeof note, "; the KDC of %s has no %s to open the referral with",
			 v->trusting->dom.realm, v->r->principal);
		kdc_detail_append(v->r, note);
		return 0;
	}
	v->r->acceptor_kvno = en.max_kvno;
	if (v->r->outcome == VERIFY_MISSING_PRINCIPAL)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "the trust key %s works, but realm %s has no principal %s to ask "
			       "a ticket for: set verify_service of domain %s to a service that "
			       "exists", v->r->principal, v->trusting->dom.realm, asked,
			       v->trusting->dom.name);
	if (v->r->outcome == VERIFY_NO_MATCHING_KVNO &&
	    kdc_entry_has(&en, v->r->issuer_kvno, 0) &&
	    !kdc_entry_has(&en, v->r->issuer_kvno, v->r->enctype))
		v->r->outcome = VERIFY_NO_COMMON_ENCTYPE;
	return 0;
}

/* Step 3, once the trust's keys are proved: the same service ticket as a
 * client of the trusted realm gets it, from its initial ticket alone, the
 * library finding the path through this machine's krb5.conf ([capaths],
 * else the realm names' hierarchy). When only that fails, the clients'
 * configuration is what is missing. */
/* Do this machine's krb5.conf rules send the trusting domain's hosts to
 * its realm? 0 yes (or no DNS name known), 1 no (outcome recorded). */
static int kdc_verify_host_realm(kdc_verify_ctx *v)
{
	const char *dns = v->trusting->dom.dns, *want = v->trusting->dom.realm;
	char **realms = NULL;
	int wrong;

	if (!dns[0] || krb5_get_host_realm(v->c.ctx, dns, &realms) != 0)
		return 0;
	wrong = !realms || !realms[0] || strcmp(realms[0], want) != 0;
	if (wrong) {
		v->r->outcome = VERIFY_NO_CLIENT_PATH;
		snprintf(v->r->missing_on, sizeof v->r->missing_on, "%s", v->trusted->dom.name);
		snprintf(v->r->detail, sizeof v->r->detail, "krb5.conf maps the hosts of %.60s "
			 "to %.60s, not to %.60s ([domain_realm])", dns,
			 realms && realms[0] && realms[0][0] ? realms[0] : "no realm", want);
	}
	krb5_free_host_realm(v->c.ctx, realms);
	return wrong;
}

static int kdc_verify_client_path(kdc_verify_ctx *v, tm_error *e)
{
	const char *svc = v->trusting->verify_service[0] ? v->trusting->verify_service
							: KDC_VERIFY_DEFAULT_SERVICE;
	krb5_principal server = NULL;
	krb5_creds tkt;
	krb5_error_code rc;

	if (kdc_verify_host_realm(v))
		return 1;
	if (kdc_parse_e(v->c.ctx, svc, v->trusting->dom.realm, &server, e))
		return -1;
	rc = kdc_get_ticket_in(v, v->path_cc, server, &tkt);
	krb5_free_principal(v->c.ctx, server);
	if (rc == 0) {
		krb5_free_cred_contents(v->c.ctx, &tkt);
		return 0;
	}
	if (rc == KRB5KDC_ERR_POLICY || kdc_is_unreachable(rc))
		return 0;      /* as in step 2: the path was found */
	v->r->outcome = VERIFY_NO_CLIENT_PATH;
	snprintf(v->r->missing_on, sizeof v->r->missing_on, "%s", v->trusted->dom.name);
	kdc_message(v->c.ctx, rc, v->r->detail, sizeof v->r->detail);
	return 1;
}

/* The cache path_cc again as kdc_verify_tgt left it: the initial ticket
 * alone (taken from the verify cache), for kdc_verify_client_path. */
static krb5_error_code kdc_path_reset(kdc_verify_ctx *v)
{
	krb5_creds in, out;
	krb5_error_code rc;

	memset(&in, 0, sizeof in);
	memset(&out, 0, sizeof out);
	in.client = v->client;
	rc = krb5_build_principal_ext(v->c.ctx, &in.server, v->client->realm.length,
				      v->client->realm.data, KRB5_TGS_NAME_SIZE, KRB5_TGS_NAME,
				      v->client->realm.length, v->client->realm.data, 0);
	if (rc == 0)
		rc = krb5_cc_retrieve_cred(v->c.ctx, v->cc, 0, &in, &out);
	krb5_free_principal(v->c.ctx, in.server);
	if (rc == 0) {
		krb5_cc_destroy(v->c.ctx, v->path_cc);
		v->path_cc = NULL;
		rc = kdc_cache_one(v, &out, &v->path_cc);
	}
	krb5_free_cred_contents(v->c.ctx, &out);
	return rc;
}

/* Back to the steps one by one after kdc_verify_direct: nothing of its
 * attempt kept (outcome, detail, the tickets it added to path_cc). */
static int kdc_verify_fallback(kdc_verify_ctx *v, tm_error *e)
{
	krb5_error_code rc;

	v->r->outcome = VERIFY_OK;
	v->r->missing_on[0] = v->r->detail[0] = '\0';
	rc = kdc_path_reset(v);
	return rc ? kdc_fail(v->c.ctx, e, rc, "could not make a memory credential cache") : 0;
}

/* The clients' own path first: the service ticket from the initial ticket
 * alone, as kdc_verify_client_path asks for it. When it comes, the trusted
 * KDC issued the referral and the trusting one accepted it, so steps 1 and
 * 2 are proved too, and the referral's key version and type are read from
 * the ticket the library kept on the way: 1, r is the answer. A refusal
 * by the service's own policy counts as in step 2: the trusting KDC
 * opened the referral first. Anything else (a refusal, a KDC that does not
 * answer, no such ticket kept): 0, and the steps run one by one from the
 * same start, which tell the trust's faults from the clients' path as
 * before. -1 on error. */
static int kdc_verify_direct(kdc_verify_ctx *v, tm_error *e)
{
	const char *svc = v->trusting->verify_service[0] ? v->trusting->verify_service
							: KDC_VERIFY_DEFAULT_SERVICE;
	krb5_principal server = NULL, cross = NULL;
	char asked[KDC_NAME_MAX];
	krb5_creds in, out;
	krb5_error_code rc;
	int r;

	if (kdc_verify_host_realm(v))
		return kdc_verify_fallback(v, e);
	if (kdc_parse_e(v->c.ctx, svc, v->trusting->dom.realm, &server, e))
		return -1;
	memset(&out, 0, sizeof out);
	rc = kdc_get_ticket_in(v, v->path_cc, server, &out);
	if (rc == KRB5KDC_ERR_POLICY && kdc_unparse(v->c.ctx, server, asked, sizeof asked, e) == 0) {
		snprintf(v->r->detail, sizeof v->r->detail, "the KDC of %.60s opened the referral, "
			 "then refused %.120s by its own policy", v->trusting->dom.realm, asked);
		rc = 0;
	} else if (rc == 0) {
		krb5_free_cred_contents(v->c.ctx, &out);
	}
	krb5_free_principal(v->c.ctx, server);
	memset(&in, 0, sizeof in);
	memset(&out, 0, sizeof out);
	if (rc == 0 && (rc = krb5_parse_name(v->c.ctx, v->r->principal, &cross)) == 0) {
		in.client = v->client;
		in.server = cross;
		rc = krb5_cc_retrieve_cred(v->c.ctx, v->path_cc, 0, &in, &out);
		krb5_free_principal(v->c.ctx, cross);
	}
	if (rc != 0)
		return kdc_verify_fallback(v, e);
	r = kdc_ticket_kvno(v->c.ctx, &out, &v->r->issuer_kvno, &v->r->enctype, e);
	krb5_free_cred_contents(v->c.ctx, &out);
	return r < 0 ? -1 : 1;
}

static int kdc_verify_steps(kdc_verify_ctx *v, tm_error *e)
{
	char asked[KDC_NAME_MAX] = "";
	int r;

	if (strcmp(v->trusting->dom.realm, v->trusted->dom.realm) == 0)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "domains %s and %s share the "
			       "realm %s: there is no trust between them to verify",
			       v->trusting->dom.name, v->trusted->dom.name, v->trusted->dom.realm);
	if (keys_trust_principal(v->trusting->dom.realm, v->trusted->dom.realm,
				 v->r->principal, sizeof v->r->principal, e))
		return -1;
	r = kdc_verify_tgt(v, e);
	if (r == 0 && (r = kdc_verify_direct(v, e)) == 1)
		return 0;
	if (r == 0)
		r = kdc_verify_referral(v, e);
	if (r == 0)
		r = kdc_verify_service(v, asked, sizeof asked, e);
	if (r == 0 && v->r->outcome == VERIFY_OK)
		r = kdc_verify_client_path(v, e);
	if (r == 1 && v->r->outcome != VERIFY_UNREACHABLE &&
	    strcmp(v->r->missing_on, v->trusting->dom.name) == 0)
		r = kdc_verify_refine(v, asked, e);
	return r < 0 ? -1 : 0;
}

/* The body of kdc_verify(), with SIGPIPE held off by the caller. */
static int kdc_verify_run(const cfg_domain *trusting, const cfg_domain *trusted, int timeout,
			  verify_result *r, tm_error *e)
{
	kdc_verify_ctx v;
	int rc;

	memset(&v, 0, sizeof v);
	v.trusting = trusting;
	v.trusted = trusted;
	v.r = r;
	kdc_verify_init(r, trusting, trusted);
	if (kdc_client_open(&v.c, timeout, e))
		return -1;
	rc = kdc_verify_steps(&v, e);
	if (v.cc)
		krb5_cc_destroy(v.c.ctx, v.cc);
	if (v.path_cc)
		krb5_cc_destroy(v.c.ctx, v.path_cc);
	if (v.client)
		krb5_free_principal(v.c.ctx, v.client);
	kdc_client_close(&v.c);
	return rc;
}

/* The watchdog cut verify off: the outcome is "unreachable", on the domain
 * whose server did not answer, with the server and the timeout as detail. */
static void kdc_verify_cut(const kdc_guard *g, const cfg_domain *trusting,
			   const cfg_domain *trusted, verify_result *r)
{
	char realm[NAME_DNS_MAX], server[sizeof r->detail - 48];
	int kadmin;

	snprintf(realm, sizeof realm, "%s", trusted->dom.realm);
	kdc_watch_server(g, realm, sizeof realm, server, sizeof server, &kadmin);
	r->outcome = VERIFY_UNREACHABLE;
	snprintf(r->missing_on, sizeof r->missing_on, "%s",
		 strcmp(realm, trusting->dom.realm) == 0 ? trusting->dom.name : trusted->dom.name);
	snprintf(r->detail, sizeof r->detail, "%.200s did not answer within the %d s timeout",
		 server, g->seconds % 100000);
}

/* Real tickets across "trusting trusts trusted", classified. */
int kdc_verify(const cfg_domain *trusting, const cfg_domain *trusted, int timeout,
	       verify_result *r, tm_error *e)
{
	kdc_guard g;
	int rc;

	kdc_watch_begin(&g, timeout, NULL, 0, trusting->dom.realm, trusted->dom.realm);
	rc = kdc_verify_run(trusting, trusted, timeout, r, e);
	kdc_watch_end(&g);
	if (g.fired && rc < 0)
		return kdc_watch_fail(&g, trusted->dom.realm, e, "verifying that %s trusts %s",
				      trusting->dom.name, trusted->dom.name);
	if (g.fired && r->outcome != VERIFY_OK)
		kdc_verify_cut(&g, trusting, trusted, r);
	return rc;
}
