/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* health.h - diagnose every trust of every known domain (issue: health).
 *
 * Pure: the caller gathers, through the backend, each domain's TDOs, keys,
 * trust accounts, recorded health and the result of verifying each
 * direction, and gets back findings: what is wrong in plain words, the
 * evidence, and the fix offered (which runs through the ordinary plans).
 *
 * The flow (backend/diagnose.h does the gathering for the command line and
 * the console):
 *   1. fill a health_input with every known domain (health_domain);
 *   2. health_directions() says which directions to verify; verify each
 *      through the backend and put the results in health_input.checks;
 *   3. health_classify() returns the findings, one or more per trust and
 *      direction, the most fundamental first;
 *   4. health_fix_plan() turns a finding into the one plan that fixes it.
 */
#ifndef TM_HEALTH_H
#define TM_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "model/trust.h"
#include "model/verify.h"
#include "model/workflow.h"

/* Domain controllers change trust secrets every 30 days (docs/RULES.md,
 * "Secret rotation"). */
#define HEALTH_ROTATION_DAYS_DEFAULT 30
#define HEALTH_TEXT_MAX 512

typedef enum health_kind {
	HK_OK = 0,
	HK_ONE_SIDED,            /* a TDO on one side only */
	HK_DIRECTION_MISMATCH,   /* the ends disagree about direction */
	HK_TYPE_MISMATCH,        /* ... about the trust type */
	HK_ATTRIBUTE_MISMATCH,   /* ... about transitivity / forest / selective auth */
	HK_KVNO_MISMATCH,        /* key versions differ (one side reset) */
	HK_PASSWORD_MISMATCH,    /* same kvno, different secret */
	HK_MISSING_PRINCIPAL,    /* krbtgt/A@B missing in one KDC */
	HK_NO_COMMON_ENCTYPE,
	HK_UNREACHABLE,          /* a directory or KDC did not answer */
	HK_PENDING,              /* permitted but not established */
	HK_CHANCE_USED,          /* the one chance was used: must re-permit */
	HK_SECRET_OLD,           /* the secret is older than the rotation policy */
	HK_NT4_LMCOMPAT,         /* KB Q243655: NT 4.0 SP4-SP6 DC at LMCompatibilityLevel 4 */
	HK_NOT_CHECKED,          /* a check could not run: the finding says which and why */
	HK_PREAUTH,              /* a working cross-realm principal requires pre-authentication
				    (left armed by a permit): MIT advises against it */
	HK_CLIENT_PATH,          /* the keys work, the clients' krb5.conf lacks the path */
	HK_ORPHAN_ACCOUNT        /* an interdomain trust account no inbound TDO uses (its TDO
				    deleted over LDAP): creating the trust again fails with
				    STATUS_DOMAIN_EXISTS while it exists */,
	HK_ATTRIBUTE_INVALID     /* both ends agree on attributes the rules refuse (written
				    behind trustmgr's back, e.g. forest-transitive with a
				    partner that is not a forest root) */
} health_kind;

typedef enum health_fix {
	FIX_NONE = 0,
	FIX_RECREATE,            /* remove both ends, create again (KB Q102650) */
	FIX_RESET,               /* new secret on both sides */
	FIX_RESET_ONE_SIDE,      /* the other side to the same password */
	FIX_REMOVE_ORPHAN,       /* remove the end whose partner has none */
	FIX_ROTATE,              /* rotate the secret keeping the previous one */
	FIX_REPERMIT,            /* remove the permission and permit again */
	FIX_ALIGN,               /* tdo modify one end to match the other */
	FIX_MANUAL,              /* outside trustmgr (e.g. install the Netlogon update) */
	FIX_ESTABLISH,           /* finish a pending trust: the missing half with the initial password */
	FIX_TIDY,                /* take a principal out of the permit (policy, pre-authentication) */
	FIX_DELETE_ACCOUNT       /* delete a leftover interdomain trust account (no TDO is
				    removed: remove-orphan removes a TDO) */
} health_fix;

typedef struct health_finding {
	char domain[DOMAIN_KEY_MAX];   /* the domain the finding is about */
	char partner[NAME_DNS_MAX];    /* its TDO's partner name */
	char partner_domain[DOMAIN_KEY_MAX]; /* the partner's store name, "" if unknown */
	/* Which way, seen from domain: TRUST_DIRECTION_OUTBOUND "domain trusts
	 * partner", INBOUND "partner trusts domain", BIDIRECTIONAL the trust as a
	 * whole (both ends' descriptions), DISABLED the domain itself. */
	uint32_t direction;
	health_kind kind;
	health_fix fix;
	char cause[HEALTH_TEXT_MAX];   /* plain words: what is wrong and why */
	char evidence[HEALTH_TEXT_MAX]; /* what was seen (kvnos, verify outcome, dates...) */
	char fix_text[HEALTH_TEXT_MAX]; /* what the fix does, with the command that runs it */
	char fix_command[HEALTH_TEXT_MAX]; /* the one command that runs the fix; "" when
					    * trustmgr has none (FIX_NONE, FIX_MANUAL) */
	char account[NAME_NB_MAX + 2]; /* HK_ORPHAN_ACCOUNT: the account ("NB$"); it is held
					* by domain when direction is INBOUND (it served
					* "partner trusts domain"), by partner_domain when
					* OUTBOUND; "" for the other kinds */
	/* HK_ATTRIBUTE_MISMATCH: the attribute bits both ends get (those the
	 * ends must agree on; health_align.c chose them so that the rules allow
	 * them at both ends) and which ends change (HEALTH_END_* bits; 0 when
	 * no choice is allowed and the fix is FIX_MANUAL) */
	uint32_t align_attributes;
	int align_ends;
	long long secret_set;          /* when the trust secret was set (Unix seconds): for
					* HK_SECRET_OLD, and for the HK_UNREACHABLE finding of
					* a TDO whose partner trustmgr does not know (its
					* end's secret); 0 otherwise or when unknown */
} health_finding;

