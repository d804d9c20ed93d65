/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_authblob.c - unit tests for model/authblob.c (MS-ADTS 6.1.6.9.1). */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/authblob.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"

#define T0 UINT64_C(0x01d0000000000000)
#define T1 UINT64_C(0x01d1000000000000)
#define T2 UINT64_C(0x01d2000000000000)

/* docs/RULES.md, "Test vector": CLEAR "abc", current only, 36 bytes. */
static const char VECTOR[] =
	"01000000 0c000000 24000000 00000000 0000d001 02000000 06000000 61006200 63000000";

/* set_password("abc", kvno 7, T0, FRESH): both sides [CLEAR, VERSION]. */
static const char FRESH[] =
	"02000000 0c000000 38000000"
	" 00000000 0000d001 02000000 06000000 61006200 63000000"
	" 00000000 0000d001 03000000 04000000 07000000"
	" 00000000 0000d001 02000000 06000000 61006200 63000000"
	" 00000000 0000d001 03000000 04000000 07000000";
#define FRESH_LEN 100
#define FRESH_PREV 56

static int blob_is_empty(const authblob *b)
{
	int i;

	if (b->count != 0 || b->has_previous != 0)
		return 0;
	for (i = 0; i < AUTHBLOB_MAX; i++)
		if (b->current[i].data || b->previous[i].data)
			return 0;
	return 1;
}

/* Decoding must fail with a clear message and leave out empty. */
static void expect_corrupt(const uint8_t *buf, size_t len, const char *label)
{
	authblob b;
	tm_error e;

	error_clear(&e);
	memset(&b, 0x5a, sizeof(b));
	ck_assert_msg(authblob_decode(buf, len, &b, &e) == -1, "accepted: %s", label);
	ck_assert_msg(e.status && strcmp(e.status, ST_INTERNAL_DB_CORRUPTION) == 0,
		      "%s: wrong status", label);
	ck_assert_msg(strstr(e.what, "damaged") != NULL, "%s: \"%s\"", label, e.what);
	ck_assert_msg(strlen(e.next) > 0, "%s: no hint", label);
	ck_assert_msg(blob_is_empty(&b), "%s: out not left empty", label);
}

/* Decode, then check that encoding reproduces buf byte for byte. */
static void decode_ok(const uint8_t *buf, size_t len, authblob *b)
{
	tm_error e;
	uint8_t *out;
	size_t outlen;

	error_clear(&e);
	ck_assert_msg(authblob_decode(buf, len, b, &e) == 0, "%s", e.what);
	ck_assert_int_eq(authblob_encode(b, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, len);
	ck_assert_mem_eq(out, buf, len);
	free(out);
}

static void set_pw(authblob *b, const char *pw, uint32_t kvno, uint64_t ft, authblob_mode m)
{
	tm_error e;

	error_clear(&e);
	ck_assert_msg(authblob_set_password(b, pw, kvno, ft, m, &e) == 0, "%s", e.what);
}

static void assert_pw(const authblob *b, int which, const char *want)
{
	char *pw = NULL;
	tm_error e;

	ck_assert_int_eq(authblob_get_password(b, which, &pw, &e), 0);
	ck_assert_str_eq(pw, want);
	free(pw);
}

/* ---- the test vector ---- */

START_TEST(test_vector_decode)
{
	uint8_t buf[64];
	size_t n = tu_hex(VECTOR, buf, sizeof(buf));
	authblob b;
	char *pw = NULL;

	ck_assert_uint_eq(n, 36);
	decode_ok(buf, n, &b);
	ck_assert_uint_eq(b.count, 1);
	ck_assert_int_eq(b.has_previous, 0);
	ck_assert_uint_eq(b.current[0].last_update, T0);
	ck_assert_uint_eq(b.current[0].type, TRUST_AUTH_TYPE_CLEAR);
	ck_assert_uint_eq(b.current[0].len, 6);
	ck_assert_mem_eq(b.current[0].data, "a\0b\0c\0", 6);
	ck_assert_ptr_null(b.previous[0].data);
	assert_pw(&b, 0, "abc");
	ck_assert_int_eq(authblob_get_password(&b, 1, &pw, NULL), 1);
	ck_assert_ptr_null(pw);
	ck_assert_uint_eq(authblob_kvno(&b, 0), 0);
	ck_assert_uint_eq(authblob_kvno(&b, 1), 0);
	ck_assert_uint_eq(authblob_time(&b), T0);
	ck_assert_int_eq(authblob_previous_equals_current(&b), 0);
	authblob_free(&b);
	ck_assert(blob_is_empty(&b));
}
END_TEST

START_TEST(test_vector_encode)
{
	uint8_t want[64], *out = NULL, data[6] = { 'a', 0, 'b', 0, 'c', 0 };
	size_t n = tu_hex(VECTOR, want, sizeof(want)), outlen = 0;
	authblob b;

	memset(&b, 0, sizeof(b));
	b.count = 1;
	b.has_previous = 0;
	b.current[0].last_update = T0;
	b.current[0].type = TRUST_AUTH_TYPE_CLEAR;
	b.current[0].len = 6;
	b.current[0].data = data;
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, 36);
	ck_assert_mem_eq(out, want, n);
	free(out);
}
END_TEST

