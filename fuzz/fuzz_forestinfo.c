/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_forestinfo.c - msDS-TrustForestTrustInfo decoder (model/forestinfo.c).
 * Any input: forestinfo_decode never crashes; accepted input encodes back to the
 * same bytes, byte for byte. */
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/forestinfo.h"

int fuzz_forestinfo(const uint8_t *data, size_t size)
{
	fti_info fi;
	tm_error e;
	uint8_t *out = NULL;
	size_t outlen = 0;

	memset(&fi, 0, sizeof(fi));
	error_clear(&e);
	if (forestinfo_decode(data, size, &fi, &e) != 0) {
		FUZZ_CHECK(e.what[0] != '\0', "forestinfo_decode refused without a message");
		return 0;
	}
	FUZZ_CHECK(forestinfo_encode(&fi, &out, &outlen) == 0, "accepted forest info does not encode");
	FUZZ_CHECK(outlen == size, "forest info round trip changed the length");
	FUZZ_CHECK(memcmp(out, data, size) == 0, "forest info round trip changed the bytes");
	free(out);
	forestinfo_free(&fi);
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_forestinfo(data, size);
}
#endif
