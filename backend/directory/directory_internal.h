/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory_internal.h - what the files of the real-domain backend share
 * (directory.c: the ops table; directory_ad.c: Active Directory domains;
 * directory_keys.c: a KDC's principals, read once a command).
 * Not for use outside backend/directory/. */
#ifndef TM_DIRECTORY_INTERNAL_H
#define TM_DIRECTORY_INTERNAL_H

#include "backend/ad/ad.h"
#include "backend/config/config.h"
#include "backend/kdc/kdc.h"
#include "backend/ldap/ldapdir.h"
#include "backend/ops.h"

typedef struct dirkeys dirkeys;

typedef struct dirbe {
	tm_config cfg;
	tm_backend *state;           /* embedded store in state_dir: lock, health, journal */
	ldapdir **ld;                /* per configured domain, opened on first use */
	kdc **kd;
	unsigned char *mirrored;     /* per configured domain: known to the state store */
	ad_side *ad;                 /* per configured domain: its Active Directory part */
	signed char *is_ad;          /* per configured domain: -1 not known yet, 0, 1 */
	tm_error *probe_err;         /* per configured domain: why its names are unknown */
	dirkeys *keys;               /* per configured domain: its KDC's principals read */
	struct dir_open_err {        /* per configured domain: why open_sessions could */
		tm_error ld, kd;     /* not open its LDAP or kadmin session (said once) */
	} *open_err;
	int exclusive;               /* the command holds the lock to change things */
	ad_lsa_factory *factory;     /* makes the LSA helpers of the command's DCs */
	int factory_tried;           /* its start was attempted (once a command) */
	int stale_noted;             /* the stale state was pointed out this run */
} dirbe;

/* The backend's state. */
dirbe *directory_db(tm_backend *be);

/* Index of d in the configuration, or -1 with e. */
long directory_index(dirbe *b, const tm_domain *d, tm_error *e);

/* d's LDAP session and kadmin session, opened on first use (NULL with e). */
ldapdir *directory_ldap(dirbe *b, const tm_domain *d, tm_error *e);
kdc *directory_kdc(dirbe *b, const tm_domain *d, tm_error *e);

/* ---- directory_ad.c ---------------------------------------------------- */

/* d's Active Directory part when its directory is Active Directory (found
 * from its root DSE the first time), else NULL with e clear; NULL with e
 * set when the directory could not be asked. */
ad_side *directory_ad(dirbe *b, const tm_domain *d, tm_error *e);

/* Read the names of every kind = ad domain configured without them from
 * its directory; a domain whose directory does not answer keeps the
 * reason (probe_err) and is listed by its block name. */
void directory_ad_names(dirbe *b);

/* The configuration of d with the credentials and service verify uses on
 * an AD domain filled in (the bind's user and password file, a DC's cifs
 * principal) when the file gives none. */
void directory_ad_verify_cfg(dirbe *b, long i, cfg_domain *out);

/* A command that may change AD domains: the LSA helper factory starts now
 * when found is 0 and a block can only be a DC (kind = ad written in it, its
 * names left to the directory, or local_dc_conf), so that Samba's libraries
 * load while trustmgr reads the directories; with found, when a DC was found
 * (a directory domain whose root DSE says Active Directory). Other
 * configurations (OpenLDAP + MIT domains, realms) never start it. Without a
 * factory the helpers start one by one. */
void directory_ad_factory(dirbe *b, int found);

/* d's LSA helper starting now and logging on for changes, when d is a DC. */
void directory_ad_prestart(dirbe *b, const tm_domain *d);

/* When d is a DC trustmgr runs on (local_dc_conf): its helper's logon
 * confirmed (ad_side_confirm_local). 0, or -1 with e. */
int directory_ad_confirm_local(dirbe *b, const tm_domain *d, tm_error *e);

/* When trusting is a DC and the trust verified: the DC's own check of its
 * secure channel to trusted, into r->dc_check (directory_ad.c). */
void directory_ad_validate(dirbe *b, const tm_domain *trusting, const tm_domain *trusted,
			   verify_result *r);
/* The same check asked now, its answer read by directory_ad_validate: the
 * DC works on it while trustmgr asks the KDCs. */
void directory_ad_validate_ahead(dirbe *b, const tm_domain *trusting, const tm_domain *trusted);

/* ---- verification (directory.c), in two parts for directory_sides.c ------ */

/* What verify reads of what trustmgr keeps (each end's TDO or principal):
 * 1 when the tickets are to be asked for next (directory_verify_tickets),
 * 0 when r is already the answer (an end is missing), -1 with e. When
 * trusting is a DC, its own check of the trust is asked now (its answer is
 * read by directory_verify_tickets). */
int directory_verify_check(tm_backend *be, const tm_domain *trusting, const tm_domain *trusted,
			   verify_result *r, tm_error *e);

/* The Kerberos exchanges of one direction and, on a DC, its own check of
 * the trust: each in a context of its own, through no session but
 * trusting's LSA helper, so the two directions may run side by side once
 * directory_verify_check said 1 for both. 0, or -1 with e. */
int directory_verify_tickets(dirbe *b, const tm_domain *trusting, const tm_domain *trusted,
			     verify_result *r, tm_error *e);

/* ---- directory_sides.c: the ops entries for running side by side -------- */

int directory_sides_concurrent(tm_backend *be, const tm_domain *d);
void directory_sides_verify_pair(tm_backend *be, const tm_domain *a, const tm_domain *b,
				 verify_result r[2], int rc[2], tm_error err[2]);
void directory_sides_open(tm_backend *be, const tm_domain *const *v, size_t n);

/* ---- directory_state.c: health, journal and stale state ---------------- */

/* d has its folder in the state store (made on first use). 0 or -1 with e. */
int directory_state_mirror(dirbe *b, const tm_domain *d, tm_error *e);

/* The ops entries of the same names (ops.h), through the state store. */
int directory_state_health_get(tm_backend *be, const tm_domain *d, const char *partner,
			       tm_health *h, long long *when, tm_error *e);
int directory_state_health_rows(tm_backend *be, const tm_domain *d, const tm_tdo_rows *rows,
				tm_health *h, long long *when, tm_error *e);
int directory_state_health_put(tm_backend *be, const tm_domain *d, const char *partner,
			       tm_health h, tm_error *e);
int directory_state_journal_step(tm_backend *be, size_t i, tm_error *e);
int directory_state_journal_running(tm_backend *be, size_t from, size_t to, tm_error *e);
int directory_state_journal_steps(tm_backend *be, size_t from, size_t to, tm_error *e);
int directory_state_journal_end(tm_backend *be, int ok, tm_error *e);
int directory_state_journal_pending(tm_backend *be, tm_plan **p, journal_info *info, tm_error *e);
int directory_state_journal_rollback(tm_backend *be, tm_error *e);
int directory_state_journal_discard(tm_backend *be, tm_error *e);
int directory_state_journal_set_aside(tm_backend *be, char *where, size_t n, tm_error *e);
int directory_state_show(tm_backend *be, tm_state_info *out, tm_error *e);
int directory_state_forget(tm_backend *be, const char *name, tm_error *e);

/* ---- directory_keys.c -------------------------------------------------- */

/* n empty caches of principals (NULL on ENOMEM); free them (n of them). */
dirkeys *directory_keys_new(size_t n);
void directory_keys_free(dirkeys *v, size_t n);

/* d's cross-realm principals as kdc_key_list gives them, only those f
 * wants (krbtgt/X@Y with X or Y one of its names; NULL: all): the names
 * listed once, each principal read once, until directory_keys_forget_one.
 * Returns 0 or -1 with e. */
int directory_keys_read(dirbe *b, const tm_domain *d, const tm_focus *f, tm_keyinfo **out,
			size_t *n, tm_error *e);

/* The backend changed something in d's KDC: what was read of it (and of
 * any domain configured with the same realm) is read again when asked. */
/* Only principal of d's realm changed: it alone is read again when asked
 * (exists: it is known to exist now, as after a key set that succeeded). */
void directory_keys_forget_one(dirbe *b, const tm_domain *d, const char *principal, int exists);

/* What the reads so far say of principal in d: 1 it exists, 0 it does
 * not, -1 not known (then ask the KDC). */
int directory_keys_has(dirbe *b, const tm_domain *d, const char *principal);

#endif