START_TEST(test_empty_blob)
{
	authblob b;
	uint8_t *out = NULL, zero[12] = { 0 };
	size_t outlen = 0;
	char *pw = NULL;

	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, 12);
	ck_assert_mem_eq(out, zero, 12);
	free(out);
	b.has_previous = 1;                 /* count 0 wins */
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, 12);
	free(out);
	decode_ok(zero, sizeof(zero), &b);
	ck_assert_uint_eq(b.count, 0);
	ck_assert_int_eq(b.has_previous, 0);
	ck_assert_uint_eq(authblob_time(&b), 0);
	ck_assert_int_eq(authblob_get_password(&b, 0, &pw, NULL), 1);
	ck_assert_ptr_null(pw);
	authblob_free(&b);
}
END_TEST

START_TEST(test_fresh_bytes)
{
	uint8_t want[128], *out;
	size_t n = tu_hex(FRESH, want, sizeof(want)), outlen;
	authblob b;

	ck_assert_uint_eq(n, FRESH_LEN);
	memset(&b, 0, sizeof(b));
	set_pw(&b, "abc", 7, T0, AUTHBLOB_FRESH);
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, FRESH_LEN);
	ck_assert_mem_eq(out, want, FRESH_LEN);
	free(out);
	authblob_free(&b);
	decode_ok(want, n, &b);
	ck_assert_int_eq(b.has_previous, 1);
	ck_assert_uint_eq(authblob_kvno(&b, 1), 7);
	assert_pw(&b, 1, "abc");
	authblob_free(&b);
}
END_TEST

/* ---- malformed blobs ---- */

/* Every prefix of the test vector is refused. */
START_TEST(test_truncated_vector)
{
	uint8_t buf[64];
	size_t n = tu_hex(VECTOR, buf, sizeof(buf)), len;
	char label[48];

	for (len = 0; len < n; len++) {
		snprintf(label, sizeof(label), "vector[0..%zu)", len);
		expect_corrupt(buf, len, label);
	}
	expect_corrupt(NULL, 0, "NULL");
}
END_TEST

/* Every prefix of a two-sided blob is refused, except the prefix that ends
 * exactly at previous_offset: that is a well-formed current-only blob (the
 * test vector's own shape) and decodes with has_previous = 0. */
START_TEST(test_truncated_fresh)
{
	uint8_t buf[128];
	size_t n = tu_hex(FRESH, buf, sizeof(buf)), len;
	char label[48];
	authblob b;

	for (len = 0; len < n; len++) {
		if (len == FRESH_PREV)
			continue;
		snprintf(label, sizeof(label), "fresh[0..%zu)", len);
		expect_corrupt(buf, len, label);
	}
	decode_ok(buf, FRESH_PREV, &b);
	ck_assert_int_eq(b.has_previous, 0);
	ck_assert_uint_eq(b.count, 2);
	authblob_free(&b);
}
END_TEST

typedef struct mutation {
	const char *label;
	int fresh;                 /* base: 0 vector, 1 FRESH */
	int off;                   /* where to write value, -1 for none */
	uint32_t value;
	int width;                 /* 4 = uint32, 1 = one byte */
	int extra;                 /* bytes appended ... */
	uint8_t fill;              /* ... with this value */
	const char *needle;        /* expected in the message */
} mutation;

