/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* parallel.c - run a few independent jobs side by side (parallel.h). */
#include "backend/os/parallel.h"

#include <pthread.h>
#include <string.h>

typedef struct parallel_job {
	parallel_fn fn;
	void *arg;
} parallel_job;

static void *parallel_thread(void *p)
{
	parallel_job *j = p;

	j->fn(j->arg);
	return NULL;
}

/* At most PARALLEL_MAX jobs from args: the first in this thread. */
static void parallel_batch(parallel_fn fn, void *const *args, size_t n)
{
	pthread_t t[PARALLEL_MAX];
	parallel_job jobs[PARALLEL_MAX];
	unsigned char started[PARALLEL_MAX];
	size_t i;

	memset(started, 0, sizeof(started));
	for (i = 1; i < n; i++) {
		jobs[i].fn = fn;
		jobs[i].arg = args[i];
		started[i] = pthread_create(&t[i], NULL, parallel_thread, &jobs[i]) == 0;
	}
	fn(args[0]);
	for (i = 1; i < n; i++)
		if (!started[i])
			fn(args[i]);
	for (i = 1; i < n; i++)
		if (started[i])
			pthread_join(t[i], NULL);
}

void parallel_run(parallel_fn fn, void *const *args, size_t n)
{
	size_t at;

	for (at = 0; at < n; at += PARALLEL_MAX)
		parallel_batch(fn, args + at, n - at < PARALLEL_MAX ? n - at : PARALLEL_MAX);
}
