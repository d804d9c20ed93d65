/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* dialogs.h - the console's dialogs and the state they share (con_app).
 * One file per dialog: main.c (Trust Relationships), permit.c, add.c,
 * remove.c, props.c, wizard.c, domain.c, menu.c, onesided.c, actions.c
 * (verify, reset), op.c (progress and results), msg.c (message box,
 * confirmation), help.c, plan.c (preview, run, result of one plan),
 * health.c (Health view), recover.c (Forest Recovery walkthrough),
 * recreate.c, resume.c (an interrupted plan), password.c, suffixes.c (Name
 * Suffix Routing); app.c and picker.c hold what several of them use. */
#ifndef TM_CON_DLG_H
#define TM_CON_DLG_H

#include <stddef.h>
#include <stdint.h>

#include "ui/console/dialog.h"
#include "ui/console/service.h"

/* What every dialog of one console session shares. */
typedef struct con_app {
	svc *svc;
	tm_domain *domains;        /* every known domain (owned) */
	size_t ndomains;
	char current[DOMAIN_KEY_MAX]; /* the domain shown ("" when none) */
	int changed;               /* a plan ran: the lists must be read again */
	int committed;             /* a change was committed: Cancel reads Close */
} con_app;

/* ---- app.c ---- */

/* Read the known domains again (keeps current when it still exists, else
 * takes the first). Returns 0 or -1 with e. */
int con_app_load(con_app *a, tm_error *e);
/* The domain shown, or NULL. */
const tm_domain *con_app_current(const con_app *a);
/* The known domain answering to name (store key, DNS, NetBIOS, realm, SID). */
const tm_domain *con_app_find(const con_app *a, const char *name);
/* Free what the app owns (not the service). */
void con_app_free(con_app *a);
/* "corp.example", "NT 4", "realm LAB.EXAMPLE". */
void con_app_domain_where(const tm_domain *d, char *buf, size_t n);
/* "CORP (corp.example)", "LEGACY (NT 4)", "LAB (realm LAB.EXAMPLE)". */
void con_app_domain_label(const tm_domain *d, char *buf, size_t n);
/* "today", "yesterday", "3 days ago", "unknown" (never a clock time). */
const char *con_app_age(long long when, char *buf, size_t n);
/* The kind of trust (plan_show_type), short, for a list column: external, forest, in forest, realm,
 * downlevel. */
const char *con_app_type_short(uint32_t type, uint32_t attributes);
/* "transitive" or "non-transitive". */
const char *con_app_transitive_label(uint32_t type, uint32_t attributes);

/* ---- dialogs ---- */

/* Trust Relationships: runs until closed; returns when the console ends. */
void con_main_dialog(con_app *a);
/* Trusting Domains > Add...: Permit Domain to Trust. */
void con_permit_dialog(con_app *a);
/* Trusted Domains > Add...: Add Trusted Domain. */
void con_add_dialog(con_app *a);
/* Remove (confirmation, one side or both); direction is the list's. */
void con_remove_dialog(con_app *a, const svc_row *row, uint32_t direction);
/* Properties of a trust. */
void con_props_dialog(con_app *a, const svc_row *row);
/* Name Suffix Routing of the forest trust with partner (the TDO's
 * trustPartner; label: the partner for people): its records, Enable,
 * Disable, Edit exclusions, Refresh (suffixes.c). */
void con_suffixes_dialog(con_app *a, const char *partner, const char *label);
/* The New Trust wizard. */
void con_wizard_dialog(con_app *a);
/* Select Domain; returns 1 when another domain was chosen. */
int con_domain_dialog(con_app *a);
/* The F10 menu; returns the request chosen, or REQ_NONE. */
int con_menu_dialog(void);
/* Reset this side only: password twice, then the plan. partner is the
 * trust's key (trustPartner), label its name for people. Returns 1 when it
 * ran. */
int con_onesided_dialog(con_app *a, const char *partner, const char *label);

/* ---- actions.c: operations on one trust, with their results ---- */

/* Verify the trust with partner (named label for people) and show the
 * result. */
void con_actions_verify(con_app *a, const char *partner, const char *label);
/* Ask, then give the trust a new secret on both sides. Returns 1 when it ran. */
int con_actions_reset(con_app *a, const char *partner, const char *label);

/* ---- op.c: running a plan ---- */

/* Run p with a progress view ("Step i of n: ...") titled title; password
 * fills the typed slots (may be NULL). Returns con_service_run's outcome class
 * with e filled; marks the app changed. */
int con_op_run(con_app *a, const char *title, tm_plan *p, const char *password, tm_error *e);
/* The result as text: the message (success or what failed and what to do),
 * the step where it stopped, and the verification of each direction. */
void con_op_describe(con_app *a, const tm_plan *p, int rc, const tm_error *e, char *buf,
		     size_t n);
/* Finish the interrupted plan (con_service_resume) with a progress view titled
 * title; ask is called for a password the executor cannot read back. *out
 * gets the plan that ran (caller frees; NULL when none was pending).
 * Returns the outcome class with e filled; marks the app changed. */
