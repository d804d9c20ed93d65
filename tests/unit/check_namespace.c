/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_namespace.c - unit tests for model/namespace.c and
 * model/namespace_collide.c: refresh, the administrative changes, the
 * collision rules (docs/RULES.md, rules 12 to 15). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/namespace.h"
#include "tests/unit/testutil.h"

#define T1 INT64_C(1000)
#define T2 INT64_C(2000)

static tm_sid S_PARTNER, S_CHILD, S_LOCAL, S_OTHER;

static void sids(void)
{
	S_PARTNER = tu_sid("S-1-5-21-1-2-3");
	S_CHILD = tu_sid("S-1-5-21-4-5-6");
	S_LOCAL = tu_sid("S-1-5-21-7-8-9");
	S_OTHER = tu_sid("S-1-5-21-10-11-12");
}

/* The partner forest: partner.example (PARTNER), its child, and a UPN suffix. */
static namespace_domain P_DOMS[2];
static const char *const P_SUFFIXES[] = { "upn.example", "sub.partner.example" };

static namespace_forest partner_forest(void)
{
	namespace_forest f;

	P_DOMS[0] = (namespace_domain){ "partner.example", "PARTNER", &S_PARTNER };
	P_DOMS[1] = (namespace_domain){ "child.partner.example", "CHILD", &S_CHILD };
	f.domains = P_DOMS;
	f.ndomains = 2;
	f.suffixes = P_SUFFIXES;
	f.nsuffixes = 2;
	return f;
}

static namespace_domain L_DOMS[1];
static const char *const L_SUFFIXES[] = { "corp-upn.example" };

static namespace_ctx local_ctx(const namespace_other *others, size_t n)
{
	namespace_ctx c;

	L_DOMS[0] = (namespace_domain){ "corp.example", "CORP", &S_LOCAL };
	memset(&c, 0, sizeof(c));
	c.local_label = "CORP";
	c.local.domains = L_DOMS;
	c.local.ndomains = 1;
	c.local.suffixes = L_SUFFIXES;
	c.local.nsuffixes = 1;
	c.others = others;
	c.nothers = n;
	return c;
}

/* The default records of rule 6 for partner.example. */
static void default_info(fti_info *fi)
{
	ck_assert_int_eq(forestinfo_default(fi, "partner.example", "PARTNER", &S_PARTNER, T1), 0);
}

static const fti_record *rec(const fti_info *fi, uint8_t type, const char *name)
{
	size_t i;

	for (i = 0; i < fi->count; i++)
		if (fi->records[i].type == type && strcmp(fi->records[i].name, name) == 0)
			return &fi->records[i];
	return NULL;
}

START_TEST(test_dns_under)
{
	ck_assert_int_eq(namespace_dns_under("a.b.example", "b.example"), 1);
	ck_assert_int_eq(namespace_dns_under("B.Example.", "b.example"), 1);
	ck_assert_int_eq(namespace_dns_under("ab.example", "b.example"), 0);
	ck_assert_int_eq(namespace_dns_under("b.example", "a.b.example"), 0);
	ck_assert_int_eq(namespace_dns_under("x", ""), 0);
}
END_TEST

START_TEST(test_tlns)
{
	namespace_forest f;
	char *t[8];
	int n;

	sids();
	f = partner_forest();
	n = namespace_tlns(&f, t, 8);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(t[0], "partner.example");
	ck_assert_str_eq(t[1], "upn.example");
	while (n > 0)
		free(t[--n]);
}
END_TEST

/* Refresh: the child domain arrives enabled, the UPN suffix disabled as new,
 * the existing records keep their flags and times. */
