/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* exec_lanes.c - the steps of a plan that run side by side (exec_lanes.h). */
#include "backend/exec/exec_lanes.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/exec/exec_internal.h"

#include "backend/backend.h"
#include "backend/os/parallel.h"
#include "backend/os/testhooks.h"

/* May step s join a wave? */
static int exec_lanes_kind(const plan_step *s)
{
	switch (s->kind) {
	case STEP_TDO_PUT:
	case STEP_TDO_DELETE:
	case STEP_ACCOUNT_PUT:
	case STEP_ACCOUNT_DELETE:
	case STEP_KEY_SET:
	case STEP_KEY_DELETE:
	case STEP_KEY_PLAIN:
		return 1;
	default:
		return 0;
	}
}

static int exec_lanes_allowed(tm_backend *be, const plan_step *s, const tm_domain *domains,
			      size_t ndomains)
{
	const tm_domain *d = backend_find_domain(domains, ndomains, s->domain);

	return exec_lanes_kind(s) && d && be->ops->concurrent(be, d);
}

/* Is step k the first of steps [from, k] in its domain? */
static int exec_lanes_new(const tm_plan *p, size_t from, size_t k)
{
	size_t j;

	for (j = from; j < k; j++)
		if (strcmp(p->steps[j].domain, p->steps[k].domain) == 0)
			return 0;
	return 1;
}

/* exec_lanes_wave: see exec_lanes.h. */
size_t exec_lanes_wave(tm_backend *be, const tm_plan *p, size_t from, const tm_domain *domains,
		       size_t ndomains)
{
	size_t to = from, lanes = 0;

	if (!be->ops->concurrent || !be->ops->journal_running)
		return from + 1;
	while (to < p->nsteps && (to == from || !testhooks_boundary(to)) &&
	       exec_lanes_allowed(be, &p->steps[to], domains, ndomains)) {
		if (exec_lanes_new(p, from, to) && ++lanes > PARALLEL_MAX)
			break;
		to++;
	}
	return lanes >= 2 ? to : from + 1;
}

/* ---- running ------------------------------------------------------------ */

typedef struct exec_lane {
	const tm_plan *p;
	size_t from, to;
	const char *domain;          /* the lane's steps: those of this domain */
	exec_lanes_fn fn;
	void *ctx;
	int *rc;
	tm_error *err;
	atomic_int *failed;          /* shared: a step of the wave failed */
} exec_lane;

static void exec_lanes_one(void *arg)
{
	exec_lane *l = arg;
	size_t k;

	for (k = l->from; k < l->to; k++) {
		if (strcmp(l->p->steps[k].domain, l->domain) != 0)
			continue;
		if (atomic_load(l->failed)) {
			l->rc[k - l->from] = 1;
			continue;
		}
		error_clear(&l->err[k - l->from]);
		l->rc[k - l->from] = l->fn(l->ctx, k, &l->err[k - l->from]) < 0 ? -1 : 0;
		if (l->rc[k - l->from] < 0)
			atomic_store(l->failed, 1);
	}
}

/* exec_lanes_run: see exec_lanes.h. */
void exec_lanes_run(const tm_plan *p, size_t from, size_t to, exec_lanes_fn fn, void *ctx,
		    int *rc, tm_error *err)
{
	exec_lane lanes[PARALLEL_MAX];
	void *args[PARALLEL_MAX];
	atomic_int failed;
	size_t k, n = 0;

	atomic_init(&failed, 0);
	for (k = from; k < to; k++)
		rc[k - from] = 1;
	for (k = from; k < to && n < PARALLEL_MAX; k++) {
		if (!exec_lanes_new(p, from, k))
			continue;
		lanes[n] = (exec_lane){ p, from, to, p->steps[k].domain, fn, ctx, rc, err, &failed };
		args[n] = &lanes[n];
		n++;
	}
	parallel_run(exec_lanes_one, args, n);
}

/* ---- recording a wave, and both directions of a verification --------------- */

static int exec_lanes_step(void *ctx, size_t i, tm_error *e)
{
	exec_state *st = ctx;

	return exec_step(st, &st->p->steps[i], e);
}

/* Step f of the wave [from, to) failed: the steps after it that the other
 * lanes did are recorded (audit and journal: not in the leading run of done
 * steps, so a resume runs them again) and named in the message. */
static void exec_lanes_after(exec_state *st, size_t f, size_t from, size_t to, const int *rc,
			    int journaled, tm_error *e)
{
	char list[128] = "";
	size_t k, n = 0, len = 0;
	tm_error ignore;

	for (k = f + 1; k < to; k++) {
		if (rc[k - from] != 0)
			continue;
		exec_audit_step(st, k, journaled, NULL, &ignore);
		if (journaled)
			st->be->ops->journal_step(st->be, k, &ignore);
		if (len < sizeof(list) - 16)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%zu",
						n ? ", " : "", k + 1);
		n++;
	}
	if (n)
		error_prefix(e, "step%s %s, run at the same time in another domain, %s done; ",
			     n > 1 ? "s" : "", list, n > 1 ? "were" : "was");
}

