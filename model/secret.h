/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* secret.h - trust secrets: generation from the OS generator and wiping.
 *
 * A generated trust secret is SECRET_GEN_LEN characters drawn uniformly
 * (rejection sampling) from the 94 printable ASCII characters 0x21..0x7e,
 * about 6.55 bits each, 838 bits in all.  Windows and Samba also use long
 * machine-generated trust secrets that nobody types.
 *
 * A password a person supplies is checked with secret_check_supplied: no
 * control characters (a NUL would cut it short), valid UTF-8, at least a
 * minimum number of characters (trustmgr.conf's min_password_length).
 */
#ifndef TM_SECRET_H
#define TM_SECRET_H

#include <stddef.h>

#include "model/error.h"

#define SECRET_GEN_LEN 128
#define SECRET_MAX 1024            /* longest accepted password, bytes */
/* The shortest password a person may supply, in characters: the default of
 * trustmgr.conf's min_password_length (also the embedded store's), and the
 * largest value that key takes. */
#define SECRET_MIN_DEFAULT 8
#define SECRET_MIN_LIMIT 256

/* Where secret strings live. By default malloc/free; a front end may install
 * an allocator that keeps them out of swap and core dumps (the model does no
 * I/O itself: backend/harden.c provides one). alloc returns n bytes or NULL;
 * release receives a pointer from any allocator (also plain malloc'd
 * buffers, which secret_free_buf is used for too) after it was wiped and
 * must free it the right way. */
typedef struct secret_allocator {
	void *(*alloc)(size_t n);
	void (*release)(void *p, size_t n);
} secret_allocator;

/* Install a (NULL: back to malloc/free). a must stay valid while secrets
 * allocated through it are alive. */
void secret_set_allocator(const secret_allocator *a);

/* n bytes for a secret from the installed allocator; NULL on ENOMEM. */
void *secret_alloc(size_t n);

/* Overwrite n bytes at p with zeros in a way the compiler keeps. */
void secret_wipe(void *p, size_t n);

/* Wipe a NUL-terminated string and free it; sets *s to NULL. */
void secret_free(char **s);

/* Wipe n bytes and free; sets *p to NULL. */
void secret_free_buf(void *pp, size_t n);

/* Generate a new secret into a malloc'd string (*out).
 * Returns 0, or -1 with e set when the OS generator fails. */
int secret_generate(char **out, tm_error *e);

/* Duplicate a secret string (into secret_alloc memory); NULL on ENOMEM. */
char *secret_dup(const char *s);

/* Check a password a person supplied (typed, or read from a file): the len
 * bytes at pw (they may hold a NUL: nothing is taken as its end) must be
 * valid UTF-8 without control characters (U+0000 to U+001F, U+007F to
 * U+009F: a NUL would cut the password short, others are invisible or
 * change the line) and at least min characters long. Generated secrets
 * are not checked here. Returns 0, or -1 with e (TM_EUSAGE,
 * STATUS_PASSWORD_RESTRICTION) saying which character (1-based) and why,
 * never quoting the password. */
int secret_check_supplied(const char *pw, size_t len, int min, tm_error *e);

/* Constant-time comparison of two strings; 1 when equal. */
int secret_equal(const char *a, const char *b);

#endif
