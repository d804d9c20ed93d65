/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* password.c - ask for a password twice, never echoed: what an
 * interrupted plan needs to go on when the executor cannot read the
 * password back from what earlier steps wrote. */
#include <stdio.h>
#include <string.h>

#include "model/secret.h"
#include "ui/console/dialogs/dialogs.h"

typedef struct password_state {
	con_widget *intro, *password, *confirm, *ok, *cancel;
	char *out;
	size_t n;
} password_state;

static void validate(con_dialog *d)
{
	password_state *s = d->ctx;
	const char *why = NULL;

	if (!con_entry_len(s->password))
		why = "Type the password, then again in Confirm.";
	else if (!con_entry_equal(s->password, s->confirm))
		why = con_entry_complete(s->confirm) ? "The two passwords do not match: type them "
			"again." : "Type the password again in Confirm.";
	con_widget_invalid(s->confirm, con_entry_complete(s->confirm) && why ? why : NULL);
	con_widget_enable(s->ok, why == NULL);
	con_dialog_message(d, ROLE_HINT, "%s", why ? why : "Press Enter (OK) to go on.");
}

static void changed(con_widget *w)
{
	validate(w->dlg);
}

static int password_submit(con_dialog *d)
{
	password_state *s = d->ctx;

	con_entry_set_complete(s->confirm);
	validate(d);
	if (!s->ok->enabled)
		return 0;
	con_entry_get(s->password, s->out, s->n);
	return 1;
}

void con_password_layout(con_dialog *d, int cols, int rows, int height, int spare,
			 con_widget *intro, con_widget *password, con_widget *confirm,
			 con_widget *ok, con_widget *cancel)
{
	con_widget *buttons[2] = { ok, cancel };
	int intro_h;

	con_dialog_center(d, 66, height, cols, rows);
	intro_h = con_textbox_lines(intro, d->width - 4);
	if (intro_h > d->height - spare)
		intro_h = d->height - spare;
	if (intro_h < 1)
		intro_h = 1;
	con_widget_place(intro, 1, 2, intro_h, d->width - 4);
	con_widget_place(password, intro_h + 2, 2, 1, d->width - 4);
	con_widget_place(confirm, intro_h + 3, 2, 1, d->width - 4);
	password->label_w = confirm->label_w = 20;
	con_dialog_place_message(d, intro_h + 5, 2, d->height - intro_h - 8, d->width - 4);
	con_dialog_button_row(d, d->height - 2, buttons, 2);
}

static void password_layout(con_dialog *d, int cols, int rows)
{
	password_state *s = d->ctx;

	con_password_layout(d, cols, rows, 14, 9, s->intro, s->password, s->confirm, s->ok,
			    s->cancel);
}

static void password_free(con_dialog *d)
{
	password_state *s = d->ctx;

	con_entry_wipe(s->password);
	con_entry_wipe(s->confirm);
}

static const con_dialog_ops password_ops = {
	password_layout, NULL, NULL, password_submit, NULL, password_free,
};

static int build(con_dialog *d, password_state *s, const char *intro)
{
	s->intro = con_dialog_add(d, con_textbox_new("intro", 0, NULL));
	s->password = con_dialog_add(d, con_entry_new("password", "&Password:", SECRET_MAX / 4, 1,
		"Shown as one '*' per character; never kept after use."));
	s->confirm = con_dialog_add(d, con_entry_new("confirm", "&Confirm Password:",
		SECRET_MAX / 4, 1, "The same password again."));
	d->msg = con_dialog_add(d, con_textbox_new("message", 1, "What is missing."));
	s->ok = con_dialog_add(d, con_button_new("ok", "&OK", con_dialog_ok_pressed,
		"Go on with this password. Disabled until both fields hold the same one."));
	s->cancel = con_dialog_add(d, con_button_new("cancel", "Cancel", con_dialog_cancel_pressed,
		"Do not give it: nothing more is run."));
	if (!s->intro || !s->password || !s->confirm || !d->msg || !s->ok || !s->cancel)
		return -1;
	con_textbox_set(s->intro, intro, ROLE_DIALOG);
	s->password->on_change = s->confirm->on_change = changed;
	s->confirm->on_leave = changed;
	d->ok = s->ok;
	d->cancel = s->cancel;
	d->help = "The password is asked twice so that a typing mistake is caught before it is "
		  "written anywhere.";
	return 0;
}

/* con_password_dialog: 1 with buf filled, 0 cancelled. */
int con_password_dialog(const char *title, const char *intro, char *buf, size_t n)
{
	password_state s;
	con_dialog *d;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.out = buf;
	s.n = n;
	buf[0] = '\0';
	d = con_dialog_new("password", title, &password_ops, &s);
	if (d && build(d, &s, intro) == 0) {
		validate(d);
		con_dialog_focus(d, s.password);
		rc = con_dialog_run(d) == CON_DLG_OK;
	}
	con_dialog_free(&d);
	if (!rc)
		secret_wipe(buf, n);
	return rc;
}
