/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* capaths.h - what the clients of a realm need in their krb5.conf to use a
 * trust (docs/RULES.md, "Plain MIT realms"): the [capaths] entry of the
 * direct path, and [domain_realm] lines mapping the partner's hosts.
 *
 * A client finds the realms between its own and a service's either from
 * [capaths] or, without it, by walking the realm names as a hierarchy (up
 * to the common parent, then down). Realms where one name is a parent of
 * the other are reached that way; any other pair (siblings such as
 * A.LAB.TEST and B.LAB.TEST, or unrelated names) needs [capaths].
 */
#ifndef TM_CAPATHS_H
#define TM_CAPATHS_H

#include <stddef.h>

#include "model/trust.h"

/* 1 when a client of client_realm needs a [capaths] entry to reach
 * service_realm directly, 0 when the hierarchical walk finds it. */
int capaths_needed(const char *client_realm, const char *service_realm);

/* The krb5.conf lines the clients of `trusted` need so that they reach
 * `trusting`'s services across "trusting trusts trusted", appended to buf
 * (size n, always terminated): a comment naming whose clients, [capaths]
 * when capaths_needed, and [domain_realm] for trusting's DNS name when it
 * has one. Nothing is appended when nothing is needed. Returns the number
 * of configuration lines written (0 when none are needed). */
int capaths_lines(const tm_domain *trusting, const tm_domain *trusted, char *buf, size_t n);

#endif
