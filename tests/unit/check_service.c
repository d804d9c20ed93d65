/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_service.c - the console's service seam against a real embedded store:
 * rows, properties without secrets, plans and refusals, running plans, a
 * forest trust's name suffix routing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/store/store.h"
#include "tests/unit/testutil.h"
#include "ui/console/service.h"
#include "model/domain.h"

static svc *sv;
static const char *store_dir;

static void setup(void)
{
	const char *dir;
	tm_backend *be = tu_store_open(&dir, 1);
	const tm_domain doms[] = {
		tu_domain("CORP", DOMAIN_AD, "corp.example", "CORP", "S-1-5-21-1-2-3", "", LEVEL_2016),
		tu_domain("SALES", DOMAIN_AD, "sales.corp.example", "SALES", "S-1-5-21-4-5-6",
			  "corp.example", LEVEL_2016),
		tu_domain("PARTNER", DOMAIN_AD, "partner.example", "PARTNER", "S-1-5-21-7-8-9", "",
			  LEVEL_2016),
	};
	tm_error e;
	size_t i;

	for (i = 0; i < sizeof(doms) / sizeof(doms[0]); i++)
		tu_store_add(be, &doms[i]);
	be->ops->close(be);
	store_dir = dir;
	sv = con_service_new(dir, NULL, &e);
	ck_assert_ptr_nonnull(sv);
}

static void teardown(void)
{
	con_service_free(&sv);
	tu_cleanup();
}

static int run(svc_op op, const char *a, const char *b, const wf_options *o, const char *pw,
	       tm_error *e)
{
	tm_plan *p = NULL;
	int rc;

	if (con_service_plan(sv, op, a, b, o, &p, e) < 0)
		return 100 + (int)e->cls;
	rc = con_service_run(sv, p, pw, NULL, NULL, e);
	plan_free(&p);
	return rc;
}

