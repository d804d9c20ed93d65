/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* dialog.h - dialogs: widgets, an ops vtable, a submit callback, and the
 * modal stack they run on.
 *
 * A key goes to the focused widget, then to the dialog's own key handler,
 * then to the dialog conventions (Tab, Shift-Tab, Enter, Esc, F1, hotkeys),
 * then to the global requests (quit, refresh). The submit callback (OK, or
 * Enter anywhere) validates, asks the service, and either returns 1 to close
 * or shows a friendly error in the dialog and returns 0 to keep it open with
 * the input intact (Samba regedit's edit_on_submit). */
#ifndef TM_CON_DIALOG_H
#define TM_CON_DIALOG_H

#include <stdio.h>

#include "model/plan.h"
#include "model/error.h"
#include "ui/console/con.h"
#include "ui/console/widgets/widget.h"

#define CON_DIALOG_WIDGETS 48

/* How a dialog ended. */
#define CON_DLG_CANCEL 0
#define CON_DLG_OK 1

typedef struct con_dialog_ops {
	/* Place the dialog and its widgets for a cols x rows screen. */
	void (*layout)(con_dialog *d, int cols, int rows);
	/* Optional: draw what is not a widget, before the widgets. */
	void (*draw)(con_dialog *d, WINDOW *win);
	/* Optional: the dialog's own keys (after the focused widget's). */
	con_result (*key)(con_dialog *d, const con_event *ev);
	/* Optional: OK / Enter. 1 closes the dialog (result OK), 0 keeps it open. */
	int (*submit)(con_dialog *d);
	/* Optional: extra :save-model lines. */
	void (*dump)(con_dialog *d, FILE *f);
	/* Optional: free the dialog's own state (d->ctx). */
	void (*free)(con_dialog *d);
} con_dialog_ops;

struct con_dialog {
	const con_dialog_ops *ops;
	char name[CON_NAME_MAX];   /* what :save-model calls it */
	char title[CON_TITLE_MAX];
	const char *help;          /* F1 text for the dialog as a whole */
	con_widget *w[CON_DIALOG_WIDGETS];
	size_t nw;
	int focus;                 /* index into w, -1 none */
	int focus_set;             /* con_dialog_focus ran (the dialog moved the focus itself) */
	con_widget *ok;            /* the default button (Enter), may be NULL */
	con_widget *cancel;        /* Esc presses it, may be NULL */
	con_widget *msg;           /* the message area, may be NULL */
	int top, left, height, width;
	int fullscreen;            /* covers the screen: no shadow */
	int result;
	int open;
	int committed;             /* something was written: Cancel reads Close */
	int incomplete;            /* a widget could not be added (out of memory) */
	tm_plan *plan;             /* the pending plan, owned; shown by :save-model */
	void *ctx;                 /* the dialog's own state */
};

/* A new, empty dialog (NULL on ENOMEM). */
con_dialog *con_dialog_new(const char *name, const char *title, const con_dialog_ops *ops,
			   void *ctx);
/* Free the dialog, its widgets and its plan; sets *d to NULL. */
void con_dialog_free(con_dialog **d);
/* Add w (owned from now on). Returns w; NULL when w is NULL or the dialog is
 * full (w is then freed), which the dialog treats as out of memory. */
con_widget *con_dialog_add(con_dialog *d, con_widget *w);
/* Paged dialogs (wizards): w added on page (its tag), or a dialog-text
 * paragraph as a page's introduction. NULL when the add failed. */
con_widget *con_dialog_page(con_widget *w, int page);
con_widget *con_dialog_page_intro(con_dialog *d, int page, const char *text);
/* Did every con_dialog_add succeed? */
int con_dialog_complete(const con_dialog *d);
/* Focus w (when it can take the focus). */
void con_dialog_focus(con_dialog *d, con_widget *w);
/* The focused widget, or NULL. */
con_widget *con_dialog_focused(const con_dialog *d);
/* Close with result (the modal loop returns it). */
void con_dialog_close(con_dialog *d, int result);
/* Place the dialog: want_w x want_h, no larger than the screen allows,
 * centred. */
void con_dialog_center(con_dialog *d, int want_w, int want_h, int cols, int rows);
/* Lay out buttons centred in rows from y within width; wraps to more rows
 * when they do not fit. Returns the rows used. */
int con_dialog_button_row(con_dialog *d, int y, con_widget *const *buttons, size_t n);
/* Place the message area (a scrolling text view made with
 * con_textbox_new(name, 1, ...)); it can take the focus only when its text is
 * longer than h rows. */
void con_dialog_place_message(con_dialog *d, int y, int x, int h, int w);
/* Show a message in the message area (role: error, hint, good...). */
void con_dialog_message(con_dialog *d, con_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Show an error from the model or the service: "STATUS_X: what" and next. */
void con_dialog_error(con_dialog *d, const tm_error *e);
/* Clear the message area. */
void con_dialog_clear_message(con_dialog *d);
/* Replace the pending plan (owned). */
void con_dialog_set_plan(con_dialog *d, tm_plan *p);
/* Something was committed: the Cancel button now reads Close. */
void con_dialog_set_committed(con_dialog *d);

/* Button callbacks every dialog uses: submit (OK) and cancel. */
void con_dialog_ok_pressed(con_widget *w);
void con_dialog_cancel_pressed(con_widget *w);

/* Run d modally: push it, read and dispatch keys until it closes (or the
 * console is quitting), pop it. Returns its result (CON_DLG_CANCEL when
 * quitting). */
int con_dialog_run(con_dialog *d);

/* Handle one event as the top dialog would. */
void con_dialog_dispatch(con_dialog *d, const con_event *ev);

/* ---- the stack ---- */

/* Draw the screen: the stack bottom to top (or the too-small message), the
 * cursor, then update the terminal. */
void con_dialog_stack_draw(void);
/* Lay out every dialog again for the current screen size. */
void con_dialog_stack_layout(void);
/* Show d on top without reading keys (a progress view); layout included.
 * Returns 0, or -1 when the stack is full. */
int con_dialog_stack_push(con_dialog *d);
/* Take the top dialog off. */
void con_dialog_stack_pop(void);
/* The top dialog, or NULL. */
con_dialog *con_dialog_stack_top(void);
/* Write the top dialog's model (:save-model). */
void con_dialog_stack_save_model(FILE *f);

/* Ask every modal loop to end; status is the exit status (the first one
 * asked for wins). */
void con_dialog_quit(int status);
int con_dialog_quitting(void);
int con_dialog_exit_status(void);
/* Quit with status and a message printed on stderr once the terminal is
 * restored. */
void con_dialog_quit_with(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* That message ("" when none). */
const char *con_dialog_quit_message(void);

/* Format an error as one paragraph: "STATUS_X: what.\n\nnext". */
void con_dialog_format_error(const tm_error *e, char *buf, size_t n);
/* Room for what con_dialog_format_error writes (or a note made of an
 * error's what and next). */
#define CON_ERROR_MAX (TM_WHAT_MAX + TM_NEXT_MAX + 64)

#endif
