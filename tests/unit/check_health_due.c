/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_health_due.c - health_due_list (model/health_due.c): the trusts
 * `rotate --due` rotates, from hand-made findings: one per pair of domains
 * whichever end and direction names it, the oldest secret, partners trustmgr
 * does not know (due by their end's secret, or not), trusts with another
 * problem counted and left out, ok trusts ignored. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/health.h"
#include "tests/unit/testutil.h"

#define NOW 1700000000LL
#define DAY 86400LL

static health_input IN;
static health_finding V[16];
static size_t NV;

static void due_setup(void)
{
	memset(&IN, 0, sizeof(IN));
	memset(V, 0, sizeof(V));
	NV = 0;
	IN.now = NOW;
	IN.rotation_days = 30;
}

/* A finding about domain and partner (partner_domain "" when unknown). */
static health_finding *add(const char *domain, const char *partner, const char *partner_domain,
			   uint32_t dir, health_kind k, long long set_at)
{
	health_finding *f = &V[NV++];

	tu_set_str(f->domain, sizeof(f->domain), domain);
	tu_set_str(f->partner, sizeof(f->partner), partner);
	tu_set_str(f->partner_domain, sizeof(f->partner_domain), partner_domain);
	f->direction = dir;
	f->kind = k;
	f->fix = k == HK_SECRET_OLD ? FIX_ROTATE : k == HK_OK ? FIX_NONE : FIX_MANUAL;
	f->secret_set = set_at;
	return f;
}

static health_due *list(size_t *n, size_t *other)
{
	health_due *d = NULL;
	tm_error e;

	ck_assert_int_eq(health_due_list(&IN, V, NV, &d, n, other, &e), 0);
	return d;
}

START_TEST(two_way_once)
{
	health_due *d;
	size_t n, other;

	add("CORP", "partner.example", "PARTNER", TRUST_DIRECTION_OUTBOUND, HK_SECRET_OLD, NOW - 40 * DAY);
	add("CORP", "partner.example", "PARTNER", TRUST_DIRECTION_INBOUND, HK_SECRET_OLD, NOW - 45 * DAY);
	add("PARTNER", "corp.example", "CORP", TRUST_DIRECTION_OUTBOUND, HK_SECRET_OLD, NOW - 41 * DAY);
	add("WEST", "partner.example", "PARTNER", TRUST_DIRECTION_OUTBOUND, HK_OK, 0);
	d = list(&n, &other);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(other, 0);
	ck_assert_str_eq(d[0].domain, "CORP");
	ck_assert_str_eq(d[0].partner, "PARTNER");
	ck_assert_int_eq(d[0].managed, 1);
	ck_assert_int_eq(d[0].set_at, NOW - 45 * DAY);      /* the oldest */
	ck_assert_ptr_eq(d[0].f, &V[0]);                     /* the first secret-old finding */
	free(d);
}
END_TEST

START_TEST(other_problem_left_out)
{
	health_due *d;
	size_t n, other;

	add("CORP", "partner.example", "PARTNER", TRUST_DIRECTION_OUTBOUND, HK_SECRET_OLD, NOW - 40 * DAY);
	add("CORP", "partner.example", "PARTNER", TRUST_DIRECTION_INBOUND, HK_KVNO_MISMATCH, 0);
	add("NORTH", "south.example", "SOUTH", TRUST_DIRECTION_BIDIRECTIONAL, HK_ONE_SIDED, 0);
	add("EAST", "west.example", "WEST", TRUST_DIRECTION_OUTBOUND, HK_SECRET_OLD, NOW - 31 * DAY);
	d = list(&n, &other);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(other, 2);
	ck_assert_str_eq(d[0].domain, "EAST");
	free(d);
}
END_TEST

START_TEST(unknown_partner)
{
	health_due *d;
	size_t n, other;

	/* an unknown partner's finding is HK_UNREACHABLE with the end's age */
	add("CORP", "ext.example", "", TRUST_DIRECTION_OUTBOUND, HK_UNREACHABLE, NOW - 30 * DAY);
	add("CORP", "new.example", "", TRUST_DIRECTION_OUTBOUND, HK_UNREACHABLE, NOW - 29 * DAY);
	add("CORP", "dark.example", "", TRUST_DIRECTION_INBOUND, HK_UNREACHABLE, 0);  /* age unknown */
	add("CORP", "", "", TRUST_DIRECTION_DISABLED, HK_UNREACHABLE, 0);  /* CORP unreadable */
	d = list(&n, &other);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(d[0].partner, "ext.example");
	ck_assert_int_eq(d[0].managed, 0);
	ck_assert_ptr_null(d[0].f);
	ck_assert_uint_eq(other, 1);                         /* the unreadable domain */
	free(d);
	IN.rotation_days = 0;
	d = list(&n, &other);
	ck_assert_uint_eq(n, 2);
	free(d);
}
END_TEST

START_TEST(nothing_due)
{
	health_due *d;
	size_t n = 9, other = 9;

	d = list(&n, &other);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(other, 0);
	add("CORP", "partner.example", "PARTNER", TRUST_DIRECTION_OUTBOUND, HK_OK, 0);
	d = list(&n, &other);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(n, 0);
}
END_TEST

static Suite *due_suite(void)
{
	Suite *s = suite_create("health_due");
	TCase *tc = tcase_create("list");

	tcase_add_checked_fixture(tc, due_setup, NULL);
	tcase_add_test(tc, two_way_once);
	tcase_add_test(tc, other_problem_left_out);
	tcase_add_test(tc, unknown_partner);
	tcase_add_test(tc, nothing_due);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(due_suite());
}
