/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_own.c - the administrator's own Kerberos credentials (kdc_internal.h).
 *
 * A domain with kadmin_principal and neither kadmin_keytab nor
 * kadmin_password_file logs in with what the person running trustmgr
 * already has, as `kadmin -c` does: the credential cache that holds that
 * principal in the collection KRB5CCNAME names (DIR:, KEYRING:, KCM: keep
 * one cache per principal; a FILE: cache is a collection of one), found
 * with krb5_cc_cache_match. A cache is used only while it holds an
 * unexpired ticket trustmgr can use (its realm's krbtgt, or for kadmin the
 * kadmin/admin service ticket `kinit -S kadmin/admin` gets). Without one,
 * the default client keytab (KRB5_CLIENT_KTNAME, else the library's
 * default) is used when it holds a key of the principal. Otherwise the
 * message names the principal, the collection and the keytab, and says to
 * run kinit.
 */
#include "backend/kdc/kdc_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does cache cc hold an unexpired ticket for first/second@realm? */
static int kdc_own_holds(krb5_context ctx, krb5_ccache cc, const char *first,
			 const char *second, const char *realm, krb5_timestamp now)
{
	krb5_principal want = NULL;
	krb5_cc_cursor cur;
	krb5_creds c;
	int found = 0;

	if (krb5_build_principal(ctx, &want, (unsigned)strlen(realm), realm, first, second,
				 (char *)NULL) != 0)
		return 0;
	if (krb5_cc_start_seq_get(ctx, cc, &cur) != 0) {
		krb5_free_principal(ctx, want);
		return 0;
	}
	while (!found && krb5_cc_next_cred(ctx, cc, &cur, &c) == 0) {
		found = krb5_principal_compare(ctx, c.server, want) &&
			(krb5_timestamp)(c.times.endtime - now) > 0;
		krb5_free_cred_contents(ctx, &c);
	}
	krb5_cc_end_seq_get(ctx, cc, &cur);
	krb5_free_principal(ctx, want);
	return found;
}

/* The cache of the collection that holds p with a usable ticket: 1 with
 * *cc, 0 none (*expired: one holds p, but no usable ticket). */
static int kdc_own_cache(krb5_context ctx, krb5_const_principal p, int for_kadmin,
			 krb5_ccache *cc, int *expired)
{
	char realm[NAME_DNS_MAX];
	krb5_timestamp now = 0;
	int ok;

	*cc = NULL;
	*expired = 0;
	if (krb5_cc_cache_match(ctx, (krb5_principal)(uintptr_t)p, cc) != 0) {
		*cc = NULL;
		return 0;
	}
	snprintf(realm, sizeof realm, "%.*s", (int)p->realm.length, p->realm.data);
	(void)krb5_timeofday(ctx, &now);
	ok = kdc_own_holds(ctx, *cc, KRB5_TGS_NAME, realm, realm, now) ||
	     (for_kadmin && kdc_own_holds(ctx, *cc, "kadmin", "admin", realm, now));
	if (ok)
		return 1;
	*expired = 1;
	krb5_cc_close(ctx, *cc);
	*cc = NULL;
	return 0;
}

/* The default client keytab's name into buf when it holds a key of p: 1,
 * else 0 (buf still names it, for messages). */
static int kdc_own_keytab(krb5_context ctx, krb5_const_principal p, char *buf, size_t n)
{
	krb5_keytab kt = NULL;
	krb5_keytab_entry ent;
	int found = 0;

	snprintf(buf, n, "%s", "the default client keytab");
	if (krb5_kt_client_default(ctx, &kt) != 0)
		return 0;
	if (krb5_kt_get_name(ctx, kt, buf, (unsigned)n) != 0)
		snprintf(buf, n, "%s", "the default client keytab");
	if (krb5_kt_get_entry(ctx, kt, p, 0, 0, &ent) == 0) {
		found = 1;
		krb5_free_keytab_entry_contents(ctx, &ent);
	}
	krb5_kt_close(ctx, kt);
	return found;
}

/* Nothing to log in with: say who, where was looked, and what to run. */
static int kdc_own_none(krb5_context ctx, const char *who, const char *domain, int expired,
			const char *keytab, tm_error *e)
{
	const char *coll = krb5_cc_default_name(ctx);

	error_fail(e, TM_EBACKEND, NULL, "%s %s in the credential cache collection %s "
		   "(KRB5CCNAME), and %s holds no key of it (with kadmin_principal alone, trustmgr "
		   "logs in with the administrator's own tickets)", expired ?
		   "no unexpired ticket-granting ticket of" : "no ticket of", who,
		   coll ? coll : "(none)", keytab);
	error_hint(e, "Run `kinit %s` with KRB5CCNAME naming the collection (for example "
		   "KRB5CCNAME=DIR:$HOME/.krb5cc, which keeps one cache per realm's administrator; "
		   "klist -A lists them)%s, or give domain %s kadmin_keytab or kadmin_password_file "
		   "in trustmgr.conf; then run the command again.", who,
		   expired ? ": the ticket there has expired" : "", domain);
	return -1;
}

/* Find the credentials of p (text form who) of domain: out->cc, the cache
 * to use, or out->keytab, the default client keytab holding its key. A
 * cache counts when it holds a krbtgt of p's realm or, for_kadmin, a
 * kadmin/admin ticket. Returns 0, or -1 with e naming what to run. */
int kdc_own_find(krb5_context ctx, krb5_const_principal p, const char *who, const char *domain,
		 int for_kadmin, kdc_own *out, tm_error *e)
{
	int expired = 0;

	memset(out, 0, sizeof *out);
	if (kdc_own_cache(ctx, p, for_kadmin, &out->cc, &expired))
		return 0;
	if (kdc_own_keytab(ctx, p, out->keytab, sizeof out->keytab))
		return 0;
	out->keytab[sizeof out->keytab - 1] = '\0';
	return kdc_own_none(ctx, who, domain, expired, out->keytab, e);
}

/* Close the cache kdc_own_find opened. */
void kdc_own_free(krb5_context ctx, kdc_own *o)
{
	if (o->cc)
		krb5_cc_close(ctx, o->cc);
	memset(o, 0, sizeof *o);
}

/* Copy the krbtgt of p's realm from o's cache into *creds (free its
 * contents with krb5_free_cred_contents). Returns a libkrb5 code. */
krb5_error_code kdc_own_tgt(krb5_context ctx, const kdc_own *o, krb5_principal p,
			    krb5_creds *creds)
{
	krb5_creds want;
	krb5_error_code rc;

	memset(&want, 0, sizeof want);
	memset(creds, 0, sizeof *creds);
	want.client = p;
	rc = krb5_build_principal_ext(ctx, &want.server, p->realm.length, p->realm.data,
				      KRB5_TGS_NAME_SIZE, KRB5_TGS_NAME, p->realm.length,
				      p->realm.data, 0);
	if (rc != 0)
		return rc;
	/* an unexpired one (a cache may keep an old ticket beside the new) */
	(void)krb5_timeofday(ctx, &want.times.endtime);
	want.times.endtime++;
	rc = krb5_cc_retrieve_cred(ctx, o->cc, KRB5_TC_MATCH_TIMES, &want, creds);
	krb5_free_principal(ctx, want.server);
	return rc;
}
