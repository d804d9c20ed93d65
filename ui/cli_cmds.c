/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_cmds.c - the command handlers: turn parsed options into model values
 * and hand them to the shared flow of cli_run.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "backend/audit/audit_plan.h"
#include "ui/cli_int.h"
#include "ui/console/console.h"
#include "model/domain.h"

/* ---- planner adapters -------------------------------------------------- */

/* cli_plan_permit: workflow_permit behind the cli_planner signature. */
int cli_plan_permit(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_permit(w, out, e);
}

/* cli_plan_trust: workflow_trust behind the cli_planner signature. */
int cli_plan_trust(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_trust(w, out, e);
}

/* cli_plan_reset: workflow_reset behind the cli_planner signature. */
int cli_plan_reset(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_reset(w, out, e);
}

/* cli_plan_reset_one_side: workflow_reset_one_side as a cli_planner. */
int cli_plan_reset_one_side(const wf_world *w, const wf_options *o, tm_plan **out,
			    tm_error *e)
{
	(void)o;
	return workflow_reset_one_side(w, out, e);
}

/* cli_plan_verify: workflow_verify behind the cli_planner signature. */
int cli_plan_verify(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e)
{
	(void)o;
	return workflow_verify(w, out, e);
}

/* cli_plan_tdo_delete: workflow_tdo_delete behind the cli_planner signature. */
int cli_plan_tdo_delete(const wf_world *w, const wf_options *o, tm_plan **out,
			tm_error *e)
{
	(void)o;
	return workflow_tdo_delete(w, out, e);
}

/* ---- option values ----------------------------------------------------- */

/* A value parser of trust.h failed: show its message, keep its class (a
 * refused value keeps its NTSTATUS), and point at the command's help. */
static int value_error(cli_ctx *c, const char *opt)
{
	char name[64];

	if (c->e.cls == TM_OK)
		c->e.cls = TM_EUSAGE;
	error_prefix(&c->e, "--%s: ", opt);
	if (!c->e.next[0])
		error_hint(&c->e, "Try 'trustmgr %s --help' for the accepted values.",
			cli_cmd_name(c->cmd, name, sizeof(name)));
	return cli_report(c, &c->e);
}

/* A yes/no or word pair: returns 1, 0, or -1 when s is neither. */
static int parse_pair(const char *s, const char *yes, const char *no)
{
	if (strcasecmp(s, yes) == 0)
		return 1;
	if (strcasecmp(s, no) == 0)
		return 0;
	return -1;
}

/* --set / --no-set style flags into -1 (unset), 1 or 0. */
static int flag_pair(cli_ctx *c, cli_opt on, cli_opt off, int *out)
{
	if (c->opt[on] && c->opt[off])
		return cli_usage_error(c, "options that set and clear the same attribute "
				       "cannot be combined");
	*out = c->opt[on] ? 1 : c->opt[off] ? 0 : -1;
	return 0;
}

static int map_words(cli_ctx *c, wf_options *o)
{
	int v;

	if (c->opt[OPT_SIDES]) {
		v = parse_pair(c->opt[OPT_SIDES], "both", "local");
		if (v < 0)
			return cli_usage_error(c, "--sides takes 'both' or 'local', not '%s'",
					       c->opt[OPT_SIDES]);
		o->sides_both = v;
		o->remove_sides_both = v;
	}
	if (c->opt[OPT_QUARANTINE]) {
		v = parse_pair(c->opt[OPT_QUARANTINE], "yes", "no");
		if (v < 0)
			return cli_usage_error(c, "--quarantine takes 'yes' or 'no', not '%s'",
					       c->opt[OPT_QUARANTINE]);
		o->quarantine = v;
	}
	if (flag_pair(c, OPT_FOREST_TRANSITIVE, OPT_NO_FOREST_TRANSITIVE,
		      &o->forest_transitive) ||
	    flag_pair(c, OPT_NON_TRANSITIVE, OPT_TRANSITIVE, &o->non_transitive) ||
	    flag_pair(c, OPT_SELECTIVE_AUTH, OPT_NO_SELECTIVE_AUTH, &o->selective_auth))
		return TM_EUSAGE;
	return 0;
}

