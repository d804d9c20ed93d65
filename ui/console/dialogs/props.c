/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* props.c - Properties of a trust (AD Domains and Trusts style):
 * partner names and SID, type, state, direction, transitivity, SID
 * filtering, selective authentication, forest-transitive, encryption types,
 * namespaces (Name Suffix Routing... for a forest trust), secrets' age and
 * key version. Each edit is checked by the
 * model (con_service_plan of the change); OK is disabled while the model refuses;
 * a refused commit keeps the dialog and its input. Never a secret. */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"
#include "ui/console/text.h"
#include "model/tdo.h"

static const uint32_t directions[] = {
	TRUST_DIRECTION_INBOUND, TRUST_DIRECTION_OUTBOUND, TRUST_DIRECTION_BIDIRECTIONAL,
};
static const char *const direction_names[] = { "Incoming", "Outgoing", "Two-way" };

#define ENC_AES ENCTYPE_BITS_AES
#define ENC_RC4 ENCTYPE_BIT_RC4
static const uint32_t enc_bits[] = { ENC_AES, ENC_RC4, ENC_AES | ENC_RC4 };
static const char *const enc_names[] = { "AES", "RC4", "AES+RC4", "other" };

typedef struct props_state {
	con_app *a;
	svc_row row;
	svc_props p;
	con_widget *partner, *sid, *type, *direction, *non_transitive, *quarantine, *selective;
	con_widget *forest, *enctypes, *namespaces, *secrets, *secrets_in;
	con_widget *ok, *verify, *reset, *onesided, *recreate, *suffixes, *cancel;
	con_widget *last;          /* the field edited last: a refusal is its fault */
	int changes;               /* how many fields differ from the trust */
	tm_error refusal;
	int refused;
} props_state;

/* ---- the trust as it is ------------------------------------------------- */

static int enc_index(const tm_tdo *t)
{
	size_t i;

	for (i = 0; t->has_enctypes && i < CON_ARRAY_LEN(enc_bits); i++)
		if (t->enctypes == enc_bits[i])
			return (int)i;
	return 3;
}

static int dir_index(uint32_t dir)
{
	size_t i;

	for (i = 0; i < CON_ARRAY_LEN(directions); i++)
		if (directions[i] == dir)
			return (int)i;
	return 2;
}

/* Does the trust as stored carry forest trust information (Name Suffix
 * Routing)? The form's Forest-transitive box counts only once written. */
static int forest_trust(const tm_tdo *t)
{
	return t->type != TRUST_TYPE_MIT && (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE);
}

/* "outgoing: key version 2, changed today" (or that none is stored). */
static void secret_text(const char *which, const svc_secret_info *si, char *buf, size_t n)
{
	char age[CON_NAME_MAX];

	if (si->unread)
		snprintf(buf, n, "%s: not read (this domain's DC does not hand trust secrets out)",
			 which);
	else if (!si->set)
		snprintf(buf, n, "%s: no secret stored", which);
	else
		snprintf(buf, n, "%s key version %u, changed %s%s", which, si->kvno,
			 con_app_age(si->changed, age, sizeof(age)),
			 si->has_previous && !si->previous_equals_current ? " (previous kept)" : "");
}

/* The lines that only show: names, SID, type, state, namespaces, secrets. */
static void show_info(props_state *s)
{
	const tm_tdo *t = &s->p.tdo;
	char buf[CON_LINE_MAX], sid[SID_TEXT_MAX], age[CON_NAME_MAX];

	snprintf(buf, sizeof(buf), "Partner:     %s%s%s%s", t->partner, t->flat[0] ? " (" : "",
		 t->flat, t->flat[0] ? ")" : "");
	con_label_set(s->partner, buf, ROLE_DIALOG);
	snprintf(buf, sizeof(buf), "SID:         %s", t->has_sid ? sid_format(&t->sid, sid,
		 sizeof(sid)) : "(none)");
	con_label_set(s->sid, buf, ROLE_DIALOG);
	snprintf(buf, sizeof(buf), "Type:        %s; state: %s%s%s%s", plan_show_type(t->type,
		 t->attributes), trust_health_name(s->p.health), s->p.health_when ? " (" : "",
		 s->p.health_when ? con_app_age(s->p.health_when, age, sizeof(age)) : "",
		 s->p.health_when ? ")" : "");
	con_label_set(s->type, buf, ROLE_DIALOG);
	if (!forest_trust(t))
		snprintf(buf, sizeof(buf), "Namespaces:  none: name suffix routing is for forest "
			 "trusts");
	else
		snprintf(buf, sizeof(buf), "Namespaces:  %s", s->p.ftinfo_records ? s->p.namespaces
			 : "(no forest trust information)");
	con_label_set(s->namespaces, buf, ROLE_DIALOG);
	con_widget_show(s->suffixes, forest_trust(t));
	secret_text("outgoing", &s->p.outgoing, buf, sizeof(buf));
	{
		char line[CON_LINE_MAX + sizeof("Password:    ")];

		snprintf(line, sizeof(line), "Password:    %s", buf);
		con_label_set(s->secrets, line, ROLE_DIALOG);
		secret_text("incoming", &s->p.incoming, buf, sizeof(buf));
		snprintf(line, sizeof(line), "             %s", buf);
		con_label_set(s->secrets_in, line, ROLE_DIALOG);
	}
}

