/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* rules.h - the TDO validation rules of MS-ADTS 6.1.6.9.7 and MS-LSAD 3.1.4.7.10
 * (docs/RULES.md, "Validation rules"), enforced before anything is written.
 *
 * Every refusal returns -1 with e->cls = TM_EREFUSED, e->status the NTSTATUS
 * name and e->what a sentence naming the rule in plain words.
 */
#ifndef TM_RULES_H
#define TM_RULES_H

#include <stddef.h>

#include "model/trust.h"

/* What the rules need to know about the world around one domain. */
typedef struct rules_ctx {
	const tm_domain *local;          /* the domain that holds the TDO */
	const tm_domain *const *forest;  /* every known domain of local's forest (may include local) */
	size_t nforest;
	const tm_tdo *existing;          /* local's TDOs as stored now */
	size_t nexisting;
	const tm_domain *partner;        /* the TDO's partner when trustmgr knows it, else
					  * NULL (rule 2: a forest trust joins two roots) */
} rules_ctx;

/* Check a new TDO (rules 1-5, 7-10). Returns 0 or -1 with e. */
int rules_check_create(const rules_ctx *ctx, const tm_tdo *tdo, tm_error *e);

/* Check a change of an existing TDO `old` into `tdo` (rules 1-5, 7, 8, 10;
 * rule 9 against the other TDOs only; trustType may not change).
 * Returns 0 or -1 with e. */
int rules_check_modify(const rules_ctx *ctx, const tm_tdo *old, const tm_tdo *tdo,
		       tm_error *e);

/* Apply the side effects of a change (rules 6 and 11) to `tdo`, given `old`
 * (NULL for a new TDO): clearing FOREST_TRANSITIVE drops forest trust info,
 * setting it creates the default records; dropping a direction empties that
 * direction's trustAuth blob. Returns 0 or -1 with e (out of memory). */
int rules_apply_effects(const tm_tdo *old, tm_tdo *tdo, tm_error *e);

/* Individual field validators, shared by the command line and the console
 * dialogs. Each returns 0 or -1 with e. */
int rules_check_partner_names(const tm_tdo *tdo, tm_error *e);      /* rules 7, 10 */
int rules_check_attributes(const rules_ctx *ctx, const tm_tdo *tdo,
			   tm_error *e);                            /* rules 2-4 */
int rules_check_sid_required(const tm_tdo *tdo, tm_error *e);       /* rule 5 */
int rules_check_not_self(const tm_domain *local, const tm_tdo *tdo,
			 tm_error *e);                              /* rule 8 */
int rules_check_forest_membership(const rules_ctx *ctx, const tm_tdo *tdo,
				  tm_error *e);                     /* rule 1 */
int rules_check_collision(const rules_ctx *ctx, const tm_tdo *tdo,
			  const tm_tdo *skip, tm_error *e);         /* rule 9 */

#endif
