/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc.h - one realm's KDC and kadmin server (MIT Kerberos through libkrb5 and
 * kadm5), found through the normal krb5.conf (KRB5_CONFIG).
 *
 * Administration (keys, policies) goes through kadm5 with the configured
 * kadmin principal (password file or keytab, or else the administrator's
 * own tickets in the KRB5CCNAME collection or the default client keytab),
 * over kadmin's encrypted channel. The protocol operations (prove, change, verify) talk to the KDC
 * and kpasswd service as a client, with no administrator credentials.
 */
#ifndef TM_KDC_H
#define TM_KDC_H

#include <stddef.h>
#include <stdint.h>

#include "model/trust.h"
#include "model/verify.h"
#include "backend/config/config.h"

#define KDC_PERMIT_POLICY "trustmgr-permit"

typedef struct kdc kdc;

/* Open a kadm5 session for d's realm (admin credentials from d). NULL with e:
 * names the principal, the realm's admin_server and what to check. */
kdc *kdc_open(const cfg_domain *d, int timeout, tm_error *e);
void kdc_close(kdc **k);

/* krbtgt/X@Y principals of this realm (cross-realm ones only) with kvno,
 * enctype bits, kvnos held, last change time. */
int kdc_key_list(kdc *k, tm_keyinfo **out, size_t *n, tm_error *e);

/* Only the names of those principals, in one kadmin call (what a listing
 * needs). *out is freed with kdc_names_free. */
int kdc_cross_names(kdc *k, char ***out, size_t *n, tm_error *e);
void kdc_names_free(char **names, size_t n);

/* What kdc_key_list gives for each of names (n of them, as kdc_cross_names
 * listed them) into out[i], found[i] 1; found[i] 0 for a name that is not
 * a cross-realm principal or no longer exists. One kadmin read per name, in
 * one call bounded by the timeout. Returns 0 or -1 with e. */
int kdc_key_get(kdc *k, char *const *names, size_t n, tm_keyinfo *out, unsigned char *found,
		tm_error *e);

/* Create or change principal with a key derived from password: at exactly
 * kvno (kadm5_modify_principal KADM5_KVNO when the server picked another),
 * for the enctypes of bits (0 = AES); keep_previous keeps the keys of
 * kvno-1 (chpass keepold, then purge older ones). */
int kdc_key_set(kdc *k, const char *principal, const char *password, uint32_t kvno,
		uint32_t bits, int keep_previous, tm_error *e);

/* kdc_key_set for a principal the caller read as absent (a new trust's):
 * created at once, at kvno, with no read before or after (a principal
 * found to exist after all is set as kdc_key_set does). */
int kdc_key_set_new(kdc *k, const char *principal, const char *password, uint32_t kvno,
		    uint32_t bits, tm_error *e);

int kdc_key_delete(kdc *k, const char *principal, tm_error *e);

/* The one chance: put principal under the KDC_PERMIT_POLICY policy
 * (maxfailure 1, created when missing) with requires_preauth, and reset its
 * failure count. */
int kdc_permit_arm(kdc *k, const char *principal, tm_error *e);

/* The permit is over (the trust was established, or the account removed):
 * take principal out of the KDC_PERMIT_POLICY policy and clear
 * requires_preauth, which MIT advises against on cross-realm principals. A
 * principal that does not exist, or is not armed, is left as it is. */
int kdc_permit_disarm(kdc *k, const char *principal, tm_error *e);

/* Is principal locked by that policy (a wrong attempt was made)?
 * *armed: it is under the policy; *locked: failures >= 1. */
int kdc_permit_state(kdc *k, const char *principal, int *armed, int *locked, tm_error *e);

/* ---- protocol operations (no administrator credentials) ---------------- */

/* AS exchange as principal with password against realm's KDC.
 * *res: 0 right, 1 wrong password, 2 locked/revoked, 3 principal unknown.
 * *kvno (may be NULL): the principal's current key version when right. */
int kdc_prove(const char *realm, const char *principal, const char *password, int *res,
	      uint32_t *kvno, int timeout, tm_error *e);

/* Change principal's password from old to new through the kpasswd service
 * (RFC 3244), authenticated as principal itself; *kvno the new key version. */
int kdc_change(const char *realm, const char *principal, const char *old_pw,
	       const char *new_pw, uint32_t *kvno, int timeout, tm_error *e);

/* Real tickets across "trusting trusts trusted": obtain a TGT as the
 * trusted domain's verify (or kadmin) principal, then a service ticket for
 * trusting's verify_service through the referral krbtgt/TRUSTING@TRUSTED.
 * Classifies failures as verify.h's outcomes with the library's words in
 * r->detail. Returns -1 only when no credentials for the trusted side exist. */
int kdc_verify(const cfg_domain *trusting, const cfg_domain *trusted, int timeout,
	       verify_result *r, tm_error *e);

#endif
