/* world.h - read, through the ops table, the snapshot of the world that a
 * workflow plans against (workflow.h). */
#ifndef TM_WORLD_H
#define TM_WORLD_H

#include "../model/workflow.h"
#include "ops.h"

/* Owns everything a wf_world points to. */
typedef struct world {
	wf_world w;
	tm_domain *domains;
	size_t ndomains;
	tm_tdo *tdos[2];
	size_t ntdos[2];
	tm_account *accounts[2];
	size_t naccounts[2];
	tm_keyinfo *keys[2];
	size_t nkeys[2];
	tm_health *health[2];
} world;

/* Load the world around `local` (must be a known domain) and `partner`
 * (a known domain, or any name when partner_may_be_unknown). partner may be
 * NULL (domain-only commands). Returns 0 or -1 with e naming the unknown
 * domain and what to do. */
int world_load(tm_backend *be, const char *local, const char *partner,
	       int partner_may_be_unknown, world *out, tm_error *e);

/* Free everything (secrets wiped). */
void world_free(world *wl);

#endif
