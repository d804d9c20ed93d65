/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory_sides.c - what the real-domain backend lets run side by side
 * (docs/ARCHITECTURE.md, "Side by side"): each configured domain has its
 * own sessions (LDAP, kadmin, its DC's LSA helper) and its own slot of
 * every per-domain table of dirbe, so two domains' calls never share
 * anything but the configuration, which no call changes. The local state
 * (health, journal) is one store: its calls stay in the executor's thread. */
#include "backend/directory/directory_internal.h"

#include <string.h>

#include "backend/os/parallel.h"
#include "model/caps.h"

/* directory_sides_concurrent: every configured domain. */
int directory_sides_concurrent(tm_backend *be, const tm_domain *d)
{
	tm_error ignore;

	return directory_index(directory_db(be), d, &ignore) >= 0;
}

/* ---- both directions of a verification ---------------------------------- */

typedef struct sides_verify_job {
	dirbe *b;
	const tm_domain *trusting, *trusted;
	verify_result *r;
	int *rc;
	tm_error *e;
} sides_verify_job;

static void directory_sides_verify_job(void *arg)
{
	sides_verify_job *j = arg;

	*j->rc = directory_verify_tickets(j->b, j->trusting, j->trusted, j->r, j->e);
}

/* directory_sides_verify_pair: what each direction reads of the local
 * tables first, in this thread; then the tickets of both at once. */
void directory_sides_verify_pair(tm_backend *be, const tm_domain *a, const tm_domain *b,
				 verify_result r[2], int rc[2], tm_error err[2])
{
	const tm_domain *dom[2] = { a, b };
	sides_verify_job jobs[2];
	void *args[2];
	size_t n = 0, k;

	for (k = 0; k < 2; k++) {
		error_clear(&err[k]);
		rc[k] = directory_verify_check(be, dom[k], dom[1 - k], &r[k], &err[k]);
		if (rc[k] != 1)
			continue;
		jobs[n] = (sides_verify_job){ directory_db(be), dom[k], dom[1 - k], &r[k], &rc[k],
					      &err[k] };
		args[n] = &jobs[n];
		n++;
	}
	if (n)
		parallel_run(directory_sides_verify_job, args, n);
}

/* ---- opening sessions ---------------------------------------------------- */

typedef struct sides_open_job {
	dirbe *b;
	const tm_domain *d;
	long i;
	int ldap, kdc;
} sides_open_job;

/* Open what j names; a failure is kept for the first call that needs it. */
static void directory_sides_open_job(void *arg)
{
	sides_open_job *j = arg;
	tm_error e;

	error_clear(&e);
	if (j->ldap && !j->b->ld[j->i] && !directory_ldap(j->b, j->d, &e))
		j->b->open_err[j->i].ld = e;
	error_clear(&e);
	if (j->kdc && !j->b->kd[j->i] && !directory_kdc(j->b, j->d, &e))
		j->b->open_err[j->i].kd = e;
}

/* What the reads of d will open: its kadmin session when trustmgr reads
 * its KDC (a plain realm, or a domain with kadmin credentials), its LDAP
 * session when it has a directory (a DC's is open already: its names were
 * read from it). */
static int directory_sides_plan(tm_backend *be, const tm_domain *d, sides_open_job *j)
{
	dirbe *b = directory_db(be);
	tm_caps c;
	tm_error ignore;

	memset(j, 0, sizeof(*j));
	j->b = b;
	j->d = d;
	if ((j->i = directory_index(b, d, &ignore)) < 0 || b->is_ad[j->i] == 1)
		return 0;
	be->ops->caps(be, d, &c);
	j->kdc = caps_has(&c, CAP_KEY_READ) && !b->kd[j->i];
	j->ldap = caps_has(&c, CAP_TDO_READ) && b->cfg.domains[j->i].dom.kind != DOMAIN_MIT &&
		  !b->ld[j->i];
	return j->kdc || j->ldap;
}

/* directory_sides_open: the sessions of several domains at once. */
void directory_sides_open(tm_backend *be, const tm_domain *const *v, size_t n)
{
	sides_open_job jobs[PARALLEL_MAX];
	void *args[PARALLEL_MAX];
	size_t k, m = 0;

	for (k = 0; k < n && m < PARALLEL_MAX; k++)
		if (directory_sides_plan(be, v[k], &jobs[m])) {
			args[m] = &jobs[m];
			m++;
		}
	if (m > 1)
		parallel_run(directory_sides_open_job, args, m);
}
