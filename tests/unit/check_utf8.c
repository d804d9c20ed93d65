/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_utf8.c - unit tests for model/utf8.c, the one UTF-8 decoder. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "tests/unit/testutil.h"
#include "ui/cli_int.h"
#include "ui/console/key.h"
#include "ui/console/text.h"

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

/* A byte string with its length (so it may hold a NUL). */
typedef struct bytes_case {
	const char *s;
	size_t len;
	uint32_t cp;               /* for the valid ones */
	const char *what;
} bytes_case;

#define B(lit) lit, sizeof(lit) - 1

/* ---- valid forms: the first and last code point of each length ---- */

static const bytes_case valid[] = {
	{ B("\0"), 0x0, "U+0000" },
	{ B("A"), 0x41, "U+0041" },
	{ B("\x7f"), 0x7f, "U+007F, the last 1-byte form" },
	{ B("\xc2\x80"), 0x80, "U+0080, the first 2-byte form" },
	{ B("\xc3\xa9"), 0xe9, "U+00E9" },
	{ B("\xdf\xbf"), 0x7ff, "U+07FF, the last 2-byte form" },
	{ B("\xe0\xa0\x80"), 0x800, "U+0800, the first 3-byte form" },
	{ B("\xe2\x82\xac"), 0x20ac, "U+20AC" },
	{ B("\xed\x9f\xbf"), 0xd7ff, "U+D7FF, just below the surrogates" },
	{ B("\xee\x80\x80"), 0xe000, "U+E000, just above the surrogates" },
	{ B("\xef\xbf\xbd"), 0xfffd, "U+FFFD" },
	{ B("\xef\xbf\xbf"), 0xffff, "U+FFFF, the last 3-byte form" },
	{ B("\xf0\x90\x80\x80"), 0x10000, "U+10000, the first 4-byte form" },
	{ B("\xf0\x9f\x98\x80"), 0x1f600, "U+1F600" },
	{ B("\xf3\xbf\xbf\xbf"), 0xfffff, "U+FFFFF" },
	{ B("\xf4\x8f\xbf\xbf"), 0x10ffff, "U+10FFFF, the last code point" },
};

START_TEST(test_next_valid)
{
	const bytes_case *c = &valid[_i];
	char buf[8];
	uint32_t cp = 0xdeadu;
	size_t n;

	ck_assert_msg(utf8_next(c->s, c->len, &cp) == (int)c->len, "%s: length", c->what);
	ck_assert_msg(cp == c->cp, "%s: U+%04X", c->what, (unsigned)cp);
	memcpy(buf, c->s, c->len);
	memcpy(buf + c->len, "xyz", 3);            /* what follows is not taken */
	ck_assert_int_eq(utf8_next(buf, c->len + 3, &cp), (int)c->len);
	ck_assert_uint_eq(utf8_step(c->s, c->len, &cp), c->len);
	ck_assert_uint_eq(cp, c->cp);
	ck_assert_int_eq(utf8_valid(c->s, c->len), 1);
	ck_assert_int_eq(utf8_count(c->s, c->len), 1);
	n = utf8_put(c->cp, buf);                  /* and it encodes back */
	ck_assert_uint_eq(n, c->len);
	ck_assert_msg(memcmp(buf, c->s, n) == 0, "%s: encoding", c->what);
}
END_TEST

/* ---- invalid forms ---- */

