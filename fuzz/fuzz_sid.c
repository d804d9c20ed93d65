/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_sid.c - SID text and binary parsers (model/sid.c).
 * The input as text: sid_parse never crashes; an accepted SID formats to text
 * that parses back equal, and its binary form decodes back equal.
 * The input as binary: sid_from_binary never crashes; an accepted SID encodes
 * back to the same bytes and its text form parses back equal. */
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/sid.h"

static void sid_round_trips(const tm_sid *s)
{
	char text[SID_TEXT_MAX];
	uint8_t bin[SID_BINARY_MAX];
	size_t n;
	tm_sid again;
	tm_error e;

	sid_format(s, text, sizeof(text));
	FUZZ_CHECK(sid_parse(text, &again, &e) == 0, "formatted SID does not parse");
	FUZZ_CHECK(sid_equal(s, &again), "formatted SID parses to another SID");
	n = sid_to_binary(s, bin, sizeof(bin));
	FUZZ_CHECK(n == sid_binary_len(s), "sid_to_binary length");
	FUZZ_CHECK(sid_from_binary(bin, n, &again, &e) == 0, "binary SID does not decode");
	FUZZ_CHECK(sid_equal(s, &again), "binary SID decodes to another SID");
	(void)sid_check_domain(s, &e);
}

int fuzz_sid(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	uint8_t bin[SID_BINARY_MAX];
	tm_sid s;
	tm_error e;

	if (!text)
		return 0;
	error_clear(&e);
	if (sid_parse(text, &s, &e) == 0)
		sid_round_trips(&s);
	else
		FUZZ_CHECK(e.what[0] != '\0', "sid_parse refused without a message");
	free(text);

	error_clear(&e);
	if (sid_from_binary(data, size, &s, &e) == 0) {
		FUZZ_CHECK(sid_binary_len(&s) == size, "sid_from_binary accepted extra bytes");
		FUZZ_CHECK(sid_to_binary(&s, bin, sizeof(bin)) == size, "binary re-encode length");
		FUZZ_CHECK(memcmp(bin, data, size) == 0, "binary SID round trip changed the bytes");
		sid_round_trips(&s);
	} else {
		FUZZ_CHECK(e.what[0] != '\0', "sid_from_binary refused without a message");
	}
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_sid(data, size);
}
#endif