/* The editable fields from the trust. */
static void show_form(props_state *s)
{
	const tm_tdo *t = &s->p.tdo;
	char other[CON_LABEL_MAX];
	int e = enc_index(t), krb = t->type == TRUST_TYPE_MIT;

	con_choice_set(s->direction, dir_index(t->direction));
	con_check_set(s->non_transitive, (t->attributes & TRUST_ATTR_NON_TRANSITIVE) != 0);
	con_check_set(s->quarantine, (t->attributes & TRUST_ATTR_QUARANTINED_DOMAIN) != 0);
	con_check_set(s->selective, (t->attributes & TRUST_ATTR_CROSS_ORGANIZATION) != 0);
	con_check_set(s->forest, (t->attributes & TRUST_ATTR_FOREST_TRANSITIVE) != 0);
	/* A Kerberos realm has no SIDs to filter, no forest and no selective
	 * authentication: those fields do not apply to an MIT trust. */
	con_widget_show(s->sid, !krb);
	con_widget_show(s->quarantine, !krb);
	con_widget_show(s->selective, !krb);
	con_widget_show(s->forest, !krb);
	if (e == 3) {
		trust_format_enctypes(t->has_enctypes ? t->enctypes : 0, other, sizeof(other));
		con_choice_set_option(s->enctypes, 3, other);
	}
	con_choice_set_count(s->enctypes, e == 3 ? 4 : 3);
	con_choice_set(s->enctypes, e);
}

/* Read the trust again (after Verify or a reset). Returns 0 or -1 with e. */
static int load(props_state *s, tm_error *e)
{
	svc_props fresh;

	memset(&fresh, 0, sizeof(fresh));
	tdo_init(&fresh.tdo);
	if (con_service_props_get(s->a->svc, s->a->current, s->row.partner, &fresh, e) < 0) {
		con_service_props_free(&fresh);
		return -1;
	}
	con_service_props_free(&s->p);
	s->p = fresh;
	show_info(s);
	return 0;
}

/* ---- the change -------------------------------------------------------------- */

static int flag_change(const con_widget *w, uint32_t attrs, uint32_t bit, int *out, int *n)
{
	int v = con_check_get(w), was = (attrs & bit) != 0;

	*out = v != was ? v : -1;
	*n += v != was;
	return 0;
}

/* wf_options holding what the form changes; s->changes counts them. */
static void form_options(props_state *s, wf_options *o)
{
	const tm_tdo *t = &s->p.tdo;
	uint32_t dir = directions[con_choice_get(s->direction)];
	int e = con_choice_get(s->enctypes);

	workflow_options_init(o);
	s->changes = 0;
	if (dir != t->direction) {
		o->direction = dir;
		s->changes++;
	}
	flag_change(s->non_transitive, t->attributes, TRUST_ATTR_NON_TRANSITIVE,
		    &o->non_transitive, &s->changes);
	flag_change(s->quarantine, t->attributes, TRUST_ATTR_QUARANTINED_DOMAIN, &o->quarantine,
		    &s->changes);
	flag_change(s->selective, t->attributes, TRUST_ATTR_CROSS_ORGANIZATION,
		    &o->selective_auth, &s->changes);
	flag_change(s->forest, t->attributes, TRUST_ATTR_FOREST_TRANSITIVE, &o->forest_transitive,
		    &s->changes);
	if (e < 3 && e != enc_index(t)) {
		o->has_enctypes = 1;
		o->enctypes = enc_bits[e];
		s->changes++;
	}
}

static void clear_invalid(props_state *s)
{
	con_widget *f[] = { s->direction, s->non_transitive, s->quarantine, s->selective,
			    s->forest, s->enctypes };
	size_t i;

	for (i = 0; i < CON_ARRAY_LEN(f); i++)
		con_widget_invalid(f[i], NULL);
}

