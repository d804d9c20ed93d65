/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* widget.h - the pieces dialogs are made of: button, list, text field
 * (with a password mode), check box, choice, label and text view. One
 * header for all of them; widget.c holds what every widget shares and each
 * kind has its own file: button.c (con_button_*), label.c (con_label_*),
 * textbox.c (con_textbox_*), entry.c (con_entry_*), check.c (con_check_*),
 * choice.c (con_choice_*) and list.c (con_list_*).
 *
 * A widget has an ops vtable (draw, key, dump for :save-model, free), a
 * name (what :save-model calls it), a label whose '&' marks the hotkey, help
 * for F1, an enabled flag and a validation state the dialog sets from the
 * model's validators. The dialog owns its widgets; it places them (y, x, h,
 * w in the dialog's window) in its layout function. */
#ifndef TM_CON_WIDGET_H
#define TM_CON_WIDGET_H

#include <stdio.h>

#include "ui/console/con.h"
#include "ui/console/display.h"

typedef struct con_widget con_widget;
typedef struct con_dialog con_dialog;

typedef struct con_widget_ops {
	const char *kind;      /* "button", "list", "entry", "password", ... */
	int focusable;
	void (*draw)(con_widget *w, WINDOW *win, int focused);
	con_result (*key)(con_widget *w, const con_event *ev);
	void (*dump)(const con_widget *w, FILE *f);   /* the "value:" lines */
	void (*free)(con_widget *w);                  /* the widget's own memory */
} con_widget_ops;

typedef void (*con_widget_fn)(con_widget *w);

struct con_widget {
	const con_widget_ops *ops;
	con_dialog *dlg;
	char name[CON_NAME_MAX];
	char label[CON_LABEL_MAX]; /* '&' marks the hotkey */
	int hotkey;                /* lower-case hotkey character, 0 none */
	const char *help;          /* F1 text, static */
	int enabled, visible;
	int y, x, h, w;            /* place in the dialog's window */
	int label_w;               /* columns given to the label left of the value */
	int invalid;               /* the model refused the value */
	char why[CON_MSG_MAX];     /* ...and why */
	int cursor_y, cursor_x;    /* set by draw when the widget wants the cursor */
	int want_cursor;
	int tag;                   /* the dialog's own use (a wizard page) */
	void *user;                /* the owner's own use (a picker) */
	con_widget_fn on_activate; /* a button pressed, a list row chosen (Enter) */
	con_widget_fn on_change;   /* the operator changed the value or selection */
	con_widget_fn on_leave;    /* the focus moved from it to another widget */
	int left;                  /* the focus left it since its value last changed */
};

/* ---- every widget ---- */

/* For the files that implement a kind: allocate size bytes (a struct that
 * starts with con_widget) and fill the common part. NULL on ENOMEM. */
con_widget *con_widget_alloc(size_t size, const con_widget_ops *ops, const char *name,
			     const char *label, const char *help);

/* Free a widget (its ops->free, then the struct); sets *w to NULL. */
void con_widget_free(con_widget **w);
/* Place the widget. */
void con_widget_place(con_widget *w, int y, int x, int h, int width);
/* Set the label (and with it the hotkey). */
void con_widget_set_label(con_widget *w, const char *label);
/* Enable or disable; show or hide. */
void con_widget_enable(con_widget *w, int on);
void con_widget_show(con_widget *w, int on);
/* Mark the value invalid with why, or valid when why is NULL. */
void con_widget_invalid(con_widget *w, const char *why);
/* Can it take the focus now (focusable, enabled, visible)? */
int con_widget_can_focus(const con_widget *w);

/* ---- button: "[ Label ]"; Enter or Space calls on_activate ---- */
con_widget *con_button_new(const char *name, const char *label, con_widget_fn on_press,
			   const char *help);
/* Width a button with this label takes. */
int con_button_width(const char *label);

/* ---- label: one line of static text in a role ---- */
con_widget *con_label_new(const char *name, const char *text, con_role role);
void con_label_set(con_widget *w, const char *text, con_role role);

/* ---- text view: wrapped text; when focusable it scrolls ---- */
con_widget *con_textbox_new(const char *name, int focusable, const char *help);
/* Set the text (copied) and its role; scrolls back to the top. */
void con_textbox_set(con_widget *w, const char *text, con_role role);
const char *con_textbox_get(const con_widget *w);
/* Lines the text needs at width columns. */
int con_textbox_lines(const con_widget *w, int width);

