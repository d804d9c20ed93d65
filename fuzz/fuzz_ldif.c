/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_ldif.c - the store reader: domain.ldif (backend/store/store_ldif*.c).
 * Any text: store_ldif_parse never crashes and a refusal carries a message; an
 * accepted domain renders to LDIF that parses again (what the store saves it
 * can read back). */
#include <string.h>

#include "backend/store/store_ldif.h"
#include "fuzz/fuzz.h"

int fuzz_ldif(const uint8_t *data, size_t size)
{
	stldif_domain d, again;
	tm_error e;
	char *text = NULL;
	size_t len = 0;

	error_clear(&e);
	if (store_ldif_parse((const char *)data, size, &d, &e) != 0) {
		FUZZ_CHECK(e.what[0] != '\0', "store_ldif_parse refused without a message");
		return 0;
	}
	error_clear(&e);
	FUZZ_CHECK(store_ldif_render(&d, &text, &len, &e) == 0, "accepted domain does not render");
	error_clear(&e);
	if (store_ldif_parse(text, len, &again, &e) != 0) {
		fprintf(stderr, "re-parse: %s\n", e.what);
		FUZZ_CHECK(0, "rendered domain.ldif does not parse again");
	}
	FUZZ_CHECK(again.ntdos == d.ntdos, "re-parse changed the number of TDOs");
	FUZZ_CHECK(again.naccounts == d.naccounts, "re-parse changed the number of accounts");
	store_ldif_free(&again);
	free(text);
	store_ldif_free(&d);
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ldif(data, size);
}
#endif
