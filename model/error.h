/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* status.h - error reporting shared by every layer.
 *
 * An error that reaches a person says what failed and why (what), and what to
 * do next (next).  Refusals by a validation rule also carry the NTSTATUS name
 * Windows would have returned.  The class doubles as the process exit status.
 */
#ifndef TM_STATUS_H
#define TM_STATUS_H

#include <stdarg.h>
#include <stddef.h>

typedef enum tm_class {
	TM_OK = 0,        /* success */
	TM_EFAIL = 1,     /* the operation ran and failed (e.g. verify found it broken) */
	TM_EUSAGE = 2,    /* the command line or input was malformed */
	TM_EREFUSED = 3,  /* refused by a validation rule; status names the NTSTATUS */
	TM_EBACKEND = 4   /* the store or server failed or is unreachable */
} tm_class;

/* NTSTATUS names used by the rules and workflows. */
#define ST_SUCCESS                     "STATUS_SUCCESS"
#define ST_INVALID_PARAMETER           "STATUS_INVALID_PARAMETER"
#define ST_INVALID_SID                 "STATUS_INVALID_SID"
#define ST_OBJECT_NAME_INVALID         "STATUS_OBJECT_NAME_INVALID"
#define ST_OBJECT_NAME_COLLISION       "STATUS_OBJECT_NAME_COLLISION"
#define ST_OBJECT_NAME_NOT_FOUND       "STATUS_OBJECT_NAME_NOT_FOUND"
#define ST_INVALID_DOMAIN_STATE        "STATUS_INVALID_DOMAIN_STATE"
#define ST_CURRENT_DOMAIN_NOT_ALLOWED  "STATUS_CURRENT_DOMAIN_NOT_ALLOWED"
#define ST_TRUSTED_DOMAIN_FAILURE      "STATUS_TRUSTED_DOMAIN_FAILURE"
#define ST_TRUSTED_RELATIONSHIP_FAILURE "STATUS_TRUSTED_RELATIONSHIP_FAILURE"
#define ST_NO_TRUST_SAM_ACCOUNT        "STATUS_NO_TRUST_SAM_ACCOUNT"
#define ST_INVALID_SERVER_STATE        "STATUS_INVALID_SERVER_STATE"
#define ST_WRONG_PASSWORD              "STATUS_WRONG_PASSWORD"
#define ST_ACCOUNT_LOCKED_OUT          "STATUS_ACCOUNT_LOCKED_OUT"
#define ST_NO_SUCH_DOMAIN              "STATUS_NO_SUCH_DOMAIN"
#define ST_DOMAIN_EXISTS               "STATUS_DOMAIN_EXISTS"
#define ST_NO_LOGON_SERVERS            "STATUS_NO_LOGON_SERVERS"
#define ST_DOMAIN_TRUST_INCONSISTENT   "STATUS_DOMAIN_TRUST_INCONSISTENT"
#define ST_INVALID_INFO_CLASS          "STATUS_INVALID_INFO_CLASS"
#define ST_NOT_SUPPORTED               "STATUS_NOT_SUPPORTED"
#define ST_INTERNAL_DB_CORRUPTION      "STATUS_INTERNAL_DB_CORRUPTION"
#define ST_KDC_UNKNOWN_ETYPE           "STATUS_KDC_UNKNOWN_ETYPE"
#define ST_PASSWORD_RESTRICTION        "STATUS_PASSWORD_RESTRICTION"
#define ST_ACCESS_DENIED               "STATUS_ACCESS_DENIED"
/* A request was sent and no answer came: it may or may not have been done. */
#define ST_IO_TIMEOUT                  "STATUS_IO_TIMEOUT"

#define TM_WHAT_MAX 1024
#define TM_NEXT_MAX 1024

typedef struct tm_error {
	tm_class cls;
	const char *status;       /* static NTSTATUS name or NULL */
	char what[TM_WHAT_MAX];   /* what failed and why: one or two sentences */
	char next[TM_NEXT_MAX];   /* what to do next; may be empty */
} tm_error;

/* Reset e to "no error". */
void error_clear(tm_error *e);

/* Record a failure; returns -1 so callers can `return error_fail(...)`.
 * A NULL e is allowed and ignored. */
int error_fail(tm_error *e, tm_class cls, const char *status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Set the "what to do next" sentence of an already recorded failure. */
void error_hint(tm_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record that stored or received data is damaged (TM_EFAIL, status):
 * "<what> is damaged: <why>." with why formatted from fmt and ap, and hint
 * as the next step. Returns -1; a NULL e is allowed and ignored. */
int error_vfail_damaged(tm_error *e, const char *status, const char *what, const char *hint,
		     const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Prefix the existing message with context ("CORP: "). */
void error_prefix(tm_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copy src into dst of size n, cutting it to fit (messages are bounded). */
void error_copy(char *dst, size_t n, const char *src);

/* Append src to the text in dst (size n), cutting it to fit. */
void error_append(char *dst, size_t n, const char *src);

/* The static NTSTATUS name equal to name (so it can be kept), or NULL. */
const char *error_status_intern(const char *name);

/* Numeric NTSTATUS value of a name above, or 0 when unknown. */
unsigned int error_status_code(const char *name);

#endif
