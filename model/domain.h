/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* domain.h - a domain's description (tm_domain, trust.h): its names, the
 * partner name a TDO uses for it, and validation of every field. */
#ifndef TM_DOMAIN_H
#define TM_DOMAIN_H

#include "model/error.h"
#include "model/trust.h"

void domain_init(tm_domain *d);
/* Does the domain answer to this name (store key, DNS, NetBIOS, realm, SID)? */
int domain_matches(const tm_domain *d, const char *name);
/* The name a TDO in another domain uses as trustPartner for d
 * (DNS name, or NetBIOS for NT 4, or the realm for MIT). */
const char *domain_partner_name(const tm_domain *d);
/* The forest root DNS name of d (its own DNS name when forest is empty). */
const char *domain_forest(const tm_domain *d);
/* Are a and b AD domains of one forest (the same forest root)? */
int domain_same_forest(const tm_domain *a, const tm_domain *b);
/* Validate every field of a domain description. Returns 0 or -1 with e. */
int domain_validate(const tm_domain *d, tm_error *e);

#endif
