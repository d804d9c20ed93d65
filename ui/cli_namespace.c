/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_namespace.c - `trustmgr namespaces DOMAIN PARTNER`: the forest trust
 * information (name suffix routing) DOMAIN holds for PARTNER, and changing
 * it (--refresh, --enable-*, --disable-*, --add-tln-ex, --delete-tln-ex)
 * through a plan; `trustmgr namespaces DOMAIN`: the forest's own names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/domain.h"
#include "model/forestinfo.h"
#include "model/sid.h"
#include "model/workflow.h"
#include "ui/cli_int.h"

/* ---- options ----------------------------------------------------------- */

/* Split a comma-separated option value into l (the words point into buf). */
static int ns_list(cli_ctx *c, cli_opt id, const char *name, char *buf, size_t n,
		   namespace_list *l)
{
	char *save = NULL, *w;

	if (!c->opt[id])
		return 0;
	if (strlen(c->opt[id]) >= n)
		return cli_usage_error(c, "the value of --%s is too long", name);
	snprintf(buf, n, "%s", c->opt[id]);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (l->n >= NAMESPACE_LIST_MAX)
			return cli_usage_error(c, "--%s names more than %d values", name,
					       NAMESPACE_LIST_MAX);
		l->v[l->n++] = w;
	}
	if (!l->n)
		return cli_usage_error(c, "--%s needs a value", name);
	return 0;
}

#define NS_BUF 1024

/* Room for the words of every list option. */
typedef struct ns_bufs {
	char b[12][NS_BUF];
} ns_bufs;

static int ns_request(cli_ctx *c, namespace_request *r, ns_bufs *b)
{
	const char *refresh = c->opt[OPT_REFRESH];

	memset(r, 0, sizeof(*r));
	if (refresh && strcmp(refresh, "check") == 0)
		r->refresh = 1;
	else if (refresh && strcmp(refresh, "store") == 0)
		r->refresh = 2;
	else if (refresh)
		return cli_usage_error(c, "--refresh takes check or store, not '%s'", refresh);
	r->enable_all = c->opt[OPT_ENABLE_ALL] != NULL;
	if (ns_list(c, OPT_ADD_TLN_EX, "add-tln-ex", b->b[0], NS_BUF, &r->add_tln_ex) ||
	    ns_list(c, OPT_DELETE_TLN_EX, "delete-tln-ex", b->b[1], NS_BUF, &r->delete_tln_ex) ||
	    ns_list(c, OPT_ENABLE_TLN, "enable-tln", b->b[2], NS_BUF, &r->enable_tln) ||
	    ns_list(c, OPT_DISABLE_TLN, "disable-tln", b->b[3], NS_BUF, &r->disable_tln) ||
	    ns_list(c, OPT_ENABLE_NB, "enable-nb", b->b[4], NS_BUF, &r->enable_nb) ||
	    ns_list(c, OPT_DISABLE_NB, "disable-nb", b->b[5], NS_BUF, &r->disable_nb) ||
	    ns_list(c, OPT_ENABLE_SID, "enable-sid", b->b[6], NS_BUF, &r->enable_sid) ||
	    ns_list(c, OPT_DISABLE_SID, "disable-sid", b->b[7], NS_BUF, &r->disable_sid))
		return TM_EUSAGE;
	if (r->refresh == 1 && namespace_request_changes(r))
		return cli_usage_error(c, "--refresh check only compares; change nothing else with "
				       "it (use --refresh store, or --dry-run)");
	return 0;
}

/* ---- printing ---------------------------------------------------------- */

/* The status of record i in words, with whom it is in conflict. */
static const char *ns_status(const fti_record *r, const namespace_conflict *c, char *buf,
			     size_t n)
{
	char words[160];
	size_t len;

	forestinfo_status_words(r, words, sizeof(words));
	snprintf(buf, n, "%s", words);
	len = strlen(buf);
	if (c && c->in_conflict && len < n)
		snprintf(buf + len, n - len, " (collides with %s: %s)", c->with, c->name);
	return buf;
}

