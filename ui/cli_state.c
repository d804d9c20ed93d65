/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_state.c - `trustmgr state [--clear-stale]`: where trustmgr keeps its
 * local state (the journal of an interrupted plan, before-images, health,
 * the lock), whether a group of administrators shares it, where the audit
 * trail goes, and the state of domains trustmgr.conf names no more (stale),
 * which --clear-stale removes. See backend/ops.h (tm_state_info). */
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ui/cli_int.h"

/* The group that shares dir ("" when it cannot be told). */
static void state_group(const char *dir, char *buf, size_t n)
{
	struct stat st;
	struct group *g;

	buf[0] = '\0';
	if (stat(dir, &st) != 0)
		return;
	g = getgrgid(st.st_gid);
	if (g && g->gr_name)
		snprintf(buf, n, "%s", g->gr_name);
	else
		snprintf(buf, n, "gid %u", (unsigned)st.st_gid);
}

static void state_text(const cli_ctx *c, const tm_state_info *s, const char *group,
		       const int *cleared)
{
	size_t i, shown = s->nstale < TM_STATE_STALE_MAX ? s->nstale : TM_STATE_STALE_MAX;

	printf("State folder:  %s\n", s->dir);
	if (s->shared)
		printf("Sharing:       shared with the group %s (files 0660, folders 2770)\n", group);
	else
		printf("Sharing:       private to this user (files 0600, folders 0700)\n");
	printf("Audit log:     %s\n", c->be->audit.file[0] ? c->be->audit.file : "none (syslog only)");
	printf("Domains with state: %zu, stale: %zu\n", s->ndomains, s->nstale);
	for (i = 0; i < shown; i++) {
		if (cleared && cleared[i])
			printf("  %s: stale state removed\n", s->stale[i]);
		else if (s->stale_in_plan[i])
			printf("  %s: stale, and the interrupted plan changes it: kept until the plan is "
			       "finished ('trustmgr journal')\n", s->stale[i]);
		else
			printf("  %s: stale (the configuration names it no more: renamed or removed)%s\n",
			       s->stale[i], cleared ? "" : "; 'trustmgr state --clear-stale' removes it");
	}
}

static void state_json(const cli_ctx *c, const tm_state_info *s, const char *group,
		       const int *cleared)
{
	size_t i, shown = s->nstale < TM_STATE_STALE_MAX ? s->nstale : TM_STATE_STALE_MAX;
	cli_json j;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	cli_json_str(&j, "state_dir", s->dir);
	cli_json_bool(&j, "shared", s->shared);
	cli_json_str(&j, "group", s->shared ? group : NULL);
	cli_json_str(&j, "audit_log", c->be->audit.file[0] ? c->be->audit.file : NULL);
	cli_json_int(&j, "domains", (long long)s->ndomains);
	cli_json_open(&j, "stale", '[');
	for (i = 0; i < shown; i++) {
		cli_json_open(&j, NULL, '{');
		cli_json_str(&j, "domain", s->stale[i]);
		cli_json_bool(&j, "in_interrupted_plan", s->stale_in_plan[i]);
		cli_json_bool(&j, "cleared", cleared && cleared[i]);
		cli_json_close(&j);
	}
	cli_json_close(&j);
	cli_json_close(&j);
}

/* Forget every stale domain the interrupted plan does not name; the first
 * failure is kept in c->e (the others are still tried). */
static int state_clear(cli_ctx *c, const tm_state_info *s, int *cleared)
{
	size_t i, shown = s->nstale < TM_STATE_STALE_MAX ? s->nstale : TM_STATE_STALE_MAX;
	tm_error e;
	int rc = TM_OK;

	for (i = 0; i < shown; i++) {
		error_clear(&e);
		if (s->stale_in_plan[i])
			continue;
		if (c->be->ops->state_forget(c->be, s->stale[i], &e) == 0) {
			cleared[i] = 1;
		} else if (rc == TM_OK) {
			c->e = e;
			rc = e.cls != TM_OK ? (int)e.cls : TM_EBACKEND;
		}
	}
	return rc;
}

/* cli_cmd_state: show the local state; --clear-stale removes stale state. */
int cli_cmd_state(cli_ctx *c)
{
	tm_state_info s;
	char group[64];
	int cleared[TM_STATE_STALE_MAX], rc = TM_OK;

	memset(cleared, 0, sizeof(cleared));
	if (c->be->ops->state_show(c->be, &s, &c->e) < 0)
		return cli_report(c, &c->e);
	state_group(s.dir, group, sizeof(group));
	if (c->opt[OPT_CLEAR_STALE] && s.nstale && c->be->ops->state_forget)
		rc = state_clear(c, &s, cleared);
	if (c->opt[OPT_JSON])
		state_json(c, &s, group, c->opt[OPT_CLEAR_STALE] ? cleared : NULL);
	else
		state_text(c, &s, group, c->opt[OPT_CLEAR_STALE] ? cleared : NULL);
	if (rc != TM_OK)
		cli_report(c, &c->e);
	return rc;
}
