/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_secret.c - unit tests for model/secret.c.
 *
 * The test binary defines getrandom(2) itself: secret.o links against this
 * definition, which passes through to the kernel by default and can be
 * switched to fail, to be interrupted, to return short reads or to return
 * fixed bytes, so that every path of secret_generate() is exercised. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "model/secret.h"
#include "tests/unit/testutil.h"

/* ---- controllable getrandom ---- */

typedef enum fake_mode {
	FAKE_REAL,                 /* the kernel generator */
	FAKE_FAIL,                 /* always fails with fake_errno */
	FAKE_EINTR_ONCE,           /* one EINTR, then real */
	FAKE_SHORT,                /* at most 3 bytes per call, real bytes */
	FAKE_PATTERN,              /* repeats fake_pattern */
	FAKE_ZERO_THEN_FAIL        /* returns 0 bytes (end of data) */
} fake_mode;

static fake_mode fake = FAKE_REAL;
static int fake_errno = EIO;
static unsigned fake_calls;
static const unsigned char *fake_pattern;
static size_t fake_pattern_len, fake_pattern_pos;

static ssize_t real_getrandom(void *buf, size_t len, unsigned int flags)
{
	return (ssize_t)syscall(SYS_getrandom, buf, len, flags);
}

static ssize_t pattern_fill(unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		buf[i] = fake_pattern[fake_pattern_pos];
		fake_pattern_pos = (fake_pattern_pos + 1) % fake_pattern_len;
	}
	return (ssize_t)len;
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	fake_calls++;
	switch (fake) {
	case FAKE_FAIL:
		errno = fake_errno;
		return -1;
	case FAKE_EINTR_ONCE:
		fake = FAKE_REAL;
		errno = EINTR;
		return -1;
	case FAKE_SHORT:
		return real_getrandom(buf, len < 3 ? len : 3, flags);
	case FAKE_PATTERN:
		return pattern_fill(buf, len);
	case FAKE_ZERO_THEN_FAIL:
		return 0;
	case FAKE_REAL:
	default:
		return real_getrandom(buf, len, flags);
	}
}

static void fake_reset(void)
{
	fake = FAKE_REAL;
	fake_errno = EIO;
	fake_calls = 0;
	fake_pattern_pos = 0;
}

/* ---- generation ---- */

static void assert_alphabet(const char *s)
{
	size_t i;

	ck_assert_uint_eq(strlen(s), SECRET_GEN_LEN);
	for (i = 0; i < SECRET_GEN_LEN; i++)
		ck_assert_msg(s[i] >= 0x21 && s[i] <= 0x7e, "byte %zu is 0x%02x", i,
			      (unsigned char)s[i]);
}

START_TEST(test_generate_length_alphabet)
{
	char *a = NULL, *b = NULL;
	tm_error e;

	fake_reset();
	error_clear(&e);
	ck_assert_int_eq(secret_generate(&a, &e), 0);
	ck_assert_int_eq(secret_generate(&b, &e), 0);
	ck_assert_ptr_nonnull(a);
	assert_alphabet(a);
	assert_alphabet(b);
	ck_assert_str_ne(a, b);
	ck_assert_uint_gt(fake_calls, 0);       /* it really used getrandom */
	secret_free(&a);
	secret_free(&b);
	ck_assert_ptr_null(a);
}
END_TEST

/* 300 secrets = 38400 characters, about 408 of each of the 94: every
 * character must appear and none may be wildly over-represented (the
 * chance of either happening by luck is far below 1e-30). */
START_TEST(test_generate_spread)
{
	unsigned counts[128] = { 0 };
	char *s = NULL;
	int n, c;

	fake_reset();
	for (n = 0; n < 300; n++) {
		ck_assert_int_eq(secret_generate(&s, NULL), 0);
		for (c = 0; c < SECRET_GEN_LEN; c++)
			counts[(unsigned char)s[c]]++;
		secret_free(&s);
	}
	for (c = 0x21; c <= 0x7e; c++) {
		ck_assert_msg(counts[c] > 200, "'%c' seen only %u times", c, counts[c]);
		ck_assert_msg(counts[c] < 700, "'%c' seen %u times", c, counts[c]);
	}
}
END_TEST

