/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_health.c - a domain's health file in the embedded store
 * (store_health.h): one "<partner>\t<health>\t<unix time>" line per trust
 * partner with the last known health, between the announcement of format 2
 * and its checksum and last lines, rewritten whole and atomically. It only
 * records what `trustmgr verify` finds, so a damaged file says that it may
 * be deleted (or, after a change by hand, its checksum line).
 */
#include "backend/store/store_health.h"
#include "backend/store/store_fs.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/cksum.h"
#include "model/grow.h"
#include "model/name.h"
#include "model/tdo.h"

typedef struct hline {
	char partner[NAME_DNS_MAX];
	int health;
	long long when;
} hline;

/* Parse one "<partner>\t<health>\t<unix time>" line. */
static int health_parse_line(char *l, hline *h)
{
	char *t1 = strchr(l, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *end;
	long v;

	if (!t1 || !t2 || t1 == l || (size_t)(t1 - l) >= sizeof(h->partner))
		return -1;
	memcpy(h->partner, l, (size_t)(t1 - l));
	h->partner[t1 - l] = '\0';
	errno = 0;
	v = strtol(t1 + 1, &end, 10);
	if (errno || end != t2 || v < HEALTH_UNKNOWN || v > HEALTH_CHANCE_USED)
		return -1;
	h->health = (int)v;
	h->when = strtoll(t2 + 1, &end, 10);
	return (errno || end == t2 + 1 || *end) ? -1 : 0;
}

/* What the lines read so far say about the file's format 2 frame (see
 * store_health.h): the announcement, the checksum line, the last line. */
typedef struct hframe {
	const char *what;            /* its name in messages */
	uint32_t crc;                /* CRC-32C of the lines before this one */
	int fmt;                     /* 2: announced on the first line; 1: not */
	int ended;                   /* the last line was read */
	unsigned long sum_line;      /* a checksum line right before this one (0: none) */
	size_t sum_at;               /* its offset: the bytes it covers */
	uint32_t sum_crc, sum_want;  /* their CRC-32C, and what the line says */
} hframe;

/* What to do about a damaged health file (fmt: its format; line: the
 * damaged line, 0 for the file as a whole). */
static void health_hint(tm_error *e, int fmt, unsigned long line)
{
	error_hint(e, "The health file only caches what `trustmgr verify` found: delete it, "
		   "then `trustmgr verify DOMAIN PARTNER` records each trust's state again.%s",
		   fmt == 2 ? " If it was changed by hand on purpose, delete its line \""
		   STHEALTH_SUM_PREFIX "...\" (the one before the last) instead: trustmgr then "
		   "reads it without this check and writes a new checksum the next time it "
		   "records a state." : line ? " Or delete just that line." : "");
}

/* Damage at line (0: the file as a whole); returns -1. */
static int health_damaged(const hframe *f, unsigned long line, tm_error *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int health_damaged(const hframe *f, unsigned long line, tm_error *e, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (line)
		error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s is damaged at line %lu: %s",
			   f->what, line, why);
	else
		error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "%s is damaged: %s", f->what, why);
	health_hint(e, f->fmt, line);
	return -1;
}

/* "# crc32c XXXXXXXX" (8 lower-case hex digits): 1 with *v, 0 when the
 * line is something else, -1 when it starts so but is garbled. */
static int health_sum_line(const char *l, uint32_t *v)
{
	size_t k = sizeof(STHEALTH_SUM_PREFIX) - 1, i;
	uint32_t x = 0;

	if (strncmp(l, STHEALTH_SUM_PREFIX, k) != 0)
		return 0;
	for (i = k; l[i]; i++) {
		if (l[i] >= '0' && l[i] <= '9')
			x = x << 4 | (uint32_t)(l[i] - '0');
		else if (l[i] >= 'a' && l[i] <= 'f')
			x = x << 4 | (uint32_t)(l[i] - 'a' + 10);
		else
			return -1;
	}
	if (i != k + 8)
		return -1;
	*v = x;
	return 1;
}

