/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_authblob.c - trustAuthIncoming/Outgoing decoder (model/authblob.c).
 * Any input: authblob_decode never crashes; an accepted blob encodes back to
 * the same bytes, byte for byte (the decoder is documented as strict). */
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/authblob.h"

int fuzz_authblob(const uint8_t *data, size_t size)
{
	authblob b;
	tm_error e;
	uint8_t *out = NULL;
	size_t outlen = 0;

	memset(&b, 0, sizeof(b));
	error_clear(&e);
	if (authblob_decode(data, size, &b, &e) != 0) {
		FUZZ_CHECK(e.what[0] != '\0', "authblob_decode refused without a message");
		return 0;
	}
	FUZZ_CHECK(authblob_encode(&b, &out, &outlen) == 0, "accepted blob does not encode");
	FUZZ_CHECK(outlen == size, "authblob round trip changed the length");
	FUZZ_CHECK(memcmp(out, data, size) == 0, "authblob round trip changed the bytes");
	free(out);
	authblob_free(&b);
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_authblob(data, size);
}
#endif
