/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_output.c - what the commands print, as text for people and as one
 * JSON object (--json) for programs.  Secrets are never printed: only which
 * of current/previous are set, their age and key version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/os/testhooks.h"
#include "model/forestinfo.h"
#include "model/capaths.h"
#include "model/keys.h"
#include "model/utf8.h"
#include "ui/cli_int.h"
#include "model/tdo.h"
#include "model/domain.h"

#define CELL_MAX NAME_DNS_MAX

static int json_mode(const cli_ctx *c)
{
	return c->opt[OPT_JSON] != NULL;
}

/* cli_or_null: s, or NULL when empty (JSON null). */
const char *cli_or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* cli_or_dash: s, or "-" when empty (a table cell). */
const char *cli_or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

/* cli_age: "3 days old", "5 hours old", "12 minutes old", "40 seconds old"
 * (the clock health uses: TM_TEST_NOW pins it in test builds). */
const char *cli_age(long long then, char *buf, size_t n)
{
	long long d = testhooks_now() - then;

	if (then <= 0)
		snprintf(buf, n, "%s", "age unknown");
	else if (d < 0)
		snprintf(buf, n, "%s", "in the future");
	else if (d >= 86400)
		snprintf(buf, n, "%lld day%s old", d / 86400, d / 86400 == 1 ? "" : "s");
	else if (d >= 3600)
		snprintf(buf, n, "%lld hour%s old", d / 3600, d / 3600 == 1 ? "" : "s");
	else if (d >= 60)
		snprintf(buf, n, "%lld minute%s old", d / 60, d / 60 == 1 ? "" : "s");
	else
		snprintf(buf, n, "%lld second%s old", d, d == 1 ? "" : "s");
	return buf;
}

/* ---- domain list ------------------------------------------------------- */

enum { DCOL_NAME, DCOL_KIND, DCOL_DNS, DCOL_NETBIOS, DCOL_SID, DCOL_REALM, DCOL_FOREST,
       DCOL_LEVEL, DCOLS };

/* Columns are counted in characters, not bytes, so UTF-8 names line up. */
static size_t text_width(const char *s)
{
	long n = utf8_count(s, strlen(s));

	return n < 0 ? strlen(s) : (size_t)n;
}

/* Print s padded with blanks to width characters. */
static void print_padded(const char *s, size_t width)
{
	size_t w = text_width(s);

	fputs(s, stdout);
	while (w++ < width)
		putchar(' ');
}

static const char *const domain_headers[DCOLS] = {
	"NAME", "KIND", "DNS", "NETBIOS", "SID", "REALM", "FOREST", "LEVEL"
};

static const char *domain_cell(const tm_domain *d, int col, char *buf, size_t n)
{
	switch (col) {
	case DCOL_NAME: return d->name;
	case DCOL_KIND: return trust_kind_name(d->kind);
	case DCOL_DNS: return cli_or_dash(d->dns);
	case DCOL_NETBIOS: return cli_or_dash(d->netbios);
	case DCOL_SID: return d->has_sid ? sid_format(&d->sid, buf, n) : "-";
	case DCOL_REALM: return cli_or_dash(d->realm);
	case DCOL_FOREST: return d->kind == DOMAIN_AD ? domain_forest(d) : "-";
	default: return d->kind == DOMAIN_AD ? trust_level_name(d->level) : "-";
	}
}

static void domains_text(const tm_domain *v, size_t n)
{
	size_t w[DCOLS], i;
	char buf[SID_TEXT_MAX];
	int col;

	for (col = 0; col < DCOLS; col++)
		w[col] = strlen(domain_headers[col]);
	for (i = 0; i < n; i++)
		for (col = 0; col < DCOLS; col++) {
			size_t len = text_width(domain_cell(&v[i], col, buf, sizeof(buf)));
			w[col] = len > w[col] ? len : w[col];
		}
	for (col = 0; col < DCOLS; col++) {
		print_padded(domain_headers[col], col + 1 < DCOLS ? w[col] : 0);
		fputs(col + 1 < DCOLS ? "  " : "\n", stdout);
	}
	for (i = 0; i < n; i++)
		for (col = 0; col < DCOLS; col++) {
			print_padded(domain_cell(&v[i], col, buf, sizeof(buf)),
				     col + 1 < DCOLS ? w[col] : 0);
			fputs(col + 1 < DCOLS ? "  " : "\n", stdout);
		}
}

