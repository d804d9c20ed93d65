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

#include "plan.h"
#include "trust.h"

#define WF_SLOT_NEW_OUT 0
#define WF_SLOT_NEW_IN 1
#define WF_SLOT_TYPED 2

typedef struct wf_side {
	const tm_domain *dom;          /* NULL when not a known domain */
	int writable;                  /* trustmgr may read and change this side */
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
void wf_options_init(wf_options *o);

/* permit TRUSTED TRUSTING: local is the trusted domain. */
int wf_permit(const wf_world *w, tm_plan **out, tm_error *e);
/* trust TRUSTING TRUSTED: local is the trusting domain (NT one-chance rules). */
int wf_trust(const wf_world *w, tm_plan **out, tm_error *e);
/* create DOMAIN PARTNER: both sides with generated secrets, or local only
 * with the typed password. */
int wf_create(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
/* remove DOMAIN PARTNER [--sides both] [--direction D]. */
int wf_remove(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
/* reset DOMAIN PARTNER: new secret on both sides, previous kept, then verify. */
int wf_reset(const wf_world *w, tm_plan **out, tm_error *e);
/* reset-one-side DOMAIN PARTNER: current = previous = typed password. */
int wf_reset_one_side(const wf_world *w, tm_plan **out, tm_error *e);
/* verify DOMAIN PARTNER: every direction of the local TDO. */
int wf_verify(const wf_world *w, tm_plan **out, tm_error *e);
/* tdo add / modify / delete: the low-level local-side operations. */
int wf_tdo_add(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int wf_tdo_modify(const wf_world *w, const wf_options *o, tm_plan **out, tm_error *e);
int wf_tdo_delete(const wf_world *w, tm_plan **out, tm_error *e);

/* The TDO of side s that describes domain d (or the name `name` when d is
 * NULL), or NULL. */
const tm_tdo *wf_find_tdo(const wf_side *s, const tm_domain *d, const char *name);

/* A stand-in domain for a partner trustmgr does not know, built from what
 * its TDO says (enough to name the trust principals). */
void wf_pseudo_domain(const tm_tdo *t, tm_domain *d);

/* The trust principal for "trusting trusts trusted" into buf. */
int wf_principal(const tm_domain *trusting, const tm_domain *trusted, char *buf,
		 size_t n, tm_error *e);

#endif
