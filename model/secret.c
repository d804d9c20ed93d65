/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* secret.c - trust secrets: generation from the OS generator and wiping. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "model/secret.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "model/utf8.h"

#define SECRET_FIRST 0x21              /* '!' */
#define SECRET_ALPHABET 94             /* 0x21..0x7e */
/* Largest multiple of 94 that fits in a byte: bytes at or above it are
 * rejected so that every character is equally likely. */
#define SECRET_ACCEPT_BELOW (256 / SECRET_ALPHABET * SECRET_ALPHABET)
#define SECRET_POOL 64

static const secret_allocator *secret_allocator_in_use;

/* secret_set_allocator: NULL restores malloc/free. */
void secret_set_allocator(const secret_allocator *a)
{
	secret_allocator_in_use = a;
}

/* secret_alloc: the installed allocator, else malloc. */
void *secret_alloc(size_t n)
{
	if (secret_allocator_in_use && secret_allocator_in_use->alloc)
		return secret_allocator_in_use->alloc(n);
	return malloc(n);
}

/* Free p (already wiped) the way it was allocated. */
static void secret_release(void *p, size_t n)
{
	if (secret_allocator_in_use && secret_allocator_in_use->release)
		secret_allocator_in_use->release(p, n);
	else
		free(p);
}

/* secret_wipe: explicit_bzero is never removed as a dead store. */
void secret_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

/* secret_free: wipe the string, free it, clear the pointer. */
void secret_free(char **s)
{
	size_t n;

	if (!s || !*s)
		return;
	n = strlen(*s);
	secret_wipe(*s, n);
	secret_release(*s, n + 1);
	*s = NULL;
}

/* secret_free_buf: pp is the address of a pointer to n secret bytes. The
 * pointer is read and cleared with memcpy so any object pointer type works. */
void secret_free_buf(void *pp, size_t n)
{
	void *p, *null = NULL;

	if (!pp)
		return;
	memcpy(&p, pp, sizeof(p));
	if (p) {
		secret_wipe(p, n);
		secret_release(p, n);
	}
	memcpy(pp, &null, sizeof(null));
}

/* Fill buf with n bytes from the kernel generator; retries short reads and
 * interruptions. Returns 0, or the errno of the failure. */
static int fill_random(unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno ? errno : EIO;
		if (r == 0)
			return EIO;
		got += (size_t)r;
	}
	return 0;
}

/* Append accepted characters from pool to out; returns the new length. */
static size_t take_chars(char *out, size_t have, const unsigned char *pool, size_t n)
{
	size_t i;

	for (i = 0; i < n && have < SECRET_GEN_LEN; i++)
		if (pool[i] < SECRET_ACCEPT_BELOW)
			out[have++] = (char)(SECRET_FIRST + pool[i] % SECRET_ALPHABET);
	return have;
}

/* secret_generate: SECRET_GEN_LEN characters from 0x21..0x7e, uniform. */
int secret_generate(char **out, tm_error *e)
{
	unsigned char pool[SECRET_POOL];
	char *s;
	size_t have = 0;
	int err = 0;

	if (!out)
		return error_fail(e, TM_EFAIL, NULL, "No place to store the new secret.");
	*out = NULL;
	s = secret_alloc(SECRET_GEN_LEN + 1);
	if (!s)
		return error_fail(e, TM_EFAIL, NULL, "Out of memory while generating a secret.");
	while (have < SECRET_GEN_LEN && (err = fill_random(pool, sizeof(pool))) == 0)
		have = take_chars(s, have, pool, sizeof(pool));
	secret_wipe(pool, sizeof(pool));
	if (err) {
		secret_free_buf(&s, SECRET_GEN_LEN + 1);
		error_fail(e, TM_EFAIL, NULL, "The system random generator failed: %s.",
			strerror(err));
		error_hint(e, "No secret was generated; try again.");
		return -1;
	}
	s[SECRET_GEN_LEN] = '\0';
	*out = s;
	return 0;
}

/* secret_dup: strdup into secret_alloc memory; NULL for NULL or on ENOMEM. */
char *secret_dup(const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = secret_alloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* A control character as people name it. */
static const char *secret_control_name(uint32_t cp, char *buf, size_t n)
{
	if (cp == 0)
		return "a NUL byte";
	if (cp == '\t')
		return "a tab";
	if (cp == '\r' || cp == '\n')
		return "a line break";
	if (cp == 0x1b)
		return "an escape character";
	snprintf(buf, n, "the control character U+%04X", (unsigned)cp);
	return buf;
}

static int secret_refused(tm_error *e, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* TM_EUSAGE, STATUS_PASSWORD_RESTRICTION, with a hint. */
static int secret_refused(tm_error *e, const char *hint, const char *fmt, ...)
{
	char what[TM_WHAT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	error_fail(e, TM_EUSAGE, ST_PASSWORD_RESTRICTION, "%s", what);
	error_hint(e, "%s", hint);
	return -1;
}

/* A control character at character pos (1-based). */
static int secret_control_refused(uint32_t cp, size_t pos, tm_error *e)
{
	char name[40];

	return secret_refused(e, "Give the password without control characters: only the "
			      "characters it is made of, on one line.",
			      "the password holds %s at character %zu; control characters are "
			      "refused in a password%s", secret_control_name(cp, name, sizeof(name)),
			      pos, cp == 0 ? " (a NUL would cut it short there: what follows "
			      "would not count)" : " (they cannot be typed alike on every system)");
}

/* secret_check_supplied: one pass over the characters, then the length. */
int secret_check_supplied(const char *pw, size_t len, int min, tm_error *e)
{
	size_t off = 0, chars = 0;
	uint32_t cp;
	int k;

	while (off < len) {
		k = utf8_next(pw + off, len - off, &cp);
		if (k < 0)
			return secret_refused(e, "Write the password file as UTF-8 text (or type the "
					      "password in a UTF-8 terminal).", "the password is not "
					      "valid UTF-8 text at character %zu (byte %zu)", chars + 1,
					      off + 1);
		chars++;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return secret_control_refused(cp, chars, e);
		off += (size_t)k;
	}
	if (min > 0 && chars < (size_t)min)
		return secret_refused(e, "Choose a longer password: length is what makes a "
				      "password hard to guess.", "the password is %zu character%s "
				      "long; a password given by a person must have at least %d",
				      chars, chars == 1 ? "" : "s", min);
	return 0;
}

/* secret_equal: time depends only on the length of a, not on where the
 * strings differ. Two NULLs are equal; NULL and a string are not. */
int secret_equal(const char *a, const char *b)
{
	size_t la, lb, i;
	unsigned int diff;

	if (!a || !b)
		return a == b;
	la = strlen(a);
	lb = strlen(b);
	diff = (unsigned int)(la != lb);
	for (i = 0; i < la; i++) {
		unsigned char cb = (unsigned char)(i < lb ? b[i] : 0);

		diff |= (unsigned char)a[i] ^ cb;
	}
	return diff == 0;
}
