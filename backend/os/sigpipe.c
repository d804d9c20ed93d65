/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* sigpipe.c - hold SIGPIPE off while a library writes to a server. */
#include "backend/os/sigpipe.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

static int sigpipe_is_pending(void)
{
	sigset_t pending;

	sigemptyset(&pending);
	sigpending(&pending);
	return sigismember(&pending, SIGPIPE) == 1;
}

void sigpipe_hold(sigpipe_guard *g)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	g->was_pending = sigpipe_is_pending();
	pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

void sigpipe_release(const sigpipe_guard *g)
{
	const struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	if (!g->was_pending && sigpipe_is_pending())
		while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}
