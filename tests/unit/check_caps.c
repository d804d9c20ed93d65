/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_caps.c - what a domain can do (model/caps.h) drives the snapshot
 * reader, health, the plans and the executor's gate. An embedded store is
 * wrapped in an ops table that takes capabilities away from one domain and
 * counts what is asked of it, so each test can check both what trustmgr
 * reports and that it never asked a domain for what it may not do. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/exec/diagnose.h"
#include "backend/exec/exec.h"
#include "backend/exec/world.h"
#include "model/caps.h"
#include "model/health.h"
#include "model/plan.h"
#include "model/workflow.h"
#include "tests/unit/testutil.h"

/* The wrapped store, the domain that lacks something, and the counts. */
static tm_backend *inner;
static tm_backend outer;
static tm_backend_ops ops;
static const char *limited;      /* store name of the limited domain, "*" every one */
static uint32_t taken;           /* the caps it lacks */
static int key_lists, account_lists, key_sets, key_deletes, verifies;

static int is_limited(const tm_domain *d)
{
	return limited && (strcmp(limited, "*") == 0 || strcmp(d->name, limited) == 0);
}

static void w_caps(tm_backend *be, const tm_domain *d, tm_caps *out)
{
	uint32_t bit;

	(void)be;
	inner->ops->caps(inner, d, out);
	if (!is_limited(d))
		return;
	for (bit = 1; bit <= CAP_VERIFY; bit <<= 1)
		if (taken & bit)
			caps_deny(out, (caps_bit)bit, "test: %s may not %s", d->name,
				  caps_what((caps_bit)bit));
}

static int w_key_list(tm_backend *be, const tm_domain *d, tm_keyinfo **o, size_t *n,
		      tm_error *e)
{
	(void)be;
	key_lists += is_limited(d);
	return inner->ops->key_list(inner, d, o, n, e);
}

static int w_account_list(tm_backend *be, const tm_domain *d, tm_account **o, size_t *n,
			  tm_error *e)
{
	(void)be;
	account_lists += is_limited(d);
	return inner->ops->account_list(inner, d, o, n, e);
}

static int w_key_set(tm_backend *be, const tm_domain *d, const char *p, const char *pw,
		     uint32_t kvno, uint32_t enc, int keep, tm_error *e)
{
	(void)be;
	key_sets += is_limited(d);
	return inner->ops->key_set(inner, d, p, pw, kvno, enc, keep, e);
}

static int w_key_delete(tm_backend *be, const tm_domain *d, const char *p, tm_error *e)
{
	(void)be;
	key_deletes += is_limited(d);
	return inner->ops->key_delete(inner, d, p, e);
}

static int w_verify(tm_backend *be, const tm_domain *a, const tm_domain *b,
		    verify_result *r, tm_error *e)
{
	(void)be;
	verifies++;
	return inner->ops->verify(inner, a, b, r, e);
}

static void setup(void)
{
	tm_domain a = tu_domain("A", DOMAIN_AD, "a.example", "A", "S-1-5-21-1-2-3", "", LEVEL_2016);
	tm_domain b = tu_domain("B", DOMAIN_AD, "b.example", "B", "S-1-5-21-4-5-6", "", LEVEL_2016);

	inner = tu_store_open(NULL, 1);
	tu_store_add(inner, &a);
	tu_store_add(inner, &b);
	ops = *inner->ops;
	ops.caps = w_caps;
	ops.key_list = w_key_list;
	ops.account_list = w_account_list;
	ops.key_set = w_key_set;
	ops.key_delete = w_key_delete;
	ops.verify = w_verify;
	ops.tdo_list_public = NULL;
	ops.health_rows = NULL;
	memset(&outer, 0, sizeof(outer));
	outer.ops = &ops;
	outer.priv = inner->priv;
	limited = NULL;
	taken = 0;
	key_lists = account_lists = key_sets = key_deletes = verifies = 0;
}

static void teardown(void)
{
	inner->ops->close(inner);
	inner = NULL;
	tu_cleanup();
}

/* Plan fn between a and b (full options) and run it through the wrapper;
 * returns the exit class, or 100 + class when planning refused. */
typedef int (*plan_fn)(const wf_world *, const wf_options *, tm_plan **, tm_error *);

static int plan_and_run(plan_fn fn, const char *a, const char *b, const wf_options *o,
			tm_plan **kept, tm_error *e)
{
	world wl;
	tm_plan *p = NULL;
	int rc;

	ck_assert_msg(world_load(&outer, a, b, 1, &wl, e) == 0, "%s", e->what);
	if (fn(&wl.w, o, &p, e) < 0) {
		world_free(&wl);
		return 100 + (int)e->cls;
	}
	rc = exec_run(&outer, p, 0, NULL, e);
	if (kept)
		*kept = p;
	else
		plan_free(&p);
	world_free(&wl);
	return rc;
}

