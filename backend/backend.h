/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* select.h - which backend a run uses: the embedded store named with
 * --store, else the real domains of trustmgr.conf when one is found
 * (--config, $TRUSTMGR_CONFIG, ~/.config/trustmgr/trustmgr.conf,
 * /etc/trustmgr.conf), else the embedded store in its default folder. */
#ifndef TM_SELECT_H
#define TM_SELECT_H

#include <limits.h>

#include "backend/ops.h"

typedef struct backend_choice {
	char store_dir[PATH_MAX];    /* set for the embedded store */
	char config[PATH_MAX];       /* set for the real domains */
	char audit_log[PATH_MAX];    /* --audit-log: the audit file instead of the default */
} backend_choice;

/* Decide from the options (either may be NULL). Returns 0 or -1 with e
 * (an explicit --config that does not exist, a store folder too long). */
int backend_choose(const char *store_opt, const char *config_opt, backend_choice *c,
		   tm_error *e);

/* Open what was chosen, with its audit target (audit.h): the embedded
 * store records to STORE/audit.log, real domains to trustmgr.conf's
 * audit_log (default STATE_DIR/audit.log) and/or syslog; c->audit_log,
 * when set, names the file instead. NULL with e. */
tm_backend *backend_open(const backend_choice *c, tm_error *e);

/* Where notices about real servers go (an LDAP server failed and another
 * took over): fn(message, arg), one sentence. NULL (the default) prints
 * "warning: <message>" on standard error; a full-screen front end sets its
 * own. Set it once, before backend_open. */
typedef void (*backend_notice_fn)(const char *msg, void *arg);
void backend_set_notice(backend_notice_fn fn, void *arg);

#endif
