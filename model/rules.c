/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* rules.c - the TDO validation rules of docs/RULES.md, "Validation rules"
 * (MS-ADTS 6.1.6.9.7, MS-LSAD 3.1.4.7.10).
 *
 * NTSTATUS choices where the specifications leave room:
 *  - rule 1 (names point at different domains, or half inside the forest):
 *    STATUS_INVALID_PARAMETER, the code MS-LSAD lists for the create calls
 *    (STATUS_DOMAIN_TRUST_INCONSISTENT is not among them);
 *  - rule 5 (outbound uplevel/downlevel trust without a SID):
 *    STATUS_INVALID_SID, like every other SID fault here;
 *  - invalid trustType, trustDirection, unknown attribute bits, a changed
 *    trustType, the name BUILTIN: STATUS_INVALID_PARAMETER.
 * Attribute checks run in the order: unknown bits, rule 4 (a bad
 * combination), then rules 2 and 3 (the state of the forest).
 */
#include "model/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/forestinfo.h"
#include "model/domain.h"

#define RULES_VALUE_MAX 320

/* ---- helpers ------------------------------------------------------------- */

/* How a TDO is named in sentences. */
static const char *tdo_label(const tm_tdo *t)
{
	if (t->partner[0])
		return t->partner;
	if (t->flat[0])
		return t->flat;
	return "(unnamed partner)";
}

/* How a domain is named in sentences. */
static const char *dom_label(const tm_domain *d)
{
	const char *n = domain_partner_name(d);

	return n[0] ? n : d->name;
}

/* Refuse with the NTSTATUS of a lower-level validator, prefixing its sentence. */
static int refuse_from(tm_error *e, const tm_error *inner, const char *fallback,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int refuse_from(tm_error *e, const tm_error *inner, const char *fallback,
		       const char *fmt, ...)
{
	char pre[RULES_VALUE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	return error_fail(e, TM_EREFUSED, inner->status ? inner->status : fallback, "%s%s%s",
		       pre, inner->what[0] ? ": " : ".", inner->what);
}

/* Both names set and equal (case-insensitive)? */
static int names_hit(const char *a, const char *b)
{
	return a[0] && b[0] && name_equal(a, b);
}

/* Both SIDs present and equal? */
static int sids_hit(int has_a, const tm_sid *a, int has_b, const tm_sid *b)
{
	return has_a && has_b && sid_equal(a, b);
}

static int ctx_usable(const rules_ctx *ctx, const tm_tdo *tdo, tm_error *e)
{
	if (!ctx || !ctx->local || !tdo)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Internal error: the trust rules were called without a domain or TDO.");
	return 0;
}

/* ---- rules 7 and 10: names, SIDs, type --------------------------------- */

static int check_type(const tm_tdo *t, tm_error *e)
{
	if (t->type >= TRUST_TYPE_DOWNLEVEL && t->type <= TRUST_TYPE_DCE)
		return 0;
	return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
		       "The trust with %s has type %u; only downlevel (1), uplevel (2), mit (3) and dce (4) exist.",
		       tdo_label(t), (unsigned)t->type);
}

static int check_direction(const tm_tdo *t, tm_error *e)
{
	if (t->direction <= TRUST_DIRECTION_BIDIRECTIONAL)
		return 0;
	return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
		       "The trust with %s has direction %u; only disabled (0), inbound (1), outbound (2) and two-way (3) exist.",
		       tdo_label(t), (unsigned)t->direction);
}

/* The name BUILTIN names the local built-in domain, never a partner. */
static int check_not_builtin(const tm_tdo *t, tm_error *e)
{
	if (!names_hit(t->partner, "BUILTIN") && !names_hit(t->flat, "BUILTIN"))
		return 0;
	return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
		       "BUILTIN is the name of every domain's built-in accounts and cannot be a trust partner.");
}

