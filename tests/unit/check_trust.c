/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_trust.c - unit tests for model/trust.c: TDO lifetime, parsers,
 * display names and domain helpers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/grow.h"
#include "model/trust.h"
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

#define SET(field, value) tu_set_str((field), sizeof(field), (value))

/* The parse failed as malformed input with a sentence. */
static void assert_usage(int rc, const tm_error *e)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(e->cls, TM_EUSAGE);
	ck_assert_ptr_nonnull(e->status);
	ck_assert_str_eq(e->status, ST_INVALID_PARAMETER);
	ck_assert_msg(e->what[0] != '\0', "empty message");
}

static void make_ad(tm_domain *d)
{
	domain_init(d);
	SET(d->name, "corp");
	d->kind = DOMAIN_AD;
	SET(d->dns, "corp.example");
	SET(d->netbios, "CORP");
	d->has_sid = 1;
	d->sid = tu_sid("S-1-5-21-1000-2000-3000");
	SET(d->realm, "CORP.EXAMPLE");
	d->level = LEVEL_2016;
}

static void make_tdo(tm_tdo *t)
{
	tdo_init(t);
	SET(t->partner, "other.example");
	SET(t->flat, "OTHER");
	t->has_sid = 1;
	t->sid = tu_sid("S-1-5-21-7-8-9");
	t->direction = TRUST_DIRECTION_BIDIRECTIONAL;
	t->type = TRUST_TYPE_UPLEVEL;
	t->attributes = TRUST_ATTR_FOREST_TRANSITIVE;
}

static void set_pw(authblob *b, const char *pw)
{
	tm_error e;

	error_clear(&e);
	ck_assert_msg(authblob_set_password(b, pw, 3, authblob_filetime(1700000000),
					    AUTHBLOB_FRESH, &e) == 0, "%s", e.what);
}

static void assert_pw(const authblob *b, const char *want)
{
	char *pw = NULL;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(authblob_get_password(b, 0, &pw, &e), 0);
	ck_assert_str_eq(pw, want);
	free(pw);
}

/* ---- TDO lifetime ---------------------------------------------------------- */

START_TEST(test_tdo_init_free_empty)
{
	tm_tdo t;

	memset(&t, 0x5a, sizeof(t));
	tdo_init(&t);
	ck_assert_str_eq(t.partner, "");
	ck_assert_int_eq(t.has_sid, 0);
	ck_assert_ptr_null(t.ftinfo);
	ck_assert_uint_eq(t.incoming.count, 0);
	tdo_free(&t);
	tdo_free(&t);
	tdo_free(NULL);
	ck_assert_uint_eq(t.outgoing.count, 0);
}
END_TEST

START_TEST(test_tdo_copy_is_deep)
{
	tm_tdo a, b;

	make_tdo(&a);
	set_pw(&a.incoming, "in-secret");
	set_pw(&a.outgoing, "out-secret");
	a.ftinfo = malloc(3);
	ck_assert_ptr_nonnull(a.ftinfo);
	memcpy(a.ftinfo, "\x01\x02\x03", 3);
	a.ftinfo_len = 3;
	ck_assert_int_eq(tdo_copy(&b, &a), 0);
	ck_assert_str_eq(b.partner, "other.example");
	ck_assert_str_eq(b.flat, "OTHER");
	ck_assert(sid_equal(&a.sid, &b.sid));
	ck_assert_ptr_ne(b.ftinfo, a.ftinfo);
	ck_assert_ptr_ne(b.incoming.current[0].data, a.incoming.current[0].data);
	tdo_free(&a);
	ck_assert_uint_eq(b.ftinfo_len, 3);
	ck_assert_int_eq(memcmp(b.ftinfo, "\x01\x02\x03", 3), 0);
	assert_pw(&b.incoming, "in-secret");
	assert_pw(&b.outgoing, "out-secret");
	tdo_free(&b);
	ck_assert_ptr_null(b.ftinfo);
	ck_assert_int_eq(tdo_copy(NULL, &a), -1);
}
END_TEST

