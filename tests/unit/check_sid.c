/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_sid.c - unit tests for model/sid.c. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/sid.h"
#include "tests/unit/testutil.h"

/* ---- valid text forms ---- */

typedef struct valid_case {
	const char *text;
	uint64_t authority;
	uint8_t nsub;
	uint32_t sub[SID_MAX_SUB];
	const char *canonical;
} valid_case;

static const valid_case valid[] = {
	{ "S-1-5-21-1004336348-1177238915-682003330", 5, 4,
	  { 21, 1004336348u, 1177238915u, 682003330u },
	  "S-1-5-21-1004336348-1177238915-682003330" },
	{ "S-1-5-21-1-2-3", 5, 4, { 21, 1, 2, 3 }, "S-1-5-21-1-2-3" },
	{ "S-1-0", 0, 0, { 0 }, "S-1-0" },
	{ "S-1-5", 5, 0, { 0 }, "S-1-5" },
	{ "S-1-1-0", 1, 1, { 0 }, "S-1-1-0" },
	{ "S-1-5-32", 5, 1, { 32 }, "S-1-5-32" },
	{ "S-1-5-32-544", 5, 2, { 32, 544 }, "S-1-5-32-544" },
	{ "s-1-5-18", 5, 1, { 18 }, "S-1-5-18" },
	{ "S-1-5-0021", 5, 1, { 21 }, "S-1-5-21" },
	{ "S-1-5-4294967295", 5, 1, { 4294967295u }, "S-1-5-4294967295" },
	{ "S-1-5-0", 5, 1, { 0 }, "S-1-5-0" },
	{ "S-1-0x000000000005-21", 5, 1, { 21 }, "S-1-5-21" },
	{ "S-1-0x5-21", 5, 1, { 21 }, "S-1-5-21" },
	{ "S-1-0Xff", 255, 0, { 0 }, "S-1-255" },
	{ "S-1-4294967295", 4294967295u, 0, { 0 }, "S-1-4294967295" },
	{ "S-1-4294967296-1", UINT64_C(4294967296), 1, { 1 }, "S-1-0x000100000000-1" },
	{ "S-1-0x123456789ABC", UINT64_C(0x123456789abc), 0, { 0 }, "S-1-0x123456789ABC" },
	{ "S-1-0xffffffffffff", UINT64_C(0xffffffffffff), 0, { 0 }, "S-1-0xFFFFFFFFFFFF" },
	{ "S-1-281474976710655", UINT64_C(0xffffffffffff), 0, { 0 }, "S-1-0xFFFFFFFFFFFF" },
	{ "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", 5, 15,
	  { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	  "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15" },
	{ "S-1-16-12288", 16, 1, { 12288 }, "S-1-16-12288" },
};
#define NVALID (int)(sizeof(valid) / sizeof(valid[0]))

START_TEST(test_parse_valid)
{
	const valid_case *c = &valid[_i];
	tm_error e;
	tm_sid s;
	char buf[SID_TEXT_MAX];
	int k;

	error_clear(&e);
	ck_assert_msg(sid_parse(c->text, &s, &e) == 0, "%s: %s", c->text, e.what);
	ck_assert_uint_eq(s.revision, 1);
	ck_assert_uint_eq(s.authority, c->authority);
	ck_assert_uint_eq(s.nsub, c->nsub);
	for (k = 0; k < c->nsub; k++)
		ck_assert_uint_eq(s.sub[k], c->sub[k]);
	ck_assert_str_eq(sid_format(&s, buf, sizeof(buf)), c->canonical);
	ck_assert_ptr_eq(e.status, NULL);
}
END_TEST

/* Formatting then parsing gives the same SID back. */
START_TEST(test_text_round_trip)
{
	tm_sid a, b;
	char buf[SID_TEXT_MAX];

	ck_assert_int_eq(sid_parse(valid[_i].text, &a, NULL), 0);
	sid_format(&a, buf, sizeof(buf));
	ck_assert_int_eq(sid_parse(buf, &b, NULL), 0);
	ck_assert_int_eq(sid_equal(&a, &b), 1);
}
END_TEST

/* ---- invalid text forms ---- */

static const char *const invalid[] = {
	"",
	"S",
	"S-",
	"S-1",
	"S-1-",
	"S-1-5-",                       /* trailing dash */
	"S-1-5-21-1-2-3-",
	"S-2-5-21-1-2-3",               /* revision 2 */
	"S-0-5",
	"S-01-5",
	"S-1x-5",
	"X-1-5-21",
	"1-5-21",
	"SID-1-5",
	" S-1-5-21-1-2-3",              /* leading junk */
	"\tS-1-5-21-1-2-3",
	"xS-1-5-21-1-2-3",
	"S-1-5-21-1-2-3 ",              /* trailing junk */
	"S-1-5-21-1-2-3\n",
	"S-1-5-21-1-2-3x",
	"S-1-5-21-1-2-3junk",
	"S-1-5-21-1-2-3.",
	"S-1-5--21",                    /* empty sub-authority */
	"S-1--5-21",                    /* empty authority */
	"S-1-+5-21",
	"S-1--5",
	"S-1-5-+21",
	"S-1-5--1",
	"S-1-5-21- 1",
	"S-1-5-21-1,2",
	"S-1-5-0x15",                   /* hex only for the authority */
	"S-1-5-4294967296",             /* sub-authority overflows 32 bits */
	"S-1-5-21-4294967296-1-1",
	"S-1-5-99999999999999999999",
	"S-1-5-18446744073709551616",
	"S-1-281474976710656",          /* authority = 2^48 */
	"S-1-18446744073709551615",
	"S-1-99999999999999999999999",
	"S-1-0x1000000000000",          /* 13 hex digits */
	"S-1-0x0000000000001",
	"S-1-0x",
	"S-1-0xg",
	"S-1-x5",
	"S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",   /* 16 sub-authorities */
	"S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16-17-18-19-20",
	"S-1-5-21-1-2-3\xc3\xa4",
	"S\342\200\2201-5",            /* U+2010 HYPHEN */
};
#define NINVALID (int)(sizeof(invalid) / sizeof(invalid[0]))

START_TEST(test_parse_invalid)
{
	const char *text = invalid[_i];
	tm_error e;
	tm_sid s, before;

	memset(&s, 0xa5, sizeof(s));
	before = s;
	error_clear(&e);
	ck_assert_msg(sid_parse(text, &s, &e) == -1, "accepted \"%s\"", text);
	ck_assert_str_eq(e.status, ST_INVALID_SID);
	ck_assert_int_eq(e.cls, TM_EREFUSED);
	ck_assert_msg(strlen(e.what) > 20, "no message for \"%s\"", text);
	ck_assert_msg(memcmp(&s, &before, sizeof(s)) == 0, "out changed for \"%s\"", text);
}
END_TEST

START_TEST(test_parse_null)
{
	tm_error e;
	tm_sid s;

	error_clear(&e);
	ck_assert_int_eq(sid_parse(NULL, &s, &e), -1);
	ck_assert_str_eq(e.status, ST_INVALID_SID);
	ck_assert_int_eq(sid_parse("S-1-5", NULL, NULL), -1);
}
END_TEST

START_TEST(test_parse_messages)
{
	tm_error e;
	tm_sid s;

	ck_assert_int_eq(sid_parse("S-1-5-4294967296", &s, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "4294967295"));
	ck_assert_int_eq(sid_parse("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", &s, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "15 sub-authorities"));
	ck_assert_int_eq(sid_parse("S-1-281474976710656", &s, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "2^48"));
	ck_assert_int_eq(sid_parse("S-1-5-21 ", &s, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "after the last number"));
	ck_assert_int_eq(sid_parse("S-2-5", &s, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "revision"));
}
END_TEST

/* ---- formatting ---- */

START_TEST(test_format_truncates)
{
	tm_sid s;
	char buf[SID_TEXT_MAX];

	ck_assert_int_eq(sid_parse("S-1-5-21-1-2-3", &s, NULL), 0);
	memset(buf, 'x', sizeof(buf));
	ck_assert_str_eq(sid_format(&s, buf, 9), "S-1-5-21");
	ck_assert_str_eq(sid_format(&s, buf, 10), "S-1-5-21-");
	ck_assert_str_eq(sid_format(&s, buf, 3), "S-");
	ck_assert_str_eq(sid_format(&s, buf, 1), "");
	buf[0] = 'q';
	ck_assert_ptr_eq(sid_format(&s, buf, 0), buf);
	ck_assert_int_eq(buf[0], 'q');
	ck_assert_str_eq(sid_format(NULL, buf, sizeof(buf)), "");
}
END_TEST

START_TEST(test_format_longest)
{
	tm_sid s;
	char buf[SID_TEXT_MAX];
	int k;

	memset(&s, 0, sizeof(s));
	s.revision = 1;
	s.authority = UINT64_C(0xffffffffffff);
	s.nsub = SID_MAX_SUB;
	for (k = 0; k < SID_MAX_SUB; k++)
		s.sub[k] = UINT32_MAX;
	sid_format(&s, buf, sizeof(buf));
	ck_assert_uint_eq(strlen(buf), 4 + 14 + 15 * 11);
	ck_assert_uint_lt(strlen(buf), SID_TEXT_MAX);
	ck_assert_int_eq(strncmp(buf, "S-1-0xFFFFFFFFFFFF-4294967295-", 30), 0);
}
END_TEST

/* ---- binary form ---- */

START_TEST(test_binary_round_trip)
{
	tm_sid a, b;
	uint8_t bin[SID_BINARY_MAX];
	size_t n;

	ck_assert_int_eq(sid_parse(valid[_i].text, &a, NULL), 0);
	n = sid_to_binary(&a, bin, sizeof(bin));
	ck_assert_uint_eq(n, 8 + 4 * (size_t)a.nsub);
	ck_assert_uint_eq(n, sid_binary_len(&a));
	ck_assert_int_eq(sid_from_binary(bin, n, &b, NULL), 0);
	ck_assert_int_eq(sid_equal(&a, &b), 1);
}
END_TEST

START_TEST(test_binary_known_bytes)
{
	static const char hex[] = "01 04 000000000005 15000000 01000000 02000000 03000000";
	unsigned char want[32];
	uint8_t got[SID_BINARY_MAX];
	size_t wn = tu_hex(hex, want, sizeof(want));
	tm_sid s;

	ck_assert_uint_eq(wn, 24);
	ck_assert_int_eq(sid_parse("S-1-5-21-1-2-3", &s, NULL), 0);
	ck_assert_uint_eq(sid_to_binary(&s, got, sizeof(got)), 24);
	ck_assert_mem_eq(got, want, 24);
}
END_TEST

START_TEST(test_binary_big_authority)
{
	unsigned char bin[16];
	size_t n = tu_hex("01 01 123456789abc 0a000000", bin, sizeof(bin));
	tm_sid s;
	char buf[SID_TEXT_MAX];

	ck_assert_int_eq(sid_from_binary(bin, n, &s, NULL), 0);
	ck_assert_uint_eq(s.authority, UINT64_C(0x123456789abc));
	ck_assert_str_eq(sid_format(&s, buf, sizeof(buf)), "S-1-0x123456789ABC-10");
}
END_TEST

START_TEST(test_binary_buffer_too_small)
{
	tm_sid s;
	uint8_t bin[SID_BINARY_MAX];

	ck_assert_int_eq(sid_parse("S-1-5-21-1-2-3", &s, NULL), 0);
	ck_assert_uint_eq(sid_to_binary(&s, bin, 23), 0);
	ck_assert_uint_eq(sid_to_binary(&s, bin, 0), 0);
	ck_assert_uint_eq(sid_to_binary(&s, NULL, 100), 0);
	ck_assert_uint_eq(sid_to_binary(&s, bin, 24), 24);
	s.nsub = SID_MAX_SUB + 1;
	ck_assert_uint_eq(sid_to_binary(&s, bin, sizeof(bin)), 0);
}
END_TEST

/* Every prefix of a valid binary SID is refused, and so is one byte more. */
START_TEST(test_binary_truncated)
{
	tm_sid s, out;
	uint8_t bin[SID_BINARY_MAX + 1];
	size_t n, len;
	tm_error e;

	ck_assert_int_eq(sid_parse("S-1-5-21-1004336348-1177238915-682003330", &s, NULL), 0);
	n = sid_to_binary(&s, bin, sizeof(bin));
	for (len = 0; len < n; len++) {
		error_clear(&e);
		ck_assert_msg(sid_from_binary(bin, len, &out, &e) == -1, "length %zu", len);
		ck_assert_str_eq(e.status, ST_INVALID_SID);
		ck_assert_uint_gt(strlen(e.what), 0);
	}
	bin[n] = 0;
	ck_assert_int_eq(sid_from_binary(bin, n + 1, &out, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "must be 24 bytes long, not 25"));
	ck_assert_int_eq(sid_from_binary(NULL, 8, &out, &e), -1);
}
END_TEST

START_TEST(test_binary_bad_header)
{
	unsigned char bin[80];
	size_t n;
	tm_sid s;
	tm_error e;

	n = tu_hex("02 01 000000000005 15000000", bin, sizeof(bin));
	ck_assert_int_eq(sid_from_binary(bin, n, &s, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "revision 2"));
	n = tu_hex("00 00 000000000005", bin, sizeof(bin));
	ck_assert_int_eq(sid_from_binary(bin, n, &s, &e), -1);
	memset(bin, 0, sizeof(bin));
	bin[0] = 1;
	bin[1] = 16;               /* too many sub-authorities, enough bytes */
	ck_assert_int_eq(sid_from_binary(bin, 8 + 64, &s, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "at most 15"));
	bin[1] = 255;
	ck_assert_int_eq(sid_from_binary(bin, sizeof(bin), &s, &e), -1);
	bin[1] = 0;                /* S-1-0 with no sub-authorities is fine */
	ck_assert_int_eq(sid_from_binary(bin, 8, &s, &e), 0);
	ck_assert_uint_eq(s.nsub, 0);
}
END_TEST

/* ---- equality ---- */

START_TEST(test_equal)
{
	tm_sid a, b;

	ck_assert_int_eq(sid_parse("S-1-5-21-1-2-3", &a, NULL), 0);
	ck_assert_int_eq(sid_parse("S-1-5-21-1-2-3", &b, NULL), 0);
	ck_assert_int_eq(sid_equal(&a, &b), 1);
	b.sub[3] = 4;
	ck_assert_int_eq(sid_equal(&a, &b), 0);
	ck_assert_int_eq(sid_parse("S-1-5-21-1-2", &b, NULL), 0);
	ck_assert_int_eq(sid_equal(&a, &b), 0);
	ck_assert_int_eq(sid_parse("S-1-6-21-1-2-3", &b, NULL), 0);
	ck_assert_int_eq(sid_equal(&a, &b), 0);
	/* Unused sub-authority slots do not matter. */
	ck_assert_int_eq(sid_parse("S-1-5-21-1-2-3", &b, NULL), 0);
	b.sub[10] = 99;
	ck_assert_int_eq(sid_equal(&a, &b), 1);
	ck_assert_int_eq(sid_equal(&a, NULL), 0);
	ck_assert_int_eq(sid_equal(NULL, NULL), 1);
}
END_TEST

/* ---- the domain SID rule ---- */

static const char *const domain_ok[] = {
	"S-1-5-21-1-2-3",
	"S-1-5-21-1004336348-1177238915-682003330",
	"S-1-5-21-4294967295-4294967295-4294967295",
};

typedef struct domain_bad_case {
	const char *text;
	const char *needle;        /* expected in the message */
} domain_bad_case;

static const domain_bad_case domain_bad[] = {
	{ "S-1-5-32", "BUILTIN" },
	{ "S-1-5-32-544", "BUILTIN" },
	{ "S-1-5-32-1-2-3", "BUILTIN" },
	{ "S-1-5-21-0-2-3", "non-zero" },
	{ "S-1-5-21-1-0-3", "non-zero" },
	{ "S-1-5-21-1-2-0", "non-zero" },
	{ "S-1-5-21-0-0-0", "non-zero" },
	{ "S-1-5", "S-1-5-21-a-b-c" },               /* zero sub-authorities */
	{ "S-1-5-21", "S-1-5-21-a-b-c" },
	{ "S-1-5-21-1-2", "S-1-5-21-a-b-c" },
	{ "S-1-5-21-1-2-3-500", "S-1-5-21-a-b-c" },  /* an account, not a domain */
	{ "S-1-5-22-1-2-3", "S-1-5-21-a-b-c" },
	{ "S-1-1-21-1-2-3", "S-1-5-21-a-b-c" },
	{ "S-1-0x000100000005-21-1-2-3", "S-1-5-21-a-b-c" },
	{ "S-1-5-18", "S-1-5-21-a-b-c" },
	{ "S-1-1-0", "S-1-5-21-a-b-c" },
};
#define NDOMAIN_BAD (int)(sizeof(domain_bad) / sizeof(domain_bad[0]))

START_TEST(test_domain_ok)
{
	tm_sid s;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(sid_parse(domain_ok[_i], &s, NULL), 0);
	ck_assert_msg(sid_check_domain(&s, &e) == 0, "%s: %s", domain_ok[_i], e.what);
}
END_TEST

START_TEST(test_domain_bad)
{
	const domain_bad_case *c = &domain_bad[_i];
	tm_sid s;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(sid_parse(c->text, &s, NULL), 0);
	ck_assert_msg(sid_check_domain(&s, &e) == -1, "accepted %s", c->text);
	ck_assert_str_eq(e.status, ST_INVALID_SID);
	ck_assert_int_eq(e.cls, TM_EREFUSED);
	ck_assert_msg(strstr(e.what, c->needle) != NULL, "%s: \"%s\"", c->text, e.what);
	ck_assert_msg(strstr(e.what, c->text) != NULL || c->text[4] == '0',
		      "message does not name the SID: %s", e.what);
}
END_TEST

START_TEST(test_domain_null)
{
	tm_error e;

	ck_assert_int_eq(sid_check_domain(NULL, &e), -1);
	ck_assert_str_eq(e.status, ST_INVALID_SID);
	ck_assert_int_eq(sid_check_domain(NULL, NULL), -1);
}
END_TEST

static Suite *sid_suite(void)
{
	Suite *s = suite_create("sid");
	TCase *tc = tcase_create("text");

	tcase_add_loop_test(tc, test_parse_valid, 0, NVALID);
	tcase_add_loop_test(tc, test_text_round_trip, 0, NVALID);
	tcase_add_loop_test(tc, test_parse_invalid, 0, NINVALID);
	tcase_add_test(tc, test_parse_null);
	tcase_add_test(tc, test_parse_messages);
	tcase_add_test(tc, test_format_truncates);
	tcase_add_test(tc, test_format_longest);
	suite_add_tcase(s, tc);
	tc = tcase_create("binary");
	tcase_add_loop_test(tc, test_binary_round_trip, 0, NVALID);
	tcase_add_test(tc, test_binary_known_bytes);
	tcase_add_test(tc, test_binary_big_authority);
	tcase_add_test(tc, test_binary_buffer_too_small);
	tcase_add_test(tc, test_binary_truncated);
	tcase_add_test(tc, test_binary_bad_header);
	tcase_add_test(tc, test_equal);
	suite_add_tcase(s, tc);
	tc = tcase_create("domain");
	tcase_add_loop_test(tc, test_domain_ok, 0, (int)(sizeof(domain_ok) / sizeof(domain_ok[0])));
	tcase_add_loop_test(tc, test_domain_bad, 0, NDOMAIN_BAD);
	tcase_add_test(tc, test_domain_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(sid_suite());
}