static const mutation mutations[] = {
	{ "count 2, one entry", 0, 0, 2, 4, 0, 0, "cut short" },
	{ "count 1, two entries", 1, 0, 1, 4, 0, 0, "count mismatch" },
	{ "count 3, two entries", 1, 0, 3, 4, 0, 0, "cut short" },
	{ "count 5", 0, 0, 5, 4, 0, 0, "at most 4" },
	{ "count 0xffffffff", 0, 0, 0xffffffffu, 4, 0, 0, "at most 4" },
	{ "count 0 with offsets", 0, 0, 0, 4, 0, 0, "offsets" },
	{ "current_offset 0", 0, 4, 0, 4, 0, 0, "offset 12" },
	{ "current_offset 13", 0, 4, 13, 4, 0, 0, "offset 12" },
	{ "current_offset 16", 1, 4, 16, 4, 0, 0, "offset 12" },
	{ "current_offset 0xffffffff", 0, 4, 0xffffffffu, 4, 0, 0, "offset 12" },
	{ "previous_offset 0", 0, 8, 0, 4, 0, 0, "outside" },
	{ "previous_offset 11", 0, 8, 11, 4, 0, 0, "outside" },
	{ "previous_offset 12", 0, 8, 12, 4, 0, 0, "cut short" },
	{ "previous_offset 37", 0, 8, 37, 4, 0, 0, "outside" },
	{ "previous_offset 0xffffffff", 0, 8, 0xffffffffu, 4, 0, 0, "outside" },
	{ "previous_offset inside an entry", 1, 8, 52, 4, 0, 0, "remain" },
	{ "previous_offset past current", 1, 8, 60, 4, 0, 0, "count mismatch" },
	{ "previous_offset 101", 1, 8, 101, 4, 0, 0, "outside" },
	{ "AuthType 4", 0, 20, 4, 4, 0, 0, "unknown AuthType" },
	{ "AuthType 0xffffffff", 0, 20, 0xffffffffu, 4, 0, 0, "unknown AuthType" },
	{ "previous AuthType 9", 1, 64, 9, 4, 0, 0, "unknown AuthType" },
	{ "CLEAR length 5", 0, 24, 5, 4, 0, 0, "odd length" },
	{ "CLEAR length 10 overruns", 0, 24, 10, 4, 0, 0, "remain" },
	{ "CLEAR length 4098", 0, 24, 4098, 4, 0, 0, "4096" },
	{ "CLEAR length 0xffffffff", 0, 24, 0xffffffffu, 4, 0, 0, "4096" },
	{ "CLEAR length 0xfffffffe", 0, 24, 0xfffffffeu, 4, 0, 0, "4096" },
	{ "VERSION length 3", 1, 48, 3, 4, 0, 0, "VERSION" },
	{ "VERSION length 8", 1, 48, 8, 4, 0, 0, "VERSION" },
	{ "previous VERSION length 5", 1, 92, 5, 4, 0, 0, "VERSION" },
	{ "current VERSION as NT4OWF", 1, 44, 1, 4, 0, 0, "NT4OWF" },
	{ "VERSION as NONE", 1, 44, 0, 4, 0, 0, "NONE" },
	{ "non-zero padding", 0, 34, 1, 1, 0, 0, "padding" },
	{ "non-zero last padding byte", 0, 35, 0x80, 1, 0, 0, "padding" },
	{ "non-zero padding, previous", 1, 78, 0xff, 1, 0, 0, "padding" },
	{ "vector + 4 bytes", 0, -1, 0, 0, 4, 0, "cut short" },
	{ "vector + 16 bytes of 0xff", 0, -1, 0, 0, 16, 0xff, "unknown AuthType" },
	{ "fresh + 1 byte", 1, -1, 0, 0, 1, 0, "trailing garbage" },
	{ "fresh + 4 bytes", 1, -1, 0, 0, 4, 0, "trailing garbage" },
};
#define NMUT (int)(sizeof(mutations) / sizeof(mutations[0]))

START_TEST(test_mutations)
{
	const mutation *m = &mutations[_i];
	uint8_t buf[160];
	size_t n = tu_hex(m->fresh ? FRESH : VECTOR, buf, sizeof(buf));
	authblob b;
	tm_error e;

	if (m->width == 4)
		tu_put32(buf + m->off, m->value);
	else if (m->width == 1)
		buf[m->off] = (uint8_t)m->value;
	memset(buf + n, m->fill, (size_t)m->extra);
	n += (size_t)m->extra;
	expect_corrupt(buf, n, m->label);
	ck_assert_int_eq(authblob_decode(buf, n, &b, &e), -1);
	ck_assert_msg(strstr(e.what, m->needle) != NULL, "%s: \"%s\"", m->label, e.what);
}
END_TEST

typedef struct crafted {
	const char *label;
	const char *hex;
	int ok;
} crafted;

