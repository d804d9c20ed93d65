/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* audit_plan.h - the audit records of plans (audit.h has the format): the
 * executor (exec.c) records the start of a plan or resume before its first
 * step, each step, and the end; rollback goes through audit_plan_rollback.
 * A backend whose audit target names no destination records nothing (unit
 * tests opening a store directly). */
#ifndef TM_AUDIT_PLAN_H
#define TM_AUDIT_PLAN_H

#include <stddef.h>

#include "backend/ops.h"

/* Can be's audit destinations be written? Called before anything is asked
 * or changed. 0, or -1 with e (nothing may be changed then). */
int audit_plan_check(tm_backend *be, tm_error *e);

/* event=start (or event=resume with done steps already done, when resume
 * is set). 0, or -1 with e: then the plan must not run. */
int audit_plan_start(tm_backend *be, const tm_plan *p, int resume, size_t done, tm_error *e);

/* event=step for step i (step_err: its failure, NULL when it succeeded).
 * 0, or -1 with e: then no further step may run. */
int audit_plan_step(tm_backend *be, const tm_plan *p, size_t i, const tm_error *step_err,
		    tm_error *e);

/* event=step result=ok for steps [from, to), which ran side by side: the
 * records written together. 0, or -1 with e: then no further step may run. */
int audit_plan_steps_done(tm_backend *be, const tm_plan *p, size_t from, size_t to,
			  tm_error *e);

/* event=end with result (ok, resumed, failed, interrupted); outcome is the
 * message of a failure (or NULL). When the record cannot be written the
 * reason is added to outcome->next (the plan's result itself stands). */
void audit_plan_end(tm_backend *be, const tm_plan *p, const char *result, tm_error *outcome);

/* Roll back the interrupted plan p (done steps done) with journal_rollback,
 * recorded as event=rollback then event=end result=rolled-back or failed.
 * 0, or -1 with e (also when the start could not be recorded: then nothing
 * was rolled back). */
int audit_plan_rollback(tm_backend *be, const tm_plan *p, size_t done, tm_error *e);

/* Forget the interrupted plan p with journal_discard (no domain changes),
 * recorded as event=discard then event=end result=discarded or failed. */
int audit_plan_discard(tm_backend *be, const tm_plan *p, size_t done, tm_error *e);

/* Add domain d through be->ops->domain_add, recorded as event=start then
 * event=end (op=domain-add). 0, or -1 with e (nothing added when the start
 * could not be recorded). */
int audit_plan_domain_add(tm_backend *be, const tm_domain *d, tm_error *e);

#endif
