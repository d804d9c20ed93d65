/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* exec_lanes.h - which steps of a plan run side by side, and running them
 * (docs/ARCHITECTURE.md, "Side by side").
 *
 * A wave is a run of consecutive change steps (tdo_put, tdo_delete,
 * account_put, account_delete, key_set, key_delete, key_plain) of at least
 * two domains that the backend lets run concurrently (ops->concurrent).
 * Each domain's steps of the wave form a lane and run in the plan's order,
 * in a thread of their own; the lanes run side by side. Password changes,
 * proofs, verifications, health and suffix steps never join a wave. The
 * executor (exec.c) records the steps of a wave in the plan's order once
 * all have returned, after the journal said which steps may run. */
#ifndef TM_EXEC_LANES_H
#define TM_EXEC_LANES_H

#include "backend/ops.h"

/* Run step i of the plan (the executor's exec_step): 0, or -1 with e. */
typedef int (*exec_lanes_fn)(void *ctx, size_t i, tm_error *e);

/* The end (exclusive) of the wave that starts at step `from`, or from + 1
 * when none does (fewer than two domains, a step that runs alone, a
 * backend without concurrent or journal_running). A test hook after a
 * step (testhooks_boundary) ends a wave there. */
size_t exec_lanes_wave(tm_backend *be, const tm_plan *p, size_t from, const tm_domain *domains,
		       size_t ndomains);

/* Run steps [from, to) of p in lanes. rc[k - from] is 0 when step k was
 * done, -1 when it failed (err[k - from] says why), 1 when it was not run
 * because a step of the wave had failed before it started. */
void exec_lanes_run(const tm_plan *p, size_t from, size_t to, exec_lanes_fn fn, void *ctx,
		    int *rc, tm_error *err);

#endif
