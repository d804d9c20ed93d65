/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* snapshot.h - the one reader of a domain's state through the ops table:
 * its TDOs with their recorded health, its interdomain trust accounts and
 * its cross-realm keys, as far as the domain's capabilities (model/caps.h)
 * allow. The plans' snapshot (world.h) and the health diagnosis
 * (diagnose.h) both read every domain through it. */
#ifndef TM_SNAPSHOT_H
#define TM_SNAPSHOT_H

#include <stddef.h>

#include "backend/ops.h"
#include "model/workflow.h"

/* What reading one domain left (owned); a wf_side points into it. */
typedef struct snapshot_part {
	tm_tdo *tdos;
	size_t ntdos;
	tm_health *health;             /* one per TDO */
	long long *health_when;        /* one per TDO: when it was recorded */
	tm_account *accounts;
	size_t naccounts;
	tm_keyinfo *keys;
	size_t nkeys;
} snapshot_part;

/* Read d into o and point s at it. s->caps says what d allows (ops->caps)
 * and s->writable whether trustmgr manages it in full; only what the
 * capabilities allow is asked for (no kadmin session for a domain without
 * kadmin credentials). Returns 0, or -1 with e when a server failed or
 * memory ran out: o is then freeable and s points at nothing read. */
int snapshot_read(tm_backend *be, const tm_domain *d, snapshot_part *o, wf_side *s,
		  tm_error *e);

/* snapshot_read of what concerns the trust with the partner f names (its
 * TDOs, accounts and keys; ops.h, the *_focus reads); the backend may give
 * more. f NULL: everything. A command about one trust reads no more, so a
 * plain realm with thousands of partners costs it a few kadmin calls. */
int snapshot_read_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			snapshot_part *o, wf_side *s, tm_error *e);

/* Like snapshot_read, but a failure is not an error: the parts that could
 * not be read are taken away from s->caps with the failure as the reason
 * (so every later check names it), and the failure is copied to e when e is
 * not NULL. Returns 1 when everything allowed was read, 0 when not. */
int snapshot_read_what_can(tm_backend *be, const tm_domain *d, snapshot_part *o, wf_side *s,
			   tm_error *e);

/* snapshot_read_what_can of what concerns f (NULL: everything). */
int snapshot_read_what_can_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
				 snapshot_part *o, wf_side *s, tm_error *e);

/* Free everything read (secrets wiped); leaves o empty. */
void snapshot_part_free(snapshot_part *o);

#endif
