/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* plan.h - plans: the ordered steps, per domain, that carry out an intent.
 *
 * Workflows (workflow.h) turn an intent into a plan; the ui previews it
 * (--dry-run), the backend executor (backend/exec.h) runs it, the journal
 * records it.  A plan never holds a secret value in its steps: secrets live
 * in numbered slots the executor fills (generated, typed by the operator, or
 * read back from where an earlier step wrote them when a plan is resumed).
 * Steps are written so that running one twice leaves the same result, which
 * is what makes resuming an interrupted plan safe.
 */
#ifndef TM_PLAN_H
#define TM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"
#include "model/trust.h"

#define PLAN_MAX_STEPS 64      /* forest recovery: every trust of a domain in one plan */
#define PLAN_MAX_SLOTS 4
#define PLAN_TEXT_MAX 1024

typedef enum step_kind {
	STEP_PROVE = 0,      /* prove slot against domain's trust principal; uses the one chance */
	STEP_TDO_PUT,        /* create or replace the TDO for partner */
	STEP_TDO_DELETE,     /* delete the TDO for partner */
	STEP_KEY_SET,        /* set principal's key from slot at kvno */
	STEP_KEY_DELETE,     /* delete principal */
	STEP_ACCOUNT_PUT,    /* create the interdomain trust account (one chance armed) */
	STEP_ACCOUNT_DELETE, /* delete the interdomain trust account */
	STEP_HEALTH,         /* record the last known health of the trust with partner */
	STEP_VERIFY,         /* check one direction: issuer encrypts, acceptor decrypts */
	STEP_KEY_CHANGE,     /* change principal from slot to slot_new as the principal itself (kpasswd) */
	STEP_KEY_PLAIN,      /* principal becomes a plain cross-realm principal: out of the
				one-chance policy, no pre-authentication required */
	STEP_SUFFIXES_SET    /* domain's UPN and SPN suffixes become upn and spn */
} step_kind;

/* Where a secret slot's value comes from. */
typedef enum slot_source {
	SLOT_UNUSED = 0,
	SLOT_GENERATED,      /* a new random secret (secret_generate) */
	SLOT_SUPPLIED        /* typed by the operator or read from --password-file */
} slot_source;

/* What a TDO_PUT does with one trustAuth attribute. */
typedef enum blob_action {
	BLOB_KEEP = 0,       /* leave as stored (or empty for a new TDO) */
	BLOB_CLEAR,          /* empty it (direction dropped, rule 11) */
	BLOB_FRESH,          /* current = previous = slot (new TDO) */
	BLOB_ROTATE,         /* previous = old current, current = slot; no-op if current kvno == kvno already */
	BLOB_RESET_TWICE     /* current = previous = slot (forest recovery) */
} blob_action;

typedef struct blob_change {
	blob_action action;
	int slot;            /* slot index for FRESH/ROTATE/RESET_TWICE */
	uint32_t kvno;       /* key version recorded in the VERSION entry */
} blob_change;

typedef struct plan_step {
	step_kind kind;
	char domain[DOMAIN_KEY_MAX];   /* the domain acted on (store key) */
	char partner[NAME_DNS_MAX];    /* TDO partner name / account partner */
	/* TDO_PUT: the non-secret fields (authblobs unused) and what to do with the secrets */
	tm_tdo tdo;
	blob_change in, out;
	/* KEY_SET / KEY_DELETE / PROVE / KEY_CHANGE. A kvno of 0 (here or in a
	 * blob_change) means "the key version the last KEY_CHANGE produced". */
	char principal[600];
	int slot;
	int slot_new;                  /* KEY_CHANGE: the new password */
	uint32_t kvno;
	uint32_t enctypes;
	int keep_previous;             /* KEY_SET: keep kvno-1 as the previous key */
	/* ACCOUNT_PUT / ACCOUNT_DELETE / PROVE */
	char account[NAME_NB_MAX + 2];
	/* HEALTH */
	tm_health health;
	/* SUFFIXES_SET: the whole new lists, comma-separated ("" none) */
	char upn[PLAN_TEXT_MAX / 2];
	char spn[PLAN_TEXT_MAX / 2];
	/* VERIFY: trusting and trusted domains (store keys) */
	char trusting[DOMAIN_KEY_MAX];
	char trusted[DOMAIN_KEY_MAX];
	int optional;                  /* VERIFY: a failure reports but does not stop the plan */
	char text[PLAN_TEXT_MAX];      /* one line for people: what this step does */
	char changes[PLAN_TEXT_MAX];   /* TDO_PUT: what the trust becomes, one setting a line
					* ("type: forest"; a change "direction: inbound -> two-way");
					* shown under text, never serialised */
} plan_step;

