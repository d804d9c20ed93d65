/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* tdo.c - trusted domain objects: copy, free, match by name, and the compact
 * rows a listing keeps (tdo.h). */
#include "model/tdo.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/grow.h"
#include "model/name.h"
#include "model/sid.h"
/* ---- TDOs ------------------------------------------------------------- */

/* Initialise an empty TDO. */
void tdo_init(tm_tdo *t)
{
	if (t)
		memset(t, 0, sizeof(*t));
}

/* Wipe secrets, free owned memory, leave an empty TDO. */
void tdo_free(tm_tdo *t)
{
	if (!t)
		return;
	authblob_free(&t->incoming);
	authblob_free(&t->outgoing);
	free(t->ftinfo);
	tdo_init(t);
}

/* Deep copy into dst (its old contents are not freed); dst is empty on failure. */
int tdo_copy(tm_tdo *dst, const tm_tdo *src)
{
	if (!dst || !src)
		return -1;
	*dst = *src;
	memset(&dst->incoming, 0, sizeof(dst->incoming));
	memset(&dst->outgoing, 0, sizeof(dst->outgoing));
	dst->ftinfo = NULL;
	dst->ftinfo_len = 0;
	if (authblob_copy(&dst->incoming, &src->incoming) < 0 ||
	    authblob_copy(&dst->outgoing, &src->outgoing) < 0)
		goto fail;
	if (src->ftinfo && src->ftinfo_len > 0) {
		dst->ftinfo = malloc(src->ftinfo_len);
		if (!dst->ftinfo)
			goto fail;
		memcpy(dst->ftinfo, src->ftinfo, src->ftinfo_len);
		dst->ftinfo_len = src->ftinfo_len;
	}
	return 0;
fail:
	tdo_free(dst);
	return -1;
}

/* Free n TDOs and the array; *v becomes NULL. */
void tdo_free_array(tm_tdo **v, size_t n)
{
	size_t i;

	if (!v || !*v)
		return;
	for (i = 0; i < n; i++)
		tdo_free(&(*v)[i]);
	free(*v);
	*v = NULL;
}

/* Does the TDO name this partner (trustPartner, flatName or SID text)? */
int tdo_matches(const tm_tdo *t, const char *name)
{
	if (!t || !name || !name[0])
		return 0;
	if (t->partner[0] && name_equal(t->partner, name))
		return 1;
	if (t->flat[0] && name_equal(t->flat, name))
		return 1;
	return t->has_sid && sid_text_equals(name, &t->sid);
}



/* Room for one more row; the array grows geometrically. */
static int rows_room(tm_tdo_rows *r)
{
	tm_tdo_row *v = grow_array(r->v, &r->cap, r->n + 1, sizeof(*v), 64);

	if (!v)
		return -1;
	r->v = v;
	return 0;
}

/* Copy s (with its NUL) into the text; its offset in *off. */
static int rows_text(tm_tdo_rows *r, const char *s, uint32_t *off)
{
	size_t len = strlen(s) + 1;
	char *t;

	if (r->len + len > UINT32_MAX)
		return -1;
	if (!(t = grow_array(r->text, &r->text_cap, r->len + len, 1, 4096)))
		return -1;
	r->text = t;
	memcpy(r->text + r->len, s, len);
	*off = (uint32_t)r->len;
	r->len += len;
	return 0;
}

int tdo_rows_add(tm_tdo_rows *r, const tm_tdo *t)
{
	tm_tdo_row *row;

	if (rows_room(r) < 0)
		return -1;
	row = &r->v[r->n];
	if (rows_text(r, t->partner, &row->partner) < 0 || rows_text(r, t->flat, &row->flat) < 0)
		return -1;
	row->direction = t->direction;
	row->type = t->type;
	row->attributes = t->attributes;
	r->n++;
	return 0;
}

const char *tdo_rows_partner(const tm_tdo_rows *r, size_t i)
{
	return r->text + r->v[i].partner;
}

const char *tdo_rows_flat(const tm_tdo_rows *r, size_t i)
{
	return r->text + r->v[i].flat;
}

void tdo_rows_trim(tm_tdo_rows *r)
{
	tm_tdo_row *v;
	char *t;

	if (r->n && r->n < r->cap && (v = realloc(r->v, r->n * sizeof(*v))) != NULL) {
		r->v = v;
		r->cap = r->n;
	}
	if (r->len && r->len < r->text_cap && (t = realloc(r->text, r->len)) != NULL) {
		r->text = t;
		r->text_cap = r->len;
	}
}

void tdo_rows_free(tm_tdo_rows *r)
{
	free(r->v);
	free(r->text);
	memset(r, 0, sizeof(*r));
}