static int check_flat_netbios(const tm_tdo *t, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (!t->flat[0])
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The trust with %s needs the partner's NetBIOS (flat) name.",
			       tdo_label(t));
	if (name_check_netbios(t->flat, &in) < 0)
		return refuse_from(e, &in, ST_OBJECT_NAME_INVALID, "Trust with %s",
				   tdo_label(t));
	return 0;
}

/* UPLEVEL: trustPartner is a DNS name, flatName a NetBIOS name. */
static int check_names_uplevel(const tm_tdo *t, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (name_check_dns(t->partner, &in) < 0)
		return refuse_from(e, &in, ST_INVALID_PARAMETER,
				   "An uplevel trust names its partner by DNS name");
	return check_flat_netbios(t, e);
}

/* DOWNLEVEL: the partner is named by its NetBIOS name only. */
static int check_names_downlevel(const tm_tdo *t, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (name_check_netbios(t->partner, &in) < 0)
		return refuse_from(e, &in, ST_OBJECT_NAME_INVALID,
				   "A downlevel (NT 4) trust names its partner by NetBIOS name");
	if (!name_equal(t->partner, t->flat))
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "A downlevel (NT 4) trust names its partner by NetBIOS name only, so its flat name \"%s\" must equal \"%s\".",
			       t->flat, t->partner);
	return 0;
}

/* MIT and DCE: trustPartner is a Kerberos realm; no flatName requirement. */
static int check_names_realm(const tm_tdo *t, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (name_check_realm(t->partner, &in) < 0)
		return refuse_from(e, &in, ST_INVALID_PARAMETER,
				   "%s trust names its partner by Kerberos realm",
				   t->type == TRUST_TYPE_MIT ? "An MIT" : "A DCE");
	return 0;
}

static int check_partner_sid(const tm_tdo *t, tm_error *e)
{
	tm_error in;
	char buf[SID_TEXT_MAX];

	error_clear(&in);
	if (!t->has_sid || sid_check_domain(&t->sid, &in) == 0)
		return 0;
	return refuse_from(e, &in, ST_INVALID_SID, "Trust with %s (SID %s)", tdo_label(t),
			   sid_format(&t->sid, buf, sizeof(buf)));
}

/* Rules 7 and 10: type, names and SID of the partner. */
int rules_check_partner_names(const tm_tdo *tdo, tm_error *e)
{
	int rc;

	if (!tdo)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "Internal error: no TDO.");
	if (check_type(tdo, e) < 0)
		return -1;
	if (!tdo->partner[0])
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "A trust needs the name of its partner domain.");
	if (check_not_builtin(tdo, e) < 0)
		return -1;
	if (tdo->type == TRUST_TYPE_UPLEVEL)
		rc = check_names_uplevel(tdo, e);
	else if (tdo->type == TRUST_TYPE_DOWNLEVEL)
		rc = check_names_downlevel(tdo, e);
	else
		rc = check_names_realm(tdo, e);
	return rc < 0 ? -1 : check_partner_sid(tdo, e);
}

/* ---- rules 2, 3, 4: attributes --------------------------------------- */

static int is_forest_root(const tm_domain *d)
{
	return d->kind == DOMAIN_AD && d->dns[0] && name_equal(domain_forest(d), d->dns);
}

