/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* workflow.h - turn an administrator's intent into a plan (plan.h).
 *
 * Pure: the caller hands in a snapshot of the world (wf_world, read through
 * the backend) and gets back a plan or a refusal. Every rule of rules.h is
 * checked here, before anything is written. The domain named first on the
 * command line is `local`; the other is `partner`.
 *
 * Secret slots used by the plans:
 *   WF_SLOT_NEW_OUT  generated secret for "local trusts partner"
 *   WF_SLOT_NEW_IN   generated secret for "partner trusts local"
 *   WF_SLOT_TYPED    password typed by the operator (initial password,
 *                    passwordT of reset-one-side, create --sides local)
 */
#ifndef TM_WORKFLOW_H
#define TM_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "model/caps.h"
#include "model/namespace.h"
#include "model/plan.h"
#include "model/trust.h"

#define WF_SLOT_NEW_OUT 0
#define WF_SLOT_NEW_IN 1
#define WF_SLOT_TYPED 2

typedef struct wf_side {
	const tm_domain *dom;          /* NULL when not a known domain */
	int writable;                  /* trustmgr reads and changes this side in full
					  (caps_manage(&caps)) */
	tm_caps caps;                  /* what trustmgr can do with it, and why not */
	const tm_tdo *tdos;
	size_t ntdos;
	const tm_health *health;       /* last known health of each TDO (may be NULL) */
	const tm_account *accounts;
	size_t naccounts;
	const tm_keyinfo *keys;
	size_t nkeys;
} wf_side;

typedef struct wf_world {
	const tm_domain *domains;      /* every known domain (for forest rules) */
	size_t ndomains;
	wf_side local;
	wf_side partner;
	const char *partner_name;      /* as typed, when partner.dom is NULL */
	long long now;                 /* Unix seconds, for timestamps */
} wf_world;

/* Options of create / tdo add / tdo modify / remove. */
typedef struct wf_options {
	uint32_t direction;            /* create: default BIDIRECTIONAL; 0 = unset */
	uint32_t type;                 /* 0 = derive from the partner's kind */
	int sides_both;                /* create: 1 both sides (default), 0 local only */
	int forest_transitive;         /* -1 unset, 0 clear, 1 set */
	int non_transitive;            /* -1 unset, 0 clear, 1 set */
	int quarantine;                /* -1 default, 0 no, 1 yes */
	int selective_auth;            /* -1 unset, 0 clear, 1 set */
	int has_enctypes;
	uint32_t enctypes;
	int has_attributes;            /* tdo add/modify --attributes: replaces all */
	uint32_t attributes;
	int has_password;              /* a password will be supplied (WF_SLOT_TYPED) */
	/* tdo add / modify: the partner description */
	const char *partner_dns;
	const char *partner_flat;
	const char *partner_sid;
	int remove_sides_both;         /* remove --sides both */
	uint32_t remove_direction;     /* remove --direction: 0 = the whole TDO */
} wf_options;

/* Reset o to "nothing set". */
void workflow_options_init(wf_options *o);

/* permit TRUSTED TRUSTING: local is the trusted domain. */
int workflow_permit(const wf_world *w, tm_plan **out, tm_error *e);
/* trust TRUSTING TRUSTED: local is the trusting domain (NT one-chance rules). */
int workflow_trust(const wf_world *w, tm_plan **out, tm_error *e);
/* create DOMAIN PARTNER: both sides with generated secrets, or local only
 * with the typed password. */
