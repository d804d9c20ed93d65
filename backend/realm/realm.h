/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* realm.h - the trusts of a plain MIT Kerberos realm (kind = mit): no
 * directory, the trust is the principals (docs/RULES.md, "Plain MIT
 * realms").
 *
 * In realm R's database krbtgt/X@R is there when X trusts R (R issues the
 * referrals: an inbound trust of R) and krbtgt/R@X when R trusts X (R opens
 * X's referrals: an outbound trust of R). The realm's trusts are presented
 * as trusted domain objects, one per partner realm: trustType MIT, the
 * direction from which principals exist, the encryption types of their
 * current keys, and trust-auth information holding only what a KDC records
 * (a VERSION entry with the key version and the time of the last change,
 * never a secret). Writing such an object changes nothing: the plans set
 * and delete the principals themselves.
 */
#ifndef TM_REALM_H
#define TM_REALM_H

#include <stddef.h>

#include "backend/kdc/kdc.h"
#include "model/trust.h"

/* What a listing shows, from the principals' names alone (one kadmin call),
 * appended to out. Returns 0 or -1 with e. */
int realm_tdo_rows(kdc *k, const tm_domain *d, tm_tdo_rows *out, tm_error *e);

/* The TDOs of keys (cross-realm principals of realm `realm`, as the
 * directory backend read them: all, or those of one partner), one per
 * partner realm, into *out (malloc'd, freed with tdo_free_array). Pure.
 * Returns 0 or -1 (ENOMEM). */
int realm_tdos_from_keys(const char *realm, const tm_keyinfo *keys, size_t nkeys,
			 tm_tdo **out, size_t *n);

#endif