START_TEST(rows_and_props)
{
	tm_error e;
	svc_row *rows = NULL;
	size_t n = 0;
	svc_props pr;
	verify_result r[4];
	char path[1024];

	ck_assert_int_eq(run(SVC_CREATE, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	ck_assert_uint_eq(con_service_last_verify(sv, r, 4), 2);
	ck_assert_int_eq(r[0].outcome, VERIFY_OK);
	ck_assert_int_eq(con_service_rows(sv, "CORP", &rows, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].netbios, "PARTNER");
	ck_assert_str_eq(rows[0].domain, "PARTNER");
	ck_assert_uint_eq(rows[0].direction, TRUST_DIRECTION_BIDIRECTIONAL);
	ck_assert_int_eq(rows[0].health, HEALTH_VERIFIED);
	free(rows);
	ck_assert_int_eq(con_service_props_get(sv, "CORP", "partner.example", &pr, &e), 0);
	ck_assert_int_eq(pr.outgoing.set, 1);
	ck_assert_int_eq(pr.outgoing.previous_equals_current, 1);
	ck_assert_uint_eq(pr.outgoing.kvno, 1);
	ck_assert_uint_eq(pr.tdo.outgoing.count, 0);   /* no secret leaves the service */
	ck_assert_uint_eq(pr.tdo.incoming.count, 0);
	ck_assert_uint_eq(pr.nkeys, 2);
	con_service_props_free(&pr);
	/* a health file that cannot be read: an error, as show says, never
	 * Properties saying "not verified" */
	tu_pathf(path, "%s/domains/CORP/health", store_dir);
	tu_put_file(path, "# trustmgr health file, format 2: damaged\npartner.example\t1\t1\n", 0600);
	ck_assert_int_eq(con_service_props_get(sv, "CORP", "partner.example", &pr, &e), -1);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	con_service_props_free(&pr);
}
END_TEST

START_TEST(refusal_keeps_nothing)
{
	tm_error e;
	tm_plan *p = NULL;
	wf_options o;
	svc_row *rows = NULL;
	size_t n = 9;

	workflow_options_init(&o);
	o.forest_transitive = 1;
	ck_assert_int_eq(con_service_plan(sv, SVC_CREATE, "SALES", "PARTNER", &o, &p, &e), -1);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(e.status, ST_INVALID_DOMAIN_STATE);
	ck_assert_int_eq(con_service_rows(sv, "SALES", &rows, &n, &e), 0);
	ck_assert_uint_eq(n, 0);
	free(rows);
}
END_TEST

START_TEST(suffixes_plan)
{
	namespace_request r;
	wf_namespaces res;
	wf_options o;
	tm_plan *p = NULL;
	tm_error e;

	workflow_options_init(&o);
	o.forest_transitive = 1;
	ck_assert_int_eq(run(SVC_CREATE, "CORP", "PARTNER", &o, NULL, &e), TM_OK);
	memset(&r, 0, sizeof(r));
	/* reading: the default records, no plan, nothing left pointing into the world */
	ck_assert_int_eq(con_service_suffixes(sv, "CORP", "partner.example", &r, &res, &p, &e), 0);
	ck_assert_ptr_null(p);
	ck_assert_uint_eq(res.before.count, 2);
	ck_assert_uint_eq(res.nothers, 0);
	ck_assert_ptr_null(res.others);
	workflow_namespaces_free(&res);
	/* a change: its plan, run, then read back */
	r.disable_tln.v[0] = "partner.example";
	r.disable_tln.n = 1;
	ck_assert_int_eq(con_service_suffixes(sv, "CORP", "partner.example", &r, &res, &p, &e), 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(res.after.records[0].flags, FTI_TLN_DISABLED_ADMIN);
	workflow_namespaces_free(&res);
	ck_assert_int_eq(con_service_run(sv, p, NULL, NULL, NULL, &e), TM_OK);
	plan_free(&p);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(con_service_suffixes(sv, "CORP", "partner.example", &r, &res, NULL, &e), 0);
	ck_assert_uint_eq(res.before.records[0].flags, FTI_TLN_DISABLED_ADMIN);
	workflow_namespaces_free(&res);
	/* a name the trust does not hold: the command line's refusal, no plan */
	r.enable_tln.v[0] = "nosuch.example";
	r.enable_tln.n = 1;
	ck_assert_int_eq(con_service_suffixes(sv, "CORP", "partner.example", &r, &res, &p, &e), -1);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_NOT_FOUND);
}
END_TEST

START_TEST(nt_flow)
{
	tm_error e;
	journal_info info;

	ck_assert_int_eq(run(SVC_PERMIT, "PARTNER", "CORP", NULL, "Initial-1", &e), TM_OK);
	ck_assert_int_eq(run(SVC_TRUST, "CORP", "PARTNER", NULL, "wrong-password", &e), TM_EFAIL);
	ck_assert_str_eq(e.status, ST_WRONG_PASSWORD);
	ck_assert_int_eq(run(SVC_TRUST, "CORP", "PARTNER", NULL, "Initial-1", &e), 100 + TM_EFAIL);
	ck_assert_str_eq(e.status, ST_ACCOUNT_LOCKED_OUT);
	ck_assert_int_eq(run(SVC_TRUST, "CORP", "PARTNER", NULL, NULL, &e), 100 + TM_EFAIL);
	ck_assert_int_eq(con_service_pending(sv, &info, &e), 0);
}
END_TEST

START_TEST(missing_password)
{
	tm_error e;

	ck_assert_int_eq(run(SVC_PERMIT, "PARTNER", "CORP", NULL, NULL, &e), TM_EUSAGE);
	ck_assert_ptr_nonnull(strstr(e.what, "initial password"));
}
END_TEST

/* The stamp the console compares: still while only reading, moved by
 * every change (this process's plans and another handle's writes), read
 * while another process holds the store's exclusive lock. */
static uint64_t stamp_now(void)
{
	uint64_t v = 0;

	ck_assert_int_eq(con_service_stamp(sv, &v), 1);
	return v;
}

START_TEST(stamp_follows_changes)
{
	tm_error e;
	svc_row *rows = NULL;
	size_t n = 0;
	uint64_t a, b, c;
	tm_backend *other;
	tm_domain *doms = NULL;

	a = stamp_now();
	ck_assert_int_eq(con_service_rows(sv, "CORP", &rows, &n, &e), 0);
	free(rows);
	ck_assert_int_eq(con_service_domains(sv, &doms, &n, &e), 0);
	free(doms);
	ck_assert(stamp_now() == a);
	ck_assert_int_eq(run(SVC_CREATE, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	b = stamp_now();
	ck_assert(b != a);
	ck_assert(stamp_now() == b);
	ck_assert_int_eq(run(SVC_VERIFY, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	c = stamp_now();               /* the health file was written */
	ck_assert(c != b);
	other = store_open(store_dir, &e);
	ck_assert_ptr_nonnull(other);
	ck_assert_int_eq(other->ops->lock(other, 1, &e), 0);
	ck_assert_int_eq(con_service_rows(sv, "CORP", &rows, &n, &e), -1);  /* busy */
	ck_assert(stamp_now() == c);   /* ...but the stamp is read without the lock */
	ck_assert_int_eq(other->ops->domain_list(other, &doms, &n, &e), 0);
	ck_assert_ptr_nonnull(backend_find_domain(doms, n, "CORP"));
	ck_assert_int_eq(other->ops->tdo_delete(other, backend_find_domain(doms, n, "CORP"),
						"partner.example", &e), 0);
	ck_assert(stamp_now() != c);
	free(doms);
	other->ops->close(other);
}
END_TEST

/* Real domains have no cheap stamp: the console is told so (0), and reads
 * everything again at its moments instead. */
START_TEST(no_stamp_on_real_domains)
{
	const char *dir = tu_tmpdir();
	char conf[PATH_MAX], pw[PATH_MAX], text[2 * PATH_MAX + 256];
	uint64_t v = 7;
	tm_error e;
	svc *real;

	tu_pathf(pw, "%s/kadmin.pw", dir);
	tu_put_file(pw, "s3cret-value\n", 0600);
	snprintf(text, sizeof(text),
		 "[trustmgr]\n    state_dir = %s/state\n[domains]\n    R = {\n"
		 "        realm = R.TEST\n        kind = mit\n"
		 "        kadmin_principal = admin/admin@R.TEST\n"
		 "        kadmin_password_file = %s\n    }\n", dir, pw);
	tu_pathf(conf, "%s/trustmgr.conf", dir);
	tu_put_file(conf, text, 0644);
	real = con_service_new(NULL, conf, &e);
	ck_assert_ptr_nonnull(real);
	ck_assert_int_eq(con_service_stamp(real, &v), 0);
	ck_assert(v == 0);
	ck_assert_int_eq(con_service_stamp(real, &v), 0);
	con_service_free(&real);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("service");
	TCase *tc = tcase_create("service");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rows_and_props);
	tcase_add_test(tc, refusal_keeps_nothing);
	tcase_add_test(tc, suffixes_plan);
	tcase_add_test(tc, nt_flow);
	tcase_add_test(tc, missing_password);
	tcase_add_test(tc, stamp_follows_changes);
	tcase_add_test(tc, no_stamp_on_real_domains);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
