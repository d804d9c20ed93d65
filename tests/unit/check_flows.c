/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_flows.c - the workflows run end to end against the embedded store:
 * NT one-chance semantics, reset-one-side, the four verify failures, rule
 * refusals, and a plan killed at a step boundary then resumed or rolled back. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/exec/exec.h"
#include "backend/store/store.h"
#include "backend/exec/world.h"
#include "model/secret.h"
#include "model/workflow.h"
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

typedef int (*wf_fn)(const wf_world *, const wf_options *, tm_plan **, tm_error *);

static tm_backend *be;
static const char *dir;

static void setup(void)
{
	be = tu_store_open(&dir, 1);
	tu_store_add_four(be);
}

static void teardown(void)
{
	be->ops->close(be);
	be = NULL;
	tu_cleanup();
}

/* Plan with fn and run it; pw fills the typed slot. Returns the exit class,
 * or 100 + class when planning refused. */
static int run(wf_fn fn, const char *a, const char *b, const wf_options *o, const char *pw,
	       tm_error *e)
{
	world wl;
	tm_plan *p = NULL;
	wf_options def;
	int rc;

	if (!o) {
		workflow_options_init(&def);
		o = &def;
	}
	ck_assert_msg(world_load(be, a, b, 1, &wl, e) == 0, "%s", e->what);
	if (fn(&wl.w, o, &p, e) < 0) {
		world_free(&wl);
		return 100 + (int)e->cls;
	}
	if (pw)
		p->slots[WF_SLOT_TYPED].value = secret_dup(pw);
	rc = exec_run(be, p, 0, NULL, e);
	plan_free(&p);
	world_free(&wl);
	return rc;
}

static int permit(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_permit(w, p, e);
}
static int trust(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_trust(w, p, e);
}
static int verify(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_verify(w, p, e);
}
static int reset(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_reset(w, p, e);
}
static int reset_one(const wf_world *w, const wf_options *o, tm_plan **p, tm_error *e)
{
	(void)o;
	return workflow_reset_one_side(w, p, e);
}

/* Load domain a's TDO for partner name. */
static void load_tdo(const char *a, const char *partner, tm_tdo *out)
{
	world wl;
	tm_error e;
	size_t i;
	int found = 0;

	ck_assert_int_eq(world_load(be, a, NULL, 0, &wl, &e), 0);
	for (i = 0; i < wl.w.local.ntdos; i++)
		if (tdo_matches(&wl.w.local.tdos[i], partner)) {
			ck_assert_int_eq(tdo_copy(out, &wl.w.local.tdos[i]), 0);
			found = 1;
		}
	world_free(&wl);
	ck_assert_msg(found, "%s has no TDO for %s", a, partner);
}

static char *blob_pw(const authblob *b, int which)
{
	char *pw = NULL;
	tm_error e;

	ck_assert_int_eq(authblob_get_password(b, which, &pw, &e), 0);
	return pw;
}

static verify_outcome verify_dir(const char *trusting, const char *trusted)
{
	tm_domain *v = NULL;
	size_t n = 0;
	verify_result r;
	tm_error e;

	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), 0);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(be->ops->verify(be, backend_find_domain(v, n, trusting),
					 backend_find_domain(v, n, trusted), &r, &e), 0);
	free(v);
	return r.outcome;
}

/* ---- NT semantics ------------------------------------------------------- */

START_TEST(permit_then_trust)
{
	tm_error e;
	tm_tdo bt, at;
	char *cur, *prev, *acur;

	ck_assert_int_eq(run(permit, "PARTNER", "CORP", NULL, "Initial-1", &e), TM_OK);
	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "Initial-1", &e), TM_OK);
	ck_assert_msg(strstr(e.what, "successfully established") != NULL, "%s", e.what);
	tdo_init(&bt);
	tdo_init(&at);
	load_tdo("PARTNER", "corp.example", &bt);
	load_tdo("CORP", "partner.example", &at);
	ck_assert_uint_eq(bt.direction, TRUST_DIRECTION_INBOUND);
	ck_assert_uint_eq(at.direction, TRUST_DIRECTION_OUTBOUND);
	cur = blob_pw(&bt.incoming, 0);
	prev = blob_pw(&bt.incoming, 1);
	acur = blob_pw(&at.outgoing, 0);
	ck_assert_str_ne(cur, "Initial-1");      /* immediately replaced */
	ck_assert_str_eq(prev, "Initial-1");     /* kept as previous */
	ck_assert_str_eq(cur, acur);             /* both ends agree */
	ck_assert_uint_eq(strlen(cur), SECRET_GEN_LEN);
	ck_assert_uint_eq(authblob_kvno(&bt.incoming, 0), authblob_kvno(&at.outgoing, 0));
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_OK);
	secret_free(&cur);
	secret_free(&prev);
	secret_free(&acur);
	tdo_free(&bt);
	tdo_free(&at);
}
END_TEST

