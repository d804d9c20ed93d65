/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory_ad.c - the Active Directory domains of the real-domain
 * backend: found from their root DSE, named from their directory, read
 * over LDAP and changed through LSA (backend/ad). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/directory/directory_internal.h"
#include "backend/os/parallel.h"
#include "model/domain.h"

/* Domain i's block and its directory disagree: every later use of the
 * domain gets the same refusal (a usage error: the file must be corrected). */
static int directory_ad_refused(dirbe *b, long i, tm_error *e)
{
	if (e->cls == TM_OK)
		e->cls = TM_EUSAGE;
	b->probe_err[i] = *e;
	return -1;
}

/* Find out once whether domain i's directory is Active Directory; adopt
 * its names when it is. Touches domain i alone (its block, session and
 * side), so that several domains are read side by side. 0, or -1 with e. */
static int directory_ad_read(dirbe *b, long i, tm_error *e)
{
	cfg_domain *c = &b->cfg.domains[i];
	ldapdir *l;
	ad_side *s = &b->ad[i];
	tm_error in;

	if (b->is_ad[i] >= 0)
		return 0;
	if (b->probe_err[i].cls != TM_OK) {
		*e = b->probe_err[i];          /* asked once: the same answer */
		return -1;
	}
	if (c->dom.kind != DOMAIN_AD || c->nuris == 0) {
		b->is_ad[i] = 0;
		return 0;
	}
	if (!(l = directory_ldap(b, &c->dom, e)) || ad_dir_facts(l, &s->facts, e) < 0) {
		b->probe_err[i] = *e;
		if (b->probe_err[i].cls == TM_OK)
			b->probe_err[i].cls = TM_EBACKEND;
		return -1;
	}
	if (!s->facts.is_ad) {
		b->is_ad[i] = 0;
		if (!c->from_directory)
			return 0;
		error_fail(e, TM_EUSAGE, NULL, "domain %s: its directory is not Active Directory, "
			   "so its names cannot be read from it", c->dom.name);
		error_hint(e, "Give dns_name, netbios_name, sid, functional_level and base_dn in "
			   "its block of %s.", b->cfg.path);
		return -1;
	}
	error_clear(&in);
	if (ad_adopt_facts(&s->facts, c, e) < 0)
		return directory_ad_refused(b, i, e);
	if (domain_validate(&c->dom, &in) < 0) {
		*e = in;
		error_prefix(e, "domain %s, as its directory describes it: ", c->dom.name);
		return directory_ad_refused(b, i, e);
	}
	s->cfg = c;
	s->l = l;
	s->factory = b->factory;
	s->timeout = b->cfg.timeout;
	ad_known_limits(s);
	b->is_ad[i] = 1;
	return 0;
}

/* A DC just found, in a command that changes or verifies: its LSA helper
 * starts now (made by the factory, whose socket one thread at a time uses). */
static void directory_ad_found(dirbe *b, long i)
{
	if (!b->exclusive || b->is_ad[i] != 1)
		return;
	directory_ad_factory(b, 1);
	ad_side_warm(&b->ad[i]);
}

/* directory_ad_read, and the helper of a DC found started. */
static int directory_ad_probe(dirbe *b, long i, tm_error *e)
{
	int fresh = b->is_ad[i] < 0 && b->probe_err[i].cls == TM_OK;

	if (directory_ad_read(b, i, e) < 0)
		return -1;
	if (fresh)
		directory_ad_found(b, i);
	return 0;
}

/* directory_ad: probed on first use. */
ad_side *directory_ad(dirbe *b, const tm_domain *d, tm_error *e)
{
	long i = directory_index(b, d, e);

	if (i < 0 || directory_ad_probe(b, i, e) < 0)
		return NULL;
	error_clear(e);
	return b->is_ad[i] == 1 ? &b->ad[i] : NULL;
}

/* Say once per process that domain name's names could not be read. */
static void directory_ad_unnamed(const char *name, const tm_error *e)
{
	static char said[32][DOMAIN_KEY_MAX];
	static size_t nsaid;
	char msg[TM_WHAT_MAX + 256];
	size_t i;

	for (i = 0; i < nsaid; i++)
		if (strcmp(said[i], name) == 0)
			return;
	if (nsaid < sizeof(said) / sizeof(said[0]))
		snprintf(said[nsaid++], sizeof(said[0]), "%s", name);
	snprintf(msg, sizeof(msg), "domain %s: its directory could not be used, so what is shown "
		 "of it comes from the configuration alone: %s", name, e->what);
	ldapdir_notice(msg);
}

/* One domain's directory read on a thread of its own (directory_ad_names). */
typedef struct ad_read_job {
	dirbe *b;
	long i;
	int rc;
	tm_error e;
} ad_read_job;

static void directory_ad_read_job(void *arg)
{
	ad_read_job *j = arg;

	error_clear(&j->e);
	j->rc = directory_ad_read(j->b, j->i, &j->e);
}

/* Domain i's names now, in this thread. */
static void directory_ad_names_one(dirbe *b, long i)
{
	tm_error e;

	error_clear(&e);
	if (directory_ad_probe(b, i, &e) < 0)
		directory_ad_unnamed(b->cfg.domains[i].dom.name, &e);
}

/* directory_ad_names: every domain whose names come from its directory,
 * their directories read side by side (a TLS handshake, a bind and three
 * searches each, mostly waiting for the DC); then, in this thread, what
 * could not be read is said and the helpers of the DCs found start. */
