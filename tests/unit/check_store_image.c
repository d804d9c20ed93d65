/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_store_image.c - checksums (model/cksum.c) and before-images kept
 * with their sum records (backend/store/store_image.c): the CRC-32C of
 * the standard's check values, strict sum records, and images checked
 * whole (sum, then content) before anything would be written back. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/cksum.h"
#include "model/secret.h"
#include "backend/store/store_image.h"
#include "backend/store/store_ldif.h"
#include "tests/unit/testutil.h"

/* ---- CRC-32C and sum records ---------------------------------------------- */

START_TEST(crc32c_check_values)
{
	static const unsigned char zeros[32] = { 0 };
	unsigned char ones[32];

	memset(ones, 0xff, sizeof(ones));
	/* RFC 3720 (iSCSI) B.4 and the common check value */
	ck_assert_uint_eq(cksum_crc32c(0, "123456789", 9), 0xe3069283u);
	ck_assert_uint_eq(cksum_crc32c(0, zeros, sizeof(zeros)), 0x8a9136aau);
	ck_assert_uint_eq(cksum_crc32c(0, ones, sizeof(ones)), 0x62a8ab43u);
	ck_assert_uint_eq(cksum_crc32c(0, "", 0), 0);
	/* in pieces: the same as at once */
	ck_assert_uint_eq(cksum_crc32c(cksum_crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
}
END_TEST

START_TEST(sum_record_round_trip)
{
	char line[CKSUM_LINE_MAX], why[128];
	cksum_rec r;
	size_t n = cksum_format(line, "123456789", 9);

	ck_assert_str_eq(line, "trustmgr-sum 1 bytes 9 crc32c e3069283\n");
	ck_assert_uint_eq(n, strlen(line));
	ck_assert_int_eq(cksum_parse(line, n, &r, why, sizeof(why)), 0);
	ck_assert_uint_eq(r.bytes, 9);
	ck_assert_uint_eq(r.crc, 0xe3069283u);
	ck_assert_int_eq(cksum_parse(line, n - 1, &r, why, sizeof(why)), 0);  /* no newline */
	ck_assert_int_eq(cksum_verify(&r, "123456789", 9, why, sizeof(why)), 0);
	ck_assert_int_eq(cksum_verify(&r, "12345678", 8, why, sizeof(why)), -1);
	TU_ASSERT_HAS(why, "cut short");
	ck_assert_int_eq(cksum_verify(&r, "1234567890", 10, why, sizeof(why)), -1);
	TU_ASSERT_HAS(why, "it grew");
	ck_assert_int_eq(cksum_verify(&r, "123456788", 9, why, sizeof(why)), -1);
	TU_ASSERT_HAS(why, "checksum");
}
END_TEST

START_TEST(sum_record_is_strict)
{
	static const char *const bad[] = {
		"", "trustmgr-sum 1 bytes", "trustmgr-sum 2 bytes 9 crc32c e3069283",
		"trustmgr-sum 1 bytes x crc32c e3069283", "trustmgr-sum 1 bytes 09 crc32c e3069283",
		"trustmgr-sum 1 bytes -9 crc32c e3069283", "trustmgr-sum 1 bytes 9 crc e3069283",
		"trustmgr-sum 1 bytes 9 crc32c E3069283", "trustmgr-sum 1 bytes 9 crc32c e306928",
		"trustmgr-sum 1 bytes 9 crc32c e30692833", "trustmgr-sum 1 bytes 9 crc32c e3069283 ",
		"trustmgr-sum 1 bytes 99999999999999999999 crc32c e3069283",
		"trustmgr-sum 1 bytes 9 crc32c e3069283\n\n",
	};
	char why[128];
	cksum_rec r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		ck_assert_msg(cksum_parse(bad[i], strlen(bad[i]), &r, why, sizeof(why)) == -1,
			      "accepted: %s", bad[i]);
		ck_assert_str_ne(why, "");
	}
}
END_TEST

/* ---- before-images ---------------------------------------------------------- */

/* A domain.ldif as the store writes it. */
static char *sample_ldif(size_t *len)
{
	stldif_domain d;
	char *text;
	tm_error e;

	memset(&d, 0, sizeof(d));
	d.dom = tu_domain("CORP", DOMAIN_AD, "corp.example", "CORP", "S-1-5-21-1-2-3", "",
			  LEVEL_2016);
	ck_assert_msg(store_ldif_render(&d, &text, len, &e) == 0, "%s", e.what);
	return text;
}

START_TEST(image_saved_and_loaded_whole)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], sum[PATH_MAX], *text, *back;
	size_t len, blen;
	tm_error e;

	text = sample_ldif(&len);
	tu_pathf(path, "%s/CORP.domain.ldif", dir);
	tu_pathf(sum, "%s.sum", path);
	ck_assert_msg(store_image_save(path, text, len, &e) == 0, "%s", e.what);
	ck_assert_int_eq(tu_mode_of(path), 0600);
	ck_assert_int_eq(tu_mode_of(sum), 0600);
	ck_assert_msg(store_image_load(path, 1, store_image_ldif, &back, &blen, &e) == 0, "%s",
		      e.what);
	ck_assert_uint_eq(blen, len);
	ck_assert_int_eq(memcmp(back, text, len), 0);
	secret_free_buf(&back, blen);
	ck_assert_int_eq(store_image_remove(path, &e), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(access(sum, F_OK), -1);
	ck_assert_int_eq(store_image_load(path, 1, store_image_ldif, &back, &blen, &e), -1);
	TU_ASSERT_HAS(e.what, "is missing");
	ck_assert_ptr_null(back);
	secret_free_buf(&text, len);
}
END_TEST

