/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* menu.c - the F10 menu: what the console can do, with the key of
 * each item; a letter or Enter chooses. */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"
#include "ui/console/key.h"
#include "ui/console/requests.h"
#include "ui/console/text.h"

typedef struct menu_item {
	const char *label;
	int hotkey;
	int req;
} menu_item;

static const menu_item items[] = {
	{ "New Trust...", 'n', REQ_NEW_TRUST },
	{ "Switch Domain...", 's', REQ_DOMAIN },
	{ "Verify", 'v', REQ_VERIFY },
	{ "Reset Password...", 'r', REQ_RESET },
	{ "Reset This Side Only...", 'o', REQ_RESET_ONE_SIDE },
	{ "Recreate Trust...", 'c', REQ_RECREATE },
	{ "Health...", 'e', REQ_HEALTH },
	{ "Forest Recovery...", 'f', REQ_RECOVER },
	{ "Interrupted Plan...", 'i', REQ_RESUME },
	{ "Help", 'h', REQ_HELP },
	{ "Quit", 'q', REQ_QUIT },
};

typedef struct menu_state {
	con_widget *list;
	int chosen;
} menu_state;

static void menu_layout(con_dialog *d, int cols, int rows)
{
	menu_state *s = d->ctx;

	con_dialog_center(d, 40, (int)CON_ARRAY_LEN(items) + 4, cols, rows);
	con_widget_place(s->list, 1, 1, d->height - 2, d->width - 2);
}

static void choose(con_dialog *d, int row)
{
	menu_state *s = d->ctx;

	if (row >= 0 && (size_t)row < CON_ARRAY_LEN(items)) {
		s->chosen = items[row].req;
		con_dialog_close(d, CON_DLG_OK);
	}
}

static void chosen(con_widget *w)
{
	choose(w->dlg, con_list_selected(w));
}

static con_result menu_key(con_dialog *d, const con_event *ev)
{
	size_t i;

	if (!con_key_is_text(ev->key) && !(ev->key & CON_KEY_ALT))
		return CON_UNHANDLED;
	for (i = 0; i < CON_ARRAY_LEN(items); i++)
		if (items[i].hotkey == con_text_lower(ev->key & ~CON_KEY_ALT)) {
			choose(d, (int)i);
			return CON_HANDLED;
		}
	return CON_UNHANDLED;
}

static const con_dialog_ops menu_ops = { menu_layout, NULL, menu_key, NULL, NULL, NULL };

/* con_menu_dialog: the request chosen, REQ_NONE when cancelled. */
int con_menu_dialog(void)
{
	menu_state s = { NULL, REQ_NONE };
	con_dialog *d = con_dialog_new("menu", "Menu", &menu_ops, &s);
	char keyname[CON_NAME_MAX], label[CON_LABEL_MAX];
	size_t i;

	if (!d)
		return REQ_NONE;
	d->help = "What the console can do. Type the underlined letter, or move to an item and "
		  "press Enter; Esc closes the menu. Verify, the resets and Recreate act on the "
		  "trust selected in Trusted Domains or Trusting Domains.";
	s.list = con_dialog_add(d, con_list_new("items", "", 3, 1,
						"Choose with Enter or the item's first letter."));
	if (s.list) {
		con_list_set_typeahead(s.list, 0);  /* a letter chooses its item */
		for (i = 0; i < CON_ARRAY_LEN(items); i++) {
			const char *cells[3];
			int key = con_keymap_key(items[i].req);
			char letter[2] = { (char)(items[i].hotkey - 32), '\0' };

			snprintf(label, sizeof(label), "%s", items[i].label);
			cells[0] = letter;
			cells[1] = label;
			cells[2] = key ? con_key_label(key, keyname, sizeof(keyname)) : "";
			con_list_add(s.list, cells, con_keymap_request_name(items[i].req));
		}
		con_list_set_activate(s.list, chosen);
		con_dialog_focus(d, s.list);
		con_dialog_run(d);
	}
	con_dialog_free(&d);
	return s.chosen;
}
