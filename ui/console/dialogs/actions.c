/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* actions.c - Verify and Reset password on one trust, from Trust
 * Relationships (F5, the menu) and from Properties. */
#include <stdio.h>
#include <string.h>

#include "ui/console/dialogs/dialogs.h"

static void refused(const char *title, const tm_error *e)
{
	char buf[CON_ERROR_MAX];

	con_dialog_format_error(e, buf, sizeof(buf));
	con_msg_box(title, ROLE_ERROR, buf);
}

/* con_actions_verify: every direction the trust has. */
void con_actions_verify(con_app *a, const char *partner, const char *label)
{
	char title[NAME_DNS_MAX + 16];
	tm_plan *p = NULL;
	tm_error e;

	snprintf(title, sizeof(title), "Verify: %s", label);
	error_clear(&e);
	if (con_service_plan(a->svc, SVC_VERIFY, a->current, partner, NULL, &p, &e) < 0) {
		refused(title, &e);
		return;
	}
	con_op_run_and_show(a, title, p, NULL, 0);
	plan_free(&p);
}

/* con_actions_reset: what it will do, a question, then the plan. */
int con_actions_reset(con_app *a, const char *partner, const char *label)
{
	static char text[CON_TEXT_MAX];
	char title[NAME_DNS_MAX + 32], steps[CON_STEPS_MAX];
	tm_plan *p = NULL;
	tm_error e;
	int ran = 0;

	snprintf(title, sizeof(title), "Reset Password: %s", label);
	error_clear(&e);
	if (con_service_plan(a->svc, SVC_RESET, a->current, partner, NULL, &p, &e) < 0) {
		refused(title, &e);
		return 0;
	}
	con_op_plan_describe(p, steps, sizeof(steps));
	snprintf(text, sizeof(text), "Give the trust between %s and %s a new random secret on "
		 "both sides? The current secret is kept as the previous one, so tickets already "
		 "issued stay valid, and the trust is verified afterwards.\n\n%s", a->current,
		 partner, steps);
	if (con_msg_confirm(title, text, "&Reset", "Cancel")) {
		con_op_run_and_show(a, title, p, NULL, 1);
		ran = 1;
	}
	plan_free(&p);
	return ran;
}