/* store_image_check: the sum record decides first, the content after. */
START_TEST(image_check_finds_each_damage)
{
	char line[CKSUM_LINE_MAX], *text, *cut;
	size_t len, n;
	tm_error e;

	text = sample_ldif(&len);
	n = cksum_format(line, text, len);
	ck_assert_int_eq(store_image_check("I", text, len, line, n, 1, store_image_ldif, &e), 0);
	/* cut short: the length says so */
	ck_assert_int_eq(store_image_check("I", text, len - 1, line, n, 1, store_image_ldif, &e), -1);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	TU_ASSERT_HAS(e.what, "I is damaged: it is ");
	TU_ASSERT_HAS(e.what, "cut short");
	/* one byte changed */
	text[len / 2] ^= 0x20;
	ck_assert_int_eq(store_image_check("I", text, len, line, n, 1, NULL, &e), -1);
	TU_ASSERT_HAS(e.what, "checksum");
	text[len / 2] ^= 0x20;
	/* no sum record: damage when one is needed, else the content decides */
	ck_assert_int_eq(store_image_check("I", text, len, NULL, 0, 1, store_image_ldif, &e), -1);
	TU_ASSERT_HAS(e.what, "sum record");
	ck_assert_int_eq(store_image_check("I", text, len, NULL, 0, 0, store_image_ldif, &e), 0);
	cut = strdup(text);
	cut[len - 10] = '\0';
	ck_assert_int_eq(store_image_check("I", cut, len - 10, NULL, 0, 0, store_image_ldif, &e), -1);
	TU_ASSERT_HAS(e.what, "I is damaged: line ");
	free(cut);
	/* a sum record that cannot be read */
	ck_assert_int_eq(store_image_check("I", text, len, "junk", 4, 1, NULL, &e), -1);
	TU_ASSERT_HAS(e.what, "sum record");
	/* content checks of the other kinds */
	ck_assert_int_eq(store_image_health("a\t1\t2\nb\t2\t3\n", 12, "H", &e), 0);
	ck_assert_int_eq(store_image_health("a\t1\t2\nb\t2\n", 10, "H", &e), -1);
	TU_ASSERT_HAS(e.what, "H is damaged at line 2");
	ck_assert_int_eq(store_image_health("a\0", 2, "H", &e), -1);
	ck_assert_int_eq(store_image_keytab("\x05\x02", 2, "K", &e), 0);
	ck_assert_int_eq(store_image_keytab("\x05\x02\x00", 3, "K", &e), -1);
	TU_ASSERT_HAS(e.what, "K is damaged at byte 2");
	ck_assert_ptr_eq(store_image_content_of("domain.ldif"), store_image_ldif);
	ck_assert_ptr_eq(store_image_content_of("krb5.keytab"), store_image_keytab);
	ck_assert_ptr_eq(store_image_content_of("health"), store_image_health);
	ck_assert_ptr_null(store_image_content_of("other"));
	secret_free_buf(&text, len);
}
END_TEST

/* An odd file where an image belongs is refused without blocking. */
START_TEST(image_fifo_is_refused)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX], *back;
	size_t blen;
	tm_error e;

	tu_pathf(path, "%s/A.health", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(store_image_load(path, 1, store_image_health, &back, &blen, &e), -1);
	TU_ASSERT_HAS(e.what, "FIFO");
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
}
END_TEST

static Suite *image_suite(void)
{
	Suite *s = suite_create("store_image");
	TCase *tc = tcase_create("image");

	tcase_add_checked_fixture(tc, NULL, tu_cleanup);
	tcase_add_test(tc, crc32c_check_values);
	tcase_add_test(tc, sum_record_round_trip);
	tcase_add_test(tc, sum_record_is_strict);
	tcase_add_test(tc, image_saved_and_loaded_whole);
	tcase_add_test(tc, image_check_finds_each_damage);
	tcase_add_test(tc, image_fifo_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(image_suite());
}
