/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_listing.c - what a listing reads: the compact rows (tm_tdo_rows),
 * the embedded store's tdo_list_public (same TDOs as tdo_list, without
 * their secrets, duplicates and damage still found) and world_load_list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/store/store.h"
#include "backend/store/store_internal.h"
#include "backend/exec/world.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

static tm_domain dom(const char *key, const char *dns, const char *nb, const char *sid)
{
	tm_domain d;
	tm_error e;

	domain_init(&d);
	snprintf(d.name, sizeof(d.name), "%s", key);
	snprintf(d.dns, sizeof(d.dns), "%s", dns);
	snprintf(d.netbios, sizeof(d.netbios), "%s", nb);
	name_upper(d.realm, dns, sizeof(d.realm));
	d.has_sid = 1;
	ck_assert_int_eq(sid_parse(sid, &d.sid, &e), 0);
	d.level = LEVEL_2016;
	return d;
}

static tm_tdo tdo_for(const char *dns, const char *nb, uint32_t dir, uint32_t type)
{
	tm_tdo t;

	tdo_init(&t);
	snprintf(t.partner, sizeof(t.partner), "%s", dns);
	snprintf(t.flat, sizeof(t.flat), "%s", nb);
	t.direction = dir;
	t.type = type;
	t.attributes = TRUST_ATTR_FOREST_TRANSITIVE;
	return t;
}

/* A store whose domain corp holds n TDOs t0.example ... with secrets. */
static tm_backend *store_with(size_t n, tm_domain *corp)
{
	tm_backend *be;
	tm_error e;
	size_t i;

	be = tu_store_open(NULL, 0);
	*corp = dom("corp", "corp.example", "CORP", "S-1-5-21-1-2-3");
	tu_store_add(be, corp);
	for (i = 0; i < n; i++) {
		char dns[64], nb[16];
		tm_tdo t;

		snprintf(dns, sizeof(dns), "t%zu.example", i);
		snprintf(nb, sizeof(nb), i % 2 ? "T%u" : "", (unsigned)(i % 100000u));
		t = tdo_for(dns, nb, 1u + (uint32_t)(i % 3), i % 2 ? TRUST_TYPE_UPLEVEL
								    : TRUST_TYPE_DOWNLEVEL);
		ck_assert_int_eq(authblob_set_password(&t.incoming, "Secret-In-1", 1, 1000,
						       AUTHBLOB_FRESH, &e), 0);
		ck_assert_int_eq(authblob_set_password(&t.outgoing, "Secret-Out-1", 1, 1000,
						       AUTHBLOB_FRESH, &e), 0);
		ck_assert_msg(be->ops->tdo_put(be, corp, &t, &e) == 0, "%s", e.what);
		tdo_free(&t);
	}
	return be;
}

START_TEST(rows_hold_names_and_fields)
{
	tm_tdo_rows r;
	tm_tdo t;
	size_t i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 1000; i++) {
		char dns[64];

		snprintf(dns, sizeof(dns), "partner-%zu.example", i);
		t = tdo_for(dns, i % 2 ? "NB" : "", TRUST_DIRECTION_INBOUND, TRUST_TYPE_MIT);
		ck_assert_int_eq(tdo_rows_add(&r, &t), 0);
	}
	tdo_rows_trim(&r);
	ck_assert_uint_eq(r.n, 1000);
	ck_assert_str_eq(tdo_rows_partner(&r, 0), "partner-0.example");
	ck_assert_str_eq(tdo_rows_flat(&r, 0), "");
	ck_assert_str_eq(tdo_rows_partner(&r, 999), "partner-999.example");
	ck_assert_str_eq(tdo_rows_flat(&r, 999), "NB");
	ck_assert_uint_eq(r.v[500].direction, TRUST_DIRECTION_INBOUND);
	ck_assert_uint_eq(r.v[500].type, TRUST_TYPE_MIT);
	ck_assert_uint_eq(r.v[500].attributes, TRUST_ATTR_FOREST_TRANSITIVE);
	tdo_rows_free(&r);
	ck_assert_ptr_null(r.v);
	ck_assert_uint_eq(r.n, 0);
	tdo_rows_free(&r);                  /* twice is fine */
}
END_TEST

