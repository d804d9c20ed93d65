/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_forestinfo.c - unit tests for model/forestinfo.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/forestinfo.h"
#include "tests/unit/testutil.h"

#define FT INT64_C(0x0102030405060708)

/* forestinfo_default("a.b", "A", S-1-5-21-1-2-3, FT) encoded by hand. */
static const char DEFAULT_HEX[] =
	"01000000 02000000"
	/* top-level name: 13 + 4 + 3 = 20 bytes after RecordLength */
	" 14000000 00000000 0807060504030201 00 03000000 612e62"
	/* domain info: 13 + 4 + 24 + 4 + 3 + 4 + 1 = 53 bytes */
	" 35000000 00000000 0807060504030201 02"
	" 18000000 010400000000000515000000010000000200000003000000"
	" 03000000 612e62 01000000 41";
#define DEFAULT_LEN 89

/* What tests/unit/vectors/fti_samba.py prints: Samba's NDR code packed it
 * (two TLNs, an exclusion, two domains, binary data type 3, type 4). */
static const char SAMBA_HEX[] =
	"0100000007000000200000000000000000c083ed8a49da01000f000000706172746e6572"
	"2e6578616d706c651c0000000100000001c083ed8a49da01000b00000075706e2e657861"
	"6d706c65270000000000000002c083ed8a49da01011600000068696464656e2e70617274"
	"6e65722e6578616d706c65470000000400000003c083ed8a49da01021800000001040000"
	"00000005150000000100000002000000030000000f000000706172746e65722e6578616d"
	"706c6507000000504152544e45524b0000000100000004c083ed8a49da01021800000001"
	"0400000000000515000000040000000500000006000000150000006368696c642e706172"
	"746e65722e6578616d706c65050000004348494c441c0000000000000005c083ed8a49da"
	"01030b0000000102036f706171756500ff180000000000000006c083ed8a49da01040700"
	"00007363616e6e6572";
#define SAMBA_LEN 333
#define SAMBA_T0 INT64_C(133500000000000000)

static void assert_same(const fti_info *a, const fti_info *b)
{
	size_t i;

	ck_assert_uint_eq(a->count, b->count);
	for (i = 0; i < a->count; i++) {
		const fti_record *x = &a->records[i], *y = &b->records[i];

		ck_assert_uint_eq(x->type, y->type);
		ck_assert_uint_eq(x->flags, y->flags);
		ck_assert_int_eq(x->timestamp, y->timestamp);
		ck_assert_str_eq(x->name, y->name);
		if (x->type != FTI_DOMAIN_INFO)
			continue;
		ck_assert_str_eq(x->netbios ? x->netbios : "", y->netbios ? y->netbios : "");
		ck_assert_int_eq(sid_equal(&x->sid, &y->sid), 1);
	}
}