static int map_values(cli_ctx *c, wf_options *o)
{
	uint32_t dir = 0;

	if (c->opt[OPT_DIRECTION] &&
	    trust_parse_direction(c->opt[OPT_DIRECTION], &dir, &c->e) < 0)
		return value_error(c, "direction");
	if (c->opt[OPT_DIRECTION] && c->cmd->plan == workflow_remove)
		o->remove_direction = dir;
	else if (c->opt[OPT_DIRECTION])
		o->direction = dir;
	if (c->opt[OPT_TYPE] && trust_parse_type(c->opt[OPT_TYPE], &o->type, &c->e) < 0)
		return value_error(c, "type");
	if (c->opt[OPT_ENCTYPES]) {
		if (trust_parse_enctypes(c->opt[OPT_ENCTYPES], &o->enctypes, &c->e) < 0)
			return value_error(c, "enctypes");
		o->has_enctypes = 1;
	}
	if (c->opt[OPT_ATTRIBUTES]) {
		if (trust_parse_attributes(c->opt[OPT_ATTRIBUTES], &o->attributes, &c->e) < 0)
			return value_error(c, "attributes");
		o->has_attributes = 1;
	}
	return 0;
}

/* The wf_options of this command line. Returns 0 or an exit status. */
static int map_options(cli_ctx *c, wf_options *o)
{
	int rc;

	workflow_options_init(o);
	rc = map_words(c, o);
	if (!rc)
		rc = map_values(c, o);
	if (rc)
		return rc;
	o->partner_dns = c->opt[OPT_PARTNER];
	o->partner_flat = c->opt[OPT_FLAT];
	o->partner_sid = c->opt[OPT_SID];
	if (c->cmd->plan == workflow_create)
		o->has_password = c->opt[OPT_SIDES] && o->sides_both == 0;
	else if (c->cmd->plan == cli_plan_reset_one_side)
		o->has_password = 1;
	else
		o->has_password = c->opt[OPT_PASSWORD_FILE] != NULL;
	return 0;
}

/* tdo add names its partner with options; they are required. */
static int check_tdo_add(cli_ctx *c)
{
	static const struct { cli_opt id; const char *name; } need[] = {
		{ OPT_PARTNER, "--partner" }, { OPT_DIRECTION, "--direction" },
		{ OPT_TYPE, "--type" },
	};
	size_t i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!c->opt[need[i].id] || !c->opt[need[i].id][0])
			return cli_usage_error(c, "%s is required", need[i].name);
	return 0;
}

/* cli_cmd_workflow: every plan-making command (permit, trust, create,
 * tdo *, remove, reset, reset-one-side): options -> wf_options -> the flow. */
int cli_cmd_workflow(cli_ctx *c)
{
	wf_options o;
	const char *partner = c->nargs > 1 ? c->args[1] : NULL;
	int rc;

	if (c->cmd->plan == workflow_tdo_add) {
		rc = check_tdo_add(c);
		if (rc)
			return rc;
		partner = c->opt[OPT_PARTNER];
	}
	rc = map_options(c, &o);
	if (rc)
		return rc;
	return cli_run_workflow(c, c->args[0], partner, c->cmd->plan, &o);
}

/* cli_cmd_verify: verify DOMAIN PARTNER; exit 1 when a direction fails. */
int cli_cmd_verify(cli_ctx *c)
{
	wf_options o;

	workflow_options_init(&o);
	return cli_run_workflow(c, c->args[0], c->args[1], cli_plan_verify, &o);
}

/* ---- domain add -------------------------------------------------------- */

/* Copy an option value into a fixed field; a value too long for the field
 * is checked by its validator first, so the user sees the rule it breaks. */
