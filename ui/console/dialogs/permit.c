/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* permit.c - Permit Domain to Trust (Trusting Domains > Add...): the
 * trusted side's half of an NT trust, with an initial password typed twice. */
#include <stdio.h>

#include "ui/console/dialogs/establish.h"

static void permit_intro(const char *domain, char *buf, size_t n)
{
	snprintf(buf, n, "%s will permit the domain below to trust it.", domain);
}

static const est_spec permit_spec = {
	"permit", "Permit Domain to Trust", SVC_PERMIT, 1, "&Initial Password:",
	"The password the other domain's administrator will type in Add Trusted Domain. It "
	"works once: the first attempt uses it, right or wrong, and on success it is replaced "
	"at once by a random secret nobody sees. Shown as one '*' per character.",
	permit_intro,
	"Permit Domain to Trust is the trusted side's half of an NT trust: this domain records "
	"an inbound trust and an interdomain trust account for the other domain, armed with "
	"the initial password. Give that password to the other domain's administrator, who "
	"then adds this domain in Trusted Domains (Add...) with it. The first attempt uses the "
	"one chance; after a wrong password, remove the domain from Trusting Domains and "
	"permit it again.",
};

/* con_permit_dialog: for the current domain. */
void con_permit_dialog(con_app *a)
{
	con_establish_dialog(a, &permit_spec);
}