/* A line of format 2 that is no partner's (no tab in it): the checksum
 * line, then the last line. 1 when it was one of them, 0 when it is
 * another line, -1 with e when it is damage. nl: a newline ended it. */
static int health_frame_line(hframe *f, char *l, size_t at, unsigned long line, int nl,
			     tm_error *e)
{
	uint32_t v = 0;
	int sum;

	if (strcmp(l, STHEALTH_END_LINE) == 0) {
		if (!nl)
			return health_damaged(f, line, e, "the file ends without the newline of its "
					      "last line: it was cut short");
		f->ended = 1;
		if (f->sum_line && f->sum_crc != f->sum_want)
			return health_damaged(f, f->sum_line, e, "the checksum on this line (CRC-32C "
					      "%08x) does not match the %zu bytes before it (their "
					      "CRC-32C is %08x): some of them changed after trustmgr "
					      "wrote the file", (unsigned)f->sum_want, f->sum_at,
					      (unsigned)f->sum_crc);
		return 1;
	}
	if (f->sum_line)
		return health_damaged(f, f->sum_line, e, "a checksum line must come right before "
				      "the last line \"%s\"", STHEALTH_END_LINE);
	sum = health_sum_line(l, &v);
	if (sum < 0)
		return health_damaged(f, line, e, "this line starts like the file's checksum line "
				      "(\"%s\" and 8 lower-case hex digits) but is not one: it was "
				      "changed", STHEALTH_SUM_PREFIX);
	if (sum > 0) {
		f->sum_line = line;
		f->sum_at = at;
		f->sum_crc = f->crc;
		f->sum_want = v;
	}
	return sum;
}

/* One line (line: its number, at: its offset, nl: a newline ended it) into
 * *h; 1 when it holds no partner (blank, or the frame of format 2), 0 with
 * *h, -1 with e. */
static int health_line(hframe *f, char *l, size_t at, unsigned long line, int nl, hline *h,
		       tm_error *e)
{
	int rc;

	if (line == 1 && strcmp(l, STHEALTH_FORMAT_LINE) == 0) {
		f->fmt = 2;                /* without its newline: cut short, found at the end */
		return 1;
	}
	if (f->ended)
		return health_damaged(f, line, e, "the file goes on after its last line \"%s\"",
				      STHEALTH_END_LINE);
	if (f->fmt == 2 && *l && !strchr(l, '\t') &&
	    (rc = health_frame_line(f, l, at, line, nl, e)) != 0)
		return rc;
	if (f->sum_line)
		return health_damaged(f, f->sum_line, e, "a checksum line must come right before "
				      "the last line \"%s\"", STHEALTH_END_LINE);
	if (!*l)
		return 1;                  /* blank lines are harmless */
	if (health_parse_line(l, h) != 0)
		return health_damaged(f, line, e, "expected partner, health and time separated "
				      "by tabs");
	return 0;
}

/* Parse the text of a health file (len bytes, NUL-terminated, no NUL
 * before; named what in messages) into a malloc'd array; the text is cut
 * into lines in place. */