/* fi encodes to exactly the n bytes of buf. */
static void assert_encodes_to(const fti_info *fi, const uint8_t *buf, size_t n)
{
	uint8_t *out = NULL;
	size_t outlen = 0;

	ck_assert_int_eq(forestinfo_encode(fi, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, n);
	ck_assert_mem_eq(out, buf, n);
	free(out);
}

/* Decoding must fail with a clear message and leave out empty. */
static void expect_bad(const uint8_t *buf, size_t len, const char *label, const char *needle)
{
	fti_info fi;
	tm_error e;

	error_clear(&e);
	memset(&fi, 0x5a, sizeof(fi));
	ck_assert_msg(forestinfo_decode(buf, len, &fi, &e) == -1, "accepted: %s", label);
	ck_assert_msg(e.status && strcmp(e.status, ST_INVALID_PARAMETER) == 0, "%s", label);
	ck_assert_msg(strstr(e.what, "damaged") != NULL, "%s: %s", label, e.what);
	ck_assert_msg(!needle || strstr(e.what, needle), "%s: \"%s\"", label, e.what);
	ck_assert_uint_eq(fi.count, 0);
	ck_assert_ptr_null(fi.records);
}

/* ---- default information ---- */

START_TEST(test_default)
{
	tm_sid sid = tu_sid("S-1-5-21-1-2-3");
	fti_info fi;

	ck_assert_int_eq(forestinfo_default(&fi, "partner.example", "PARTNER", &sid, FT), 0);
	ck_assert_uint_eq(fi.count, 2);
	ck_assert_uint_eq(fi.records[0].type, FTI_TOP_LEVEL_NAME);
	ck_assert_str_eq(fi.records[0].name, "partner.example");
	ck_assert_int_eq(fi.records[0].timestamp, FT);
	ck_assert_uint_eq(fi.records[0].flags, 0);
	ck_assert_uint_eq(fi.records[1].type, FTI_DOMAIN_INFO);
	ck_assert_str_eq(fi.records[1].name, "partner.example");
	ck_assert_str_eq(fi.records[1].netbios, "PARTNER");
	ck_assert_int_eq(sid_equal(&fi.records[1].sid, &sid), 1);
	ck_assert_int_eq(fi.records[1].timestamp, FT);
	forestinfo_free(&fi);
	ck_assert_uint_eq(fi.count, 0);
	ck_assert_ptr_null(fi.records);
	forestinfo_free(&fi);
	forestinfo_free(NULL);
}
END_TEST

START_TEST(test_default_refused)
{
	tm_sid sid = tu_sid("S-1-5-21-1-2-3");
	fti_info fi;

	ck_assert_int_eq(forestinfo_default(&fi, NULL, "P", &sid, 0), -1);
	ck_assert_uint_eq(fi.count, 0);
	ck_assert_ptr_null(fi.records);
	ck_assert_int_eq(forestinfo_default(&fi, "", "P", &sid, 0), -1);
	ck_assert_int_eq(forestinfo_default(&fi, "p.example", NULL, &sid, 0), -1);
	ck_assert_int_eq(forestinfo_default(&fi, "p.example", "P", NULL, 0), -1);
	ck_assert_int_eq(forestinfo_default(NULL, "p.example", "P", &sid, 0), -1);
}
END_TEST

START_TEST(test_default_bytes)
{
	tm_sid sid = tu_sid("S-1-5-21-1-2-3");
	uint8_t want[128], *out = NULL;
	size_t n = tu_hex(DEFAULT_HEX, want, sizeof(want)), outlen = 0;
	fti_info fi, back;
	tm_error e;

	ck_assert_uint_eq(n, DEFAULT_LEN);
	ck_assert_int_eq(forestinfo_default(&fi, "a.b", "A", &sid, FT), 0);
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, DEFAULT_LEN);
	ck_assert_mem_eq(out, want, DEFAULT_LEN);
	error_clear(&e);
	ck_assert_msg(forestinfo_decode(want, n, &back, &e) == 0, "%s", e.what);
	assert_same(&fi, &back);
	free(out);
	forestinfo_free(&fi);
	forestinfo_free(&back);
}
END_TEST

/* ---- round trips ---- */

static fti_record rec_tln(uint8_t type, const char *name, uint32_t flags, int64_t ts)
{
	fti_record r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.name = (char *)(uintptr_t)name;
	r.flags = flags;
	r.timestamp = ts;
	return r;
}

static fti_record rec_dom(const char *dns, const char *nb, const char *sid, uint32_t flags)
{
	fti_record r = rec_tln(FTI_DOMAIN_INFO, dns, flags, -1);

	r.netbios = (char *)(uintptr_t)nb;
	r.sid = tu_sid(sid);
	return r;
}

static void round_trip(const fti_info *fi)
{
	uint8_t *out = NULL, *again = NULL;
	size_t outlen = 0, againlen = 0;
	fti_info back;
	tm_error e;

	ck_assert_int_eq(forestinfo_encode(fi, &out, &outlen), 0);
	error_clear(&e);
	ck_assert_msg(forestinfo_decode(out, outlen, &back, &e) == 0, "%s", e.what);
	assert_same(fi, &back);
	ck_assert_int_eq(forestinfo_encode(&back, &again, &againlen), 0);
	ck_assert_uint_eq(againlen, outlen);
	ck_assert_mem_eq(again, out, outlen);
	free(out);
	free(again);
	forestinfo_free(&back);
}