#define HEALTH_END_DOMAIN  1       /* the end of the finding's domain */
#define HEALTH_END_PARTNER 2       /* its partner's end */

/* One known domain as the caller read it through the backend. */
typedef struct health_domain {
	wf_side side;                  /* side.dom set; TDOs, recorded health (one per
					* TDO), accounts and keys as read */
	int readable;                  /* 1 when side holds what the backend has */
	char error[HEALTH_TEXT_MAX];   /* why it could not be read ("" when readable,
					* or when trustmgr only knows its names) */
} health_domain;

/* Everything health_classify looks at. */
typedef struct health_input {
	const health_domain *domains;  /* every known domain, any order */
	size_t ndomains;
	const verify_result *checks;   /* one per direction verified; trusting and
					* trusted are store names. A check that could
					* not run has outcome VERIFY_UNREACHABLE and
					* the reason in detail. */
	size_t nchecks;
	const char *only;              /* NULL, or the store name of the domain whose
					* trusts are wanted (it is then `domain` of
					* every finding) */
	const char *only_partner;      /* with only: just the trust with this partner
					* (a store name or a TDO's partner name) */
	long long now;                 /* Unix seconds */
	int rotation_days;             /* a secret this many days old or older is
					* flagged (0: every secret); < 0: no check */
} health_input;

/* A direction to verify: "trusting trusts trusted" (store names). */
typedef struct health_dir {
	char trusting[DOMAIN_KEY_MAX];
	char trusted[DOMAIN_KEY_MAX];
} health_dir;

/* Token for a kind: "ok", "one-sided", "direction-mismatch", ... */
const char *health_kind_token(health_kind k);
/* Token for a fix: "none", "recreate", "reset", ... */
const char *health_fix_token(health_fix f);

/* The directions between two known, readable domains that the trusts in
 * scope have at either end (in->checks is not used). *out is malloc'd
 * (NULL when *n is 0). Returns 0 or -1 with e (out of memory). */
int health_directions(const health_input *in, health_dir **out, size_t *n, tm_error *e);

/* Classify every trust in scope: per trust and direction one finding or
 * more, ordered so that the first non-ok finding of a trust is the one to
 * fix first. A trust that is well gets one HK_OK finding per direction.
 * *out is malloc'd (NULL when *n is 0). Returns 0 or -1 with e. */
int health_classify(const health_input *in, health_finding **out, size_t *n,
		    tm_error *e);

/* 1 when every finding is HK_OK (also when there are none). */
int health_all_ok(const health_finding *v, size_t n);

/* The first finding that is not HK_OK, or NULL. */
const health_finding *health_first_problem(const health_finding *v, size_t n);

/* The plan that carries out f's fix, planned against w: a snapshot around
 * f->domain and f->partner_domain as world_load reads it (either may be
 * local). Every fix is ONE plan (one journal entry, so an interruption is
 * resumed or rolled back as a whole); a fix made of several workflows is
 * chained: each workflow plans against the world as the earlier ones leave
 * it, and their steps are concatenated:
 *   recreate   workflow_recreate with f->domain local: remove both ends, establish
 *              again as f->domain's end describes the trust (the partner's
 *              end when f->domain has none); op "recreate"
 *   align      attributes: tdo modify of the partner's end to f->domain's
 *              attributes; encryption types: tdo modify of the end whose
 *              types the keys do not have, then reset; op "align"
 *   repermit   remove the used permission, permit again, and (when trustmgr
 *              manages the trusting side) trust with the same password;
 *              op "repermit"
 *   establish  (permit, when the trusted side never did, then) trust with
 *              the initial password; op "establish"
 *   reset / reset-one-side (on the side behind) / rotate / remove-orphan:
 *              that workflow alone, with its own op.
 *   delete-account  one account-delete step on the side holding f->account
 *              (partner_domain may be unknown: w->partner.dom NULL), refused
 *              when a TDO with the inbound direction uses the account by now;
 *              op "delete-account"
 * Passwords are slots the executor fills (WF_SLOT_TYPED for reset-one-side,
 * repermit and establish). Returns 0, or -1 with e (FIX_NONE and FIX_MANUAL
 * have no plan: TM_EFAIL, with the fix text as the next step). */
int health_fix_plan(const wf_world *w, const health_finding *f, tm_plan **out, tm_error *e);

/* One trust whose secret is due for rotation (health_due_list). */
typedef struct health_due {
	char domain[DOMAIN_KEY_MAX];   /* the end the findings name */
	char partner[NAME_DNS_MAX];    /* the partner's store name; its TDO's partner
					* name when trustmgr does not know it */
	int managed;                   /* the partner is a domain trustmgr knows */
	long long set_at;              /* when the secret was set (the oldest of the trust) */
	const health_finding *f;       /* its first secret-old finding (managed trusts;
					* points into the findings given), else NULL */
} health_due;

/* The trusts of findings v (health_classify over in) whose secret is due
 * under in->rotation_days, one per pair of domains however many findings
 * (directions, ends) name it, in the order of the findings: a trust with a
 * known partner whose only problems are secret-old findings (managed), and
 * one whose partner trustmgr does not know whose own end's secret is due
 * (not managed). A trust with any other problem is not listed but counted
 * in *other (an unknown partner alone is not such a problem). *out is
 * malloc'd (NULL when *nout is 0). Returns 0 or -1 with e (out of memory). */
int health_due_list(const health_input *in, const health_finding *v, size_t n,
		    health_due **out, size_t *nout, size_t *other, tm_error *e);

#endif