static int copy_field(cli_ctx *c, char *dst, size_t n, const char *src, const char *opt,
		      int (*check)(const char *, tm_error *))
{
	if (strlen(src) < n) {
		snprintf(dst, n, "%s", src);
		return 0;
	}
	if (check && check(src, &c->e) < 0)
		return cli_report(c, &c->e);
	return cli_usage_error(c, "the value of --%s is too long (at most %zu bytes)", opt,
			       n - 1);
}

/* The store key: printable, no path separators, not starting with a dot. */
static int check_store_name(cli_ctx *c, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	if (strlen(name) >= DOMAIN_KEY_MAX)
		return cli_usage_error(c, "NAME is too long (at most %d bytes)",
				       DOMAIN_KEY_MAX - 1);
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			break;
	if (*p || name[0] == '.') {
		error_fail(&c->e, TM_EREFUSED, ST_OBJECT_NAME_INVALID, "\"%s\" cannot name a "
			"domain: names may not start with '.' or hold '/', '\\' or control "
			"characters.", name);
		error_hint(&c->e, "Use the domain's NetBIOS name (CORP) or DNS name.");
		return cli_report(c, &c->e);
	}
	return 0;
}

static int parse_kind(cli_ctx *c, tm_kind *kind)
{
	const char *s = c->opt[OPT_KIND];

	*kind = DOMAIN_AD;
	if (!s || strcasecmp(s, "ad") == 0)
		return 0;
	if (strcasecmp(s, "nt4") == 0)
		*kind = DOMAIN_NT4;
	else if (strcasecmp(s, "mit") == 0)
		*kind = DOMAIN_MIT;
	else
		return cli_usage_error(c, "--kind takes ad, nt4 or mit, not '%s'", s);
	return 0;
}

static int parse_small_int(cli_ctx *c, cli_opt id, const char *opt, int max, int *out)
{
	const char *s = c->opt[id];
	char *end;
	long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		return cli_usage_error(c, "--%s takes a number from 0 to %d, not '%s'", opt,
				       max, s);
	*out = (int)v;
	return 0;
}

/* Which options each kind of domain must have. */
static int check_required(cli_ctx *c, tm_kind kind)
{
	static const char *const what[] = {
		[DOMAIN_AD] = "an Active Directory domain (--kind ad)",
		[DOMAIN_NT4] = "an NT 4 domain (--kind nt4)",
		[DOMAIN_MIT] = "a Kerberos realm (--kind mit)",
	};

	if (kind == DOMAIN_AD && !c->opt[OPT_DNS])
		return cli_usage_error(c, "--dns is required for %s", what[kind]);
	if (kind != DOMAIN_MIT && !c->opt[OPT_NETBIOS])
		return cli_usage_error(c, "--netbios is required for %s", what[kind]);
	if (kind != DOMAIN_MIT && !c->opt[OPT_SID])
		return cli_usage_error(c, "--sid is required for %s", what[kind]);
	if (kind == DOMAIN_MIT && !c->opt[OPT_REALM])
		return cli_usage_error(c, "--realm is required for %s", what[kind]);
	return 0;
}

static int domain_names(cli_ctx *c, tm_domain *d)
{
	int rc = 0;

	if (c->opt[OPT_DNS])
		rc = copy_field(c, d->dns, sizeof(d->dns), c->opt[OPT_DNS], "dns",
				name_check_dns);
	if (!rc && c->opt[OPT_NETBIOS])
		rc = copy_field(c, d->netbios, sizeof(d->netbios), c->opt[OPT_NETBIOS],
				"netbios", name_check_netbios);
	if (!rc && c->opt[OPT_FOREST])
		rc = copy_field(c, d->forest, sizeof(d->forest), c->opt[OPT_FOREST], "forest",
				name_check_dns);
	if (!rc && c->opt[OPT_REALM])
		rc = copy_field(c, d->realm, sizeof(d->realm), c->opt[OPT_REALM], "realm",
				name_check_realm);
	if (rc)
		return rc;
	if (d->realm[0])           /* upper case: docs/RULES.md, "Trusts in MIT Kerberos" */
		name_upper(d->realm, c->opt[OPT_REALM], sizeof(d->realm));
	else                       /* the upper-case DNS name, or NetBIOS for NT 4 */
		name_upper(d->realm, (d->kind == DOMAIN_NT4 || !d->dns[0]) ? d->netbios : d->dns,
			   sizeof(d->realm));
	return 0;
}

