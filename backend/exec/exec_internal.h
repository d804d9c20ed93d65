/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* exec_internal.h - what the executor's files share (exec.c runs a plan;
 * exec_lanes.c runs some of its steps side by side). Not for use outside
 * backend/exec/. */
#ifndef TM_EXEC_INTERNAL_H
#define TM_EXEC_INTERNAL_H

#include "backend/exec/exec.h"

typedef struct exec_state {
	tm_backend *be;
	tm_plan *p;
	const exec_hooks *h;
	tm_domain *domains;
	size_t ndomains;
	uint32_t changed_kvno;       /* key version the last KEY_CHANGE produced */
	int verify_failed;           /* an optional VERIFY failed: report at the end */
	char verify_note[TM_WHAT_MAX]; /* an optional VERIFY could not run: said with success */
	tm_error verify_err;
	int resume;                  /* taking up an interrupted plan */
	int wave_wrote;              /* a step run side by side was done */
	size_t rewind;               /* resume: run again from here (a lost secret remade) */
} exec_state;

/* The domain the plan names, or NULL with e. */
const tm_domain *exec_domain(exec_state *st, const char *name, tm_error *e);

/* Run step s (0, or -1 with e); record it (audit, journal, test hook):
 * 0 to go on, -1 when the plan stops there with its outcome in *out. */
int exec_step(exec_state *st, const plan_step *s, tm_error *e);
int exec_record(exec_state *st, size_t i, int r, int resume, int journaled, tm_error *e,
		int *out);

/* Step i ran (step_err: how it failed, or NULL): its audit record. Step i
 * failed: the plan stops there (the journal kept or closed, the message). */
int exec_audit_step(exec_state *st, size_t i, int journaled, const tm_error *step_err,
		    tm_error *e);
int exec_stop(exec_state *st, size_t i, int resume, int journaled, tm_error *e);

/* Steps [from, to) were done (run side by side): recorded together, one
 * audit write and one journal write, when the backend can (else one by
 * one as exec_record). 0, or -1 with *out as exec_record. */
int exec_record_done(exec_state *st, size_t from, size_t to, int resume, int journaled,
		     tm_error *e, int *out);

/* The front end's progress for steps [from, to). */
void exec_progress(exec_state *st, size_t from, size_t to);

/* A VERIFY step's result (see exec.c); the health each end records. */
int exec_verify_result(exec_state *st, const plan_step *s, int rc, verify_result *r,
		       int record, tm_error *e);
void exec_record_health(exec_state *st, const tm_domain *self, const tm_domain *other,
			tm_health h);

/* ---- exec_lanes.c --------------------------------------------------------- */

/* Steps [from, to) (a wave: exec_lanes_wave) run side by side, then are
 * recorded in the plan's order: 0 to go on, -1 when the plan stops (*out). */
int exec_lanes_record(exec_state *st, size_t from, size_t to, int resume, int journaled,
		      tm_error *e, int *out);

/* Steps i and i + 1 verify both directions of one trust: at once when the
 * backend can (1; *stopped and *out as exec_record says), else 0. */
int exec_lanes_verify(exec_state *st, size_t i, int resume, int journaled, tm_error *e,
		      int *out, int *stopped);

#endif