static void domain_json(cli_json *j, const tm_domain *d)
{
	char sid[SID_TEXT_MAX];

	cli_json_open(j, NULL, '{');
	cli_json_str(j, "name", d->name);
	cli_json_str(j, "kind", trust_kind_name(d->kind));
	cli_json_str(j, "dns", cli_or_null(d->dns));
	cli_json_str(j, "netbios", cli_or_null(d->netbios));
	cli_json_str(j, "sid", d->has_sid ? sid_format(&d->sid, sid, sizeof(sid)) : NULL);
	cli_json_str(j, "realm", cli_or_null(d->realm));
	cli_json_str(j, "forest", d->kind == DOMAIN_AD ? domain_forest(d) : NULL);
	cli_json_str(j, "functional_level",
		     d->kind == DOMAIN_AD ? trust_level_name(d->level) : NULL);
	if (d->nt_service_pack >= 0)
		cli_json_int(j, "nt_service_pack", d->nt_service_pack);
	else
		cli_json_null(j, "nt_service_pack");
	if (d->lm_compat_level >= 0)
		cli_json_int(j, "lm_compat_level", d->lm_compat_level);
	else
		cli_json_null(j, "lm_compat_level");
	cli_json_close(j);
}

/* cli_print_domains: `domain list` as a table, or {"domains": [...]}. */
void cli_print_domains(const cli_ctx *c, const tm_domain *v, size_t n)
{
	cli_json j;
	size_t i;

	if (!json_mode(c)) {
		if (n == 0)
			printf("No domains in the store %s.\nRun 'trustmgr demo' or "
			       "'trustmgr domain add' to add some.\n", c->store_dir);
		else
			domains_text(v, n);
		return;
	}
	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_open(&j, "domains", '[');
	for (i = 0; i < n; i++)
		domain_json(&j, &v[i]);
	cli_json_close(&j);
	cli_json_close(&j);
}

/* ---- list DOMAIN ------------------------------------------------------- */

/* One row of a list section. */
typedef struct list_row {
	const tm_tdo_row *t;
	const char *partner;       /* trustPartner */
	const char *flat;          /* flatName, "" when none */
	const char *name;          /* NetBIOS (flat) name, or the partner name */
	const char *display;       /* DNS name, "(NT 4)" or the realm */
	const char *way;           /* "one-way" / "two-way" */
	tm_health health;
	long long when;
} list_row;

/* Row i of wl's listed TDOs; its health as read with the world (read here
 * only when the world was loaded without it). -1 with c->e when the health
 * cannot be read: a list with a state left out is not an answer. */
static int make_row(cli_ctx *c, const world *wl, size_t i, list_row *r)
{
	const tm_tdo_row *t = &wl->rows.v[i];

	memset(r, 0, sizeof(*r));
	r->t = t;
	r->partner = tdo_rows_partner(&wl->rows, i);
	r->flat = tdo_rows_flat(&wl->rows, i);
	r->name = r->flat[0] ? r->flat : r->partner;
	r->display = t->type == TRUST_TYPE_DOWNLEVEL ? "(NT 4)" : r->partner;
	r->way = t->direction == TRUST_DIRECTION_BIDIRECTIONAL ? "two-way" : "one-way";
	if (wl->list_when) {
		r->health = wl->w.local.health[i];
		r->when = wl->list_when[i];
		return 0;
	}
	return c->be->ops->health_get(c->be, wl->w.local.dom, r->partner, &r->health, &r->when,
				      &c->e);
}