/* The steps done from k on that are recorded together: up to the first
 * that was not done, or to the one a test hook waits after (so that the
 * hook finds exactly the steps up to it marked). */
static size_t exec_lanes_batch(const int *rc, size_t from, size_t k, size_t to)
{
	size_t end = k;

	while (end < to && rc[end - from] == 0)
		if (testhooks_armed(++end))
			break;
	return end;
}

/* Steps [from, to) run side by side, then are recorded in the plan's
 * order. 0 to go on; -1 when the plan stops, with its outcome in *out. */
int exec_lanes_record(exec_state *st, size_t from, size_t to, int resume, int journaled,
		     tm_error *e, int *out)
{
	int rc[PLAN_MAX_STEPS];
	tm_error *err = calloc(to - from, sizeof(*err));
	size_t k;
	int r = 0;

	if (!err) {
		error_fail(e, TM_EBACKEND, NULL, "out of memory");
		*out = exec_stop(st, from, resume, journaled, e);
		return -1;
	}
	if (journaled && st->be->ops->journal_running(st->be, from, to, e) < 0) {
		free(err);
		*out = exec_stop(st, from, resume, journaled, e);
		return -1;
	}
	exec_progress(st, from, to);
	exec_lanes_run(st->p, from, to, exec_lanes_step, st, rc, err);
	for (k = from; k < to; k++)
		if (rc[k - from] == 0)
			st->wave_wrote = 1;
	k = from;
	while (r == 0 && k < to && rc[k - from] == 0) {
		size_t end = exec_lanes_batch(rc, from, k, to);

		r = exec_record_done(st, k, end, resume, journaled, e, out);
		k = end;
	}
	if (r == 0 && k < to && rc[k - from] < 0) {
		*e = err[k - from];
		exec_lanes_after(st, k, from, to, rc, journaled, e);
		r = exec_record(st, k, -1, resume, journaled, e, out);
	}
	free(err);
	return r;
}

/* Both directions of the trust between a and b were checked (those that
 * could be): each end's health once, verified only when every direction
 * checked crossed the trust. */
static void exec_lanes_health(exec_state *st, const tm_domain *a, const tm_domain *b,
			     const int rc[2], const verify_result r[2])
{
	int ran = 0, ok = 1, k;
	tm_health h;

	for (k = 0; k < 2; k++)
		if (rc[k] >= 0) {
			ran = 1;
			ok = ok && r[k].outcome == VERIFY_OK;
		}
	if (!ran)
		return;
	h = ok ? HEALTH_VERIFIED : HEALTH_BROKEN;
	exec_record_health(st, a, b, h);
	exec_record_health(st, b, a, h);
}

/* Steps i and i + 1 verify the two directions of one trust: at once, when
 * the backend can. 1 when it did (both recorded: *out set when the plan
 * stops), 0 when they are to run one by one. */
int exec_lanes_verify(exec_state *st, size_t i, int resume, int journaled, tm_error *e,
			    int *out, int *stopped)
{
	const plan_step *s = &st->p->steps[i], *t = s + 1;
	const tm_domain *a, *b;
	verify_result r[2];
	tm_error err[2], res[2];
	int rc[2], ok[2];
	size_t k;

	if (!st->be->ops->verify_pair || i + 1 >= st->p->nsteps || s->kind != STEP_VERIFY ||
	    t->kind != STEP_VERIFY || strcmp(s->trusting, t->trusted) != 0 ||
	    strcmp(s->trusted, t->trusting) != 0 || testhooks_boundary(i + 1) ||
	    !(a = exec_domain(st, s->trusting, e)) || !(b = exec_domain(st, s->trusted, e))) {
		error_clear(e);
		return 0;
	}
	exec_progress(st, i, i + 2);
	memset(r, 0, sizeof(r));
	st->be->ops->verify_pair(st->be, a, b, r, rc, err);
	exec_lanes_health(st, a, b, rc, r);
	for (k = 0; k < 2; k++) {
		res[k] = err[k];
		ok[k] = exec_verify_result(st, s + k, rc[k], &r[k], 0, &res[k]);
	}
	/* Both crossed: recorded together, as the steps of a wave. */
	if (ok[0] == 0 && ok[1] == 0) {
		*stopped = exec_record_done(st, i, i + 2, resume, journaled, e, out) < 0;
		return 1;
	}
	*stopped = 0;
	for (k = 0; k < 2 && !*stopped; k++) {
		*e = res[k];
		*stopped = exec_record(st, i + k, ok[k], resume, journaled, e, out) < 0;
	}
	return 1;
}
