/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ops.h - the one table through which the ui reaches the world.
 *
 * Every backend (the embedded store, the LDAP/Kerberos directories) fills a
 * tm_backend_ops.  The ui and the executor only ever call through it.  All
 * functions return 0 on success or -1 with e set (class TM_EBACKEND for I/O
 * or server faults, TM_EUSAGE / TM_EREFUSED where the request itself is at
 * fault, TM_EFAIL where a check ran and failed).  Arrays returned are owned
 * by the caller (free with the matching model free function / free()).
 */
#ifndef TM_OPS_H
#define TM_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "model/caps.h"
#include "model/plan.h"
#include "model/error.h"
#include "model/trust.h"
#include "model/verify.h"
#include "backend/audit/audit.h"

typedef struct tm_backend tm_backend;

/* The names one partner may go by (its DNS, NetBIOS and realm names, its
 * SID as text, the name a command gave): what the reads of a command that
 * concerns one trust ask for (the *_focus ops). Empty strings are unused. */
#define TM_FOCUS_MAX 8
typedef struct tm_focus {
	const char *names[TM_FOCUS_MAX];
	size_t n;
} tm_focus;

/* Result of proving a password against a trust principal. */
typedef enum prove_result {
	PROVE_OK = 0,        /* the password is right */
	PROVE_WRONG,         /* wrong password: the one chance is now used */
	PROVE_LOCKED,        /* the one chance had already been used */
	PROVE_MISSING        /* nothing permitted: no principal / account */
} prove_result;

/* A plan interrupted part-way, as found at start-up. */
typedef struct journal_info {
	char id[64];                 /* journal id */
	long long started;           /* Unix seconds */
	long pid;                    /* process that ran it */
	char op[32];
	size_t done;                 /* steps completed */
	size_t reach;                /* steps [done, reach) may have run too, side by
				      * side, without being marked (<= done: none) */
	size_t total;
	int failed;                  /* ended with a failure (no resume needed) */
} journal_info;

/* The local state trustmgr keeps beside the domains (the state folder of
 * trustmgr.conf's real domains, or the embedded store itself): where it
 * is, whether it is shared with an administrators' group
 * (backend/os/fsmode.h), and the domains it holds state for that the
 * configuration no longer names (renamed or removed: stale). */
#define TM_STATE_STALE_MAX 64
typedef struct tm_state_info {
	char dir[4096];
	int shared;
	size_t ndomains;                     /* domains with state */
	size_t nstale;                       /* of which stale (names below, at most
					      * TM_STATE_STALE_MAX) */
	char stale[TM_STATE_STALE_MAX][DOMAIN_KEY_MAX];
	unsigned char stale_in_plan[TM_STATE_STALE_MAX]; /* the interrupted plan names it */
} tm_state_info;

