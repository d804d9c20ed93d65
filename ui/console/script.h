/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* script.h - a keystroke script, read and checked as a whole before the
 * console starts (so a typo is reported before anything is drawn).
 *
 * One item per key, and one per command line:
 *   # comment                 (a line whose first non-blank is '#')
 *   key names and text        <Tab>PARTNER<Enter> - see key.h; blanks at
 *                             the ends of a line are ignored, inner ones typed
 *   :save-screen FILE         the screen as text
 *   :save-model FILE          the focused dialog's fields, validity, plan
 *   :resize COLS ROWS         resize the virtual screen (also COLSxROWS)
 *   :expect TEXT              end with status 1 unless the screen shows TEXT
 *   :expect-not TEXT          end with status 1 if the screen shows TEXT
 *   :bind KEY REQUEST         bind a key to a request of requests.h
 *   :quit                     end now (status 0) */
#ifndef TM_CON_SCRIPT_H
#define TM_CON_SCRIPT_H

#include <stddef.h>

typedef enum con_script_kind {
	SCRIPT_KEY = 0,
	SCRIPT_SAVE_SCREEN,
	SCRIPT_SAVE_MODEL,
	SCRIPT_RESIZE,
	SCRIPT_EXPECT,
	SCRIPT_EXPECT_NOT,
	SCRIPT_BIND,
	SCRIPT_QUIT
} con_script_kind;

typedef struct con_script_item {
	con_script_kind kind;
	unsigned line;          /* line number in the script, from 1 */
	int key;                /* SCRIPT_KEY, SCRIPT_BIND */
	int a, b;               /* SCRIPT_RESIZE: cols, rows; SCRIPT_BIND: request */
	char *text;             /* file name or text */
} con_script_item;

typedef struct con_script con_script;

/* Read path ("-" = standard input). Returns the script, or NULL with err
 * ("FILE:LINE: what is wrong"). */
con_script *con_script_load(const char *path, char *err, size_t n);
void con_script_free(con_script **s);

/* The next item, or NULL at the end. */
const con_script_item *con_script_next(con_script *s);

/* The script's name as given. */
const char *con_script_path(const con_script *s);

#endif