static void ns_print_text(const fti_info *fi, const namespace_conflict *c)
{
	char tbuf[32], sid[SID_TEXT_MAX], when[64], st[512];
	size_t i;

	printf("  %-13s  %-28s  %-42s  %-15s  %-23s  %s\n", "TYPE", "NAME", "SID", "NETBIOS",
	       "TIME", "STATUS");
	for (i = 0; i < fi->count; i++) {
		const fti_record *r = &fi->records[i];
		int dom = r->type == FTI_DOMAIN_INFO;
		char name[48];

		if (forestinfo_known(r))
			snprintf(name, sizeof(name), "%s", r->name);
		else
			snprintf(name, sizeof(name), "(%zu bytes)", r->data_len);
		printf("  %-13s  %-28s  %-42s  %-15s  %-23s  %s\n",
		       forestinfo_type_name(r, tbuf, sizeof(tbuf)), name,
		       dom ? sid_format(&r->sid, sid, sizeof(sid)) : "-",
		       dom ? cli_or_dash(r->netbios ? r->netbios : "") : "-",
		       cli_time(forestinfo_unix_time(r->timestamp), when, sizeof(when)),
		       ns_status(r, c ? &c[i] : NULL, st, sizeof(st)));
	}
}

static void ns_json_records(cli_json *j, const char *key, const fti_info *fi,
			    const namespace_conflict *c)
{
	char tbuf[32], sid[SID_TEXT_MAX], st[160];
	size_t i;

	cli_json_open(j, key, '[');
	for (i = 0; i < fi->count; i++) {
		const fti_record *r = &fi->records[i];

		cli_json_open(j, NULL, '{');
		cli_json_str(j, "type", forestinfo_type_name(r, tbuf, sizeof(tbuf)));
		cli_json_int(j, "type_code", r->type);
		if (forestinfo_known(r))
			cli_json_str(j, "name", r->name);
		else
			cli_json_int(j, "data_bytes", (long long)r->data_len);
		if (r->type == FTI_DOMAIN_INFO) {
			cli_json_str(j, "sid", sid_format(&r->sid, sid, sizeof(sid)));
			cli_json_str(j, "netbios", r->netbios ? r->netbios : "");
		}
		cli_json_str(j, "status", forestinfo_status_words(r, st, sizeof(st)));
		cli_json_int(j, "flags", r->flags);
		cli_json_bool(j, "enabled", forestinfo_enabled(r, 0) && forestinfo_enabled(r, 1));
		if (c && c[i].in_conflict) {
			cli_json_str(j, "conflict_with", c[i].with);
			cli_json_str(j, "conflict_name", c[i].name);
		}
		cli_json_time(j, "time", forestinfo_unix_time(r->timestamp));
		cli_json_close(j);
	}
	cli_json_close(j);
}

/* Show (and for a dry run or a refresh check, before and after). */
static void ns_print(cli_ctx *c, const wf_namespaces *res, int both)
{
	cli_json j;

	if (c->opt[OPT_JSON]) {
		cli_json_init(&j, stdout);
		cli_json_open(&j, NULL, '{');
		cli_json_str(&j, "domain", c->args[0]);
		cli_json_str(&j, "partner", res->partner);
		ns_json_records(&j, both ? "before" : "records", &res->before, res->before_conflicts);
		if (both)
			ns_json_records(&j, "after", &res->after, res->after_conflicts);
		cli_json_close(&j);
		return;
	}
	printf("Forest trust information %s holds for %s%s (%zu record%s):\n", c->args[0],
	       res->partner, both ? ", now" : "", res->before.count,
	       res->before.count == 1 ? "" : "s");
	ns_print_text(&res->before, res->before_conflicts);
	if (!both)
		return;
	printf("\nAfter the change (%zu record%s):\n", res->after.count,
	       res->after.count == 1 ? "" : "s");
	ns_print_text(&res->after, res->after_conflicts);
}

/* ---- the command ------------------------------------------------------- */

