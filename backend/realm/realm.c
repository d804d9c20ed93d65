/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* realm.c - a plain MIT realm's trusts, read from its principals (realm.h). */
#include "backend/realm/realm.h"

#include <stdlib.h>
#include <string.h>

#include "model/authblob.h"
#include "model/grow.h"
#include "model/keys.h"
#include "model/name.h"
#include "model/tdo.h"

/* Which way principal `princ` of realm `realm` points, and the partner
 * realm (NAME_DNS_MAX bytes): TRUST_DIRECTION_INBOUND for krbtgt/X@R,
 * OUTBOUND for krbtgt/R@X, 0 when it is neither. */
static uint32_t realm_way(const char *realm, const char *princ, char *partner)
{
	char x[NAME_DNS_MAX], y[NAME_DNS_MAX];

	if (!keys_split_trust_principal(princ, x, y, sizeof(x)))
		return 0;
	if (name_equal(y, realm) && !name_equal(x, realm)) {
		memcpy(partner, x, sizeof(x));
		return TRUST_DIRECTION_INBOUND;
	}
	if (name_equal(x, realm) && !name_equal(y, realm)) {
		memcpy(partner, y, sizeof(y));
		return TRUST_DIRECTION_OUTBOUND;
	}
	return 0;
}

/* An index from partner names to positions (1-based, 0 = empty slot), open
 * addressing over name_hash: principals are grouped by partner in O(1)
 * each, as a realm may trust thousands of realms. Sized once for every
 * name it may hold, so it never grows. */
typedef struct realm_index {
	size_t *slot;
	size_t cap;                  /* a power of two, more than twice the names */
} realm_index;

typedef const char *(*realm_name_at)(const void *set, size_t i);

static int realm_index_init(realm_index *ix, size_t names)
{
	ix->cap = 16;
	while (ix->cap < 2 * names + 1)
		ix->cap <<= 1;
	ix->slot = calloc(ix->cap, sizeof(*ix->slot));
	return ix->slot ? 0 : -1;
}

/* The slot of name: its position + 1, or the empty slot to put it in. */
static size_t *realm_index_slot(const realm_index *ix, const char *name, realm_name_at at,
				const void *set)
{
	size_t i = name_hash(name) & (ix->cap - 1);

	while (ix->slot[i] && !name_equal(at(set, ix->slot[i] - 1), name))
		i = (i + 1) & (ix->cap - 1);
	return &ix->slot[i];
}

static const char *realm_tdo_name(const void *set, size_t i)
{
	return ((const tm_tdo *)set)[i].partner;
}

static const char *realm_row_name(const void *set, size_t i)
{
	return tdo_rows_partner(set, i);
}

/* The TDO for partner in v (n of them), added when missing; NULL on ENOMEM. */
static tm_tdo *realm_tdo_for(tm_tdo **v, size_t *n, size_t *cap, const char *partner,
			     const realm_index *ix)
{
	size_t *slot = realm_index_slot(ix, partner, realm_tdo_name, *v);
	tm_tdo *t;

	if (*slot)
		return &(*v)[*slot - 1];
	if (!(t = grow_array(*v, cap, *n + 1, sizeof(*t), 8)))
		return NULL;
	*v = t;
	t = &(*v)[(*n)++];
	tdo_init(t);
	memcpy(t->partner, partner, sizeof(t->partner));
	t->type = TRUST_TYPE_MIT;
	*slot = *n;
	return t;
}

/* b holds only what the KDC records of the key: its version and when it
 * was set. 0, or -1 on ENOMEM. */
static int realm_blob(authblob *b, const tm_keyinfo *k)
{
	authblob_entry *en = &b->current[0];

	authblob_free(b);
	if (!(en->data = calloc(1, 4)))
		return -1;
	en->type = TRUST_AUTH_TYPE_VERSION;
	en->len = 4;
	en->data[0] = (uint8_t)k->kvno;
	en->data[1] = (uint8_t)(k->kvno >> 8);
	en->data[2] = (uint8_t)(k->kvno >> 16);
	en->data[3] = (uint8_t)(k->kvno >> 24);
	en->last_update = k->changed > 0 ? authblob_filetime(k->changed) : 0;
	b->count = 1;
	return 0;
}

/* Fold one key into its partner's TDO. 0, or -1 on ENOMEM. */
static int realm_add_key(const char *realm, const tm_keyinfo *k, tm_tdo **v, size_t *n,
			 size_t *cap, const realm_index *ix)
{
	char partner[NAME_DNS_MAX];
	uint32_t way = realm_way(realm, k->principal, partner);
	tm_tdo *t;

	if (!way)
		return 0;
	if (!(t = realm_tdo_for(v, n, cap, partner, ix)))
		return -1;
	t->direction |= way;
	if (k->enctypes) {
		t->enctypes = t->has_enctypes ? (t->enctypes & k->enctypes) : k->enctypes;
		t->has_enctypes = 1;
	}
	/* The secret of "R trusts X" is R's outgoing one (docs/RULES.md). */
	return realm_blob(way == TRUST_DIRECTION_OUTBOUND ? &t->outgoing : &t->incoming, k);
}

/* realm_tdos_from_keys: group the principals by partner realm. */
int realm_tdos_from_keys(const char *realm, const tm_keyinfo *keys, size_t nkeys,
			 tm_tdo **out, size_t *n)
{
	size_t i, cap = 0;
	realm_index ix;

	*out = NULL;
	*n = 0;
	if (realm_index_init(&ix, nkeys) < 0)
		return -1;
	for (i = 0; i < nkeys; i++)
		if (realm_add_key(realm, &keys[i], out, n, &cap, &ix) < 0) {
			tdo_free_array(out, *n);
			*n = 0;
			free(ix.slot);
			return -1;
		}
	free(ix.slot);
	return 0;
}

/* One name folded into the rows (its partner's row found through ix). */
static int realm_row_add(const char *realm, const char *princ, tm_tdo_rows *out,
			 const realm_index *ix)
{
	char partner[NAME_DNS_MAX];
	uint32_t way = realm_way(realm, princ, partner);
	size_t *slot;
	tm_tdo t;
	int rc;

	if (!way)
		return 0;
	slot = realm_index_slot(ix, partner, realm_row_name, out);
	if (*slot) {
		out->v[*slot - 1].direction |= way;
		return 0;
	}
	tdo_init(&t);
	memcpy(t.partner, partner, sizeof(t.partner));
	t.type = TRUST_TYPE_MIT;
	t.direction = way;
	rc = tdo_rows_add(out, &t);
	tdo_free(&t);
	if (rc == 0)
		*slot = out->n;
	return rc;
}

/* realm_tdo_rows: one listing call, no per-principal reads; the rows out
 * held already are indexed too, so a partner is never listed twice. */
int realm_tdo_rows(kdc *k, const tm_domain *d, tm_tdo_rows *out, tm_error *e)
{
	char **names = NULL;
	size_t n = 0, i, *slot;
	realm_index ix = { NULL, 0 };
	int rc = 0;

	if (kdc_cross_names(k, &names, &n, e) < 0)
		return -1;
	if (realm_index_init(&ix, out->n + n) < 0)
		rc = -1;
	for (i = 0; i < out->n && rc == 0; i++)
		if (!*(slot = realm_index_slot(&ix, tdo_rows_partner(out, i), realm_row_name, out)))
			*slot = i + 1;
	for (i = 0; i < n && rc == 0; i++)
		rc = realm_row_add(d->realm, names[i], out, &ix);
	free(ix.slot);
	kdc_names_free(names, n);
	if (rc < 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while listing %s", d->name);
	return 0;
}
