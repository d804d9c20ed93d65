/* backend.c - helpers shared by every backend behind the ops table. */
#include "backend/ops.h"
#include "model/domain.h"

/* backend_find_domain: the domain whose store key is name, else the first
 * one answering to it by DNS name, NetBIOS name, realm or SID text; NULL
 * when none does. */
const tm_domain *backend_find_domain(const tm_domain *v, size_t n, const char *name)
{
	size_t i;

	if (!v || !name || !name[0])
		return NULL;
	for (i = 0; i < n; i++)
		if (name_equal(v[i].name, name))
			return &v[i];
	for (i = 0; i < n; i++)
		if (domain_matches(&v[i], name))
			return &v[i];
	return NULL;
}

/* backend_writable: every capability a change needs. */
int backend_writable(tm_backend *be, const tm_domain *d)
{
	tm_caps c;

	be->ops->caps(be, d, &c);
	return caps_manage(&c);
}
