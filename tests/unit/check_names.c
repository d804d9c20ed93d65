/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_names.c - unit tests for model/names.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/name.h"
#include "tests/unit/testutil.h"

/* Expect a refusal with the given NTSTATUS name and a message. */
#define CK_REFUSED(call, e, st, label)                                          \
	do {                                                                    \
		error_clear(&(e));                                           \
		ck_assert_msg((call) == -1, "accepted: %s", (label));           \
		ck_assert_msg((e).status && strcmp((e).status, (st)) == 0,      \
			      "%s: status %s, want %s", (label),                \
			      (e).status ? (e).status : "(null)", (st));        \
		ck_assert_int_eq((e).cls, TM_EREFUSED);                         \
		ck_assert_msg(strlen((e).what) > 10, "no message: %s", (label)); \
	} while (0)

/* ---- NetBIOS ---- */

static const char *const nb_ok[] = {
	"CORP",
	"A",
	"ABCDEFGHIJKLMNO",                             /* 15 characters */
	"corp-dom_1",
	"MY DOMAIN",
	".A",
	"A.B",
	"A...",
	"BUILTIN2",
	"XBUILTIN",
	"M\xc3\x9c" "NCHEN",                           /* MÜNCHEN: 7 characters, 8 bytes */
	"M\xc3\x9c" "NCHEN-ABCDEFG",                   /* 15 characters, 16 bytes */
	"\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84"
	"\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84",   /* 15 x Ä */
	"\xe6\x97\xa5\xe6\x9c\xac",                    /* 日本 */
	"\xf0\x9f\x98\x80",                            /* U+1F600, 4 bytes */
	"ABC#$%&'()+,;=@",
};

START_TEST(test_nb_ok)
{
	tm_error e;

	error_clear(&e);
	ck_assert_msg(name_check_netbios(nb_ok[_i], &e) == 0, "\"%s\": %s", nb_ok[_i], e.what);
	ck_assert_ptr_eq(e.status, NULL);
}
END_TEST

static const char *const nb_too_long[] = {
	"ABCDEFGHIJKLMNOP",                            /* 16 characters */
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"M\xc3\x9c" "NCHEN-ABCDEFGH",                  /* 16 characters, 17 bytes */
	"\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84"
	"\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84\xc3\x84", /* 16 x Ä */
	"................",                            /* 16 dots: length first */
	"ABCDEFGHIJKLMN:P",                            /* too long and a bad char */
};

START_TEST(test_nb_too_long)
{
	tm_error e;

	CK_REFUSED(name_check_netbios(nb_too_long[_i], &e), e, ST_OBJECT_NAME_INVALID,
		   nb_too_long[_i]);
	ck_assert_ptr_nonnull(strstr(e.what, "longer than 15"));
}
END_TEST

/* Each forbidden character, at the start, middle and end of a name. */
START_TEST(test_nb_forbidden_chars)
{
	static const char bad[] = "\\/:*?\"<>|";
	char name[8], want[8];
	tm_error e;
	int pos;

	for (pos = 0; pos < 3; pos++) {
		strcpy(name, "ABCD");
		name[pos == 0 ? 0 : pos == 1 ? 2 : 3] = bad[_i];
		CK_REFUSED(name_check_netbios(name, &e), e, ST_INVALID_PARAMETER, name);
		snprintf(want, sizeof(want), "'%c'", bad[_i]);
		ck_assert_msg(strstr(e.what, want) != NULL, "%s", e.what);
	}
}
END_TEST

static const char *const nb_invalid[] = {
	"",
	".",
	"..",
	"...............",                             /* 15 dots */
	"BUILTIN",
	"builtin",
	"BuiltIn",
	"A\tB",                                        /* control characters */
	"A\nB",
	"A\x1f",
	"\x7f",
	"A\xc2\x85",                                   /* U+0085, a C1 control */
	"\xff",                                        /* invalid UTF-8 */
	"A\200B",                                      /* stray continuation byte */
	"\xc3",                                        /* truncated sequence */
	"AB\xe6\x97",
	"\xc0\xaf",                                    /* overlong '/' */
	"\xe0\x80\xaf",
	"\xed\xa0\x80",                                /* UTF-16 surrogate */
	"\xf4\x90\x80\x80",                            /* above U+10FFFF */
	"\xf8\x88\x80\x80\x80",
};

START_TEST(test_nb_invalid)
{
	tm_error e;

	CK_REFUSED(name_check_netbios(nb_invalid[_i], &e), e, ST_INVALID_PARAMETER,
		   nb_invalid[_i]);
}
END_TEST