/* Rules 2 and 3 for the bits in `bits` (the ones being set). */
static int attrs_check_state(const rules_ctx *ctx, const tm_tdo *t, uint32_t bits,
			     tm_error *e)
{
	const tm_domain *l;

	if (!ctx || !ctx->local)
		return 0;
	l = ctx->local;
	if ((bits & TRUST_ATTR_FOREST_TRANSITIVE) && l->level < LEVEL_2003)
		return error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE,
			       "A forest trust with %s needs forest functional level 2003 or higher, and the forest of %s is at level %s.",
			       tdo_label(t), dom_label(l), trust_level_name(l->level));
	if ((bits & TRUST_ATTR_FOREST_TRANSITIVE) && !is_forest_root(l))
		return error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE,
			       "Only the forest root domain %s can hold a forest trust with %s; %s is not the root.",
			       domain_forest(l), tdo_label(t), dom_label(l));
	if ((bits & TRUST_ATTR_FOREST_TRANSITIVE) && ctx->partner && !is_forest_root(ctx->partner))
		return error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE,
			       "A forest trust joins two forest root domains, and %s is not one: %s%s%s.",
			       dom_label(ctx->partner), ctx->partner->kind == DOMAIN_AD ?
			       "the root of its forest is " : "it is not an Active Directory domain, so "
			       "it has no forest", ctx->partner->kind == DOMAIN_AD ?
			       domain_forest(ctx->partner) : "", ctx->partner->kind == DOMAIN_AD ?
			       " (a forest trust with that domain routes this one's names too)" : "");
	if ((bits & TRUST_ATTR_CROSS_ORGANIZATION) && l->level < LEVEL_2003)
		return error_fail(e, TM_EREFUSED, ST_INVALID_DOMAIN_STATE,
			       "Selective authentication for the trust with %s needs forest functional level 2003 or higher, and the forest of %s is at level %s.",
			       tdo_label(t), dom_label(l), trust_level_name(l->level));
	return 0;
}

/* Unknown bits and rule 4, then rules 2-3 for the bits not in `already`. */
static int attrs_check(const rules_ctx *ctx, const tm_tdo *t, uint32_t already,
		       tm_error *e)
{
	uint32_t a = t->attributes;
	char buf[256];

	if (a & ~TRUST_ATTR_ALL)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The trust with %s has unknown attribute bits 0x%x.",
			       tdo_label(t), (unsigned)(a & ~TRUST_ATTR_ALL));
	if ((a & TRUST_ATTR_WITHIN_FOREST) &&
	    (a & (TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_CROSS_ORGANIZATION)))
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The trust with %s cannot be within-forest and also %s.", tdo_label(t),
			       trust_format_attributes(a & (TRUST_ATTR_FOREST_TRANSITIVE |
							    TRUST_ATTR_CROSS_ORGANIZATION),
						       buf, sizeof(buf)));
	if ((a & (TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_WITHIN_FOREST)) &&
	    (a & ~already & (TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_WITHIN_FOREST)) &&
	    t->type != TRUST_TYPE_UPLEVEL)
		/* Forest and within-forest trusts exist between AD domains only
		 * (MS-ADTS 6.1.6.7.9): an NT 4 or Kerberos realm partner has no forest. */
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The trust with %s is of type %s, and only uplevel (Active Directory) "
			       "trusts can be %s.", tdo_label(t), trust_type_name(t->type),
			       trust_format_attributes(a & (TRUST_ATTR_FOREST_TRANSITIVE |
							    TRUST_ATTR_WITHIN_FOREST), buf, sizeof(buf)));
	if (attrs_check_state(ctx, t, a & ~already, e) < 0)
		return -1;
	if ((a & TRUST_ATTR_FOREST_TRANSITIVE) && (a & TRUST_ATTR_NON_TRANSITIVE))
		/* A forest trust is transitive by what it is (it routes the
		 * names of a whole forest); Windows never writes both bits. */
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The trust with %s cannot be forest-transitive and also "
			       "non-transitive: a forest trust is transitive across the two forests.",
			       tdo_label(t));
	return 0;
}

/* Rules 2-4 and unknown attribute bits; ctx may be NULL (then only the
 * checks that need no knowledge of the local forest run). */
int rules_check_attributes(const rules_ctx *ctx, const tm_tdo *tdo, tm_error *e)
{
	if (!tdo)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "Internal error: no TDO.");
	return attrs_check(ctx, tdo, 0, e);
}

/* ---- rule 5: SID required ---------------------------------------------- */

/* Rule 5: uplevel and downlevel trusts with OUTBOUND must carry a SID.
 * A forest trust needs one too: rule 6 writes it into the domain-info record. */
