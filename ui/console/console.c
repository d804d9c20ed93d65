/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* console.c - con_console_main: options and environment, the script, the store,
 * the screen, the main dialog, and the way out (console.h). */
#include "ui/console/console.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/console/dialog.h"
#include "ui/console/display.h"
#include "ui/console/dialogs/dialogs.h"
#include "ui/console/input.h"
#include "ui/console/requests.h"

#define ENV_SCRIPT "TRUSTMGR_SCRIPT"
#define ENV_NO_DISPLAY "TRUSTMGR_NO_DISPLAY"
#define ENV_WATCH "TRUSTMGR_WATCH_SECONDS"
#define WATCH_DEFAULT_SECONDS 2
#define WATCH_MAX_SECONDS 3600

typedef struct con_settings {
	char store[PATH_MAX];
	const char *config;      /* trustmgr.conf, or NULL for the store */
	const char *audit_log;   /* --audit-log, or NULL */
	const char *script;
	int headless;
	int cols, rows;
	int mono;
	int watch_seconds;       /* how often an idle keyboard looks for changes; 0 never */
} con_settings;

/* A positive number from the environment, or 0. */
static int env_number(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 10);
	return *end || n < 1 || n > 1000 ? 0 : (int)n;
}

/* TRUSTMGR_WATCH_SECONDS: 0 to 3600, else the default. */
static int env_watch(void)
{
	const char *v = getenv(ENV_WATCH);
	char *end;
	long n;

	if (!v || !*v)
		return WATCH_DEFAULT_SECONDS;
	n = strtol(v, &end, 10);
	return *end || n < 0 || n > WATCH_MAX_SECONDS ? WATCH_DEFAULT_SECONDS : (int)n;
}

/* An environment flag: set, not empty and not "0". */
static int env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0;
}

/* The default store folder: $XDG_DATA_HOME/trustmgr, ~/.local/share/trustmgr. */
static int default_store(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int len;

	if (xdg && *xdg)
		len = snprintf(buf, n, "%s/trustmgr", xdg);
	else if (home && *home)
		len = snprintf(buf, n, "%s/.local/share/trustmgr", home);
	else
		return -1;
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* Options first, the environment second, then the defaults. */
static int settle(const con_options *o, con_settings *s)
{
	memset(s, 0, sizeof(*s));
	if (o->store_dir && *o->store_dir) {
		if (strlen(o->store_dir) >= sizeof(s->store))
			return -1;
		snprintf(s->store, sizeof(s->store), "%s", o->store_dir);
	} else if (default_store(s->store, sizeof(s->store)) < 0) {
		return -1;
	}
	s->config = o->config && *o->config ? o->config : NULL;
	s->audit_log = o->audit_log && *o->audit_log ? o->audit_log : NULL;
	s->script = o->script && *o->script ? o->script : getenv(ENV_SCRIPT);
	if (s->script && !*s->script)
		s->script = NULL;
	s->headless = o->headless || env_flag(ENV_NO_DISPLAY);
	s->cols = o->cols > 0 ? o->cols : env_number("COLUMNS");
	s->rows = o->rows > 0 ? o->rows : env_number("LINES");
	if (s->headless && !s->cols)
		s->cols = 80;
	if (s->headless && !s->rows)
		s->rows = 24;
	s->mono = o->no_color || o->force_mono || getenv("NO_COLOR") != NULL;
	s->watch_seconds = env_watch();
	return 0;
}

static int run(const con_settings *s, con_app *a)
{
	con_display_opts d = { s->headless, s->cols, s->rows, s->mono };
	char err[CON_MSG_MAX];

	con_display_catch_signals();
	con_input_set_idle(s->watch_seconds * 1000);
	if (con_display_open(&d, err, sizeof(err)) < 0) {
		fprintf(stderr, "trustmgr: %s\n", err);
		return 2;
	}
	con_main_dialog(a);
	con_display_close();
	return con_dialog_exit_status();
}

/* Before the store is opened and anything drawn: a terminal that cannot
 * address the cursor is refused (docs/CONSOLE.md, "The terminal"). */
static int terminal_ok(const con_settings *s)
{
	con_display_opts d = { s->headless, s->cols, s->rows, s->mono };
	char err[2 * CON_LINE_MAX];

	if (con_display_check(&d, err, sizeof(err)) == 0)
		return 1;
	fprintf(stderr, "trustmgr: %s\n", err);
	return 0;
}

static int open_store(const con_settings *s, con_app *a)
{
	tm_error e;

	error_clear(&e);
	a->svc = con_service_new(s->store, s->config, &e);
	if (a->svc && s->audit_log)
		con_service_set_audit_log(a->svc, s->audit_log);
	if (!a->svc) {
		fprintf(stderr, "trustmgr: %s%s%s\n", e.status ? e.status : "", e.status ? ": " : "",
			e.what[0] ? e.what : "the store could not be opened");
		if (e.next[0])
			fprintf(stderr, "%s\n", e.next);
		return e.cls != TM_OK ? (int)e.cls : TM_EBACKEND;
	}
	return 0;
}

/* con_console_main: the whole console session. */
int con_console_main(const con_options *o)
{
	con_settings s;
	con_app a;
	char err[CON_LINE_MAX];
	int rc;

	setlocale(LC_ALL, "");
	if (settle(o, &s) < 0) {
		fprintf(stderr, "trustmgr: the store folder is unknown (neither XDG_DATA_HOME nor "
			"HOME is set) or too long.\nGive it with --store DIR.\n");
		return 2;
	}
	con_keymap_reset();
	if (con_input_open(s.script, err, sizeof(err)) < 0) {
		fprintf(stderr, "trustmgr: %s\n", err);
		return 2;
	}
	if (s.headless && !s.script) {
		fprintf(stderr, "trustmgr: --headless (TRUSTMGR_NO_DISPLAY) needs a script of keys: "
			"give one with --script FILE or TRUSTMGR_SCRIPT.\n");
		return 2;
	}
	if (!terminal_ok(&s)) {
		con_input_close();
		return 2;
	}
	memset(&a, 0, sizeof(a));
	if (o->domain)                 /* kept by the first read when it exists */
		snprintf(a.current, sizeof(a.current), "%s", o->domain);
	rc = open_store(&s, &a);
	if (rc == 0)
		rc = run(&s, &a);
	if (con_dialog_quit_message()[0])
		fprintf(stderr, "%s\n", con_dialog_quit_message());
	con_app_free(&a);
	con_service_free(&a.svc);
	con_input_close();
	return rc;
}