static const bytes_case invalid[] = {
	/* overlong forms */
	{ B("\xc0\x80"), 0, "overlong U+0000" },
	{ B("\xc0\xaf"), 0, "overlong '/'" },
	{ B("\xc1\xbf"), 0, "overlong U+007F" },
	{ B("\xe0\x80\x80"), 0, "3-byte overlong U+0000" },
	{ B("\xe0\x9f\xbf"), 0, "overlong U+07FF" },
	{ B("\xf0\x80\x80\x80"), 0, "4-byte overlong U+0000" },
	{ B("\xf0\x8f\xbf\xbf"), 0, "overlong U+FFFF" },
	/* UTF-16 surrogates */
	{ B("\xed\xa0\x80"), 0, "surrogate U+D800" },
	{ B("\xed\xad\xbf"), 0, "surrogate U+DB7F" },
	{ B("\xed\xb0\x80"), 0, "surrogate U+DC00" },
	{ B("\xed\xbf\xbf"), 0, "surrogate U+DFFF" },
	{ B("\xed\xa0\xbd\xed\xb8\x80"), 0, "a surrogate pair (CESU-8)" },
	/* above U+10FFFF */
	{ B("\xf4\x90\x80\x80"), 0, "U+110000" },
	{ B("\xf4\xbf\xbf\xbf"), 0, "U+13FFFF" },
	{ B("\xf5\x80\x80\x80"), 0, "lead byte F5" },
	{ B("\xf7\xbf\xbf\xbf"), 0, "U+1FFFFF" },
	{ B("\xf8\x88\x80\x80\x80"), 0, "a 5-byte form" },
	{ B("\xfc\x84\x80\x80\x80\x80"), 0, "a 6-byte form" },
	{ B("\xfe"), 0, "byte FE" },
	{ B("\xff"), 0, "byte FF" },
	/* truncated */
	{ B("\xc3"), 0, "2-byte form cut after 1" },
	{ B("\xe2\x82"), 0, "3-byte form cut after 2" },
	{ B("\xe2"), 0, "3-byte form cut after 1" },
	{ B("\xf0\x9f\x98"), 0, "4-byte form cut after 3" },
	{ B("\xf0\x9f"), 0, "4-byte form cut after 2" },
	{ B("\xc3" "A"), 0, "2-byte form broken by a letter" },
	{ B("\xe2\x82" "A"), 0, "3-byte form broken by a letter" },
	{ B("\xf0\x9f\x98" "A"), 0, "4-byte form broken by a letter" },
	{ B("\xe2\x82\xc3\xa9"), 0, "3-byte form broken by a lead byte" },
	{ B("\xc3\0"), 0, "2-byte form broken by a NUL" },
	/* continuation bytes alone */
	{ B("\x80"), 0, "continuation byte 80" },
	{ B("\xbf"), 0, "continuation byte BF" },
	{ B("\x80\x80"), 0, "two continuation bytes" },
};

START_TEST(test_next_invalid)
{
	const bytes_case *c = &invalid[_i];
	uint32_t cp = 0xdeadu;

	ck_assert_msg(utf8_next(c->s, c->len, &cp) == -1, "%s: accepted", c->what);
	ck_assert_msg(cp == 0xdeadu, "%s: *cp changed", c->what);
	ck_assert_msg(utf8_step(c->s, c->len, &cp) == 1, "%s: step", c->what);
	ck_assert_uint_eq(cp, UTF8_REPLACEMENT);
	ck_assert_msg(utf8_valid(c->s, c->len) == 0, "%s: valid", c->what);
	ck_assert_msg(utf8_count(c->s, c->len) == -1, "%s: counted", c->what);
}
END_TEST

/* The length given is the end: a sequence cut by it is invalid, and no
 * byte after it is read (the buffer ends there: ASan would tell). */
