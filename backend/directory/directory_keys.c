/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory_keys.c - a KDC's cross-realm principals as the directory
 * backend reads them through kadmin, each at most once a command
 * (directory_internal.h).
 *
 * kadm5 has no call that reads several principals: a listing gives the
 * names, and each principal is one more call. A plain realm (or a
 * directory domain's KDC) with thousands of partners would cost a command
 * thousands of calls per read, and a command reads a domain several times
 * (its snapshot's TDOs, accounts and keys, the journal's before-images, a
 * step reading a TDO back). So the names are listed once, and each
 * principal is read once, when a read first asks for it: a read that
 * concerns one partner (ops.h, the *_focus reads) asks only for the
 * principals between the realm and that partner. What was read is kept
 * until the backend itself changes a principal in that realm (a key set,
 * deleted or changed, a permit armed or disarmed, a password proven): that
 * principal is then read again when next asked for (each such change
 * concerns one principal), or until the backend is closed: every command
 * (and every operation of the console) opens its own.
 */
#include <stdlib.h>
#include <string.h>

#include "backend/directory/directory_internal.h"
#include "model/keys.h"
#include "model/name.h"

/* UNREAD: read when asked; PRESENT: known to exist (this backend just made
 * or changed it), read when its keys are asked for. */
enum { DIRKEYS_UNREAD = 0, DIRKEYS_READ, DIRKEYS_GONE, DIRKEYS_PRESENT };

struct dirkeys {
	int listed;                  /* names holds the listing */
	char **names;                /* the cross-realm principals listed */
	size_t n;
	unsigned char *state;        /* per name: DIRKEYS_* */
	tm_keyinfo *info;            /* per name, when READ */
};

/* directory_keys_new: n empty caches (NULL on ENOMEM). */
dirkeys *directory_keys_new(size_t n)
{
	return calloc(n ? n : 1, sizeof(dirkeys));
}

/* Forget what c holds. */
static void directory_keys_clear(dirkeys *c)
{
	kdc_names_free(c->names, c->n);
	free(c->state);
	free(c->info);
	memset(c, 0, sizeof(*c));
}

/* directory_keys_free: every cache, then the array. */
void directory_keys_free(dirkeys *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		directory_keys_clear(&v[i]);
	free(v);
}

/* Mark principal of c to be read again, in state (UNREAD, or PRESENT when
 * it is known to exist; added to the listing when it was not in it). 0, or
 * -1 when memory ran out. */
static int directory_keys_stale(dirkeys *c, const char *principal, unsigned char to)
{
	size_t k;
	char **names;
	unsigned char *state;
	tm_keyinfo *info;

	for (k = 0; k < c->n; k++)
		if (strcmp(c->names[k], principal) == 0) {
			c->state[k] = to;
			return 0;
		}
	names = realloc(c->names, (c->n + 1) * sizeof(*names));
	if (names)
		c->names = names;
	state = names ? realloc(c->state, c->n + 1) : NULL;
	if (state)
		c->state = state;
	info = state ? realloc(c->info, (c->n + 1) * sizeof(*info)) : NULL;
	if (info)
		c->info = info;
	if (!info || !(c->names[c->n] = strdup(principal)))
		return -1;
	c->state[c->n] = to;
	memset(&c->info[c->n], 0, sizeof(*info));
	c->n++;
	return 0;
}

/* directory_keys_forget_one: principal of d's realm changed (exists: 1
 * when it is known to exist now, 0 when that is not known); a domain
 * configured with the same realm shares its KDC, so its cache too. */
void directory_keys_forget_one(dirbe *b, const tm_domain *d, const char *principal, int exists)
{
	unsigned char state = exists ? DIRKEYS_PRESENT : DIRKEYS_UNREAD;
	size_t i;

	for (i = 0; b->keys && i < b->cfg.ndomains; i++)
		if ((strcmp(b->cfg.domains[i].dom.name, d->name) == 0 ||
		     (d->realm[0] && name_equal(b->cfg.domains[i].dom.realm, d->realm))) &&
		    b->keys[i].listed && directory_keys_stale(&b->keys[i], principal, state) < 0)
			directory_keys_clear(&b->keys[i]);
}

/* Does principal concern f (either realm of krbtgt/X@Y one of its names)?
 * f NULL: every principal does. */
static int directory_keys_wanted(const tm_focus *f, const char *principal)
{
	char x[NAME_DNS_MAX], y[NAME_DNS_MAX];

	if (!f)
		return 1;
	if (!keys_split_trust_principal(principal, x, y, sizeof(x)))
		return 0;
	return backend_focus_has(f, x) || backend_focus_has(f, y);
}

/* d's cache with the names listed (one kadmin call the first time), or
 * NULL with e. */
static dirkeys *directory_keys_listed(dirbe *b, const tm_domain *d, kdc **k, tm_error *e)
{
	long i = directory_index(b, d, e);
	dirkeys *c;

	if (i < 0 || !(*k = directory_kdc(b, d, e)))
		return NULL;
	c = &b->keys[i];
	if (c->listed)
		return c;
	if (kdc_cross_names(*k, &c->names, &c->n, e) < 0) {
		directory_keys_clear(c);
		return NULL;
	}
	c->state = calloc(c->n ? c->n : 1, sizeof(*c->state));
	c->info = calloc(c->n ? c->n : 1, sizeof(*c->info));
	if (!c->state || !c->info) {
		directory_keys_clear(c);
		error_fail(e, TM_EBACKEND, NULL, "out of memory while reading %s", d->name);
		return NULL;
	}
	c->listed = 1;
	return c;
}

/* Read, in one kadmin call, every principal f wants that is not read yet. */
static int directory_keys_fill(dirkeys *c, kdc *k, const tm_focus *f, tm_error *e)
{
	char **want = malloc((c->n ? c->n : 1) * sizeof(*want));
	size_t *at = malloc((c->n ? c->n : 1) * sizeof(*at));
	tm_keyinfo *info = NULL;
	unsigned char *found = NULL;
	size_t i, m = 0;
	int rc = 0;

	if (want && at)
		for (i = 0; i < c->n; i++)
			if ((c->state[i] == DIRKEYS_UNREAD || c->state[i] == DIRKEYS_PRESENT) &&
			    directory_keys_wanted(f, c->names[i])) {
				at[m] = i;
				want[m++] = c->names[i];
			}
	if (want && at && m) {
		info = calloc(m, sizeof(*info));
		found = calloc(m, 1);
	}
	if (!want || !at || (m && (!info || !found)))
		rc = error_fail(e, TM_EBACKEND, NULL, "out of memory");
	else if (m)
		rc = kdc_key_get(k, want, m, info, found, e);
	for (i = 0; rc == 0 && i < m; i++) {
		c->state[at[i]] = found[i] ? DIRKEYS_READ : DIRKEYS_GONE;
		if (found[i])
			c->info[at[i]] = info[i];
	}
	free(want);
	free(at);
	free(info);
	free(found);
	return rc;
}

/* directory_keys_read: what kdc_key_list gives, of the principals f
 * wants, in the listing's order. */
int directory_keys_read(dirbe *b, const tm_domain *d, const tm_focus *f, tm_keyinfo **out,
			size_t *n, tm_error *e)
{
	dirkeys *c;
	size_t i;
	kdc *k;

	*out = NULL;
	*n = 0;
	if (!(c = directory_keys_listed(b, d, &k, e)))
		return -1;
	if (directory_keys_fill(c, k, f, e) < 0) {
		directory_keys_clear(c);
		return -1;
	}
	if (!(*out = calloc(c->n ? c->n : 1, sizeof(**out))))
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while reading %s", d->name);
	for (i = 0; i < c->n; i++)
		if (c->state[i] == DIRKEYS_READ && directory_keys_wanted(f, c->names[i]))
			(*out)[(*n)++] = c->info[i];
	return 0;
}

/* directory_keys_has: 1 when principal was read, 0 when it was listed
 * and found gone or not listed at all, -1 when nothing is known yet. */
int directory_keys_has(dirbe *b, const tm_domain *d, const char *principal)
{
	tm_error ignore;
	long i = directory_index(b, d, &ignore);
	const dirkeys *c;
	size_t k;

	if (i < 0 || !b->keys || !(c = &b->keys[i])->listed)
		return -1;
	for (k = 0; k < c->n; k++)
		if (strcmp(c->names[k], principal) == 0)
			return c->state[k] == DIRKEYS_READ || c->state[k] == DIRKEYS_PRESENT ? 1 :
			       c->state[k] == DIRKEYS_GONE ? 0 : -1;
	return 0;
}