START_TEST(one_chance)
{
	tm_error e;
	wf_options o;

	ck_assert_int_eq(run(permit, "PARTNER", "CORP", NULL, "Initial-1", &e), TM_OK);
	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "wrong", &e), TM_EFAIL);
	ck_assert_str_eq(e.status, ST_WRONG_PASSWORD);
	ck_assert_ptr_nonnull(strstr(e.next, "permit"));
	/* The right password is now refused too, before anything is written. */
	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "Initial-1", &e), 100 + TM_EFAIL);
	ck_assert_str_eq(e.status, ST_ACCOUNT_LOCKED_OUT);
	/* Trusted side removes and permits again; then it works. */
	workflow_options_init(&o);
	o.remove_direction = TRUST_DIRECTION_INBOUND;
	ck_assert_int_eq(run(workflow_remove, "PARTNER", "CORP", &o, NULL, &e), TM_OK);
	ck_assert_int_eq(run(permit, "PARTNER", "CORP", NULL, "Initial-2", &e), TM_OK);
	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "Initial-2", &e), TM_OK);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_OK);
}
END_TEST

START_TEST(trust_before_permit)
{
	tm_error e;

	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "Early-1", &e), TM_EFAIL);
	ck_assert_ptr_nonnull(strstr(e.what, "could not be verified"));
	ck_assert_ptr_nonnull(strstr(e.next, "permit"));
	ck_assert_int_eq(run(permit, "PARTNER", "CORP", NULL, "Early-1", &e), TM_OK);
	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "Early-1", &e), TM_OK);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_OK);
}
END_TEST

START_TEST(already_trusted)
{
	tm_error e;

	ck_assert_int_eq(run(permit, "PARTNER", "CORP", NULL, "Initial-1", &e), TM_OK);
	ck_assert_int_eq(run(permit, "PARTNER", "CORP", NULL, "Initial-1", &e), 100 + TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "Initial-1", &e), TM_OK);
	ck_assert_int_eq(run(trust, "CORP", "PARTNER", NULL, "Initial-1", &e), 100 + TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
}
END_TEST

/* ---- create, reset, reset-one-side --------------------------------------- */

START_TEST(create_reset_verify)
{
	tm_error e;
	tm_tdo t;
	uint32_t k1;

	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	tdo_init(&t);
	load_tdo("CORP", "partner.example", &t);
	k1 = authblob_kvno(&t.outgoing, 0);
	tdo_free(&t);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_OK);
	ck_assert_int_eq(verify_dir("PARTNER", "CORP"), VERIFY_OK);
	ck_assert_int_eq(run(reset, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	load_tdo("CORP", "partner.example", &t);
	ck_assert_uint_eq(authblob_kvno(&t.outgoing, 0), k1 + 1);
	ck_assert_uint_eq(authblob_kvno(&t.outgoing, 1), k1);
	tdo_free(&t);
	ck_assert_int_eq(run(verify, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
}
END_TEST

START_TEST(reset_one_side_twice)
{
	tm_error e;
	tm_tdo t;
	char *cur, *prev;

	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	ck_assert_int_eq(run(reset_one, "CORP", "PARTNER", NULL, "Recovery-T", &e), TM_OK);
	tdo_init(&t);
	load_tdo("CORP", "partner.example", &t);
	cur = blob_pw(&t.outgoing, 0);
	prev = blob_pw(&t.outgoing, 1);
	ck_assert_str_eq(cur, "Recovery-T");
	ck_assert_str_eq(prev, "Recovery-T");
	secret_free(&cur);
	secret_free(&prev);
	cur = blob_pw(&t.incoming, 0);
	prev = blob_pw(&t.incoming, 1);
	ck_assert_str_eq(cur, "Recovery-T");
	ck_assert_str_eq(prev, "Recovery-T");
	secret_free(&cur);
	secret_free(&prev);
	tdo_free(&t);
	/* One side only: the kvnos differ, the trust does not verify. */
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_NO_MATCHING_KVNO);
	ck_assert_int_eq(run(verify, "CORP", "PARTNER", NULL, NULL, &e), TM_EFAIL);
	/* The same password on the other side: it verifies again. */
	ck_assert_int_eq(run(reset_one, "PARTNER", "CORP", NULL, "Recovery-T", &e), TM_OK);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_OK);
	ck_assert_int_eq(verify_dir("PARTNER", "CORP"), VERIFY_OK);
}
END_TEST

/* ---- the four verify failures --------------------------------------------- */

START_TEST(verify_missing_principal)
{
	tm_error e;
	tm_domain *v = NULL;
	size_t n = 0;

	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), 0);
	ck_assert_int_eq(be->ops->key_delete(be, backend_find_domain(v, n, "PARTNER"),
					     "krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE", &e), 0);
	free(v);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_MISSING_PRINCIPAL);
	ck_assert_int_eq(run(verify, "CORP", "PARTNER", NULL, NULL, &e), TM_EFAIL);
	ck_assert_ptr_nonnull(strstr(e.what, "not found in Kerberos database"));
}
END_TEST

