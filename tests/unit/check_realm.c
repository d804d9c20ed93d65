/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_realm.c - a plain MIT realm's trusts as TDOs, grouped from its
 * cross-realm principals (backend/realm/realm.h, realm_tdos_from_keys):
 * direction from which principals exist, type MIT, the encryption types of
 * the current keys, the key version in each trust-auth value, one TDO per
 * partner however many partners there are. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/realm/realm.h"
#include "model/authblob.h"
#include "model/keys.h"
#include "model/tdo.h"
#include "tests/unit/testutil.h"

static tm_keyinfo key(const char *principal, uint32_t kvno, uint32_t enctypes)
{
	tm_keyinfo k;

	memset(&k, 0, sizeof(k));
	snprintf(k.principal, sizeof(k.principal), "%s", principal);
	k.kvno = kvno;
	k.enctypes = enctypes;
	k.nkvnos = 1;
	k.kvnos[0] = kvno;
	k.changed = 1700000000;
	return k;
}

START_TEST(test_two_way)
{
	tm_keyinfo keys[4];
	tm_tdo *v = NULL;
	size_t n = 0;

	keys[0] = key("krbtgt/R.TEST@R.TEST", 1, 0x18);            /* its own: not a trust */
	keys[1] = key("krbtgt/X.TEST@R.TEST", 3, 0x18);            /* X trusts R: inbound */
	keys[2] = key("krbtgt/R.TEST@X.TEST", 5, 0x10);            /* R trusts X: outbound */
	keys[3] = key("krbtgt/Y.TEST@Z.TEST", 1, 0x18);            /* neither end is R */
	ck_assert_int_eq(realm_tdos_from_keys("R.TEST", keys, 4, &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].partner, "X.TEST");
	ck_assert_uint_eq(v[0].type, TRUST_TYPE_MIT);
	ck_assert_uint_eq(v[0].direction, TRUST_DIRECTION_INBOUND | TRUST_DIRECTION_OUTBOUND);
	ck_assert(v[0].has_enctypes);
	ck_assert_uint_eq(v[0].enctypes, 0x10);                    /* what both keys have */
	ck_assert_uint_eq(authblob_kvno(&v[0].incoming, 0), 3);
	ck_assert_uint_eq(authblob_kvno(&v[0].outgoing, 0), 5);
	tdo_free_array(&v, n);
}
END_TEST

START_TEST(test_one_way_and_case)
{
	tm_keyinfo keys[3];
	tm_tdo *v = NULL;
	size_t n = 0;

	keys[0] = key("krbtgt/R.TEST@P.TEST", 2, 0x18);            /* R trusts P only */
	keys[1] = key("krbtgt/Q.TEST@R.TEST", 4, 0x18);            /* Q trusts R ... */
	keys[2] = key("krbtgt/R.TEST@q.test", 6, 0x18);            /* ... and R trusts Q */
	ck_assert_int_eq(realm_tdos_from_keys("R.TEST", keys, 3, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].partner, "P.TEST");
	ck_assert_uint_eq(v[0].direction, TRUST_DIRECTION_OUTBOUND);
	ck_assert_uint_eq(authblob_kvno(&v[0].outgoing, 0), 2);
	ck_assert_str_eq(v[1].partner, "Q.TEST");                  /* one TDO, names folded */
	ck_assert_uint_eq(v[1].direction, TRUST_DIRECTION_INBOUND | TRUST_DIRECTION_OUTBOUND);
	tdo_free_array(&v, n);
}
END_TEST

/* Thousands of partners, each principal once in each direction, the
 * directions listed apart (as kadmin lists names): one TDO per partner, in
 * the order of first appearance, each two-way. */
START_TEST(test_many_partners)
{
	enum { PARTNERS = 3000 };
	tm_keyinfo *keys = calloc(2 * PARTNERS, sizeof(*keys));
	char name[128];
	tm_tdo *v = NULL;
	size_t n = 0, i;

	ck_assert_ptr_nonnull(keys);
	for (i = 0; i < PARTNERS; i++) {
		snprintf(name, sizeof(name), "krbtgt/R.TEST@P%zu.BENCH.TEST", i);
		keys[i] = key(name, 1, 0x18);
		snprintf(name, sizeof(name), "krbtgt/P%zu.BENCH.TEST@R.TEST", i);
		keys[PARTNERS + i] = key(name, 2, 0x18);
	}
	ck_assert_int_eq(realm_tdos_from_keys("R.TEST", keys, 2 * PARTNERS, &v, &n), 0);
	ck_assert_uint_eq(n, PARTNERS);
	for (i = 0; i < PARTNERS; i++) {
		snprintf(name, sizeof(name), "P%zu.BENCH.TEST", i);
		ck_assert_str_eq(v[i].partner, name);
		ck_assert_uint_eq(v[i].direction, TRUST_DIRECTION_INBOUND | TRUST_DIRECTION_OUTBOUND);
		ck_assert_uint_eq(authblob_kvno(&v[i].outgoing, 0), 1);
		ck_assert_uint_eq(authblob_kvno(&v[i].incoming, 0), 2);
	}
	tdo_free_array(&v, n);
	free(keys);
}
END_TEST

START_TEST(test_none)
{
	tm_keyinfo k = key("krbtgt/R.TEST@R.TEST", 1, 0x18);
	tm_tdo *v = NULL;
	size_t n = 7;

	ck_assert_int_eq(realm_tdos_from_keys("R.TEST", &k, 1, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	tdo_free_array(&v, n);
	ck_assert_int_eq(realm_tdos_from_keys("R.TEST", NULL, 0, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	tdo_free_array(&v, n);
}
END_TEST

static Suite *realm_suite(void)
{
	Suite *s = suite_create("realm");
	TCase *tc = tcase_create("tdos_from_keys");

	tcase_add_test(tc, test_two_way);
	tcase_add_test(tc, test_one_way_and_case);
	tcase_add_test(tc, test_many_partners);
	tcase_add_test(tc, test_none);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(realm_suite());
}
