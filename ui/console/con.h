/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* con.h - what every file of the console shares: the curses include, the
 * event a key becomes, and the results handlers return. Internal to
 * ui/console. */
#ifndef TM_CON_CON_H
#define TM_CON_CON_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stddef.h>

/* The minimum screen: below it the console shows a message instead. */
#define CON_MIN_COLS 60
#define CON_MIN_ROWS 20

/* A key and the request it is bound to (REQ_NONE when unbound). */
typedef struct con_event {
	int key;                /* key.h encoding */
	int req;                /* requests.h id */
	int quick;              /* typed right after the key before (within a second; in a
				 * script: on the same line): a list's type-ahead goes on */
} con_event;

/* What a widget, dialog or global handler did with an event
 * (neomutt dispatchers, htop HandlerResult). */
typedef enum con_result {
	CON_UNHANDLED = 0,      /* not mine: ask the next handler */
	CON_HANDLED,            /* done */
	CON_CLOSE,              /* done, and the dialog closes */
	CON_REDRAW              /* done, and everything must be redrawn */
} con_result;

#define CON_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Sizes of the console's text buffers, in bytes with the NUL, by what they
 * hold; a buffer for one of these and a little more says so
 * (CON_TITLE_MAX + 2 for a title with a blank either side). */
#define CON_NAME_MAX 32            /* a word: a widget's or dialog's name, a key's name
				      ("<A-F10>", "Ctrl-L"), a count, an age */
#define CON_LABEL_MAX 96           /* a label, its '&' hotkey mark included: a field's,
				      a button's, a menu entry's, a choice's option */
#define CON_TITLE_MAX 128          /* a dialog's title (cut there when the dialog is made) */
#define CON_MSG_MAX 512            /* a message of a sentence or a few: an intro, why a
				      value is refused, an error for the terminal */
#define CON_LINE_MAX 1024          /* one line that may carry a long value: a wrapped line
				      of text, a property with its value, a field's value,
				      an error naming a file */
#define CON_ROW_MAX 4096           /* one row of the screen as UTF-8 */
#define CON_STEPS_MAX 8192         /* a plan's steps as con_op_plan_describe writes them */
#define CON_TEXT_MAX (CON_STEPS_MAX + 4096)  /* the text of a dialog: a message box, a
				      plan's steps with the sentences around them, a result,
				      a help page */

#endif