START_TEST(store_public_list_matches_full_list)
{
	tm_domain corp;
	tm_backend *be = store_with(40, &corp);
	tm_tdo_rows r;
	tm_tdo *v = NULL;
	size_t n = 0, i;
	tm_error e;

	memset(&r, 0, sizeof(r));
	ck_assert_ptr_nonnull(be->ops->tdo_list_public);
	ck_assert_msg(be->ops->tdo_list_public(be, &corp, &r, &e) == 0, "%s", e.what);
	ck_assert_msg(be->ops->tdo_list(be, &corp, &v, &n, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(r.n, n);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(tdo_rows_partner(&r, i), v[i].partner);
		ck_assert_str_eq(tdo_rows_flat(&r, i), v[i].flat);
		ck_assert_uint_eq(r.v[i].direction, v[i].direction);
		ck_assert_uint_eq(r.v[i].type, v[i].type);
		ck_assert_uint_eq(r.v[i].attributes, v[i].attributes);
		ck_assert_uint_gt(v[i].incoming.count, 0);      /* the full list has them */
	}
	tdo_free_array(&v, n);
	tdo_rows_free(&r);
	be->ops->close(be);
}
END_TEST

/* Append text to corp's domain.ldif. */
static void append_ldif(tm_backend *be, const tm_domain *corp, const char *text)
{
	char path[PATH_MAX];
	tm_error e;
	FILE *fp;

	ck_assert_int_eq(store_domain_file(be->priv, corp->name, "domain.ldif", path,
					   sizeof(path), &e), 0);
	fp = fopen(path, "a");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(store_public_list_finds_duplicates_and_damage)
{
	tm_domain corp;
	tm_backend *be = store_with(3, &corp);
	tm_tdo_rows r;
	tm_error e;

	append_ldif(be, &corp, "\ndn: cn=t1.example,cn=System,dc=corp,dc=example\n"
		    "objectClass: trustedDomain\ncn: t1.example\ntrustPartner: t1.example\n"
		    "trustDirection: 3\ntrustType: 2\ntrustAttributes: 0\n");
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(be->ops->tdo_list_public(be, &corp, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "a second TDO"));
	tdo_rows_free(&r);
	be->ops->close(be);

	be = store_with(2, &corp);
	append_ldif(be, &corp, "\ndn: cn=x.example,cn=System,dc=corp,dc=example\n"
		    "objectClass: trustedDomain\ncn: x.example\ntrustPartner: x.example\n"
		    "trustDirection: nine\ntrustType: 2\ntrustAttributes: 0\n");
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(be->ops->tdo_list_public(be, &corp, &r, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	tdo_rows_free(&r);
	be->ops->close(be);
}
END_TEST

START_TEST(world_load_list_gives_rows_and_health)
{
	tm_domain corp;
	tm_backend *be = store_with(5, &corp);
	world wl;
	tm_error e;

	ck_assert_msg(be->ops->health_put(be, &corp, "t3.example", HEALTH_VERIFIED, &e) == 0,
		      "%s", e.what);
	ck_assert_msg(world_load_list(be, "corp", &wl, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(wl.rows.n, 5);
	ck_assert_uint_eq(wl.w.local.ntdos, 0);          /* no full TDOs are read */
	ck_assert_str_eq(tdo_rows_partner(&wl.rows, 3), "t3.example");
	ck_assert_int_eq(wl.list_health[3], HEALTH_VERIFIED);
	ck_assert(wl.list_when[3] > 0);
	ck_assert_int_eq(wl.list_health[2], HEALTH_UNKNOWN);
	world_free(&wl);
	ck_assert_int_eq(world_load_list(be, "nowhere", &wl, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	world_free(&wl);
	be->ops->close(be);
}
END_TEST

static Suite *listing_suite(void)
{
	Suite *s = suite_create("listing");
	TCase *tc = tcase_create("listing");

	tcase_add_checked_fixture(tc, NULL, tu_cleanup);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rows_hold_names_and_fields);
	tcase_add_test(tc, store_public_list_matches_full_list);
	tcase_add_test(tc, store_public_list_finds_duplicates_and_damage);
	tcase_add_test(tc, world_load_list_gives_rows_and_health);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(listing_suite());
}