static const crafted crafted_blobs[] = {
	{ "count 0, 12 zero bytes", "00000000 00000000 00000000", 1 },
	{ "count 0, 13 bytes", "00000000 00000000 00000000 00", 0 },
	{ "count 0, current_offset 12", "00000000 0c000000 00000000", 0 },
	{ "count 0, previous_offset 12", "00000000 00000000 0c000000", 0 },
	{ "NONE entry", "01000000 0c000000 1c000000 0000000000000000 00000000 00000000", 1 },
	{ "NONE with AuthInfo", "01000000 0c000000 20000000 0000000000000000 00000000 04000000"
	  " 00000000", 0 },
	{ "NT4OWF 16", "01000000 0c000000 2c000000 0000000000000000 01000000 10000000"
	  " 00112233445566778899aabbccddeeff", 1 },
	{ "NT4OWF 15", "01000000 0c000000 2c000000 0000000000000000 01000000 0f000000"
	  " 00112233445566778899aabbccddee00", 0 },
	{ "NT4OWF 17", "01000000 0c000000 30000000 0000000000000000 01000000 11000000"
	  " 00112233445566778899aabbccddeeff 11000000", 0 },
	{ "VERSION 4", "01000000 0c000000 20000000 0000000000000000 03000000 04000000"
	  " 02000000", 1 },
	{ "VERSION 0", "01000000 0c000000 1c000000 0000000000000000 03000000 00000000", 0 },
	{ "VERSION 5", "01000000 0c000000 24000000 0000000000000000 03000000 05000000"
	  " 0200000000000000", 0 },
	{ "CLEAR 0", "01000000 0c000000 1c000000 0000000000000000 02000000 00000000", 1 },
	{ "CLEAR 1", "01000000 0c000000 20000000 0000000000000000 02000000 01000000"
	  " 61000000", 0 },
	{ "CLEAR missing padding", "01000000 0c000000 1e000000 0000000000000000 02000000"
	  " 02000000 6100", 0 },
	{ "AuthInfoLength 4098", "01000000 0c000000 1c000000 0000000000000000 02000000"
	  " 02100000", 0 },
	{ "entry header cut", "01000000 0c000000 18000000 0000000000000000 02000000", 0 },
	{ "four entries per side", "04000000 0c000000 50000000"
	  " 0000000000000000 00000000 00000000 0000000000000000 00000000 00000000"
	  " 0000000000000000 00000000 00000000 0000000000000000 03000000 04000000 09000000"
	  " 0000000000000000 00000000 00000000 0000000000000000 00000000 00000000"
	  " 0000000000000000 00000000 00000000 0000000000000000 03000000 04000000 08000000", 1 },
	{ "previous side only NONE", "01000000 0c000000 24000000"
	  " 0000000000000000 02000000 06000000 610062006300 0000"
	  " 0000000000000000 00000000 00000000", 1 },
	{ "previous side short", "01000000 0c000000 24000000"
	  " 0000000000000000 02000000 06000000 610062006300 0000"
	  " 0000000000000000 00000000", 0 },
	{ "previous side extra entry", "01000000 0c000000 24000000"
	  " 0000000000000000 02000000 06000000 610062006300 0000"
	  " 0000000000000000 00000000 00000000 0000000000000000 00000000 00000000", 0 },
};
#define NCRAFTED (int)(sizeof(crafted_blobs) / sizeof(crafted_blobs[0]))

START_TEST(test_crafted)
{
	const crafted *c = &crafted_blobs[_i];
	uint8_t buf[256];
	size_t n = tu_hex(c->hex, buf, sizeof(buf));
	authblob b;

	if (!c->ok) {
		expect_corrupt(buf, n, c->label);
		return;
	}
	decode_ok(buf, n, &b);
	authblob_free(&b);
}
END_TEST

/* Flip every byte of a valid blob to several values: the decoder must either
 * refuse with a message or accept a blob that re-encodes to the same bytes. */
START_TEST(test_mutation_sweep)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x0c, 0x7f, 0x80, 0xff };
	uint8_t base[128], buf[128];
	size_t n = tu_hex(FRESH, base, sizeof(base)), pos, v, accepted = 0;
	authblob b;
	tm_error e;

	for (pos = 0; pos < n; pos++) {
		for (v = 0; v < sizeof(values); v++) {
			memcpy(buf, base, n);
			buf[pos] = values[v];
			error_clear(&e);
			if (authblob_decode(buf, n, &b, &e) == 0) {
				authblob_free(&b);
				decode_ok(buf, n, &b);
				authblob_free(&b);
				accepted++;
			} else {
				ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
				ck_assert(blob_is_empty(&b));
			}
		}
	}
	ck_assert_uint_gt(accepted, 0);
}
END_TEST

/* ---- set_password ---- */

START_TEST(test_set_fresh)
{
	authblob b;
	static const uint8_t kv[4] = { 0x04, 0x03, 0x02, 0x01 };

	memset(&b, 0, sizeof(b));
	set_pw(&b, "Secret-1", 0x01020304u, T1, AUTHBLOB_FRESH);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_int_eq(b.has_previous, 1);
	ck_assert_uint_eq(b.current[0].type, TRUST_AUTH_TYPE_CLEAR);
	ck_assert_uint_eq(b.current[0].len, 16);
	ck_assert_mem_eq(b.current[0].data, "S\0e\0c\0r\0e\0t\0-\0001\0", 16);
	ck_assert_uint_eq(b.current[1].type, TRUST_AUTH_TYPE_VERSION);
	ck_assert_uint_eq(b.current[1].len, 4);
	ck_assert_mem_eq(b.current[1].data, kv, 4);
	ck_assert_uint_eq(b.current[0].last_update, T1);
	ck_assert_uint_eq(b.current[1].last_update, T1);
	ck_assert_uint_eq(authblob_kvno(&b, 0), 0x01020304u);
	ck_assert_uint_eq(authblob_kvno(&b, 1), 0x01020304u);
	ck_assert_uint_eq(authblob_time(&b), T1);
	ck_assert_int_eq(authblob_previous_equals_current(&b), 1);
	ck_assert_ptr_ne(b.current[0].data, b.previous[0].data);
	assert_pw(&b, 0, "Secret-1");
	assert_pw(&b, 1, "Secret-1");
	authblob_free(&b);
}
END_TEST

/* FRESH over an existing blob forgets the old password. */
START_TEST(test_set_fresh_replaces)
{
	authblob b;

	memset(&b, 0, sizeof(b));
	set_pw(&b, "old", 1, T0, AUTHBLOB_FRESH);
	set_pw(&b, "old2", 2, T1, AUTHBLOB_ROTATE);
	set_pw(&b, "new", 9, T2, AUTHBLOB_FRESH);
	assert_pw(&b, 0, "new");
	assert_pw(&b, 1, "new");
	ck_assert_uint_eq(authblob_kvno(&b, 1), 9);
	authblob_free(&b);
}
END_TEST

