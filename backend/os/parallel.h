/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* parallel.h - run a few independent jobs side by side, one thread each.
 *
 * What trustmgr runs side by side is work that waits on servers: the
 * change steps of two domains of one plan (each domain's steps in order,
 * through that domain's own sessions), the two directions of a
 * verification, the opening of two domains' sessions (docs/ARCHITECTURE.md,
 * "Side by side"). The jobs share nothing but what they were given; the
 * caller reads their results once parallel_run has returned. */
#ifndef TM_PARALLEL_H
#define TM_PARALLEL_H

#include <stddef.h>

#define PARALLEL_MAX 16               /* threads at once; more jobs run in turn */

typedef void (*parallel_fn)(void *arg);

/* Run fn(args[i]) for every i < n, side by side, and return when every one
 * has returned. The first job runs in the calling thread. A job whose
 * thread cannot be started runs in the calling thread after the others
 * started, so every job always runs exactly once. */
void parallel_run(parallel_fn fn, void *const *args, size_t n);

#endif
