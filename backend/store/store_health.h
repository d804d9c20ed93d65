/* store_health.h - a store domain's health file (store_health.c): the last
 * known health of each trust partner, one tab-separated line each. */
#ifndef TM_STORE_HEALTH_H
#define TM_STORE_HEALTH_H

#include "model/trust.h"

/* Can p name a trust partner in the health file (1 to NAME_DNS_MAX - 1
 * bytes, no control characters)? Returns 0 or -1 with e. */
int store_health_partner_ok(const char *p, tm_error *e);

/* The last health recorded for partner in the health file at path (a
 * missing file holds none; partner names compare as name_equal does).
 * *h and *when are left as they are when there is none. Returns 0, or -1
 * with e (a damaged file is reported with its line number). */
int store_health_get(const char *path, const char *partner, tm_health *h, long long *when,
		 tm_error *e);

/* The last health of every row's partner in the file at path, into h[i]
 * and when[i] (HEALTH_UNKNOWN and 0 when none): one read of the file and
 * one hashed lookup a row. Returns 0 or -1 with e. */
int store_health_get_rows(const char *path, const tm_tdo_rows *rows, tm_health *h,
		      long long *when, tm_error *e);

/* Is text (len bytes) a health file the store can read? what names it in
 * messages. Returns 0, or -1 with e naming the damaged line. */
int store_health_check_text(const char *text, size_t len, const char *what, tm_error *e);

/* Record h for partner at the current time in the health file at path,
 * replacing its earlier line; the file is rewritten atomically. Returns 0
 * or -1 with e. */
int store_health_put(const char *path, const char *partner, tm_health h, tm_error *e);

#endif