START_TEST(verify_password_mismatch)
{
	tm_error e;

	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	ck_assert_int_eq(run(reset_one, "CORP", "PARTNER", NULL, "Password-A", &e), TM_OK);
	ck_assert_int_eq(run(reset_one, "PARTNER", "CORP", NULL, "Password-B", &e), TM_OK);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_DECRYPT_INTEGRITY);
	ck_assert_int_eq(run(verify, "CORP", "PARTNER", NULL, NULL, &e), TM_EFAIL);
	ck_assert_ptr_nonnull(strstr(e.what, "integrity"));
}
END_TEST

START_TEST(verify_no_common_enctype)
{
	tm_error e;
	wf_options o;

	workflow_options_init(&o);
	o.has_enctypes = 1;
	o.enctypes = ENCTYPE_BIT_RC4;
	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", &o, NULL, &e), TM_OK);
	workflow_options_init(&o);
	o.has_enctypes = 1;
	o.enctypes = ENCTYPE_BITS_AES;
	ck_assert_int_eq(run(workflow_tdo_modify, "CORP", "PARTNER", &o, NULL, &e), TM_OK);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_NO_COMMON_ENCTYPE);
}
END_TEST

START_TEST(verify_broken_at_one_end)
{
	tm_error e;
	wf_options o;

	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	workflow_options_init(&o);
	ck_assert_int_eq(run(workflow_remove, "PARTNER", "CORP", &o, NULL, &e), TM_OK);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_MISSING_TDO);
	ck_assert_int_eq(run(reset, "CORP", "PARTNER", NULL, NULL, &e), 100 + TM_EFAIL);
	ck_assert_str_eq(e.status, ST_DOMAIN_TRUST_INCONSISTENT);
}
END_TEST

/* ---- rules through the workflows ----------------------------------------- */

START_TEST(refusals)
{
	tm_error e;
	wf_options o;

	ck_assert_int_eq(run(workflow_create, "CORP", "CORP", NULL, NULL, &e), 100 + TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_CURRENT_DOMAIN_NOT_ALLOWED);
	workflow_options_init(&o);
	o.forest_transitive = 1;
	ck_assert_int_eq(run(workflow_create, "SALES", "PARTNER", &o, NULL, &e), 100 + TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_INVALID_DOMAIN_STATE);
	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", &o, NULL, &e), TM_OK);
	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e), 100 + TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
}
END_TEST

/* Encryption types that are DES only: no key can be made for them, so a
 * create asking for them and a reset of a TDO holding them (tdo modify may
 * write them: the rules allow them, as Active Directory does) are refused
 * while they are planned, never at a step after others changed the store. */
START_TEST(des_only_refused)
{
	tm_error e;
	wf_options o;
	tm_tdo t;
	char *before, *after;

	workflow_options_init(&o);
	o.has_enctypes = 1;
	o.enctypes = ENCTYPE_BIT_DES_CRC | ENCTYPE_BIT_DES_MD5;
	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", &o, NULL, &e), 100 + TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_KDC_UNKNOWN_ETYPE);
	ck_assert_ptr_nonnull(strstr(e.what, "no key can be made"));
	ck_assert_ptr_nonnull(strstr(e.next, "--enctypes aes"));
	ck_assert_int_eq(run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e), TM_OK);
	ck_assert_int_eq(run(workflow_tdo_modify, "CORP", "PARTNER", &o, NULL, &e), TM_OK);
	load_tdo("CORP", "partner.example", &t);
	before = blob_pw(&t.outgoing, 0);
	tdo_free(&t);
	ck_assert_int_eq(run(reset, "CORP", "PARTNER", NULL, NULL, &e), 100 + TM_EREFUSED);
	ck_assert_str_eq(e.status, ST_KDC_UNKNOWN_ETYPE);
	load_tdo("CORP", "partner.example", &t);
	after = blob_pw(&t.outgoing, 0);
	tdo_free(&t);
	ck_assert_str_eq(before, after);            /* nothing was written */
	secret_free(&before);
	secret_free(&after);
}
END_TEST

