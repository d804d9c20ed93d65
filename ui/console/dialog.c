/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* dialog.c - dialogs, the dispatch chain, the modal stack (dialog.h). */
#include "ui/console/dialog.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"
#include "ui/console/input.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"
#include "ui/console/text.h"

#define STACK_MAX 16
/* What the console prints once the terminal is restored: a message and,
 * for a failed script expectation, the screen it saw (cut at this size). */
#define QUIT_MESSAGE_MAX 16384

static con_dialog *stack[STACK_MAX];
static size_t depth;
static int quitting, exit_status;
static char quit_message[QUIT_MESSAGE_MAX];

/* ---- building ------------------------------------------------------------ */

/* con_dialog_new: no widgets yet. */
con_dialog *con_dialog_new(const char *name, const char *title, const con_dialog_ops *ops,
			   void *ctx)
{
	con_dialog *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->title, sizeof(d->title), "%s", title);
	d->ops = ops;
	d->ctx = ctx;
	d->focus = -1;
	return d;
}

/* con_dialog_free: widgets, plan, the dialog's own state. */
void con_dialog_free(con_dialog **d)
{
	size_t i;

	if (!*d)
		return;
	if ((*d)->ops && (*d)->ops->free)
		(*d)->ops->free(*d);
	for (i = 0; i < (*d)->nw; i++)
		con_widget_free(&(*d)->w[i]);
	plan_free(&(*d)->plan);
	free(*d);
	*d = NULL;
}

/* con_dialog_add: owned; NULL (and the dialog incomplete) on failure. */
con_widget *con_dialog_add(con_dialog *d, con_widget *w)
{
	if (!w || d->nw >= CON_DIALOG_WIDGETS) {
		con_widget_free(&w);
		d->incomplete = 1;
		return NULL;
	}
	w->dlg = d;
	d->w[d->nw++] = w;
	return w;
}

con_widget *con_dialog_page(con_widget *w, int page)
{
	if (w)
		w->tag = page;
	return w;
}

con_widget *con_dialog_page_intro(con_dialog *d, int page, const char *text)
{
	con_widget *w = con_dialog_page(con_dialog_add(d, con_textbox_new("", 0, NULL)), page);

	if (w)
		con_textbox_set(w, text, ROLE_DIALOG);
	return w;
}

/* con_dialog_complete: no add failed. */
int con_dialog_complete(const con_dialog *d)
{
	return !d->incomplete;
}

/* con_dialog_focus: only what can take it. */
void con_dialog_focus(con_dialog *d, con_widget *w)
{
	size_t i;

	d->focus_set = 1;
	for (i = 0; w && i < d->nw; i++)
		if (d->w[i] == w && con_widget_can_focus(w))
			d->focus = (int)i;
}

/* con_dialog_focused: NULL when nothing has the focus. */
con_widget *con_dialog_focused(const con_dialog *d)
{
	return d->focus >= 0 && (size_t)d->focus < d->nw ? d->w[d->focus] : NULL;
}

/* con_dialog_close: the loop ends after this event. */
void con_dialog_close(con_dialog *d, int result)
{
	d->result = result;
	d->open = 0;
}

/* con_dialog_center: clamp to the screen (leaving room for the shadow). */
void con_dialog_center(con_dialog *d, int want_w, int want_h, int cols, int rows)
{
	int w = want_w < cols - 2 ? want_w : cols - 2;
	int h = want_h < rows - 1 ? want_h : rows - 1;

	d->width = w < 10 ? 10 : w;
	d->height = h < 4 ? 4 : h;
	d->left = (cols - d->width) / 2;
	d->top = (rows - d->height) / 2;
	if (d->left < 0)
		d->left = 0;
	if (d->top < 0)
		d->top = 0;
}

/* Place buttons[from, to) centred on row y. */
static void place_row(con_dialog *d, int y, con_widget *const *b, size_t from, size_t to, int total)
{
	int x = (d->width - total) / 2;
	size_t i;

	if (x < 2)
		x = 2;
	for (i = from; i < to; i++) {
		int bw = con_button_width(b[i]->label);

		con_widget_place(b[i], y, x, 1, bw);
		x += bw + 2;
	}
}