static int domain_facts(cli_ctx *c, tm_domain *d)
{
	if (c->opt[OPT_SID]) {
		if (sid_parse(c->opt[OPT_SID], &d->sid, &c->e) < 0)
			return cli_report(c, &c->e);
		d->has_sid = 1;
	}
	if (c->opt[OPT_LEVEL] && trust_parse_level(c->opt[OPT_LEVEL], &d->level, &c->e) < 0)
		return value_error(c, "functional-level");
	if (parse_small_int(c, OPT_SERVICE_PACK, "nt-service-pack", 6, &d->nt_service_pack) ||
	    parse_small_int(c, OPT_LM_COMPAT, "lm-compat-level", 5, &d->lm_compat_level))
		return TM_EUSAGE;
	return 0;
}

/* Build the domain described by the command line. Returns 0 or a status. */
static int build_domain(cli_ctx *c, tm_domain *d)
{
	int rc;

	domain_init(d);
	rc = check_store_name(c, c->args[0]);
	if (!rc)
		rc = parse_kind(c, &d->kind);
	if (!rc)
		rc = check_required(c, d->kind);
	if (rc)
		return rc;
	snprintf(d->name, sizeof(d->name), "%s", c->args[0]);
	rc = domain_names(c, d);
	return rc ? rc : domain_facts(c, d);
}

static void print_domain_added(const cli_ctx *c, const tm_domain *d)
{
	const char *label = d->dns[0] ? d->dns : d->realm;

	if (c->opt[OPT_JSON]) {
		cli_print_domains(c, d, 1);
		return;
	}
	if (c->opt[OPT_DRY_RUN]) {
		printf("Would add %s domain %s (%s); nothing was written (--dry-run).\n",
		       trust_kind_name(d->kind), d->name, label);
		return;
	}
	printf("Domain %s (%s, %s) added to the store.\n", d->name, trust_kind_name(d->kind),
	       label);
}

/* cli_cmd_domain_add: build, validate (refusals exit 3) and add a domain. */
int cli_cmd_domain_add(cli_ctx *c)
{
	tm_domain d;
	int rc = build_domain(c, &d);

	if (rc)
		return rc;
	if (domain_validate(&d, &c->e) < 0)
		return cli_report(c, &c->e);
	if (!c->opt[OPT_DRY_RUN] && audit_plan_domain_add(c->be, &d, &c->e) < 0)
		return cli_report(c, &c->e);
	print_domain_added(c, &d);
	return TM_OK;
}

/* ---- reading commands -------------------------------------------------- */

/* cli_cmd_domain_list: every known domain, as a table or JSON. */
int cli_cmd_domain_list(cli_ctx *c)
{
	tm_domain *v = NULL;
	size_t n = 0;

	if (c->be->ops->domain_list(c->be, &v, &n, &c->e) < 0)
		return cli_report(c, &c->e);
	cli_print_domains(c, v, n);
	free(v);
	return TM_OK;
}

static int list_one(cli_ctx *c, const char *name)
{
	world wl;
	int rc;

	memset(&wl, 0, sizeof(wl));
	if (world_load_list(c->be, name, &wl, &c->e) < 0) {
		world_free(&wl);
		return cli_report(c, &c->e);
	}
	rc = cli_print_list(c, &wl);
	world_free(&wl);
	return rc;
}

