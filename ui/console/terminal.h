/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* terminal.h - what the console asks of a real terminal beyond drawing:
 * whether it can address the cursor at all, flow control (Ctrl-S/Ctrl-Q),
 * focus reports, and suspending with Ctrl-Z (docs/CONSOLE.md, "The
 * terminal"). display.c opens and closes the screen and calls these;
 * input.c reads the keys they define. */
#ifndef TM_CON_TERMINAL_H
#define TM_CON_TERMINAL_H

#include <stddef.h>

/* Can ncurses draw dialogs on a terminal of type term (TERM, may be NULL)?
 * Asks terminfo through setupterm and tigetstr("cup"), writing nothing to
 * the terminal. Returns 0, or -1 with err holding what failed, why and
 * what to do (another TERM, or the command line's equivalents), several
 * lines without the "trustmgr: " prefix. */
int con_terminal_check(const char *term, char *err, size_t n);

/* After cbreak(): clear IXON on the terminal fd, so that Ctrl-Q and Ctrl-S
 * reach the console instead of the tty driver's flow control, and make it
 * part of the modes ncurses restores after endwin and a suspension
 * (def_prog_mode). Nothing else changes: Ctrl-C still raises SIGINT.
 * endwin puts the terminal's own modes back. */
void con_terminal_flow_off(int fd);

/* After newterm: recognise the focus reports (ESC [ I, ESC [ O, or the
 * terminfo kxIN and kxOUT) as keys, and turn the reports on with the
 * terminfo "fe" capability, else ESC [ ? 1004 h when term is a family that
 * knows it (xterm and terminals that imitate it, tmux, screen); fd is where
 * the console draws. */
void con_terminal_focus_setup(const char *term, int fd);
/* Turn the reports on again (after a suspension) or off (before endwin);
 * nothing when they were never turned on. */
void con_terminal_focus(int on);
/* The sequence that turns the reports off ("" when they are not on), for a
 * signal handler that puts the terminal back by itself. */
const char *con_terminal_focus_off_sequence(void);
/* The console's key for what wget_wch returned as key (CON_KEY_FOCUS_IN,
 * CON_KEY_FOCUS_OUT), or key itself. */
int con_terminal_key(int key);

/* Ctrl-Z: catch SIGTSTP (only when it is not ignored), recording it; the
 * input loop then suspends the console at a safe point. Before newterm, so
 * that ncurses does not put its own handler there. Off (0): the default
 * action again. */
void con_terminal_catch_suspend(int on);
/* Was Ctrl-Z pressed (SIGTSTP) since the last con_terminal_stop? */
int con_terminal_suspend_asked(void);
/* Stop the process as SIGTSTP would (the terminal must already be back in
 * its own modes); returns once it is continued (fg). */
void con_terminal_stop(void);

#endif
