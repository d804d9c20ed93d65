/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_health_store.c - whole repairs through the embedded store: a trust
 * is broken with the workflows, diagnosed (backend/exec/diagnose.c), fixed
 * with the plan health_fix_plan makes, and diagnosed again. The hand-built
 * worlds of the classification and fix-plan tests are in check_health.c. */
#include <check.h>
#include <stdlib.h>

#include "backend/exec/diagnose.h"
#include "backend/exec/exec.h"
#include "backend/exec/world.h"
#include "backend/os/testhooks.h"
#include "model/health.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"

static tm_backend *be;

/* Add a domain; sp and lm: its NT 4 service pack and LM compatibility level. */
static void store_add(const char *name, tm_kind kind, const char *dns, const char *nb,
		      const char *sid, int sp, int lm)
{
	tm_domain d = tu_domain(name, kind, dns, nb, sid, "",
				kind == DOMAIN_NT4 ? LEVEL_2000 : LEVEL_2016);

	d.nt_service_pack = sp;
	d.lm_compat_level = lm;
	tu_store_add(be, &d);
}

static void store_setup(void)
{
	be = tu_store_open(NULL, 1);
	store_add("CORP", DOMAIN_AD, "corp.example", "CORP",
		  "S-1-5-21-1004336348-1177238915-682003330", -1, -1);
	store_add("PARTNER", DOMAIN_AD, "partner.example", "PARTNER",
		  "S-1-5-21-2127521184-1604012920-1887927527", -1, -1);
	store_add("LEGACY", DOMAIN_NT4, "", "LEGACY", "S-1-5-21-3623811015-3361044348-30300820",
		  6, 4);
}

static void store_teardown(void)
{
	be->ops->close(be);
	be = NULL;
	tu_cleanup();
}

typedef int (*wf_fn)(const wf_world *, const wf_options *, tm_plan **, tm_error *);

static int run_plan(tm_plan *p, const char *pw, tm_error *e)
{
	int rc;

	if (pw && p->slots[WF_SLOT_TYPED].source == SLOT_SUPPLIED)
		p->slots[WF_SLOT_TYPED].value = secret_dup(pw);
	rc = exec_run(be, p, 0, NULL, e);
	plan_free(&p);
	return rc;
}

static int run(wf_fn fn, const char *a, const char *b, const wf_options *o, const char *pw)
{
	world wl;
	tm_plan *p = NULL;
	wf_options def;
	tm_error e;
	int rc;

	workflow_options_init(&def);
	ck_assert_msg(world_load(be, a, b, 1, &wl, &e) == 0, "%s", e.what);
	rc = fn(&wl.w, o ? o : &def, &p, &e);
	world_free(&wl);
	ck_assert_msg(rc == 0, "%s", e.what);
	return run_plan(p, pw, &e);
}

static int do_permit(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_permit(w, p, e);
}

static int do_reset_one(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_reset_one_side(w, p, e);
}

/* Diagnose the trust between a and b in the store: the first problem's
 * kind (HK_OK when none), copied to *out when out is not NULL. */
static health_kind diagnose(const char *a, const char *b, health_finding *out)
{
	diag_snapshot s;
	health_finding *v = NULL;
	const health_finding *f;
	size_t n = 0;
	tm_error e;
	health_kind k;

	ck_assert_msg(diagnose_gather(be, a, b, testhooks_now(), 30, &s, &e) == 0, "%s", e.what);
	ck_assert_msg(health_classify(&s.in, &v, &n, &e) == 0, "%s", e.what);
	ck_assert_int_eq(s.backend_failed, 0);
	ck_assert_uint_gt(n, 0);
	f = health_first_problem(v, n);
	k = f ? f->kind : HK_OK;
	if (f && out)
		*out = *f;
	free(v);
	diagnose_free(&s);
	return k;
}

/* Does the diagnosis of the trust between a and b hold a finding of kind k? */
static int diagnose_has(const char *a, const char *b, health_kind k)
{
	diag_snapshot s;
	health_finding *v = NULL;
	size_t n = 0, i;
	tm_error e;
	int found = 0;

	ck_assert_msg(diagnose_gather(be, a, b, testhooks_now(), 30, &s, &e) == 0, "%s", e.what);
	ck_assert_msg(health_classify(&s.in, &v, &n, &e) == 0, "%s", e.what);
	for (i = 0; i < n; i++)
		found |= v[i].kind == k;
	free(v);
	diagnose_free(&s);
	return found;
}

