/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* input.c - the one place keys enter the console (input.h). */
#include "ui/console/input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/console/dialog.h"
#include "ui/console/display.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"
#include "ui/console/script.h"
#include "ui/console/terminal.h"

#define LOST_TERMINAL_ERRORS 64
#define QUICK_MS 1000              /* keys closer than this continue a type-ahead */

static con_script *script;
static con_input_watch_fn watch_fn;
static void *watch_ctx;
static int idle_ms;
static unsigned last_line;         /* the script line of the last key */
static long long last_key_ms = -QUICK_MS; /* when the last keyboard key came */

/* con_input_open: load and check the script. */
int con_input_open(const char *path, char *err, size_t n)
{
	con_input_close();
	if (!path)
		return 0;
	script = con_script_load(path, err, n);
	return script ? 0 : -1;
}

/* con_input_close: no script any more. */
void con_input_close(void)
{
	con_script_free(&script);
}

/* con_input_set_watch: who looks for changes. */
void con_input_set_watch(con_input_watch_fn fn, void *ctx)
{
	watch_fn = fn;
	watch_ctx = ctx;
}

/* con_input_set_idle: how long the keyboard must rest before the watch. */
void con_input_set_idle(int ms)
{
	idle_ms = ms > 0 ? ms : 0;
}

/* A new size: every dialog is laid out again and the screen redrawn. */
static void resized(void)
{
	con_dialog_stack_layout();
	con_dialog_stack_draw();
}

/* Ask the watch; draw again when it saw a change. */
static void watch(int why)
{
	if (watch_fn && watch_fn(watch_ctx, why))
		con_dialog_stack_draw();
}

/* Keys the choke point keeps for itself: the focus reports. 1 when key
 * was one of them. */
static int focus_report(int key)
{
	if (key == CON_KEY_FOCUS_IN)
		watch(CON_WATCH_FOCUS);
	return key == CON_KEY_FOCUS_IN || key == CON_KEY_FOCUS_OUT;
}

static int fail(const con_script_item *it, int status, const char *what, const char *arg)
{
	con_dialog_quit_with(status, "trustmgr: %s:%u: %s%s", con_script_path(script), it->line, what,
		      arg);
	return 1;
}

static int cannot_write(const con_script_item *it)
{
	char msg[CON_MSG_MAX];

	snprintf(msg, sizeof(msg), "cannot write %.300s: %s", it->text, strerror(errno));
	return fail(it, 2, msg, "");
}

static int save_to(const con_script_item *it, int model)
{
	FILE *f = fopen(it->text, "w");
	int bad;

	if (!f)
		return cannot_write(it);
	if (model)
		con_dialog_stack_save_model(f);
	else
		con_display_dump(f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad)
		return cannot_write(it);
	return 0;
}

/* The screen, for a failed expectation. */
static void expect_failed(const con_script_item *it, int present)
{
	char *buf = NULL, row[CON_ROW_MAX];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int y;

	if (f) {
		for (y = 0; y < LINES; y++) {
			con_display_row(y, row, sizeof(row));
			fprintf(f, "  | %s\n", row);
		}
		fclose(f);
	}
	con_dialog_quit_with(1, "trustmgr: %s:%u: the screen %s \"%s\"\nThe screen was:\n%s",
		      con_script_path(script), it->line, present ? "shows" : "does not show",
		      it->text, buf ? buf : "");
	free(buf);
}

/* Run a command; 1 when the console must end. */
static int command(const con_script_item *it)
{
	switch (it->kind) {
	case SCRIPT_SAVE_SCREEN: return save_to(it, 0);
	case SCRIPT_SAVE_MODEL: return save_to(it, 1);
	case SCRIPT_RESIZE:
		con_display_resize(it->a, it->b);
		resized();
		return 0;
	case SCRIPT_EXPECT:
	case SCRIPT_EXPECT_NOT:
		if (con_display_contains(it->text) == (it->kind == SCRIPT_EXPECT))
			return 0;
		expect_failed(it, it->kind == SCRIPT_EXPECT_NOT);
		return 1;
	case SCRIPT_BIND:
		if (con_keymap_bind(it->key, it->a) < 0)
			return fail(it, 2, "too many key bindings", "");
		return 0;
	case SCRIPT_QUIT: con_dialog_quit(0); return 1;
	default: return 0;
	}
}

static int from_script(con_event *ev)
{
	const con_script_item *it;

	while ((it = con_script_next(script)) != NULL) {
		if (con_display_signal()) {
			con_dialog_quit(128 + con_display_signal());
			return 1;
		}
		if (it->kind == SCRIPT_KEY && focus_report(it->key))
			continue;
		if (it->kind != SCRIPT_KEY)
			last_line = 0;       /* a command between two keys is a pause */
		if (it->kind == SCRIPT_KEY) {
			ev->key = it->key;
			ev->req = con_keymap_lookup(it->key);
			ev->quick = it->line == last_line;
			last_line = it->line;
			return 0;
		}
		if (command(it))
			return 1;
	}
	con_dialog_quit(0);           /* the end of a script without :quit */
	return 1;
}

/* Esc followed at once by a character is Alt+character. */
static int alt_or_escape(void)
{
	wint_t wch;
	int rc;

	nodelay(stdscr, TRUE);
	rc = wget_wch(stdscr, &wch);
	nodelay(stdscr, FALSE);
	if (rc == OK && wch >= ' ' && wch != 127)
		return CON_KEY_ALT | (int)wch;
	if (rc == OK)
		unget_wch((wchar_t)wch);
	else if (rc == KEY_CODE_YES)
		ungetch((int)wch);
	return CON_KEY_ESC;
}

/* Ctrl-Z was pressed: suspend now, between two keys; back from `fg`, the
 * operator returns as after a focus change. */
static void suspend(void)
{
	con_display_suspend();
	resized();
	watch(CON_WATCH_FOCUS);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* wget_wch returned ERR: 0 to go on (an interruption, the idle time), 1
 * when the terminal has failed too often in a row. */
static int read_failed(int *errors)
{
	if (errno == EINTR)
		return 0;
	if (idle_ms && con_display_quiet()) {
		watch(CON_WATCH_IDLE);
		return 0;
	}
	return ++*errors > LOST_TERMINAL_ERRORS;
}

static int from_keyboard(con_event *ev)
{
	int errors = 0, rc;
	wint_t wch;

	for (;;) {
		if (con_display_signal()) {
			con_dialog_quit(128 + con_display_signal());
			return 1;
		}
		if (con_terminal_suspend_asked()) {
			suspend();
			continue;
		}
		wtimeout(stdscr, idle_ms ? idle_ms : -1);
		errno = 0;
		rc = wget_wch(stdscr, &wch);
		if (rc == ERR) {
			if (read_failed(&errors)) {
				con_dialog_quit_with(4, "trustmgr: the terminal stopped answering; the console ended.");
				return 1;
			}
			continue;
		}
		errors = 0;
		if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
			resized();
			continue;
		}
		ev->key = con_terminal_key(con_key_from_curses(rc, (unsigned int)wch));
		if (ev->key == CON_KEY_ESC)
			ev->key = alt_or_escape();
		if (focus_report(ev->key))
			continue;
		ev->req = con_keymap_lookup(ev->key);
		ev->quick = now_ms() - last_key_ms < QUICK_MS;
		last_key_ms = now_ms();
		return 0;
	}
}

/* con_input_get: the choke point. */
int con_input_get(con_event *ev)
{
	if (con_dialog_quitting())
		return 1;
	return script ? from_script(ev) : from_keyboard(ev);
}