START_TEST(test_tdo_free_array_clears_pointer)
{
	tm_tdo *v = calloc(3, sizeof(*v));
	size_t i;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < 3; i++) {
		make_tdo(&v[i]);
		set_pw(&v[i].outgoing, "pw");
	}
	tdo_free_array(&v, 3);
	ck_assert_ptr_null(v);
	tdo_free_array(&v, 3);
	tdo_free_array(NULL, 0);
}
END_TEST

START_TEST(test_tdo_matches)
{
	tm_tdo t;

	make_tdo(&t);
	ck_assert_int_eq(tdo_matches(&t, "other.example"), 1);
	ck_assert_int_eq(tdo_matches(&t, "OTHER.EXAMPLE."), 1);
	ck_assert_int_eq(tdo_matches(&t, "other"), 1);
	ck_assert_int_eq(tdo_matches(&t, "S-1-5-21-7-8-9"), 1);
	ck_assert_int_eq(tdo_matches(&t, "s-1-5-21-7-8-9"), 1);
	ck_assert_int_eq(tdo_matches(&t, "S-1-5-21-7-8-10"), 0);
	ck_assert_int_eq(tdo_matches(&t, "corp.example"), 0);
	ck_assert_int_eq(tdo_matches(&t, ""), 0);
	ck_assert_int_eq(tdo_matches(&t, NULL), 0);
	t.flat[0] = '\0';
	t.has_sid = 0;
	ck_assert_int_eq(tdo_matches(&t, ""), 0);
	ck_assert_int_eq(tdo_matches(&t, "S-1-5-21-7-8-9"), 0);
	tdo_free(&t);
}
END_TEST

/* ---- direction, type, level ------------------------------------------------ */

START_TEST(test_parse_direction_good)
{
	static const struct { const char *in; uint32_t want; } cases[] = {
		{ "inbound", TRUST_DIRECTION_INBOUND }, { "OUTBOUND", TRUST_DIRECTION_OUTBOUND },
		{ "both", 3 }, { "bidirectional", 3 }, { "two-way", 3 }, { " Both ", 3 },
		{ "disabled", 0 }, { "0", 0 }, { "1", 1 }, { "2", 2 }, { "3", 3 }, { "0x2", 2 },
	};
	size_t i;
	uint32_t v;
	tm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 99;
		ck_assert_msg(trust_parse_direction(cases[i].in, &v, &e) == 0, "%s", cases[i].in);
		ck_assert_uint_eq(v, cases[i].want);
	}
}
END_TEST

START_TEST(test_parse_direction_bad)
{
	static const char *const bad[] = { "4", "-1", "sideways", "", "in bound", "0x", "3x" };
	size_t i;
	uint32_t v;
	tm_error e;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error_clear(&e);
		assert_usage(trust_parse_direction(bad[i], &v, &e), &e);
	}
	assert_usage(trust_parse_direction(NULL, &v, &e), &e);
	ck_assert_ptr_nonnull(strstr(e.what, "direction"));
}
END_TEST