START_TEST(test_refresh)
{
	namespace_forest f;
	fti_info fi;
	const fti_record *r;
	tm_error e;

	sids();
	f = partner_forest();
	default_info(&fi);
	fi.records[1].flags = FTI_NB_DISABLED_ADMIN;
	error_clear(&e);
	ck_assert_int_eq(namespace_refresh(&fi, &f, T2, &e), 2);
	ck_assert_uint_eq(fi.count, 4);
	r = rec(&fi, FTI_TOP_LEVEL_NAME, "upn.example");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->flags, FTI_TLN_DISABLED_NEW);
	ck_assert_int_eq(r->timestamp, T2);
	r = rec(&fi, FTI_DOMAIN_INFO, "child.partner.example");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->flags, 0);
	ck_assert_str_eq(r->netbios, "CHILD");
	r = rec(&fi, FTI_DOMAIN_INFO, "partner.example");
	ck_assert_uint_eq(r->flags, FTI_NB_DISABLED_ADMIN);
	ck_assert_int_eq(r->timestamp, T1);
	/* Again: nothing new. */
	ck_assert_int_eq(namespace_refresh(&fi, &f, T2, &e), 0);
	/* The child leaves the forest, the suffix too: both dropped. */
	f.ndomains = 1;
	f.nsuffixes = 0;
	ck_assert_int_eq(namespace_refresh(&fi, &f, T2, &e), 2);
	ck_assert_uint_eq(fi.count, 2);
	forestinfo_free(&fi);
}
END_TEST

/* Opaque records survive a refresh and every change. */
START_TEST(test_opaque_kept)
{
	namespace_forest f;
	namespace_request r;
	fti_info fi;
	fti_record *v;
	tm_error e;

	sids();
	f = partner_forest();
	default_info(&fi);
	v = realloc(fi.records, 3 * sizeof(*v));
	ck_assert_ptr_nonnull(v);
	fi.records = v;
	memset(&v[2], 0, sizeof(v[2]));
	v[2].type = FTI_BINARY_INFO;
	v[2].flags = 0x10;
	v[2].timestamp = 7;
	v[2].data = malloc(3);
	memcpy(v[2].data, "abc", 3);
	v[2].data_len = 3;
	fi.count = 3;
	memset(&r, 0, sizeof(r));
	r.enable_all = 1;
	error_clear(&e);
	ck_assert_int_ge(namespace_refresh(&fi, &f, T2, &e), 0);
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), 0);
	ck_assert_uint_eq(fi.records[2].type, FTI_BINARY_INFO);
	ck_assert_uint_eq(fi.records[2].flags, 0x10);
	ck_assert_int_eq(fi.records[2].timestamp, 7);
	ck_assert_mem_eq(fi.records[2].data, "abc", 3);
	forestinfo_free(&fi);
}
END_TEST

START_TEST(test_toggles)
{
	namespace_forest f;
	namespace_request r;
	fti_info fi;
	tm_error e;

	sids();
	f = partner_forest();
	default_info(&fi);
	error_clear(&e);
	ck_assert_int_ge(namespace_refresh(&fi, &f, T1, &e), 0);
	memset(&r, 0, sizeof(r));
	r.enable_tln.v[r.enable_tln.n++] = "UPN.example";
	r.disable_tln.v[r.disable_tln.n++] = "partner.example";
	r.disable_nb.v[r.disable_nb.n++] = "child";
	r.disable_sid.v[r.disable_sid.n++] = "S-1-5-21-1-2-3";
	ck_assert_msg(namespace_apply(&fi, &r, T2, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(rec(&fi, FTI_TOP_LEVEL_NAME, "upn.example")->flags, 0);
	ck_assert_int_eq(rec(&fi, FTI_TOP_LEVEL_NAME, "upn.example")->timestamp, T2);
	ck_assert_uint_eq(rec(&fi, FTI_TOP_LEVEL_NAME, "partner.example")->flags,
			  FTI_TLN_DISABLED_ADMIN);
	ck_assert_uint_eq(rec(&fi, FTI_DOMAIN_INFO, "child.partner.example")->flags,
			  FTI_NB_DISABLED_ADMIN);
	ck_assert_uint_eq(rec(&fi, FTI_DOMAIN_INFO, "partner.example")->flags,
			  FTI_SID_DISABLED_ADMIN);
	memset(&r, 0, sizeof(r));
	r.enable_nb.v[r.enable_nb.n++] = "CHILD";
	r.enable_sid.v[r.enable_sid.n++] = "S-1-5-21-1-2-3";
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), 0);
	ck_assert_uint_eq(rec(&fi, FTI_DOMAIN_INFO, "child.partner.example")->flags, 0);
	ck_assert_uint_eq(rec(&fi, FTI_DOMAIN_INFO, "partner.example")->flags, 0);
	memset(&r, 0, sizeof(r));
	r.enable_all = 1;
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), 0);
	ck_assert_uint_eq(rec(&fi, FTI_TOP_LEVEL_NAME, "partner.example")->flags, 0);
	forestinfo_free(&fi);
}
END_TEST