/* Byte b maps to 0x21 + b % 94 when b < 188; bytes 188..255 are rejected. */
START_TEST(test_generate_mapping_and_rejection)
{
	static const unsigned char pattern[] = { 0, 188, 93, 255, 94, 200, 187, 1 };
	static const char expect[] = "!~!~\"";
	char *s = NULL;
	int i;

	fake_reset();
	fake = FAKE_PATTERN;
	fake_pattern = pattern;
	fake_pattern_len = sizeof(pattern);
	ck_assert_int_eq(secret_generate(&s, NULL), 0);
	fake_reset();
	assert_alphabet(s);
	for (i = 0; i < SECRET_GEN_LEN; i++)
		ck_assert_int_eq(s[i], expect[i % 5]);
	secret_free(&s);
}
END_TEST

/* Only rejected bytes for a while: the generator keeps asking. */
START_TEST(test_generate_all_rejected_then_good)
{
	static unsigned char pattern[512];
	char *s = NULL;

	memset(pattern, 0xff, 448);
	memset(pattern + 448, 5, 64);
	fake_reset();
	fake = FAKE_PATTERN;
	fake_pattern = pattern;
	fake_pattern_len = sizeof(pattern);
	ck_assert_int_eq(secret_generate(&s, NULL), 0);
	ck_assert_uint_ge(fake_calls, 9);
	fake_reset();
	assert_alphabet(s);
	ck_assert_int_eq(s[0], 0x21 + 5);
	secret_free(&s);
}
END_TEST

START_TEST(test_generate_failure)
{
	char *s = (char *)&fake_calls;
	tm_error e;

	fake_reset();
	fake = FAKE_FAIL;
	fake_errno = ENOSYS;
	error_clear(&e);
	ck_assert_int_eq(secret_generate(&s, &e), -1);
	fake_reset();
	ck_assert_ptr_null(s);
	ck_assert_int_eq(e.cls, TM_EFAIL);
	ck_assert_ptr_nonnull(strstr(e.what, "random generator"));
	ck_assert_ptr_nonnull(strstr(e.what, strerror(ENOSYS)));
	ck_assert_uint_gt(strlen(e.next), 0);
	ck_assert_int_eq(secret_generate(NULL, &e), -1);
}
END_TEST

START_TEST(test_generate_zero_bytes_is_failure)
{
	char *s = NULL;
	tm_error e;

	fake_reset();
	fake = FAKE_ZERO_THEN_FAIL;
	ck_assert_int_eq(secret_generate(&s, &e), -1);
	fake_reset();
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_generate_eintr_and_short_reads)
{
	char *s = NULL;

	fake_reset();
	fake = FAKE_EINTR_ONCE;
	ck_assert_int_eq(secret_generate(&s, NULL), 0);
	ck_assert_uint_ge(fake_calls, 2);
	assert_alphabet(s);
	secret_free(&s);
	fake_reset();
	fake = FAKE_SHORT;
	ck_assert_int_eq(secret_generate(&s, NULL), 0);
	ck_assert_uint_ge(fake_calls, 22);      /* 64 bytes, 3 at a time */
	fake_reset();
	assert_alphabet(s);
	secret_free(&s);
}
END_TEST

/* ---- wiping and freeing ---- */

START_TEST(test_wipe)
{
	char buf[32];
	size_t i;

	memset(buf, 'S', sizeof(buf));
	secret_wipe(buf + 4, 20);
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], (i >= 4 && i < 24) ? 0 : 'S');
	secret_wipe(NULL, 10);
	secret_wipe(buf, 0);
}
END_TEST