static void row_widths(const list_row *rows, size_t n, int w[3])
{
	size_t i;

	w[0] = 8;
	w[1] = 16;
	w[2] = 9;
	for (i = 0; i < n; i++) {
		int a = (int)text_width(rows[i].name), b = (int)text_width(rows[i].display);
		int t = (int)strlen(trust_type_name(rows[i].t->type));

		w[0] = a > w[0] ? a : w[0];
		w[1] = b > w[1] ? b : w[1];
		w[2] = t > w[2] ? t : w[2];
	}
}

static void list_section_text(const list_row *rows, size_t n, uint32_t bit,
			      const int w[3])
{
	size_t i, shown = 0;

	for (i = 0; i < n; i++) {
		if (!(rows[i].t->direction & bit))
			continue;
		fputs("  ", stdout);
		print_padded(rows[i].name, (size_t)w[0]);
		fputs("  ", stdout);
		print_padded(rows[i].display, (size_t)w[1]);
		printf("  %-7s  %-*s  %s\n", rows[i].way, w[2], trust_type_name(rows[i].t->type),
		       trust_health_name(rows[i].health));
		shown++;
	}
	if (!shown)
		printf("  (none)\n");
}

static void list_text(const tm_domain *d, const list_row *rows, size_t n)
{
	int w[3];

	row_widths(rows, n, w);
	printf("%s (%s)", d->name, d->dns[0] ? d->dns : d->kind == DOMAIN_MIT ? d->realm
	       : "NT 4");
	if (d->kind == DOMAIN_AD)
		printf(", forest %s", domain_forest(d));
	printf("\n\nTrusted domains (%s trusts them, outbound):\n", d->name);
	list_section_text(rows, n, TRUST_DIRECTION_OUTBOUND, w);
	printf("Trusting domains (they trust %s, inbound):\n", d->name);
	list_section_text(rows, n, TRUST_DIRECTION_INBOUND, w);
}

static void list_section_json(cli_json *j, const char *key, const list_row *rows,
			      size_t n, uint32_t bit)
{
	size_t i;

	cli_json_open(j, key, '[');
	for (i = 0; i < n; i++) {
		if (!(rows[i].t->direction & bit))
			continue;
		cli_json_open(j, NULL, '{');
		cli_json_str(j, "name", rows[i].name);
		cli_json_str(j, "partner", rows[i].partner);
		cli_json_str(j, "flat_name", cli_or_null(rows[i].flat));
		cli_json_str(j, "display", rows[i].display);
		cli_json_str(j, "direction", rows[i].way);
		cli_json_int(j, "trust_direction", rows[i].t->direction);
		cli_json_str(j, "type", trust_type_name(rows[i].t->type));
		cli_json_str(j, "state", trust_health_name(rows[i].health));
		cli_json_time(j, "state_changed", rows[i].when);
		cli_json_close(j);
	}
	cli_json_close(j);
}

static void list_json(const tm_domain *d, const list_row *rows, size_t n)
{
	cli_json j;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_str(&j, "domain", d->name);
	cli_json_str(&j, "dns", cli_or_null(d->dns));
	cli_json_str(&j, "netbios", cli_or_null(d->netbios));
	cli_json_str(&j, "kind", trust_kind_name(d->kind));
	list_section_json(&j, "trusted", rows, n, TRUST_DIRECTION_OUTBOUND);
	list_section_json(&j, "trusting", rows, n, TRUST_DIRECTION_INBOUND);
	cli_json_close(&j);
}