/* con_dialog_button_row: as many per row as fit. */
int con_dialog_button_row(con_dialog *d, int y, con_widget *const *b, size_t n)
{
	int avail = d->width - 4, rows = 0, total = 0;
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		int bw = con_button_width(b[i]->label) + (i > start ? 2 : 0);

		if (i > start && total + bw > avail) {
			place_row(d, y + rows++, b, start, i, total);
			start = i;
			total = 0;
			bw -= 2;
		}
		total += bw;
	}
	if (start < n)
		place_row(d, y + rows++, b, start, n, total);
	return rows;
}

/* con_dialog_place_message: rows for the message area; it takes the focus
 * (to scroll) only when its text does not fit. */
void con_dialog_place_message(con_dialog *d, int y, int x, int h, int w)
{
	if (!d->msg)
		return;
	con_widget_place(d->msg, y, x, h, w);
	con_widget_enable(d->msg, con_textbox_lines(d->msg, w - 1) > d->msg->h);
}

/* con_dialog_format_error: one paragraph, the NTSTATUS name first. */
void con_dialog_format_error(const tm_error *e, char *buf, size_t n)
{
	const char *what = e->what[0] ? e->what : "The operation failed and trustmgr could not "
			   "say why";
	size_t len = strlen(what);
	const char *dot = (len && strchr(".!?", what[len - 1])) ? "" : ".";

	snprintf(buf, n, "%s%s%s%s%s%s", e->status ? e->status : "", e->status ? ": " : "", what,
		 dot, e->next[0] ? "\n" : "", e->next);
}

/* con_dialog_message: into the message area, if the dialog has one. */
void con_dialog_message(con_dialog *d, con_role role, const char *fmt, ...)
{
	char buf[CON_TEXT_MAX];
	va_list ap;

	if (!d->msg)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	con_textbox_set(d->msg, buf, role);
	if (d->open)               /* the message may need other room */
		d->ops->layout(d, COLS, LINES);
}

/* con_dialog_error: formatted as con_dialog_format_error. */
void con_dialog_error(con_dialog *d, const tm_error *e)
{
	char buf[CON_ERROR_MAX];

	con_dialog_format_error(e, buf, sizeof(buf));
	con_dialog_message(d, ROLE_ERROR, "%s", buf);
}

/* con_dialog_clear_message: empty. */
void con_dialog_clear_message(con_dialog *d)
{
	if (d->msg)
		con_textbox_set(d->msg, "", ROLE_DIALOG);
	if (d->msg && d->open)
		d->ops->layout(d, COLS, LINES);
}

/* con_dialog_set_plan: the old one is freed. */
void con_dialog_set_plan(con_dialog *d, tm_plan *p)
{
	plan_free(&d->plan);
	d->plan = p;
}

/* con_dialog_set_committed: Cancel becomes Close (as NT did). */
void con_dialog_set_committed(con_dialog *d)
{
	d->committed = 1;
	if (d->cancel)
		con_widget_set_label(d->cancel, "&Close");
}

/* con_dialog_ok_pressed: submit, close when it says so. */
void con_dialog_ok_pressed(con_widget *w)
{
	con_dialog *d = w->dlg;

	if (!d->ops->submit || d->ops->submit(d))
		con_dialog_close(d, CON_DLG_OK);
}

/* con_dialog_cancel_pressed: close, nothing more. */
void con_dialog_cancel_pressed(con_widget *w)
{
	con_dialog_close(w->dlg, CON_DLG_CANCEL);
}

/* ---- focus ----------------------------------------------------------------- */

static void focus_step(con_dialog *d, int dir)
{
	int n = (int)d->nw, i, k;

	if (n == 0)
		return;
	i = d->focus < 0 ? (dir > 0 ? -1 : 0) : d->focus;
	for (k = 0; k < n; k++) {
		i = (i + dir + n) % n;
		if (con_widget_can_focus(d->w[i])) {
			d->focus = i;
			return;
		}
	}
}

/* Keep the focus on something that can have it. */
static void focus_fix(con_dialog *d)
{
	con_widget *f = con_dialog_focused(d);

	if (!f || !con_widget_can_focus(f))
		focus_step(d, 1);
}

/* ---- dispatch ---------------------------------------------------------------- */

static int is_text_field(const con_widget *w)
{
	return w && (strcmp(w->ops->kind, "entry") == 0 || strcmp(w->ops->kind, "password") == 0);
}

/* Alt+letter anywhere, or the bare letter outside text fields and lists
 * (a list keeps its letters for type-ahead), "clicks" the widget as a
 * Windows mnemonic does: a button is pressed, a check box toggled, any
 * other widget takes the focus. */