START_TEST(test_round_trip_many)
{
	fti_record r[6];
	fti_info fi;

	r[0] = rec_tln(FTI_TOP_LEVEL_NAME, "corp.example", 0, 0);
	r[1] = rec_tln(FTI_TOP_LEVEL_NAME_EX, "excluded.corp.example", 0, INT64_MAX);
	r[2] = rec_tln(FTI_TOP_LEVEL_NAME, "*.m\xc3\xbcnchen.example", 0x7, INT64_MIN);
	r[3] = rec_dom("corp.example", "CORP", "S-1-5-21-1004336348-1177238915-682003330", 0xf);
	r[4] = rec_dom("child.corp.example", "", "S-1-5-21-9-8-7", 0);
	r[5] = rec_dom("x.example", "M\xc3\x9c" "NCHEN", "S-1-5-21-4294967295-1-2", 1);
	fi.count = 6;
	fi.records = r;
	round_trip(&fi);
}
END_TEST

START_TEST(test_round_trip_empty)
{
	fti_info fi = { 0, NULL }, back;
	uint8_t *out = NULL, want[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
	size_t outlen = 0;

	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), 0);
	ck_assert_uint_eq(outlen, 8);
	ck_assert_mem_eq(out, want, 8);
	ck_assert_int_eq(forestinfo_decode(out, outlen, &back, NULL), 0);
	ck_assert_uint_eq(back.count, 0);
	ck_assert_ptr_null(back.records);
	free(out);
}
END_TEST

/* A domain-info record whose SID has no sub-authorities is still a SID. */
START_TEST(test_round_trip_odd_sids)
{
	fti_record r[2];
	fti_info fi = { 2, r };

	r[0] = rec_dom("a.example", "A", "S-1-5", 0);
	r[1] = rec_dom("b.example", "B", "S-1-0x123456789ABC-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", 0);
	round_trip(&fi);
}
END_TEST

START_TEST(test_netbios_null_encodes_empty)
{
	fti_record r = rec_dom("a.example", NULL, "S-1-5-21-1-2-3", 0);
	fti_info fi = { 1, &r }, back;
	uint8_t *out = NULL;
	size_t outlen = 0;

	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), 0);
	ck_assert_int_eq(forestinfo_decode(out, outlen, &back, NULL), 0);
	ck_assert_str_eq(back.records[0].netbios, "");
	free(out);
	forestinfo_free(&back);
}
END_TEST

/* ---- encode refusals ---- */

START_TEST(test_encode_refused)
{
	fti_record r = rec_tln(FTI_TOP_LEVEL_NAME, "a.example", 0, 0);
	fti_info fi = { 1, &r };
	uint8_t *out = NULL;
	size_t outlen = 7;

	r.type = FTI_BINARY_INFO;          /* opaque, but claims bytes it has not */
	r.data_len = 5;
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(outlen, 0);
	r.data_len = 0;
	r.type = FTI_TOP_LEVEL_NAME;
	r.name = NULL;
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	r.name = (char *)(uintptr_t)"";
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	r.name = (char *)(uintptr_t)"bad\xff";
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	r = rec_dom("a.example", "A", "S-1-5-21-1-2-3", 0);
	r.sid.nsub = SID_MAX_SUB + 1;
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	r.sid.nsub = 4;
	r.sid.revision = 2;
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	r.sid.revision = 1;
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), 0);
	free(out);
	fi.records = NULL;
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	fi.count = FTI_MAX_RECORDS + 1;
	fi.records = &r;
	ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), -1);
	ck_assert_int_eq(forestinfo_encode(NULL, &out, &outlen), -1);
	ck_assert_int_eq(forestinfo_encode(&fi, NULL, &outlen), -1);
}
END_TEST

/* ---- malformed input ---- */

START_TEST(test_truncated)
{
	uint8_t buf[128];
	size_t n = tu_hex(DEFAULT_HEX, buf, sizeof(buf)), len;
	char label[48];

	for (len = 0; len < n; len++) {
		snprintf(label, sizeof(label), "default[0..%zu)", len);
		expect_bad(buf, len, label, NULL);
	}
	expect_bad(NULL, 0, "NULL", "shorter than");
}
END_TEST

