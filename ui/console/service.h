/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* service.h - what the console's dialogs may ask of the world.
 *
 * The console (the files of ui/console) never touches the store or a server: it asks
 * this module for rows, properties and plans, and to run a plan. Each call
 * opens the store, takes the lock it needs (shared to read, exclusive to
 * change) and releases it before returning, so the command line can be used
 * on the same store while the console is open. No ncurses here.
 */
#ifndef TM_CON_SERVICE_H
#define TM_CON_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/ops.h"
#include "model/health.h"
#include "model/plan.h"
#include "model/trust.h"
#include "model/workflow.h"

typedef struct svc svc;

/* A session on the real domains of config (when not NULL), else on the
 * embedded store in store_dir. Returns NULL with e set. */
svc *con_service_new(const char *store_dir, const char *config, tm_error *e);

/* Record changes in path instead of the default audit log (--audit-log). */
void con_service_set_audit_log(svc *s, const char *path);
void con_service_free(svc **s);

/* A number that changes whenever another process changes what the lists
 * show (the backend's stamp op), read without the lock so that asking
 * often never gets in a command's way: 1 with *out, 0 when the backend has
 * no cheap way to tell (real domains) or it could not be read; then only
 * reading everything again tells. */
int con_service_stamp(svc *s, uint64_t *out);

/* Every known domain (caller frees *out). */
int con_service_domains(svc *s, tm_domain **out, size_t *n, tm_error *e);

/* One row of a Trust Relationships list. */
typedef struct svc_row {
	char partner[NAME_DNS_MAX];   /* trustPartner: the key for operations */
	char netbios[NAME_DNS_MAX];   /* flat name (or the realm for MIT) */
	char dns[NAME_DNS_MAX];       /* DNS name, "(NT 4)" for downlevel, realm for MIT */
	char domain[DOMAIN_KEY_MAX];  /* the known domain it names, "" when unknown */
	uint32_t direction, type, attributes;
	tm_health health;             /* last known state */
} svc_row;

/* Rows for every TDO of domain (a two-way trust is one row; the console
 * shows it in both lists). Caller frees *rows. */
int con_service_rows(svc *s, const char *domain, svc_row **rows, size_t *n, tm_error *e);

/* What a Properties dialog shows: the TDO without its secrets. */
typedef struct svc_secret_info {
	int unread;                   /* the domain does not let trustmgr read its secrets */
	int set;                      /* a current secret is stored */
	int has_previous;
	int previous_equals_current;
	uint32_t kvno, previous_kvno;
	long long changed;            /* Unix seconds, 0 unknown */
} svc_secret_info;

typedef struct svc_props {
	tm_tdo tdo;                   /* blobs emptied: no secret leaves the service */
	svc_secret_info incoming, outgoing;
	tm_health health;
	long long health_when;
	size_t ftinfo_records;        /* forest trust information records */
	char namespaces[512];         /* their names, comma separated */
	tm_keyinfo keys[4];           /* the local KDC's principals for this trust */
	size_t nkeys;
	char domain[DOMAIN_KEY_MAX];  /* the known partner domain, "" if unknown */
} svc_props;

int con_service_props_get(svc *s, const char *domain, const char *partner, svc_props *out, tm_error *e);
void con_service_props_free(svc_props *p);

/* The operations the dialogs offer. */
typedef enum svc_op {
	SVC_PERMIT,          /* domain = trusted, partner = trusting */
	SVC_TRUST,           /* domain = trusting, partner = trusted */
	SVC_CREATE,          /* New Trust wizard */
	SVC_REMOVE,
	SVC_RESET,
	SVC_RESET_ONE_SIDE,
	SVC_VERIFY,
	SVC_TDO_MODIFY       /* Properties OK */
} svc_op;

/* Plan op (no writing): for a preview, or to validate a form. o may be NULL
 * for the defaults. Returns 0 with *out, or -1 with e (a refusal carries the
 * NTSTATUS name and a sentence). */
int con_service_plan(svc *s, svc_op op, const char *domain, const char *partner,
	     const wf_options *o, tm_plan **out, tm_error *e);

/* Run a plan. password fills every slot the operator supplies (copied, the
 * caller wipes its own buffer); generated slots are generated. progress
 * (may be NULL) is called before each step. Returns the outcome class;
 * e->what holds the success message or what failed, e->next what to do. */
typedef void (*svc_progress_fn)(void *ctx, const tm_plan *p, size_t step);
int con_service_run(svc *s, tm_plan *p, const char *password, svc_progress_fn progress,
	    void *ctx, tm_error *e);

