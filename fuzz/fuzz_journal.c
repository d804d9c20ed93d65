/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fuzz_journal.c - the journal reader of the embedded store
 * (store_journal_parse, backend/store/store_journal.c): any text. It never
 * crashes; a refusal carries a message, and damage is
 * STATUS_INTERNAL_DB_CORRUPTION naming the journal; an accepted journal
 * began with a journal's first line, and its progress fits its plan. */
#include <string.h>

#include "backend/store/store_journal.h"
#include "fuzz/fuzz.h"

int fuzz_journal(const uint8_t *data, size_t size);

int fuzz_journal(const uint8_t *data, size_t size)
{
	journal_info info;
	tm_plan *p = NULL;
	tm_error e;

	error_clear(&e);
	if (store_journal_parse((const char *)data, size, "JOURNAL", &info, &p, &e) != 0) {
		FUZZ_CHECK(e.what[0] != '\0', "store_journal_parse refused without a message");
		FUZZ_CHECK(p == NULL, "a refused journal left a plan");
		FUZZ_CHECK(!e.status || strcmp(e.status, ST_INTERNAL_DB_CORRUPTION) != 0 ||
			   strstr(e.what, "JOURNAL") != NULL, "damage that does not name the journal");
		return 0;
	}
	FUZZ_CHECK(size >= 19 && memcmp(data, "trustmgr-journal ", 17) == 0,
		   "accepted a journal without its first line");
	FUZZ_CHECK(info.id[0] != '\0' && info.op[0] != '\0', "accepted a journal without id or op");
	if (p) {
		FUZZ_CHECK(info.done <= p->nsteps, "more steps done than the plan has");
		FUZZ_CHECK(info.total == p->nsteps, "the total is not the plan's");
		plan_free(&p);
	}
	return 0;
}

#ifndef TM_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_journal(data, size);
}
#endif