START_TEST(test_set_rotate)
{
	authblob b;

	memset(&b, 0, sizeof(b));
	set_pw(&b, "first", 1, T0, AUTHBLOB_FRESH);
	set_pw(&b, "second", 2, T1, AUTHBLOB_ROTATE);
	ck_assert_uint_eq(b.count, 2);
	assert_pw(&b, 0, "second");
	assert_pw(&b, 1, "first");
	ck_assert_uint_eq(authblob_kvno(&b, 0), 2);
	ck_assert_uint_eq(authblob_kvno(&b, 1), 1);
	ck_assert_uint_eq(authblob_time(&b), T1);
	ck_assert_uint_eq(b.previous[0].last_update, T0);
	ck_assert_int_eq(authblob_previous_equals_current(&b), 0);
	set_pw(&b, "third", 3, T2, AUTHBLOB_ROTATE);
	assert_pw(&b, 0, "third");
	assert_pw(&b, 1, "second");                 /* "first" is gone */
	ck_assert_uint_eq(authblob_kvno(&b, 1), 2);
	ck_assert_uint_eq(b.previous[0].last_update, T1);
	authblob_free(&b);
}
END_TEST

START_TEST(test_set_rotate_empty_is_fresh)
{
	authblob b;

	memset(&b, 0, sizeof(b));
	set_pw(&b, "only", 5, T0, AUTHBLOB_ROTATE);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_int_eq(b.has_previous, 1);
	assert_pw(&b, 0, "only");
	assert_pw(&b, 1, "only");
	ck_assert_uint_eq(authblob_kvno(&b, 1), 5);
	authblob_free(&b);
}
END_TEST

/* Rotating the one-entry test vector keeps its CLEAR entry as previous and
 * pads the previous side with a NONE entry so both sides have 2 entries. */
START_TEST(test_set_rotate_from_vector)
{
	uint8_t buf[64], *out;
	size_t n = tu_hex(VECTOR, buf, sizeof(buf)), outlen;
	authblob b, back;

	decode_ok(buf, n, &b);
	set_pw(&b, "new", 4, T1, AUTHBLOB_ROTATE);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_int_eq(b.has_previous, 1);
	assert_pw(&b, 0, "new");
	assert_pw(&b, 1, "abc");
	ck_assert_uint_eq(b.previous[1].type, TRUST_AUTH_TYPE_NONE);
	ck_assert_uint_eq(b.previous[1].last_update, T0);
	ck_assert_uint_eq(authblob_kvno(&b, 0), 4);
	ck_assert_uint_eq(authblob_kvno(&b, 1), 0);
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	decode_ok(out, outlen, &back);
	assert_pw(&back, 1, "abc");
	free(out);
	authblob_free(&back);
	authblob_free(&b);
}
END_TEST

/* A three-entry side (CLEAR, NT4OWF, VERSION) is kept whole as previous;
 * the new current side is padded with NONE to the same count. */
START_TEST(test_set_rotate_three_entries)
{
	static const char three[] = "03000000 0c000000 54000000"
		" 0000000000000000 02000000 02000000 78000000"
		" 0000000000000000 01000000 10000000 00112233445566778899aabbccddeeff"
		" 0000000000000000 03000000 04000000 05000000";
	uint8_t buf[128];
	size_t n = tu_hex(three, buf, sizeof(buf));
	authblob b;

	decode_ok(buf, n, &b);
	set_pw(&b, "y", 6, T1, AUTHBLOB_ROTATE);
	ck_assert_uint_eq(b.count, 3);
	ck_assert_uint_eq(b.current[2].type, TRUST_AUTH_TYPE_NONE);
	ck_assert_uint_eq(b.previous[1].type, TRUST_AUTH_TYPE_NT4OWF);
	assert_pw(&b, 0, "y");
	assert_pw(&b, 1, "x");
	ck_assert_uint_eq(authblob_kvno(&b, 1), 5);
	ck_assert_uint_eq(authblob_kvno(&b, 0), 6);
	authblob_free(&b);
}
END_TEST

START_TEST(test_set_reset_twice)
{
	authblob b;
	uint8_t *out;
	size_t outlen;

	memset(&b, 0, sizeof(b));
	set_pw(&b, "old", 3, T0, AUTHBLOB_FRESH);
	set_pw(&b, "older?", 4, T1, AUTHBLOB_ROTATE);
	set_pw(&b, "passwordT", 5, T2, AUTHBLOB_RESET_TWICE);
	ck_assert_uint_eq(b.count, 2);
	assert_pw(&b, 0, "passwordT");
	assert_pw(&b, 1, "passwordT");
	ck_assert_uint_eq(authblob_kvno(&b, 0), 5);
	ck_assert_uint_eq(authblob_kvno(&b, 1), 5);
	ck_assert_uint_eq(b.previous[0].last_update, T2);
	ck_assert_int_eq(authblob_previous_equals_current(&b), 1);
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	ck_assert_ptr_null(memmem(out, outlen, "o\0l\0d\0", 6));   /* no old secret */
	free(out);
	authblob_free(&b);
}
END_TEST

