/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* exec.h - run a plan through a backend's ops table, journaling every step.
 *
 * The executor fills secret slots (generating, asking the front end, or on a
 * resume reading them back from where an earlier step wrote them), runs the
 * steps in order, records each in the journal, records health after VERIFY
 * and PROVE steps, and stops at the first failing step. */
#ifndef TM_EXEC_H
#define TM_EXEC_H

#include "backend/ops.h"

typedef struct exec_hooks {
	/* Ask the operator for slot's value (malloc'd into *value). Return 0, or
	 * -1 with e set (e.g. no terminal and no --password-file). */
	int (*ask_secret)(void *ctx, const tm_plan *p, int slot, char **value, tm_error *e);
	/* Progress: step i of n is about to run (text is the step's line). */
	void (*progress)(void *ctx, const tm_plan *p, size_t i);
	/* A VERIFY step finished with r (ok or not). */
	void (*verified)(void *ctx, const verify_result *r);
	void *ctx;
	/* Optional: has the operator asked to stop (Ctrl-C, SIGHUP, SIGTERM)?
	 * Asked before each step; when it says yes the plan stops at that step
	 * boundary (see exec_run). Last, so positional initialisers stay valid. */
	int (*cancelled)(void *ctx);
} exec_hooks;

/* Run p from step `from` (0 for a new plan). For a new plan (from == 0) the
 * journal is begun here. Returns the plan's outcome class (TM_OK when every
 * step succeeded and the plan carries no known outcome) and fills e with
 * the message to show. When hooks->cancelled says yes before a step, the plan
 * stops there: with nothing written yet the journal is closed (TM_EFAIL,
 * "nothing was changed"); otherwise it stays open, so the next run reports
 * the interrupted plan (TM_EBACKEND, saying what was done and how to resume
 * or roll back). */
int exec_run(tm_backend *be, tm_plan *p, size_t from, const exec_hooks *h, tm_error *e);

/* Refuse p, before anything is written, when a step from `from` on acts on a
 * domain (one of domains) that does not allow it (ops->caps): TM_EREFUSED,
 * STATUS_ACCESS_DENIED, naming the step, the domain, what it lacks and why.
 * exec_run and exec_resume call it; a preview (--dry-run) may too. Returns 0
 * or -1 with e. */
/* Fold into the TDO writes the key and trust-account steps of each domain
 * whose KDC derives them from its TDOs (caps keys_from_tdo, plan_fold_into_tdo);
 * exec_fit_all lists the domains itself. Run on a new plan before it is
 * shown or run (exec_run does it). */
void exec_fit(tm_backend *be, tm_plan *p, const tm_domain *domains, size_t ndomains);
int exec_fit_all(tm_backend *be, tm_plan *p, tm_error *e);

int exec_gate(tm_backend *be, const tm_plan *p, size_t from, const tm_domain *domains,
	      size_t ndomains, tm_error *e);

/* Resume an interrupted plan found by journal_pending (done steps skipped). */
int exec_resume(tm_backend *be, tm_plan *p, size_t done, const exec_hooks *h, tm_error *e);

#endif
