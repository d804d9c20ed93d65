/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* world.h - read, through the ops table, the snapshot of the world that a
 * workflow plans against (workflow.h). */
#ifndef TM_WORLD_H
#define TM_WORLD_H

#include "model/workflow.h"
#include "backend/exec/snapshot.h"
#include "backend/ops.h"

/* Owns everything a wf_world points to. */
typedef struct world {
	wf_world w;
	tm_domain *domains;
	size_t ndomains;
	snapshot_part part[2];         /* what was read of local [0] and partner [1] */
	tm_health *list_health;        /* world_load_list only: by row of `rows` */
	long long *list_when;          /* world_load_list only: when each was recorded */
	tm_tdo_rows rows;              /* world_load_list only: local's TDOs as listed */
} world;

/* Load the world around `local` (must be a known domain) and `partner`
 * (a known domain, or any name when partner_may_be_unknown). partner may be
 * NULL (domain-only commands). The local side is read through snapshot_read
 * as far as its capabilities allow; a partner only when trustmgr manages it
 * in full (else it is known by its names, with its caps). Returns 0 or -1
 * with e naming the unknown domain and what to do. */
int world_load(tm_backend *be, const char *local, const char *partner,
	       int partner_may_be_unknown, world *out, tm_error *e);

/* world_load, where the plan may also give the partner the name `also`
 * (tdo add --flat; NULL: none). With a partner, each side is read only as
 * far as it concerns the trust between the two (snapshot_read_focus: the
 * TDOs, accounts and keys under the other's names, the name given, and
 * also), which is all a workflow about one trust looks at, rule 9's
 * collisions included; without one, in full. */
int world_load_named(tm_backend *be, const char *local, const char *partner,
		     int partner_may_be_unknown, const char *also, world *out, tm_error *e);

/* What a command about a forest trust's information needs (namespaces):
 * `local` read in full (every TDO: the other forest trusts matter to the
 * collisions), the partner (a known domain, or any name) known by its
 * names and caps only. Returns 0 or -1 with e; *out is freeable. */
int world_load_forest(tm_backend *be, const char *local, const char *partner, world *out,
		      tm_error *e);

/* The forest names a backend keeps in the domains' directories (ops.h
 * suffixes_get): the UPN and SPN suffixes of every domain of v of a's or
 * b's forest (either may be NULL) that trustmgr manages, read into v.
 * Returns 0 or -1 with e. */
int world_forest_names(tm_backend *be, tm_domain *v, size_t n, const tm_domain *a,
		       const tm_domain *b, tm_error *e);

/* What listing a domain needs, and only that: the known domains, `local`'s
 * TDOs as rows (out->rows: no secrets, no forest information; w.local.tdos
 * stays empty) and their last known health (out->list_health and
 * list_when, by row); no trust accounts or keys, so no KDC is asked.
 * Returns 0 or -1 with e. */
int world_load_list(tm_backend *be, const char *local, world *out, tm_error *e);

/* Free everything (secrets wiped). */
void world_free(world *wl);

/* A domain and every other known domain (forest recovery): owns everything
 * m points to. */
typedef struct world_all {
	wf_multi m;
	world home;                    /* the domain acted on, as home.w.local */
	world *each;                   /* per peer: its snapshot when it was read */
	wf_peer *peers;
	size_t npeers;
} world_all;

/* Load `local` (a known domain) in full and every other known domain, each
 * as far as its capabilities allow. A peer that cannot
 * be read (a server down) is kept with the reason in its `problem`; only a
 * failure to read `local` is an error. Returns 0 or -1 with e; *out is
 * freeable either way. */
int world_load_all(tm_backend *be, const char *local, world_all *out, tm_error *e);

/* Free everything world_load_all loaded (secrets wiped). */
void world_all_free(world_all *wa);

#endif
