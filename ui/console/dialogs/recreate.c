/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* recreate.c - Recreate a trust broken at one end (KB Q102650): remove
 * both ends, establish the trust again; when the partner is not managed
 * here, this side's part and the other administrator's, in the order that
 * lets a wrong password be detected (the trusted side permits first). */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", s);
}

/* "Then, in this order, ..." from wf_handoff; "" when nothing is left. */
static void handoff_text(const wf_handoff *h, char *buf, size_t n)
{
	char line[DOMAIN_KEY_MAX + 700];
	size_t i;

	buf[0] = '\0';
	if (!h->n)
		return;
	append(buf, n, "Then, in this order (trustmgr cannot do these from here; give them to the "
	       "other administrator):");
	for (i = 0; i < h->n; i++) {
		snprintf(line, sizeof(line), "\n  %zu. %s's administrator%s: %s\n     %s", i + 1,
			 h->steps[i].who, h->steps[i].optional ? " (if needed)" : "",
			 h->steps[i].command, h->steps[i].why);
		append(buf, n, line);
	}
}

static void refused(const char *title, const tm_error *e)
{
	char buf[CON_ERROR_MAX];

	con_dialog_format_error(e, buf, sizeof(buf));
	con_msg_box(title, ROLE_ERROR, buf);
}

/* con_recreate_dialog: plan, preview, run, result. */
int con_recreate_dialog(con_app *a, const char *domain, const char *partner, const char *label)
{
	static char after[CON_TEXT_MAX];
	char title[NAME_DNS_MAX + DOMAIN_KEY_MAX + 32], intro[PLAN_TEXT_MAX + CON_MSG_MAX];
	con_plan_view v;
	wf_handoff h;
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	snprintf(title, sizeof(title), "Recreate Trust: %s and %s", domain, label);
	error_clear(&e);
	memset(&h, 0, sizeof(h));
	if (con_service_recreate_plan(a->svc, domain, partner, &p, &h, &e) < 0) {
		refused(title, &e);
		return 0;
	}
	if (h.n)
		snprintf(intro, sizeof(intro), "A trust broken at one end cannot be repaired from "
			 "that end alone (KB Q102650). %s is not managed here: trustmgr does %s's part "
			 "now, and the administrators finish in the order below.", label, domain);
	else
		snprintf(intro, sizeof(intro), "A trust broken at one end cannot be repaired from "
			 "that end alone (KB Q102650): whatever is left of both ends is removed and "
			 "the trust is established again.");
	handoff_text(&h, after, sizeof(after));
	v.name = "recreate";
	v.title = title;
	v.intro = intro;
	v.after = after;
	v.after_run = NULL;        /* the result says the same, in the executor's words */
	v.run_label = "&Recreate";
	v.help = "Recreate removes whatever is left of both ends of the trust and establishes it "
		 "again with the direction, type and attributes of the surviving end. With both "
		 "domains managed here it does everything and verifies the trust; otherwise it does "
		 "this side and lists what the other administrator must do, permit first.";
	rc = con_plan_dialog(a, &v, p);
	plan_free(&p);
	return rc >= 0;
}