int workflow_create(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
/* remove DOMAIN PARTNER [--sides both] [--direction D]. */
int workflow_remove(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
/* reset DOMAIN PARTNER: new secret on both sides, previous kept, then verify. */
int workflow_reset(const wf_world *w, tm_plan **out, tm_error *e);
/* rotate DOMAIN PARTNER: the routine change domain controllers make every 30
 * days: reset's plan (new secret on both sides, previous kept, verify) with
 * op "rotate" and its own wording (workflow_rotate.c). */
int workflow_rotate(const wf_world *w, tm_plan **out, tm_error *e);
/* reset-one-side DOMAIN PARTNER: current = previous = typed password. */
int workflow_reset_one_side(const wf_world *w, tm_plan **out, tm_error *e);
/* verify DOMAIN PARTNER: every direction of the local TDO. */
int workflow_verify(const wf_world *w, tm_plan **out, tm_error *e);
/* tdo add / modify / delete: the low-level local-side operations. */
int workflow_tdo_add(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int workflow_tdo_modify(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int workflow_tdo_delete(const wf_world *w, tm_plan **out, tm_error *e);

/* ---- namespaces (workflow_namespace.c) --------------------------------- */

/* The forest trust information of one forest trust, before and after a
 * change, and with whom each record collides (namespace.h). */
typedef struct wf_namespaces {
	char partner[NAME_DNS_MAX];    /* the TDO's trustPartner */
	fti_info before, after;
	namespace_conflict *before_conflicts;  /* one per record of before */
	namespace_conflict *after_conflicts;   /* one per record of after */
	int changes;                   /* the request changes the stored records: *out is
					  the plan (0: nothing to write, *out NULL) */
	/* what the collisions were judged against (owned) */
	namespace_other *others;
	fti_info *other_fi;
	size_t nothers;
} wf_namespaces;

/* namespaces DOMAIN PARTNER: w->local's forest TDO for the partner, its
 * records (rule 6's default when it holds none), r applied (namespace.h:
 * refresh from the partner forest's known domains and their suffixes, the
 * changes, the collisions with the local forest's names and its other
 * forest trusts). When r changes something, *out (may be NULL: no plan
 * wanted) is the plan writing the TDO with the new records (one TDO_PUT,
 * secrets kept); else *out is NULL. res is filled either way on success
 * (free with workflow_namespaces_free). Returns 0 or -1 with e: not a
 * forest trust (STATUS_INVALID_DOMAIN_STATE), a name not held, a record
 * enabled in conflict (STATUS_OBJECT_NAME_COLLISION). This is the entry
 * point a front end (the command line, the console) calls; a backend
 * writes the result through tdo_put (or, on an AD DC, LSA's forest trust
 * information call). */
int workflow_namespaces(const wf_world *w, const namespace_request *r, wf_namespaces *res,
			tm_plan **out, tm_error *e);
void workflow_namespaces_free(wf_namespaces *res);

/* namespaces DOMAIN --add-upn-suffix ...: the plan changing the UPN and SPN
 * suffixes w->local holds (r->add_upn, delete_upn, add_spn, delete_spn: one
 * SUFFIXES_SET step with the whole new lists). Refused: a name that is not a
 * DNS name, already there, or not there to delete; more than
 * DOMAIN_SUFFIX_MAX; a name one of w->local's forest trusts routes to its
 * partner (an enabled TLN equal to it or above it: rule 13 seen from this
 * side). *out is NULL when nothing changes. Returns 0 or -1 with e. */
int workflow_suffixes(const wf_world *w, const namespace_request *r, tm_plan **out,
		      tm_error *e);

/* The TDO of side s that describes domain d (or the name `name` when d is
 * NULL), or NULL. */
const tm_tdo *workflow_find_tdo(const wf_side *s, const tm_domain *d, const char *name);

/* A stand-in domain for a partner trustmgr does not know, built from what
 * its TDO says (enough to name the trust principals). */
void workflow_pseudo_domain(const tm_tdo *t, tm_domain *d);

/* The trust principal for "trusting trusts trusted" into buf. */
int workflow_principal(const tm_domain *trusting, const tm_domain *trusted, char *buf,
		 size_t n, tm_error *e);

/* ---- forest recovery and recreate (workflow_recover.c) ----------------- */

/* Another known domain around the one being recovered. */
typedef struct wf_peer {
	wf_side side;                  /* side.dom and side.writable always set; the
					  rest only when read is 1 */
	int read;                      /* its TDOs and keys were read (writable and reachable) */
	char problem[256];             /* writable but not read: why (a server down) */
} wf_peer;

/* A domain and every other known domain (recover, recover-partners). */
typedef struct wf_multi {
	const tm_domain *domains;      /* every known domain (for forest rules) */
	size_t ndomains;
	wf_side home;                  /* the domain recovered, read in full */
	const wf_peer *peers;          /* every other known domain */
	size_t npeers;
	long long now;
} wf_multi;

/* Where the partner of one trust of the recovered domain stands. */
typedef enum wf_partner_state {
	WF_PARTNER_MANAGED = 0,        /* trustmgr changes its side: recover-partners does it */
	WF_PARTNER_ELSEWHERE,          /* not a known domain, or no credentials for it here */
	WF_PARTNER_ONE_SIDED,          /* managed, but it holds no TDO for the domain: recreate */
	WF_PARTNER_UNREACHABLE         /* managed, but its servers did not answer */
} wf_partner_state;

#define WF_CHECK_MAX 32

/* One row of the recovery checklist: one trust of the recovered domain. */
typedef struct wf_check_item {
	char partner[NAME_DNS_MAX];    /* the recovered domain's TDO trustPartner */
	char label[DOMAIN_KEY_MAX];    /* the partner's store name, else its flat name */
	uint32_t direction;            /* as the recovered domain sees it */
	uint32_t type;
	wf_partner_state state;
	size_t first_step, nsteps;     /* this trust's steps in the plan (nsteps 0: none) */
} wf_check_item;

typedef struct wf_checklist {
	size_t n;
	wf_check_item items[WF_CHECK_MAX];
} wf_checklist;

/* recover DOMAIN (forest recovery): one plan resetting every trust of
 * m->home on home's side only, current = previous = the typed password
 * (WF_SLOT_TYPED), as reset-one-side does for one trust. cl (may be NULL)
 * gets the checklist: each trust, its partner's state and its steps. The
 * plan's success message names the partners that still need the password. */
int workflow_recover(const wf_multi *m, tm_plan **out, wf_checklist *cl, tm_error *e);

/* recover-partners DOMAIN [PARTNER]: the same password on the partner's side
 * of each trust of m->home whose partner trustmgr manages (only the partner
 * named `only` when not NULL), at home's key versions, each trust then
 * verified. Partners it cannot do are named in the success message. */
int workflow_recover_partners(const wf_multi *m, const char *only, tm_plan **out,
			wf_checklist *cl, tm_error *e);

#define WF_HANDOFF_MAX 6

/* One instruction for an administrator, in the order given. */
typedef struct wf_handoff_step {
	char who[DOMAIN_KEY_MAX];      /* the domain whose administrator runs it */
	char command[320];             /* the trustmgr command line */
	char why[320];                 /* what it does, in plain words */
	int optional;                  /* skip it when there is nothing to do */
} wf_handoff_step;

typedef struct wf_handoff {
	size_t n;
	wf_handoff_step steps[WF_HANDOFF_MAX];
} wf_handoff;

/* recreate DOMAIN PARTNER (KB Q102650): remove both ends of the trust
 * (whatever is left of each) and establish it again with the direction,
 * type and attributes of the surviving end. With both sides writable: one
 * plan with generated secrets, then verify. Otherwise: remove this end (and
 * permit the partner when this side is the trusted one of a direction); h
 * (may be NULL) gets what the partner's administrator must then do, in the
 * order that lets a wrong password be detected (the trusted side permits
 * first); h->n is 0 when nothing is left to others. */
int workflow_recreate(const wf_world *w, tm_plan **out, wf_handoff *h, tm_error *e);

#endif