/* ---- text field; password mode shows one '*' per character ---- */
con_widget *con_entry_new(const char *name, const char *label, size_t max_chars,
			  int password, const char *help);
/* The value as UTF-8 into buf (the caller wipes a password copy). */
void con_entry_get(const con_widget *w, char *buf, size_t n);
/* Replace the value; the cursor goes to the end. */
void con_entry_set(con_widget *w, const char *utf8);
/* Characters in the field. */
size_t con_entry_len(const con_widget *w);
/* Overwrite the value with zeros and empty it. */
void con_entry_wipe(con_widget *w);
/* Is the field complete: typed, then left (the focus moved away since the
 * last change) or marked so when OK was pressed? A Confirm field says "the
 * two passwords do not match" only then, never while it is being typed. */
int con_entry_complete(const con_widget *w);
void con_entry_set_complete(con_widget *w);
/* Do two fields hold the same characters? */
int con_entry_equal(const con_widget *a, const con_widget *b);

/* ---- check box: "[x] Label"; Space toggles ---- */
con_widget *con_check_new(const char *name, const char *label, int value, const char *help);
int con_check_get(const con_widget *w);
void con_check_set(con_widget *w, int value);

/* ---- choice: "(*) one  ( ) two"; arrows and Space pick ---- */
#define CON_CHOICE_MAX 6
con_widget *con_choice_new(const char *name, const char *label, const char *const *options,
			   size_t n, int vertical, const char *help);
int con_choice_get(const con_widget *w);
void con_choice_set(con_widget *w, int i);
/* Replace option i's text (copied). */
void con_choice_set_option(con_widget *w, int i, const char *text);
/* Number of options shown (the last ones can be hidden). */
void con_choice_set_count(con_widget *w, size_t n);
size_t con_choice_count(const con_widget *w);
/* Option i can (off 0) or cannot (off 1) be picked: drawn dimmed with
 * "(-)", passed over by the arrows, ":save-model" adds "(disabled)". The
 * caller moves the value off a disabled option (con_choice_set). */
void con_choice_disable(con_widget *w, int i, int off);
int con_choice_enabled(const con_widget *w, int i);

/* ---- list: rows of columns in a box, a selection that scrolls ---- */
#define CON_LIST_COLS 6
con_widget *con_list_new(const char *name, const char *label, size_t ncols, int flex_col,
			 const char *help);
/* Remove every row. */
void con_list_clear(con_widget *w);
/* Add a row of ncols cells and its key (copied). Returns 0 or -1 (ENOMEM). */
int con_list_add(con_widget *w, const char *const *cells, const char *key);
size_t con_list_count(const con_widget *w);
/* The selected row, or -1 when the list is empty. */
int con_list_selected(const con_widget *w);
void con_list_select(con_widget *w, int row);
/* Select the row whose key equals key; returns 1 when found. */
int con_list_select_key(con_widget *w, const char *key);
/* The key of row i ("" out of range). */
const char *con_list_key(const con_widget *w, int row);
/* What an empty list shows. */
void con_list_set_empty(con_widget *w, const char *text);
/* Does pressing Enter choose the row (on_activate), or go to the dialog? */
void con_list_set_activate(con_widget *w, con_widget_fn fn);
/* Letters select the next row starting with what was typed (default), or,
 * with 0, are left to the dialog (a menu of letters). */
void con_list_set_typeahead(con_widget *w, int on);
/* The n columns of give_way give way, in that order, when the rows do not
 * fit: each is hidden, whole, while the rest does not fit with two-space
 * gaps; the last of them is kept where one-space gaps, or the flex column
 * cut to 16 characters, make room. With spread, the shown columns share
 * the room left over (with two-space gaps) so the rows use the list's
 * whole width. */
void con_list_set_columns(con_widget *w, const int *give_way, size_t n, int spread);
/* Two lists of the same columns, one above the other, line their columns
 * up: each fits them to the rows of both (same width: same columns). */
void con_list_twin(con_widget *a, con_widget *b);
/* The first row shown, and scrolling to it again (after the rows were read
 * again: the list does not jump). */
int con_list_top(const con_widget *w);
void con_list_set_top(con_widget *w, int top);

#endif
