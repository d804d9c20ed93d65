/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health_due.c - which trusts are due for rotation (`trustmgr rotate
 * --due`): health's findings grouped by pair of domains, so that a two-way
 * trust, named by a finding per direction, is rotated once; a trust with any
 * other problem is left to `health` and `repair`. */
#include "model/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/grow.h"

/* What the findings of one pair of domains say. */
typedef struct hd_pair {
	health_due due;
	int old;                       /* a secret-old finding, or an unknown partner's
					* end whose secret is due */
	int other;                     /* a problem that is not the secret's age */
} hd_pair;

typedef struct hd_list {
	hd_pair *v;
	size_t n, cap;
} hd_list;

static const char *health_due_partner(const health_finding *f)
{
	return f->partner_domain[0] ? f->partner_domain : f->partner;
}

/* The pair {f->domain, its partner}, either way round, or a new one. */
static hd_pair *health_due_pair(hd_list *l, const health_finding *f)
{
	const char *p = health_due_partner(f);
	hd_pair *v;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const health_due *d = &l->v[i].due;

		if ((strcmp(d->domain, f->domain) == 0 && strcmp(d->partner, p) == 0) ||
		    (strcmp(d->domain, p) == 0 && strcmp(d->partner, f->domain) == 0))
			return &l->v[i];
	}
	if (!(v = grow_array(l->v, &l->cap, l->n + 1, sizeof(*v), 8)))
		return NULL;
	l->v = v;
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	snprintf(v->due.domain, sizeof(v->due.domain), "%s", f->domain);
	snprintf(v->due.partner, sizeof(v->due.partner), "%s", p);
	v->due.managed = f->partner_domain[0] != '\0';
	return v;
}

/* The finding of a TDO whose partner trustmgr does not know. */
static int health_due_unknown(const health_finding *f)
{
	return !f->partner_domain[0] && f->kind == HK_UNREACHABLE &&
	       f->direction != TRUST_DIRECTION_DISABLED;
}

static int health_due_is_due(const health_input *in, long long set_at)
{
	return set_at > 0 && in->rotation_days >= 0 &&
	       in->now - set_at >= (long long)in->rotation_days * 86400;
}

static void health_due_note(const health_input *in, hd_pair *pr, const health_finding *f)
{
	if (f->kind == HK_OK)
		return;
	if (health_due_unknown(f)) {
		if (!health_due_is_due(in, f->secret_set))
			return;
	} else if (f->kind != HK_SECRET_OLD) {
		pr->other = 1;
		return;
	}
	pr->old = 1;
	if (f->kind == HK_SECRET_OLD && !pr->due.f)
		pr->due.f = f;
	if (f->secret_set > 0 && (!pr->due.set_at || f->secret_set < pr->due.set_at))
		pr->due.set_at = f->secret_set;
}

/* Keep the due pairs (in place), count the others. */
static void health_due_keep(hd_list *l, size_t *other)
{
	size_t i, k = 0;

	*other = 0;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].other)
			(*other)++;
		else if (l->v[i].old)
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

/* health_due_list: the due trusts of findings v, one per pair of domains. */
int health_due_list(const health_input *in, const health_finding *v, size_t n,
		    health_due **out, size_t *nout, size_t *other, tm_error *e)
{
	hd_list l;
	hd_pair *pr;
	size_t i;

	memset(&l, 0, sizeof(l));
	*out = NULL;
	*nout = 0;
	*other = 0;
	for (i = 0; i < n; i++) {
		if (!(pr = health_due_pair(&l, &v[i]))) {
			free(l.v);
			return error_fail(e, TM_EBACKEND, NULL, "out of memory while listing the "
					  "trusts due for rotation");
		}
		health_due_note(in, pr, &v[i]);
	}
	health_due_keep(&l, other);
	if (l.n && !(*out = calloc(l.n, sizeof(**out)))) {
		free(l.v);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while listing the trusts "
				  "due for rotation");
	}
	for (i = 0; i < l.n; i++)
		(*out)[i] = l.v[i].due;
	*nout = l.n;
	free(l.v);
	return 0;
}
