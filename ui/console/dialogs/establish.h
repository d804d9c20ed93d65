/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* establish.h - what Permit Domain to Trust (permit.c) and Add Trusted
 * Domain (add.c) share: a domain picker, one or two password fields,
 * validation as the operator types, and the plan run on OK. */
#ifndef TM_CON_ESTABLISH_H
#define TM_CON_ESTABLISH_H

#include <stddef.h>

#include "ui/console/dialogs/dialogs.h"

typedef struct est_spec {
	const char *name;           /* dialog name for :save-model */
	const char *title;
	svc_op op;                  /* SVC_PERMIT or SVC_TRUST */
	int confirm;                /* a Confirm Password field */
	const char *password_label; /* "&Initial Password:" or "&Password:" */
	const char *password_help;
	/* The first line, for the current domain. */
	void (*intro)(const char *domain, char *buf, size_t n);
	const char *help;           /* the dialog's F1 text */
} est_spec;

/* Run the dialog for the current domain until it is cancelled or the plan
 * succeeded (the result is then shown in a message box). */
void con_establish_dialog(con_app *a, const est_spec *spec);

#endif
