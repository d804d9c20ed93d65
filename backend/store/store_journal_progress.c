/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_journal_progress.c - the progress lines of the journal of the
 * running plan (store_journal.c has the format): "done N" for each step
 * done, "running A B" before steps run side by side, each with its
 * CRC-32C, appended durably. */
#include "backend/store/store_internal.h"
#include "backend/store/store_fs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cksum.h"

/* A line's text with its checksum into buf (at most n bytes): its length. */
static size_t store_journal_line(char *buf, size_t n, const char *text)
{
	int k = snprintf(buf, n, "%s %08x\n", text, (unsigned)cksum_crc32c(0, text, strlen(text)));

	return k > 0 && (size_t)k < n ? (size_t)k : 0;
}

static int store_journal_open_path(const store *s, char *path, tm_error *e)
{
	if (!s->journal_open)
		return error_fail(e, TM_EBACKEND, NULL, "no plan is being recorded by this process");
	return store_fs_path(s, path, PATH_MAX, e, "journal/current");
}

/* store_journal_steps: durably mark steps [from, to) done, in one write. */
int store_journal_steps(store *s, size_t from, size_t to, tm_error *e)
{
	char path[PATH_MAX], text[48], *lines;
	size_t k, len = 0;
	int rc;

	if (store_journal_open_path(s, path, e) != 0)
		return -1;
	if (from >= to)
		return 0;
	if (!(lines = malloc((to - from) * 64)))
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while recording the plan");
	for (k = from; k < to; k++) {
		snprintf(text, sizeof(text), "done %zu", k);
		len += store_journal_line(lines + len, 64, text);
	}
	rc = store_fs_append(path, lines, len, e);
	free(lines);
	return rc;
}

/* store_journal_step: durably mark step i done. */
int store_journal_step(store *s, size_t i, tm_error *e)
{
	return store_journal_steps(s, i, i + 1, e);
}

/* store_journal_append: one progress line (text and its checksum), durably. */
int store_journal_append(store *s, const char *text, tm_error *e)
{
	char path[PATH_MAX], line[96];

	if (store_journal_open_path(s, path, e) != 0)
		return -1;
	return store_fs_append(path, line, store_journal_line(line, sizeof(line), text), e);
}

/* store_journal_running: durably say that steps [from, to) run side by side. */
int store_journal_running(store *s, size_t from, size_t to, tm_error *e)
{
	char text[64];

	snprintf(text, sizeof(text), "running %zu %zu", from, to);
	return store_journal_append(s, text, e);
}