START_TEST(test_nb_messages)
{
	tm_error e;

	ck_assert_int_eq(name_check_netbios(NULL, &e), -1);
	ck_assert_str_eq(e.status, ST_INVALID_PARAMETER);
	ck_assert_int_eq(name_check_netbios("...", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "dots"));
	ck_assert_int_eq(name_check_netbios("builtin", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "BUILTIN"));
	ck_assert_int_eq(name_check_netbios("A\xff", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "UTF-8"));
	ck_assert_int_eq(name_check_netbios("A\tB", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "control"));
	ck_assert_int_eq(name_check_netbios("ABCDEFGHIJKLMNOP", NULL), -1);
}
END_TEST

/* ---- NetBIOS names and UTF-8 (model/utf8.c decides) ---- */

/* Each invalid form is refused as "not valid UTF-8" before its length or
 * its characters are looked at. */
static const char *const nb_not_utf8[] = {
	"\xc1\xbf",                                    /* overlong U+007F */
	"\xe0\x9f\xbf",                                /* overlong U+07FF */
	"\xf0\x8f\xbf\xbf",                            /* overlong U+FFFF */
	"\xed\xbf\xbf",                                /* surrogate U+DFFF */
	"\xf5\x80\x80\x80",                            /* above U+10FFFF */
	"AB\xf0\x9f\x98",                              /* truncated at the end */
	"\xbf" "ABC",                                  /* continuation byte alone */
	"ABCDEFGHIJKLMNOPQRS\xff",                     /* too long as well */
	"A:B\xc3",                                     /* a bad character as well */
};

START_TEST(test_nb_not_utf8)
{
	tm_error e;

	CK_REFUSED(name_check_netbios(nb_not_utf8[_i], &e), e, ST_INVALID_PARAMETER,
		   nb_not_utf8[_i]);
	ck_assert_msg(strstr(e.what, "not valid UTF-8") != NULL, "%s", e.what);
}
END_TEST

/* The limit counts characters of every length, up to U+10FFFF. */
START_TEST(test_nb_utf8_count)
{
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(name_check_netbios("\xf4\x8f\xbf\xbf", &e), 0);       /* U+10FFFF */
	ck_assert_int_eq(name_check_netbios("\xef\xbf\xbf", &e), 0);           /* U+FFFF */
	ck_assert_int_eq(name_check_netbios("\xc2\xa0", &e), 0);               /* U+00A0 */
	ck_assert_int_eq(name_check_netbios("\xee\x80\x80" "ABCDEFGHIJKLMN", &e), 0);
	CK_REFUSED(name_check_netbios("\xee\x80\x80" "ABCDEFGHIJKLMNO", &e), e,
		   ST_OBJECT_NAME_INVALID, "16 characters");
	CK_REFUSED(name_check_netbios("A\xc2\x9f", &e), e, ST_INVALID_PARAMETER, "U+009F");
	ck_assert_ptr_nonnull(strstr(e.what, "control"));
}
END_TEST

/* ---- DNS ---- */

/* A name of total length n made of labels of up to 63 characters. */
static char *dns_of_length(size_t n)
{
	char *s = malloc(n + 2);
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		s[i] = (i % 64 == 63) ? '.' : (char)('a' + i % 26);
	if (s[n - 1] == '.')
		s[n - 1] = 'z';
	s[n] = '\0';
	return s;
}