START_TEST(test_set_refused)
{
	authblob b;
	tm_error e;
	char big[AUTHBLOB_PW_MAX + 2];

	memset(&b, 0, sizeof(b));
	set_pw(&b, "keep", 1, T0, AUTHBLOB_FRESH);
	ck_assert_int_eq(authblob_set_password(&b, "", 2, T1, AUTHBLOB_ROTATE, &e), -1);
	ck_assert_str_eq(e.status, ST_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(e.what, "empty"));
	ck_assert_int_eq(authblob_set_password(&b, NULL, 2, T1, AUTHBLOB_ROTATE, &e), -1);
	ck_assert_int_eq(authblob_set_password(&b, "bad\xff", 2, T1, AUTHBLOB_ROTATE, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "UTF-8"));
	ck_assert_int_eq(authblob_set_password(&b, "\xed\xa0\x80", 2, T1, AUTHBLOB_FRESH, &e), -1);
	memset(big, 'a', AUTHBLOB_PW_MAX + 1);
	big[AUTHBLOB_PW_MAX + 1] = '\0';
	ck_assert_int_eq(authblob_set_password(&b, big, 2, T1, AUTHBLOB_RESET_TWICE, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "1024"));
	ck_assert_int_eq(authblob_set_password(&b, "x", 2, T1, (authblob_mode)99, &e), -1);
	ck_assert_int_eq(authblob_set_password(NULL, "x", 2, T1, AUTHBLOB_FRESH, &e), -1);
	ck_assert_int_eq(authblob_set_password(&b, big, 2, T1, AUTHBLOB_ROTATE, NULL), -1);
	/* The blob is untouched by every refusal. */
	assert_pw(&b, 0, "keep");
	assert_pw(&b, 1, "keep");
	ck_assert_uint_eq(authblob_kvno(&b, 0), 1);
	ck_assert_uint_eq(authblob_time(&b), T0);
	big[AUTHBLOB_PW_MAX] = '\0';                    /* exactly 1024 bytes is fine */
	set_pw(&b, big, 2, T1, AUTHBLOB_ROTATE);
	assert_pw(&b, 0, big);
	ck_assert_uint_eq(b.current[0].len, 2 * AUTHBLOB_PW_MAX);
	authblob_free(&b);
}
END_TEST

/* Every form model/utf8.c refuses is refused as a password, before any
 * UTF-16 is made of it, and the blob keeps its secret. */
static const char *const bad_utf8_pw[] = {
	"\xc0\xaf" "abc",                               /* overlong '/' */
	"abc\xe0\x80\xaf",                              /* 3-byte overlong '/' */
	"\xf0\x8f\xbf\xbf",                              /* overlong U+FFFF */
	"pw\xed\xb0\x80",                                /* low surrogate */
	"\xed\xa0\xbd\xed\xb8\x80",                      /* surrogate pair (CESU-8) */
	"\xf4\x90\x80\x80",                              /* U+110000 */
	"\xf8\x88\x80\x80\x80",                          /* 5-byte form */
	"secret\xe2\x82",                                /* truncated at the end */
	"\xe2\x82" "secret",                              /* truncated, then letters */
	"\x80secret",                                    /* continuation byte alone */
};
#define NBADPW (int)(sizeof(bad_utf8_pw) / sizeof(bad_utf8_pw[0]))

START_TEST(test_set_refused_utf8)
{
	authblob b;
	tm_error e;

	memset(&b, 0, sizeof(b));
	set_pw(&b, "keep", 1, T0, AUTHBLOB_FRESH);
	error_clear(&e);
	ck_assert_int_eq(authblob_set_password(&b, bad_utf8_pw[_i], 2, T1, AUTHBLOB_ROTATE, &e),
			 -1);
	ck_assert_str_eq(e.status, ST_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(e.what, "not valid UTF-8"));
	assert_pw(&b, 0, "keep");
	ck_assert_uint_eq(authblob_kvno(&b, 0), 1);
	authblob_free(&b);
}
END_TEST

/* ---- passwords in UTF-16 ---- */

typedef struct utf_case {
	const char *utf8;
	const char *utf16_hex;
} utf_case;