START_TEST(test_free)
{
	char *s = secret_dup("hunter2");
	uint8_t *bytes = malloc(16);
	char *chars = malloc(8);

	ck_assert_ptr_nonnull(s);
	secret_free(&s);
	ck_assert_ptr_null(s);
	secret_free(&s);
	secret_free(NULL);
	ck_assert_ptr_nonnull(bytes);
	memset(bytes, 0xaa, 16);
	secret_free_buf(&bytes, 16);
	ck_assert_ptr_null(bytes);
	secret_free_buf(&bytes, 16);
	ck_assert_ptr_nonnull(chars);
	secret_free_buf(&chars, 8);
	ck_assert_ptr_null(chars);
	secret_free_buf(NULL, 8);
}
END_TEST

START_TEST(test_dup)
{
	const char *orig = "p\xc3\xa4ss word";
	char *d = secret_dup(orig);

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_ne(d, orig);
	ck_assert_str_eq(d, orig);
	secret_free(&d);
	ck_assert_ptr_null(secret_dup(NULL));
	d = secret_dup("");
	ck_assert_str_eq(d, "");
	secret_free(&d);
}
END_TEST

START_TEST(test_equal)
{
	ck_assert_int_eq(secret_equal("abc", "abc"), 1);
	ck_assert_int_eq(secret_equal("", ""), 1);
	ck_assert_int_eq(secret_equal("abc", "abd"), 0);
	ck_assert_int_eq(secret_equal("abc", "xbc"), 0);
	ck_assert_int_eq(secret_equal("abc", "abcd"), 0);
	ck_assert_int_eq(secret_equal("abcd", "abc"), 0);
	ck_assert_int_eq(secret_equal("", "a"), 0);
	ck_assert_int_eq(secret_equal("a", ""), 0);
	ck_assert_int_eq(secret_equal("ABC", "abc"), 0);
	ck_assert_int_eq(secret_equal("\xc3\xa4", "\xc3\xa4"), 1);
	ck_assert_int_eq(secret_equal(NULL, "a"), 0);
	ck_assert_int_eq(secret_equal("a", NULL), 0);
	ck_assert_int_eq(secret_equal(NULL, NULL), 1);
}
END_TEST

/* ---- secret_check_supplied: passwords a person gives ---- */

/* The check of the len bytes at pw with minimum min: 0, or -1 with e. */
static int supplied(const char *pw, size_t len, int min, tm_error *e)
{
	error_clear(e);
	return secret_check_supplied(pw, len, min, e);
}

START_TEST(test_supplied_nul_is_not_the_end)
{
	tm_error e;

	/* "abc\0def" was taken as "abc": now the NUL is refused, where it is. */
	ck_assert_int_eq(supplied("abc\0defgh", 9, 1, &e), -1);
	ck_assert_str_eq(e.status, ST_PASSWORD_RESTRICTION);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	TU_ASSERT_HAS(e.what, "a NUL byte at character 4");
	TU_ASSERT_HAS(e.what, "cut it short");
	ck_assert_ptr_null(strstr(e.what, "abc"));
	ck_assert_ptr_null(strstr(e.what, "defgh"));
	ck_assert(e.next[0]);
	ck_assert_int_eq(supplied("abcdefgh\0", 9, 8, &e), -1);   /* a NUL at the end too */
	TU_ASSERT_HAS(e.what, "at character 9");
}
END_TEST

START_TEST(test_supplied_control_characters)
{
	tm_error e;

	ck_assert_int_eq(supplied("abc\tdefgh", 9, 1, &e), -1);
	TU_ASSERT_HAS(e.what, "a tab at character 4");
	ck_assert_int_eq(supplied("abcdefgh\r", 9, 1, &e), -1);
	TU_ASSERT_HAS(e.what, "a line break at character 9");
	ck_assert_int_eq(supplied("\x1b[31mabcdefgh", 13, 1, &e), -1);
	TU_ASSERT_HAS(e.what, "an escape character at character 1");
	ck_assert_int_eq(supplied("abcdefg\x7f", 8, 1, &e), -1);
	TU_ASSERT_HAS(e.what, "U+007F at character 8");
	/* C1 controls (U+0080..U+009F) as UTF-8, after a two-byte character:
	 * positions count characters, not bytes. */
	ck_assert_int_eq(supplied("\xc3\xa9\xc2\x85xxxxxxx", 11, 1, &e), -1);
	TU_ASSERT_HAS(e.what, "U+0085 at character 2");
	ck_assert_int_eq(supplied("\xc2\xa0" "abcdefgh", 10, 1, &e), 0);   /* U+00A0 is text */
}
END_TEST