START_TEST(downlevel_trust)
{
	tm_error e;
	tm_tdo t;

	ck_assert_int_eq(run(permit, "LEGACY", "CORP", NULL, "Nt4-pass", &e), TM_OK);
	ck_assert_int_eq(run(trust, "CORP", "LEGACY", NULL, "Nt4-pass", &e), TM_OK);
	tdo_init(&t);
	load_tdo("CORP", "LEGACY", &t);
	ck_assert_uint_eq(t.type, TRUST_TYPE_DOWNLEVEL);
	ck_assert_str_eq(t.partner, "LEGACY");
	tdo_free(&t);
	ck_assert_int_eq(verify_dir("CORP", "LEGACY"), VERIFY_OK);
}
END_TEST

/* ---- a plan killed at each step boundary ----------------------------------- */

static char *snapshot(void)
{
	char cmd[1024], *buf = calloc(1, 1 << 20);
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof(cmd), "cd '%s/domains' && cat */domain.ldif */krb5.keytab 2>/dev/null | md5sum", dir);
	f = popen(cmd, "r");
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	pclose(f);
	return buf;
}

static void kill_after(size_t step)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		tm_error e;
		char v[16];

		snprintf(v, sizeof(v), "%zu", step);
		setenv("TM_TEST_KILL_AFTER_STEP", v, 1);
		run(workflow_create, "CORP", "PARTNER", NULL, NULL, &e);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child was not killed");
}

static tm_plan *pending(journal_info *info)
{
	tm_plan *p = NULL;
	tm_error e;

	ck_assert_int_eq(be->ops->journal_pending(be, &p, info, &e), 0);
	return p;
}

START_TEST(killed_then_rolled_back)
{
	size_t steps = 6, k;

	for (k = 1; k < steps; k++) {
		char *before = snapshot(), *after;
		journal_info info;
		tm_plan *p;
		tm_error e;

		kill_after(k);
		p = pending(&info);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(info.done, k);
		ck_assert_str_eq(info.op, "create");
		plan_free(&p);
		ck_assert_int_eq(be->ops->journal_rollback(be, &e), 0);
		ck_assert_ptr_null(pending(&info));
		after = snapshot();
		ck_assert_str_eq(before, after);
		free(before);
		free(after);
	}
}
END_TEST

START_TEST(killed_then_resumed)
{
	size_t k;

	for (k = 1; k < 6; k++) {
		journal_info info;
		tm_plan *p;
		tm_error e;
		wf_options o;

		kill_after(k);
		p = pending(&info);
		ck_assert_ptr_nonnull(p);
		ck_assert_msg(exec_resume(be, p, info.done, NULL, &e) == TM_OK, "step %zu: %s", k, e.what);
		plan_free(&p);
		ck_assert_ptr_null(pending(&info));
		ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_OK);
		ck_assert_int_eq(verify_dir("PARTNER", "CORP"), VERIFY_OK);
		workflow_options_init(&o);
		o.remove_sides_both = 1;
		ck_assert_int_eq(run(workflow_remove, "CORP", "PARTNER", &o, NULL, &e), TM_OK);
	}
}
END_TEST

static Suite *flows_suite(void)
{
	Suite *s = suite_create("flows");
	TCase *tc = tcase_create("flows");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, permit_then_trust);
	tcase_add_test(tc, one_chance);
	tcase_add_test(tc, trust_before_permit);
	tcase_add_test(tc, already_trusted);
	tcase_add_test(tc, create_reset_verify);
	tcase_add_test(tc, reset_one_side_twice);
	tcase_add_test(tc, verify_missing_principal);
	tcase_add_test(tc, verify_password_mismatch);
	tcase_add_test(tc, verify_no_common_enctype);
	tcase_add_test(tc, verify_broken_at_one_end);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, des_only_refused);
	tcase_add_test(tc, downlevel_trust);
	tcase_add_test(tc, killed_then_rolled_back);
	tcase_add_test(tc, killed_then_resumed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(flows_suite());
}
