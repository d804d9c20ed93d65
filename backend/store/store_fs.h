/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_fs.h - the embedded store's files (store_fs.c): paths below the
 * store folder, private folders, whole-file reads, appends, and atomic
 * replacement (temporary file, fsync, rename, fsync of the folder), so that
 * a crash leaves either the old or the new content. Also used by the
 * journal of real domains (backend/directory/directory_journal.c). */
#ifndef TM_STORE_FS_H
#define TM_STORE_FS_H

#include <stddef.h>

#include "model/error.h"

struct store;                    /* store_internal.h */

/* Format a path below the store folder: "<dir>/<fmt...>". Returns 0 or -1 with e. */
int store_fs_path(const struct store *s, char *buf, size_t n, tm_error *e, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Create a folder (and parents) with mode 0700; an existing folder is fine
 * but its mode is tightened to 0700. Returns 0 or -1 with e. */
int store_fs_mkdir_private(const char *path, tm_error *e);

/* Replace path atomically with data: write "<path>.tmp.<pid>" (0600), fsync,
 * rename over path, fsync the folder. Returns 0 or -1 with e. */
int store_fs_write_atomic(const char *path, const void *data, size_t len, tm_error *e);

/* store_fs_write_atomic without the folder's fsync: the file's data is durable,
 * its name is not until the caller runs store_fs_sync_dir on the folder (one
 * fsync for several files written together). Returns 0 or -1 with e. */
int store_fs_write_atomic_nosync(const char *path, const void *data, size_t len, tm_error *e);

/* Read a whole file into a malloc'd NUL-terminated buffer (wiped when it
 * moves: store files hold secrets). The file is opened with safefile_open
 * (backend/os/safefile.h): a FIFO, socket, device or folder is refused
 * without blocking, a permission problem names the file and the user.
 * Returns 0, 1 when the file does not exist (*data NULL), or -1 with e. */
int store_fs_read(const char *path, char **data, size_t *len, tm_error *e);

/* fsync the folder holding path. Returns 0 or -1 with e. */
int store_fs_sync_dir(const char *path, tm_error *e);

/* Copy file src to dst atomically (missing src: remove dst). Returns 0 or -1. */
int store_fs_copy(const char *src, const char *dst, tm_error *e);

/* Remove path (a missing file is fine) and fsync its folder. Returns 0 or -1. */
int store_fs_remove(const char *path, tm_error *e);

/* store_fs_remove without the folder's fsync (the caller runs
 * store_fs_sync_dir once after several). Returns 0 or -1 with e. */
int store_fs_remove_nosync(const char *path, tm_error *e);

/* Append data to path (created 0600 if missing) durably: O_APPEND write
 * loop, then fsync. Opened as store_fs_read opens. Returns 0 or -1 with e. */
int store_fs_append(const char *path, const void *data, size_t len, tm_error *e);

/* How messages name the store file at path: "the domain file", "the
 * keytab", "the health file", "the journal", "the before-image", ... */
const char *store_fs_what(const char *path);

/* Is name a temporary file of an atomic write, "<file>.tmp.<pid>"? 1 with
 * *pid set, else 0. */
int store_fs_temp_pid(const char *name, long *pid);

/* Remove the temporary files ("<file>.tmp.<pid>", regular files only) in
 * the folder dir whose process is gone: its pid is not running, or runs
 * something other than trustmgr. Those of this process and of a running
 * trustmgr are kept. Call it holding the store lock. Returns how many were
 * removed; a file that cannot be removed stays for the next run. */
size_t store_fs_sweep(const char *dir);

#endif