static int ns_trust(cli_ctx *c)
{
	namespace_request r;
	wf_namespaces res;
	tm_plan *p = NULL;
	world wl;
	ns_bufs *bufs = calloc(1, sizeof(*bufs));
	int rc;

	if (!bufs)
		return cli_usage_error(c, "out of memory");
	if (c->opt[OPT_ADD_UPN] || c->opt[OPT_DELETE_UPN] || c->opt[OPT_ADD_SPN] ||
	    c->opt[OPT_DELETE_SPN]) {
		free(bufs);
		return cli_usage_error(c, "UPN and SPN suffixes are the forest's own names: "
				       "change them with 'trustmgr namespaces DOMAIN' and no partner");
	}
	rc = ns_request(c, &r, bufs);
	if (rc) {
		free(bufs);
		return rc;
	}
	memset(&wl, 0, sizeof(wl));
	error_clear(&c->e);
	if (world_load_forest(c->be, c->args[0], c->args[1], &wl, &c->e) < 0 ||
	    workflow_namespaces(&wl.w, &r, &res, &p, &c->e) < 0) {
		world_free(&wl);
		free(bufs);
		return cli_report_fail(c, NULL);
	}
	if (!p) {
		ns_print(c, &res, r.refresh == 1 ||
			 (c->opt[OPT_DRY_RUN] && namespace_request_changes(&r)));
		if (namespace_request_changes(&r) && !c->opt[OPT_JSON])
			printf("Nothing to change: the records already are as asked.\n");
		rc = TM_OK;
	} else if (c->opt[OPT_DRY_RUN]) {
		ns_print(c, &res, 1);
		rc = c->opt[OPT_JSON] ? TM_OK : (printf("\n"), cli_preview(c, p));
	} else {
		rc = cli_execute(c, p, 0, 0);
		if (rc == TM_OK && !c->opt[OPT_JSON]) {
			printf("Now (%zu record%s):\n", res.after.count, res.after.count == 1 ? "" : "s");
			ns_print_text(&res.after, res.after_conflicts);
		}
	}
	plan_free(&p);
	workflow_namespaces_free(&res);
	world_free(&wl);
	free(bufs);
	return rc;
}

/* cli_namespaces_changes: see cli_int.h. */
int cli_namespaces_changes(const cli_ctx *c)
{
	static const cli_opt change[] = {
		OPT_ENABLE_ALL, OPT_ENABLE_TLN, OPT_DISABLE_TLN, OPT_ADD_TLN_EX, OPT_DELETE_TLN_EX,
		OPT_ENABLE_NB, OPT_DISABLE_NB, OPT_ENABLE_SID, OPT_DISABLE_SID,
		OPT_ADD_UPN, OPT_DELETE_UPN, OPT_ADD_SPN, OPT_DELETE_SPN
	};
	const char *refresh = c->opt[OPT_REFRESH];
	size_t i;

	if (refresh && strcmp(refresh, "check") != 0)
		return 1;              /* store, or a wrong word the command refuses */
	for (i = 0; i < sizeof(change) / sizeof(change[0]); i++)
		if (c->opt[change[i]])
			return 1;
	return 0;
}

/* cli_cmd_namespaces: DOMAIN PARTNER (a forest trust) or DOMAIN (its forest's names). */
int cli_cmd_namespaces(cli_ctx *c)
{
	if (c->nargs == 2)
		return ns_trust(c);
	return cli_namespaces_forest(c);
}

/* ---- the forest's own names -------------------------------------------- */

static void ns_forest_text(const tm_domain *v, size_t n, const tm_domain *d)
{
	char sid[SID_TEXT_MAX];
	size_t i, k;

	printf("Names of the forest %s (routed to it over forest trusts):\n", domain_forest(d));
	printf("  %-13s  %-28s  %-42s  %s\n", "TYPE", "NAME", "SID", "NETBIOS");
	for (i = 0; i < n; i++) {
		if (&v[i] != d && !domain_same_forest(&v[i], d))
			continue;
		printf("  %-13s  %-28s  %-42s  %s\n", "domain", v[i].dns,
		       v[i].has_sid ? sid_format(&v[i].sid, sid, sizeof(sid)) : "-",
		       cli_or_dash(v[i].netbios));
		for (k = 0; k < v[i].nupn && k < DOMAIN_SUFFIX_MAX; k++)
			printf("  %-13s  %s\n", "UPN suffix", v[i].upn_suffixes[k]);
		for (k = 0; k < v[i].nspn && k < DOMAIN_SUFFIX_MAX; k++)
			printf("  %-13s  %s\n", "SPN suffix", v[i].spn_suffixes[k]);
	}
}

static void ns_forest_json(const tm_domain *v, size_t n, const tm_domain *d)
{
	char sid[SID_TEXT_MAX];
	cli_json j;
	size_t i, k;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_str(&j, "forest", domain_forest(d));
	cli_json_open(&j, "domains", '[');
	for (i = 0; i < n; i++) {
		if (&v[i] != d && !domain_same_forest(&v[i], d))
			continue;
		cli_json_open(&j, NULL, '{');
		cli_json_str(&j, "name", v[i].name);
		cli_json_str(&j, "dns", v[i].dns);
		cli_json_str(&j, "netbios", cli_or_null(v[i].netbios));
		cli_json_str(&j, "sid", v[i].has_sid ? sid_format(&v[i].sid, sid, sizeof(sid)) : NULL);
		cli_json_open(&j, "upn_suffixes", '[');
		for (k = 0; k < v[i].nupn && k < DOMAIN_SUFFIX_MAX; k++)
			cli_json_str(&j, NULL, v[i].upn_suffixes[k]);
		cli_json_close(&j);
		cli_json_open(&j, "spn_suffixes", '[');
		for (k = 0; k < v[i].nspn && k < DOMAIN_SUFFIX_MAX; k++)
			cli_json_str(&j, NULL, v[i].spn_suffixes[k]);
		cli_json_close(&j);
		cli_json_close(&j);
	}
	cli_json_close(&j);
	cli_json_close(&j);
}

