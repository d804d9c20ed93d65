/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* testutil.h - helpers shared by the Check unit tests: temporary folders,
 * files, SIDs and strings, and temporary stores with domains in them. Each
 * helper fails the running test (ck_assert) instead of returning an error. */
#ifndef TM_TESTUTIL_H
#define TM_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "backend/ops.h"
#include "model/sid.h"
#include "model/trust.h"

/* Fail the test unless string s contains sub (include check.h first). */
#define TU_ASSERT_HAS(s, sub) \
	ck_assert_msg(strstr((s), (sub)) != NULL, "\"%s\" not in: %s", (sub), (s))

/* ---- folders and the suite runner ---- */

/* Make a fresh private temporary folder; returns a static-lifetime copy of
 * its path (freed by tu_cleanup). Aborts the test on failure. */
const char *tu_tmpdir(void);

/* Remove every folder made by tu_tmpdir. */
void tu_cleanup(void);

/* Run a Check suite: returns the process exit status (0 when all passed). */
struct Suite;
int tu_run(struct Suite *s);

/* ---- files ---- */

/* Format a path into buf (PATH_MAX bytes); fails the test when it is cut. */
void tu_pathf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write len bytes of data as the whole file path, then give it mode. */
void tu_write_file(const char *path, const void *data, size_t len, mode_t mode);

/* Write text as the whole file path, then give it mode. */
void tu_put_file(const char *path, const char *text, mode_t mode);

/* The whole file path (NUL-terminated, length in *len); free() it. */
char *tu_slurp(const char *path, size_t *len);

/* The permission bits of path. */
mode_t tu_mode_of(const char *path);

/* ---- values ---- */

/* Decode hex (spaces allowed) into buf; returns the byte count. */
size_t tu_hex(const char *hex, unsigned char *buf, size_t n);

/* Store v little-endian at p (4 bytes). */
void tu_put32(uint8_t *p, uint32_t v);

/* The SID written as text; fails the test when it does not parse. */
tm_sid tu_sid(const char *text);

/* Copy src into dst (n bytes, cut to fit, always terminated). */
void tu_set_str(char *dst, size_t n, const char *src);

/* ---- temporary stores ---- */

/* A domain: store key name, kind, DNS name ("" for NT 4), NetBIOS name,
 * SID (NULL: none), forest ("" for none), functional level; the realm is
 * the upper-case DNS name (else the NetBIOS name). */
tm_domain tu_domain(const char *name, tm_kind kind, const char *dns, const char *nb,
		    const char *sid, const char *forest, tm_level level);

/* An embedded store in a new tu_tmpdir() (its path in *dir when dir is not
 * NULL), locked for writing when lock is set. */
tm_backend *tu_store_open(const char **dir, int lock);

/* Add d to the store. */
void tu_store_add(tm_backend *be, const tm_domain *d);

/* Add the four domains the workflow tests share: CORP (AD forest root),
 * SALES (its child), PARTNER (another forest) and LEGACY (NT 4). */
void tu_store_add_four(tm_backend *be);

#endif