typedef struct fti_mutation {
	const char *label;
	int off;                   /* -1: none */
	uint32_t value;
	int width;                 /* 4 or 1 */
	int extra;                 /* bytes appended */
	const char *needle;
} fti_mutation;

/* Offsets into DEFAULT_HEX: version 0, count 4, record 1 at 8 (type 24,
 * name length 25, name 29), record 2 at 32 (type 48, SID length 49, SID 53,
 * DNS length 77, DNS 81, NetBIOS length 84, NetBIOS 88). */
static const fti_mutation forestinfo_mutations[] = {
	{ "version 0", 0, 0, 4, 0, "version 0" },
	{ "version 2", 0, 2, 4, 0, "version 2" },
	{ "count 3", 4, 3, 4, 0, "ends before" },
	{ "count 5, little data", 4, 5, 4, 0, "room for at most" },
	{ "count 1", 4, 1, 4, 0, "follow the last record" },
	{ "count 1025", 4, 1025, 4, 0, "at most 1024" },
	{ "count 0xffffffff", 4, 0xffffffffu, 4, 0, "at most 1024" },
	{ "record length overruns", 8, 0xffffffffu, 4, 0, "only" },
	{ "record length + 1", 8, 21, 4, 0, "beyond its data" },
	{ "record length 12", 8, 12, 4, 0, "only 12 bytes" },
	{ "record length too small", 8, 19, 4, 0, "overruns the record" },
	{ "record 2 length too big", 32, 54, 4, 0, "only" },
	{ "record 2 length short", 32, 52, 4, 0, "overruns the record" },
	{ "TLN as domain info", 24, 2, 1, 0, NULL },
	{ "domain info as TLN", 48, 0, 1, 0, "NUL" },
	{ "name length overruns", 25, 4, 4, 0, "overruns the record" },
	{ "name length 0xffffffff", 25, 0xffffffffu, 4, 0, "overruns the record" },
	{ "empty top-level name", 25, 0, 4, 0, "empty top-level name" },
	{ "NUL in top-level name", 30, 0, 1, 0, "NUL" },
	{ "invalid UTF-8 name", 29, 0xc3, 1, 0, "UTF-8" },
	{ "SID length 0", 49, 0, 4, 0, "invalid SID" },
	{ "SID length 20", 49, 20, 4, 0, "invalid SID" },
	{ "SID length 28", 49, 28, 4, 0, "invalid SID" },
	{ "SID length overruns", 49, 0x1000, 4, 0, "overruns the record" },
	{ "SID revision 2", 53, 2, 1, 0, "invalid SID" },
	{ "SID 16 sub-authorities", 54, 16, 1, 0, "invalid SID" },
	{ "DNS name length overruns", 77, 100, 4, 0, "overruns the record" },
	{ "NUL in DNS name", 82, 0, 1, 0, "NUL" },
	{ "NetBIOS length overruns", 84, 2, 4, 0, "overruns the record" },
	{ "NetBIOS length 0", 84, 0, 4, 0, "beyond its data" },
	{ "trailing byte", -1, 0, 0, 1, "follow the last record" },
	{ "trailing 8 bytes", -1, 0, 0, 8, "follow the last record" },
};
#define NFTI_MUT (int)(sizeof(forestinfo_mutations) / sizeof(forestinfo_mutations[0]))

START_TEST(test_mutations)
{
	const fti_mutation *m = &forestinfo_mutations[_i];
	uint8_t buf[160];
	size_t n = tu_hex(DEFAULT_HEX, buf, sizeof(buf));

	if (m->width == 4)
		tu_put32(buf + m->off, m->value);
	else if (m->width == 1)
		buf[m->off] = (uint8_t)m->value;
	memset(buf + n, 0, (size_t)m->extra);
	n += (size_t)m->extra;
	expect_bad(buf, n, m->label, m->needle);
}
END_TEST

/* An empty DNS name in a domain-info record and an empty top-level name
 * are refused; an empty NetBIOS name is accepted. */
