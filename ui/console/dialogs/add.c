/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* add.c - Add Trusted Domain (Trusted Domains > Add...): the trusting
 * side's half of an NT trust. The password is proved against the trusted
 * side and, on success, replaced on both ends by a random secret. */
#include <stdio.h>

#include "ui/console/dialogs/establish.h"

static void add_intro(const char *domain, char *buf, size_t n)
{
	snprintf(buf, n, "%s will trust the domain below: its users may use %s's resources.",
		 domain, domain);
}

static const est_spec add_spec = {
	"add-trusted", "Add Trusted Domain", SVC_TRUST, 0, "&Password:",
	"The initial password the other domain's administrator set in Permit Domain to Trust. "
	"You have one chance: a wrong password uses it up, and the other administrator must "
	"then remove this domain from Trusting Domains and permit it again. Shown as one '*' "
	"per character.",
	add_intro,
	"Add Trusted Domain is the trusting side's half of an NT trust. trustmgr proves the "
	"password against the trusted domain as this domain's interdomain trust account; on "
	"success it records the outbound trust here and at once replaces the password on both "
	"ends with a random secret nobody sees. If the other domain has not permitted this one "
	"yet, the trust is recorded here but cannot be verified until it does.",
};

/* con_add_dialog: for the current domain. */
void con_add_dialog(con_app *a)
{
	con_establish_dialog(a, &add_spec);
}