START_TEST(test_refusals)
{
	namespace_request r;
	fti_info fi;
	tm_error e;

	sids();
	default_info(&fi);
	memset(&r, 0, sizeof(r));
	r.enable_tln.v[r.enable_tln.n++] = "nowhere.example";
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_NOT_FOUND);
	TU_ASSERT_HAS(e.what, "nowhere.example");
	memset(&r, 0, sizeof(r));
	r.enable_sid.v[r.enable_sid.n++] = "S-1-5-21-99-99-99";
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_NOT_FOUND);
	memset(&r, 0, sizeof(r));
	r.add_tln_ex.v[r.add_tln_ex.n++] = "other.example";
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), -1);
	ck_assert_str_eq(e.status, ST_INVALID_PARAMETER);
	memset(&r, 0, sizeof(r));
	r.add_tln_ex.v[r.add_tln_ex.n++] = "partner.example";
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), -1);
	memset(&r, 0, sizeof(r));
	r.delete_tln_ex.v[r.delete_tln_ex.n++] = "sales.partner.example";
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_NOT_FOUND);
	forestinfo_free(&fi);
}
END_TEST

START_TEST(test_exclusions)
{
	namespace_request r;
	fti_info fi;
	tm_error e;

	sids();
	default_info(&fi);
	memset(&r, 0, sizeof(r));
	r.add_tln_ex.v[r.add_tln_ex.n++] = "sales.partner.example";
	error_clear(&e);
	ck_assert_msg(namespace_apply(&fi, &r, T2, &e) == 0, "%s", e.what);
	ck_assert_ptr_nonnull(rec(&fi, FTI_TOP_LEVEL_NAME_EX, "sales.partner.example"));
	ck_assert_int_eq(rec(&fi, FTI_TOP_LEVEL_NAME_EX, "sales.partner.example")->timestamp, T2);
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
	memset(&r, 0, sizeof(r));
	r.delete_tln_ex.v[r.delete_tln_ex.n++] = "SALES.partner.example";
	ck_assert_int_eq(namespace_apply(&fi, &r, T2, &e), 0);
	ck_assert_uint_eq(fi.count, 2);
	forestinfo_free(&fi);
}
END_TEST

/* Rule 13: a TLN equal to, above or below the local forest's names. */
START_TEST(test_collide_local)
{
	namespace_ctx ctx;
	namespace_conflict c[3];
	fti_info fi;
	fti_record extra[3];

	sids();
	ctx = local_ctx(NULL, 0);
	memset(extra, 0, sizeof(extra));
	extra[0].type = FTI_TOP_LEVEL_NAME;
	extra[0].name = (char *)(uintptr_t)"example";            /* covers corp.example */
	extra[1].type = FTI_TOP_LEVEL_NAME;
	extra[1].name = (char *)(uintptr_t)"corp-upn.example";   /* the local UPN suffix */
	extra[2].type = FTI_DOMAIN_INFO;
	extra[2].name = (char *)(uintptr_t)"x.example";
	extra[2].netbios = (char *)(uintptr_t)"corp";           /* the local NetBIOS name */
	extra[2].sid = S_OTHER;
	fi.records = extra;
	fi.count = 3;
	namespace_collide(&fi, &ctx, c, T2);
	ck_assert_uint_eq(extra[0].flags, FTI_TLN_DISABLED_CONFLICT);
	ck_assert_int_eq(extra[0].timestamp, T2);
	ck_assert_str_eq(c[0].with, "the local forest CORP");
	ck_assert_str_eq(c[0].name, "corp.example");
	ck_assert_uint_eq(extra[1].flags, FTI_TLN_DISABLED_CONFLICT);
	ck_assert_str_eq(c[1].name, "corp-upn.example");
	ck_assert_uint_eq(extra[2].flags, FTI_NB_DISABLED_CONFLICT);
	/* Disabled as new: never in conflict; the conflict bit is cleared. */
	extra[0].flags = FTI_TLN_DISABLED_NEW | FTI_TLN_DISABLED_CONFLICT;
	namespace_collide(&fi, &ctx, c, T2);
	ck_assert_uint_eq(extra[0].flags, FTI_TLN_DISABLED_NEW);
	ck_assert_int_eq(c[0].in_conflict, 0);
	/* The same SID as the local domain: the SID is in conflict. */
	extra[2].netbios = (char *)(uintptr_t)"X";
	extra[2].sid = S_LOCAL;
	namespace_collide(&fi, &ctx, c, T2);
	ck_assert_uint_eq(extra[2].flags, FTI_SID_DISABLED_CONFLICT);
}
END_TEST

