/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_ad_ftinfo.c - unit tests for backend/ad/ad_ftinfo.c: which of the
 * collision records a DC hands back (lsaRSetForestTrustInformation with
 * check_only) stop a change, and how they are named. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "backend/ad/ad.h"
#include "model/forestinfo.h"
#include "tests/unit/testutil.h"

/* TLN p.example (record 0) and the domain P (record 1), both enabled. */
static void two_records(fti_info *fi)
{
	tm_sid sid = tu_sid("S-1-5-21-1-2-3");

	ck_assert_int_eq(forestinfo_default(fi, "p.example", "P", &sid, 1000), 0);
	ck_assert_uint_eq(fi->count, 2);
	ck_assert_int_eq(fi->records[0].type, FTI_TOP_LEVEL_NAME);
	ck_assert_int_eq(fi->records[1].type, FTI_DOMAIN_INFO);
}

START_TEST(test_enabled_stopped)
{
	char what[512];
	fti_info fi;

	two_records(&fi);
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "index=0 type=0 flags=0x4 name=other.example; "
					       "index=1 type=1 flags=0x2 name=corp.example",
					       what, sizeof(what)), 2);
	ck_assert_ptr_nonnull(strstr(what, "TLN p.example collides with the trust with other.example"));
	ck_assert_ptr_nonnull(strstr(what, "collides with the local forest's domain corp.example"));
	/* a NetBIOS conflict stops the domain record too */
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "index=1 type=0 flags=0x8 name=x.example", what,
					       sizeof(what)), 1);
	forestinfo_free(&fi);
}
END_TEST

START_TEST(test_disabled_not_stopped)
{
	char what[512];
	fti_info fi;

	two_records(&fi);
	fi.records[0].flags = FTI_TLN_DISABLED_CONFLICT;  /* sent in conflict already */
	fi.records[1].flags = FTI_SID_DISABLED_ADMIN;
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "index=0 type=0 flags=0x4 name=other.example; "
					       "index=1 type=0 flags=0x2 name=other.example",
					       what, sizeof(what)), 0);
	ck_assert_str_eq(what, "");
	/* the SID disabled, the NetBIOS name not: a NetBIOS conflict still stops */
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "index=1 type=0 flags=0x8 name=o.example", what,
					       sizeof(what)), 1);
	forestinfo_free(&fi);
}
END_TEST

START_TEST(test_malformed_ignored)
{
	char what[512];
	fti_info fi;

	two_records(&fi);
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "", what, sizeof(what)), 0);
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, NULL, what, sizeof(what)), 0);
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "nonsense; index=7 type=0 flags=0x4 name=a.b",
					       what, sizeof(what)), 0);
	/* flags the DC would set that are not a conflict stop nothing */
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "index=0 type=2 flags=0x1 name=", what,
					       sizeof(what)), 0);
	/* type 2 (other), no name */
	ck_assert_uint_eq(ad_ftinfo_collisions(&fi, "index=0 type=2 flags=0x4 name=", what,
					       sizeof(what)), 1);
	ck_assert_ptr_nonnull(strstr(what, "another name of the forest"));
	forestinfo_free(&fi);
}
END_TEST

static Suite *ad_ftinfo_suite(void)
{
	Suite *s = suite_create("ad_ftinfo");
	TCase *tc = tcase_create("ad_ftinfo");

	tcase_add_test(tc, test_enabled_stopped);
	tcase_add_test(tc, test_disabled_not_stopped);
	tcase_add_test(tc, test_malformed_ignored);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(ad_ftinfo_suite());
}
