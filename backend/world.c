/* world.c - read the snapshot a workflow plans against, through the ops table. */
#include "world.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../model/secret.h"

static int world_unknown(const char *name, tm_error *e)
{
	tm_fail(e, TM_EUSAGE, ST_NO_SUCH_DOMAIN, "%s is not a domain trustmgr knows", name);
	tm_hint(e, "See the known domains with 'trustmgr domain list', or add it with 'trustmgr domain add'.");
	return -1;
}

static int world_side(tm_backend *be, world *wl, int i, const tm_domain *d, tm_error *e)
{
	wf_side *s = i == 0 ? &wl->w.local : &wl->w.partner;
	const tm_backend_ops *ops = be->ops;
	tm_health *h;
	size_t k;

	s->dom = d;
	s->writable = ops->writable(be, d);
	if (i == 1 && !s->writable)
		return 0;              /* only its names are known: nothing to read */
	if (ops->tdo_list(be, d, &wl->tdos[i], &wl->ntdos[i], e) < 0 ||
	    ops->account_list(be, d, &wl->accounts[i], &wl->naccounts[i], e) < 0 ||
	    ops->key_list(be, d, &wl->keys[i], &wl->nkeys[i], e) < 0)
		return -1;
	h = calloc(wl->ntdos[i] ? wl->ntdos[i] : 1, sizeof(*h));
	if (!h)
		return tm_fail(e, TM_EBACKEND, NULL, "out of memory");
	wl->health[i] = h;
	for (k = 0; k < wl->ntdos[i]; k++) {
		long long when;

		if (ops->health_get(be, d, wl->tdos[i][k].partner, &h[k], &when, e) < 0)
			return -1;
	}
	s->tdos = wl->tdos[i];
	s->ntdos = wl->ntdos[i];
	s->health = h;
	s->accounts = wl->accounts[i];
	s->naccounts = wl->naccounts[i];
	s->keys = wl->keys[i];
	s->nkeys = wl->nkeys[i];
	return 0;
}

int world_load(tm_backend *be, const char *local, const char *partner,
	       int partner_may_be_unknown, world *out, tm_error *e)
{
	const tm_domain *l, *p = NULL;

	memset(out, 0, sizeof(*out));
	out->w.now = (long long)time(NULL);
	if (be->ops->domain_list(be, &out->domains, &out->ndomains, e) < 0)
		return -1;
	out->w.domains = out->domains;
	out->w.ndomains = out->ndomains;
	l = backend_find_domain(out->domains, out->ndomains, local);
	if (!l)
		return world_unknown(local, e);
	if (partner) {
		p = backend_find_domain(out->domains, out->ndomains, partner);
		if (!p && !partner_may_be_unknown)
			return world_unknown(partner, e);
		out->w.partner_name = partner;
	}
	if (world_side(be, out, 0, l, e) < 0)
		return -1;
	return p ? world_side(be, out, 1, p, e) : 0;
}

void world_free(world *wl)
{
	int i;

	for (i = 0; i < 2; i++) {
		tdo_free_array(&wl->tdos[i], wl->ntdos[i]);
		free(wl->accounts[i]);
		free(wl->keys[i]);
		free(wl->health[i]);
	}
	free(wl->domains);
	memset(wl, 0, sizeof(*wl));
}