START_TEST(test_empty_names)
{
	static const char empty_dns[] = "01000000 01000000"
		" 22000000 00000000 0000000000000000 02"
		" 08000000 0100000000000005 00000000 01000000 41";
	static const char empty_nb[] = "01000000 01000000"
		" 22000000 00000000 0000000000000000 02"
		" 08000000 0100000000000005 01000000 61 00000000";
	static const char empty_tln[] = "01000000 01000000"
		" 11000000 00000000 0000000000000000 00 00000000";
	uint8_t buf[64];
	size_t n;
	fti_info fi;

	n = tu_hex(empty_dns, buf, sizeof(buf));
	expect_bad(buf, n, "empty DNS name", "empty DNS name");
	n = tu_hex(empty_tln, buf, sizeof(buf));
	expect_bad(buf, n, "empty top-level name", "empty top-level name");
	n = tu_hex(empty_nb, buf, sizeof(buf));
	ck_assert_int_eq(forestinfo_decode(buf, n, &fi, NULL), 0);
	ck_assert_str_eq(fi.records[0].name, "a");
	ck_assert_str_eq(fi.records[0].netbios, "");
	ck_assert_uint_eq(fi.records[0].sid.nsub, 0);
	forestinfo_free(&fi);
}
END_TEST

/* Flip every byte to several values: refused with a message, or accepted
 * and re-encoded to the same bytes. Never a crash (run under ASan). */
START_TEST(test_mutation_sweep)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x02, 0x03, 0x14, 0x35, 0x7f, 0x80, 0xff };
	uint8_t base[128], buf[128], *out;
	size_t n = tu_hex(DEFAULT_HEX, base, sizeof(base)), pos, v, outlen;
	fti_info fi;
	tm_error e;

	for (pos = 0; pos < n; pos++) {
		for (v = 0; v < sizeof(values); v++) {
			memcpy(buf, base, n);
			buf[pos] = values[v];
			error_clear(&e);
			if (forestinfo_decode(buf, n, &fi, &e) < 0) {
				ck_assert_str_eq(e.status, ST_INVALID_PARAMETER);
				ck_assert_ptr_null(fi.records);
				continue;
			}
			ck_assert_int_eq(forestinfo_encode(&fi, &out, &outlen), 0);
			ck_assert_uint_eq(outlen, n);
			ck_assert_mem_eq(out, buf, n);
			free(out);
			forestinfo_free(&fi);
		}
	}
}
END_TEST

START_TEST(test_decode_null_out)
{
	uint8_t buf[128];
	size_t n = tu_hex(DEFAULT_HEX, buf, sizeof(buf));
	tm_error e;

	ck_assert_int_eq(forestinfo_decode(buf, n, NULL, &e), -1);
}
END_TEST

/* ---- records of other types, Samba's bytes, status words ---- */