void directory_ad_names(dirbe *b)
{
	size_t i, m = 0, n = b->cfg.ndomains ? b->cfg.ndomains : 1;
	ad_read_job *jobs = calloc(n, sizeof(*jobs));
	void **args = calloc(n, sizeof(*args));

	for (i = 0; i < b->cfg.ndomains; i++) {
		if (!b->cfg.domains[i].from_directory || b->is_ad[i] >= 0 ||
		    b->probe_err[i].cls != TM_OK)
			continue;
		if (!jobs || !args) {          /* out of memory: one at a time */
			directory_ad_names_one(b, (long)i);
			continue;
		}
		jobs[m].b = b;
		jobs[m].i = (long)i;
		args[m] = &jobs[m];
		m++;
	}
	parallel_run(directory_ad_read_job, args, m);
	for (i = 0; i < m; i++) {
		if (jobs[i].rc < 0)
			directory_ad_unnamed(b->cfg.domains[jobs[i].i].dom.name, &jobs[i].e);
		else
			directory_ad_found(b, jobs[i].i);
	}
	free(args);
	free(jobs);
}

/* A block that can only be an Active Directory DC's: kind = ad written in
 * it, its names left to the directory, or the DC's smb.conf. (kind = ad is
 * also the default of a directory domain, which is a DC only when its root
 * DSE says so.) */
static int directory_ad_declared(const cfg_domain *c)
{
	return c->dom.kind == DOMAIN_AD &&
	       (c->kind_given || c->from_directory || c->local_dc_conf[0]);
}

/* directory_ad_factory: see directory_internal.h. */
void directory_ad_factory(dirbe *b, int found)
{
	tm_error ignore;
	size_t i;

	for (i = 0; !b->factory && !b->factory_tried && i < b->cfg.ndomains; i++)
		if (found ? b->is_ad[i] == 1 : directory_ad_declared(&b->cfg.domains[i])) {
			error_clear(&ignore);
			b->factory_tried = 1;
			b->factory = ad_lsa_factory_start(&ignore);
			break;
		}
	for (i = 0; b->factory && i < b->cfg.ndomains; i++)
		if (b->is_ad[i] == 1)
			b->ad[i].factory = b->factory;
}

/* directory_ad_prestart: d's LSA helper starting now, when d is a DC. */
void directory_ad_prestart(dirbe *b, const tm_domain *d)
{
	ad_side *s;
	tm_error e;

	error_clear(&e);
	if ((s = directory_ad(b, d, &e)) != NULL)
		ad_side_prestart(s);
}

/* directory_ad_confirm_local: see directory_internal.h. */
int directory_ad_confirm_local(dirbe *b, const tm_domain *d, tm_error *e)
{
	ad_side *s = directory_ad(b, d, e);

	if (!s)
		return e->cls == TM_OK ? 0 : -1;
	return ad_side_confirm_local(s, e);
}

/* directory_ad_validate_ahead: see directory_internal.h. */
void directory_ad_validate_ahead(dirbe *b, const tm_domain *trusting, const tm_domain *trusted)
{
	ad_side *s;
	tm_error e;

	error_clear(&e);
	if ((s = directory_ad(b, trusting, &e)) != NULL)
		ad_validate_ahead(s, trusted->dns[0] ? trusted->dns : trusted->name);
}

/* directory_ad_validate: when trusting is a DC and Kerberos crossed the
 * trust, its own check of the secure channel to trusted (r->dc_check). */
void directory_ad_validate(dirbe *b, const tm_domain *trusting, const tm_domain *trusted,
			   verify_result *r)
{
	ad_side *s;
	tm_error e;

	error_clear(&e);
	if (r->outcome != VERIFY_OK || !(s = directory_ad(b, trusting, &e)))
		return;
	if (ad_validate(s, trusted->dns[0] ? trusted->dns : trusted->name, r->dc_check,
			sizeof(r->dc_check), &e) < 0)
		snprintf(r->dc_check, sizeof(r->dc_check), "not asked: %.40s",
			 e.status ? e.status : "the DC did not answer");
}

/* directory_ad_verify_cfg: verify's credentials on an AD domain. */
void directory_ad_verify_cfg(dirbe *b, long i, cfg_domain *out)
{
	const cfg_domain *c = &b->cfg.domains[i];
	const char *cn, *end;

	*out = *c;
	if (b->is_ad[i] != 1)
		return;
	if (!out->verify_principal[0] && c->bind == CFG_BIND_SIMPLE &&
	    strncasecmp(c->bind_dn, "CN=", 3) == 0 && (end = strchr((cn = c->bind_dn + 3), ',')))
	{
		snprintf(out->verify_principal, sizeof(out->verify_principal), "%.*s@%s",
			 (int)(end - cn), cn, c->dom.realm);
		snprintf(out->verify_password_file, sizeof(out->verify_password_file), "%s",
			 c->bind_password_file);
	}
	if ((!out->verify_service[0] || strcmp(out->verify_service, CFG_VERIFY_SERVICE) == 0) &&
	    ad_dir_service(&b->ad[i].facts, out->verify_service, sizeof(out->verify_service)) < 0)
		snprintf(out->verify_service, sizeof(out->verify_service), "%s", CFG_VERIFY_SERVICE);
}
