/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* testhooks.c - the TM_TEST_* hooks; real only with -DTM_TEST_HOOKS. */
#include "backend/os/testhooks.h"

#include <time.h>

#ifdef TM_TEST_HOOKS

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

int testhooks_enabled(void)
{
	return 1;
}

/* The variable NAME as a positive number, else 0. */
static long long testhooks_number(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long long n;

	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	return (errno || *end || n < 0) ? 0 : n;
}

static void testhooks_kill(size_t done)
{
	if (testhooks_number("TM_TEST_KILL_AFTER_STEP") == (long long)done)
		raise(SIGKILL);
}

/* While a pause waits: the file a caught signal is marked in. */
static char testhooks_seen[4096];

/* Open PATH, retrying when a caught signal (Ctrl-C in a test) interrupts
 * the blocking open of a FIFO: the pause lasts until the test ends it. */
static FILE *testhooks_open(const char *path, const char *mode)
{
	FILE *f;

	while ((f = fopen(path, mode)) == NULL && errno == EINTR)
		;
	return f;
}

/* testhooks_signal: async-signal-safe (open and close of a path made
 * before the pause began). */
void testhooks_signal(void)
{
	int fd;

	if (!testhooks_seen[0])
		return;
	fd = open(testhooks_seen, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

static void testhooks_pause(size_t done)
{
	const char *dir = getenv("TM_TEST_PAUSE_DIR");
	char path[4096], line[64];
	FILE *f;

	if (!dir || !*dir || testhooks_number("TM_TEST_PAUSE_AFTER_STEP") != (long long)done)
		return;
	/* Armed before the test can learn of the pause and send its signal. */
	snprintf(testhooks_seen, sizeof(testhooks_seen), "%s/signal", dir);
	snprintf(path, sizeof(path), "%s/paused", dir);
	f = testhooks_open(path, "w");
	if (f) {
		fprintf(f, "paused %zu\n", done);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/resume", dir);
	f = testhooks_open(path, "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
}

void testhooks_after_step(size_t done)
{
	if (done == 0)
		return;
	testhooks_kill(done);
	testhooks_pause(done);
}

int testhooks_armed(size_t done)
{
	return testhooks_number("TM_TEST_KILL_AFTER_STEP") == (long long)done ||
	       testhooks_number("TM_TEST_PAUSE_AFTER_STEP") == (long long)done;
}

int testhooks_boundary(size_t done)
{
	if (testhooks_number("TM_TEST_KEEP_WAVES") == 1)
		return 0;
	return testhooks_armed(done);
}

long long testhooks_now(void)
{
	long long t = testhooks_number("TM_TEST_NOW");

	return t > 0 ? t : (long long)time(NULL);
}

#else /* a release build: no hook */

int testhooks_enabled(void)
{
	return 0;
}

void testhooks_after_step(size_t done)
{
	(void)done;
}

void testhooks_signal(void)
{
}

int testhooks_boundary(size_t done)
{
	(void)done;
	return 0;
}

int testhooks_armed(size_t done)
{
	(void)done;
	return 0;
}

long long testhooks_now(void)
{
	return (long long)time(NULL);
}

#endif