static int create(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	return workflow_create(w, o, p, e);
}
static int reset(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_reset(w, p, e);
}
static int verify(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_verify(w, p, e);
}
static int remove_trust(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	return workflow_remove(w, o, p, e);
}

/* A two-way trust A-B made with every capability. */
static void two_way(void)
{
	wf_options o;
	tm_error e;

	workflow_options_init(&o);
	ck_assert_msg(plan_and_run(create, "A", "B", &o, NULL, &e) == TM_OK, "%s", e.what);
	key_lists = account_lists = key_sets = key_deletes = verifies = 0;
}

/* Classify every trust through diagnose_gather; the findings in *v. */
static void diagnose(const char *only, diag_snapshot *s, health_finding **v, size_t *n)
{
	tm_error e;

	ck_assert_msg(diagnose_gather(&outer, only, NULL, 1700000000, 30, s, &e) == 0, "%s",
		      e.what);
	ck_assert_msg(health_classify(&s->in, v, n, &e) == 0, "%s", e.what);
}

static size_t count_kind(const health_finding *v, size_t n, health_kind k)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += v[i].kind == k;
	return c;
}

START_TEST(caps_basics)
{
	tm_caps c;

	caps_all(&c);
	ck_assert(caps_manage(&c));
	caps_deny(&c, CAP_KEY_READ, "no kadmin for %s", "X");
	ck_assert(!caps_manage(&c));
	ck_assert(!caps_has(&c, CAP_KEY_READ | CAP_TDO_READ));
	ck_assert(caps_has(&c, CAP_TDO_READ));
	ck_assert_str_eq(caps_why(&c, CAP_TDO_READ | CAP_KEY_READ), "no kadmin for X");
	ck_assert_str_eq(caps_why(&c, CAP_TDO_READ), "");
	caps_grant(&c, CAP_KEY_READ);
	ck_assert(caps_manage(&c));
	ck_assert_str_eq(caps_token(CAP_ACCOUNT_WRITE), "account-write");
	caps_none(&c, "names only");
	ck_assert(!caps_has(&c, CAP_TDO_READ));
	ck_assert_str_eq(caps_why(&c, CAP_VERIFY), "names only");
}
END_TEST

/* A domain whose KDC cannot be read is read without asking its KDC. */
START_TEST(reader_asks_only_what_is_allowed)
{
	world wl;
	tm_error e;

	two_way();
	limited = "B";
	taken = CAP_KEY_READ | CAP_KEY_SET | CAP_ACCOUNT_LIST | CAP_ACCOUNT_WRITE;
	ck_assert_msg(world_load(&outer, "B", "A", 0, &wl, &e) == 0, "%s", e.what);
	ck_assert_int_eq(key_lists, 0);
	ck_assert_int_eq(account_lists, 0);
	ck_assert_uint_eq(wl.w.local.ntdos, 1);           /* its TDOs are read */
	ck_assert_uint_eq(wl.w.local.nkeys, 0);
	ck_assert(!wl.w.local.writable);
	ck_assert(wl.w.partner.writable);
	ck_assert_uint_gt(wl.w.partner.nkeys, 0);
	TU_ASSERT_HAS(caps_why(&wl.w.local.caps, CAP_KEY_READ), "test: B may not");
	world_free(&wl);
	/* As a partner of a plan it is known by its names and its caps. */
	ck_assert_msg(world_load(&outer, "A", "B", 0, &wl, &e) == 0, "%s", e.what);
	ck_assert_int_eq(key_lists, 0);
	ck_assert_uint_eq(wl.w.partner.ntdos, 0);
	ck_assert(!wl.w.partner.writable);
	ck_assert(!caps_has(&wl.w.partner.caps, CAP_KEY_READ));
	ck_assert(caps_has(&wl.w.partner.caps, CAP_TDO_READ));
	world_free(&wl);
}
END_TEST

/* health: a direction that cannot be verified is "not-checked", never ok,
 * and the trust's other direction is still checked. */
