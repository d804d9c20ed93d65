/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* select.c - choose and open the backend of a run (see select.h). */
#include "backend/backend.h"

#include <stdio.h>
#include <string.h>

#include "backend/config/config.h"
#include "backend/directory/directory.h"
#include "backend/ldap/ldapdir.h"
#include "backend/store/store.h"

static int select_store(const char *dir, backend_choice *c, tm_error *e)
{
	if (!dir)
		return store_default_dir(c->store_dir, sizeof(c->store_dir), e);
	if (!dir[0] || strlen(dir) >= sizeof(c->store_dir)) {
		error_fail(e, TM_EUSAGE, NULL, "The store folder given with --store is %s.",
			dir[0] ? "too long" : "empty");
		error_hint(e, "Give an existing or creatable folder, or leave --store out to use "
			"the default.");
		return -1;
	}
	snprintf(c->store_dir, sizeof(c->store_dir), "%s", dir);
	return 0;
}

int backend_choose(const char *store_opt, const char *config_opt, backend_choice *c,
		   tm_error *e)
{
	int found;

	memset(c, 0, sizeof(*c));
	if (store_opt && config_opt) {
		error_fail(e, TM_EUSAGE, NULL, "--store and --config name two different backends");
		error_hint(e, "Use --store DIR for the embedded store or --config FILE for real domains.");
		return -1;
	}
	if (store_opt)
		return select_store(store_opt, c, e);
	found = config_find(config_opt, c->config, sizeof(c->config), e);
	if (found < 0)
		return -1;
	if (found == 0)
		c->config[0] = '\0';
	return found ? 0 : select_store(NULL, c, e);
}

static int select_audit_path(char *buf, size_t n, const char *dir, tm_error *e)
{
	int k = snprintf(buf, n, "%s/audit.log", dir);

	if (k < 0 || (size_t)k >= n) {
		error_fail(e, TM_EUSAGE, NULL, "the audit log's name (%s/audit.log) is too long, so no "
			"change could be recorded", dir);
		error_hint(e, "Name a shorter file with --audit-log FILE (or audit_log in "
			"trustmgr.conf).");
		return -1;
	}
	return 0;
}

/* The audit target of the real domains, from trustmgr.conf's [trustmgr]. */
static int select_audit_config(const backend_choice *c, audit_target *t, tm_error *e)
{
	tm_config cfg;
	int rc = 0;

	if (config_load(c->config, &cfg, e) < 0)
		return -1;
	snprintf(t->backend, sizeof(t->backend), "%s", "ldap+krb5");
	t->syslog = cfg.audit_syslog;
	t->facility = cfg.audit_facility;
	t->timeout = cfg.timeout;
	snprintf(t->socket, sizeof(t->socket), "%s", cfg.audit_syslog_socket);
	if (!cfg.audit_log[0] && cfg.system_state)
		snprintf(t->file, sizeof(t->file), "%s", CFG_SYSTEM_AUDIT_LOG);
	else if (!cfg.audit_log[0])
		rc = select_audit_path(t->file, sizeof(t->file), cfg.state_dir, e);
	else if (strcmp(cfg.audit_log, "none") != 0)
		snprintf(t->file, sizeof(t->file), "%s", cfg.audit_log);
	config_free(&cfg);
	return rc;
}

/* Where this run's changes are recorded. */
static int select_audit(const backend_choice *c, audit_target *t, tm_error *e)
{
	memset(t, 0, sizeof(*t));
	if (c->config[0] && select_audit_config(c, t, e) < 0)
		return -1;
	if (!c->config[0]) {
		snprintf(t->backend, sizeof(t->backend), "%s", "embedded");
		if (select_audit_path(t->file, sizeof(t->file), c->store_dir, e) < 0)
			return -1;
	}
	if (c->audit_log[0])
		snprintf(t->file, sizeof(t->file), "%s", c->audit_log);
	return 0;
}

tm_backend *backend_open(const backend_choice *c, tm_error *e)
{
	tm_backend *be = c->config[0] ? directory_open(c->config, e) : store_open(c->store_dir, e);

	if (be && select_audit(c, &be->audit, e) < 0) {
		be->ops->close(be);
		return NULL;
	}
	return be;
}

void backend_set_notice(backend_notice_fn fn, void *arg)
{
	ldapdir_set_notice(fn, arg);
}