static const utf_case utf_cases[] = {
	{ "abc", "610062006300" },
	{ "p\xc3\xa4ss", "7000e40073007300" },                       /* pässw */
	{ "M\xc3\x9cNCHEN", "4d00dc004e00430048004500" "4e00" },
	{ "\xe2\x82\xac", "ac20" },                                  /* € */
	{ "\xef\xbf\xbd", "fdff" },                                  /* U+FFFD */
	{ "\xe6\x97\xa5\xe6\x9c\xac", "e5652c67" },                  /* 日本 */
	{ "a\xf0\x9f\x98\x80", "61003dd800de" },                     /* a😀 */
	{ "\xf0\x9d\x84\x9e", "34d81edd" },                          /* 𝄞 U+1D11E */
	{ "\xf4\x8f\xbf\xbf", "ffdbffdf" },                          /* U+10FFFF */
	{ "\xf0\x90\x80\x80", "00d800dc" },                          /* U+10000 */
	{ "\xc2\x80\xdf\xbf\xe0\xa0\x80", "8000ff070008" },          /* boundaries */
};
#define NUTF (int)(sizeof(utf_cases) / sizeof(utf_cases[0]))

START_TEST(test_utf16_round_trip)
{
	const utf_case *c = &utf_cases[_i];
	uint8_t want[64], *out;
	size_t wn = tu_hex(c->utf16_hex, want, sizeof(want)), outlen;
	authblob b, back;

	memset(&b, 0, sizeof(b));
	set_pw(&b, c->utf8, 1, T0, AUTHBLOB_FRESH);
	ck_assert_uint_eq(b.current[0].len, wn);
	ck_assert_mem_eq(b.current[0].data, want, wn);
	assert_pw(&b, 0, c->utf8);
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	decode_ok(out, outlen, &back);
	assert_pw(&back, 1, c->utf8);
	free(out);
	authblob_free(&back);
	authblob_free(&b);
}
END_TEST

/* UTF-16 that is not text, and the UTF-8 an AD DC's KDC derives keys from:
 * unpaired surrogates become U+FFFD (EF BF BD), U+0000 becomes U+0001. */
static const struct {
	const char *utf16_hex;
	const char *utf8;
} munged_utf16[] = {
	{ "00d8", "\xef\xbf\xbd" },                       /* lone high surrogate */
	{ "00dc", "\xef\xbf\xbd" },                       /* lone low surrogate */
	{ "3dd84100", "\xef\xbf\xbd" "A" },               /* high surrogate, then 'A' */
	{ "41003dd8", "A\xef\xbf\xbd" },                  /* high surrogate at the end */
	{ "00de3dd8", "\xef\xbf\xbd\xef\xbf\xbd" },       /* low before high */
	{ "41000000", "A\x01" },                           /* embedded U+0000 */
	{ "0000", "\x01" },
	{ "3dd800de", "\xf0\x9f\x98\x80" },                /* a pair stays one character */
};
#define NMUNGED16 (int)(sizeof(munged_utf16) / sizeof(munged_utf16[0]))

START_TEST(test_utf16_munged)
{
	uint8_t data[16];
	size_t n = tu_hex(munged_utf16[_i].utf16_hex, data, sizeof(data));
	authblob b;
	char *pw = NULL;
	tm_error e;

	memset(&b, 0, sizeof(b));
	b.count = 1;
	b.current[0].type = TRUST_AUTH_TYPE_CLEAR;
	b.current[0].len = (uint32_t)n;
	b.current[0].data = data;
	error_clear(&e);
	ck_assert_int_eq(authblob_get_password(&b, 0, &pw, &e), 0);
	ck_assert_ptr_nonnull(pw);
	ck_assert_str_eq(pw, munged_utf16[_i].utf8);
	secret_free(&pw);
}
END_TEST

START_TEST(test_get_password_args)
{
	authblob b;
	char *pw = NULL;
	tm_error e;

	memset(&b, 0, sizeof(b));
	set_pw(&b, "x", 1, T0, AUTHBLOB_FRESH);
	ck_assert_int_eq(authblob_get_password(&b, 2, &pw, &e), -1);
	ck_assert_str_eq(e.status, ST_INVALID_PARAMETER);
	ck_assert_int_eq(authblob_get_password(&b, -1, &pw, &e), -1);
	ck_assert_ptr_null(pw);
	ck_assert_int_eq(authblob_get_password(&b, 0, NULL, &e), -1);
	ck_assert_int_eq(authblob_get_password(NULL, 0, &pw, &e), 1);
	/* A side without a CLEAR entry. */
	b.current[0].type = TRUST_AUTH_TYPE_NONE;
	ck_assert_int_eq(authblob_get_password(&b, 0, &pw, &e), 1);
	ck_assert_ptr_null(pw);
	ck_assert_int_eq(authblob_previous_equals_current(&b), 0);
	ck_assert_uint_eq(authblob_kvno(&b, 2), 0);
	ck_assert_uint_eq(authblob_kvno(NULL, 0), 0);
	ck_assert_uint_eq(authblob_time(NULL), 0);
	authblob_free(&b);
}
END_TEST

/* ---- copy, free, encode refusals ---- */