/* cli_print_list: the two lists of wl's local domain with their states. */
int cli_print_list(cli_ctx *c, const world *wl)
{
	const tm_domain *d = wl->w.local.dom;
	size_t n = wl->rows.n, i;
	list_row *rows = calloc(n ? n : 1, sizeof(*rows));

	if (!rows) {
		error_fail(&c->e, TM_EBACKEND, NULL, "Out of memory while listing %s.", d->name);
		error_hint(&c->e, "Free some memory and run the command again.");
		return cli_report(c, &c->e);
	}
	for (i = 0; i < n; i++)
		if (make_row(c, wl, i, &rows[i]) < 0) {
			free(rows);
			return cli_report(c, &c->e);
		}
	if (json_mode(c))
		list_json(d, rows, n);
	else
		list_text(d, rows, n);
	free(rows);
	return TM_OK;
}

/* Why an AD DC's own check could not be asked ("not asked: STATUS_X"). */
static const char *cli_not_asked_note(const char *check)
{
	if (strstr(check, "ACCESS_DENIED") || strstr(check, "LOGON_FAILURE"))
		return " (the DC refused the bind's account: asking for its check takes a domain "
		       "administrator; Kerberos across the trust works)";
	if (strstr(check, "NOT_SUPPORTED"))
		return " (the LSA helper cannot run here: install python3-samba; Kerberos across "
		       "the trust works)";
	if (strstr(check, ST_INVALID_SERVER_STATE))
		return " (local_dc_conf names a DC other than the one the directory was read from, "
		       "or of another domain: correct it or remove it; Kerberos across the trust "
		       "works)";
	return " (trustmgr reaches the DC's netlogon over TCP, port 135 and the DC's RPC "
	       "ports, or over SMB, port 445, when TCP is refused: check that they answer "
	       "from here, or raise timeout in trustmgr.conf; Kerberos across the trust works)";
}

/* What an AD DC's own check of its secure channel means when it is not
 * WERR_OK (directory_ad.c: "trust X", "connection X" or "not asked: X"). */
static const char *cli_dc_check_note(const char *check)
{
	if (strcmp(check, "WERR_OK") == 0)
		return "";
	if (strncmp(check, "not asked", 9) == 0)
		return cli_not_asked_note(check);
	if (strstr(check, "ACCOUNT_DISABLED"))
		return " (a Samba DC keeps the secure channel of the old secret until it restarts: "
		       "restart its samba service; Kerberos across the trust works)";
	if (strstr(check, "NO_LOGON_SERVERS") || strstr(check, "connection"))
		return " (the DC reaches no DC of the partner now: check DNS and the network "
		       "between the DCs; Kerberos across the trust works)";
	return " (see the DC's log for its netlogon check; Kerberos across the trust works)";
}

/* ---- verify results ---------------------------------------------------- */

static void verify_line_text(const verify_result *r)
{
	char what[TM_WHAT_MAX], next[TM_NEXT_MAX];

	printf("%s trusts %s: ", r->trusting, r->trusted);
	if (r->outcome == VERIFY_OK) {
		printf("ok (kvno %u, %s)\n", r->issuer_kvno, keys_enctype_name(r->enctype));
		if (r->dc_check[0])
			printf("  %s's DC checks its secure channel to %s: %s%s\n", r->trusting,
			       r->trusted, r->dc_check, cli_dc_check_note(r->dc_check));
		return;
	}
	printf("%s\n", verify_outcome_token(r->outcome));
	what[0] = next[0] = '\0';
	verify_explain(r, what, sizeof(what), next, sizeof(next));
	if (what[0])
		printf("  %s\n", what);
	if (next[0])
		printf("  %s\n", next);
}