START_TEST(test_next_len_is_the_end)
{
	static const char *const whole[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
	uint32_t cp;
	size_t len, cut;
	char *p;
	int i;

	ck_assert_int_eq(utf8_next("A", 0, &cp), -1);
	for (i = 0; i < N(whole); i++) {
		len = strlen(whole[i]);
		for (cut = 1; cut < len; cut++) {
			p = malloc(cut);
			ck_assert_ptr_nonnull(p);
			memcpy(p, whole[i], cut);
			ck_assert_int_eq(utf8_next(p, cut, &cp), -1);
			ck_assert_uint_eq(utf8_step(p, cut, &cp), 1);
			ck_assert_int_eq(utf8_valid(p, cut), 0);
			free(p);
		}
	}
}
END_TEST

/* ---- the lenient step ---- */

START_TEST(test_step)
{
	static const char text[] = "\xe2\x82" "A\xc3\xa9\x80\xf0\x9f\x98\x80\xff";
	static const uint32_t want[] = { 0xfffd, 0xfffd, 'A', 0xe9, 0xfffd, 0x1f600, 0xfffd };
	static const size_t used[] = { 1, 1, 1, 2, 1, 4, 1 };
	size_t i = 0, k = 0, n, len = sizeof(text) - 1;
	uint32_t cp;

	while (i < len) {
		n = utf8_step(text + i, len - i, &cp);
		ck_assert_int_lt(k, N(want));
		ck_assert_uint_eq(n, used[k]);
		ck_assert_uint_eq(cp, want[k]);
		i += n;
		k++;
	}
	ck_assert_uint_eq(k, N(want));
	cp = 7;
	ck_assert_uint_eq(utf8_step(text, 0, &cp), 0);
	ck_assert_uint_eq(cp, 0);
}
END_TEST

/* ---- whole strings ---- */

START_TEST(test_count_valid)
{
	ck_assert_int_eq(utf8_count("", 0), 0);
	ck_assert_int_eq(utf8_count("abc", 3), 3);
	ck_assert_int_eq(utf8_count("M\xc3\x9c" "NCHEN", 8), 7);
	ck_assert_int_eq(utf8_count("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9), 3);
	ck_assert_int_eq(utf8_count("\xf0\x9f\x98\x80!", 5), 2);
	ck_assert_int_eq(utf8_count("a\0b", 3), 3);               /* U+0000 counts */
	ck_assert_int_eq(utf8_count("abc\xff", 3), 3);            /* only len bytes */
	ck_assert_int_eq(utf8_valid("", 0), 1);
	ck_assert_int_eq(utf8_valid("a\xc3\xa9z", 4), 1);
	ck_assert_int_eq(utf8_valid("a\xc3\xa9z", 2), 0);         /* cut in the middle */
	ck_assert_int_eq(utf8_count("abc\xc3", 4), -1);
	ck_assert_int_eq(utf8_count("\xc3\xa9\xa9", 3), -1);      /* one continuation too many */
	ck_assert_int_eq(utf8_valid("ok \xed\xa0\x80", 6), 0);
}
END_TEST

/* Every 2-byte input, and every 3-byte one whose last byte is at an edge
 * of the continuation range or just outside it: exactly the code points of
 * that length (less the surrogates) decode, each to what it encodes. */
START_TEST(test_exhaustive_2_3)
{
	static const unsigned char last[] = { 0x00, 0x7f, 0x80, 0x8f, 0x90, 0xbf, 0xc0, 0xff };
	unsigned char s[3];
	long ok2 = 0, ok3 = 0;
	uint32_t cp;
	unsigned a, b;
	char enc[UTF8_MAX];
	int k;

	for (a = 0xc0; a <= 0xff; a++)
		for (b = 0; b <= 0xff; b++) {
			s[0] = (unsigned char)a;
			s[1] = (unsigned char)b;
			if (utf8_next((const char *)s, 2, &cp) == 2) {
				ok2++;
				ck_assert(cp >= 0x80 && cp <= 0x7ff);
				ck_assert_uint_eq(utf8_put(cp, enc), 2);
				ck_assert(memcmp(enc, s, 2) == 0);
			}
		}
	for (a = 0xe0; a <= 0xef; a++)
		for (b = 0; b <= 0xff; b++)
			for (k = 0; k < N(last); k++) {
				s[0] = (unsigned char)a;
				s[1] = (unsigned char)b;
				s[2] = last[k];
				if (utf8_next((const char *)s, 3, &cp) != 3)
					continue;
				ok3++;
				ck_assert(cp >= 0x800 && cp <= 0xffff);
				ck_assert(cp < 0xd800 || cp > 0xdfff);
				ck_assert_uint_eq(utf8_put(cp, enc), 3);
				ck_assert(memcmp(enc, s, 3) == 0);
			}
	ck_assert_int_eq(ok2, 0x800 - 0x80);
	/* 960 valid lead and second byte pairs (E0 A0-BF, E1-EC, ED 80-9F,
	 * EE-EF), each with the four last bytes 80, 8F, 90 and BF */
	ck_assert_int_eq(ok3, 960 * 4);
}
END_TEST

/* Every code point of the first plane, and a spread of the others up to
 * U+10FFFF, encodes to a form that decodes back to it. */
START_TEST(test_round_trip)
{
	char enc[UTF8_MAX];
	uint32_t cp, back;
	size_t n;

	for (cp = 0; cp <= 0x10ffff; cp += cp < 0x10000 ? 1 : cp < 0x10ffff - 61 ? 61 : 1) {
		if (cp == 0xd800)
			cp = 0xe000;
		n = utf8_put(cp, enc);
		ck_assert_uint_eq(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
		back = 0;
		ck_assert_int_eq(utf8_next(enc, n, &back), (int)n);
		ck_assert_uint_eq(back, cp);
	}
}
END_TEST

/* ---- encoding ---- */

START_TEST(test_put_not_characters)
{
	static const uint32_t bad[] = { 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x110000, 0x1fffff,
					0xffffffffu };
	char enc[UTF8_MAX];
	int i;

	for (i = 0; i < N(bad); i++) {
		ck_assert_uint_eq(utf8_put(bad[i], enc), 3);
		ck_assert(memcmp(enc, "\xef\xbf\xbd", 3) == 0);
	}
}
END_TEST

/* ---- cutting on a character boundary ---- */

START_TEST(test_prefix)
{
	const char *s = "a\xc3\xa9" "b\xf0\x9f\x98\x80";     /* a, U+00E9, b, U+1F600 */

	ck_assert_uint_eq(utf8_prefix(s, 8, 8), 8);
	ck_assert_uint_eq(utf8_prefix(s, 8, 100), 8);
	ck_assert_uint_eq(utf8_prefix(s, 8, 7), 4);
	ck_assert_uint_eq(utf8_prefix(s, 8, 5), 4);
	ck_assert_uint_eq(utf8_prefix(s, 8, 4), 4);
	ck_assert_uint_eq(utf8_prefix(s, 8, 3), 3);
	ck_assert_uint_eq(utf8_prefix(s, 8, 2), 1);
	ck_assert_uint_eq(utf8_prefix(s, 8, 1), 1);
	ck_assert_uint_eq(utf8_prefix(s, 8, 0), 0);
	ck_assert_uint_eq(utf8_prefix("", 0, 0), 0);
}
END_TEST

/* ---- what the callers make of it ---- */

typedef struct json_case {
	const char *in, *out;
} json_case;

/* --json output: valid text passes through; each byte of an invalid form
 * becomes the escape of U+FFFD, so the output stays valid JSON. */
static const json_case json_cases[] = {
	{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
	{ "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"" },
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },                           /* overlong */
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },               /* surrogate */
	{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },  /* U+110000 */
	{ "a\xe2\x82" "b", "\"a\\ufffd\\ufffdb\"" },                      /* truncated */
	{ "\x80" "z", "\"\\ufffdz\"" },                                   /* continuation */
	{ "\t\"", "\"\\t\\\"\"" },
};

START_TEST(test_json_quote)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	cli_json_quote(f, json_cases[_i].in);
	fclose(f);
	ck_assert_str_eq(buf, json_cases[_i].out);
	free(buf);
}
END_TEST

/* The console draws an invalid byte as one character (so it never stalls)
 * and a script refuses a key that is not valid UTF-8. */
START_TEST(test_console)
{
	char err[128];
	size_t used = 0;
	int key = 0;

	ck_assert_int_eq(con_text_width("a\xff" "b"), 3);
	ck_assert_int_eq(con_text_width("\xc0\xaf"), 2);
	ck_assert_int_eq(con_text_width("\xe2\x82"), 2);
	ck_assert_int_eq(con_text_width("\xf0\x9f\x98"), 3);
	ck_assert_int_eq(con_text_width("abc"), 3);
	ck_assert_int_eq(con_key_parse("\xc3\xa9x", &key, &used, err, sizeof(err)), 0);
	ck_assert_int_eq(key, 0xe9);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(con_key_parse("\xed\xa0\x80", &key, &used, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "UTF-8"));
	ck_assert_int_eq(con_key_parse("\xe2\x82", &key, &used, err, sizeof(err)), -1);
	ck_assert_int_eq(con_key_parse("<A-\xc3\xa9>", &key, &used, err, sizeof(err)), 0);
	ck_assert_int_eq(key, CON_KEY_ALT | 0xe9);
	ck_assert_int_eq(con_key_parse("<A-\xc0\xaf>", &key, &used, err, sizeof(err)), -1);
}
END_TEST

/* utf8_shown: text as it is, invalid bytes and control characters as
 * \xHH, cut before a character that does not fit. */
START_TEST(test_shown)
{
	char out[64];

	ck_assert_str_eq(utf8_shown("caf\xc3\xa9", 5, out, sizeof(out)), "caf\xc3\xa9");
	ck_assert_str_eq(utf8_shown("BA\xff" "D", 4, out, sizeof(out)), "BA\\xffD");
	ck_assert_str_eq(utf8_shown("a\xc3", 2, out, sizeof(out)), "a\\xc3");
	ck_assert_str_eq(utf8_shown("\x1b[31m", 5, out, sizeof(out)), "\\x1b[31m");
	ck_assert_str_eq(utf8_shown("A\xc2\x85" "B", 4, out, sizeof(out)), "A\\xc2\\x85B");
	ck_assert_str_eq(utf8_shown("a\0b", 3, out, sizeof(out)), "a\\x00b");
	ck_assert_str_eq(utf8_shown("abc", 3, out, 3), "ab");
	ck_assert_str_eq(utf8_shown("a\xff", 2, out, 5), "a");          /* \xff would not fit */
	ck_assert_str_eq(utf8_shown("\xc3\xa9", 2, out, 2), "");       /* nor half of it */
}
END_TEST

/* A key name that is not closed is an error, never text (issue 12). */
START_TEST(test_key_unclosed)
{
	char err[128];
	size_t used = 0;
	int key = 0;

	ck_assert_int_eq(con_key_parse("<Tab", &key, &used, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'<Tab' is not closed with '>'"));
	ck_assert_ptr_nonnull(strstr(err, "<lt>"));
	ck_assert_int_eq(con_key_parse("<Tab<Enter>", &key, &used, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'<Tab' is not closed"));
	ck_assert_int_eq(con_key_parse("<Tab text", &key, &used, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'<Tab' is not closed"));
	ck_assert_int_eq(con_key_parse("<>", &key, &used, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'<>' names no key"));
	ck_assert_int_eq(con_key_parse("<lt>", &key, &used, err, sizeof(err)), 0);
	ck_assert_int_eq(key, '<');
	ck_assert_int_eq(con_key_parse("<Tab>x", &key, &used, err, sizeof(err)), 0);
	ck_assert_uint_eq(used, 5);
}
END_TEST

static Suite *utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("decode");

	tcase_add_loop_test(tc, test_next_valid, 0, N(valid));
	tcase_add_loop_test(tc, test_next_invalid, 0, N(invalid));
	tcase_add_test(tc, test_next_len_is_the_end);
	tcase_add_test(tc, test_step);
	tcase_add_test(tc, test_count_valid);
	suite_add_tcase(s, tc);
	tc = tcase_create("exhaustive");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_exhaustive_2_3);
	tcase_add_test(tc, test_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("encode");
	tcase_add_test(tc, test_put_not_characters);
	tcase_add_test(tc, test_prefix);
	suite_add_tcase(s, tc);
	tc = tcase_create("callers");
	tcase_add_loop_test(tc, test_json_quote, 0, N(json_cases));
	tcase_add_test(tc, test_console);
	tcase_add_test(tc, test_shown);
	tcase_add_test(tc, test_key_unclosed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(utf8_suite());
}
