/* store_health.c - a domain's health file in the embedded store
 * (store_internal.h): one "<partner>\t<health>\t<unix time>" line per trust
 * partner with the last known health, rewritten whole and atomically. It
 * only records what `trustmgr verify` finds, so a damaged file says which
 * line to remove.
 */
#include "store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../model/names.h"

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

/* Read the health file into a malloc'd array (missing file: empty). */
static int health_read(const char *path, hline **out, size_t *n, tm_error *e)
{
	char *text = NULL, *l, *next;
	unsigned long line = 0;
	size_t len = 0;
	int rc = stfs_read(path, &text, &len, e);

	*out = NULL;
	*n = 0;
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (l = text; rc == 0 && l && *l; l = next) {
		hline h, *v;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if (!*l)
			continue;                  /* blank lines are harmless */
		if (health_parse_line(l, &h) != 0) {
			rc = tm_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				"%s is damaged at line %lu: expected partner, health and time "
				"separated by tabs", path, line);
			tm_hint(e, "remove that line or the file: it only records the last known "
				   "health, which `trustmgr verify` records again");
		} else if ((v = realloc(*out, (*n + 1) * sizeof(*v))) == NULL) {
			rc = tm_fail(e, TM_EBACKEND, NULL, "out of memory reading %s", path);
		} else {
			*out = v;
			v[(*n)++] = h;
		}
	}
	free(text);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* The last health recorded for partner (see store_internal.h). */
int sthealth_get(const char *path, const char *partner, tm_health *h, long long *when,
		 tm_error *e)
{
	hline *v = NULL;
	size_t n = 0, i;

	if (health_read(path, &v, &n, e) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (name_equal(v[i].partner, partner)) {
			*h = (tm_health)v[i].health;
			*when = v[i].when;
		}
	free(v);
	return 0;
}

/* Can p name a trust partner in the health file? */
int sthealth_partner_ok(const char *p, tm_error *e)
{
	size_t i;

	for (i = 0; p && p[i]; i++)
		if ((unsigned char)p[i] < 0x20)
			break;
	if (p && p[0] && !p[i] && i < NAME_DNS_MAX)
		return 0;
	return tm_fail(e, TM_EUSAGE, ST_OBJECT_NAME_INVALID,
		       "\"%.80s\" cannot name a trust partner", p ? p : "");
}

/* Rewrite the file with v[0..n) and the new line for partner. */
static int health_write(const char *path, const hline *v, size_t n, const char *partner,
			tm_health h, tm_error *e)
{
	size_t cap = (n + 1) * (NAME_DNS_MAX + 48), len = 0, i;
	char *text = malloc(cap);
	int rc;

	if (!text)
		return tm_fail(e, TM_EBACKEND, NULL, "out of memory writing %s", path);
	for (i = 0; i < n; i++)
		if (!name_equal(v[i].partner, partner))
			len += (size_t)snprintf(text + len, cap - len, "%s\t%d\t%lld\n",
						v[i].partner, v[i].health, v[i].when);
	len += (size_t)snprintf(text + len, cap - len, "%s\t%d\t%lld\n", partner, (int)h,
				(long long)time(NULL));
	rc = stfs_write_atomic(path, text, len, e);
	free(text);
	return rc;
}

/* Record h for partner now (see store_internal.h). */
int sthealth_put(const char *path, const char *partner, tm_health h, tm_error *e)
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
