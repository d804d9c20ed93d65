/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_lanes.c - steps run side by side (backend/exec/exec_lanes.c): which
 * steps form a wave, that two domains' lanes really run at once, that a
 * failure stops the other lanes at their next step and is recorded with
 * what they did meanwhile, the journal's "running" line (info.reach) and
 * a rollback after it, and both directions of a verification at once.
 *
 * An embedded store is wrapped in an ops table that says its domains may
 * run side by side. The store itself is not made for threads, so every
 * call into it holds one lock; the rendezvous that proves two lanes run at
 * once happens before that lock is taken. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/exec/exec.h"
#include "backend/exec/exec_lanes.h"
#include "backend/exec/world.h"
#include "model/cksum.h"
#include "model/plan.h"
#include "model/workflow.h"
#include "tests/unit/testutil.h"

static tm_backend *inner;
static tm_backend outer;
static tm_backend_ops ops;
static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;

/* The rendezvous and the injected failure, under mu. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int rendezvous;           /* key_set waits until both domains are in one */
static int inside[2];            /* A, B: a key_set of that domain is running */
static int met;                  /* both were inside at once */
static const char *fail_domain;  /* its first key_set fails ... */
static int fail_after_other;     /* ... once the other domain did this many steps */
static int steps_done[2];
static int pair_calls, single_verifies;

static int dom_index(const tm_domain *d)
{
	return strcmp(d->name, "A") == 0 ? 0 : 1;
}

/* Wait on cv for at most 20 s (a failure bound, not a measurement). */
static int wait_cv(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += 20;
	return pthread_cond_timedwait(&cv, &mu, &t);
}