int rules_check_sid_required(const tm_tdo *tdo, tm_error *e)
{
	if (!tdo)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "Internal error: no TDO.");
	if ((tdo->attributes & TRUST_ATTR_FOREST_TRANSITIVE) && !tdo->has_sid)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "A forest trust with %s needs the domain SID of %s for its forest trust information, and none was given.",
			       tdo_label(tdo), tdo_label(tdo));
	if (tdo->type != TRUST_TYPE_UPLEVEL && tdo->type != TRUST_TYPE_DOWNLEVEL)
		return 0;
	if (!(tdo->direction & TRUST_DIRECTION_OUTBOUND) || tdo->has_sid)
		return 0;
	return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
		       "An outbound trust with %s needs the domain SID of %s, and none was given.",
		       tdo_label(tdo), tdo_label(tdo));
}

/* ---- rule 8: not self ----------------------------------------------------- */

/* Which of the local domain's own names the TDO uses, or NULL. */
static const char *self_hit(const tm_domain *l, const tm_tdo *t)
{
	if (names_hit(t->partner, l->dns) || names_hit(t->flat, l->dns))
		return "DNS name";
	if (names_hit(t->partner, l->netbios) || names_hit(t->flat, l->netbios))
		return "NetBIOS name";
	if (names_hit(t->partner, l->realm))
		return "Kerberos realm";
	if (sids_hit(t->has_sid, &t->sid, l->has_sid, &l->sid))
		return "domain SID";
	return NULL;
}

/* Rule 8: a domain cannot trust itself by DNS name, NetBIOS name, realm or SID. */
int rules_check_not_self(const tm_domain *local, const tm_tdo *tdo, tm_error *e)
{
	const char *what;

	if (!local || !tdo)
		return 0;
	what = self_hit(local, tdo);
	if (!what)
		return 0;
	return error_fail(e, TM_EREFUSED, ST_CURRENT_DOMAIN_NOT_ALLOWED,
		       "%s cannot trust itself: the trust partner %s carries its own %s.",
		       dom_label(local), tdo_label(tdo), what);
}

/* ---- rule 1: forest membership ----------------------------------------- */

enum { ID_PARTNER, ID_FLAT, ID_SID, ID_COUNT };

static const char *const id_words[ID_COUNT] = { "partner name", "NetBIOS name", "SID" };

/* Does identifier `id` of t name domain d? */
static int id_matches(const tm_domain *d, const tm_tdo *t, int id)
{
	switch (id) {
	case ID_PARTNER:
		return names_hit(t->partner, d->dns) ||
		       (t->type == TRUST_TYPE_DOWNLEVEL && names_hit(t->partner, d->netbios)) ||
		       (t->type >= TRUST_TYPE_MIT && names_hit(t->partner, d->realm));
	case ID_FLAT:
		return names_hit(t->flat, d->netbios);
	default:
		return sids_hit(t->has_sid, &t->sid, d->has_sid, &d->sid);
	}
}

/* Index of the first forest domain identifier `id` names, or -1. */
static long forest_find(const rules_ctx *ctx, const tm_tdo *t, int id)
{
	size_t i;

	for (i = 0; ctx->forest && i < ctx->nforest; i++)
		if (ctx->forest[i] && id_matches(ctx->forest[i], t, id))
			return (long)i;
	return -1;
}

static int id_present(const tm_tdo *t, int id)
{
	if (id == ID_PARTNER)
		return t->partner[0] != '\0';
	if (id == ID_FLAT)
		return t->flat[0] != '\0';
	return t->has_sid;
}