static void verify_result_json(cli_json *j, const verify_result *r)
{
	char what[TM_WHAT_MAX], next[TM_NEXT_MAX];

	what[0] = next[0] = '\0';
	if (r->outcome != VERIFY_OK)
		verify_explain(r, what, sizeof(what), next, sizeof(next));
	cli_json_open(j, NULL, '{');
	cli_json_str(j, "trusting", r->trusting);
	cli_json_str(j, "trusted", r->trusted);
	cli_json_str(j, "principal", cli_or_null(r->principal));
	cli_json_str(j, "outcome", verify_outcome_token(r->outcome));
	cli_json_bool(j, "ok", r->outcome == VERIFY_OK);
	cli_json_int(j, "issuer_kvno", r->issuer_kvno);
	cli_json_int(j, "acceptor_kvno", r->acceptor_kvno);
	cli_json_str(j, "enctype", r->enctype ? keys_enctype_name(r->enctype) : NULL);
	cli_json_str(j, "missing_on", cli_or_null(r->missing_on));
	cli_json_str(j, "detail", cli_or_null(r->detail));
	cli_json_str(j, "dc_check", cli_or_null(r->dc_check));
	cli_json_str(j, "explanation", cli_or_null(what));
	cli_json_str(j, "next", cli_or_null(next));
	cli_json_close(j);
}

static void verify_results_json(cli_json *j, const cli_ctx *c)
{
	size_t i;

	cli_json_open(j, "directions", '[');
	for (i = 0; i < c->nresults; i++)
		verify_result_json(j, &c->results[i]);
	cli_json_close(j);
}

static void error_json(cli_json *j, const tm_error *e, int status)
{
	if (status == TM_OK)
		cli_json_null(j, "error");
	else
		cli_json_error(j, e, cli_exit_status(e, status));
}

/* cli_print_verify: one line (or JSON object) per verified direction. */
void cli_print_verify(const cli_ctx *c, const tm_plan *p)
{
	cli_json j;
	size_t i;
	int ok = c->e.cls == TM_OK;

	if (!json_mode(c)) {
		for (i = 0; i < c->nresults; i++)
			verify_line_text(&c->results[i]);
		return;
	}
	for (i = 0; i < c->nresults; i++)
		ok = ok && c->results[i].outcome == VERIFY_OK;
	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_str(&j, "domain", p->domain);
	cli_json_str(&j, "partner", p->partner);
	cli_json_bool(&j, "ok", ok);
	verify_results_json(&j, c);
	error_json(&j, &c->e, ok ? TM_OK : (c->e.cls ? (int)c->e.cls : TM_EFAIL));
	cli_json_close(&j);
}

/* ---- --json result of a changing command ------------------------------- */

/* cli_print_result_json: {"command", "ok", "exit_status", "message", ...}. */
void cli_print_result_json(const cli_ctx *c, const tm_plan *p, int status, const tm_error *e)
{
	cli_json j;
	char name[64];

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_str(&j, "command", cli_cmd_name(c->cmd, name, sizeof(name)));
	cli_json_str(&j, "op", p ? p->op : NULL);
	cli_json_bool(&j, "ok", status == TM_OK);
	cli_json_int(&j, "exit_status", e ? cli_exit_status(e, status) : status);
	cli_json_str(&j, "message", status == TM_OK && p ? cli_or_null(p->success) : NULL);
	verify_results_json(&j, c);
	error_json(&j, e, status);
	cli_json_close(&j);
}

/* ---- --dry-run: the plan ------------------------------------------------ */

/* Steps are grouped by the domain they change; checks come last. */
static const char *step_group(const plan_step *s)
{
	return s->kind == STEP_VERIFY ? "" : s->domain;
}

/* The step's text without a leading "DOMAIN: " the group title already says. */
static const char *step_text(const plan_step *s)
{
	size_t n = strlen(s->domain);

	if (n && strncmp(s->text, s->domain, n) == 0 && strncmp(s->text + n, ": ", 2) == 0)
		return s->text + n + 2;
	return s->text;
}

/* What a TDO write makes of the trust, indented under its step. */
static void plan_changes_text(FILE *f, const plan_step *s)
{
	const char *line = s->changes, *end;

	while (*line) {
		end = strchr(line, '\n');
		fprintf(f, "        %.*s\n", (int)(end ? (size_t)(end - line) : strlen(line)), line);
		if (!end)
			break;
		line = end + 1;
	}
}

/* The steps in the order plan_show_order lists them, numbered as shown,
 * under a title per domain ("Checks" for the verifications). */
