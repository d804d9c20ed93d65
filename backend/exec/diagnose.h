/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* diagnose.h - gather, through the ops table, everything health_classify
 * (model/health.h) looks at: every known domain's TDOs, keys, trust
 * accounts and recorded health, and the result of verifying each direction
 * of the trusts in scope. Used by `trustmgr health` and `repair`, and by
 * the console's Health view. */
#ifndef TM_DIAGNOSE_H
#define TM_DIAGNOSE_H

#include "model/health.h"
#include "backend/exec/snapshot.h"
#include "backend/ops.h"
#include "backend/backend.h"


/* Owns everything `in` points to. */
typedef struct diag_snapshot {
	health_input in;               /* ready for health_classify */
	tm_domain *domains;
	size_t ndomains;
	health_domain *hdoms;          /* one per domain, pointing into `owned` */
	snapshot_part *owned;          /* one per domain: what was read */
	verify_result *checks;
	size_t nchecks;
	char only[DOMAIN_KEY_MAX];     /* in.only points here when set */
	char only_partner[NAME_DNS_MAX];
	int backend_failed;            /* a domain could not be read, or a check not made */
	tm_error failure;              /* the first such failure (cls TM_OK when none) */
} diag_snapshot;

/* Read every known domain and verify each direction of the trusts in
 * scope: every trust (only NULL), those of `only` (any name of a known
 * domain), or the one between `only` and `only_partner`. A domain that
 * cannot be read, or a direction that cannot be checked, does not stop the
 * gathering: it is kept (health_domain.error, or a check with outcome
 * VERIFY_UNREACHABLE) and noted in backend_failed. Returns 0, or -1 with e
 * when nothing useful can be said (the domain list cannot be read, `only`
 * is not a known domain, out of memory); *out is freeable either way. */
int diagnose_gather(tm_backend *be, const char *only, const char *only_partner, long long now,
		int rotation_days, diag_snapshot *out, tm_error *e);

/* Free everything (secrets wiped). */
void diagnose_free(diag_snapshot *s);

/* The rotation policy in days: [trustmgr] rotation_days of the
 * configuration when the run uses real domains, else the default (30).
 * Returns 0 or -1 with e (the configuration cannot be read). */
int diagnose_rotation_days(const backend_choice *c, int *days, tm_error *e);

#endif
