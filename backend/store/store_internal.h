/* store_internal.h - pieces of the embedded store shared by its files:
 * store.c (ops table, lock, domains), store_fs.c (atomic files),
 * store_ldif.c (domain.ldif), store_keytab.c (krb5.keytab, prove, verify),
 * store_health.c (the health file), store_journal.c (journal and
 * before-images). Not for use outside backend/. */
#ifndef TM_STORE_INTERNAL_H
#define TM_STORE_INTERNAL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/ops.h"

typedef struct store {
	char dir[PATH_MAX];
	int lockfd;                  /* -1 when not open */
	int lockmode;                /* 0 none, 1 shared, 2 exclusive */
	int journal_open;            /* a plan is being recorded by this process */
} store;

/* ---- store_fs.c: files ------------------------------------------------- */

/* Format a path below the store folder: "<dir>/<fmt...>". Returns 0 or -1 with e. */
int store_fs_path(const store *s, char *buf, size_t n, tm_error *e, const char *fmt, ...)
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

/* Read a whole file into a malloc'd NUL-terminated buffer. Returns 0, 1 when
 * the file does not exist (*data NULL), or -1 with e. */
int store_fs_read(const char *path, char **data, size_t *len, tm_error *e);

/* fsync the folder holding path. Returns 0 or -1 with e. */
int store_fs_sync_dir(const char *path, tm_error *e);

/* Copy file src to dst atomically (missing src: remove dst). Returns 0 or -1. */
int store_fs_copy(const char *src, const char *dst, tm_error *e);

/* Remove path (a missing file is fine) and fsync its folder. Returns 0 or -1. */
int store_fs_remove(const char *path, tm_error *e);

/* Append data to path (created 0600 if missing) durably: O_APPEND write
 * loop, then fsync. Returns 0 or -1 with e. */
int store_fs_append(const char *path, const void *data, size_t len, tm_error *e);

/* ---- store_ldif.c: a domain's directory content ----------------------- */

/* Everything domain.ldif holds for one domain. */
typedef struct stldif_domain {
	tm_domain dom;
	tm_tdo *tdos;
	size_t ntdos;
	tm_account *accounts;
	size_t naccounts;
} stldif_domain;

/* Load domain.ldif with libldap's LDIF reader. Returns 0 or -1 with e
 * (a damaged file is reported with its line number). */
int store_ldif_load(const char *path, stldif_domain *out, tm_error *e);

/* Only the domain entry of domain.ldif: reading stops there (the domain
 * list of a store whose domains hold 100,000 trusts stays quick). */
int store_ldif_load_domain(const char *path, tm_domain *out, tm_error *e);

/* Only what a listing shows of each TDO, appended to rows: the other
 * attributes of TDO entries are skipped without being decoded (no secrets
 * in memory) and trust accounts are not read. The domain entry and the
 * TDOs' listed attributes are checked as store_ldif_load checks them. */
int store_ldif_load_rows(const char *path, tm_tdo_rows *rows, tm_error *e);

/* Write domain.ldif with libldap's LDIF writer, atomically. */
int store_ldif_save(const char *path, const stldif_domain *d, tm_error *e);

/* Render to a malloc'd LDIF text (what store_ldif_save writes). */
int store_ldif_render(const stldif_domain *d, char **out, size_t *len, tm_error *e);

/* Parse LDIF text (what store_ldif_load reads). The text buffer is not kept. */
int store_ldif_parse(const char *text, size_t len, stldif_domain *out, tm_error *e);

/* Wipe secrets and free; leaves an empty value. */
void store_ldif_free(stldif_domain *d);

/* ---- store_keytab.c: a domain KDC's keys ------------------------------- */

/* Principals and kvnos in the keytab at path (missing file = empty). */
int store_keytab_list(const char *path, tm_keyinfo **out, size_t *n, tm_error *e);

/* Set principal's keys (derived from password with its default salt) at kvno
 * for the enctype bits; keep_previous keeps kvno-1's entries; every other
 * entry of the principal is dropped. Writes the keytab atomically. */
int store_keytab_set(const char *path, const char *principal, const char *password,
	     uint32_t kvno, uint32_t bits, int keep_previous, tm_error *e);

/* Remove every entry of principal (missing principal is fine). */
int store_keytab_delete(const char *path, const char *principal, tm_error *e);

/* Does password match principal's current key? *match: 1 yes, 0 no,
 * -1 principal absent. Real cryptography: a challenge sealed with the key
 * derived from password is opened with the stored key. */
int store_keytab_prove(const char *path, const char *principal, const char *password,
	       int *match, tm_error *e);

/* One direction of a trust as the two KDCs would see it: the issuing KDC's
 * keytab seals a ticket with its current key of principal, using the
 * strongest enctype allowed by issuer_bits and acceptor_bits (0 = default
 * AES) that both hold; the accepting KDC opens it with its key of that kvno
 * and enctype. Fills r->outcome, kvnos, enctype, missing_on ("issuer" or
 * "acceptor" is written by the caller). Returns 0, or -1 with e when a
 * keytab could not be read. */
int store_keytab_verify(const char *issuer_path, const char *acceptor_path,
		const char *principal, uint32_t issuer_bits, uint32_t acceptor_bits,
		verify_result *r, int *missing_side, tm_error *e);

/* ---- store_health.c: a domain's health file ---------------------------- */

/* Can p name a trust partner in the health file (1 to NAME_DNS_MAX - 1
 * bytes, no control characters)? Returns 0 or -1 with e. */
int store_health_partner_ok(const char *p, tm_error *e);

/* The last health recorded for partner in the health file at path (a
 * missing file holds none; partner names compare as name_equal does).
 * *h and *when are left as they are when there is none. Returns 0, or -1
 * with e (a damaged file is reported with its line number). */
int store_health_get(const char *path, const char *partner, tm_health *h, long long *when,
		 tm_error *e);

/* The last health of every row's partner in the file at path, into h[i]
 * and when[i] (HEALTH_UNKNOWN and 0 when none): one read of the file and
 * one hashed lookup a row. Returns 0 or -1 with e. */
int store_health_get_rows(const char *path, const tm_tdo_rows *rows, tm_health *h,
		      long long *when, tm_error *e);

/* Record h for partner at the current time in the health file at path,
 * replacing its earlier line; the file is rewritten atomically. Returns 0
 * or -1 with e. */
int store_health_put(const char *path, const char *partner, tm_health h, tm_error *e);

/* ---- store_journal.c --------------------------------------------------- */

int store_journal_begin(store *s, const tm_plan *p, tm_error *e);
int store_journal_step(store *s, size_t i, tm_error *e);
int store_journal_end(store *s, int ok, tm_error *e);
int store_journal_pending(store *s, tm_plan **p, journal_info *info, tm_error *e);
int store_journal_rollback(store *s, tm_error *e);
int store_journal_discard(store *s, tm_error *e);

/* ---- store.c ----------------------------------------------------------- */

/* Paths of one domain's files (buf of PATH_MAX). */
int store_domain_file(const store *s, const char *domain, const char *file,
		      char *buf, size_t n, tm_error *e);

#endif
