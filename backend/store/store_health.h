/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_health.h - a store domain's health file (store_health.c): the last
 * known health of each trust partner, one tab-separated line each.
 *
 * Format 2 (what trustmgr writes now) frames those lines: its first line
 * announces the format (STHEALTH_FORMAT_LINE), the line before the last is
 * "# crc32c XXXXXXXX", the CRC-32C (model/cksum.h) of every byte before it,
 * and the last line is STHEALTH_END_LINE, then a newline. A file that
 * announced format 2 must end so: anything else (cut short, a changed
 * byte, a line after the last, a line that is neither a partner's nor one
 * of these) is damage. A file of format 2 whose checksum line was deleted
 * (after a change by hand) is read without that check. Format 1 (the bare
 * lines an earlier trustmgr wrote, no announcement) is still read, line by
 * line; an empty file is damage in either (trustmgr never writes one). */
#ifndef TM_STORE_HEALTH_H
#define TM_STORE_HEALTH_H

#include "model/trust.h"

#define STHEALTH_END_LINE "# end of the trustmgr health file"
#define STHEALTH_SUM_PREFIX "# crc32c "
#define STHEALTH_FORMAT_LINE "# trustmgr health file, format 2: it ends with \"" \
	STHEALTH_SUM_PREFIX "X\" (X: the CRC-32C of the bytes before it), then \"" \
	STHEALTH_END_LINE "\"."

/* Can p name a trust partner in the health file (1 to NAME_DNS_MAX - 1
 * bytes, no control characters)? Returns 0 or -1 with e. */
int store_health_partner_ok(const char *p, tm_error *e);

/* The last health recorded for partner in the health file at path (a
 * missing file holds none; partner names compare as name_equal does).
 * *h and *when are left as they are when there is none. Returns 0, or -1
 * with e (a damaged file is STATUS_INTERNAL_DB_CORRUPTION with its line
 * number, or the file as a whole when it is empty). */
int store_health_get(const char *path, const char *partner, tm_health *h, long long *when,
		 tm_error *e);

/* The last health of every row's partner in the file at path, into h[i]
 * and when[i] (HEALTH_UNKNOWN and 0 when none): one read of the file and
 * one hashed lookup a row. Returns 0 or -1 with e. */
int store_health_get_rows(const char *path, const tm_tdo_rows *rows, tm_health *h,
		      long long *when, tm_error *e);

/* Is text (len bytes) a health file the store can read (either format,
 * its checksum matching)? what names it in messages. Returns 0, or -1 with
 * e naming the damaged line. */
int store_health_check_text(const char *text, size_t len, const char *what, tm_error *e);

/* Record h for partner at the current time in the health file at path,
 * replacing its earlier line; the file is rewritten atomically, in format
 * 2 whatever format it was read in (a damaged file is not rewritten).
 * Returns 0 or -1 with e. */
int store_health_put(const char *path, const char *partner, tm_health h, tm_error *e);

#endif
