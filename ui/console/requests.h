/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* requests.h - every request the console understands, in one table
 * (tig's REQ_INFO). From it come the request enum, the names a script's
 * :bind uses, the default key bindings and the help screen.
 *
 *   _(ID, "name", "default key", "help text")
 *
 * A default key of "" means the request has no key of its own (it is
 * reached from the F10 menu, or bound with :bind). */
#ifndef TM_CON_REQUESTS_H
#define TM_CON_REQUESTS_H

#include "ui/console/key.h"

#define CON_REQ_INFO(_) \
	_(HELP, "help", "<F1>", "Help on the focused item, then every key") \
	_(NEXT, "next", "<Tab>", "Move to the next field or button") \
	_(PREV, "previous", "<S-Tab>", "Move to the previous field or button") \
	_(ENTER, "enter", "<Enter>", "Press the focused button, else the default one") \
	_(CANCEL, "cancel", "<Esc>", "Close the dialog without changing anything") \
	_(TOGGLE, "toggle", "<Space>", "Toggle a check box, pick a choice, press a button") \
	_(UP, "up", "<Up>", "Previous row of a list, previous choice") \
	_(DOWN, "down", "<Down>", "Next row of a list, next choice") \
	_(LEFT, "left", "<Left>", "Cursor left in a text field, previous choice") \
	_(RIGHT, "right", "<Right>", "Cursor right in a text field, next choice") \
	_(PAGE_UP, "page-up", "<PgUp>", "One page up in a list or text") \
	_(PAGE_DOWN, "page-down", "<PgDn>", "One page down in a list or text") \
	_(HOME, "home", "<Home>", "First row; start of a text field") \
	_(END, "end", "<End>", "Last row; end of a text field") \
	_(VERIFY, "verify", "<F5>", "Verify the selected trust") \
	_(DOMAIN, "switch-domain", "<F6>", "Switch to another domain") \
	_(NEW_TRUST, "new-trust", "<F7>", "New Trust wizard: both sides at once") \
	_(HEALTH, "health", "<F8>", "Health of every trust of every domain: cause and fix") \
	_(MENU, "menu", "<F10>", "Open the menu") \
	_(RESET, "reset", "", "Give the selected trust a new secret on both sides") \
	_(RESET_ONE_SIDE, "reset-one-side", "", "Reset this side only (forest recovery)") \
	_(RECOVER, "forest-recovery", "", "Forest Recovery walkthrough for a restored domain") \
	_(RECREATE, "recreate", "", "Recreate the selected trust: remove both ends, establish again") \
	_(RESUME, "interrupted-plan", "", "Resume or roll back an interrupted plan") \
	_(REFRESH, "refresh", "<C-l>", "Read the store again and redraw the screen") \
	_(QUIT, "quit", "<C-q>", "Leave the console")

/* Request ids start above every key code, so a key and a request never
 * share a number. */
typedef enum con_request {
	REQ_NONE = CON_KEY_MAX + 1,
#define CON_REQ_ENUM(id, name, key, help) REQ_##id,
	CON_REQ_INFO(CON_REQ_ENUM)
#undef CON_REQ_ENUM
	REQ_LAST
} con_request;

/* The request's name ("verify"), or "" for an id outside the table. */
const char *con_keymap_request_name(int req);
/* The request's help text. */
const char *con_keymap_request_help(int req);
/* The request named name (case-insensitive), or REQ_NONE. */
int con_keymap_request_by_name(const char *name);

/* Reset every binding to the table's defaults. */
void con_keymap_reset(void);
/* The request bound to key, or REQ_NONE. */
int con_keymap_lookup(int key);
/* Bind key to req (REQ_NONE unbinds). Returns 0, -1 when the map is full. */
int con_keymap_bind(int key, int req);
/* The first key bound to req, or 0 when none. */
int con_keymap_key(int req);

#endif