START_TEST(test_copy)
{
	authblob a, b;

	memset(&a, 0, sizeof(a));
	set_pw(&a, "one", 1, T0, AUTHBLOB_FRESH);
	set_pw(&a, "two", 2, T1, AUTHBLOB_ROTATE);
	ck_assert_int_eq(authblob_copy(&b, &a), 0);
	ck_assert_ptr_ne(a.current[0].data, b.current[0].data);
	ck_assert_ptr_ne(a.previous[0].data, b.previous[0].data);
	authblob_free(&a);
	assert_pw(&b, 0, "two");
	assert_pw(&b, 1, "one");
	ck_assert_uint_eq(authblob_kvno(&b, 1), 1);
	ck_assert_int_eq(authblob_copy(&a, &b), 0);
	ck_assert_int_eq(a.has_previous, 1);
	authblob_free(&a);
	authblob_free(&b);
	ck_assert_int_eq(authblob_copy(&a, NULL), -1);
	ck_assert(blob_is_empty(&a));
	ck_assert_int_eq(authblob_copy(NULL, &b), -1);
	authblob_free(&b);              /* twice is harmless */
	authblob_free(NULL);
}
END_TEST

START_TEST(test_encode_refused)
{
	authblob b;
	uint8_t sentinel = 1, *out = &sentinel, data[6] = { 0 };
	size_t outlen = 1;

	memset(&b, 0, sizeof(b));
	b.count = AUTHBLOB_MAX + 1;
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), -1);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(outlen, 0);
	b.count = 1;
	b.current[0].type = 9;
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), -1);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(outlen, 0);
	b.current[0].type = TRUST_AUTH_TYPE_VERSION;
	b.current[0].len = 3;
	b.current[0].data = data;
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), -1);
	b.current[0].type = TRUST_AUTH_TYPE_CLEAR;
	b.current[0].len = 6;
	b.current[0].data = NULL;
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), -1);
	b.current[0].data = data;
	b.has_previous = 1;                   /* previous[0] is NONE: fine */
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, 12 + 24 + 16);
	free(out);
	b.previous[0].type = TRUST_AUTH_TYPE_NT4OWF;
	ck_assert_int_eq(authblob_encode(&b, &out, &outlen), -1);
	ck_assert_int_eq(authblob_encode(NULL, &out, &outlen), -1);
	ck_assert_int_eq(authblob_encode(&b, NULL, &outlen), -1);
	ck_assert_int_eq(authblob_encode(&b, &out, NULL), -1);
}
END_TEST

/* ---- time ---- */

START_TEST(test_filetime)
{
	ck_assert_uint_eq(authblob_filetime(0), UINT64_C(116444736000000000));
	ck_assert_int_eq(authblob_unixtime(UINT64_C(116444736000000000)), 0);
	ck_assert_int_eq(authblob_unixtime(authblob_filetime(1700000000)), 1700000000);
	ck_assert_int_eq(authblob_unixtime(T0), 1415965319);
	ck_assert_uint_eq(authblob_filetime(-1), UINT64_C(116444735990000000));
	ck_assert_uint_eq(authblob_filetime(-11644473600LL), 0);
	ck_assert_uint_eq(authblob_filetime(-11644473601LL), 0);
	ck_assert_uint_eq(authblob_filetime(LLONG_MIN), 0);
	ck_assert_uint_eq(authblob_filetime(LLONG_MAX), UINT64_MAX);
	ck_assert_int_eq(authblob_unixtime(0), -11644473600LL);
	ck_assert_int_eq(authblob_unixtime(9999999), -11644473600LL);
	ck_assert_int_eq(authblob_unixtime(UINT64_MAX), 1844674407370LL - 11644473600LL);
}
END_TEST

static Suite *authblob_suite(void)
{
	Suite *s = suite_create("authblob");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_vector_decode);
	tcase_add_test(tc, test_vector_encode);
	tcase_add_test(tc, test_empty_blob);
	tcase_add_test(tc, test_fresh_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_test(tc, test_truncated_vector);
	tcase_add_test(tc, test_truncated_fresh);
	tcase_add_loop_test(tc, test_mutations, 0, NMUT);
	tcase_add_loop_test(tc, test_crafted, 0, NCRAFTED);
	tcase_add_test(tc, test_mutation_sweep);
	suite_add_tcase(s, tc);
	tc = tcase_create("password");
	tcase_add_test(tc, test_set_fresh);
	tcase_add_test(tc, test_set_fresh_replaces);
	tcase_add_test(tc, test_set_rotate);
	tcase_add_test(tc, test_set_rotate_empty_is_fresh);
	tcase_add_test(tc, test_set_rotate_from_vector);
	tcase_add_test(tc, test_set_rotate_three_entries);
	tcase_add_test(tc, test_set_reset_twice);
	tcase_add_test(tc, test_set_refused);
	tcase_add_loop_test(tc, test_set_refused_utf8, 0, NBADPW);
	tcase_add_loop_test(tc, test_utf16_round_trip, 0, NUTF);
	tcase_add_loop_test(tc, test_utf16_munged, 0, NMUNGED16);
	tcase_add_test(tc, test_get_password_args);
	suite_add_tcase(s, tc);
	tc = tcase_create("misc");
	tcase_add_test(tc, test_copy);
	tcase_add_test(tc, test_encode_refused);
	tcase_add_test(tc, test_filetime);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(authblob_suite());
}