static void plan_steps_text(FILE *f, const tm_plan *p)
{
	size_t order[PLAN_MAX_STEPS], n = plan_show_order(p, order), i;
	const char *group = NULL;

	for (i = 0; i < n; i++) {
		const plan_step *s = &p->steps[order[i]];

		if (!group || strcmp(group, step_group(s)) != 0) {
			group = step_group(s);
			fprintf(f, "%s:\n", group[0] ? group : "Checks");
		}
		fprintf(f, "  %2zu. %s\n", i + 1, step_text(s));
		plan_changes_text(f, s);
	}
}

static const char *slot_how(const cli_ctx *c, const tm_plan *p, int i, char *buf, size_t n)
{
	if (p->slots[i].source == SLOT_GENERATED)
		return "generated at random when the plan runs (never shown)";
	if (c->opt[OPT_PASSWORD_FILE] && strcmp(c->opt[OPT_PASSWORD_FILE], "-") == 0)
		return "read from standard input";
	if (c->opt[OPT_PASSWORD_FILE]) {
		snprintf(buf, n, "read from the password file %s", c->opt[OPT_PASSWORD_FILE]);
		return buf;
	}
	return cli_secret_confirmed(p, i) ? "asked on the terminal (typed twice, no echo)"
					  : "asked on the terminal (no echo)";
}

static void plan_secrets_text(FILE *f, const cli_ctx *c, const tm_plan *p)
{
	char buf[PATH_MAX + 64];
	int i, any = 0;

	for (i = 0; i < PLAN_MAX_SLOTS; i++) {
		if (p->slots[i].source == SLOT_UNUSED)
			continue;
		if (!any++)
			fprintf(f, "Secrets:\n");
		fprintf(f, "  %s: %s\n", p->slots[i].label, slot_how(c, p, i, buf, sizeof(buf)));
	}
}

/* cli_print_plan_text: the plan as --dry-run shows it, on f, without the
 * closing "Nothing was written" (the confirmation shows it too). */
void cli_print_plan_text(const cli_ctx *c, const tm_plan *p, FILE *f)
{
	fprintf(f, "Plan: %s\n", p->summary[0] ? p->summary : p->op);
	plan_steps_text(f, p);
	if (!p->nsteps)
		fprintf(f, "  (no steps: nothing would change)\n");
	plan_secrets_text(f, c, p);
	if (p->outcome != TM_OK)
		fprintf(f, "Expected result: %s%s%s\n", p->outcome_status ? p->outcome_status : "",
			p->outcome_status ? ": " : "", p->outcome_what);
}

static void plan_text(const cli_ctx *c, const tm_plan *p)
{
	cli_print_plan_text(c, p, stdout);
	printf("Nothing was written (--dry-run).\n");
}

/* reach: steps [done, reach) ran side by side and may be done (journal_info). */
static void plan_steps_json(cli_json *j, const tm_plan *p, size_t done, size_t reach)
{
	size_t i;

	cli_json_open(j, "steps", '[');
	for (i = 0; i < p->nsteps; i++) {
		cli_json_open(j, NULL, '{');
		cli_json_int(j, "number", (long long)i + 1);
		cli_json_str(j, "domain", cli_or_null(p->steps[i].domain));
		cli_json_str(j, "kind", plan_step_token(p->steps[i].kind));
		cli_json_str(j, "text", p->steps[i].text);
		cli_json_str(j, "changes", cli_or_null(p->steps[i].changes));
		cli_json_bool(j, "done", i < done);
		cli_json_bool(j, "may_be_done", i >= done && i < reach);
		cli_json_close(j);
	}
	cli_json_close(j);
}

