/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_common.c - what kdc_admin.c and kdc_client.c both need: the SIGPIPE
 * guard around every public function, libkrb5 and kadm5 errors as
 * messages, and principal names (kdc_internal.h).
 */
#include "backend/kdc/kdc_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ SIGPIPE */

/* ------------------------------------------------------------ errors */

static const char *kdc_status_of(long rc)
{
	if (rc == KRB5_KDC_UNREACH || rc == KRB5_REALM_CANT_RESOLVE ||
	    rc == KADM5_RPC_ERROR || rc == KADM5_NO_SRV)
		return ST_NO_LOGON_SERVERS;
	if (rc == KADM5_PASS_REUSE)
		return ST_PASSWORD_RESTRICTION;
	return NULL;
}

/* Record a libkrb5 or kadm5 failure: "<what was done>: <the library's words>". */
int kdc_fail(krb5_context ctx, tm_error *e, long rc, const char *fmt, ...)
{
	char doing[TM_WHAT_MAX / 2];
	const char *msg;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(doing, sizeof doing, fmt, ap);
	va_end(ap);
	msg = krb5_get_error_message(ctx, (krb5_error_code)rc);
	error_fail(e, TM_EBACKEND, kdc_status_of(rc), "%s: %s", doing, msg);
	krb5_free_error_message(ctx, msg);
	return -1;
}

/* Record "out of memory"; returns -1. */
int kdc_nomem(tm_error *e)
{
	return error_fail(e, TM_EBACKEND, NULL, "out of memory");
}

/* ------------------------------------------------------------ principal names */

/* Parse name; a name without a realm gets realm. */
static krb5_error_code kdc_parse(krb5_context ctx, const char *name, const char *realm,
				 krb5_principal *out)
{
	krb5_error_code rc;

	*out = NULL;
	rc = krb5_parse_name_flags(ctx, name, KRB5_PRINCIPAL_PARSE_NO_REALM, out);
	if (rc != 0)
		return krb5_parse_name_flags(ctx, name, KRB5_PRINCIPAL_PARSE_REQUIRE_REALM, out);
	rc = krb5_set_principal_realm(ctx, *out, realm);
	if (rc != 0) {
		krb5_free_principal(ctx, *out);
		*out = NULL;
	}
	return rc;
}

/* Parse name (realm added when missing) with a message naming it on failure. */
int kdc_parse_e(krb5_context ctx, const char *name, const char *realm,
		krb5_principal *out, tm_error *e)
{
	krb5_error_code rc = kdc_parse(ctx, name, realm, out);

	if (rc != 0)
		return kdc_fail(ctx, e, rc, "'%s' is not a valid Kerberos principal name", name);
	return 0;
}

/* The full text form of p into buf. */
int kdc_unparse(krb5_context ctx, krb5_const_principal p, char *buf, size_t n,
		tm_error *e)
{
	char *s = NULL;
	krb5_error_code rc = krb5_unparse_name(ctx, p, &s);

	if (rc != 0)
		return kdc_fail(ctx, e, rc, "could not format a principal name");
	if (strlen(s) >= n) {
		krb5_free_unparsed_name(ctx, s);
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "a principal name is too long");
	}
	memcpy(buf, s, strlen(s) + 1);
	krb5_free_unparsed_name(ctx, s);
	return 0;
}

/* Does the counted string d equal s? */
int kdc_data_is(const krb5_data *d, const char *s)
{
	return d->length == strlen(s) && memcmp(d->data, s, d->length) == 0;
}