static con_result hotkey(con_dialog *d, const con_event *ev)
{
	con_widget *f = con_dialog_focused(d);
	int ch;
	size_t i;

	if (ev->key & CON_KEY_ALT)
		ch = con_text_lower(ev->key & ~CON_KEY_ALT);
	else if (!is_text_field(f) && con_key_is_text(ev->key) && ev->key != ' ')
		ch = con_text_lower(ev->key);
	else
		return CON_UNHANDLED;
	for (i = 0; i < d->nw; i++) {
		con_widget *w = d->w[i];
		con_event toggle = { ' ', REQ_TOGGLE, 0 };

		if (w->hotkey != ch || !con_widget_can_focus(w))
			continue;
		d->focus = (int)i;         /* the operator's move, not the dialog's */
		if (strcmp(w->ops->kind, "button") == 0 && w->on_activate)
			w->on_activate(w);
		else if (strcmp(w->ops->kind, "checkbox") == 0)
			w->ops->key(w, &toggle);
		return CON_HANDLED;
	}
	return CON_UNHANDLED;
}

/* The conventions of every dialog. */
static con_result conventions(con_dialog *d, const con_event *ev)
{
	con_widget *f;

	switch (ev->req) {
	case REQ_NEXT: case REQ_DOWN: case REQ_RIGHT: focus_step(d, 1); return CON_HANDLED;
	case REQ_PREV: case REQ_UP: case REQ_LEFT: focus_step(d, -1); return CON_HANDLED;
	case REQ_ENTER:
		if (d->ok && d->ok->visible && d->ok->enabled && d->ok->on_activate) {
			d->ok->on_activate(d->ok);
		} else if ((f = con_dialog_focused(d)) && f->on_leave) {
			f->left = 1;       /* Enter completes the field OK waits for */
			f->on_leave(f);
		}
		return CON_HANDLED;
	case REQ_CANCEL:
		if (d->cancel && d->cancel->visible && d->cancel->on_activate)
			d->cancel->on_activate(d->cancel);
		else
			con_dialog_close(d, CON_DLG_CANCEL);
		return CON_HANDLED;
	case REQ_HELP:
		con_help_show(d, con_dialog_focused(d));
		return CON_HANDLED;
	default:
		return hotkey(d, ev);
	}
}

/* What works in every dialog. */
static con_result global(const con_event *ev)
{
	switch (ev->req) {
	case REQ_QUIT: con_dialog_quit(0); return CON_HANDLED;
	case REQ_REFRESH: clearok(curscr, TRUE); return CON_REDRAW;
	default: return CON_UNHANDLED;
	}
}

/* con_dialog_dispatch: widget, dialog, conventions, global. */
void con_dialog_dispatch(con_dialog *d, const con_event *ev)
{
	con_widget *f;
	con_result r = CON_UNHANDLED;

	if (con_display_too_small()) {
		if (ev->req == REQ_QUIT || ev->req == REQ_REFRESH)
			global(ev);
		return;        /* nothing else while the dialog cannot be seen */
	}
	focus_fix(d);
	f = con_dialog_focused(d);
	d->focus_set = 0;
	if (f && f->ops->key)
		r = f->ops->key(f, ev);
	if (r == CON_UNHANDLED && d->ops->key)
		r = d->ops->key(d, ev);
	if (r == CON_UNHANDLED)
		r = conventions(d, ev);
	if (r == CON_UNHANDLED)
		r = global(ev);
	if (r == CON_CLOSE)
		con_dialog_close(d, CON_DLG_OK);
	focus_fix(d);
	/* the operator moved on from f (not the dialog moving the focus after
	 * a run, a page change...): f is complete */
	if (f && d->open && con_dialog_focused(d) != f && !d->focus_set && f->visible) {
		f->left = 1;
		if (f->on_leave)
			f->on_leave(f);
	}
}

/* ---- the modal loop ------------------------------------------------------------ */

/* con_dialog_run: push, loop, pop. */
int con_dialog_run(con_dialog *d)
{
	con_event ev;

	if (!con_dialog_complete(d) || quitting || con_dialog_stack_push(d) < 0)
		return CON_DLG_CANCEL;
	d->open = 1;
	d->result = CON_DLG_CANCEL;
	focus_fix(d);
	while (d->open && !quitting) {
		con_dialog_stack_draw();
		if (con_input_get(&ev) != 0)
			break;
		con_dialog_dispatch(d, &ev);
	}
	con_dialog_stack_pop();
	return quitting ? CON_DLG_CANCEL : d->result;
}