static void plan_json(const cli_ctx *c, const tm_plan *p)
{
	cli_json j;
	char buf[PATH_MAX + 64];
	int i;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_bool(&j, "dry_run", 1);
	cli_json_str(&j, "op", p->op);
	cli_json_str(&j, "domain", p->domain);
	cli_json_str(&j, "partner", cli_or_null(p->partner));
	cli_json_str(&j, "summary", cli_or_null(p->summary));
	plan_steps_json(&j, p, 0, 0);
	cli_json_open(&j, "secrets", '[');
	for (i = 0; i < PLAN_MAX_SLOTS; i++) {
		if (p->slots[i].source == SLOT_UNUSED)
			continue;
		cli_json_open(&j, NULL, '{');
		cli_json_str(&j, "label", p->slots[i].label);
		cli_json_str(&j, "source", p->slots[i].source == SLOT_GENERATED ? "generated"
			     : "supplied");
		cli_json_str(&j, "how", slot_how(c, p, i, buf, sizeof(buf)));
		cli_json_close(&j);
	}
	cli_json_close(&j);
	cli_json_str(&j, "expected_status", p->outcome != TM_OK ? p->outcome_status : NULL);
	cli_json_str(&j, "expected_result", p->outcome != TM_OK ? p->outcome_what : NULL);
	cli_json_close(&j);
}

/* cli_print_plan: --dry-run output, text or JSON; never a secret value. */
void cli_print_plan(const cli_ctx *c, const tm_plan *p)
{
	if (json_mode(c))
		plan_json(c, p);
	else
		plan_text(c, p);
}

/* ---- journal ----------------------------------------------------------- */

static void journal_text(const tm_plan *p, const journal_info *info)
{
	char when[64];
	size_t i;

	printf("Interrupted plan: %s %s%s%s\n", p->op, p->domain, p->partner[0] ? " " : "",
	       p->partner);
	if (p->summary[0])
		printf("  %-10s %s\n", "Summary:", p->summary);
	printf("  %-10s %s\n", "Journal:", info->id);
	printf("  %-10s %s by process %ld\n", "Started:",
	       cli_time(info->started, when, sizeof(when)), info->pid);
	printf("  %-10s %zu of %zu steps done%s\n", "Progress:", info->done, info->total,
	       info->failed ? " (it stopped at a failing step)" : "");
	for (i = 0; i < p->nsteps; i++)
		printf("  %s %2zu. %-10s %s\n", i < info->done ? "[done]" :
		       i < info->reach ? "[ ?? ]" : "[    ]", i + 1, p->steps[i].domain,
		       step_text(&p->steps[i]));
	if (info->reach > info->done)
		printf("  [ ?? ]: run side by side when the plan stopped, so each may be done; "
		       "resume runs them again, rollback undoes them too.\n");
	printf("Run 'trustmgr resume' to finish it, or 'trustmgr rollback' to put every "
	       "domain it touched back as it was.\n");
}

static void journal_json(const tm_plan *p, const journal_info *info)
{
	cli_json j;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_bool(&j, "interrupted", p != NULL);
	if (p) {
		cli_json_str(&j, "id", info->id);
		cli_json_str(&j, "op", p->op);
		cli_json_str(&j, "domain", p->domain);
		cli_json_str(&j, "partner", cli_or_null(p->partner));
		cli_json_time(&j, "started", info->started);
		cli_json_int(&j, "pid", info->pid);
		cli_json_int(&j, "done", (long long)info->done);
		cli_json_int(&j, "total", (long long)info->total);
		cli_json_bool(&j, "failed", info->failed);
		cli_json_int(&j, "may_be_done_to", (long long)(info->reach > info->done ?
							       info->reach : info->done));
		plan_steps_json(&j, p, info->done, info->reach);
	}
	cli_json_close(&j);
}

/* cli_print_journal: the interrupted plan with done/pending steps. */
void cli_print_journal(const cli_ctx *c, const tm_plan *p, const journal_info *info)
{
	if (json_mode(c))
		journal_json(p, info);
	else if (!p)
		printf("No interrupted plan: every change recorded in the journal finished.\n");
	else
		journal_text(p, info);
}