START_TEST(health_names_what_could_not_run)
{
	diag_snapshot s;
	health_finding *v = NULL;
	size_t n = 0, i;

	two_way();
	limited = "B";
	taken = CAP_VERIFY | CAP_KEY_READ | CAP_KEY_SET | CAP_ACCOUNT_LIST | CAP_ACCOUNT_WRITE;
	diagnose("A", &s, &v, &n);
	ck_assert_int_eq(key_lists, 0);
	ck_assert_uint_eq(count_kind(v, n, HK_NOT_CHECKED), 1);
	ck_assert_uint_eq(count_kind(v, n, HK_OK), 1);
	for (i = 0; i < n; i++) {
		if (v[i].kind != HK_NOT_CHECKED)
			continue;
		/* A trusts B is checked from a client of B: that one. */
		ck_assert_uint_eq(v[i].direction, TRUST_DIRECTION_OUTBOUND);
		TU_ASSERT_HAS(v[i].cause, "Could not check that tickets cross");
		TU_ASSERT_HAS(v[i].evidence, "test: B may not get tickets");
		ck_assert_str_eq(health_kind_token(v[i].kind), "not-checked");
	}
	ck_assert(!health_all_ok(v, n));
	ck_assert_int_eq(verifies, 1);                     /* B trusts A only */
	free(v);
	diagnose_free(&s);
}
END_TEST

/* health: a partner whose TDOs cannot be read is named, not skipped. */
START_TEST(health_partner_unreadable)
{
	diag_snapshot s;
	health_finding *v = NULL;
	size_t n = 0;

	two_way();
	limited = "B";
	taken = CAPS_ALL & ~(uint32_t)CAP_VERIFY;
	diagnose("A", &s, &v, &n);
	ck_assert_uint_eq(count_kind(v, n, HK_NOT_CHECKED), 1);
	ck_assert_uint_eq(count_kind(v, n, HK_OK), 2);     /* both directions verify */
	free(v);
	diagnose_free(&s);
}
END_TEST

/* The secret's age cannot be checked when no end's secrets can be read. */
START_TEST(health_secret_age_not_checked)
{
	diag_snapshot s;
	health_finding *v = NULL;
	size_t n = 0, i;

	two_way();
	limited = "B";
	taken = CAP_SECRET_READ;
	diagnose("B", &s, &v, &n);
	/* A's end tells when the secret was set. */
	ck_assert_uint_eq(count_kind(v, n, HK_NOT_CHECKED), 0);
	ck_assert_uint_eq(count_kind(v, n, HK_OK), 2);
	free(v);
	diagnose_free(&s);
	limited = "*";
	diagnose("B", &s, &v, &n);
	ck_assert_uint_eq(count_kind(v, n, HK_NOT_CHECKED), 2);
	for (i = 0; i < n; i++)
		if (v[i].kind == HK_NOT_CHECKED)
			TU_ASSERT_HAS(v[i].cause, "the age of the trust secret");
	free(v);
	diagnose_free(&s);
}
END_TEST

/* verify: the direction without a client is said to be unchecked, with
 * the reason, and nothing else fails. */
START_TEST(verify_without_client)
{
	tm_error e;
	int rc;

	two_way();
	limited = "B";
	taken = CAP_VERIFY;
	rc = plan_and_run(verify, "A", "B", NULL, NULL, &e);
	ck_assert_int_eq(rc, TM_EBACKEND);
	TU_ASSERT_HAS(e.what, "\"A trusts B\" was not checked");
	TU_ASSERT_HAS(e.what, "test: B may not get tickets");
	ck_assert_int_eq(verifies, 1);
}
END_TEST

/* reset B A needs B's KDC: refused before anything is written. */
START_TEST(gate_refuses_before_writing)
{
	tm_error e;
	int rc;

	two_way();
	limited = "B";
	taken = CAP_KEY_SET;
	rc = plan_and_run(reset, "B", "A", NULL, NULL, &e);
	ck_assert_int_eq(rc, TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_ACCESS_DENIED);
	TU_ASSERT_HAS(e.what, "Nothing was changed");
	TU_ASSERT_HAS(e.what, "test: B may not set or delete keys");
	ck_assert_int_eq(key_sets, 0);
}
END_TEST

/* remove B A --sides both: B's key and account deletions are left out and
 * named; its TDO goes, and A's side goes in full. */
