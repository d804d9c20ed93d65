/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_image.c - before-images kept with their sum records, checked whole
 * before anything is written back (store_image.h). */
#include "backend/store/store_image.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cksum.h"
#include "model/secret.h"
#include "backend/store/store_fs.h"
#include "backend/store/store_health.h"
#include "backend/store/store_keytab.h"
#include "backend/store/store_ldif.h"

#define SUM_SUFFIX ".sum"

/* "<path>.sum" into buf (PATH_MAX + 8 bytes). */
static int sum_path(const char *path, char *buf, size_t n, tm_error *e)
{
	if ((size_t)snprintf(buf, n, "%s" SUM_SUFFIX, path) >= n)
		return error_fail(e, TM_EBACKEND, NULL, "the path %s is too long", path);
	return 0;
}

/* "<what> is damaged: why." for a damage found outside a reader. */
__attribute__((format(printf, 3, 4)))
static int damaged(tm_error *e, const char *what, const char *fmt, ...)
{
	char why[TM_WHAT_MAX / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s is damaged: %s", what,
			  why);
}

/* A reader's message ("line 4: ...") as "<what> is damaged: line 4: ...",
 * its hint kept. */
static int damaged_by(tm_error *e, const char *what)
{
	char why[TM_WHAT_MAX], next[TM_NEXT_MAX];

	if (!e)
		return -1;
	memcpy(why, e->what, sizeof(why));
	memcpy(next, e->next, sizeof(next));
	damaged(e, what, "%s", why);
	error_hint(e, "%s", next);
	return -1;
}

/* store_image_ldif: the store's own LDIF reader. */
int store_image_ldif(const char *data, size_t len, const char *what, tm_error *e)
{
	return store_ldif_check_text(data, len, e) != 0 ? damaged_by(e, what) : 0;
}

/* store_image_keytab: the keytab's structure (and its checksum hole). */
int store_image_keytab(const char *data, size_t len, const char *what, tm_error *e)
{
	size_t entries;

	return store_keytab_check(data, len, what, &entries, e);
}

/* store_image_health: every line of the health file. */
int store_image_health(const char *data, size_t len, const char *what, tm_error *e)
{
	return store_health_check_text(data, len, what, e);
}

/* store_image_content_of: by the file's name in a domain's folder. */
store_image_content store_image_content_of(const char *file)
{
	if (strcmp(file, "domain.ldif") == 0)
		return store_image_ldif;
	if (strcmp(file, "krb5.keytab") == 0)
		return store_image_keytab;
	if (strcmp(file, "health") == 0)
		return store_image_health;
	return NULL;
}

/* store_image_save: the image, then its sum record. */
int store_image_save(const char *path, const void *data, size_t len, tm_error *e)
{
	char sp[PATH_MAX + 8], line[CKSUM_LINE_MAX];
	size_t n;

	if (sum_path(path, sp, sizeof(sp), e) != 0)
		return -1;
	n = cksum_format(line, data, len);
	if (!n)
		return error_fail(e, TM_EBACKEND, NULL, "the sum record of %s cannot be made", path);
	if (store_fs_write_atomic_nosync(path, data, len, e) != 0)
		return -1;
	return store_fs_write_atomic_nosync(sp, line, n, e);
}

/* store_image_check: the sum record first (it tells a cut from a change),
 * then the content. */
int store_image_check(const char *what, const char *data, size_t len, const char *sum,
		      size_t sumlen, int need_sum, store_image_content content, tm_error *e)
{
	char why[256];
	cksum_rec r;

	if (!sum && need_sum)
		return damaged(e, what, "its sum record (the file beside it ending in " SUM_SUFFIX
			       ") is missing, so it cannot be shown to be whole");
	if (sum && cksum_parse(sum, sumlen, &r, why, sizeof(why)) != 0)
		return damaged(e, what, "its sum record (%s) cannot be read: %s", SUM_SUFFIX, why);
	if (sum && cksum_verify(&r, data, len, why, sizeof(why)) != 0)
		return damaged(e, what, "%s", why);
	return content ? content(data, len, what, e) : 0;
}

/* Read the sum record of path: 0 with *sum, 1 when there is none. */
static int read_sum(const char *path, char **sum, size_t *len, tm_error *e)
{
	char sp[PATH_MAX + 8];

	*sum = NULL;
	*len = 0;
	if (sum_path(path, sp, sizeof(sp), e) != 0)
		return -1;
	return store_fs_read(sp, sum, len, e);
}

/* store_image_load: the image, its sum record, then store_image_check. */
int store_image_load(const char *path, int need_sum, store_image_content content, char **data,
		     size_t *len, tm_error *e)
{
	char what[PATH_MAX + 32], *sum = NULL;
	size_t sumlen = 0;
	int rc;

	*data = NULL;
	*len = 0;
	snprintf(what, sizeof(what), "the before-image %s", path);
	rc = store_fs_read(path, data, len, e);
	if (rc == 1)
		return damaged(e, what, "it is missing");
	if (rc < 0 || read_sum(path, &sum, &sumlen, e) < 0) {
		secret_free_buf(data, *len);
		*len = 0;
		return -1;
	}
	rc = store_image_check(what, *data, *len, sum, sumlen, need_sum, content, e);
	free(sum);
	if (rc != 0) {
		secret_free_buf(data, *len);
		*len = 0;
	}
	return rc;
}

/* store_image_remove_nosync: the image and its sum record, unflushed. */
int store_image_remove_nosync(const char *path, tm_error *e)
{
	char sp[PATH_MAX + 8];

	if (sum_path(path, sp, sizeof(sp), e) != 0 || store_fs_remove_nosync(path, e) != 0)
		return -1;
	return store_fs_remove_nosync(sp, e);
}

/* store_image_remove: the image and its sum record. */
int store_image_remove(const char *path, tm_error *e)
{
	char sp[PATH_MAX + 8];

	if (sum_path(path, sp, sizeof(sp), e) != 0 || store_fs_remove(path, e) != 0)
		return -1;
	return store_fs_remove(sp, e);
}