START_TEST(test_samba_round_trip)
{
	uint8_t buf[512];
	size_t n = tu_hex(SAMBA_HEX, buf, sizeof(buf));
	fti_info fi;
	tm_error e;
	char w[128];

	ck_assert_uint_eq(n, SAMBA_LEN);
	error_clear(&e);
	ck_assert_msg(forestinfo_decode(buf, n, &fi, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(fi.count, 7);
	ck_assert_str_eq(fi.records[1].name, "upn.example");
	ck_assert_str_eq(forestinfo_status_words(&fi.records[1], w, sizeof(w)), "disabled (new)");
	ck_assert_uint_eq(fi.records[2].type, FTI_TOP_LEVEL_NAME_EX);
	ck_assert_str_eq(forestinfo_status_words(&fi.records[3], w, sizeof(w)),
			 "NetBIOS disabled (admin)");
	ck_assert_str_eq(forestinfo_status_words(&fi.records[4], w, sizeof(w)),
			 "SID disabled (admin)");
	ck_assert_str_eq(fi.records[4].netbios, "CHILD");
	ck_assert_uint_eq(fi.records[5].type, FTI_BINARY_INFO);
	ck_assert_uint_eq(fi.records[5].data_len, 4 + 11);
	ck_assert_mem_eq(fi.records[5].data + 4, "\x01\x02\x03opaque\x00\xff", 11);
	ck_assert_int_eq(fi.records[5].timestamp, SAMBA_T0 + 5);
	ck_assert_str_eq(forestinfo_type_name(&fi.records[5], w, sizeof(w)), "binary data");
	ck_assert_str_eq(forestinfo_type_name(&fi.records[6], w, sizeof(w)), "scanner info");
	ck_assert_int_eq(forestinfo_known(&fi.records[6]), 0);
	assert_encodes_to(&fi, buf, n);
	forestinfo_free(&fi);
}
END_TEST

/* A copy encodes to the same bytes; a future type 0xff with no data too. */
START_TEST(test_opaque_copy)
{
	static const char future[] = "01000000 01000000 0d000000 08000000 0100000000000000 ff";
	uint8_t buf[512];
	size_t n = tu_hex(SAMBA_HEX, buf, sizeof(buf));
	fti_info fi, copy;
	char w[32];

	ck_assert_int_eq(forestinfo_decode(buf, n, &fi, NULL), 0);
	ck_assert_int_eq(forestinfo_copy(&copy, &fi), 0);
	forestinfo_free(&fi);
	assert_encodes_to(&copy, buf, n);
	forestinfo_free(&copy);
	n = tu_hex(future, buf, sizeof(buf));
	ck_assert_int_eq(forestinfo_decode(buf, n, &fi, NULL), 0);
	ck_assert_uint_eq(fi.records[0].data_len, 0);
	ck_assert_str_eq(forestinfo_type_name(&fi.records[0], w, sizeof(w)), "type 255");
	ck_assert_str_eq(forestinfo_status_words(&fi.records[0], w, sizeof(w)), "flags 0x8");
	assert_encodes_to(&fi, buf, n);
	forestinfo_free(&fi);
}
END_TEST

START_TEST(test_status_words)
{
	fti_record r;
	char w[160];

	memset(&r, 0, sizeof(r));
	r.type = FTI_TOP_LEVEL_NAME;
	ck_assert_str_eq(forestinfo_status_words(&r, w, sizeof(w)), "enabled");
	ck_assert_int_eq(forestinfo_enabled(&r, 0), 1);
	r.flags = FTI_TLN_DISABLED_ADMIN | FTI_TLN_DISABLED_CONFLICT | 0x10;
	ck_assert_str_eq(forestinfo_status_words(&r, w, sizeof(w)),
			 "disabled (admin), conflict, flags 0x10");
	ck_assert_int_eq(forestinfo_enabled(&r, 0), 0);
	r.type = FTI_DOMAIN_INFO;
	r.flags = FTI_SID_DISABLED_CONFLICT | FTI_NB_DISABLED_CONFLICT;
	ck_assert_str_eq(forestinfo_status_words(&r, w, sizeof(w)), "SID conflict, NetBIOS conflict");
	ck_assert_int_eq(forestinfo_enabled(&r, 0), 0);
	ck_assert_int_eq(forestinfo_enabled(&r, 1), 0);
	r.flags = FTI_NB_DISABLED_ADMIN;
	ck_assert_int_eq(forestinfo_enabled(&r, 0), 1);
	ck_assert_int_eq(forestinfo_enabled(&r, 1), 0);
	r.type = FTI_TOP_LEVEL_NAME_EX;
	ck_assert_int_eq(forestinfo_enabled(&r, 0), 1);
}
END_TEST

static Suite *fti_suite(void)
{
	Suite *s = suite_create("forestinfo");
	TCase *tc = tcase_create("encode");

	tcase_add_test(tc, test_default);
	tcase_add_test(tc, test_default_refused);
	tcase_add_test(tc, test_default_bytes);
	tcase_add_test(tc, test_round_trip_many);
	tcase_add_test(tc, test_round_trip_empty);
	tcase_add_test(tc, test_round_trip_odd_sids);
	tcase_add_test(tc, test_netbios_null_encodes_empty);
	tcase_add_test(tc, test_encode_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_test(tc, test_truncated);
	tcase_add_loop_test(tc, test_mutations, 0, NFTI_MUT);
	tcase_add_test(tc, test_empty_names);
	tcase_add_test(tc, test_mutation_sweep);
	tcase_add_test(tc, test_decode_null_out);
	tcase_add_test(tc, test_samba_round_trip);
	tcase_add_test(tc, test_opaque_copy);
	tcase_add_test(tc, test_status_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(fti_suite());
}