static void note_step(const tm_domain *d)
{
	pthread_mutex_lock(&mu);
	steps_done[dom_index(d)]++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static int w_concurrent(tm_backend *be, const tm_domain *d)
{
	(void)be;
	(void)d;
	return 1;
}

/* The rendezvous: both domains inside a key_set at once, or give up. */
static void meet(const tm_domain *d)
{
	int me = dom_index(d);

	pthread_mutex_lock(&mu);
	inside[me] = 1;
	pthread_cond_broadcast(&cv);
	while (!inside[1 - me] && !met)
		if (wait_cv() != 0)
			break;
	if (inside[1 - me])
		met = 1;
	pthread_mutex_unlock(&mu);
}

/* The injected failure: after the other domain did fail_after_other steps. */
static int fail_now(const tm_domain *d, tm_error *e)
{
	int other = 1 - dom_index(d);

	if (!fail_domain || strcmp(d->name, fail_domain) != 0)
		return 0;
	fail_domain = NULL;
	pthread_mutex_lock(&mu);
	while (steps_done[other] < fail_after_other)
		if (wait_cv() != 0)
			break;
	pthread_mutex_unlock(&mu);
	error_fail(e, TM_EBACKEND, NULL, "test: %s refused the key", d->name);
	return 1;
}

static int w_key_set(tm_backend *be, const tm_domain *d, const char *p, const char *pw,
		     uint32_t kvno, uint32_t enc, int keep, tm_error *e)
{
	int rc;

	(void)be;
	if (rendezvous)
		meet(d);
	if (fail_now(d, e))
		return -1;
	pthread_mutex_lock(&store_lock);
	rc = inner->ops->key_set(inner, d, p, pw, kvno, enc, keep, e);
	pthread_mutex_unlock(&store_lock);
	note_step(d);
	return rc;
}

static int w_tdo_put(tm_backend *be, const tm_domain *d, const tm_tdo *t, tm_error *e)
{
	int rc;

	(void)be;
	pthread_mutex_lock(&store_lock);
	rc = inner->ops->tdo_put(inner, d, t, e);
	pthread_mutex_unlock(&store_lock);
	note_step(d);
	return rc;
}

static int w_tdo_list(tm_backend *be, const tm_domain *d, tm_tdo **o, size_t *n, tm_error *e)
{
	int rc;

	(void)be;
	pthread_mutex_lock(&store_lock);
	rc = inner->ops->tdo_list(inner, d, o, n, e);
	pthread_mutex_unlock(&store_lock);
	return rc;
}

static int w_account_put(tm_backend *be, const tm_domain *d, const tm_account *a, tm_error *e)
{
	int rc;

	(void)be;
	pthread_mutex_lock(&store_lock);
	rc = inner->ops->account_put(inner, d, a, e);
	pthread_mutex_unlock(&store_lock);
	note_step(d);
	return rc;
}

static int w_verify(tm_backend *be, const tm_domain *a, const tm_domain *b, verify_result *r,
		    tm_error *e)
{
	(void)be;
	single_verifies++;
	return inner->ops->verify(inner, a, b, r, e);
}

static void w_verify_pair(tm_backend *be, const tm_domain *a, const tm_domain *b,
			  verify_result r[2], int rc[2], tm_error err[2])
{
	(void)be;
	pair_calls++;
	rc[0] = inner->ops->verify(inner, a, b, &r[0], &err[0]);
	rc[1] = inner->ops->verify(inner, b, a, &r[1], &err[1]);
}

static const char *store_dir;

static void setup(void)
{
	tm_domain a = tu_domain("A", DOMAIN_AD, "a.example", "A", "S-1-5-21-1-2-3", "", LEVEL_2016);
	tm_domain b = tu_domain("B", DOMAIN_AD, "b.example", "B", "S-1-5-21-4-5-6", "", LEVEL_2016);

	inner = tu_store_open(&store_dir, 1);
	tu_store_add(inner, &a);
	tu_store_add(inner, &b);
	ops = *inner->ops;
	ops.concurrent = w_concurrent;
	ops.key_set = w_key_set;
	ops.tdo_put = w_tdo_put;
	ops.tdo_list = w_tdo_list;
	ops.tdo_list_focus = NULL;
	ops.account_put = w_account_put;
	ops.verify = w_verify;
	ops.verify_pair = w_verify_pair;
	memset(&outer, 0, sizeof(outer));
	outer.ops = &ops;
	outer.priv = inner->priv;
	rendezvous = met = 0;
	inside[0] = inside[1] = 0;
	steps_done[0] = steps_done[1] = 0;
	fail_domain = NULL;
	fail_after_other = 0;
	pair_calls = single_verifies = 0;
}

static void teardown(void)
{
	unsetenv("TM_TEST_KILL_AFTER_STEP");
	unsetenv("TM_TEST_KEEP_WAVES");
	inner->ops->close(inner);
	inner = NULL;
	tu_cleanup();
}

/* The plan of `create A B` (both sides) against the wrapped store. */
static tm_plan *create_plan(void)
{
	wf_options o;
	world wl;
	tm_plan *p = NULL;
	tm_error e;

	workflow_options_init(&o);
	ck_assert_msg(world_load(&outer, "A", "B", 0, &wl, &e) == 0, "%s", e.what);
	ck_assert_msg(workflow_create(&wl.w, &o, &p, &e) == 0, "%s", e.what);
	world_free(&wl);
	exec_fit_all(&outer, p, &e);
	return p;
}

/* The change steps of p before its first VERIFY. */
static size_t changes_of(const tm_plan *p)
{
	size_t i;

	for (i = 0; i < p->nsteps && p->steps[i].kind != STEP_VERIFY; i++)
		;
	return i;
}

START_TEST(wave_spans_the_change_steps_of_both_domains)
{
	tm_plan *p = create_plan();
	size_t n = changes_of(p);

	ck_assert_uint_ge(n, 4);
	ck_assert_uint_eq(exec_lanes_wave(&outer, p, 0, NULL, 0), 1);   /* domains unknown */
	{
		tm_domain *v = NULL;
		size_t nv = 0;
		tm_error e;

		ck_assert_int_eq(outer.ops->domain_list(&outer, &v, &nv, &e), 0);
		ck_assert_uint_eq(exec_lanes_wave(&outer, p, 0, v, nv), n);
		/* A hook after step 2 ends the wave there... */
		setenv("TM_TEST_KILL_AFTER_STEP", "2", 1);
		ck_assert_uint_eq(exec_lanes_wave(&outer, p, 0, v, nv), 1);   /* one domain */
		setenv("TM_TEST_KILL_AFTER_STEP", "4", 1);
		ck_assert_uint_eq(exec_lanes_wave(&outer, p, 0, v, nv), 4);
		/* ... unless the test asks to keep waves whole. */
		setenv("TM_TEST_KEEP_WAVES", "1", 1);
		ck_assert_uint_eq(exec_lanes_wave(&outer, p, 0, v, nv), n);
		/* The embedded store itself never runs side by side. */
		ck_assert_uint_eq(exec_lanes_wave(inner, p, 0, v, nv), 1);
		free(v);
	}
	plan_free(&p);
}
END_TEST

START_TEST(lanes_run_at_once_and_verify_runs_both_ways)
{
	tm_plan *p = create_plan();
	tm_error e;

	rendezvous = 1;
	ck_assert_msg(exec_run(&outer, p, 0, NULL, &e) == TM_OK, "%s", e.what);
	ck_assert_msg(met, "the lanes of A and B never ran a key step at the same time");
	ck_assert_int_eq(pair_calls, 1);
	ck_assert_int_eq(single_verifies, 0);
	plan_free(&p);
}
END_TEST

/* A's first key step fails once B's lane did all its steps: the plan stops
 * at A's step, the message names B's steps done meanwhile, the journal says
 * how far the wave reached, and a rollback puts both domains back. */
START_TEST(failure_records_what_the_other_lane_did)
{
	char path[PATH_MAX];
	tm_plan *p = create_plan(), *q = NULL;
	size_t n = changes_of(p), i, first_a_key = 0, nb = 0;
	char *before_a, *before_b, *after;
	size_t la, lb, lx;
	journal_info info;
	tm_error e;

	for (i = 0; i < n; i++) {
		nb += strcmp(p->steps[i].domain, "B") == 0;
		if (!first_a_key && p->steps[i].kind == STEP_KEY_SET &&
		    strcmp(p->steps[i].domain, "A") == 0)
			first_a_key = i;
	}
	ck_assert_uint_gt(first_a_key, 0);
	tu_pathf(path, "%s/domains/A/domain.ldif", store_dir);
	before_a = tu_slurp(path, &la);
	tu_pathf(path, "%s/domains/B/domain.ldif", store_dir);
	before_b = tu_slurp(path, &lb);
	fail_domain = "A";
	fail_after_other = (int)nb;
	ck_assert_int_ne(exec_run(&outer, p, 0, NULL, &e), TM_OK);
	TU_ASSERT_HAS(e.what, "test: A refused the key");
	TU_ASSERT_HAS(e.what, "run at the same time in another domain");
	ck_assert_int_eq(steps_done[1], (int)nb);
	ck_assert_msg(outer.ops->journal_pending(&outer, &q, &info, &e) == 0, "%s", e.what);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(info.done, first_a_key);
	ck_assert_uint_eq(info.reach, n);
	plan_free(&q);
	ck_assert_msg(outer.ops->journal_rollback(&outer, &e) == 0, "%s", e.what);
	tu_pathf(path, "%s/domains/A/domain.ldif", store_dir);
	after = tu_slurp(path, &lx);
	ck_assert_uint_eq(lx, la);
	ck_assert_mem_eq(after, before_a, la);
	free(after);
	tu_pathf(path, "%s/domains/B/domain.ldif", store_dir);
	after = tu_slurp(path, &lx);
	ck_assert_uint_eq(lx, lb);
	ck_assert_mem_eq(after, before_b, lb);
	free(after);
	free(before_a);
	free(before_b);
	plan_free(&p);
}
END_TEST

/* The "running" line: what it tells, and damage in it. */
START_TEST(running_line_reaches_and_is_checked)
{
	char path[PATH_MAX];
	tm_plan *p = create_plan(), *q = NULL;
	journal_info info;
	tm_error e;

	ck_assert_int_eq(inner->ops->journal_begin(inner, p, &e), 0);
	ck_assert_int_eq(inner->ops->journal_step(inner, 0, &e), 0);
	ck_assert_int_eq(inner->ops->journal_running(inner, 1, 4, &e), 0);
	ck_assert_int_eq(inner->ops->journal_step(inner, 2, &e), 0);
	ck_assert_msg(inner->ops->journal_pending(inner, &q, &info, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(info.done, 1);
	ck_assert_uint_eq(info.reach, 4);
	plan_free(&q);
	/* A line that names steps backwards is damage, not a reach. */
	tu_pathf(path, "%s/journal/current", store_dir);
	{
		const char *text = "running 5 2";
		FILE *f = fopen(path, "a");

		ck_assert_ptr_nonnull(f);
		fprintf(f, "%s %08x\n", text, (unsigned)cksum_crc32c(0, text, strlen(text)));
		fclose(f);
	}
	error_clear(&e);
	ck_assert_int_eq(inner->ops->journal_pending(inner, &q, &info, &e), -1);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	plan_free(&p);
}
END_TEST

static Suite *lanes_suite(void)
{
	Suite *s = suite_create("lanes");
	TCase *tc = tcase_create("lanes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, wave_spans_the_change_steps_of_both_domains);
	tcase_add_test(tc, lanes_run_at_once_and_verify_runs_both_ways);
	tcase_add_test(tc, failure_records_what_the_other_lane_did);
	tcase_add_test(tc, running_line_reaches_and_is_checked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(lanes_suite());
}