/* cli_cmd_list: list DOMAIN, trusted and trusting sections. */
int cli_cmd_list(cli_ctx *c)
{
	return list_one(c, c->args[0]);
}

/* Does this invocation want the console rather than printed lists? */
static int wants_console(const cli_ctx *c)
{
	const char *nd = getenv("TRUSTMGR_NO_DISPLAY");
	const char *sc = getenv("TRUSTMGR_SCRIPT");

	if (c->opt[OPT_JSON])
		return 0;
	if (c->opt[OPT_SCRIPT] || c->opt[OPT_HEADLESS] || (nd && *nd && strcmp(nd, "0") != 0) ||
	    (sc && *sc))
		return 1;
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* Parse --size COLSxROWS; 0 or -1 (usage error reported). */
static int parse_size(cli_ctx *c, int *cols, int *rows)
{
	const char *v = c->opt[OPT_SIZE];
	char x = 0, extra = 0;

	*cols = *rows = 0;
	if (!v)
		return 0;
	if (sscanf(v, "%d%c%d%c", cols, &x, rows, &extra) != 3 || (x != 'x' && x != 'X') ||
	    *cols < 1 || *rows < 1 || *cols > 1000 || *rows > 1000) {
		cli_usage_error(c, "--size wants COLSxROWS, for example 80x24, not '%s'", v);
		return -1;
	}
	return 0;
}

/* Run the console on the store; the session's lock is released first
 * because the console takes the lock for each operation itself. */
static int run_console(cli_ctx *c, const char *domain)
{
	con_options o;

	memset(&o, 0, sizeof(o));
	o.domain = domain;
	if (parse_size(c, &o.cols, &o.rows) < 0)
		return TM_EUSAGE;
	o.store_dir = c->choice.store_dir;
	o.config = c->choice.config[0] ? c->choice.config : NULL;
	o.audit_log = c->choice.audit_log[0] ? c->choice.audit_log : NULL;
	o.script = c->opt[OPT_SCRIPT];
	o.headless = c->opt[OPT_HEADLESS] != NULL;
	cli_session_close(c);
	return con_console_main(&o);
}

/* --domain NAME: the console opens on that domain (by its store name, DNS
 * or NetBIOS name); without a terminal only its trusts are listed. */
static int overview_domain(cli_ctx *c)
{
	const char *name = c->opt[OPT_DOMAIN];
	char key[DOMAIN_KEY_MAX];
	const tm_domain *d;
	tm_domain *v = NULL;
	size_t n = 0;

	if (c->be->ops->domain_list(c->be, &v, &n, &c->e) < 0)
		return cli_report(c, &c->e);
	d = backend_find_domain(v, n, name);
	if (!d) {
		free(v);
		error_fail(&c->e, TM_EUSAGE, ST_NO_SUCH_DOMAIN, "--domain %s: %s is not a domain "
			   "trustmgr knows, so the console cannot open on it", name, name);
		error_hint(&c->e, "See the known domains with 'trustmgr domain list', then give one "
			   "of their names (or leave --domain out to start on the first).");
		return cli_report(c, &c->e);
	}
	snprintf(key, sizeof(key), "%s", d->name);
	free(v);
	if (wants_console(c))
		return run_console(c, key);
	return list_one(c, key);   /* --json too: as trustmgr list NAME --json */
}

/* cli_cmd_overview: no command: the console, or every domain's lists when
 * there is no terminal (so `trustmgr | less` and scripts keep working). */
int cli_cmd_overview(cli_ctx *c)
{
	tm_domain *v = NULL;
	size_t n = 0, i;
	int rc = TM_OK;

	if (c->opt[OPT_DOMAIN])
		return overview_domain(c);
	if (wants_console(c))
		return run_console(c, NULL);
	if (c->opt[OPT_JSON])
		return cli_cmd_domain_list(c);
	if (c->be->ops->domain_list(c->be, &v, &n, &c->e) < 0)
		return cli_report(c, &c->e);
	if (n == 0)
		printf("The store %s holds no domains yet.\nRun 'trustmgr demo' for a "
		       "demonstration set, or 'trustmgr domain add' to add a domain.\n",
		       c->store_dir);
	for (i = 0; i < n && rc == TM_OK; i++) {
		if (i)
			printf("\n");
		rc = list_one(c, v[i].name);
	}
	free(v);
	return rc;
}

static int tdo_not_found(cli_ctx *c)
{
	error_fail(&c->e, TM_EREFUSED, ST_OBJECT_NAME_NOT_FOUND, "%s holds no trusted domain "
		"object for %s.", c->args[0], c->args[1]);
	error_hint(&c->e, "'trustmgr list %s' shows the trusts %s has.", c->args[0], c->args[0]);
	return cli_report(c, &c->e);
}

/* cli_cmd_show: one TDO in full, never its secrets. */
int cli_cmd_show(cli_ctx *c)
{
	world wl;
	const tm_tdo *t;
	int rc;

	memset(&wl, 0, sizeof(wl));
	if (world_load(c->be, c->args[0], c->args[1], 1, &wl, &c->e) < 0) {
		world_free(&wl);
		return cli_report(c, &c->e);
	}
	t = workflow_find_tdo(&wl.w.local, wl.w.partner.dom, c->args[1]);
	rc = t ? cli_print_show(c, &wl, t) : tdo_not_found(c);
	world_free(&wl);
	return rc;
}

/* ---- the journal ------------------------------------------------------- */

/* The interrupted plan, or *p NULL. A plan that ended at a failing step
 * left the domains consistent (the executor closes the journal only then):
 * it is not interrupted, and undoing it would undo what the failure did
 * on purpose (a used one chance). Returns 0 or an exit status. */
static int pending(cli_ctx *c, tm_plan **p, journal_info *info)
{
	*p = NULL;
	memset(info, 0, sizeof(*info));
	if (c->be->ops->journal_pending(c->be, p, info, &c->e) < 0)
		return cli_report(c, &c->e);
	if (*p && info->failed)
		plan_free(p);
	return 0;
}

/* Is e the report of a damaged journal or before-image? */
static int journal_is_damaged(const tm_error *e)
{
	return e->status && strcmp(e->status, ST_INTERNAL_DB_CORRUPTION) == 0;
}

/* `journal --json` for a journal that could not be read whole: what could
 * be, the damage, and the way out. */
static void journal_unread_json(const cli_ctx *c, const journal_info *info, int cls)
{
	char iso[32];
	cli_json j;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_bool(&j, "interrupted", 1);
	cli_json_bool(&j, "damaged", journal_is_damaged(&c->e));
	cli_json_str(&j, "id", info->id[0] ? info->id : NULL);
	cli_json_str(&j, "op", info->op[0] ? info->op : NULL);
	cli_json_str(&j, "started", cli_time_iso(info->started, iso, sizeof(iso)));
	if (info->pid > 0)
		cli_json_int(&j, "pid", info->pid);
	else
		cli_json_null(&j, "pid");
	cli_json_int(&j, "done", (long long)info->done);
	cli_json_int(&j, "exit_status", cls);
	cli_json_str(&j, "status", c->e.status);
	cli_json_str(&j, "message", c->e.what);
	cli_json_str(&j, "next", c->e.next[0] ? c->e.next : NULL);
	cli_json_close(&j);
}

/* `journal` when the journal could not be read whole (damaged, or not
 * readable): what could be read of it on stdout, then the error. */
static int journal_unread(cli_ctx *c, const journal_info *info)
{
	int cls = c->e.cls != TM_OK ? (int)c->e.cls : TM_EBACKEND;
	char when[64];

	if (c->opt[OPT_JSON]) {
		journal_unread_json(c, info, cls);
		return cli_report(c, &c->e);
	}
	printf("Interrupted plan: %s (%s)\n", info->op[0] ? info->op : "unknown",
	       journal_is_damaged(&c->e) ? "the journal cannot be used: it or a before-image "
	       "is damaged" : "the journal cannot be read");
	if (info->id[0]) {
		printf("  %-10s %s\n", "Journal:", info->id);
		printf("  %-10s %s by process %ld\n", "Started:",
		       cli_time(info->started, when, sizeof(when)), info->pid);
		if (info->total)
			printf("  %-10s %zu of %zu steps done\n", "Progress:", info->done,
			       info->total);
		else
			printf("  %-10s %zu steps done (how many it has could not be read)\n",
			       "Progress:", info->done);
	}
	return cli_report(c, &c->e);
}

/* cli_cmd_journal: show the interrupted plan (or say there is none); a
 * damaged journal shows what could be read and names the damage. */
int cli_cmd_journal(cli_ctx *c)
{
	tm_plan *p = NULL;
	journal_info info;

	memset(&info, 0, sizeof(info));
	if (c->be->ops->journal_pending(c->be, &p, &info, &c->e) < 0)
		return journal_unread(c, &info);
	if (p && info.failed)
		plan_free(&p);
	cli_print_journal(c, p, &info);
	plan_free(&p);
	return TM_OK;
}

/* The interrupted plan for resume, rollback or discard: 0 with *p set, -1
 * when there is none (said on stdout), or the exit status of an error. */
static int settle_pending(cli_ctx *c, const char *verb, tm_plan **p, journal_info *info)
{
	int rc = pending(c, p, info);

	if (rc)
		return rc;
	if (!*p) {
		printf("Nothing to %s: no plan was interrupted.\n", verb);
		return -1;
	}
	return 0;
}

/* cli_cmd_resume: run the interrupted plan's remaining steps. */
int cli_cmd_resume(cli_ctx *c)
{
	tm_plan *p;
	journal_info info;
	int rc = settle_pending(c, "resume", &p, &info);

	if (rc)
		return rc < 0 ? TM_OK : rc;
	rc = cli_execute(c, p, info.done, 1);
	plan_free(&p);
	return rc;
}

/* Ask before rollback or discard act on p (cli_confirm.c). */
static int confirm_pending(cli_ctx *c, const char *verb, const tm_plan *p,
			   const journal_info *info, const char *doms)
{
	char what[TM_WHAT_MAX];

	snprintf(what, sizeof(what), "%s the interrupted '%s' plan (%s%s%s; %zu of %zu steps "
		 "done): %s", verb, p->op, p->domain, p->partner[0] ? " " : "", p->partner,
		 info->done, p->nsteps, doms ? "every domain it touched is put back as it was "
		 "before it started: " : "no domain is changed; the journal is forgotten.");
	if (doms)
		snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s.",
			 doms[0] ? doms : "every domain it touched");
	return cli_confirm_text(c, what);
}