/* Describe where each of t's identifiers points, for the refusal. */
static void describe_ids(const rules_ctx *ctx, const long where[ID_COUNT],
			 const tm_tdo *t, char *buf, size_t n)
{
	char part[RULES_VALUE_MAX];
	int id;

	buf[0] = '\0';
	for (id = 0; id < ID_COUNT; id++) {
		if (!id_present(t, id))
			continue;
		if (where[id] < 0)
			snprintf(part, sizeof(part), "its %s names no domain of this forest",
				 id_words[id]);
		else
			snprintf(part, sizeof(part), "its %s names %s", id_words[id],
				 dom_label(ctx->forest[where[id]]));
		if (buf[0])
			error_append(buf, n, ", ");
		error_append(buf, n, part);
	}
}

/* Rule 1: all of the TDO's names point at the same domain of the local
 * forest, or none of them points into it. */
int rules_check_forest_membership(const rules_ctx *ctx, const tm_tdo *tdo, tm_error *e)
{
	long where[ID_COUNT], first = -2;
	int id, inside = 0, split = 0;
	char desc[RULES_VALUE_MAX];

	if (!ctx || !tdo)
		return 0;
	for (id = 0; id < ID_COUNT; id++) {
		where[id] = id_present(tdo, id) ? forest_find(ctx, tdo, id) : -1;
		if (!id_present(tdo, id))
			continue;
		inside |= where[id] >= 0;
		if (first != -2 && where[id] != first)
			split = 1;
		first = where[id];
	}
	if (!inside || !split)
		return 0;
	describe_ids(ctx, where, tdo, desc, sizeof(desc));
	return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
		       "The names of trust partner %s do not describe one domain: %s.",
		       tdo_label(tdo), desc);
}

/* ---- rule 9: collisions -------------------------------------------------- */

/* What of `old` t collides with, or NULL. */
static const char *collision_hit(const tm_tdo *old, const tm_tdo *t)
{
	if (names_hit(t->partner, old->partner) || names_hit(t->flat, old->partner))
		return "partner name";
	if (names_hit(t->partner, old->flat) || names_hit(t->flat, old->flat))
		return "NetBIOS name";
	if (sids_hit(t->has_sid, &t->sid, old->has_sid, &old->sid))
		return "SID";
	return NULL;
}

static int is_skipped(const tm_tdo *cand, const tm_tdo *skip)
{
	return skip && (cand == skip || names_hit(cand->partner, skip->partner));
}

/* Rule 9: no other TDO of the local domain may name the same partner. */
int rules_check_collision(const rules_ctx *ctx, const tm_tdo *tdo, const tm_tdo *skip,
			  tm_error *e)
{
	const char *what;
	size_t i;

	if (!ctx || !tdo || !ctx->existing)
		return 0;
	for (i = 0; i < ctx->nexisting; i++) {
		const tm_tdo *old = &ctx->existing[i];

		if (is_skipped(old, skip))
			continue;
		what = collision_hit(old, tdo);
		if (what)
			return error_fail(e, TM_EREFUSED, ST_OBJECT_NAME_COLLISION,
				       "%s already has a trust with %s, which has the same %s as %s.",
				       ctx->local ? dom_label(ctx->local) : "This domain",
				       tdo_label(old), what, tdo_label(tdo));
	}
	return 0;
}

/* ---- create and modify ------------------------------------------------- */

/* Rules 1-5, 7, 8, 10 for tdo; rules 2-3 only for the attribute bits not
 * already held (`already`). */
static int check_fields(const rules_ctx *ctx, const tm_tdo *tdo, uint32_t already,
			tm_error *e)
{
	if (check_direction(tdo, e) < 0 || rules_check_partner_names(tdo, e) < 0 ||
	    attrs_check(ctx, tdo, already, e) < 0 || rules_check_sid_required(tdo, e) < 0 ||
	    rules_check_not_self(ctx->local, tdo, e) < 0 ||
	    rules_check_forest_membership(ctx, tdo, e) < 0)
		return -1;
	return 0;
}

/* Check a new TDO against rules 1-5 and 7-10. */
int rules_check_create(const rules_ctx *ctx, const tm_tdo *tdo, tm_error *e)
{
	if (ctx_usable(ctx, tdo, e) < 0 || check_fields(ctx, tdo, 0, e) < 0)
		return -1;
	return rules_check_collision(ctx, tdo, NULL, e);
}

