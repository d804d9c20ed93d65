/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_signal.h - Ctrl-C, SIGHUP and SIGTERM while the command line runs a
 * plan: the first one stops the plan at the next step boundary (the
 * executor asks through exec_hooks.cancelled), a second one ends the
 * process at once with the signal's default action. */
#ifndef TM_CLI_SIGNAL_H
#define TM_CLI_SIGNAL_H

/* Catch SIGINT, SIGTERM and SIGHUP (restarting system calls) until
 * cli_signal_end; forget any signal caught before. */
void cli_signal_begin(void);

/* The same while a question waits for its answer: the first signal is
 * caught without the "stopping after the current step" note, also one the
 * process started with ignored (a person at the terminal pressed Ctrl-C). */
void cli_signal_begin_question(void);

/* Put the earlier handlers back. */
void cli_signal_end(void);

/* The signal caught since cli_signal_begin, 0 when none. */
int cli_signal_caught(void);

/* Once the command has finished and everything is closed (at exit), end
 * the process by sig with its default action, so that the shell running
 * trustmgr learns it was interrupted (and stops a loop or a script). */
void cli_signal_exit_by(int sig);

/* exec_hooks.cancelled: has a stop been asked for? (ctx unused) */
int cli_signal_cancelled(void *ctx);

#endif