int con_op_resume(con_app *a, const char *title, tm_plan **out, svc_ask_fn ask, void *ask_ctx,
		  tm_error *e);
/* con_op_run, then the result in a message box. commits: a success counts
 * as a committed change (Cancel reads Close). Returns the class. */
int con_op_run_and_show(con_app *a, const char *title, tm_plan *p, const char *password,
			int commits);
/* The plan's steps for people: grouped by domain, then the checks, then
 * the secrets it uses. */
void con_op_plan_describe(const tm_plan *p, char *buf, size_t n);
/* lead (a sentence), a blank line, then con_op_plan_describe(p): what a
 * dialog shows before its OK runs p. */
void con_op_plan_preview(const tm_plan *p, const char *lead, char *buf, size_t n);
/* Did a run that ended with rc write anything (so Cancel becomes Close)? */
int con_op_committed(const tm_plan *p, int rc, const tm_error *e);

/* ---- plan.c: one plan, previewed per domain, run, its result ---- */

typedef struct con_plan_view {
	const char *name;          /* what :save-model calls the dialog */
	const char *title;
	const char *intro;         /* what it is for, in a sentence or two (above the steps) */
	const char *after;         /* below the steps: why, what others must do (may be NULL) */
	const char *after_run;     /* what of `after` stays under the result (may be NULL) */
	const char *run_label;     /* the button that runs it: "&Recreate" */
	const char *help;          /* F1 for the dialog */
} con_plan_view;

/* Show p per domain (nothing written yet), with password fields when p
 * needs a typed password; the run button runs it with progress and the
 * result replaces the preview. p stays the caller's. Returns -1 when it
 * did not run (cancelled), else con_service_run's outcome class. */
int con_plan_dialog(con_app *a, const con_plan_view *v, tm_plan *p);
/* The label of the secret p asks the operator for, or NULL when none. */
const char *con_plan_typed_slot(const tm_plan *p);

/* ---- password.c ---- */

/* Ask for a password twice (never echoed). Returns 1 with buf filled (the
 * caller wipes it), 0 when cancelled. */
int con_password_dialog(const char *title, const char *intro, char *buf, size_t n);
/* Lay out a password-twice dialog 66 wide and height tall, centered in
 * cols x rows: intro (at most d->height - spare lines), password, confirm,
 * the message and the OK / Cancel row. */
void con_password_layout(con_dialog *d, int cols, int rows, int height, int spare,
			 con_widget *intro, con_widget *password, con_widget *confirm,
			 con_widget *ok, con_widget *cancel);

/* ---- the guided workflows ---- */

/* The Health view: every trust of every known domain, its state, cause,
 * evidence and fix; Fix previews and runs the fix, then checks again. */
void con_health_dialog(con_app *a);
/* The Forest Recovery walkthrough for domain (NULL: the current one); with
 * partners_only it starts at the partners' sides (the domain's own side was
 * reset already). */
void con_recover_dialog(con_app *a, const char *domain, int partners_only);
/* Recreate the trust between domain and partner (label: the partner for
 * people): remove both ends, establish again, the other administrator's
 * part when the partner is not managed here. Returns 1 when it ran. */
int con_recreate_dialog(con_app *a, const char *domain, const char *partner, const char *label);
/* An interrupted plan, if any: show it and offer Resume / Roll back /
 * Later. Returns 1 when it was finished or undone, 0 when there was none,
 * -1 when it is still pending (Later, or it failed again). */
int con_resume_offer(con_app *a);
/* Interrupted Plan... from the menu: con_resume_offer, or a note that
 * there is none. */
void con_resume_dialog(con_app *a);

/* ---- msg.c ---- */

/* A message box with OK. */
void con_msg_box(const char *title, con_role role, const char *text);
/* A question; returns 1 for yes. The yes button is the default. */
int con_msg_confirm(const char *title, const char *text, const char *yes, const char *no);

/* ---- help.c ---- */

/* F1: help on w (may be NULL) in dialog d, then every key. */
void con_help_show(con_dialog *d, con_widget *w);

/* ---- picker.c: a domain field with the list of known domains ---- */

typedef struct con_picker {
	con_app *app;
	con_widget *entry;         /* typed, or filled from the list */
	con_widget *list;          /* the known domains except the current one */
	con_widget_fn changed;     /* called after either changed (may be NULL) */
} con_picker;

/* Add the field and the list to d (names "domain" and "known"). */
int con_picker_add(con_picker *p, con_app *a, con_dialog *d, const char *label,
		   con_widget_fn changed);
/* The known domain the field names, or NULL. */
const tm_domain *con_picker_domain(const con_picker *p);
/* Place: the field on row y, the list below it in rows h. */
void con_picker_place(con_picker *p, int y, int x, int w, int label_w, int list_h);
/* Why the field is not a usable partner, or NULL when it is. */
const char *con_picker_problem(const con_picker *p, char *buf, size_t n);

#endif