typedef struct plan_slot {
	slot_source source;
	char label[64];                /* "new trust secret", "initial password" */
	char *value;                   /* filled by the executor; never serialised */
} plan_slot_def;

typedef struct tm_plan {
	char op[32];                   /* "permit", "trust", "create", ... */
	char domain[DOMAIN_KEY_MAX];   /* domain named first on the command line */
	char partner[NAME_DNS_MAX];
	char summary[PLAN_TEXT_MAX];   /* one sentence: what the plan achieves */
	char success[PLAN_TEXT_MAX];   /* message shown when every step succeeded */
	size_t nsteps;
	plan_step steps[PLAN_MAX_STEPS];
	plan_slot_def slots[PLAN_MAX_SLOTS];
	/* A result that is already known when planning (e.g. trust before permit
	 * "could not be verified"): reported after the steps run. */
	tm_class outcome;
	const char *outcome_status;
	char outcome_what[TM_WHAT_MAX];
	char outcome_next[TM_NEXT_MAX];
} tm_plan;

/* Allocate an empty plan for op; NULL on ENOMEM. */
tm_plan *plan_new(const char *op, const char *domain, const char *partner);

/* Wipe slot values and free; sets *p to NULL. */
void plan_free(tm_plan **p);

/* Append a step of kind for domain; returns it (zeroed apart from kind and
 * domain) or NULL when the plan is full. text is printf-formatted. */
plan_step *plan_add(tm_plan *p, step_kind kind, const char *domain, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Declare slot i; returns i. */
int plan_slot(tm_plan *p, int i, slot_source src, const char *label);

/* 1 when the plan changes anything (any step other than VERIFY). */
int plan_mutates(const tm_plan *p);

/* 1 when a mutating step of the plan acts on domain. */
int plan_touches(const tm_plan *p, const char *domain);

/* Number of distinct domains the mutating steps touch. */
size_t plan_domain_count(const tm_plan *p);

/* The distinct domains the plan changes, in order, joined with sep and
 * last_sep before the last ("CORP, SALES and PARTNER"; "CORP,PARTNER").
 * A name that does not fit in buf is left out whole. */
void plan_domain_names(const tm_plan *p, const char *sep, const char *last_sep, char *buf,
		       size_t n);

/* domain's KDC derives keys and trust accounts from its TDOs (an AD DC,
 * caps.h keys_from_tdo): drop its key and trust-account steps, which its
 * TDO writes already do, and say so in the text of those writes. Returns
 * the number of steps dropped. */
size_t plan_fold_into_tdo(tm_plan *p, const char *domain);

/* plan_show.c: the order steps are listed in for people: the mutating
 * steps of each domain together (domains in the order the plan first acts
 * on them), then the checks. Fills order[] (room for p->nsteps) with step
 * indexes and returns how many; number the lines by position in it. */
size_t plan_show_order(const tm_plan *p, size_t *order);

/* The number step (an index into p->steps) is shown with, 1-based: its
 * position in plan_show_order, so progress names the line people saw. */
size_t plan_show_number(const tm_plan *p, size_t step);

/* The kind of trust as AD Domains and Trusts names it ("forest",
 * "external", "realm (MIT Kerberos)", ...). */
const char *plan_show_type(uint32_t type, uint32_t attributes);

/* What a TDO write makes of the trust, one setting a line: type, direction,
 * transitivity, SID filtering, authentication, encryption types,
 * trustAttributes and forest trust records. old NULL (a new TDO): every
 * setting; otherwise only the settings that change, as "old -> new" (""
 * when none does). */
void plan_show_tdo(const tm_tdo *old, const tm_tdo *t, char *buf, size_t n);

/* Token for a step kind ("prove", "tdo-put", ...). */
const char *plan_step_token(step_kind k);

/* Serialise the plan (no secret values) as text lines into a malloc'd string.
 * Returns 0 or -1 (ENOMEM). */
int plan_serialize(const tm_plan *p, char **out);

/* Parse what plan_serialize wrote. Returns a new plan, or NULL with e set. */
tm_plan *plan_parse(const char *text, tm_error *e);

#endif
