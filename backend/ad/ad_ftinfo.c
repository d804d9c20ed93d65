/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ad_ftinfo.c - the forest trust information of a TDO on a DC, written
 * through LSA (lsaRSetForestTrustInformation, via the helper's ftinfo_set):
 * first as a check (check_only), whose collision information is read; a
 * record sent enabled that the DC finds in collision refuses the change
 * before anything is written, naming with whom; then written. */
#include "backend/ad/ad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/forestinfo.h"
#include "model/tdo.h"

/* One collision record of the helper's text ("index=N type=T flags=0xF
 * name=NAME"). */
typedef struct ad_collision {
	unsigned long index, type, flags;
	char name[256];
} ad_collision;

/* Parse one "; "-separated part of text into c; 0, or -1 when malformed. */
static int ad_ftinfo_parse(const char *part, ad_collision *c)
{
	const char *name = strstr(part, " name=");

	memset(c, 0, sizeof(*c));
	if (sscanf(part, "index=%lu type=%lu flags=%lx", &c->index, &c->type, &c->flags) != 3)
		return -1;
	if (name)
		snprintf(c->name, sizeof(c->name), "%s", name + strlen(" name="));
	return 0;
}

/* Whom a collision of type `type` is with, in words. */
static const char *ad_ftinfo_whom(unsigned long type)
{
	switch (type) {
	case 0: return "the trust with";
	case 1: return "the local forest's domain";
	default: return "the name";
	}
}

/* Does the DC's collision c stop record r, sent as it is? Only when r goes
 * enabled (for the part the collision concerns) and the DC would disable it. */
static int ad_ftinfo_stops(const fti_record *r, const ad_collision *c)
{
	if (r->type == FTI_TOP_LEVEL_NAME)
		return !(r->flags & FTI_TLN_DISABLED_MASK) && (c->flags & FTI_TLN_DISABLED_CONFLICT);
	if (r->type != FTI_DOMAIN_INFO)
		return 0;
	return (!(r->flags & FTI_SID_DISABLED_MASK) && (c->flags & FTI_SID_DISABLED_CONFLICT)) ||
	       (!(r->flags & FTI_NB_DISABLED_MASK) && (c->flags & FTI_NB_DISABLED_CONFLICT));
}

/* ad_ftinfo_collisions: see ad.h. */
size_t ad_ftinfo_collisions(const fti_info *fi, const char *text, char *what, size_t n)
{
	char *copy = strdup(text ? text : ""), *save = NULL, *part;
	char one[384], tbuf[32];
	size_t nstop = 0;
	ad_collision c;

	if (n)
		what[0] = '\0';
	if (!copy)
		return 0;
	for (part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
		const fti_record *r;

		while (*part == ' ')
			part++;
		if (ad_ftinfo_parse(part, &c) < 0 || c.index >= fi->count)
			continue;
		r = &fi->records[c.index];
		if (!ad_ftinfo_stops(r, &c))
			continue;
		snprintf(one, sizeof(one), "%s%s %s collides with %s %s", nstop ? "; " : "",
			 forestinfo_type_name(r, tbuf, sizeof(tbuf)),
			 forestinfo_known(r) && r->name ? r->name : "?", ad_ftinfo_whom(c.type),
			 c.name[0] ? c.name : "another name of the forest");
		if (n)
			error_append(what, n, one);
		nstop++;
	}
	free(copy);
	return nstop;
}

/* The refusal for the records of fi the collisions of text stop; 0 when
 * none. */
static int ad_ftinfo_refusal(const ad_side *s, const tm_tdo *t, const fti_info *fi,
			     const char *text, tm_error *e)
{
	char what[512];

	if (!ad_ftinfo_collisions(fi, text, what, sizeof(what)))
		return 0;
	error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
		   "%s (DC %s) refused the forest trust information for %s: %s. Nothing was "
		   "written.", s->cfg->dom.name, s->facts.dc_host, t->partner, what);
	error_hint(e, "Leave that name disabled, or exclude it (trustmgr namespaces %s %s "
		      "--disable-tln NAME or --add-tln-ex NAME); 'trustmgr namespaces %s %s' shows "
		      "the records.", s->cfg->dom.name, t->partner, s->cfg->dom.name, t->partner);
	return -1;
}

/* One ftinfo_set; *collisions (malloc'd, "" for none) when not NULL. */
static int ad_ftinfo_set(ad_side *s, const tm_tdo *t, int check_only, char **collisions,
			 tm_error *e)
{
	const char *text;
	ad_msg m;
	ad_reply r;

	ad_msg_init(&m, "ftinfo_set");
	if (ad_msg_add_str(&m, "name", t->partner) < 0 ||
	    ad_msg_add(&m, "data", t->ftinfo, t->ftinfo_len) < 0 ||
	    (check_only && ad_msg_add_u32(&m, "check_only", 1) < 0)) {
		ad_msg_free(&m);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	}
	if (ad_call(s, &m, &r, check_only ? "checking the forest trust information" :
		    "writing the forest trust information", e) < 0) {
		error_prefix(e, "%s, TDO for %s: ", s->cfg->dom.name, t->partner);
		return -1;
	}
	text = ad_msg_get(&r.end, "collisions", NULL);
	if (collisions && !(*collisions = strdup(text ? text : ""))) {
		ad_reply_free(&r);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	}
	ad_reply_free(&r);
	return 0;
}

/* The number of records of fi trustmgr keeps opaque (binary data, scanner
 * information, later types). */
static size_t ad_ftinfo_opaque(const fti_info *fi)
{
	size_t i, n = 0;

	for (i = 0; i < fi->count; i++)
		n += !forestinfo_known(&fi->records[i]);
	return n;
}

/* A DC that takes no record of a type it does not know (Samba answers
 * STATUS_INVALID_PARAMETER): say so, instead of the generic refusal. */
static int ad_ftinfo_opaque_refused(const ad_side *s, const tm_tdo *t, size_t n, tm_error *e)
{
	error_clear(e);
	error_fail(e, TM_EREFUSED, ST_NOT_SUPPORTED,
		   "%s (DC %s) refused the forest trust information for %s: it takes no record "
		   "of a type it does not interpret through lsaRSetForestTrustInformation, and "
		   "the records hold %zu (binary data or a later type). Nothing was written: the "
		   "records stay as they are.", s->cfg->dom.name, s->facts.dc_host, t->partner, n);
	error_hint(e, "Change them with the tool that wrote those records, or on a DC that keeps "
		      "them (Windows); trustmgr never drops a record it does not interpret.");
	return -1;
}

/* ad_ftinfo_put: see ad.h. */
int ad_ftinfo_put(ad_side *s, const tm_tdo *t, tm_error *e)
{
	char *collisions = NULL;
	fti_info fi;
	int rc = 0, decoded;

	if (!(t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) || !t->ftinfo_len)
		return 0;
	decoded = forestinfo_decode(t->ftinfo, t->ftinfo_len, &fi, NULL) == 0;
	if (ad_ftinfo_set(s, t, 1, &collisions, e) < 0) {
		if (decoded && e->status && strcmp(e->status, ST_INVALID_PARAMETER) == 0 &&
		    ad_ftinfo_opaque(&fi))
			ad_ftinfo_opaque_refused(s, t, ad_ftinfo_opaque(&fi), e);
		rc = -1;
	} else if (collisions[0] && decoded) {
		rc = ad_ftinfo_refusal(s, t, &fi, collisions, e);
	}
	if (decoded)
		forestinfo_free(&fi);
	free(collisions);
	if (rc < 0)
		return -1;
	return ad_ftinfo_set(s, t, 0, NULL, e);
}
