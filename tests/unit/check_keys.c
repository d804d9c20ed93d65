/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_keys.c - key arithmetic: principals, enctypes, string-to-key known
 * answers (RFC 3962 appendix B, the NT hash for RC4), the default trust salt,
 * seal/unseal, and a context that reads no configuration file. */
#include <check.h>
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/keys.h"
#include "tests/unit/testutil.h"

/* Assert that key holds exactly the bytes of hex. */
static void expect_key(const tm_key *k, const char *hex)
{
	unsigned char want[KEYS_MAX_BYTES];
	size_t n = tu_hex(hex, want, sizeof(want));

	ck_assert_uint_eq(k->len, n);
	ck_assert_mem_eq(k->bytes, want, n);
}

START_TEST(test_principal_format)
{
	char buf[KEYS_PRINC_MAX], tiny[10];
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(keys_trust_principal("A.EXAMPLE", "B.EXAMPLE", buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "krbtgt/A.EXAMPLE@B.EXAMPLE");
	ck_assert_int_eq(keys_trust_principal("CORP.EXAMPLE", "PARTNER.EXAMPLE", buf,
					      sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE");
	ck_assert_int_eq(keys_trust_principal("A.EXAMPLE", "B.EXAMPLE", tiny, sizeof(tiny), &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_ptr_nonnull(strstr(e.what, "too long"));
	ck_assert_int_eq(keys_trust_principal("", "B", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(keys_trust_principal("A@X", "B", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(keys_trust_principal("A", "B/C", buf, sizeof(buf), &e), -1);
	ck_assert_int_eq(keys_trust_principal("A B", "C", buf, sizeof(buf), &e), -1);
}
END_TEST

START_TEST(test_principal_split)
{
	char x[16], y[16];

	ck_assert_int_eq(keys_split_trust_principal("krbtgt/A.EXAMPLE@B.EXAMPLE", x, y,
						    sizeof(x)), 1);
	ck_assert_str_eq(x, "A.EXAMPLE");
	ck_assert_str_eq(y, "B.EXAMPLE");
	ck_assert_int_eq(keys_split_trust_principal("host/A.EXAMPLE@B.EXAMPLE", x, y, sizeof(x)), 0);
	ck_assert_int_eq(keys_split_trust_principal("krbtgt/A.EXAMPLE", x, y, sizeof(x)), 0);
	ck_assert_int_eq(keys_split_trust_principal("krbtgt/A.LONGER.EXAMPLE@B", x, y, sizeof(x)), 0);
	ck_assert_int_eq(keys_split_trust_principal("krbtgt/A@B.LONGER.EXAMPLE", x, y, sizeof(x)), 0);
}
END_TEST

START_TEST(test_enctype_bits)
{
	int32_t et[8];

	ck_assert_uint_eq(keys_enctypes_from_bits(0, et, 8), 2);
	ck_assert_int_eq(et[0], KEYS_ETYPE_AES256);
	ck_assert_int_eq(et[1], KEYS_ETYPE_AES128);
	ck_assert_uint_eq(keys_enctypes_from_bits(0x1f, et, 8), 3);
	ck_assert_int_eq(et[0], KEYS_ETYPE_AES256);
	ck_assert_int_eq(et[1], KEYS_ETYPE_AES128);
	ck_assert_int_eq(et[2], KEYS_ETYPE_RC4);
	ck_assert_uint_eq(keys_enctypes_from_bits(0x04, et, 8), 1);
	ck_assert_int_eq(et[0], KEYS_ETYPE_RC4);
	ck_assert_uint_eq(keys_enctypes_from_bits(0x08, et, 8), 1);
	ck_assert_int_eq(et[0], KEYS_ETYPE_AES128);
	ck_assert_uint_eq(keys_enctypes_from_bits(0x03, et, 8), 0);     /* DES only */
	ck_assert_uint_eq(keys_enctypes_from_bits(0x1c, et, 1), 1);     /* max respected */
	ck_assert_int_eq(et[0], KEYS_ETYPE_AES256);
	ck_assert_uint_eq(keys_bit_of_enctype(KEYS_ETYPE_AES256), 0x10);
	ck_assert_uint_eq(keys_bit_of_enctype(KEYS_ETYPE_AES128), 0x08);
	ck_assert_uint_eq(keys_bit_of_enctype(KEYS_ETYPE_RC4), 0x04);
	ck_assert_uint_eq(keys_bit_of_enctype(99), 0);
	ck_assert_str_eq(keys_enctype_name(KEYS_ETYPE_AES256), "aes256-cts-hmac-sha1-96");
	ck_assert_str_eq(keys_enctype_name(KEYS_ETYPE_AES128), "aes128-cts-hmac-sha1-96");
	ck_assert_str_eq(keys_enctype_name(KEYS_ETYPE_RC4), "rc4-hmac");
	ck_assert_str_eq(keys_enctype_name(99), "unknown");
}
END_TEST

/* libk5crypto refuses PBKDF2 iteration counts below the default 4096; MIT's
 * own string-to-key tests lift that with this (exported, private) switch.
 * Only the test touches it, to run the published vectors. */
extern unsigned int k5_allow_weak_pbkdf2iter;

/* RFC 3962 appendix B: pass phrase "password", salt "ATHENA.MIT.EDUraeburn". */
static const struct {
	uint32_t iterations;
	const char *aes128;
	const char *aes256;
} rfc3962[] = {
	{ 1, "42 26 3c 6e 89 f4 fc 28 b8 df 68 ee 09 79 9f 15",
	  "fe 69 7b 52 bc 0d 3c e1 44 32 ba 03 6a 92 e6 5b"
	  "bb 52 28 09 90 a2 fa 27 88 39 98 d7 2a f3 01 61" },
	{ 2, "c6 51 bf 29 e2 30 0a c2 7f a4 69 d6 93 bd da 13",
	  "a2 e1 6d 16 b3 60 69 c1 35 d5 e9 d2 e2 5f 89 61"
	  "02 68 56 18 b9 59 14 b4 67 c6 76 22 22 58 24 ff" },
	{ 1200, "4c 01 cd 46 d6 32 d0 1e 6d be 23 0a 01 ed 64 2a",
	  "55 a6 ac 74 0a d1 7b 48 46 94 10 51 e1 e8 b0 a7"
	  "54 8d 93 b0 ab 30 a8 bc 3f f1 62 80 38 2b 8c 2a" },
};

START_TEST(test_rfc3962_vectors)
{
	static const char salt[] = "ATHENA.MIT.EDUraeburn";
	tm_key k;
	tm_error e;
	size_t i;

	error_clear(&e);
	k5_allow_weak_pbkdf2iter = 1;
	for (i = 0; i < sizeof(rfc3962) / sizeof(rfc3962[0]); i++) {
		ck_assert_int_eq(keys_derive_salted(KEYS_ETYPE_AES128, "password", salt,
						    strlen(salt), rfc3962[i].iterations, 7,
						    &k, &e), 0);
		expect_key(&k, rfc3962[i].aes128);
		ck_assert_int_eq(k.enctype, KEYS_ETYPE_AES128);
		ck_assert_uint_eq(k.kvno, 7);
		ck_assert_int_eq(keys_derive_salted(KEYS_ETYPE_AES256, "password", salt,
						    strlen(salt), rfc3962[i].iterations, 7,
						    &k, &e), 0);
		expect_key(&k, rfc3962[i].aes256);
	}
	k5_allow_weak_pbkdf2iter = 0;
	keys_wipe(&k, 1);
}
END_TEST

/* RFC 3962 appendix B, iteration count 5: a binary salt with repeated bytes,
 * which only works when the salt length is passed, not measured. */
START_TEST(test_rfc3962_binary_salt)
{
	static const unsigned char salt[] = { 0x12, 0x34, 0x56, 0x78, 0x78, 0x56, 0x34, 0x12 };
	tm_key k;
	tm_error e;

	k5_allow_weak_pbkdf2iter = 1;
	ck_assert_int_eq(keys_derive_salted(KEYS_ETYPE_AES128, "password", salt, sizeof(salt),
					    5, 1, &k, &e), 0);
	k5_allow_weak_pbkdf2iter = 0;
	expect_key(&k, "e9 b2 3d 52 27 37 47 dd 5c 35 cb 55 be 61 9d 8e");
}
END_TEST

/* Without the switch, counts below 4096 are refused; 4096 is the default. */
START_TEST(test_iteration_policy)
{
	static const char salt[] = "B.EXAMPLEkrbtgtA.EXAMPLE";
	tm_key dflt, explicit4096;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(keys_derive_salted(KEYS_ETYPE_AES256, "pw", salt, strlen(salt), 1, 1,
					    &dflt, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_int_eq(keys_derive_salted(KEYS_ETYPE_AES256, "pw", salt, strlen(salt), 0, 1,
					    &dflt, &e), 0);
	ck_assert_int_eq(keys_derive_salted(KEYS_ETYPE_AES256, "pw", salt, strlen(salt), 4096,
					    1, &explicit4096, &e), 0);
	ck_assert_mem_eq(dflt.bytes, explicit4096.bytes, 32);
	keys_wipe(&dflt, 1);
	keys_wipe(&explicit4096, 1);
}
END_TEST

/* RC4 keys are the NT hash: MD4 of the UTF-16LE password, no salt. */
START_TEST(test_rc4_known_answer)
{
	tm_key k;
	tm_error e;

	ck_assert_int_eq(keys_derive_salted(KEYS_ETYPE_RC4, "password", "ignored", 7, 0, 1,
					    &k, &e), 0);
	expect_key(&k, "88 46 f7 ea ee 8f b1 17 ad 06 bd d8 30 b7 58 6c");
}
END_TEST

/* krbtgt/A.EXAMPLE@B.EXAMPLE is salted with B.EXAMPLE + krbtgt + A.EXAMPLE. */
START_TEST(test_default_trust_salt)
{
	static const char salt[] = "B.EXAMPLEkrbtgtA.EXAMPLE";
	tm_key got[KEYS_MAX_PER_KVNO], want, other;
	size_t n = 0, i;
	tm_error e;

	ck_assert_int_eq(keys_derive("krbtgt/A.EXAMPLE@B.EXAMPLE", "Tr0st-secret", 0x1c, 3,
				     got, KEYS_MAX_PER_KVNO, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(got[i].kvno, 3);
		ck_assert_int_eq(keys_derive_salted(got[i].enctype, "Tr0st-secret", salt,
						    strlen(salt), 0, 3, &want, &e), 0);
		ck_assert_uint_eq(got[i].len, want.len);
		ck_assert_mem_eq(got[i].bytes, want.bytes, want.len);
	}
	ck_assert_int_eq(got[0].enctype, KEYS_ETYPE_AES256);
	ck_assert_int_eq(got[1].enctype, KEYS_ETYPE_AES128);
	ck_assert_int_eq(got[2].enctype, KEYS_ETYPE_RC4);
	/* The opposite direction has another salt, hence other AES keys. */
	ck_assert_int_eq(keys_derive_one("krbtgt/B.EXAMPLE@A.EXAMPLE", "Tr0st-secret",
					 KEYS_ETYPE_AES256, 3, &other, &e), 0);
	ck_assert_int_ne(memcmp(other.bytes, got[0].bytes, other.len), 0);
	ck_assert_int_eq(keys_derive_one("krbtgt/A.EXAMPLE@B.EXAMPLE", "Tr0st-secret",
					 KEYS_ETYPE_AES128, 3, &other, &e), 0);
	ck_assert_mem_eq(other.bytes, got[1].bytes, other.len);
	keys_wipe(got, n);
	ck_assert_int_eq(got[0].enctype, 0);
	ck_assert_uint_eq(got[0].len, 0);
}
END_TEST

START_TEST(test_derive_refusals)
{
	tm_key k[KEYS_MAX_PER_KVNO];
	size_t n = 9;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(keys_derive("krbtgt/A@B", "pw", 0x03, 1, k, KEYS_MAX_PER_KVNO, &n, &e), -1);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_int_eq(keys_derive("krbtgt/A", "pw", 0, 1, k, KEYS_MAX_PER_KVNO, &n, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "realm"));
	ck_assert_int_eq(keys_derive("krbtgt/A@B", NULL, 0, 1, k, KEYS_MAX_PER_KVNO, &n, &e), -1);
	/* max smaller than the set: only the strongest is written */
	ck_assert_int_eq(keys_derive("krbtgt/A@B", "pw", 0, 1, k, 1, &n, &e), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(k[0].enctype, KEYS_ETYPE_AES256);
	keys_wipe(k, n);
}
END_TEST

START_TEST(test_seal_roundtrip)
{
	static const int32_t types[] = { KEYS_ETYPE_AES256, KEYS_ETYPE_AES128, KEYS_ETYPE_RC4 };
	static const uint8_t plain[] = "a referral ticket's session key, 32+ bytes";
	uint8_t *c1 = NULL, *c2 = NULL, *back = NULL;
	size_t l1, l2, lb, i;
	tm_key k;
	tm_error e;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(keys_derive_one("krbtgt/A@B", "pw", types[i], 1, &k, &e), 0);
		ck_assert_int_eq(keys_seal(&k, plain, sizeof(plain), &c1, &l1, &e), 0);
		ck_assert_int_eq(keys_seal(&k, plain, sizeof(plain), &c2, &l2, &e), 0);
		ck_assert_uint_gt(l1, sizeof(plain));
		ck_assert_uint_eq(l1, l2);
		ck_assert_int_ne(memcmp(c1, c2, l1), 0);    /* random confounder */
		ck_assert_int_eq(keys_unseal(&k, c1, l1, &back, &lb, &e), 0);
		ck_assert_uint_eq(lb, sizeof(plain));
		ck_assert_mem_eq(back, plain, lb);
		free(back);
		free(c1);
		free(c2);
	}
	keys_wipe(&k, 1);
}
END_TEST

START_TEST(test_unseal_wrong_key)
{
	static const uint8_t plain[16] = "challenge bytes";
	uint8_t dummy = 0, *c = NULL, *back = &dummy;
	size_t lc, lb = 5;
	tm_key right, wrong;
	tm_error e;

	ck_assert_int_eq(keys_derive_one("krbtgt/A@B", "right", KEYS_ETYPE_AES256, 1, &right, &e), 0);
	ck_assert_int_eq(keys_derive_one("krbtgt/A@B", "wrong", KEYS_ETYPE_AES256, 1, &wrong, &e), 0);
	ck_assert_int_eq(keys_seal(&right, plain, sizeof(plain), &c, &lc, &e), 0);
	ck_assert_int_eq(keys_unseal(&wrong, c, lc, &back, &lb, &e), 1);
	ck_assert_ptr_null(back);
	ck_assert_uint_eq(lb, 0);
	c[lc / 2] ^= 0x01;                                  /* tampered */
	ck_assert_int_eq(keys_unseal(&right, c, lc, &back, &lb, &e), 1);
	ck_assert_int_eq(keys_unseal(&right, c, 3, &back, &lb, &e), -1);   /* truncated */
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	free(c);
	keys_wipe(&right, 1);
	keys_wipe(&wrong, 1);
}
END_TEST

START_TEST(test_unseal_wrong_rc4_key)
{
	static const uint8_t plain[8] = "abcdefg";
	uint8_t *c = NULL, *back = NULL;
	size_t lc, lb;
	tm_key right, wrong;
	tm_error e;

	ck_assert_int_eq(keys_derive_one("krbtgt/A@B", "right", KEYS_ETYPE_RC4, 1, &right, &e), 0);
	ck_assert_int_eq(keys_derive_one("krbtgt/A@B", "wrong", KEYS_ETYPE_RC4, 1, &wrong, &e), 0);
	ck_assert_int_eq(keys_seal(&right, plain, sizeof(plain), &c, &lc, &e), 0);
	ck_assert_int_eq(keys_unseal(&wrong, c, lc, &back, &lb, &e), 1);
	free(c);
	keys_wipe(&right, 1);
	keys_wipe(&wrong, 1);
}
END_TEST

/* A krb5.conf named by KRB5_CONFIG must not be read: no default realm. */
START_TEST(test_context_reads_no_config)
{
	const char *dir = tu_tmpdir();
	char conf[512], *realm = NULL;
	struct _krb5_context *ctx;
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/krb5.conf", dir);
	f = fopen(conf, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[libdefaults]\n default_realm = FROM.FILE\n", f);
	fclose(f);
	setenv("KRB5_CONFIG", conf, 1);
	keys_shutdown();
	ctx = keys_context(NULL);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_eq(keys_context(NULL), ctx);          /* one shared context */
	ck_assert_int_ne(krb5_get_default_realm(ctx, &realm), 0);
	ck_assert_ptr_null(realm);
	unsetenv("KRB5_CONFIG");
	keys_shutdown();
	keys_shutdown();                                    /* twice is safe */
}
END_TEST

/* Checked fixtures run in the forked child: clean up there. */
static void teardown(void)
{
	keys_shutdown();
	tu_cleanup();
}

static Suite *keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_principal_format);
	tcase_add_test(tc, test_principal_split);
	tcase_add_test(tc, test_enctype_bits);
	tcase_add_test(tc, test_rfc3962_vectors);
	tcase_add_test(tc, test_rfc3962_binary_salt);
	tcase_add_test(tc, test_iteration_policy);
	tcase_add_test(tc, test_rc4_known_answer);
	tcase_add_test(tc, test_default_trust_salt);
	tcase_add_test(tc, test_derive_refusals);
	tcase_add_test(tc, test_seal_roundtrip);
	tcase_add_test(tc, test_unseal_wrong_key);
	tcase_add_test(tc, test_unseal_wrong_rc4_key);
	tcase_add_test(tc, test_context_reads_no_config);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(keys_suite());
}