START_TEST(test_supplied_utf8)
{
	tm_error e;

	ck_assert_int_eq(supplied("abc\xff" "defgh", 9, 1, &e), -1);
	TU_ASSERT_HAS(e.what, "not valid UTF-8 text at character 4 (byte 4)");
	ck_assert_int_eq(supplied("\xc3\xa9t\xc3", 5, 1, &e), -1);   /* cut short */
	TU_ASSERT_HAS(e.what, "at character 3 (byte 4)");
	ck_assert_int_eq(supplied("\xed\xa0\x80" "abcdefgh", 11, 1, &e), -1);   /* surrogate */
}
END_TEST

START_TEST(test_supplied_minimum)
{
	tm_error e;

	ck_assert_int_eq(supplied("x", 1, SECRET_MIN_DEFAULT, &e), -1);
	TU_ASSERT_HAS(e.what, "the password is 1 character long");
	TU_ASSERT_HAS(e.what, "at least 8");
	ck_assert_int_eq(supplied("abcdefg", 7, 8, &e), -1);
	TU_ASSERT_HAS(e.what, "7 characters long");
	ck_assert_int_eq(supplied("abcdefgh", 8, 8, &e), 0);
	/* characters, not bytes: eight characters in ten bytes pass 8, not 9 */
	ck_assert_int_eq(supplied("P\xc3\xa4ssw\xc3\xb6rd", 10, 8, &e), 0);
	ck_assert_int_eq(supplied("P\xc3\xa4ssw\xc3\xb6rd", 10, 9, &e), -1);
	ck_assert_int_eq(supplied("ab", 2, 1, &e), 0);
	ck_assert_int_eq(supplied("", 0, 0, &e), 0);      /* min 0: only the characters */
	ck_assert_int_eq(supplied("a\0", 2, 0, &e), -1);
}
END_TEST

/* Generated secrets keep the rules without being asked to. */
START_TEST(test_generated_keep_the_rules)
{
	char *s = NULL;
	tm_error e;

	ck_assert_int_eq(secret_generate(&s, &e), 0);
	ck_assert_int_eq(supplied(s, strlen(s), SECRET_MIN_LIMIT / 2, &e), 0);
	secret_free(&s);
}
END_TEST

static Suite *secret_suite(void)
{
	Suite *s = suite_create("secret");
	TCase *tc = tcase_create("generate");

	tcase_add_test(tc, test_generate_length_alphabet);
	tcase_add_test(tc, test_generate_spread);
	tcase_add_test(tc, test_generate_mapping_and_rejection);
	tcase_add_test(tc, test_generate_all_rejected_then_good);
	tcase_add_test(tc, test_generate_failure);
	tcase_add_test(tc, test_generate_zero_bytes_is_failure);
	tcase_add_test(tc, test_generate_eintr_and_short_reads);
	suite_add_tcase(s, tc);
	tc = tcase_create("memory");
	tcase_add_test(tc, test_wipe);
	tcase_add_test(tc, test_free);
	tcase_add_test(tc, test_dup);
	tcase_add_test(tc, test_equal);
	tcase_add_test(tc, test_supplied_nul_is_not_the_end);
	tcase_add_test(tc, test_supplied_control_characters);
	tcase_add_test(tc, test_supplied_utf8);
	tcase_add_test(tc, test_supplied_minimum);
	tcase_add_test(tc, test_generated_keep_the_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(secret_suite());
}
