/* testhooks.c - the TM_TEST_* hooks; real only with -DTM_TEST_HOOKS. */
#include "backend/os/testhooks.h"

#include <time.h>

#ifdef TM_TEST_HOOKS

#include <errno.h>
#include <signal.h>
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

/* Open PATH, retrying when a caught signal (Ctrl-C in a test) interrupts
 * the blocking open of a FIFO: the pause lasts until the test ends it. */
static FILE *testhooks_open(const char *path, const char *mode)
{
	FILE *f;

	while ((f = fopen(path, mode)) == NULL && errno == EINTR)
		;
	return f;
}

static void testhooks_pause(size_t done)
{
	const char *dir = getenv("TM_TEST_PAUSE_DIR");
	char path[4096], line[64];
	FILE *f;

	if (!dir || !*dir || testhooks_number("TM_TEST_PAUSE_AFTER_STEP") != (long long)done)
		return;
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

long long testhooks_now(void)
{
	return (long long)time(NULL);
}

#endif