/* ---- drawing ----------------------------------------------------------------------- */

static void draw_title(con_dialog *d, WINDOW *win)
{
	char t[CON_TITLE_MAX + 2];
	int tw;

	if (!d->title[0])
		return;
	snprintf(t, sizeof(t), " %s ", d->title);
	tw = con_text_width(t);
	if (tw > d->width - 4)
		tw = d->width - 4;
	con_text_draw(win, 0, (d->width - tw) / 2, tw, t, con_display_attr(ROLE_TITLE));
}

static void draw_shadow(const con_dialog *d)
{
	attr_t s = con_display_attr(ROLE_SHADOW);
	short pair = (short)PAIR_NUMBER((int)s);
	int y;

	if (d->fullscreen || !(s & A_COLOR))
		return;
	for (y = d->top + 1; y <= d->top + d->height && y < LINES; y++) {
		int x = d->left + d->width, n = COLS - x < 2 ? COLS - x : 2;

		if (n > 0 && y < d->top + d->height)
			mvwchgat(stdscr, y, x, n, A_NORMAL, pair, NULL);
	}
	y = d->top + d->height;
	if (y < LINES && d->left + 2 < COLS)
		mvwchgat(stdscr, y, d->left + 2,
			 d->width < COLS - d->left - 2 ? d->width : COLS - d->left - 2,
			 A_NORMAL, pair, NULL);
}

static void draw_dialog(con_dialog *d, int top)
{
	WINDOW *win;
	size_t i;
	int y;

	if (d->height < 2 || d->width < 2 || d->top + d->height > LINES ||
	    d->left + d->width > COLS)
		return;
	win = derwin(stdscr, d->height, d->width, d->top, d->left);
	if (!win)
		return;
	for (y = 0; y < d->height; y++)
		con_text_fill(win, y, 0, d->width, con_display_attr(ROLE_DIALOG));
	con_text_draw_box(win, 0, 0, d->height, d->width, con_display_attr(ROLE_BORDER));
	draw_title(d, win);
	if (d->ops->draw)
		d->ops->draw(d, win);
	for (i = 0; i < d->nw; i++) {
		con_widget *w = d->w[i];

		w->want_cursor = 0;
		if (w->visible)
			w->ops->draw(w, win, top && (int)i == d->focus);
	}
	delwin(win);
	draw_shadow(d);
}

static void place_cursor(void)
{
	con_dialog *d = con_dialog_stack_top();
	con_widget *f = d ? con_dialog_focused(d) : NULL;

	if (f && f->visible && f->want_cursor && is_text_field(f)) {
		wmove(stdscr, d->top + f->cursor_y, d->left + f->cursor_x);
		curs_set(1);
		return;
	}
	if (f && f->visible && f->want_cursor)
		wmove(stdscr, d->top + f->cursor_y, d->left + f->cursor_x);
	curs_set(0);
}