static int health_parse(char *text, size_t len, const char *what, hline **out, size_t *n,
			tm_error *e)
{
	hframe f = { .what = what, .fmt = 1 };
	char *l, *next;
	unsigned long line = 0;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (len == 0)
		rc = health_damaged(&f, 0, e, "it is empty, and trustmgr never writes an empty "
				    "health file: it was cut short");
	for (l = text; rc == 0 && l && *l; l = next) {
		hline h, *v;
		int nl;

		next = strchr(l, '\n');
		nl = next != NULL;
		if (next)
			*next++ = '\0';
		line++;
		rc = health_line(&f, l, (size_t)(l - text), line, nl, &h, e);
		f.crc = cksum_crc32c(f.crc, l, strlen(l));
		if (nl)
			f.crc = cksum_crc32c(f.crc, "\n", 1);
		if (rc > 0) {
			rc = 0;
		} else if (rc == 0) {
			if ((v = grow_array(*out, &cap, *n + 1, sizeof(*v), 16)) == NULL) {
				rc = error_fail(e, TM_EBACKEND, NULL, "out of memory reading %s", what);
			} else {
				*out = v;
				v[(*n)++] = h;
			}
		}
	}
	if (rc == 0 && f.fmt == 2 && !f.ended)
		rc = health_damaged(&f, line, e, "the file ends here, after %zu bytes, without its "
				    "last line \"%s\": it was cut short", len, STHEALTH_END_LINE);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* Read the health file into a malloc'd array (missing file: empty). */
static int health_read(const char *path, hline **out, size_t *n, tm_error *e)
{
	char *text = NULL;
	size_t len = 0;
	int rc = store_fs_read(path, &text, &len, e);

	*out = NULL;
	*n = 0;
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (memchr(text, '\0', len))
		rc = error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				"%s is damaged: it holds a NUL byte", path);
	else
		rc = health_parse(text, len, path, out, n, e);
	free(text);
	return rc;
}

/* store_health_check_text: the lines of a copy, parsed and forgotten. */
int store_health_check_text(const char *text, size_t len, const char *what, tm_error *e)
{
	char *copy;
	hline *v = NULL;
	size_t n = 0;
	int rc;

	if (memchr(text, '\0', len))
		return error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				  "%s is damaged: it holds a NUL byte", what);
	copy = malloc(len + 1);
	if (!copy)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading %s", what);
	memcpy(copy, text, len);
	copy[len] = '\0';
	rc = health_parse(copy, len, what, &v, &n, e);
	free(v);
	free(copy);
	return rc;
}

/* The last health file read, kept while the file stays the same (same
 * inode, size and modification time): listing N trusts asks for N partners
 * and must not read the file N times. */
static struct {
	char path[PATH_MAX];
	struct stat st;
	hline *v;
	size_t n;
	size_t *idx;               /* open-addressed: index + 1 of a partner's last line */
	size_t cap;                /* a power of two, over twice n; 0 without idx */
	int valid;
} cache;

/* The index slot of partner: holding its last line, or empty. */
static size_t *health_slot(const char *partner)
{
	size_t k = name_hash(partner) & (cache.cap - 1);

	while (cache.idx[k] && !name_equal(cache.v[cache.idx[k] - 1].partner, partner))
		k = (k + 1) & (cache.cap - 1);
	return &cache.idx[k];
}

/* Index the cached lines; later lines win, as they did when scanned. Without
 * memory for it, lookups scan the lines. */
static void health_index(void)
{
	size_t cap = 16, i;

	free(cache.idx);
	cache.idx = NULL;
	cache.cap = 0;
	while (cap < cache.n * 2 + 2)
		cap *= 2;
	cache.idx = calloc(cap, sizeof(*cache.idx));
	if (!cache.idx)
		return;
	cache.cap = cap;
	for (i = 0; i < cache.n; i++)
		*health_slot(cache.v[i].partner) = i + 1;
}

