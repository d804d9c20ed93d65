/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow_int.h - pieces shared by the workflow files (workflow.c: common
 * helpers; workflow_establish.c: permit, trust, create; workflow_repair.c:
 * remove, reset, reset-one-side, verify, tdo add/modify/delete;
 * workflow_recover.c: recover, recover-partners, recreate).
 * Not for use outside model/. */
#ifndef TM_WORKFLOW_INT_H
#define TM_WORKFLOW_INT_H

#include "model/keys.h"
#include "model/rules.h"
#include "model/workflow.h"

/* One direction "trusting trusts trusted" of a trust being written. */
typedef struct wf_dir {
	const tm_domain *trusting, *trusted;
	int slot;
	uint32_t kvno;
	char principal[KEYS_PRINC_MAX];
} wf_dir;

/* Lookups in a side of the world. */
const tm_account *workflow_find_account(const wf_side *s, const char *name);
const tm_keyinfo *workflow_find_key(const wf_side *s, const char *principal);
void workflow_account_name(const tm_domain *trusting, char *buf, size_t n);
const char *workflow_label(const tm_domain *d);
/* Refuse when the partner is not a known domain. */
int workflow_need_partner(const wf_world *w, tm_error *e);
/* Run the rules (and their side effects) on a new or changed TDO of side s. */
int workflow_check_new(const wf_world *w, const wf_side *s, tm_tdo *t, tm_error *e);
int workflow_check_change(const wf_world *w, const wf_side *s, const tm_tdo *old, tm_tdo *t, tm_error *e);
/* Defaults: how `local` describes `other` (type, attributes, enctypes). */
int workflow_same_forest(const tm_domain *a, const tm_domain *b);
void workflow_set_flag(uint32_t *attrs, uint32_t bit, int value);
void workflow_describe(const tm_domain *local, const tm_domain *other, uint32_t dir, const wf_options *o, tm_tdo *t);
/* Append steps to a plan; each returns 0 or -1 with e. */
int workflow_full(tm_error *e);
int workflow_put_tdo(tm_plan *p, const tm_domain *d, const tm_tdo *old, const tm_tdo *t, blob_change in, blob_change out, const char *what, tm_error *e);
int workflow_set_key(tm_plan *p, const tm_domain *d, const char *principal, int slot, uint32_t kvno, uint32_t enctypes, int keep, tm_error *e);
int workflow_delete_key(tm_plan *p, const tm_domain *d, const char *principal, tm_error *e);
int workflow_verify_step(tm_plan *p, const tm_domain *trusting, const tm_domain *trusted, tm_error *e);
int workflow_health(tm_plan *p, const tm_domain *d, const char *partner, tm_health h, tm_error *e);
/* Plan bookkeeping. */
blob_change workflow_blob(blob_action a, int slot, uint32_t kvno);
tm_plan *workflow_new(const char *op, const wf_world *w, tm_error *e);
int workflow_done(tm_plan *p, tm_plan **out, int rc);
/* One direction with its principal and the next kvno on both sides. */
int workflow_dir_init(wf_dir *d, const wf_world *w, const tm_domain *trusting, const tm_domain *trusted, int slot, tm_error *e);
/* The local TDO for the partner, or NULL with e (not found). */
const tm_tdo *workflow_local_tdo(const wf_world *w, tm_error *e);
/* Key versions: current on a side; the aligned one for one-side changes. */
uint32_t workflow_kvno(const wf_side *s, const char *principal);
uint32_t workflow_aligned_kvno(const wf_world *w, const char *principal);
/* The direction as the other end sees it. */
uint32_t workflow_reverse(uint32_t dir);
/* Building blocks shared with workflow_recover.c. */
/* Steps taking `dir` away from self's TDO t describing other (remove). */
int workflow_drop(tm_plan *p, const tm_domain *self, const tm_domain *other, const tm_tdo *t,
	    uint32_t dir, tm_error *e);
/* self's new TDO t and its keys for the directions given (create). */
int workflow_create_side(tm_plan *p, const tm_domain *self, tm_tdo *t, const wf_dir *out,
		   const wf_dir *in, tm_error *e);
/* w->local's TDO t for other reset to the typed password, current =
 * previous, and its keys set, at `match`'s key versions when match holds
 * them, else aligned with w->partner (reset-one-side, recover). */
int workflow_reset_end(tm_plan *p, const wf_world *w, const tm_domain *other, const tm_tdo *t,
		 const wf_side *match, tm_error *e);
/* Side s permits `trusting` with the typed initial password: TDO t (old is
 * the TDO of s it replaces, or NULL), key, armed account, health (permit). */
int workflow_permit_side(tm_plan *p, const wf_side *s, const tm_domain *trusting, tm_tdo *t,
		   const tm_tdo *old, tm_error *e);

#endif
