/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* display.h - the screen: a real terminal or a headless one, colours or
 * monochrome, the too-small message, screen dumps, signals. */
#ifndef TM_CON_DISPLAY_H
#define TM_CON_DISPLAY_H

#include <stdio.h>

#include "ui/console/con.h"

/* What each part of the screen looks like; display.c maps a role to a
 * colour pair, or to A_REVERSE / A_BOLD / A_UNDERLINE in monochrome. */
typedef enum con_role {
	ROLE_SCREEN = 0,        /* behind the dialogs */
	ROLE_DIALOG,            /* a dialog's face and its text */
	ROLE_BORDER,
	ROLE_TITLE,
	ROLE_HOTKEY,            /* the underlined letter of a label */
	ROLE_BUTTON,
	ROLE_BUTTON_FOCUS,
	ROLE_DISABLED,          /* a disabled button, check box or label */
	ROLE_FIELD,             /* a text field */
	ROLE_FIELD_FOCUS,
	ROLE_FIELD_INVALID,     /* a field the model refused */
	ROLE_LIST,
	ROLE_LIST_SELECT,       /* the selected row of a list without focus */
	ROLE_LIST_SELECT_FOCUS,
	ROLE_ERROR,             /* what failed */
	ROLE_HINT,              /* what to do, neutral notes */
	ROLE_GOOD,              /* success */
	ROLE_KEYLINE,           /* the bottom line of keys */
	ROLE_KEYLINE_KEY,
	ROLE_SHADOW,
	ROLE_COUNT
} con_role;

typedef struct con_display_opts {
	int headless;           /* ncurses on /dev/null */
	int cols, rows;         /* 0: keep what ncurses found */
	int mono;               /* monochrome attributes */
} con_display_opts;

/* Open the screen. Returns 0, or -1 with err saying what is wrong and what
 * to do. The terminal is restored at exit() too (atexit). */
int con_display_open(const con_display_opts *o, char *err, size_t n);

/* Can the screen o asks for be opened: a terminal whose type (TERM) lets
 * ncurses address the cursor (terminal.h), or headless. Writes nothing.
 * Returns 0, or -1 with err saying what failed, why and what to do. */
int con_display_check(const con_display_opts *o, char *err, size_t n);

/* Ctrl-Z: give the terminal back as the shell had it, stop until `fg`,
 * then take it again; the caller redraws the screen. */
void con_display_suspend(void);

/* After a wait for a key that ended in ERR: was it the wait's time limit
 * (nothing to read, the terminal not hung up)? */
int con_display_quiet(void);

/* Restore the terminal and free the screen. Safe to call more than once. */
void con_display_close(void);

/* Is a screen open? */
int con_display_is_open(void);

/* The attributes of a role. */
attr_t con_display_attr(con_role r);

/* Resize the virtual screen to cols x rows (headless, or --size). */
void con_display_resize(int cols, int rows);

/* Is the screen below CON_MIN_COLS x CON_MIN_ROWS? */
int con_display_too_small(void);

/* Draw "Terminal too small: need at least WxH, have wxh" centred, wrapped
 * and shortened as far as "!" so that it is whole at any size down to 1x1. */
void con_display_draw_too_small(void);

/* Row y of the screen as UTF-8 with ASCII borders, trailing blanks
 * trimmed, into buf. Returns the length. */
size_t con_display_row(int y, char *buf, size_t n);

/* Write the whole screen, one line per row. Returns 0 or -1 (errno). */
int con_display_dump(FILE *f);

/* Does any row of the screen contain text? */
int con_display_contains(const char *text);

/* Catch SIGINT, SIGTERM, SIGHUP and SIGQUIT: the handler only records the
 * signal; the input loop sees it and the console ends cleanly. */
void con_display_catch_signals(void);

/* The signal that asked the console to end, or 0. */
int con_display_signal(void);

#endif
