/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_journal.h - reading the text of the embedded store's journal
 * (store_journal.c; the journal's operations are in store_internal.h).
 * Public for the fuzz target fuzz/fuzz_journal.c and the unit tests. */
#ifndef TM_STORE_JOURNAL_H
#define TM_STORE_JOURNAL_H

#include <stddef.h>

#include "backend/ops.h"

/* Parse the text of a journal (what STORE/journal/current holds, len bytes;
 * path names it in messages), checking its checksums (format 2). On
 * success info holds its id, start, process, op and progress, and *plan
 * the recorded plan (NULL when the plan ended well; free it with
 * plan_free). On damage: -1 with e (TM_EBACKEND,
 * ST_INTERNAL_DB_CORRUPTION, naming the line), *plan NULL, and info
 * holding what could be read before it. */
int store_journal_parse(const char *text, size_t len, const char *path, journal_info *info,
			tm_plan **plan, tm_error *e);

#endif