/* Check a change of `old` into `tdo`: the type may not change; rules 2 and 3
 * apply to attribute bits being newly set (an existing forest trust can be
 * edited without re-proving the forest state); rule 9 skips `old`. */
int rules_check_modify(const rules_ctx *ctx, const tm_tdo *old, const tm_tdo *tdo,
		       tm_error *e)
{
	if (ctx_usable(ctx, tdo, e) < 0)
		return -1;
	if (!old)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Internal error: a modification without the TDO it changes.");
	if (old->type != tdo->type)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The type of the trust with %s cannot change from %s to %s; delete the trust and create it again.",
			       tdo_label(old), trust_type_name(old->type), trust_type_name(tdo->type));
	if (check_fields(ctx, tdo, old->attributes, e) < 0)
		return -1;
	return rules_check_collision(ctx, tdo, old, e);
}

/* ---- effects: rules 6 and 11 ----------------------------------------- */

static void drop_ftinfo(tm_tdo *t)
{
	free(t->ftinfo);
	t->ftinfo = NULL;
	t->ftinfo_len = 0;
}

/* FILETIME stamped on new forest trust records: the TDO's change time. */
static int64_t effects_time(const tm_tdo *t)
{
	long long when = t->when_changed ? t->when_changed : t->when_created;

	return when > 0 ? (int64_t)authblob_filetime(when) : 0;
}

/* Replace t's forest trust information by the default records. */
static int make_default_ftinfo(tm_tdo *t, tm_error *e)
{
	fti_info fi = { 0, NULL };
	uint8_t *buf = NULL;
	size_t len = 0;

	if (!t->has_sid)
		return error_fail(e, TM_EREFUSED, ST_INVALID_SID,
			       "A forest trust with %s needs the partner's domain SID to build its forest trust information.",
			       tdo_label(t));
	if (forestinfo_default(&fi, t->partner, t->flat, &t->sid, effects_time(t)) < 0 ||
	    forestinfo_encode(&fi, &buf, &len) < 0) {
		forestinfo_free(&fi);
		return error_fail(e, TM_EFAIL, NULL,
			       "Could not build the forest trust information for %s (out of memory).",
			       tdo_label(t));
	}
	forestinfo_free(&fi);
	drop_ftinfo(t);
	t->ftinfo = buf;
	t->ftinfo_len = len;
	return 0;
}

/* Rule 6: no forest trust bit -> no records; bit newly set, or set with no
 * records stored -> the default records. Records of a TDO that already was
 * a forest trust are kept. */
static int effects_forest(const tm_tdo *old, tm_tdo *t, tm_error *e)
{
	int now = (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) != 0;
	int was = old && (old->attributes & TRUST_ATTR_FOREST_TRANSITIVE);

	if (!now) {
		drop_ftinfo(t);
		return 0;
	}
	if (was && t->ftinfo && t->ftinfo_len > 0)
		return 0;
	return make_default_ftinfo(t, e);
}

/* Rule 11: a dropped direction empties its trustAuth blob. */
static void effects_directions(const tm_tdo *old, tm_tdo *t)
{
	uint32_t dropped;

	if (!old)
		return;
	dropped = old->direction & ~t->direction;
	if (dropped & TRUST_DIRECTION_INBOUND)
		authblob_free(&t->incoming);
	if (dropped & TRUST_DIRECTION_OUTBOUND)
		authblob_free(&t->outgoing);
}

/* Apply rules 6 and 11 to tdo given old (NULL for a new TDO). */
int rules_apply_effects(const tm_tdo *old, tm_tdo *tdo, tm_error *e)
{
	if (!tdo)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "Internal error: no TDO.");
	effects_directions(old, tdo);
	return effects_forest(old, tdo, e);
}
