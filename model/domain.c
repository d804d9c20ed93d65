/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* domain.c - a domain's description: its names, the partner name a TDO
 * uses for it, and the validation of every field (domain.h). Validation
 * keeps the NTSTATUS name of the name or SID check that failed. */
#include "model/domain.h"

#include <stdio.h>
#include <string.h>

#include "model/name.h"
#include "model/sid.h"
#include "model/utf8.h"

#define NWORDS(t) (sizeof(t) / sizeof((t)[0]))

/* ---- domains ---------------------------------------------------------- */

/* Empty AD domain at level 2000 with unknown NT facts. */
void domain_init(tm_domain *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->kind = DOMAIN_AD;
	d->level = LEVEL_2000;
	d->nt_service_pack = -1;
	d->lm_compat_level = -1;
}

/* Does the domain answer to this name (store key, DNS, NetBIOS, realm, SID)? */
int domain_matches(const tm_domain *d, const char *name)
{
	const char *cand[4];
	size_t i;

	if (!d || !name || !name[0])
		return 0;
	cand[0] = d->name;
	cand[1] = d->dns;
	cand[2] = d->netbios;
	cand[3] = d->realm;
	for (i = 0; i < NWORDS(cand); i++)
		if (cand[i][0] && name_equal(cand[i], name))
			return 1;
	return d->has_sid && sid_text_equals(name, &d->sid);
}

/* AD -> DNS name, NT4 -> NetBIOS name, MIT -> realm; the first set one
 * of the others when the preferred one is empty. */
const char *domain_partner_name(const tm_domain *d)
{
	const char *order[3];
	size_t i;

	if (!d)
		return "";
	order[0] = d->kind == DOMAIN_NT4 ? d->netbios : d->kind == DOMAIN_MIT ? d->realm : d->dns;
	order[1] = d->dns;
	order[2] = d->kind == DOMAIN_MIT ? d->realm : d->netbios;
	for (i = 0; i < NWORDS(order); i++)
		if (order[i][0])
			return order[i];
	return d->realm;
}

/* Forest root DNS name; the domain's own DNS name when forest is empty
 * (its partner name when it has no DNS name either). */
const char *domain_forest(const tm_domain *d)
{
	if (!d)
		return "";
	if (d->forest[0])
		return d->forest;
	if (d->dns[0])
		return d->dns;
	return domain_partner_name(d);
}

/* domain_same_forest: both AD, the same forest root. */
int domain_same_forest(const tm_domain *a, const tm_domain *b)
{
	return a->kind == DOMAIN_AD && b->kind == DOMAIN_AD &&
	       name_equal(domain_forest(a), domain_forest(b));
}

/* Run a name/SID validator result into e, prefixed with the field. */
static int domain_field_fail(const tm_domain *d, const char *field, const tm_error *inner,
			     tm_error *e)
{
	/* A value breaking a naming rule (docs/RULES.md, rule 7) is a refusal. */
	return error_fail(e, TM_EREFUSED, inner->status ? inner->status : ST_INVALID_PARAMETER,
		       "Domain \"%s\", %s: %s", d->name, field, inner->what);
}

/* The store key: non-empty, valid UTF-8, printable, no blanks, no path
 * separators. A name that breaks a rule is shown with its invalid bytes and
 * control characters as \xHH, never raw. */
static int domain_check_key(const tm_domain *d, tm_error *e)
{
	const unsigned char *p = (const unsigned char *)d->name;
	char shown[DOMAIN_KEY_MAX * 4];
	size_t len = strlen(d->name);

	utf8_shown(d->name, len, shown, sizeof(shown));
	if (!*p || *p == '.' || *p == '-')
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "A domain needs a name that does not start with '.' or '-' (got \"%s\").",
			       shown);
	if (!utf8_valid(d->name, len))
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
				  "The domain name \"%s\" is not valid UTF-8 text: the bytes shown "
				  "as \\xHH are not part of a character.", shown);
	for (; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '/' || *p == '\\' ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
				       "The domain name \"%s\" may not contain blanks, control characters, '/' or '\\'.",
				       shown);
	return 0;
}

static int domain_check_dns(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (!d->dns[0] && !required)
		return 0;
	if (name_check_dns(d->dns, &in) < 0)
		return domain_field_fail(d, "DNS name", &in, e);
	return 0;
}

static int domain_check_netbios(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (!d->netbios[0] && !required)
		return 0;
	if (name_check_netbios(d->netbios, &in) < 0)
		return domain_field_fail(d, "NetBIOS name", &in, e);
	return 0;
}

static int domain_check_sid(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (!d->has_sid) {
		if (!required)
			return 0;
		return error_fail(e, TM_EUSAGE, ST_INVALID_SID,
			       "Domain \"%s\" needs its domain SID (S-1-5-21-a-b-c).", d->name);
	}
	if (sid_check_domain(&d->sid, &in) < 0)
		return domain_field_fail(d, "domain SID", &in, e);
	return 0;
}

static int domain_check_realm(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (!d->realm[0] && !required)
		return 0;
	if (name_check_realm(d->realm, &in) < 0)
		return domain_field_fail(d, "Kerberos realm", &in, e);
	return 0;
}

/* Forest root name, level and the NT facts. */
static int domain_check_misc(const tm_domain *d, tm_error *e)
{
	tm_error in;

	error_clear(&in);
	if (d->forest[0] && name_check_dns(d->forest, &in) < 0)
		return domain_field_fail(d, "forest root name", &in, e);
	if (d->level < LEVEL_2000 || d->level > LEVEL_2016)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\": functional level %d is not one of 2000 to 2016.",
			       d->name, (int)d->level);
	if (d->nt_service_pack < -1 || d->nt_service_pack > 6)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\": NT service pack %d is not 0-6 (or unknown).",
			       d->name, d->nt_service_pack);
	if (d->lm_compat_level < -1 || d->lm_compat_level > 5)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\": LMCompatibilityLevel %d is not 0-5 (or unknown).",
			       d->name, d->lm_compat_level);
	return 0;
}

/* Validate every field of a domain: AD needs DNS, NetBIOS, SID and realm;
 * NT4 needs NetBIOS and SID; MIT needs a realm; fields that are set but not
 * required are validated too. */
int domain_validate(const tm_domain *d, tm_error *e)
{
	int ad, nt4, mit;

	if (!d)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "No domain was given.");
	if (domain_check_key(d, e) < 0)
		return -1;
	if (d->kind != DOMAIN_AD && d->kind != DOMAIN_NT4 && d->kind != DOMAIN_MIT)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\" has an unknown kind (%d).", d->name, (int)d->kind);
	ad = d->kind == DOMAIN_AD;
	nt4 = d->kind == DOMAIN_NT4;
	mit = d->kind == DOMAIN_MIT;
	if (domain_check_dns(d, ad, e) < 0 || domain_check_netbios(d, ad || nt4, e) < 0 ||
	    domain_check_sid(d, ad || nt4, e) < 0 || domain_check_realm(d, ad || mit, e) < 0)
		return -1;
	return domain_check_misc(d, e);
}