/* Rule 14: two trusts of one forest, the second claiming the first's names. */
START_TEST(test_collide_other_trust)
{
	namespace_other other;
	namespace_ctx ctx;
	namespace_conflict c[3];
	fti_info first, second;

	sids();
	default_info(&first);
	ck_assert_int_eq(forestinfo_default(&second, "example", "OTHER", &S_OTHER, T1), 0);
	other.label = "partner.example";
	other.fi = &first;
	ctx = local_ctx(&other, 1);
	L_DOMS[0].dns = "corp.test";              /* keep the local forest out of the way */
	ctx.local.nsuffixes = 0;
	namespace_collide(&second, &ctx, c, T2);
	ck_assert_uint_eq(second.records[0].flags, FTI_TLN_DISABLED_CONFLICT);
	ck_assert_str_eq(c[0].with, "trust partner.example");
	ck_assert_str_eq(c[0].name, "partner.example");
	ck_assert_uint_eq(second.records[1].flags, 0);
	/* Excluded on our side: "example" may be routed here, except partner.example. */
	{
		fti_record *v = realloc(second.records, 3 * sizeof(*v));

		ck_assert_ptr_nonnull(v);
		second.records = v;
		memset(&v[2], 0, sizeof(v[2]));
		v[2].type = FTI_TOP_LEVEL_NAME_EX;
		v[2].name = strdup("partner.example");
		second.count = 3;
	}
	namespace_collide(&second, &ctx, c, T2);
	ck_assert_uint_eq(second.records[0].flags, 0);
	/* The first trust's TLN disabled by the administrator: no conflict either. */
	first.records[0].flags = FTI_TLN_DISABLED_ADMIN;
	forestinfo_record_free(&second.records[2]);
	second.count = 2;
	namespace_collide(&second, &ctx, c, T2);
	ck_assert_uint_eq(second.records[0].flags, 0);
	forestinfo_free(&first);
	forestinfo_free(&second);
}
END_TEST

/* Rule 14 below: a TLN under another trust's TLN, unless excluded there. */
START_TEST(test_collide_below_other)
{
	namespace_other other;
	namespace_ctx ctx;
	namespace_conflict c[2];
	fti_info first, second;
	namespace_request r;
	tm_error e;

	sids();
	default_info(&first);
	ck_assert_int_eq(forestinfo_default(&second, "sales.partner.example", "SALES", &S_OTHER,
					    T1), 0);
	other.label = "partner.example";
	other.fi = &first;
	ctx = local_ctx(&other, 1);
	namespace_collide(&second, &ctx, c, T2);
	ck_assert_uint_eq(second.records[0].flags, FTI_TLN_DISABLED_CONFLICT);
	memset(&r, 0, sizeof(r));
	r.add_tln_ex.v[r.add_tln_ex.n++] = "sales.partner.example";
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&first, &r, T2, &e), 0);
	namespace_collide(&second, &ctx, c, T2);
	ck_assert_uint_eq(second.records[0].flags, 0);
	forestinfo_free(&first);
	forestinfo_free(&second);
}
END_TEST

/* namespace_change: enabling a record in conflict is refused, naming the
 * other trust; enable-all leaves it in conflict; `before` is untouched. */