/* Diagnose, fix (with pw for a typed password), diagnose again. */
static void repair(const char *a, const char *b, health_kind want, const char *pw)
{
	health_finding f;
	world wl;
	tm_plan *p = NULL;
	tm_error e;

	ck_assert_str_eq(health_kind_token(diagnose(a, b, &f)), health_kind_token(want));
	ck_assert_msg(world_load(be, f.domain, f.partner_domain, 0, &wl, &e) == 0, "%s", e.what);
	ck_assert_msg(health_fix_plan(&wl.w, &f, &p, &e) == 0, "%s", e.what);
	world_free(&wl);
	ck_assert_msg(run_plan(p, pw, &e) == TM_OK, "%s fix: %s", health_kind_token(want), e.what);
	ck_assert_str_eq(health_kind_token(diagnose(a, b, NULL)), "ok");
}

START_TEST(store_one_sided)
{
	wf_options o;

	run(workflow_create, "CORP", "PARTNER", NULL, NULL);
	ck_assert_int_eq(diagnose("CORP", "PARTNER", NULL), HK_OK);
	workflow_options_init(&o);
	run(workflow_remove, "PARTNER", "CORP", &o, NULL);
	repair("CORP", "PARTNER", HK_ONE_SIDED, NULL);
}
END_TEST

START_TEST(store_kvno_then_password)
{
	run(workflow_create, "CORP", "PARTNER", NULL, NULL);
	run(do_reset_one, "CORP", "PARTNER", NULL, "Recovery-T");
	repair("PARTNER", "CORP", HK_KVNO_MISMATCH, "Recovery-T");
	run(do_reset_one, "CORP", "PARTNER", NULL, "Password-A");
	run(do_reset_one, "PARTNER", "CORP", NULL, "Password-B");
	repair("CORP", "PARTNER", HK_PASSWORD_MISMATCH, NULL);
}
END_TEST

START_TEST(store_chance_used)
{
	world wl;
	tm_plan *p = NULL;
	tm_error e;

	run(do_permit, "PARTNER", "CORP", NULL, "Initial-1");
	ck_assert_int_eq(diagnose("CORP", "PARTNER", NULL), HK_PENDING);
	ck_assert_int_eq(world_load(be, "CORP", "PARTNER", 0, &wl, &e), 0);
	ck_assert_int_eq(workflow_trust(&wl.w, &p, &e), 0);
	world_free(&wl);
	ck_assert_int_eq(run_plan(p, "wrong", &e), TM_EFAIL);
	repair("CORP", "PARTNER", HK_CHANCE_USED, "Initial-2");
}
END_TEST

START_TEST(store_pending_and_nt4)
{
	wf_options o;

	run(do_permit, "PARTNER", "CORP", NULL, "Initial-1");
	ck_assert(!diagnose_has("PARTNER", "CORP", HK_NT4_LMCOMPAT));
	repair("PARTNER", "CORP", HK_PENDING, "Initial-1");
	workflow_options_init(&o);
	o.direction = TRUST_DIRECTION_OUTBOUND;
	run(workflow_create, "CORP", "LEGACY", &o, NULL);
	ck_assert(!diagnose_has("CORP", "LEGACY", HK_NT4_LMCOMPAT));
	run(do_reset_one, "LEGACY", "CORP", NULL, "Recovery-T");
	ck_assert(diagnose_has("CORP", "LEGACY", HK_NT4_LMCOMPAT));
	repair("CORP", "LEGACY", HK_KVNO_MISMATCH, "Recovery-T");
}
END_TEST

static Suite *health_store_suite(void)
{
	Suite *s = suite_create("health_store");
	TCase *ts = tcase_create("store");

	tcase_add_checked_fixture(ts, store_setup, store_teardown);
	tcase_set_timeout(ts, 60);
	tcase_add_test(ts, store_one_sided);
	tcase_add_test(ts, store_kvno_then_password);
	tcase_add_test(ts, store_chance_used);
	tcase_add_test(ts, store_pending_and_nt4);
	suite_add_tcase(s, ts);
	return s;
}

int main(void)
{
	return tu_run(health_store_suite());
}