/* Ask the model about the form as it is now. */
static void validate(con_dialog *d)
{
	props_state *s = d->ctx;
	static char text[CON_TEXT_MAX];
	char lead[CON_MSG_MAX];
	tm_plan *p = NULL;
	wf_options o;

	form_options(s, &o);
	clear_invalid(s);
	s->refused = 0;
	if (s->changes == 0) {
		con_dialog_set_plan(d, NULL);
		con_widget_enable(s->ok, 1);
		con_dialog_message(d, ROLE_HINT, "No changes.");
		return;
	}
	error_clear(&s->refusal);
	if (con_service_plan(s->a->svc, SVC_TDO_MODIFY, s->a->current, s->row.partner, &o, &p,
		     &s->refusal) < 0) {
		s->refused = 1;
		con_dialog_format_error(&s->refusal, text, sizeof(text));
		con_widget_invalid(s->last ? s->last : s->direction, text);
		con_dialog_set_plan(d, NULL);
		con_widget_enable(s->ok, 0);
		con_dialog_message(d, ROLE_ERROR, "%s", text);
		return;
	}
	con_dialog_set_plan(d, p);
	con_widget_enable(s->ok, 1);
	snprintf(lead, sizeof(lead), "%d change%s; nothing has been written yet. OK writes exactly "
		 "this:", s->changes, s->changes == 1 ? "" : "s");
	con_op_plan_preview(p, lead, text, sizeof(text));
	con_dialog_message(d, ROLE_HINT, "%s", text);
}

static void edited(con_widget *w)
{
	props_state *s = w->dlg->ctx;

	s->last = w;
	validate(w->dlg);
}

static int props_submit(con_dialog *d)
{
	props_state *s = d->ctx;
	char title[NAME_DNS_MAX + 32];
	static char text[CON_TEXT_MAX];
	tm_plan *p = NULL;
	tm_error e;
	wf_options o;
	int rc;

	validate(d);
	if (s->refused)
		return 0;
	form_options(s, &o);
	if (s->changes == 0)
		return 1;
	error_clear(&e);
	if (con_service_plan(s->a->svc, SVC_TDO_MODIFY, s->a->current, s->row.partner, &o, &p, &e) < 0) {
		s->refusal = e;
		con_dialog_error(d, &e);
		con_widget_enable(s->ok, 0);
		return 0;
	}
	snprintf(title, sizeof(title), "Properties: %s", s->row.netbios);
	rc = con_op_run(s->a, title, p, NULL, &e);
	con_op_describe(s->a, p, rc, &e, text, sizeof(text));
	if (con_op_committed(p, rc, &e)) {
		s->a->committed = 1;
		con_dialog_set_committed(d);
	}
	plan_free(&p);
	if (rc != TM_OK) {
		con_dialog_message(d, ROLE_ERROR, "%s", text);
		return 0;
	}
	con_msg_box(title, ROLE_GOOD, text);
	return 1;
}

/* ---- the buttons ---------------------------------------------------------------- */

/* Cancel (Close, Esc): pending edits are thrown away only after a yes. */
static void cancel_pressed(con_widget *w)
{
	props_state *s = w->dlg->ctx;
	char text[CON_MSG_MAX + NAME_DNS_MAX];

	if (s->changes > 0) {
		snprintf(text, sizeof(text), "Discard the %d change%s made to the trust with %s? "
			 "%s been written yet.", s->changes, s->changes == 1 ? "" : "s",
			 s->row.netbios, s->changes == 1 ? "It has not" : "None of them has");
		if (!con_msg_confirm("Discard changes", text, "&Discard", "&Keep editing"))
			return;
	}
	con_dialog_close(w->dlg, CON_DLG_CANCEL);
}

static void reload_info(con_dialog *d)
{
	props_state *s = d->ctx;
	tm_error e;

	error_clear(&e);
	if (load(s, &e) < 0)
		con_dialog_error(d, &e);
	if (s->a->committed)
		con_dialog_set_committed(d);
}

static void verify_pressed(con_widget *w)
{
	props_state *s = w->dlg->ctx;

	con_actions_verify(s->a, s->row.partner, s->row.netbios);
	reload_info(w->dlg);
}

static void reset_pressed(con_widget *w)
{
	props_state *s = w->dlg->ctx;

	con_actions_reset(s->a, s->row.partner, s->row.netbios);
	reload_info(w->dlg);
}

