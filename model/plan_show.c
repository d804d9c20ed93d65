/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* plan_show.c - what a plan shows people: the order its steps are listed
 * in (per domain, then the checks) and, for a TDO write, what the trust
 * becomes (a new TDO: every setting; a change: each setting as old -> new). */
#include <stdio.h>
#include <string.h>

#include "model/forestinfo.h"
#include "model/plan.h"

/* The kind of trust, as AD Domains and Trusts names it. */
const char *plan_show_type(uint32_t type, uint32_t attributes)
{
	switch (type) {
	case TRUST_TYPE_DOWNLEVEL: return "downlevel (NT 4)";
	case TRUST_TYPE_MIT: return "realm (MIT Kerberos)";
	case TRUST_TYPE_DCE: return "DCE";
	case TRUST_TYPE_UPLEVEL:
		if (attributes & TRUST_ATTR_FOREST_TRANSITIVE)
			return "forest";
		if (attributes & TRUST_ATTR_WITHIN_FOREST)
			return "within the forest";
		return "external";
	default: return "unknown";
	}
}

static int plan_show_is_verify(const tm_plan *p, size_t i)
{
	return p->steps[i].kind == STEP_VERIFY;
}

/* Has an earlier mutating step acted on step i's domain? */
static int plan_show_seen(const tm_plan *p, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (!plan_show_is_verify(p, k) && strcmp(p->steps[k].domain, p->steps[i].domain) == 0)
			return 1;
	return 0;
}

size_t plan_show_order(const tm_plan *p, size_t *order)
{
	size_t i, k, n = 0;

	for (i = 0; i < p->nsteps; i++) {
		if (plan_show_is_verify(p, i) || plan_show_seen(p, i))
			continue;
		for (k = i; k < p->nsteps; k++)
			if (!plan_show_is_verify(p, k) && strcmp(p->steps[k].domain, p->steps[i].domain) == 0)
				order[n++] = k;
	}
	for (i = 0; i < p->nsteps; i++)
		if (plan_show_is_verify(p, i))
			order[n++] = i;
	return n;
}

size_t plan_show_number(const tm_plan *p, size_t step)
{
	size_t order[PLAN_MAX_STEPS], n = plan_show_order(p, order), i;

	for (i = 0; i < n; i++)
		if (order[i] == step)
			return i + 1;
	return step + 1;
}

/* ---- what a TDO write changes ------------------------------------------ */

static void plan_show_add(char *buf, size_t n, const char *label, const char *was, const char *now)
{
	size_t len = strlen(buf);

	if (len + 1 >= n)
		return;
	if (was && strcmp(was, now) == 0)
		return;
	if (was)
		snprintf(buf + len, n - len, "%s%s: %s -> %s", len ? "\n" : "", label, was, now);
	else
		snprintf(buf + len, n - len, "%s%s: %s", len ? "\n" : "", label, now);
}

static const char *plan_show_transitivity(const tm_tdo *t)
{
	if (t->type == TRUST_TYPE_DOWNLEVEL || (t->attributes & TRUST_ATTR_NON_TRANSITIVE))
		return "non-transitive";
	if (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE)
		return "transitive (to every domain of the partner forest)";
	return "transitive";
}

static const char *plan_show_sid_filtering(const tm_tdo *t)
{
	if (t->type == TRUST_TYPE_MIT)
		return "none (a realm has no SIDs)";
	if (t->attributes & TRUST_ATTR_QUARANTINED_DOMAIN)
		return "on (only SIDs of the trusted domain)";
	if (t->attributes & TRUST_ATTR_WITHIN_FOREST)
		return "off (within the forest)";
	if (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE)
		return (t->attributes & TRUST_ATTR_TREAT_AS_EXTERNAL)
			? "on (treated as external: SID history of the forest passes)"
			: "on (only SIDs of the trusted forest)";
	return "off (SID history accepted)";
}

static const char *plan_show_auth(const tm_tdo *t)
{
	if (t->type == TRUST_TYPE_MIT)
		return "realm-wide";
	if (t->attributes & TRUST_ATTR_CROSS_ORGANIZATION)
		return "selective";
	return (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) ? "forest-wide" : "domain-wide";
}

static void plan_show_append(char *buf, size_t n, const char *s)
{
	if (buf[0])
		error_append(buf, n, "; ");
	error_append(buf, n, s);
}

/* One record in words ("name suffix upn.example"), without its status. */
static void plan_show_record_name(const fti_record *r, char *buf, size_t n)
{
	char sid[SID_TEXT_MAX], tw[32];

	if (r->type == FTI_DOMAIN_INFO)
		snprintf(buf, n, "domain %s (%s, %s)", r->name ? r->name : "",
			 r->netbios ? r->netbios : "", sid_format(&r->sid, sid, sizeof(sid)));
	else if (r->type == FTI_TOP_LEVEL_NAME || r->type == FTI_TOP_LEVEL_NAME_EX)
		snprintf(buf, n, "%s %s", r->type == FTI_TOP_LEVEL_NAME ? "name suffix"
			 : "excluded name", r->name ? r->name : "");
	else
		snprintf(buf, n, "%s", forestinfo_type_name(r, tw, sizeof(tw)));
}

