/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_plan_show.c - unit tests for model/plan_show.c: the order plan
 * steps are listed in and what a TDO write shows (issue 17, item 2). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/forestinfo.h"
#include "model/plan.h"
#include "model/tdo.h"
#include "tests/unit/testutil.h"

static void add(tm_plan *p, step_kind k, const char *domain)
{
	ck_assert_ptr_nonnull(plan_add(p, k, domain, "%s step", domain));
}

/* Steps alternating between two domains are listed per domain and
 * numbered 1, 2, 3 ... in that order; the checks come last. */
START_TEST(test_order_groups_by_domain)
{
	tm_plan *p = plan_new("reset", "CORP", "PARTNER");
	size_t order[PLAN_MAX_STEPS], n;

	ck_assert_ptr_nonnull(p);
	add(p, STEP_KEY_SET, "CORP");
	add(p, STEP_KEY_SET, "PARTNER");
	add(p, STEP_VERIFY, "CORP");       /* a check between them stays a check */
	add(p, STEP_TDO_PUT, "PARTNER");
	add(p, STEP_TDO_PUT, "CORP");
	add(p, STEP_HEALTH, "CORP");
	n = plan_show_order(p, order);
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(order[0], 0);
	ck_assert_uint_eq(order[1], 4);
	ck_assert_uint_eq(order[2], 5);
	ck_assert_uint_eq(order[3], 1);
	ck_assert_uint_eq(order[4], 3);
	ck_assert_uint_eq(order[5], 2);
	/* progress names a step by the number it was shown with */
	ck_assert_uint_eq(plan_show_number(p, 0), 1);
	ck_assert_uint_eq(plan_show_number(p, 4), 2);
	ck_assert_uint_eq(plan_show_number(p, 1), 4);
	ck_assert_uint_eq(plan_show_number(p, 2), 6);
	plan_free(&p);
}
END_TEST

START_TEST(test_order_empty)
{
	tm_plan *p = plan_new("verify", "CORP", "PARTNER");
	size_t order[PLAN_MAX_STEPS];

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(plan_show_order(p, order), 0);
	plan_free(&p);
}
END_TEST

static void external(tm_tdo *t)
{
	tdo_init(t);
	tu_set_str(t->partner, sizeof(t->partner), "partner.example");
	tu_set_str(t->flat, sizeof(t->flat), "PARTNER");
	t->direction = TRUST_DIRECTION_OUTBOUND;
	t->type = TRUST_TYPE_UPLEVEL;
	t->attributes = TRUST_ATTR_NON_TRANSITIVE | TRUST_ATTR_QUARANTINED_DOMAIN;
	t->has_enctypes = 1;
	t->enctypes = ENCTYPE_BITS_AES;
}

/* A new TDO: every setting, one a line. */
START_TEST(test_tdo_new_external)
{
	tm_tdo t;
	char buf[PLAN_TEXT_MAX];

	external(&t);
	plan_show_tdo(NULL, &t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "type: external\n"
			 "direction: outbound\n"
			 "transitivity: non-transitive\n"
			 "SID filtering: on (only SIDs of the trusted domain)\n"
			 "authentication: domain-wide\n"
			 "encryption types: aes128,aes256\n"
			 "trustAttributes: non-transitive,quarantined-domain");
	tdo_free(&t);
}
END_TEST

/* A forest trust lists its forest trust records. */
START_TEST(test_tdo_new_forest)
{
	tm_tdo t;
	fti_info fi;
	tm_sid sid = tu_sid("S-1-5-21-1-2-3");
	char buf[PLAN_TEXT_MAX];

	external(&t);
	t.direction = TRUST_DIRECTION_BIDIRECTIONAL;
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_CROSS_ORGANIZATION;
	ck_assert_int_eq(forestinfo_default(&fi, "partner.example", "PARTNER", &sid, 0), 0);
	ck_assert_int_eq(forestinfo_encode(&fi, &t.ftinfo, &t.ftinfo_len), 0);
	forestinfo_free(&fi);
	plan_show_tdo(NULL, &t, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "type: forest\n"));
	ck_assert_ptr_nonnull(strstr(buf, "direction: two-way\n"));
	ck_assert_ptr_nonnull(strstr(buf, "transitivity: transitive (to every domain of the partner forest)\n"));
	ck_assert_ptr_nonnull(strstr(buf, "SID filtering: on (only SIDs of the trusted forest)\n"));
	ck_assert_ptr_nonnull(strstr(buf, "authentication: selective\n"));
	ck_assert_ptr_nonnull(strstr(buf, "forest trust records: name suffix partner.example, enabled; "
				     "domain partner.example (PARTNER, S-1-5-21-1-2-3), enabled"));
	tdo_free(&t);
}
END_TEST

/* A change: only what changes, as old -> new; nothing when nothing does. */
START_TEST(test_tdo_change)
{
	tm_tdo old, t;
	char buf[PLAN_TEXT_MAX];

	external(&old);
	external(&t);
	plan_show_tdo(&old, &t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	t.direction = TRUST_DIRECTION_BIDIRECTIONAL;
	t.attributes &= ~TRUST_ATTR_NON_TRANSITIVE;
	t.enctypes = ENCTYPE_BIT_AES256;
	plan_show_tdo(&old, &t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "direction: outbound -> two-way\n"
			 "transitivity: non-transitive -> transitive\n"
			 "encryption types: aes128,aes256 -> aes256\n"
			 "trustAttributes: non-transitive,quarantined-domain -> quarantined-domain");
	tdo_free(&old);
	tdo_free(&t);
}
END_TEST

/* A small buffer is cut, never overrun, and stays a string. */
START_TEST(test_tdo_small_buffer)
{
	tm_tdo t;
	char buf[12];

	external(&t);
	memset(buf, 'x', sizeof(buf));
	plan_show_tdo(NULL, &t, buf, sizeof(buf));
	ck_assert_uint_lt(strlen(buf), sizeof(buf));
	tdo_free(&t);
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(plan_show_type(TRUST_TYPE_UPLEVEL, TRUST_ATTR_FOREST_TRANSITIVE), "forest");
	ck_assert_str_eq(plan_show_type(TRUST_TYPE_UPLEVEL, TRUST_ATTR_WITHIN_FOREST), "within the forest");
	ck_assert_str_eq(plan_show_type(TRUST_TYPE_UPLEVEL, 0), "external");
	ck_assert_str_eq(plan_show_type(TRUST_TYPE_MIT, 0), "realm (MIT Kerberos)");
	ck_assert_str_eq(plan_show_type(TRUST_TYPE_DOWNLEVEL, 0), "downlevel (NT 4)");
}
END_TEST

static Suite *plan_show_suite(void)
{
	Suite *s = suite_create("plan_show");
	TCase *tc = tcase_create("order");

	tcase_add_test(tc, test_order_groups_by_domain);
	tcase_add_test(tc, test_order_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("tdo");
	tcase_add_test(tc, test_tdo_new_external);
	tcase_add_test(tc, test_tdo_new_forest);
	tcase_add_test(tc, test_tdo_change);
	tcase_add_test(tc, test_tdo_small_buffer);
	tcase_add_test(tc, test_type_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(plan_show_suite());
}