/* The cached line of partner, or NULL. */
static const hline *health_find(const char *partner)
{
	const hline *found = NULL;
	size_t i, *slot;

	if (cache.idx) {
		slot = health_slot(partner);
		return *slot ? &cache.v[*slot - 1] : NULL;
	}
	for (i = 0; i < cache.n; i++)
		if (name_equal(cache.v[i].partner, partner))
			found = &cache.v[i];
	return found;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Make the cache hold the health file at path when it is not current (a
 * missing file: an empty cache that is not kept). Returns 0 or -1 with e. */
static int health_cached(const char *path, tm_error *e)
{
	struct stat st;
	hline *nv = NULL;
	size_t nn = 0;
	int missing;

	memset(&st, 0, sizeof(st));
	missing = stat(path, &st) != 0;

	if (!missing && cache.valid && strcmp(cache.path, path) == 0 &&
	    same_file(&cache.st, &st))
		return 0;
	if (health_read(path, &nv, &nn, e) != 0)
		return -1;
	free(cache.v);
	cache.valid = !missing && strlen(path) < sizeof(cache.path);
	if (cache.valid)
		memcpy(cache.path, path, strlen(path) + 1);
	cache.st = st;
	cache.v = nv;
	cache.n = nn;
	health_index();
	return 0;
}

/* The last health recorded for partner (see store_health.h). */
int store_health_get(const char *path, const char *partner, tm_health *h, long long *when,
		 tm_error *e)
{
	const hline *l;

	if (health_cached(path, e) != 0)
		return -1;
	l = health_find(partner);
	if (l) {
		*h = (tm_health)l->health;
		*when = l->when;
	}
	return 0;
}

/* The health of every row's partner (see store_health.h). */
int store_health_get_rows(const char *path, const tm_tdo_rows *rows, tm_health *h,
		      long long *when, tm_error *e)
{
	const hline *l;
	size_t i;

	if (health_cached(path, e) != 0)
		return -1;
	for (i = 0; i < rows->n; i++) {
		l = health_find(tdo_rows_partner(rows, i));
		h[i] = l ? (tm_health)l->health : HEALTH_UNKNOWN;
		when[i] = l ? l->when : 0;
	}
	return 0;
}

/* Can p name a trust partner in the health file? */
int store_health_partner_ok(const char *p, tm_error *e)
{
	size_t i;

	for (i = 0; p && p[i]; i++)
		if ((unsigned char)p[i] < 0x20)
			break;
	if (p && p[0] && !p[i] && i < NAME_DNS_MAX)
		return 0;
	return error_fail(e, TM_EUSAGE, ST_OBJECT_NAME_INVALID,
		       "\"%.80s\" cannot name a trust partner", p ? p : "");
}

/* Rewrite the file with v[0..n) and the new line for partner, in format 2:
 * the announcement, the lines, the checksum of every byte before it, the
 * last line. */
static int health_write(const char *path, const hline *v, size_t n, const char *partner,
			tm_health h, tm_error *e)
{
	size_t cap = (n + 1) * (NAME_DNS_MAX + 48) + sizeof(STHEALTH_FORMAT_LINE) +
		     sizeof(STHEALTH_SUM_PREFIX) + sizeof(STHEALTH_END_LINE) + 16, len = 0, i;
	char *text = malloc(cap);
	int rc;

	if (!text)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory writing %s", path);
	len += (size_t)snprintf(text + len, cap - len, "%s\n", STHEALTH_FORMAT_LINE);
	for (i = 0; i < n; i++)
		if (!name_equal(v[i].partner, partner))
			len += (size_t)snprintf(text + len, cap - len, "%s\t%d\t%lld\n",
						v[i].partner, v[i].health, v[i].when);
	len += (size_t)snprintf(text + len, cap - len, "%s\t%d\t%lld\n", partner, (int)h,
				(long long)time(NULL));
	len += (size_t)snprintf(text + len, cap - len, STHEALTH_SUM_PREFIX "%08x\n%s\n",
				(unsigned)cksum_crc32c(0, text, len), STHEALTH_END_LINE);
	rc = store_fs_write_atomic(path, text, len, e);
	free(text);
	return rc;
}

/* Record h for partner now (see store_health.h). */
int store_health_put(const char *path, const char *partner, tm_health h, tm_error *e)
{
	hline *v = NULL;
	size_t n = 0;
	int rc;

	if (health_read(path, &v, &n, e) != 0)
		return -1;
	rc = health_write(path, v, n, partner, h, e);
	free(v);
	return rc;
}