static void onesided_pressed(con_widget *w)
{
	props_state *s = w->dlg->ctx;

	con_onesided_dialog(s->a, s->row.partner, s->row.netbios);
	reload_info(w->dlg);
}

/* Name Suffix Routing writes the forest trust information of this TDO:
 * read it again, and the form is checked against what is stored now. */
static void suffixes_pressed(con_widget *w)
{
	props_state *s = w->dlg->ctx;

	con_suffixes_dialog(s->a, s->row.partner, s->row.netbios);
	reload_info(w->dlg);
	validate(w->dlg);
}

/* Recreate removes this TDO and writes a new one: show what is there now,
 * or, when the trust is gone, say so and close. */
static void recreate_pressed(con_widget *w)
{
	props_state *s = w->dlg->ctx;
	tm_error e;

	if (!con_recreate_dialog(s->a, s->a->current, s->row.domain[0] ? s->row.domain :
				 s->row.partner, s->row.netbios))
		return;
	error_clear(&e);
	if (load(s, &e) < 0) {
		con_dialog_close(w->dlg, CON_DLG_CANCEL);
		return;
	}
	show_form(s);
	validate(w->dlg);
	con_dialog_set_committed(w->dlg);
}

/* ---- layout ------------------------------------------------------------------------ */

static void props_layout(con_dialog *d, int cols, int rows)
{
	props_state *s = d->ctx;
	con_widget *buttons[7] = { s->ok, s->verify, s->reset, s->onesided, s->recreate,
				   s->suffixes, s->cancel };
	size_t nb = s->suffixes->visible ? 7 : 6;
	int W, half, y, msg_h, brows;

	con_dialog_center(d, 74, 22, cols, rows);
	W = d->width - 4;
	half = 24;
	con_widget_place(s->partner, 1, 2, 1, W);
	con_widget_place(s->sid, 2, 2, 1, W);
	con_widget_place(s->type, 3, 2, 1, W);
	con_widget_place(s->direction, 4, 2, 1, W);
	s->direction->label_w = s->enctypes->label_w = 13;
	con_widget_place(s->non_transitive, 5, 2, 1, half - 1);
	con_widget_place(s->quarantine, 5, 2 + half, 1, W - half);
	con_widget_place(s->forest, 6, 2, 1, half - 1);
	con_widget_place(s->selective, 6, 2 + half, 1, W - half);
	con_widget_place(s->enctypes, 7, 2, 1, W);
	con_widget_place(s->namespaces, 8, 2, 1, W);
	con_widget_place(s->secrets, 9, 2, 1, W);
	con_widget_place(s->secrets_in, 10, 2, 1, W);
	/* buttons from the bottom up: as many rows as they need */
	if (!s->suffixes->visible)
		buttons[5] = s->cancel;
	brows = con_dialog_button_row(d, d->height - 2, buttons, nb);
	if (brows > 1)
		con_dialog_button_row(d, d->height - 1 - brows, buttons, nb);
	y = 12;
	msg_h = d->height - 1 - brows - 1 - y;
	con_dialog_place_message(d, y, 2, msg_h < 1 ? 1 : msg_h, W);
}

static void props_free(con_dialog *d)
{
	props_state *s = d->ctx;

	con_service_props_free(&s->p);
}

static const con_dialog_ops props_ops = {
	props_layout, NULL, NULL, props_submit, NULL, props_free,
};

/* ---- building ---------------------------------------------------------------------- */

static con_widget *info(con_dialog *d, const char *name)
{
	return con_dialog_add(d, con_label_new(name, "", ROLE_DIALOG));
}

static con_widget *check(con_dialog *d, const char *name, const char *label, const char *help)
{
	con_widget *w = con_dialog_add(d, con_check_new(name, label, 0, help));

	if (w)
		w->on_change = edited;
	return w;
}

static con_widget *button(con_dialog *d, const char *name, const char *label, con_widget_fn fn,
			  const char *help)
{
	return con_dialog_add(d, con_button_new(name, label, fn, help));
}