/* cli_cmd_rollback: restore the before-images of the interrupted plan. */
int cli_cmd_rollback(cli_ctx *c)
{
	tm_plan *p;
	journal_info info;
	char doms[256];
	int rc = settle_pending(c, "roll back", &p, &info);

	if (rc)
		return rc < 0 ? TM_OK : rc;
	plan_domain_names(p, ", ", " and ", doms, sizeof(doms));
	if ((rc = confirm_pending(c, "Roll back", p, &info, doms)) != 0) {
		plan_free(&p);
		return rc;
	}
	if (audit_plan_rollback(c->be, p, info.done, &c->e) < 0) {
		plan_free(&p);
		return cli_report(c, &c->e);
	}
	printf("Rolled back the interrupted '%s' plan: %s %s as %s before it started.\n",
	       p->op, doms[0] ? doms : "every domain it touched",
	       plan_domain_count(p) == 1 ? "is" : "are", plan_domain_count(p) == 1 ? "it was"
	       : "they were");
	if (c->e.next[0])
		fprintf(stderr, "%s\n", c->e.next);
	plan_free(&p);
	return TM_OK;
}

/* What `discard --force` says once the journal is aside in where. */
static void discard_forced_text(const tm_plan *p, const journal_info *info, const char *where,
				const tm_error *damage)
{
	printf("Set the interrupted '%s' plan aside in %s; no domain was changed, and the "
	       "store can be used again.\n", p && p->op[0] ? p->op : info->op[0] ? info->op :
	       "unknown", where);
	if (damage->what[0])
		printf("Its journal could not be used: %s\n", damage->what);
	printf("That folder keeps the journal and the before-images of the domains the plan "
	       "touched (they hold trust secrets): keep it private and delete it once you no "
	       "longer need it. Check those domains with 'trustmgr health'.\n");
}

