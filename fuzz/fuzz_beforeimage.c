/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_beforeimage.c - the before-image reader (store_image_check,
 * backend/store/store_image.c) with its sum record (model/cksum.c) and the
 * content checks of each kind: domain.ldif, krb5.keytab, health, and the
 * real-domain journal's NAME.state.
 *
 * Input: one byte (kind = byte % 4; a sum record is required when bit 2 is
 * set), then the sum record up to the first newline (none when the input
 * has no newline), then the image's bytes. It never crashes; a refusal
 * carries a message and is STATUS_INTERNAL_DB_CORRUPTION (or out of
 * memory); an accepted image with a sum record has that record's length
 * and CRC-32C, and its freshly made sum record is accepted again. */
#include <string.h>

#include "model/cksum.h"
#include "backend/directory/directory_journal.h"
#include "backend/store/store_image.h"
#include "fuzz/fuzz.h"

int fuzz_beforeimage(const uint8_t *data, size_t size);

static store_image_content fuzz_kind(unsigned k)
{
	switch (k % 4) {
	case 0:
		return store_image_ldif;
	case 1:
		return store_image_keytab;
	case 2:
		return store_image_health;
	default:
		return directory_journal_check_state;
	}
}

/* An accepted image: its own sum record round-trips. */
static void fuzz_round_trip(const char *img, size_t len, const char *sum, size_t sumlen)
{
	char line[CKSUM_LINE_MAX], why[256];
	cksum_rec r;
	size_t n = cksum_format(line, img, len);

	FUZZ_CHECK(n > 0, "no sum record could be made");
	FUZZ_CHECK(cksum_parse(line, n, &r, why, sizeof(why)) == 0, "a made sum record is refused");
	FUZZ_CHECK(cksum_verify(&r, img, len, why, sizeof(why)) == 0, "a made sum does not match");
	if (sum)
		FUZZ_CHECK(sumlen == n - 1 || sumlen == n, "an accepted sum record of another length");
}

int fuzz_beforeimage(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1, *nl, *sum = NULL, *img;
	size_t sumlen = 0, len;
	tm_error e;

	if (size < 1)
		return 0;
	nl = memchr(text, '\n', size - 1);
	if (nl) {
		sum = text;
		sumlen = (size_t)(nl - text);
		img = nl + 1;
	} else {
		img = text;
	}
	len = size - 1 - (size_t)(img - text);
	error_clear(&e);
	if (store_image_check("IMAGE", img, len, sum, sumlen, data[0] & 4, fuzz_kind(data[0]),
			      &e) != 0) {
		FUZZ_CHECK(e.what[0] != '\0', "refused without a message");
		FUZZ_CHECK(e.status == NULL || strcmp(e.status, ST_INTERNAL_DB_CORRUPTION) == 0,
			   "refused with another status than damage");
		return 0;
	}
	FUZZ_CHECK(sum || !(data[0] & 4), "accepted without the sum record it needs");
	fuzz_round_trip(img, len, sum, sumlen);
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_beforeimage(data, size);
}
#endif
