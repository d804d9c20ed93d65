/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* backend.c - helpers shared by every backend behind the ops table. */
#include "backend/ops.h"
#include "model/domain.h"
#include "model/name.h"
#include "model/sid.h"

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

/* Add name to f when set and not there yet. */
static void backend_focus_add(tm_focus *f, const char *name)
{
	if (name && name[0] && f->n < TM_FOCUS_MAX && !backend_focus_has(f, name))
		f->names[f->n++] = name;
}

/* backend_focus: every name p goes by, then name and also. */
void backend_focus(tm_focus *f, const tm_domain *p, const char *name, const char *also,
		   char *sid)
{
	f->n = 0;
	sid[0] = '\0';
	if (p) {
		backend_focus_add(f, p->dns);
		backend_focus_add(f, p->netbios);
		backend_focus_add(f, p->realm);
		if (p->has_sid)
			backend_focus_add(f, sid_format(&p->sid, sid, SID_TEXT_MAX));
	}
	backend_focus_add(f, name);
	backend_focus_add(f, also);
}

/* backend_focus_has: name_equal with one of f's names. */
int backend_focus_has(const tm_focus *f, const char *name)
{
	size_t i;

	for (i = 0; f && i < f->n; i++)
		if (name_equal(f->names[i], name))
			return 1;
	return 0;
}

int backend_tdo_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			   tm_tdo **out, size_t *n, tm_error *e)
{
	if (f && be->ops->tdo_list_focus)
		return be->ops->tdo_list_focus(be, d, f, out, n, e);
	return be->ops->tdo_list(be, d, out, n, e);
}

int backend_account_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			       tm_account **out, size_t *n, tm_error *e)
{
	if (f && be->ops->account_list_focus)
		return be->ops->account_list_focus(be, d, f, out, n, e);
	return be->ops->account_list(be, d, out, n, e);
}

int backend_key_list_focus(tm_backend *be, const tm_domain *d, const tm_focus *f,
			   tm_keyinfo **out, size_t *n, tm_error *e)
{
	if (f && be->ops->key_list_focus)
		return be->ops->key_list_focus(be, d, f, out, n, e);
	return be->ops->key_list(be, d, out, n, e);
}
