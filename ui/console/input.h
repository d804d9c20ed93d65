/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* input.h - the single input choke point (tig's get_input).
 *
 * Keys come from the keyboard (wget_wch) or from a script; resizes are
 * handled here, for the whole stack, and never reach a widget; signals end
 * the console here, Ctrl-Z suspends it here, and the focus reports and
 * idle time call the watch here. A scripted key is handed out only when the caller asks
 * for the next one, that is after the previous key's work, redraw included,
 * is done; script commands run at that same point. */
#ifndef TM_CON_INPUT_H
#define TM_CON_INPUT_H

#include <stddef.h>

#include "ui/console/con.h"

/* Use the script at path (NULL: the keyboard). Reads and checks it now.
 * Returns 0, or -1 with err ("FILE:LINE: ..."). */
int con_input_open(const char *path, char *err, size_t n);

/* Forget the script. */
void con_input_close(void);

/* Why a watch is called: the keyboard has been idle for the watch's
 * interval, or the terminal's window got the focus (<FocusIn>). */
#define CON_WATCH_IDLE 1
#define CON_WATCH_FOCUS 2

/* A watch looks for changes other processes made (Trust Relationships
 * compares the store's stamp) and returns 1 when the screen must be drawn
 * again. Set one (fn NULL: none) and, for the keyboard, the idle interval
 * in milliseconds (0: never called for idleness). A script has no idle
 * time: its <FocusIn> calls the watch, at that point of the script. */
typedef int (*con_input_watch_fn)(void *ctx, int why);
void con_input_set_watch(con_input_watch_fn fn, void *ctx);
void con_input_set_idle(int ms);

/* The next key. Returns 0 with ev filled, or 1 when the console must end
 * (con_dialog_quit has been called: end of script, :quit, a failed :expect, a
 * signal, a lost terminal). */
int con_input_get(con_event *ev);

#endif
