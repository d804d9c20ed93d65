/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_internal.h - what the files of the embedded store share and no
 * one outside backend/store/ needs: the store itself, its journal
 * (store_journal.c) and the paths of a domain's files (store.c). Each part
 * of the store has its own header: store_fs.h (atomic files), store_ldif.h
 * (domain.ldif), store_keytab.h (krb5.keytab, prove, verify),
 * store_health.h (the health file). */
#ifndef TM_STORE_INTERNAL_H
#define TM_STORE_INTERNAL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/ops.h"

#define LOCK_NONE 0
#define LOCK_SHARED 1
#define LOCK_EXCL 2

typedef struct store {
	char dir[PATH_MAX];
	int lockfd;                  /* -1 when not open */
	int lockmode;                /* 0 none, 1 shared, 2 exclusive */
	int journal_open;            /* a plan is being recorded by this process */
	int state_only;              /* the state store of real domains (store_open_state):
					domains are only told apart by name */
} store;

/* ---- store_journal.c --------------------------------------------------- */

int store_journal_begin(store *s, const tm_plan *p, tm_error *e);
int store_journal_step(store *s, size_t i, tm_error *e);
int store_journal_running(store *s, size_t from, size_t to, tm_error *e);
int store_journal_steps(store *s, size_t from, size_t to, tm_error *e);
/* One progress line, its checksum added, appended durably (store_journal_progress.c). */
int store_journal_append(store *s, const char *text, tm_error *e);
int store_journal_end(store *s, int ok, tm_error *e);
int store_journal_pending(store *s, tm_plan **p, journal_info *info, tm_error *e);
int store_journal_rollback(store *s, tm_error *e);
int store_journal_discard(store *s, tm_error *e);

/* Move the journal, its before-images and the real-domain journal's images
 * (STORE/journal/current, before/, directory/) into a new folder
 * STORE/journal.discarded.<UTC time>/, without reading them (they may be
 * damaged), and write its path to where (n bytes); where is "" when there
 * was nothing to move. Changes no domain. Returns 0 or -1 with e. */
int store_journal_set_aside(store *s, char *where, size_t n, tm_error *e);

/* ---- store_lock.c ------------------------------------------------------- */

/* Take the lock (exclusive for changes, shared for reading; an upgrade
 * refused keeps the shared lock); the first time, the temporary files of
 * dead processes are swept (store_folder_sweep). 0, or -1 with e naming
 * the holder. */
int store_lock_take(store *s, int exclusive, tm_error *e);

/* Release the lock and close its file. */
void store_lock_release(store *s);

/* ---- store_folder.c ----------------------------------------------------- */

#define STORE_DOM_NONE 0         /* no folder, or an empty one (an add that died) */
#define STORE_DOM_OK 1           /* the folder holds domain.ldif */

/* Is the domain key in the store? STORE_DOM_OK, STORE_DOM_NONE, or -1 with
 * e when its folder is damaged (a file where the folder belongs; files but
 * no domain.ldif: STATUS_INTERNAL_DB_CORRUPTION) or cannot be read (a
 * permission problem naming the path and the user). */
int store_folder_state(const store *s, const char *key, tm_error *e);

/* Remove the temporary files of processes that died (store_fs_sweep) from
 * the store's folder, its journal's folders and every domain's folder, and
 * the before-images no journal names (a plan that died while taking them).
 * Called when the store lock is first taken. */
void store_folder_sweep(const store *s);

/* What state_show says of the embedded store (ops.h tm_state_info). */
int store_folder_state_show(const store *s, size_t ndomains, tm_state_info *out);

/* Delete the domain key's folder and every file in it (store_forget_state). */
int store_folder_remove(const store *s, const char *key, tm_error *e);

/* ---- store_stamp.c ------------------------------------------------------ */

/* The stamp op of ops.h: a number that moves whenever a domain's folder or
 * file changes, from stat alone (no read, no lock). Returns 0 or -1 with e. */
int store_stamp(const store *s, uint64_t *out, tm_error *e);

/* ---- store.c ----------------------------------------------------------- */

/* Paths of one domain's files (buf of PATH_MAX). */
int store_domain_file(const store *s, const char *domain, const char *file,
		      char *buf, size_t n, tm_error *e);

#endif
