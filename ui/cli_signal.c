/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_signal.c - stopping a running plan cleanly (cli_signal.h).
 *
 * An administrator who presses Ctrl-C in the middle of "create" expects the
 * command to stop, not to leave a trust half made that nobody hears about.
 * A step that has started is finished (each server call is bounded by the
 * configured timeout), then the plan stops at that step boundary: the
 * journal keeps the steps done, the message says what was done and how to
 * resume or roll back, and the process then ends by that signal (after
 * everything is closed; a shell reports 128 + the signal). A second
 * Ctrl-C does not wait: the default action ends the process at once, and
 * the next trustmgr reports the interrupted plan from the journal. SIGHUP
 * (the SSH connection dropped) and SIGTERM are handled like the first
 * Ctrl-C. The password prompt (cli_secret.c) has handlers of its own
 * that restore the terminal's echo.
 */
#include "ui/cli_signal.h"

#include "backend/os/testhooks.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static volatile sig_atomic_t stop_sig;
static volatile sig_atomic_t stop_quiet;   /* a question is waiting: say nothing */
static struct sigaction stop_old[NSTOP];
static int stop_installed;

static void on_stop(int sig)
{
	static const char note[] = "\ntrustmgr: stopping after the current step "
				   "(Ctrl-C again stops at once)\n";

	if (stop_sig) {
		signal(sig, SIG_DFL);
		raise(sig);            /* delivered when this handler returns */
		return;
	}
	stop_sig = sig;
	testhooks_signal();
	if (sig == SIGINT && !stop_quiet && write(STDERR_FILENO, note, sizeof(note) - 1) < 0)
		return;
}

/* Catch the stop signals; keep_ignored leaves one that was ignored so. */
static void stop_install(int keep_ignored)
{
	struct sigaction sa;
	size_t i;

	stop_sig = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSTOP; i++) {
		sigaction(stop_signals[i], &sa, &stop_old[i]);
		if (keep_ignored && stop_old[i].sa_handler == SIG_IGN)
			sigaction(stop_signals[i], &stop_old[i], NULL);
	}
	stop_installed = 1;
}

/* cli_signal_begin: see cli_signal.h. */
void cli_signal_begin(void)
{
	stop_quiet = 0;
	/* Ignored when we started (nohup, a background job): stays ignored. */
	stop_install(1);
}

/* cli_signal_begin_question: see cli_signal.h. */
void cli_signal_begin_question(void)
{
	stop_quiet = 1;
	/* Someone is at the terminal: Ctrl-C answers no even where the
	 * process started with SIGINT ignored (as at a password prompt). */
	stop_install(0);
}

/* cli_signal_end: see cli_signal.h. */
void cli_signal_end(void)
{
	size_t i;

	if (!stop_installed)
		return;
	for (i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &stop_old[i], NULL);
	stop_installed = 0;
}

static volatile sig_atomic_t exit_sig;

/* At exit, once everything is closed: end by the signal itself, so a shell
 * running trustmgr in a loop or a script sees it and stops too. */
static void exit_by_signal(void)
{
	sigset_t set;
	int sig = (int)exit_sig;

	if (!sig)
		return;
	fflush(NULL);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/* cli_signal_exit_by: see cli_signal.h. */
void cli_signal_exit_by(int sig)
{
	static int registered;

	exit_sig = sig;
	if (!registered && atexit(exit_by_signal) == 0)
		registered = 1;
}

/* cli_signal_caught: see cli_signal.h. */
int cli_signal_caught(void)
{
	return (int)stop_sig;
}

/* cli_signal_cancelled: see cli_signal.h. */
int cli_signal_cancelled(void *ctx)
{
	(void)ctx;
	return stop_sig != 0;
}