START_TEST(test_parse_type)
{
	static const struct { const char *in; uint32_t want; } cases[] = {
		{ "downlevel", 1 }, { "UPLEVEL", 2 }, { "mit", 3 }, { "dce", 4 },
		{ "nt4", 1 }, { "ad", 2 }, { "1", 1 }, { "4", 4 },
	};
	static const char *const bad[] = { "0", "5", "kerberos", "", "2 2" };
	size_t i;
	uint32_t v;
	tm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(trust_parse_type(cases[i].in, &v, &e) == 0, "%s", cases[i].in);
		ck_assert_uint_eq(v, cases[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_usage(trust_parse_type(bad[i], &v, &e), &e);
	ck_assert_ptr_nonnull(strstr(e.what, "2 2"));
}
END_TEST

START_TEST(test_parse_level)
{
	static const struct { const char *in; tm_level want; } cases[] = {
		{ "2000", LEVEL_2000 }, { "2003-interim", LEVEL_2003_MIXED },
		{ "2003", LEVEL_2003 }, { "2008", LEVEL_2008 }, { "2008R2", LEVEL_2008R2 },
		{ "2008r2", LEVEL_2008R2 }, { "2012", LEVEL_2012 }, { "2012R2", LEVEL_2012R2 },
		{ "2016", LEVEL_2016 }, { "2", LEVEL_2003 }, { "7", LEVEL_2016 },
	};
	static const char *const bad[] = { "1999", "8", "", "2019", "20" };
	size_t i;
	tm_level lv;
	tm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(trust_parse_level(cases[i].in, &lv, &e) == 0, "%s", cases[i].in);
		ck_assert_int_eq(lv, cases[i].want);
		ck_assert_int_eq(trust_parse_level(trust_level_name(lv), &lv, &e), 0);
		ck_assert_int_eq(lv, cases[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_usage(trust_parse_level(bad[i], &lv, &e), &e);
	assert_usage(trust_parse_level(NULL, &lv, &e), &e);
}
END_TEST

/* ---- attributes ------------------------------------------------------------ */

START_TEST(test_parse_attributes_good)
{
	static const struct { const char *in; uint32_t want; } cases[] = {
		{ "0x8", 0x8 }, { "8", 0x8 }, { "0", 0 }, { "none", 0 }, { "0x1fff", 0x1fff },
		{ "forest-transitive,quarantined-domain", 0xc },
		{ "FOREST_TRANSITIVE|NON_TRANSITIVE", 0x9 },
		{ "TRUST_ATTRIBUTE_WITHIN_FOREST", 0x20 },
		{ "trust_attribute_treat_as_external", 0x40 },
		{ " forest-transitive , selective-auth ", 0x18 },
		{ "quarantine", TRUST_ATTR_QUARANTINED_DOMAIN },
		{ "selective-auth", TRUST_ATTR_CROSS_ORGANIZATION },
		{ "within-forest", TRUST_ATTR_WITHIN_FOREST },
		{ "non-transitive", TRUST_ATTR_NON_TRANSITIVE },
		{ "treat-as-external", TRUST_ATTR_TREAT_AS_EXTERNAL },
		{ "rc4", TRUST_ATTR_USES_RC4_ENCRYPTION },
		{ "aes", TRUST_ATTR_USES_AES_KEYS },
		{ "uplevel-only", TRUST_ATTR_UPLEVEL_ONLY },
		{ "pim", TRUST_ATTR_PIM_TRUST },
		{ "Cross-Organization-No-TGT-Delegation", TRUST_ATTR_CROSS_ORG_NO_TGT_DELEGATION },
		{ "disable-auth-target-validation|0x1", 0x1001 },
	};
	size_t i;
	uint32_t v;
	tm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		error_clear(&e);
		ck_assert_msg(trust_parse_attributes(cases[i].in, &v, &e) == 0, "%s: %s",
			      cases[i].in, e.what);
		ck_assert_uint_eq(v, cases[i].want);
	}
}
END_TEST

START_TEST(test_parse_attributes_bad)
{
	static const char *const bad[] = {
		"0x2000", "8192", "bogus", "forest-transitive,,quarantine", "", "8x",
		"forest-transitive|", "0x", "-8", "trust_attribute_", "0x100000000",
	};
	size_t i;
	uint32_t v = 0;
	tm_error e;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error_clear(&e);
		assert_usage(trust_parse_attributes(bad[i], &v, &e), &e);
	}
	assert_usage(trust_parse_attributes("forest-transitive|bogus-bit", &v, &e), &e);
	ck_assert_ptr_nonnull(strstr(e.what, "bogus-bit"));
	assert_usage(trust_parse_attributes(NULL, &v, &e), &e);
}
END_TEST

START_TEST(test_format_attributes)
{
	char buf[512], tiny[8];
	uint32_t v, bit;
	tm_error e;

	ck_assert_str_eq(trust_format_attributes(0, buf, sizeof(buf)), "none");
	ck_assert_str_eq(trust_format_attributes(0xc, buf, sizeof(buf)),
			 "quarantined-domain,forest-transitive");
	ck_assert_str_eq(trust_format_attributes(TRUST_ATTR_USES_AES_KEYS, buf, sizeof(buf)),
			 "uses-aes-keys");
	ck_assert_str_eq(trust_format_attributes(0x8 | 0x40000, buf, sizeof(buf)),
			 "forest-transitive,0x40000");
	for (bit = 1; bit <= 0x1000; bit <<= 1) {
		trust_format_attributes(bit, buf, sizeof(buf));
		ck_assert_int_eq(trust_parse_attributes(buf, &v, &e), 0);
		ck_assert_uint_eq(v, bit);
	}
	trust_format_attributes(TRUST_ATTR_ALL, buf, sizeof(buf));
	ck_assert_int_eq(trust_parse_attributes(buf, &v, &e), 0);
	ck_assert_uint_eq(v, TRUST_ATTR_ALL);
	trust_format_attributes(TRUST_ATTR_ALL, tiny, sizeof(tiny));
	ck_assert_uint_lt(strlen(tiny), sizeof(tiny));
}
END_TEST

/* ---- encryption types ------------------------------------------------------- */

START_TEST(test_parse_enctypes)
{
	static const struct { const char *in; uint32_t want; } cases[] = {
		{ "aes", 0x18 }, { "rc4", 0x4 }, { "aes,rc4", 0x1c }, { "aes128", 0x8 },
		{ "aes256", 0x10 }, { "des", 0x3 }, { "0x1c", 0x1c }, { "28", 0x1c },
		{ "AES256|RC4", 0x14 }, { "default", 0 }, { "aes256-cts-hmac-sha1-96", 0x10 },
		{ "arcfour-hmac", 0x4 }, { "des-crc,des-md5", 0x3 },
	};
	static const char *const bad[] = { "aes512", "0x20", "", "aes,", "blowfish", "32" };
	size_t i;
	uint32_t v;
	tm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(trust_parse_enctypes(cases[i].in, &v, &e) == 0, "%s", cases[i].in);
		ck_assert_uint_eq(v, cases[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_usage(trust_parse_enctypes(bad[i], &v, &e), &e);
}
END_TEST

START_TEST(test_format_enctypes)
{
	char buf[128];
	uint32_t v, bits;
	tm_error e;

	ck_assert_str_eq(trust_format_enctypes(0, buf, sizeof(buf)), "default");
	ck_assert_str_eq(trust_format_enctypes(0x1c, buf, sizeof(buf)), "aes128,aes256,rc4");
	ck_assert_str_eq(trust_format_enctypes(0x4, buf, sizeof(buf)), "rc4");
	for (bits = 1; bits <= 0x1f; bits++) {
		trust_format_enctypes(bits, buf, sizeof(buf));
		ck_assert_int_eq(trust_parse_enctypes(buf, &v, &e), 0);
		ck_assert_uint_eq(v, bits);
	}
}
END_TEST

/* ---- display names ----------------------------------------------------- */

START_TEST(test_display_names)
{
	ck_assert_str_eq(trust_direction_name(0), "disabled");
	ck_assert_str_eq(trust_direction_name(1), "inbound");
	ck_assert_str_eq(trust_direction_name(2), "outbound");
	ck_assert_str_eq(trust_direction_name(3), "two-way");
	ck_assert_str_ne(trust_direction_name(7), "");
	ck_assert_str_eq(trust_type_name(1), "downlevel");
	ck_assert_str_eq(trust_type_name(2), "uplevel");
	ck_assert_str_eq(trust_type_name(3), "mit");
	ck_assert_str_eq(trust_type_name(4), "dce");
	ck_assert_str_eq(trust_type_name(9), "unknown");
	ck_assert_str_eq(trust_level_name(LEVEL_2008R2), "2008R2");
	ck_assert_str_eq(trust_level_name(LEVEL_2016), "2016");
	ck_assert_str_eq(trust_kind_name(DOMAIN_AD), "ad");
	ck_assert_str_eq(trust_kind_name(DOMAIN_NT4), "nt4");
	ck_assert_str_eq(trust_kind_name(DOMAIN_MIT), "mit");
	ck_assert_str_eq(trust_health_name(HEALTH_VERIFIED), "verified");
	ck_assert_str_eq(trust_health_name(HEALTH_BROKEN), "broken");
	ck_assert_str_eq(trust_health_name(HEALTH_UNKNOWN), "not verified");
	ck_assert_str_eq(trust_health_name(HEALTH_PENDING_PERMIT), "pending permit");
	ck_assert_str_eq(trust_health_name(HEALTH_PERMITTED), "permitted");
	ck_assert_str_eq(trust_health_name(HEALTH_CHANCE_USED), "one chance used");
}
END_TEST

START_TEST(test_direction_names_round_trip)
{
	uint32_t d, v;
	tm_error e;

	for (d = 0; d <= 3; d++) {
		ck_assert_int_eq(trust_parse_direction(trust_direction_name(d), &v, &e), 0);
		ck_assert_uint_eq(v, d);
		ck_assert_int_eq(trust_parse_type(trust_type_name(d + 1), &v, &e), 0);
		ck_assert_uint_eq(v, d + 1);
	}
}
END_TEST

/* ---- domains ---------------------------------------------------------------- */

START_TEST(test_domain_init_defaults)
{
	tm_domain d;

	memset(&d, 0x77, sizeof(d));
	domain_init(&d);
	ck_assert_str_eq(d.name, "");
	ck_assert_int_eq(d.kind, DOMAIN_AD);
	ck_assert_int_eq(d.has_sid, 0);
	ck_assert_int_eq(d.level, LEVEL_2000);
	ck_assert_int_eq(d.nt_service_pack, -1);
	ck_assert_int_eq(d.lm_compat_level, -1);
}
END_TEST

START_TEST(test_domain_matches)
{
	tm_domain d;

	make_ad(&d);
	ck_assert_int_eq(domain_matches(&d, "corp"), 1);
	ck_assert_int_eq(domain_matches(&d, "Corp.Example"), 1);
	ck_assert_int_eq(domain_matches(&d, "corp.example."), 1);
	ck_assert_int_eq(domain_matches(&d, "CORP"), 1);
	ck_assert_int_eq(domain_matches(&d, "corp.EXAMPLE"), 1);
	ck_assert_int_eq(domain_matches(&d, "S-1-5-21-1000-2000-3000"), 1);
	ck_assert_int_eq(domain_matches(&d, "S-1-5-21-1000-2000-3001"), 0);
	ck_assert_int_eq(domain_matches(&d, "other.example"), 0);
	ck_assert_int_eq(domain_matches(&d, ""), 0);
	ck_assert_int_eq(domain_matches(&d, NULL), 0);
	SET(d.realm, "KRB.CORP");
	ck_assert_int_eq(domain_matches(&d, "krb.corp"), 1);
	d.netbios[0] = '\0';
	ck_assert_int_eq(domain_matches(&d, ""), 0);
}
END_TEST

START_TEST(test_domain_partner_name_and_forest)
{
	tm_domain d;

	make_ad(&d);
	ck_assert_str_eq(domain_partner_name(&d), "corp.example");
	ck_assert_str_eq(domain_forest(&d), "corp.example");
	SET(d.forest, "root.example");
	ck_assert_str_eq(domain_forest(&d), "root.example");
	d.kind = DOMAIN_NT4;
	ck_assert_str_eq(domain_partner_name(&d), "CORP");
	d.kind = DOMAIN_MIT;
	ck_assert_str_eq(domain_partner_name(&d), "CORP.EXAMPLE");
	d.kind = DOMAIN_NT4;
	d.dns[0] = '\0';
	d.forest[0] = '\0';
	ck_assert_str_eq(domain_forest(&d), "CORP");
}
END_TEST

static void assert_invalid_domain(const tm_domain *d, const char *status)
{
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(domain_validate(d, &e), -1);
	ck_assert_ptr_nonnull(e.status);
	ck_assert_str_eq(e.status, status);
	ck_assert_msg(e.what[0] != '\0', "empty message");
}

START_TEST(test_domain_validate_ad)
{
	tm_domain d;
	tm_error e;

	make_ad(&d);
	error_clear(&e);
	ck_assert_msg(domain_validate(&d, &e) == 0, "%s", e.what);
	d.dns[0] = '\0';
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	SET(d.dns, "bad..example");
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	SET(d.netbios, "ABCDEFGHIJKLMNOP");
	assert_invalid_domain(&d, ST_OBJECT_NAME_INVALID);
	make_ad(&d);
	d.has_sid = 0;
	assert_invalid_domain(&d, ST_INVALID_SID);
	make_ad(&d);
	d.sid = tu_sid("S-1-5-32");
	assert_invalid_domain(&d, ST_INVALID_SID);
	make_ad(&d);
	d.realm[0] = '\0';
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	SET(d.forest, "not a dns name");
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_domain_validate_nt4_mit)
{
	tm_domain d;
	tm_error e;

	make_ad(&d);
	d.kind = DOMAIN_NT4;
	d.dns[0] = '\0';
	d.realm[0] = '\0';
	d.nt_service_pack = 6;
	d.lm_compat_level = 4;
	ck_assert_msg(domain_validate(&d, &e) == 0, "%s", e.what);
	d.has_sid = 0;
	assert_invalid_domain(&d, ST_INVALID_SID);
	d.has_sid = 1;
	d.netbios[0] = '\0';
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);

	domain_init(&d);
	SET(d.name, "mitrealm");
	d.kind = DOMAIN_MIT;
	SET(d.realm, "EXAMPLE.ORG");
	ck_assert_msg(domain_validate(&d, &e) == 0, "%s", e.what);
	d.realm[0] = '\0';
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	SET(d.realm, "BAD REALM");
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_domain_validate_misc)
{
	tm_domain d;

	make_ad(&d);
	d.level = (tm_level)8;
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	d.kind = (tm_kind)7;
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	d.name[0] = '\0';
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	SET(d.name, "../etc");
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	SET(d.name, "a b");
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	d.nt_service_pack = 9;
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	make_ad(&d);
	d.lm_compat_level = 6;
	assert_invalid_domain(&d, ST_INVALID_PARAMETER);
	assert_invalid_domain(NULL, ST_INVALID_PARAMETER);
}
END_TEST

/* The growth helper the model's arrays share: room kept, doubling, the
 * contents kept, and an overflow refused with the array left as it was. */
START_TEST(test_grow_array)
{
	size_t cap = 0, i;
	int *v = NULL, *w;

	v = grow_array(v, &cap, 1, sizeof(*v), 4);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, 4);
	for (i = 0; i < 4; i++)
		v[i] = (int)i;
	ck_assert_ptr_eq(grow_array(v, &cap, 4, sizeof(*v), 4), v);
	ck_assert_uint_eq(cap, 4);
	v = grow_array(v, &cap, 9, sizeof(*v), 4);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, 16);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(v[i], (int)i);
	w = grow_array(v, &cap, SIZE_MAX / 2, sizeof(*v), 4);
	ck_assert_ptr_null(w);
	ck_assert_uint_eq(cap, 16);
	ck_assert_int_eq(v[3], 3);
	free(v);
}
END_TEST

static Suite *trust_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("tdo");

	tcase_add_test(tc, test_tdo_init_free_empty);
	tcase_add_test(tc, test_tdo_copy_is_deep);
	tcase_add_test(tc, test_tdo_free_array_clears_pointer);
	tcase_add_test(tc, test_tdo_matches);
	tcase_add_test(tc, test_grow_array);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_direction_good);
	tcase_add_test(tc, test_parse_direction_bad);
	tcase_add_test(tc, test_parse_type);
	tcase_add_test(tc, test_parse_level);
	tcase_add_test(tc, test_parse_attributes_good);
	tcase_add_test(tc, test_parse_attributes_bad);
	tcase_add_test(tc, test_format_attributes);
	tcase_add_test(tc, test_parse_enctypes);
	tcase_add_test(tc, test_format_enctypes);
	tcase_add_test(tc, test_display_names);
	tcase_add_test(tc, test_direction_names_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("domain");
	tcase_add_test(tc, test_domain_init_defaults);
	tcase_add_test(tc, test_domain_matches);
	tcase_add_test(tc, test_domain_partner_name_and_forest);
	tcase_add_test(tc, test_domain_validate_ad);
	tcase_add_test(tc, test_domain_validate_nt4_mit);
	tcase_add_test(tc, test_domain_validate_misc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(trust_suite());
}