static int build_fields(con_dialog *d, props_state *s)
{
	s->partner = info(d, "partner");
	s->sid = info(d, "sid");
	s->type = info(d, "type");
	s->direction = con_dialog_add(d, con_choice_new("direction", "&Direction:", direction_names,
		3, 0, "Incoming: the partner trusts this domain (this domain's users may use the "
		"partner's resources). Outgoing: this domain trusts the partner. Two-way: both. "
		"Dropping a direction empties that direction's secret."));
	s->non_transitive = check(d, "non-transitive", "&Non-transitive",
		"The trust does not extend to other domains the partner trusts.");
	s->quarantine = check(d, "quarantine", "SID &filtering (quarantine)",
		"Users of the partner are accepted only with SIDs of the partner's own domain (SID "
		"filtering, quarantined domain): the default for external trusts.");
	s->forest = check(d, "forest-transitive", "Forest-&transitive",
		"A forest trust: only between forest root domains of forests at functional level "
		"2003 or later. Setting it creates forest trust information; clearing it removes it.");
	s->selective = check(d, "selective-auth", "&Selective authentication",
		"Users of the partner may use only the resources they are explicitly allowed to "
		"(cross-organization); needs functional level 2003 or later.");
	s->enctypes = con_dialog_add(d, con_choice_new("enctypes", "&Encryption:", enc_names, 4, 0,
		"The encryption types of the trust keys: AES (aes128 and aes256), RC4, or both. "
		"Both ends must share one."));
	s->namespaces = info(d, "namespaces");
	s->secrets = info(d, "password");
	s->secrets_in = info(d, "password-incoming");
	d->msg = con_dialog_add(d, con_textbox_new("message", 1,
		"What the model says about the form, or what happened. Arrows scroll it."));
	if (!s->partner || !s->sid || !s->type || !s->direction || !s->non_transitive ||
	    !s->quarantine || !s->forest || !s->selective || !s->enctypes || !s->namespaces ||
	    !s->secrets || !s->secrets_in || !d->msg)
		return -1;
	s->direction->on_change = s->enctypes->on_change = edited;
	return 0;
}

static int build(con_dialog *d, props_state *s)
{
	if (build_fields(d, s) < 0)
		return -1;
	s->ok = button(d, "ok", "&OK", con_dialog_ok_pressed,
		       "Write the changes to this side of the trust, then close. Disabled while the "
		       "model refuses the form.");
	s->verify = button(d, "verify", "&Verify", verify_pressed,
			   "Check every direction of the trust as the two KDCs would.");
	s->reset = button(d, "reset", "&Reset password...", reset_pressed,
			  "A new random secret on both sides (the previous one is kept), then verify.");
	s->onesided = button(d, "reset-one-side", "Reset this side on&ly...", onesided_pressed,
			     "Forest recovery: this side only, with a password you type twice.");
	s->recreate = button(d, "recreate", "Recre&ate...", recreate_pressed,
			     "A trust broken at one end (KB Q102650): remove both ends and "
			     "establish the trust again; shows the plan per domain first.");
	s->suffixes = button(d, "name-suffix-routing", "Name S&uffix Routing...", suffixes_pressed,
			     "A forest trust's name suffix routing: which names and SIDs of the "
			     "partner forest are routed over it; enable, disable, exclusions, "
			     "refresh. Not there for other trusts: they carry no forest trust "
			     "information.");
	s->cancel = button(d, "cancel", "&Cancel", cancel_pressed,
			   "Close without writing the changes made in this dialog (after asking, "
			   "when there are any).");
	if (!s->ok || !s->verify || !s->reset || !s->onesided || !s->recreate || !s->suffixes ||
	    !s->cancel)
		return -1;
	d->ok = s->ok;
	d->cancel = s->cancel;
	d->help = "The trusted domain object of this side of the trust. Direction and the check "
		  "boxes can be changed; each change is checked against the rules of MS-ADTS and "
		  "MS-LSAD as you make it, and OK stays disabled while they refuse it. Secrets are "
		  "never shown: only their age and key version.";
	return 0;
}

/* con_props_dialog: for one row of Trust Relationships. */
void con_props_dialog(con_app *a, const svc_row *row)
{
	props_state s;
	con_dialog *d;
	char title[NAME_DNS_MAX + 32];
	tm_error e;

	memset(&s, 0, sizeof(s));
	s.a = a;
	s.row = *row;
	tdo_init(&s.p.tdo);
	snprintf(title, sizeof(title), "Properties: %s", row->netbios);
	d = con_dialog_new("properties", title, &props_ops, &s);
	if (!d) {
		con_msg_box(title, ROLE_ERROR, "Out of memory: the dialog could not be built.");
		return;
	}
	error_clear(&e);
	if (build(d, &s) == 0) {
		if (load(&s, &e) < 0) {
			char buf[CON_ERROR_MAX];

			con_dialog_format_error(&e, buf, sizeof(buf));
			con_msg_box(title, ROLE_ERROR, buf);
		} else {
			show_form(&s);
			validate(d);
			con_dialog_focus(d, s.direction);
			con_dialog_run(d);
		}
	}
	con_dialog_free(&d);       /* props_free frees s.p */
}
