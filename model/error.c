/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* status.c - error records. */
#include "model/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Reset e to "no error". */
void error_clear(tm_error *e)
{
	if (!e)
		return;
	e->cls = TM_OK;
	e->status = NULL;
	e->what[0] = '\0';
	e->next[0] = '\0';
}

/* Record a failure (a NULL e is ignored); returns -1. */
int error_fail(tm_error *e, tm_class cls, const char *status, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->cls = cls;
	e->status = status;
	e->next[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
	return -1;
}

/* Set the next step of the failure recorded in e. */
void error_hint(tm_error *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->next, sizeof(e->next), fmt, ap);
	va_end(ap);
}

/* Put context before e's message, cutting its tail when it must. */
void error_prefix(tm_error *e, const char *fmt, ...)
{
	char pre[160];
	size_t np, nw;
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	np = strlen(pre);
	nw = strlen(e->what);
	if (np + nw >= sizeof(e->what))
		nw = sizeof(e->what) - np - 1;   /* keep the context, cut the tail */
	memmove(e->what + np, e->what, nw);
	memcpy(e->what, pre, np);
	e->what[np + nw] = '\0';
}

/* "<what> is damaged: <why>." with hint (see status.h). */
int error_vfail_damaged(tm_error *e, const char *status, const char *what, const char *hint,
		     const char *fmt, va_list ap)
{
	char why[TM_WHAT_MAX - 64];

	if (!e)
		return -1;
	vsnprintf(why, sizeof(why), fmt, ap);
	error_fail(e, TM_EFAIL, status, "%s is damaged: %s.", what, why);
	error_hint(e, "%s", hint);
	return -1;
}

static const struct {
	const char *name;
	unsigned int code;
} status_codes[] = {
	{ ST_SUCCESS, 0x00000000 },
	{ ST_INVALID_PARAMETER, 0xC000000D },
	{ ST_INVALID_SID, 0xC0000078 },
	{ ST_OBJECT_NAME_INVALID, 0xC0000033 },
	{ ST_OBJECT_NAME_COLLISION, 0xC0000035 },
	{ ST_OBJECT_NAME_NOT_FOUND, 0xC0000034 },
	{ ST_INVALID_DOMAIN_STATE, 0xC00000DD },
	{ ST_CURRENT_DOMAIN_NOT_ALLOWED, 0xC00002E9 },
	{ ST_TRUSTED_DOMAIN_FAILURE, 0xC000018C },
	{ ST_TRUSTED_RELATIONSHIP_FAILURE, 0xC000018D },
	{ ST_NO_TRUST_SAM_ACCOUNT, 0xC000018B },
	{ ST_WRONG_PASSWORD, 0xC000006A },
	{ ST_ACCOUNT_LOCKED_OUT, 0xC0000234 },
	{ ST_NO_SUCH_DOMAIN, 0xC00000DF },
	{ ST_DOMAIN_EXISTS, 0xC00000E0 },
	{ ST_NO_LOGON_SERVERS, 0xC000005E },
	{ ST_DOMAIN_TRUST_INCONSISTENT, 0xC000019B },
	{ ST_INVALID_INFO_CLASS, 0xC0000003 },
	{ ST_NOT_SUPPORTED, 0xC00000BB },
	{ ST_INTERNAL_DB_CORRUPTION, 0xC00000E4 },
	{ ST_KDC_UNKNOWN_ETYPE, 0xC00002FD },
	{ ST_ACCESS_DENIED, 0xC0000022 },
};

/* The NTSTATUS value of name, or 0. */
unsigned int error_status_code(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(status_codes) / sizeof(status_codes[0]); i++)
		if (strcmp(status_codes[i].name, name) == 0)
			return status_codes[i].code;
	return 0;
}

/* The static NTSTATUS name equal to name, or NULL. */
const char *error_status_intern(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(status_codes) / sizeof(status_codes[0]); i++)
		if (strcmp(status_codes[i].name, name) == 0)
			return status_codes[i].name;
	return NULL;
}

void error_append(char *dst, size_t n, const char *src)
{
	size_t used = n ? strnlen(dst, n - 1) : 0;

	if (n)
		error_copy(dst + used, n - used, src);
}

void error_copy(char *dst, size_t n, const char *src)
{
	size_t len;

	if (!n)
		return;
	len = strnlen(src, n - 1);
	memmove(dst, src, len);
	dst[len] = '\0';
}
