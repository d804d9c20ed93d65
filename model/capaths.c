/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* capaths.c - the krb5.conf lines a trust needs on its clients (capaths.h). */
#include "model/capaths.h"

#include <stdio.h>
#include <string.h>

#include "model/name.h"

/* Is `sub` the realm `parent` or a realm below it (by name)? */
static int capaths_below(const char *sub, const char *parent)
{
	size_t ls = strlen(sub), lp = strlen(parent);

	if (ls < lp)
		return 0;
	if (ls == lp)
		return name_equal(sub, parent);
	return sub[ls - lp - 1] == '.' && name_equal(sub + ls - lp, parent);
}

/* capaths_needed: only a parent/child pair is found without [capaths]. */
int capaths_needed(const char *client_realm, const char *service_realm)
{
	return !capaths_below(client_realm, service_realm) &&
	       !capaths_below(service_realm, client_realm);
}

/* Append text to buf (n bytes), cut to fit. */
static void capaths_put(char *buf, size_t n, const char *text)
{
	size_t len = strnlen(buf, n);

	if (len + 1 < n)
		snprintf(buf + len, n - len, "%s", text);
}

/* capaths_lines: [capaths] and [domain_realm] for trusted's clients. */
int capaths_lines(const tm_domain *trusting, const tm_domain *trusted, char *buf, size_t n)
{
	char line[4 * NAME_DNS_MAX + 96];
	int lines = 0, path = capaths_needed(trusted->realm, trusting->realm);

	if (!path && !trusting->dns[0])
		return 0;
	snprintf(line, sizeof(line), "# krb5.conf of the clients of %s (to reach %s's services)\n",
		 trusted->realm, trusting->realm);
	capaths_put(buf, n, line);
	if (path) {
		snprintf(line, sizeof(line), "[capaths]\n    %s = {\n        %s = .\n    }\n",
			 trusted->realm, trusting->realm);
		capaths_put(buf, n, line);
		lines += 4;
	}
	if (trusting->dns[0]) {
		snprintf(line, sizeof(line), "[domain_realm]\n    .%s = %s\n    %s = %s\n",
			 trusting->dns, trusting->realm, trusting->dns, trusting->realm);
		capaths_put(buf, n, line);
		lines += 3;
	}
	return lines;
}