/* How many VERIFY results a run keeps (forest recovery verifies every
 * direction of every trust of a domain). */
#define SVC_MAX_VERIFY 32

/* Results of the VERIFY steps of the last con_service_run or con_service_resume (up to
 * SVC_MAX_VERIFY). */
size_t con_service_last_verify(const svc *s, verify_result *out, size_t max);

/* An interrupted plan waiting for resume or rollback: 1 (info filled), 0 none, -1 error. */
int con_service_pending(svc *s, journal_info *info, tm_error *e);

/* ---- name suffix routing (the Name Suffix Routing page) ------------------- */

/* The forest trust information domain holds for partner, and r applied to
 * it: workflow_namespaces, the command line's `namespaces DOMAIN PARTNER`.
 * res gets the records before and after and with whom each collides (free
 * it with workflow_namespaces_free; its `others` are left empty: they
 * pointed into the world read here); *out (may be NULL: none wanted) the
 * plan when r changes what is stored, else NULL. Returns 0 or -1 with e (not
 * a forest trust, a name not held, a record enabled in conflict). */
int con_service_suffixes(svc *s, const char *domain, const char *partner,
			 const namespace_request *r, wf_namespaces *res, tm_plan **out,
			 tm_error *e);

/* ---- health (the Health view) -------------------------------------------- */

/* What the diagnosis found. */
typedef struct svc_health_report {
	health_finding *v;            /* every finding, the most fundamental of a trust first */
	size_t n;
	int rotation_days;            /* the policy the secrets were measured against */
	int partial;                  /* a domain could not be read or a direction checked */
	tm_error failure;             /* ...the first such failure (cls TM_OK when none) */
} svc_health_report;

/* Diagnose every trust of every known domain (domain NULL) or of domain:
 * read each domain, verify each direction (nothing is written), classify.
 * Returns 0 with *out filled (free it with con_service_health_free), or -1 with e
 * when nothing useful can be said. */
int con_service_health(svc *s, const char *domain, svc_health_report *out, tm_error *e);
void con_service_health_free(svc_health_report *r);

/* The one plan that carries out f's fix, against the world as it is now.
 * Returns 0, or -1 with e (a fix outside trustmgr has no plan). */
int con_service_fix_plan(svc *s, const health_finding *f, tm_plan **out, tm_error *e);

/* ---- forest recovery and recreate ------------------------------------------- */

/* recover DOMAIN: every trust of domain reset on its side only to the typed
 * password; cl (may be NULL) gets the checklist of its trusts. */
int con_service_recover_plan(svc *s, const char *domain, tm_plan **out, wf_checklist *cl, tm_error *e);
/* recover-partners DOMAIN [ONLY]: the same password on the sides of the
 * partners trustmgr manages (only the partner `only` when not NULL), each
 * trust then verified; cl (may be NULL) gets the checklist. */
int con_service_recover_partners_plan(svc *s, const char *domain, const char *only, tm_plan **out,
			      wf_checklist *cl, tm_error *e);
/* recreate DOMAIN PARTNER (KB Q102650): remove both ends, establish again;
 * h (may be NULL) gets what the partner's administrator must do, in order. */
int con_service_recreate_plan(svc *s, const char *domain, const char *partner, tm_plan **out,
		      wf_handoff *h, tm_error *e);

/* ---- an interrupted plan ------------------------------------------------------ */

/* The interrupted plan itself (no secrets in it): 1 with *out (caller frees)
 * and info, 0 none, -1 error. */
int con_service_pending_plan(svc *s, tm_plan **out, journal_info *info, tm_error *e);

/* Ask the operator for the secret called label (a plan slot) into buf.
 * Returns 0, or -1 when the operator declined. */
typedef int (*svc_ask_fn)(void *ctx, const tm_plan *p, const char *label, char *buf, size_t n);

/* Finish the interrupted plan: the steps not yet done, through the
 * executor, which reads secrets back from where earlier steps wrote them
 * and calls ask only for one it cannot. *out gets the plan that ran (caller
 * frees; NULL when nothing was pending). Returns the outcome class, e filled
 * as for con_service_run. */
int con_service_resume(svc *s, tm_plan **out, svc_ask_fn ask, void *ask_ctx, svc_progress_fn progress,
	       void *ctx, tm_error *e);

/* Undo the interrupted plan: every domain it touched back as it was before
 * it started. *out gets the plan undone (caller frees; NULL when nothing
 * was pending). Returns 0 or -1 with e. */
int con_service_rollback(svc *s, tm_plan **out, tm_error *e);

#endif