START_TEST(remove_leaves_what_it_cannot)
{
	wf_options o;
	tm_plan *p = NULL;
	tm_error e;
	world wl;
	size_t i;

	two_way();
	limited = "B";
	taken = CAP_KEY_SET | CAP_ACCOUNT_WRITE;
	workflow_options_init(&o);
	o.remove_sides_both = 1;
	ck_assert_msg(plan_and_run(remove_trust, "B", "A", &o, &p, &e) == TM_OK, "%s", e.what);
	for (i = 0; i < p->nsteps; i++)
		ck_assert(!(strcmp(p->steps[i].domain, "B") == 0 &&
			    (p->steps[i].kind == STEP_KEY_DELETE ||
			     p->steps[i].kind == STEP_ACCOUNT_DELETE)));
	TU_ASSERT_HAS(p->success, "B still holds krbtgt/A.EXAMPLE@B.EXAMPLE");
	TU_ASSERT_HAS(p->success, "kadmin delprinc");
	plan_free(&p);
	ck_assert_int_eq(key_deletes, 0);
	limited = NULL;
	ck_assert_msg(world_load(&outer, "B", NULL, 0, &wl, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(wl.w.local.ntdos, 0);           /* the TDO went */
	ck_assert_uint_gt(wl.w.local.nkeys, 0);           /* the keys stayed */
	world_free(&wl);
	ck_assert_msg(world_load(&outer, "A", NULL, 0, &wl, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(wl.w.local.ntdos, 0);
	ck_assert_uint_eq(wl.w.local.nkeys, 0);           /* A's side in full */
	world_free(&wl);
}
END_TEST

/* A DC's key and trust-account steps fold into its TDO writes; another
 * domain's stay; a leftover account (no TDO deletion before it) stays. */
static plan_step *fold_add(tm_plan *p, step_kind k, const char *dom, const char *text)
{
	plan_step *st = plan_add(p, k, dom, "%s", text);

	ck_assert_ptr_nonnull(st);
	return st;
}

START_TEST(fold_into_tdo)
{
	tm_plan *p = plan_new("recreate", "DC", "B");
	plan_step *st;

	ck_assert_ptr_nonnull(p);
	fold_add(p, STEP_TDO_DELETE, "DC", "dc: delete the TDO");
	fold_add(p, STEP_KEY_DELETE, "DC", "dc: delete a key");
	fold_add(p, STEP_ACCOUNT_DELETE, "DC", "dc: delete the account with its TDO");
	st = fold_add(p, STEP_TDO_PUT, "DC", "dc: create the TDO");
	st->in.action = BLOB_FRESH;
	fold_add(p, STEP_KEY_SET, "DC", "dc: set a key");
	fold_add(p, STEP_ACCOUNT_PUT, "DC", "dc: arm the account");
	fold_add(p, STEP_KEY_SET, "B", "b: set a key");
	fold_add(p, STEP_ACCOUNT_DELETE, "DC", "dc: delete a leftover account");
	st = fold_add(p, STEP_TDO_PUT, "DC", "dc: change attributes only");
	fold_add(p, STEP_VERIFY, "DC", "verify");
	ck_assert_uint_eq(plan_fold_into_tdo(p, "DC"), 4);
	ck_assert_uint_eq(p->nsteps, 6);
	ck_assert_int_eq(p->steps[0].kind, STEP_TDO_DELETE);
	ck_assert_ptr_nonnull(strstr(p->steps[0].text, "removes the cross-realm keys and the trust account"));
	ck_assert_int_eq(p->steps[1].kind, STEP_TDO_PUT);
	ck_assert_ptr_nonnull(strstr(p->steps[1].text, "derives the cross-realm keys"));
	ck_assert_str_eq(p->steps[2].domain, "B");
	ck_assert_int_eq(p->steps[3].kind, STEP_ACCOUNT_DELETE);      /* the leftover */
	ck_assert_str_eq(p->steps[4].text, "dc: change attributes only");   /* no secret: no note */
	ck_assert_int_eq(p->steps[5].kind, STEP_VERIFY);
	ck_assert_uint_eq(plan_fold_into_tdo(p, "DC"), 0);              /* twice: the same */
	ck_assert_uint_eq(p->nsteps, 6);
	ck_assert_int_eq(plan_touches(p, "B"), 1);
	ck_assert_int_eq(plan_touches(p, "C"), 0);
	plan_free(&p);
}
END_TEST

/* A DC never grants secret or key reads; it is still managed. */
START_TEST(manage_keys_from_tdo)
{
	tm_caps c;

	caps_all(&c);
	caps_deny(&c, CAP_SECRET_READ, "the DC hands out no secrets");
	caps_deny(&c, CAP_KEY_READ, "keys are derived");
	ck_assert_int_eq(caps_manage(&c), 0);
	c.keys_from_tdo = 1;
	ck_assert_int_eq(caps_manage(&c), 1);
	caps_deny(&c, CAP_TDO_WRITE, "read-only");
	ck_assert_int_eq(caps_manage(&c), 0);
}
END_TEST

static Suite *caps_suite(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = tcase_create("caps");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, caps_basics);
	tcase_add_test(tc, reader_asks_only_what_is_allowed);
	tcase_add_test(tc, health_names_what_could_not_run);
	tcase_add_test(tc, health_partner_unreadable);
	tcase_add_test(tc, health_secret_age_not_checked);
	tcase_add_test(tc, verify_without_client);
	tcase_add_test(tc, gate_refuses_before_writing);
	tcase_add_test(tc, remove_leaves_what_it_cannot);
	tcase_add_test(tc, fold_into_tdo);
	tcase_add_test(tc, manage_keys_from_tdo);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(caps_suite());
}