typedef struct tm_backend_ops {
	const char *name;                    /* "embedded", "ldap+krb5" */

	/* Release everything, including the lock. */
	void (*close)(tm_backend *be);

	/* Take the store lock: exclusive for changes, shared for reading.
	 * A second process gets a clear message naming the holder. */
	int (*lock)(tm_backend *be, int exclusive, tm_error *e);

	/* Domains known to this backend. */
	int (*domain_list)(tm_backend *be, tm_domain **out, size_t *n, tm_error *e);
	int (*domain_add)(tm_backend *be, const tm_domain *d, tm_error *e);

	/* TDOs of one domain (secrets included, for the executor). */
	int (*tdo_list)(tm_backend *be, const tm_domain *d, tm_tdo **out, size_t *n,
			tm_error *e);
	/* Create or replace the TDO whose partner name equals t->partner. */
	int (*tdo_put)(tm_backend *be, const tm_domain *d, const tm_tdo *t, tm_error *e);
	/* Delete; deleting a missing TDO succeeds. */
	int (*tdo_delete)(tm_backend *be, const tm_domain *d, const char *partner,
			  tm_error *e);

	/* Interdomain trust accounts of one domain. */
	int (*account_list)(tm_backend *be, const tm_domain *d, tm_account **out,
			    size_t *n, tm_error *e);
	int (*account_put)(tm_backend *be, const tm_domain *d, const tm_account *a,
			   tm_error *e);
	int (*account_delete)(tm_backend *be, const tm_domain *d, const char *name,
			      tm_error *e);

	/* Kerberos keys of one domain's KDC (no key bytes leave the backend). */
	int (*key_list)(tm_backend *be, const tm_domain *d, tm_keyinfo **out, size_t *n,
			tm_error *e);
	/* Set principal's key from password at kvno with the enctype bits;
	 * keep_previous keeps the keys of kvno-1, every other kvno is dropped. */
	int (*key_set)(tm_backend *be, const tm_domain *d, const char *principal,
		       const char *password, uint32_t kvno, uint32_t enctypes,
		       int keep_previous, tm_error *e);
	int (*key_delete)(tm_backend *be, const tm_domain *d, const char *principal,
			  tm_error *e);

	/* Change principal's key in domain d from old_pw to new_pw the way the
	 * principal itself would (kpasswd, RFC 3244): no administrator rights
	 * on d are needed. The KDC picks the next key version (*kvno); the old
	 * key is kept as the previous one. The KDC also picks the encryption
	 * types; where trustmgr administers d's KDC it then makes the new key
	 * again with those of enctypes (0: AES), as the other side has them. */
	int (*key_change)(tm_backend *be, const tm_domain *d, const char *principal,
			  const char *old_pw, const char *new_pw, uint32_t enctypes,
			  uint32_t *kvno, tm_error *e);

	/* What trustmgr can do with d, and for each thing it cannot, why
	 * (model/caps.h): everything for a domain it manages in full, nothing
	 * for one it only knows by name (the trusting side's administrator
	 * establishing a trust with a domain it does not manage), and in
	 * between for a domain whose directory answers but whose KDC trustmgr
	 * has no credentials for. Never fails. */
	void (*caps)(tm_backend *be, const tm_domain *d, tm_caps *out);

	/* Prove password against principal in domain d, as the trusting side's
	 * first logon would; a wrong password locks account (the one chance).
	 * Sets *res; returns -1 only when the check could not be made. */
	int (*prove)(tm_backend *be, const tm_domain *d, const char *principal,
		     const char *account, const char *password, prove_result *res,
		     tm_error *e);

	/* One direction "trusting trusts trusted": the trusted side's KDC issues
	 * a referral ticket under krbtgt/TRUSTING@TRUSTED, the trusting side's
	 * KDC accepts it. Fills r; returns -1 only when the check could not run. */
	int (*verify)(tm_backend *be, const tm_domain *trusting, const tm_domain *trusted,
		      verify_result *r, tm_error *e);

	/* Last known health of the trust with partner (HEALTH_UNKNOWN, 0 if none). */
	int (*health_get)(tm_backend *be, const tm_domain *d, const char *partner,
			  tm_health *h, long long *when, tm_error *e);
	int (*health_put)(tm_backend *be, const tm_domain *d, const char *partner,
			  tm_health h, tm_error *e);

	/* Journal: begin records the plan (no secrets) and takes before-images of
	 * every domain it touches; step marks step i done; end closes it (ok or
	 * failed). */
	int (*journal_begin)(tm_backend *be, const tm_plan *p, tm_error *e);
	int (*journal_step)(tm_backend *be, size_t i, tm_error *e);
	int (*journal_end)(tm_backend *be, int ok, tm_error *e);
	/* An interrupted plan, if any: *p set (caller frees) and info filled;
	 * *p NULL when there is none. A damaged journal or before-image is an
	 * error (STATUS_INTERNAL_DB_CORRUPTION naming the file); info then
	 * holds what could be read of the journal (id, op, start, process). */
	int (*journal_pending)(tm_backend *be, tm_plan **p, journal_info *info,
			       tm_error *e);
	/* Put every touched domain back as it was before the interrupted plan. */
	int (*journal_rollback)(tm_backend *be, tm_error *e);
	/* Forget the interrupted plan after it was resumed to the end. */
	int (*journal_discard)(tm_backend *be, tm_error *e);
	/* Optional (NULL: not offered): move the journal and its before-images
	 * aside, unread (they may be damaged), into a new folder whose path is
	 * written to where (n bytes; "" when there was no journal), so that the
	 * store can be used again; no domain changes (`discard --force`). */
	int (*journal_set_aside)(tm_backend *be, char *where, size_t n, tm_error *e);

	/* What the local state holds (tm_state_info; every backend has it:
	 * the embedded store is its own state); and, optional (NULL: nothing
	 * can be stale), forgetting the state of one stale domain (refused
	 * for a configured domain and for one the interrupted plan names). */
	int (*state_show)(tm_backend *be, tm_state_info *out, tm_error *e);
	int (*state_forget)(tm_backend *be, const char *name, tm_error *e);

	/* Optional (NULL: callers use tdo_list): the TDOs of one domain as a
	 * listing shows them (tm_tdo_row: partner, flat name, direction, type,
	 * attributes), appended to *out (started zeroed). Only those attributes
	 * are read: no secrets, no forest trust information. They are checked as
	 * tdo_list checks them. Returns 0, or -1 with e (*out freeable). */
	int (*tdo_list_public)(tm_backend *be, const tm_domain *d, tm_tdo_rows *out,
			       tm_error *e);

	/* Optional (NULL: nothing to do): make principal in d's KDC a plain
	 * cross-realm principal: out of the one-chance policy a permit put it
	 * under, no pre-authentication required (docs/RULES.md, "Plain MIT
	 * realms"). A missing principal is fine. */
	int (*key_plain)(tm_backend *be, const tm_domain *d, const char *principal,
			 tm_error *e);

	/* Optional (NULL: the backend keeps none; the gate refuses the step):
	 * d's UPN and SPN suffixes become those of names (nupn, upn_suffixes,
	 * nspn, spn_suffixes; its other fields are ignored). */
	int (*suffixes_put)(tm_backend *be, const tm_domain *d, const tm_domain *names,
			    tm_error *e);

	/* Optional (NULL: domain_list already carries them): read d's UPN and
	 * SPN suffixes from its directory into d (nupn, upn_suffixes, nspn,
	 * spn_suffixes). Returns 0 or -1 with e. */
	int (*suffixes_get)(tm_backend *be, tm_domain *d, tm_error *e);

	/* Optional (NULL: callers ask health_get per row): the last known health
	 * of every row's partner in h[i] and when[i] (HEALTH_UNKNOWN and 0 when
	 * none), read once for the whole list. Returns 0 or -1 with e. */
	int (*health_rows)(tm_backend *be, const tm_domain *d, const tm_tdo_rows *rows,
			   tm_health *h, long long *when, tm_error *e);

	/* Optional (NULL: callers use tdo_list, account_list and key_list): the
	 * same reads narrowed to what concerns the partner f names: at least
	 * the TDOs whose partner or flat name is one of f's names, the trust
	 * accounts of those partners, and the keys of the principals
	 * krbtgt/X@Y with X or Y one of them. A backend may return more (the
	 * directory backend narrows only what it reads through kadmin, where
	 * each principal is one call: a plain realm's TDOs, a KDC's keys and
	 * accounts). Same contract as the full reads otherwise. */
	int (*tdo_list_focus)(tm_backend *be, const tm_domain *d, const tm_focus *f,
			      tm_tdo **out, size_t *n, tm_error *e);
	int (*account_list_focus)(tm_backend *be, const tm_domain *d, const tm_focus *f,
				  tm_account **out, size_t *n, tm_error *e);
	int (*key_list_focus)(tm_backend *be, const tm_domain *d, const tm_focus *f,
			      tm_keyinfo **out, size_t *n, tm_error *e);

	/* Optional (NULL: the backend has no cheap way to tell): a number that
	 * changes whenever anything a listing reads changes (the domains, their
	 * TDOs, keys and last known health), found without reading those and
	 * without the lock, so that a front end can tell cheaply whether another
	 * process changed the store since it last read it. Equal numbers mean
	 * "very probably unchanged"; it is a hint, never a reason to write.
	 * Returns 0 with *out, or -1 with e. */
	int (*stamp)(tm_backend *be, uint64_t *out, tm_error *e);

	/* ---- side by side (docs/ARCHITECTURE.md, "Side by side") ---------- */

	/* Optional (NULL: never): may d's change steps (tdo_put, tdo_delete,
	 * account_put, account_delete, key_set, key_delete, key_plain) run in
	 * a thread of their own while another domain that also answers yes has
	 * its own run in another thread? Yes only when each domain's changes go
	 * to its own servers through its own sessions and touch nothing the
	 * other's calls use (the embedded store's domains share one folder: no).
	 * The executor also needs journal_running to say so first. */
	int (*concurrent)(tm_backend *be, const tm_domain *d);

	/* Optional (needed for concurrent steps): steps [from, to) of the
	 * journaled plan are about to run side by side, so that a crash may
	 * leave any of them done though not marked; journal_pending then
	 * reports info->reach = to, and a rollback treats them as run.
	 * Recorded durably before the first of them runs. */
	int (*journal_running)(tm_backend *be, size_t from, size_t to, tm_error *e);

	/* Optional (NULL: journal_step for each): mark steps [from, to) done
	 * with one durable write (steps run side by side, recorded together). */
	int (*journal_steps)(tm_backend *be, size_t from, size_t to, tm_error *e);

	/* Optional (NULL: callers run verify twice): both directions between a
	 * and b at once, each as verify does it: [0] "a trusts b", [1] "b
	 * trusts a"; rc[k] is what verify would have returned and err[k] its
	 * error. */
	void (*verify_pair)(tm_backend *be, const tm_domain *a, const tm_domain *b,
			    verify_result r[2], int rc[2], tm_error err[2]);

	/* Optional (NULL: each session opens on first use): open the sessions
	 * the reads of domains v[0..n) will need, side by side. A session
	 * that cannot be opened is not an error here: the first call that
	 * needs it reports why (once, without waiting for it again). */
	void (*open_sessions)(tm_backend *be, const tm_domain *const *v, size_t n);
} tm_backend_ops;

struct tm_backend {
	const tm_backend_ops *ops;
	void *priv;
	/* Where the executor records every change (audit.h); set by
	 * backend_open (select.h). All zero: nothing is recorded. */
	audit_target audit;
};

/* 1 when trustmgr reads and changes d in full (caps_manage of ops->caps). */
int backend_writable(tm_backend *be, const tm_domain *d);

/* Find a domain by any of its names in an array; NULL when none. */
const tm_domain *backend_find_domain(const tm_domain *v, size_t n, const char *name);

/* f = the names of partner p (DNS, NetBIOS, realm, SID as text into sid,
 * SID_TEXT_MAX bytes) when p is known, and name and also when set. */
void backend_focus(tm_focus *f, const tm_domain *p, const char *name, const char *also,
		   char *sid);

/* Does name equal one of f's names (name_equal)? */
int backend_focus_has(const tm_focus *f, const char *name);

/* The *_focus reads of ops.h, or, for a backend without them (or f NULL),
 * the full reads. Same contract as the ops. */
int backend_tdo_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			   tm_tdo **out, size_t *n, tm_error *e);
int backend_account_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			       tm_account **out, size_t *n, tm_error *e);
int backend_key_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			   tm_keyinfo **out, size_t *n, tm_error *e);

#endif
