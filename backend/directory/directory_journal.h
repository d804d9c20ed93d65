/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory_journal.h - before-images of real domains, so an interrupted plan
 * can be rolled back on LDAP directories and MIT KDCs.
 *
 * Before the first step of a plan runs, directory_journal_capture() reads, for every
 * domain the plan changes and trustmgr manages, the trusted domain objects
 * of the partners the plan touches (with their trustAuth values) and the key
 * versions of the trust principals it touches (no key bytes: a KDC does not
 * hand them out). They are kept below STATE/journal/directory/:
 *
 *   NAME.ldif    the domain entry and those TDOs, in the store's LDIF (0600)
 *   NAME.state   text, no secrets:
 *                  trustmgr-before 2
 *                  tdo<TAB>PARTNER<TAB>present|absent
 *                  key<TAB>PRINCIPAL<TAB>present|absent<TAB>KVNO<TAB>ENCTYPE-BITS<TAB>KVNOS-HELD
 *
 * directory_journal_restore() puts every TDO back (or deletes it when it did not exist)
 * and sets every trust principal a step reached to its old keys at its old
 * key versions from the passwords the old TDO held (or deletes the
 * principal when it did not exist); a permitted principal that a kpasswd
 * change took out of the one-chance policy is permitted again. It first
 * checks that everything it will restore can be, and refuses, before
 * writing anything, when it cannot (a password changed through kpasswd in
 * a domain trustmgr does not manage; an old key whose password no TDO held,
 * which is every changed key of a plain MIT realm; a journal without
 * images). All calls go through the backend's own ops table.
 *
 * Each file has its sum record beside it (NAME.ldif.sum, NAME.state.sum:
 * backend/store/store_image.h). Before anything is restored every image is
 * read back and checked whole (sum record, LDIF through the store's reader,
 * every line of the state file); a damaged or missing file stops the
 * rollback before any change, naming the file. Files of the format
 * "trustmgr-before 1" (no sum records) are still read. */
#ifndef TM_DIRECTORY_JOURNAL_H
#define TM_DIRECTORY_JOURNAL_H

#include "backend/ops.h"

/* Record the before-images of plan p's domains. Returns 0 or -1 with e. */
int directory_journal_capture(tm_backend *be, const char *state_dir, const tm_plan *p, tm_error *e);

/* Put the captured domains back as they were, for plan p interrupted after
 * `done` steps. Returns 0 or -1 with e (the before-images are kept then, so
 * the operator can try again or resume). */
int directory_journal_restore(tm_backend *be, const char *state_dir, const tm_plan *p, size_t done,
		 tm_error *e);

/* Read back and check every before-image, as a rollback would before it
 * writes anything (a resume checks them too, so that rolling back stays
 * possible). Returns 0, or -1 with e naming the damaged file and the way
 * out. */
int directory_journal_check(const char *state_dir, tm_error *e);

/* Does data (len bytes) read as a NAME.state file? what names it. 0, or -1
 * with e naming the damaged line (a store_image_content, for the fuzzer). */
int directory_journal_check_state(const char *data, size_t len, const char *what, tm_error *e);

/* Forget the before-images (plan ended, resumed to the end, or rolled back). */
int directory_journal_forget(const char *state_dir, tm_error *e);

#endif