/* The records of t, decoded; -1 when t holds none or they cannot be read. */
static int plan_show_decode(const tm_tdo *t, fti_info *fi)
{
	tm_error e;

	memset(fi, 0, sizeof(*fi));
	if (!t || !t->ftinfo || !t->ftinfo_len)
		return 0;
	return forestinfo_decode(t->ftinfo, t->ftinfo_len, fi, &e);
}

/* Every record with its status, on one line ("none" without them). */
static const char *plan_show_records(const fti_info *fi, char *buf, size_t n)
{
	char one[NAME_DNS_MAX * 2 + SID_TEXT_MAX + 160], st[96];
	size_t i, len;

	buf[0] = '\0';
	for (i = 0; i < fi->count; i++) {
		plan_show_record_name(&fi->records[i], one, sizeof(one));
		forestinfo_status_words(&fi->records[i], st, sizeof(st));
		len = strlen(one);
		snprintf(one + len, sizeof(one) - len, ", %s", st);
		plan_show_append(buf, n, one);
	}
	return buf[0] ? buf : "none";
}

/* The record of fi of r's type and name (r of a type trustmgr interprets),
 * or NULL. */
static const fti_record *plan_show_same(const fti_info *fi, const fti_record *r)
{
	long k = forestinfo_find(fi, r->type, r->name);

	return k < 0 ? NULL : &fi->records[k];
}

/* How now differs from was: each record added, dropped, or whose status
 * changes (old -> new); nothing when they agree. Records of types trustmgr
 * does not interpret are kept as they are, so never listed. */
static void plan_show_record_changes(const fti_info *was, const fti_info *now, char *buf,
				     size_t n)
{
	char one[NAME_DNS_MAX * 2 + SID_TEXT_MAX + 256], s1[96], s2[96];
	const fti_record *o;
	size_t i, len;

	buf[0] = '\0';
	for (i = 0; i < now->count; i++) {
		if (!forestinfo_known(&now->records[i]))
			continue;
		plan_show_record_name(&now->records[i], one, sizeof(one));
		forestinfo_status_words(&now->records[i], s2, sizeof(s2));
		len = strlen(one);
		if (!(o = plan_show_same(was, &now->records[i])))
			snprintf(one + len, sizeof(one) - len, " added, %s", s2);
		else if (forestinfo_status_words(o, s1, sizeof(s1)), strcmp(s1, s2) != 0)
			snprintf(one + len, sizeof(one) - len, ": %s -> %s", s1, s2);
		else
			continue;
		plan_show_append(buf, n, one);
	}
	for (i = 0; i < was->count; i++)
		if (forestinfo_known(&was->records[i]) && !plan_show_same(now, &was->records[i])) {
			plan_show_record_name(&was->records[i], one, sizeof(one));
			error_append(one, sizeof(one), " dropped");
			plan_show_append(buf, n, one);
		}
}

/* The forest trust records line: all of them for a new TDO, the changes
 * for a modification. */
static void plan_show_ftinfo(const tm_tdo *old, const tm_tdo *t, char *buf, size_t n)
{
	char line[PLAN_TEXT_MAX / 2];
	fti_info was, now;
	int bad_was = plan_show_decode(old, &was) < 0, bad_now = plan_show_decode(t, &now) < 0;

	if (bad_now)
		plan_show_add(buf, n, "forest trust records", NULL, "damaged (cannot be read)");
	else if (!old)
		plan_show_add(buf, n, "forest trust records", NULL,
			      plan_show_records(&now, line, sizeof(line)));
	else if (bad_was)
		plan_show_add(buf, n, "forest trust records", "damaged (cannot be read)",
			      plan_show_records(&now, line, sizeof(line)));
	else if (!now.count && was.count)
		plan_show_add(buf, n, "forest trust records", NULL, "all dropped");
	else {
		plan_show_record_changes(&was, &now, line, sizeof(line));
		if (line[0])
			plan_show_add(buf, n, "forest trust records", NULL, line);
	}
	forestinfo_free(&was);
	forestinfo_free(&now);
}

void plan_show_tdo(const tm_tdo *old, const tm_tdo *t, char *buf, size_t n)
{
	char a[256], b[256];

	if (!n)
		return;
	buf[0] = '\0';
	plan_show_add(buf, n, "type", old ? plan_show_type(old->type, old->attributes) : NULL,
		      plan_show_type(t->type, t->attributes));
	plan_show_add(buf, n, "direction", old ? trust_direction_name(old->direction) : NULL,
		      trust_direction_name(t->direction));
	plan_show_add(buf, n, "transitivity", old ? plan_show_transitivity(old) : NULL,
		      plan_show_transitivity(t));
	plan_show_add(buf, n, "SID filtering", old ? plan_show_sid_filtering(old) : NULL,
		      plan_show_sid_filtering(t));
	plan_show_add(buf, n, "authentication", old ? plan_show_auth(old) : NULL, plan_show_auth(t));
	plan_show_add(buf, n, "encryption types", old ? trust_format_enctypes(old->has_enctypes
		      ? old->enctypes : 0, a, sizeof(a)) : NULL,
		      trust_format_enctypes(t->has_enctypes ? t->enctypes : 0, b, sizeof(b)));
	plan_show_add(buf, n, "trustAttributes", old ? trust_format_attributes(old->attributes, a,
		      sizeof(a)) : NULL, trust_format_attributes(t->attributes, b, sizeof(b)));
	if (old || (t->ftinfo && t->ftinfo_len))
		plan_show_ftinfo(old, t, buf, n);
}
