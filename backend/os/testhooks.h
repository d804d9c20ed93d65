/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* testhooks.h - hooks that let the test suites steer a running trustmgr.
 *
 * They exist only in test builds: compiled with -DTM_TEST_HOOKS (the
 * Makefile's default build folders), the functions below read the
 * TM_TEST_* variables documented in trustmgr(8). Compiled without it (the
 * release binary `make install` installs) they say "no hook": they read no
 * environment and change nothing, whatever is set. */
#ifndef TM_TESTHOOKS_H
#define TM_TESTHOOKS_H

#include <stddef.h>

/* 1 when this program was built with the test hooks, else 0. */
int testhooks_enabled(void);

/* Called right after step DONE (1-based) of a plan was journaled.
 * TM_TEST_KILL_AFTER_STEP=DONE: the process kills itself with SIGKILL.
 * TM_TEST_PAUSE_AFTER_STEP=DONE with TM_TEST_PAUSE_DIR=D: writes
 * "paused DONE" into the FIFO D/paused, then waits for a line from the
 * FIFO D/resume. Without hooks: returns at once. */
void testhooks_after_step(size_t done);

/* Is there a hook after step DONE (1-based)? Steps that run side by side
 * (backend/exec/exec_lanes.c) never span it, so that "after step N" still
 * means that no later step has run, unless TM_TEST_KEEP_WAVES=1: then
 * they do, and a kill after step N finds later steps of the same run done
 * but not marked, the crash that the journal's "running" line is for.
 * Without hooks: 0. */
int testhooks_boundary(size_t done);

/* Is a kill or pause hook set for after step DONE (1-based), whatever
 * TM_TEST_KEEP_WAVES says? Steps recorded together are recorded up to
 * it first, so that the hook finds exactly the steps up to DONE marked.
 * Without hooks: 0. */
int testhooks_armed(size_t done);

/* The clock health and repair diagnose at, in Unix seconds: TM_TEST_NOW
 * when it is set to a positive number (test builds only), else time(). */
long long testhooks_now(void);

/* A stop signal (SIGINT, SIGTERM, SIGHUP) was caught: during a
 * TM_TEST_PAUSE pause, mark it as the file TM_TEST_PAUSE_DIR/signal, so a
 * test knows the signal arrived before it ends the pause. Safe to call from
 * a signal handler. Nothing in a release build. */
void testhooks_signal(void);

#endif