START_TEST(test_change)
{
	namespace_other other;
	namespace_ctx ctx;
	namespace_conflict *c = NULL;
	namespace_forest f;
	namespace_request r;
	fti_info first, before, after;
	const fti_record *x;
	tm_error e;

	sids();
	f = partner_forest();
	ck_assert_int_eq(forestinfo_default(&first, "upn.example", "UPN", &S_OTHER, T1), 0);
	other.label = "upn.example";
	other.fi = &first;
	ctx = local_ctx(&other, 1);
	default_info(&before);
	memset(&r, 0, sizeof(r));
	r.refresh = 2;
	r.enable_tln.v[r.enable_tln.n++] = "upn.example";
	error_clear(&e);
	ck_assert_int_eq(namespace_change(&before, &r, &f, &ctx, T2, &after, &c, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
	TU_ASSERT_HAS(e.what, "trust upn.example");
	ck_assert_uint_eq(before.count, 2);
	ck_assert_ptr_null(c);
	r.enable_tln.n = 0;
	r.enable_all = 1;
	error_clear(&e);
	ck_assert_msg(namespace_change(&before, &r, &f, &ctx, T2, &after, &c, &e) == 0, "%s",
		      e.what);
	x = rec(&after, FTI_TOP_LEVEL_NAME, "upn.example");
	ck_assert_uint_eq(x->flags, FTI_TLN_DISABLED_CONFLICT);
	ck_assert_int_eq(c[(size_t)(x - after.records)].in_conflict, 1);
	ck_assert_uint_eq(rec(&after, FTI_TOP_LEVEL_NAME, "partner.example")->flags, 0);
	free(c);
	forestinfo_free(&after);
	forestinfo_free(&before);
	forestinfo_free(&first);
}
END_TEST

/* Rule 15: deleting the exclusion that keeps a routed TLN clear of another
 * trust's TLN is refused; `before` is left as it was. */
START_TEST(test_change_new_conflict)
{
	namespace_other other;
	namespace_ctx ctx;
	namespace_request r;
	fti_info rogue, before, after;
	tm_error e;

	sids();
	ck_assert_int_eq(forestinfo_default(&rogue, "rogue.partner.example", "ROGUE", &S_OTHER, T1),
			 0);
	other.label = "rogue.partner.example";
	other.fi = &rogue;
	ctx = local_ctx(&other, 1);
	default_info(&before);
	memset(&r, 0, sizeof(r));
	r.add_tln_ex.v[r.add_tln_ex.n++] = "rogue.partner.example";
	error_clear(&e);
	ck_assert_int_eq(namespace_apply(&before, &r, T1, &e), 0);
	memset(&r, 0, sizeof(r));
	r.delete_tln_ex.v[r.delete_tln_ex.n++] = "rogue.partner.example";
	ck_assert_int_eq(namespace_change(&before, &r, NULL, &ctx, T2, &after, NULL, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_COLLISION);
	TU_ASSERT_HAS(e.what, "trust rogue.partner.example");
	ck_assert_uint_eq(before.count, 3);
	/* With the other trust's name disabled, the same change is accepted. */
	rogue.records[0].flags = FTI_TLN_DISABLED_ADMIN;
	error_clear(&e);
	ck_assert_msg(namespace_change(&before, &r, NULL, &ctx, T2, &after, NULL, &e) == 0, "%s",
		      e.what);
	ck_assert_uint_eq(after.count, 2);
	forestinfo_free(&after);
	forestinfo_free(&before);
	forestinfo_free(&rogue);
}
END_TEST

START_TEST(test_request_changes)
{
	namespace_request r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(namespace_request_changes(&r), 0);
	r.refresh = 1;
	ck_assert_int_eq(namespace_request_changes(&r), 0);
	r.refresh = 2;
	ck_assert_int_eq(namespace_request_changes(&r), 1);
}
END_TEST

static Suite *namespace_suite(void)
{
	Suite *s = suite_create("namespace");
	TCase *tc = tcase_create("namespace");

	tcase_add_test(tc, test_dns_under);
	tcase_add_test(tc, test_tlns);
	tcase_add_test(tc, test_refresh);
	tcase_add_test(tc, test_opaque_kept);
	tcase_add_test(tc, test_toggles);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_exclusions);
	tcase_add_test(tc, test_collide_local);
	tcase_add_test(tc, test_collide_other_trust);
	tcase_add_test(tc, test_collide_below_other);
	tcase_add_test(tc, test_change);
	tcase_add_test(tc, test_change_new_conflict);
	tcase_add_test(tc, test_request_changes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(namespace_suite());
}