/* --add-upn-suffix and the like: the plan, previewed or run. */
static int ns_suffixes(cli_ctx *c)
{
	namespace_request r;
	ns_bufs *b = calloc(1, sizeof(*b));
	tm_plan *p = NULL;
	world wl;
	int rc;

	if (!b)
		return cli_usage_error(c, "out of memory");
	memset(&r, 0, sizeof(r));
	rc = ns_list(c, OPT_ADD_UPN, "add-upn-suffix", b->b[8], NS_BUF, &r.add_upn) ||
	     ns_list(c, OPT_DELETE_UPN, "delete-upn-suffix", b->b[9], NS_BUF, &r.delete_upn) ||
	     ns_list(c, OPT_ADD_SPN, "add-spn-suffix", b->b[10], NS_BUF, &r.add_spn) ||
	     ns_list(c, OPT_DELETE_SPN, "delete-spn-suffix", b->b[11], NS_BUF, &r.delete_spn);
	if (rc) {
		free(b);
		return TM_EUSAGE;
	}
	memset(&wl, 0, sizeof(wl));
	error_clear(&c->e);
	if (world_load(c->be, c->args[0], NULL, 0, &wl, &c->e) < 0 ||
	    world_forest_names(c->be, wl.domains, wl.ndomains, wl.w.local.dom, NULL, &c->e) < 0 ||
	    workflow_suffixes(&wl.w, &r, &p, &c->e) < 0)
		rc = cli_report_fail(c, NULL);
	else
		rc = c->opt[OPT_DRY_RUN] ? cli_preview(c, p) : cli_execute(c, p, 0, 0);
	plan_free(&p);
	world_free(&wl);
	free(b);
	return rc;
}

/* cli_namespaces_forest: `namespaces DOMAIN`: the names of DOMAIN's forest. */
int cli_namespaces_forest(cli_ctx *c)
{
	tm_domain *v = NULL;
	const tm_domain *d;
	size_t n = 0;
	int rc = TM_OK;

	if (c->opt[OPT_ADD_UPN] || c->opt[OPT_DELETE_UPN] || c->opt[OPT_ADD_SPN] ||
	    c->opt[OPT_DELETE_SPN])
		return ns_suffixes(c);
	if (c->opt[OPT_REFRESH] || c->opt[OPT_ENABLE_ALL] || c->opt[OPT_ENABLE_TLN] ||
	    c->opt[OPT_DISABLE_TLN] || c->opt[OPT_ADD_TLN_EX] || c->opt[OPT_DELETE_TLN_EX] ||
	    c->opt[OPT_ENABLE_NB] || c->opt[OPT_DISABLE_NB] || c->opt[OPT_ENABLE_SID] ||
	    c->opt[OPT_DISABLE_SID])
		return cli_usage_error(c, "these options change a forest trust: name its partner "
				       "(trustmgr namespaces DOMAIN PARTNER ...)");
	error_clear(&c->e);
	if (c->be->ops->domain_list(c->be, &v, &n, &c->e) < 0)
		return cli_report_fail(c, NULL);
	d = backend_find_domain(v, n, c->args[0]);
	if (d && world_forest_names(c->be, v, n, d, NULL, &c->e) < 0) {
		rc = cli_report_fail(c, NULL);
	} else if (!d) {
		error_fail(&c->e, TM_EUSAGE, ST_NO_SUCH_DOMAIN, "%s is not a domain trustmgr knows",
			   c->args[0]);
		error_hint(&c->e, "See the known domains with 'trustmgr domain list'.");
		rc = cli_report_fail(c, NULL);
	} else if (c->opt[OPT_JSON]) {
		ns_forest_json(v, n, d);
	} else {
		ns_forest_text(v, n, d);
	}
	free(v);
	return rc;
}