static char *label_of_length(size_t n, const char *suffix)
{
	char *s = malloc(n + strlen(suffix) + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	strcpy(s + n, suffix);
	return s;
}

static const char *const dns_ok[] = {
	"corp.example",
	"CORP.EXAMPLE",
	"a",
	"corp",
	"corp.example.",
	"a-b.c-d.example",
	"a--b.example",
	"1corp.example",
	"123.456",
	"xn--mnchen-3ya.de",
	"a.b.c.d.e.f.g",
};

START_TEST(test_dns_ok)
{
	tm_error e;

	error_clear(&e);
	ck_assert_msg(name_check_dns(dns_ok[_i], &e) == 0, "\"%s\": %s", dns_ok[_i], e.what);
}
END_TEST

static const char *const dns_bad[] = {
	"",
	".",
	"..",
	".corp.example",
	"corp..example",
	"corp.example..",
	"-corp.example",
	"corp-.example",
	"corp.-example",
	"corp.example-",
	"-",
	"my_corp.example",
	"_ldap._tcp.corp.example",
	"corp example",
	"corp.ex\xc3\xa4mple",
	"corp/example",
	"corp@example",
	"corp.example\n",
	" corp.example",
	"corp.example ",
	"corp*.example",
};

START_TEST(test_dns_bad)
{
	tm_error e;

	CK_REFUSED(name_check_dns(dns_bad[_i], &e), e, ST_INVALID_PARAMETER, dns_bad[_i]);
}
END_TEST

START_TEST(test_dns_label_63_64)
{
	char *l63 = label_of_length(63, ".example");
	char *l64 = label_of_length(64, ".example");
	char *last64 = label_of_length(64, "");
	tm_error e;

	ck_assert_int_eq(name_check_dns(l63, &e), 0);
	CK_REFUSED(name_check_dns(l64, &e), e, ST_INVALID_PARAMETER, "64-char label");
	ck_assert_ptr_nonnull(strstr(e.what, "longer than 63"));
	CK_REFUSED(name_check_dns(last64, &e), e, ST_INVALID_PARAMETER, "64-char name");
	free(l63);
	free(l64);
	free(last64);
}
END_TEST

START_TEST(test_dns_total_253_254)
{
	char *n253 = dns_of_length(253), *n254 = dns_of_length(254);
	char with_dot[260];
	tm_error e;

	ck_assert_uint_eq(strlen(n253), 253);
	ck_assert_int_eq(name_check_dns(n253, &e), 0);
	snprintf(with_dot, sizeof(with_dot), "%s.", n253);
	ck_assert_int_eq(name_check_dns(with_dot, &e), 0);    /* 254 bytes with the dot */
	CK_REFUSED(name_check_dns(n254, &e), e, ST_INVALID_PARAMETER, "254 characters");
	ck_assert_ptr_nonnull(strstr(e.what, "253"));
	snprintf(with_dot, sizeof(with_dot), "%s.", n254);
	CK_REFUSED(name_check_dns(with_dot, &e), e, ST_INVALID_PARAMETER, "254 + dot");
	free(n253);
	free(n254);
}
END_TEST

START_TEST(test_dns_messages)
{
	tm_error e;

	ck_assert_int_eq(name_check_dns("corp.-bad-.example", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "\"-bad-\""));
	ck_assert_ptr_nonnull(strstr(e.what, "hyphen"));
	ck_assert_int_eq(name_check_dns("my_corp.example", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "\"my_corp\""));
	ck_assert_int_eq(name_check_dns("corp..example", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "empty label"));
	ck_assert_int_eq(name_check_dns(NULL, &e), -1);
	ck_assert_str_eq(e.status, ST_INVALID_PARAMETER);
	ck_assert_int_eq(name_check_dns("a..b", NULL), -1);
}
END_TEST

/* ---- realms ---- */

START_TEST(test_realm)
{
	char *r253 = label_of_length(253, ""), *r254 = label_of_length(254, "");
	tm_error e;

	ck_assert_int_eq(name_check_realm("CORP.EXAMPLE", &e), 0);
	ck_assert_int_eq(name_check_realm("corp", &e), 0);
	ck_assert_int_eq(name_check_realm("A_B.C-D:88", &e), 0);
	ck_assert_int_eq(name_check_realm(r253, &e), 0);
	CK_REFUSED(name_check_realm(r254, &e), e, ST_INVALID_PARAMETER, "254");
	CK_REFUSED(name_check_realm("", &e), e, ST_INVALID_PARAMETER, "empty");
	CK_REFUSED(name_check_realm(NULL, &e), e, ST_INVALID_PARAMETER, "NULL");
	CK_REFUSED(name_check_realm("CORP EXAMPLE", &e), e, ST_INVALID_PARAMETER, "space");
	CK_REFUSED(name_check_realm("CORP/EXAMPLE", &e), e, ST_INVALID_PARAMETER, "slash");
	CK_REFUSED(name_check_realm("CORP@EXAMPLE", &e), e, ST_INVALID_PARAMETER, "at");
	CK_REFUSED(name_check_realm("CORP\tX", &e), e, ST_INVALID_PARAMETER, "tab");
	CK_REFUSED(name_check_realm("M\xc3\x9c" "NCHEN", &e), e, ST_INVALID_PARAMETER, "UTF-8");
	CK_REFUSED(name_check_realm("CORP\x7f", &e), e, ST_INVALID_PARAMETER, "DEL");
	free(r253);
	free(r254);
}
END_TEST

/* ---- comparison and case ---- */

START_TEST(test_equal)
{
	ck_assert_int_eq(name_equal("corp.example", "CORP.EXAMPLE"), 1);
	ck_assert_int_eq(name_equal("corp.example.", "Corp.Example"), 1);
	ck_assert_int_eq(name_equal("corp.example", "corp.example."), 1);
	ck_assert_int_eq(name_equal("corp.example.", "corp.example."), 1);
	ck_assert_int_eq(name_equal("corp.example..", "corp.example"), 0);
	ck_assert_int_eq(name_equal("corp", "corp.example"), 0);
	ck_assert_int_eq(name_equal("corp.example", "corp"), 0);
	ck_assert_int_eq(name_equal("a", "b"), 0);
	ck_assert_int_eq(name_equal("", ""), 1);
	ck_assert_int_eq(name_equal("", "."), 1);
	ck_assert_int_eq(name_equal("M\xc3\x9c" "NCHEN", "m\xc3\x9c" "nchen"), 1);
	ck_assert_int_eq(name_equal("M\xc3\x9c" "NCHEN", "M\xc3\xbc" "NCHEN"), 0);
	ck_assert_int_eq(name_equal("[", "{"), 0);     /* 0x5b vs 0x7b: not letters */
	ck_assert_int_eq(name_equal("@", "`"), 0);
	ck_assert_int_eq(name_equal(NULL, "a"), 0);
	ck_assert_int_eq(name_equal("a", NULL), 0);
}
END_TEST

START_TEST(test_upper_lower)
{
	char buf[32];

	name_upper(buf, "corp.Example-1", sizeof(buf));
	ck_assert_str_eq(buf, "CORP.EXAMPLE-1");
	name_lower(buf, "CORP.Example-1", sizeof(buf));
	ck_assert_str_eq(buf, "corp.example-1");
	name_upper(buf, "m\xc3\xbcnchen", sizeof(buf));         /* ü stays */
	ck_assert_str_eq(buf, "M\xc3\xbcNCHEN");
	name_lower(buf, "M\xc3\x9cNCHEN", sizeof(buf));
	ck_assert_str_eq(buf, "m\xc3\x9cnchen");
	name_upper(buf, "abcdef", 4);
	ck_assert_str_eq(buf, "ABC");
	name_upper(buf, "a\xc3\xbc" "b", 3);                     /* no half character */
	ck_assert_str_eq(buf, "A");
	name_upper(buf, "a\xc3\xbc" "b", 4);
	ck_assert_str_eq(buf, "A\xc3\xbc");
	name_lower(buf, "\xf0\x9f\x98\x80", 4);
	ck_assert_str_eq(buf, "");
	name_lower(buf, "abc", 1);
	ck_assert_str_eq(buf, "");
	buf[0] = 'q';
	name_upper(buf, "abc", 0);
	ck_assert_int_eq(buf[0], 'q');
	name_upper(buf, NULL, sizeof(buf));
	ck_assert_str_eq(buf, "");
	name_upper(NULL, "abc", 4);
}
END_TEST

/* ---- DNS name to DN ---- */

START_TEST(test_dns_to_dn)
{
	char buf[64];

	ck_assert_int_eq(name_dns_to_dn("corp.example", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dc=corp,dc=example");
	ck_assert_int_eq(name_dns_to_dn("corp.example.", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dc=corp,dc=example");
	ck_assert_int_eq(name_dns_to_dn("a.B.c", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dc=a,dc=B,dc=c");
	ck_assert_int_eq(name_dns_to_dn("a", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "dc=a");
	ck_assert_int_eq(name_dns_to_dn("a", buf, 5), 0);      /* exact fit */
	ck_assert_str_eq(buf, "dc=a");
	ck_assert_int_eq(name_dns_to_dn("a", buf, 4), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(name_dns_to_dn("corp.example", buf, 18), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(name_dns_to_dn("corp.example", buf, 19), 0);
	ck_assert_int_eq(name_dns_to_dn("corp..example", buf, sizeof(buf)), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(name_dns_to_dn("a,b.example", buf, sizeof(buf)), -1);
	ck_assert_int_eq(name_dns_to_dn("a=b", buf, sizeof(buf)), -1);
	ck_assert_int_eq(name_dns_to_dn(NULL, buf, sizeof(buf)), -1);
	ck_assert_int_eq(name_dns_to_dn("a", NULL, 10), -1);
	ck_assert_int_eq(name_dns_to_dn("a", buf, 0), -1);
}
END_TEST

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("netbios");

	tcase_add_loop_test(tc, test_nb_ok, 0, N(nb_ok));
	tcase_add_loop_test(tc, test_nb_too_long, 0, N(nb_too_long));
	tcase_add_loop_test(tc, test_nb_forbidden_chars, 0, 9);
	tcase_add_loop_test(tc, test_nb_invalid, 0, N(nb_invalid));
	tcase_add_test(tc, test_nb_messages);
	tcase_add_loop_test(tc, test_nb_not_utf8, 0, N(nb_not_utf8));
	tcase_add_test(tc, test_nb_utf8_count);
	suite_add_tcase(s, tc);
	tc = tcase_create("dns");
	tcase_add_loop_test(tc, test_dns_ok, 0, N(dns_ok));
	tcase_add_loop_test(tc, test_dns_bad, 0, N(dns_bad));
	tcase_add_test(tc, test_dns_label_63_64);
	tcase_add_test(tc, test_dns_total_253_254);
	tcase_add_test(tc, test_dns_messages);
	tcase_add_test(tc, test_realm);
	suite_add_tcase(s, tc);
	tc = tcase_create("compare");
	tcase_add_test(tc, test_equal);
	tcase_add_test(tc, test_upper_lower);
	tcase_add_test(tc, test_dns_to_dn);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(names_suite());
}
