/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_image.h - before-images (store_image.c): copies of files taken
 * before a plan changes them, to be written back by a rollback, each kept
 * with a sum record "<image>.sum" (model/cksum.h: its length and CRC-32C).
 *
 * Nothing is written back before every image was read again and checked
 * whole: its sum record, then its content by the reader of its kind (a
 * domain.ldif through the store's LDIF reader, a keytab's structure, the
 * health file's lines, the real-domain journal's state file). Used by the
 * store's journal (store_journal.c) and the real-domain journal
 * (backend/directory/directory_journal.c).
 */
#ifndef TM_STORE_IMAGE_H
#define TM_STORE_IMAGE_H

#include <stddef.h>

#include "model/error.h"

/* Checks the content of an image of one kind: 0, or -1 with e saying that
 * what (e.g. "the before-image /path") is damaged, and where. */
typedef int (*store_image_content)(const char *data, size_t len, const char *what,
				   tm_error *e);

/* The content checks of the store's files: domain.ldif, krb5.keytab and
 * health. */
int store_image_ldif(const char *data, size_t len, const char *what, tm_error *e);
int store_image_keytab(const char *data, size_t len, const char *what, tm_error *e);
int store_image_health(const char *data, size_t len, const char *what, tm_error *e);

/* The content check of the store file named file ("domain.ldif",
 * "krb5.keytab", "health"), or NULL for a name it does not know. */
store_image_content store_image_content_of(const char *file);

/* Write data (len bytes) as path and its sum record as "<path>.sum", each
 * atomically (store_fs.h) but without the folder's fsync: the caller syncs
 * the folder once for all images. Returns 0 or -1 with e. */
int store_image_save(const char *path, const void *data, size_t len, tm_error *e);

/* Check an image that is already in memory: data against its sum record
 * (sum, sumlen bytes; NULL when none was kept, which is damage when
 * need_sum is set), then its content with content (NULL: none). what names
 * it in messages. Returns 0, or -1 with e (TM_EBACKEND,
 * ST_INTERNAL_DB_CORRUPTION: "<what> is damaged: why"). */
int store_image_check(const char *what, const char *data, size_t len, const char *sum,
		      size_t sumlen, int need_sum, store_image_content content, tm_error *e);

/* Read the image at path and its sum record and check them as
 * store_image_check does. Returns 0 with *data (malloc'd, NUL-terminated,
 * *len bytes: free it with secret_free_buf, it may hold secrets), or -1
 * with e: a missing image is damage too. */
int store_image_load(const char *path, int need_sum, store_image_content content, char **data,
		     size_t *len, tm_error *e);

/* Remove the image at path and its sum record (missing files are fine).
 * Returns 0 or -1 with e. The _nosync form leaves the folder's fsync to
 * the caller (store_fs_sync_dir once after several). */
int store_image_remove(const char *path, tm_error *e);
int store_image_remove_nosync(const char *path, tm_error *e);

#endif
