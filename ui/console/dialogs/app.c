/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* app.c - what the dialogs of one session share: the known domains, the
 * domain shown, labels for domains, trust types and ages (dialogs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/console/dialogs/dialogs.h"
#include "backend/os/testhooks.h"
#include "model/domain.h"

/* con_app_load: the known domains, keeping the current one if it exists. */
int con_app_load(con_app *a, tm_error *e)
{
	tm_domain *v = NULL;
	size_t n = 0, i;

	if (con_service_domains(a->svc, &v, &n, e) < 0)
		return -1;
	free(a->domains);
	a->domains = v;
	a->ndomains = n;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, a->current) == 0)
			return 0;
	snprintf(a->current, sizeof(a->current), "%s", n ? v[0].name : "");
	return 0;
}

/* con_app_current: by store key. */
const tm_domain *con_app_current(const con_app *a)
{
	size_t i;

	for (i = 0; a->current[0] && i < a->ndomains; i++)
		if (strcmp(a->domains[i].name, a->current) == 0)
			return &a->domains[i];
	return NULL;
}

/* con_app_find: any of a domain's names. */
const tm_domain *con_app_find(const con_app *a, const char *name)
{
	size_t i;

	if (!name || !*name)
		return NULL;
	for (i = 0; i < a->ndomains; i++)
		if (strcmp(a->domains[i].name, name) == 0)
			return &a->domains[i];
	for (i = 0; i < a->ndomains; i++)
		if (domain_matches(&a->domains[i], name))
			return &a->domains[i];
	return NULL;
}

/* con_app_free: the domains. */
void con_app_free(con_app *a)
{
	free(a->domains);
	a->domains = NULL;
	a->ndomains = 0;
}

/* con_app_domain_where: how the domain is known besides its name. */
void con_app_domain_where(const tm_domain *d, char *buf, size_t n)
{
	if (d->kind == DOMAIN_MIT)
		snprintf(buf, n, "realm %s", d->realm);
	else if (d->kind == DOMAIN_NT4 || !d->dns[0])
		snprintf(buf, n, "NT 4");
	else
		snprintf(buf, n, "%s", d->dns);
}

/* con_app_domain_label: the store name and how the domain is known. */
void con_app_domain_label(const tm_domain *d, char *buf, size_t n)
{
	char where[NAME_DNS_MAX + 8];

	con_app_domain_where(d, where, sizeof(where));
	snprintf(buf, n, "%s (%s)", d->name, where);
}

/* con_app_age: whole days, so screens stay the same all day long. */
const char *con_app_age(long long when, char *buf, size_t n)
{
	long long now = testhooks_now(), days;

	if (when <= 0) {
		snprintf(buf, n, "unknown");
		return buf;
	}
	days = (now - when) / 86400;
	if (days <= 0)
		snprintf(buf, n, "today");
	else if (days == 1)
		snprintf(buf, n, "yesterday");
	else
		snprintf(buf, n, "%lld days ago", days);
	return buf;
}

/* con_app_type_short: the type for a column of Trust Relationships. */
const char *con_app_type_short(uint32_t type, uint32_t attributes)
{
	switch (type) {
	case TRUST_TYPE_DOWNLEVEL: return "downlevel";
	case TRUST_TYPE_MIT: return "realm";
	case TRUST_TYPE_UPLEVEL:
		if (attributes & TRUST_ATTR_FOREST_TRANSITIVE)
			return "forest";
		return attributes & TRUST_ATTR_WITHIN_FOREST ? "in forest" : "external";
	default: return plan_show_type(type, attributes);
	}
}

/* con_app_transitive_label: NT 4 trusts never are; otherwise the
 * non-transitive attribute says. */
const char *con_app_transitive_label(uint32_t type, uint32_t attributes)
{
	if (type == TRUST_TYPE_DOWNLEVEL || (attributes & TRUST_ATTR_NON_TRANSITIVE))
		return "non-transitive";
	return "transitive";
}