/* con_dialog_stack_draw: everything, then one doupdate. */
void con_dialog_stack_draw(void)
{
	size_t i;
	int y;

	if (!con_display_is_open())
		return;
	if (con_display_too_small()) {
		con_display_draw_too_small();
		curs_set(0);
	} else {
		for (y = 0; y < LINES; y++)
			con_text_fill(stdscr, y, 0, COLS, con_display_attr(ROLE_SCREEN));
		for (i = 0; i < depth; i++)
			draw_dialog(stack[i], i + 1 == depth);
		place_cursor();
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* con_dialog_stack_layout: after a resize. */
void con_dialog_stack_layout(void)
{
	size_t i;

	for (i = 0; i < depth; i++)
		stack[i]->ops->layout(stack[i], COLS, LINES);
}

/* con_dialog_stack_push: on top, laid out. */
int con_dialog_stack_push(con_dialog *d)
{
	if (depth >= STACK_MAX)
		return -1;
	stack[depth++] = d;
	d->ops->layout(d, COLS, LINES);
	return 0;
}

/* con_dialog_stack_pop: the top one off. */
void con_dialog_stack_pop(void)
{
	if (depth)
		depth--;
}

/* con_dialog_stack_top: the dialog keys go to. */
con_dialog *con_dialog_stack_top(void)
{
	return depth ? stack[depth - 1] : NULL;
}

/* ---- :save-model ------------------------------------------------------------------ */

static void dump_lines(FILE *f, const char *key, const char *text)
{
	const char *nl;

	if (!*text) {
		fprintf(f, "%s: (none)\n", key);
		return;
	}
	while (*text) {
		nl = strchr(text, '\n');
		fprintf(f, "%s: %.*s\n", key, (int)(nl ? nl - text : (long)strlen(text)), text);
		if (!nl)
			break;
		text = nl + 1;
	}
}

static void dump_widget(const con_dialog *d, const con_widget *w, FILE *f)
{
	char plain[CON_LABEL_MAX];

	con_text_label_plain(w->label, plain, sizeof(plain));
	fprintf(f, "field: %s\n  kind: %s\n", w->name, w->ops->kind);
	if (plain[0])
		fprintf(f, "  label: %s\n", plain);
	w->ops->dump(w, f);
	if (w->invalid) {
		const char *c;

		fprintf(f, "  valid: no: ");
		for (c = w->why; *c; c++)
			fputc(*c == '\n' ? ' ' : *c, f);
		fputc('\n', f);
	}
	else
		fprintf(f, "  valid: yes\n");
	fprintf(f, "  enabled: %s\n", w->enabled ? "yes" : "no");
	fprintf(f, "  focus: %s\n", con_dialog_focused(d) == w ? "yes" : "no");
}

static void dump_plan(const tm_plan *p, FILE *f)
{
	size_t i;

	fprintf(f, "plan: %s %s %s\n", p->op, p->domain, p->partner);
	fprintf(f, "  summary: %s\n", p->summary);
	for (i = 0; i < PLAN_MAX_SLOTS; i++)
		if (p->slots[i].source != SLOT_UNUSED)
			fprintf(f, "  secret: %s (%s)\n", p->slots[i].label,
				p->slots[i].source == SLOT_GENERATED ? "generated" : "typed");
	for (i = 0; i < p->nsteps; i++)
		fprintf(f, "  step %zu: [%s] %s\n", i + 1, p->steps[i].domain, p->steps[i].text);
	if (p->outcome != TM_OK)
		fprintf(f, "  expected: %s%s%s\n", p->outcome_status ? p->outcome_status : "",
			p->outcome_status ? ": " : "", p->outcome_what);
}

/* con_dialog_stack_save_model: the top dialog's fields, message and plan. */
void con_dialog_stack_save_model(FILE *f)
{
	con_dialog *d = con_dialog_stack_top();
	con_widget *foc;
	size_t i;

	if (!d) {
		fprintf(f, "dialog: (none)\n");
		return;
	}
	foc = con_dialog_focused(d);
	fprintf(f, "dialog: %s\ntitle: %s\nfocus: %s\n", d->name, d->title, foc ? foc->name : "(none)");
	dump_lines(f, "message", d->msg ? con_textbox_get(d->msg) : "");
	fprintf(f, "committed: %s\n", d->committed ? "yes" : "no");
	for (i = 0; i < d->nw; i++)
		if (d->w[i] != d->msg && d->w[i]->visible && d->w[i]->name[0])
			dump_widget(d, d->w[i], f);
	if (d->ops->dump)
		d->ops->dump(d, f);
	if (d->plan)
		dump_plan(d->plan, f);
}

/* ---- quitting ------------------------------------------------------------------------ */

/* con_dialog_quit: the first status asked for is kept. */
void con_dialog_quit(int status)
{
	if (!quitting)
		exit_status = status;
	quitting = 1;
}

/* con_dialog_quitting: every modal loop ends. */
int con_dialog_quitting(void)
{
	return quitting;
}

/* con_dialog_exit_status: what con_console_main returns. */
int con_dialog_exit_status(void)
{
	return exit_status;
}

/* con_dialog_quit_with: the message is kept for after the terminal is restored. */
void con_dialog_quit_with(int status, const char *fmt, ...)
{
	va_list ap;

	if (quitting)
		return;
	va_start(ap, fmt);
	vsnprintf(quit_message, sizeof(quit_message), fmt, ap);
	va_end(ap);
	con_dialog_quit(status);
}

/* con_dialog_quit_message: "" when none. */
const char *con_dialog_quit_message(void)
{
	return quit_message;
}