/* `discard --force`: the journal and its before-images are moved aside
 * whatever they hold (a damaged journal is the reason to use it); the
 * audit trail records the discard. */
static int discard_forced(cli_ctx *c)
{
	char where[PATH_MAX];
	tm_plan *p = NULL;
	journal_info info;
	tm_error damage;
	int rc, something;

	if (!c->be->ops->journal_set_aside) {
		error_fail(&c->e, TM_EUSAGE, NULL, "the %s backend cannot set its journal aside",
			   c->be->ops->name);
		error_hint(&c->e, "Run 'trustmgr discard' without --force.");
		return cli_report(c, &c->e);
	}
	memset(&info, 0, sizeof(info));
	error_clear(&damage);
	c->be->ops->journal_pending(c->be, &p, &info, &damage);   /* damage: the reason */
	something = p || damage.what[0] || info.op[0];
	if (!p && !(p = plan_new(info.op[0] ? info.op : "unknown", "", ""))) {
		error_fail(&c->e, TM_EBACKEND, NULL, "out of memory; nothing was changed");
		return cli_report(c, &c->e);
	}
	if (something && (rc = cli_confirm_text(c, "Set the journal of the interrupted plan "
						"aside (kept in a folder beside it, even when "
						"damaged); no domain is changed."))) {
		plan_free(&p);
		return rc;
	}
	if (audit_plan_check(c->be, &c->e) < 0 ||
	    c->be->ops->journal_set_aside(c->be, where, sizeof(where), &c->e) < 0) {
		plan_free(&p);
		return cli_report(c, &c->e);
	}
	rc = TM_OK;
	if (!where[0])
		printf("Nothing to discard: no plan was interrupted.\n");
	else if (audit_plan_discard(c->be, p, info.done, &c->e) < 0) {
		fprintf(stderr, "The journal was set aside in %s; no domain was changed.\n", where);
		rc = cli_report(c, &c->e);
	} else
		discard_forced_text(p, &info, where, &damage);
	plan_free(&p);
	return rc;
}

/* cli_cmd_discard: forget the interrupted plan without touching any domain,
 * for when its domains were repaired by hand; with --force, set it aside
 * even when it is damaged. */
int cli_cmd_discard(cli_ctx *c)
{
	tm_plan *p;
	journal_info info;
	int rc;

	if (c->opt[OPT_FORCE])
		return discard_forced(c);
	rc = settle_pending(c, "discard", &p, &info);
	if (rc)
		return rc < 0 ? TM_OK : rc;
	if ((rc = confirm_pending(c, "Discard", p, &info, NULL)) != 0) {
		plan_free(&p);
		return rc;
	}
	if (audit_plan_discard(c->be, p, info.done, &c->e) < 0) {
		plan_free(&p);
		return cli_report(c, &c->e);
	}
	printf("Forgot the interrupted '%s' plan (%zu of %zu steps had been done); no domain was "
	       "changed. Check its trusts with 'trustmgr health'.\n", p->op, info.done, p->nsteps);
	plan_free(&p);
	return TM_OK;
}
