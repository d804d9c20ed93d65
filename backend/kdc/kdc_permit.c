/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* kdc_permit.c - the one chance through kadmin (kdc.h): the trustmgr-permit
 * policy (maxfailure 1, no unlock) a permit puts the trust principal under,
 * with pre-authentication required so the KDC counts wrong passwords; the
 * state of an armed principal; and disarming it once the permit is over. */
#include "backend/kdc/kdc_internal.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ the one chance */

#define KDC_POLICY_MASK \
	(KADM5_PW_MAX_FAILURE | KADM5_PW_FAILURE_COUNT_INTERVAL | KADM5_PW_LOCKOUT_DURATION)

static void kdc_policy_fill(kadm5_policy_ent_rec *pol, char *name)
{
	memset(pol, 0, sizeof *pol);
	pol->policy = name;
	pol->pw_max_fail = 1;
	pol->pw_failcnt_interval = 0;
	pol->pw_lockout_duration = 0;
}

/* Create the permit policy, or correct one with other lockout settings. */
static int kdc_policy_write(kdc *k, int create, tm_error *e)
{
	char name[] = KDC_PERMIT_POLICY;
	kadm5_policy_ent_rec pol;
	kadm5_ret_t rc;

	kdc_policy_fill(&pol, name);
	rc = create ? kadm5_create_policy(k->handle, &pol, KADM5_POLICY | KDC_POLICY_MASK)
		    : kadm5_modify_policy(k->handle, &pol, KDC_POLICY_MASK);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not %s the password policy %s "
				"(maxfailure 1)", k->realm, create ? "create" : "correct", name);
	return 0;
}

/* The policy exists with maxfailure 1, no failure count interval and no
 * lockout duration: the first wrong password locks for good. */
static int kdc_policy_ensure(kdc *k, tm_error *e)
{
	char name[] = KDC_PERMIT_POLICY;
	kadm5_policy_ent_rec pol;
	kadm5_ret_t rc;
	int ok;

	memset(&pol, 0, sizeof pol);
	rc = kadm5_get_policy(k->handle, name, &pol);
	if (rc == KADM5_UNK_POLICY)
		return kdc_policy_write(k, 1, e);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not read the password policy %s",
				k->realm, name);
	ok = pol.pw_max_fail == 1 && pol.pw_failcnt_interval == 0 &&
	     pol.pw_lockout_duration == 0;
	kadm5_free_policy_ent(k->handle, &pol);
	return ok ? 0 : kdc_policy_write(k, 0, e);
}

static int kdc_arm(kdc *k, krb5_principal p, const char *name, tm_error *e)
{
	char policy[] = KDC_PERMIT_POLICY;
	kadm5_principal_ent_rec ent;
	kdc_entry en;
	kadm5_ret_t rc;
	int r = kdc_entry_get(k, p, name, &en, e);

	if (r > 0)
		return error_fail(e, TM_EBACKEND, ST_NO_TRUST_SAM_ACCOUNT,
			       "%s: %s does not exist, so it cannot be permitted", k->realm, name);
	if (r < 0)
		return -1;
	memset(&ent, 0, sizeof ent);
	ent.principal = p;
	ent.policy = policy;
	ent.attributes = en.attributes | KRB5_KDB_REQUIRES_PRE_AUTH;
	ent.fail_auth_count = 0;
	rc = kadm5_modify_principal(k->handle, &ent,
				    KADM5_POLICY | KADM5_ATTRIBUTES | KADM5_FAIL_AUTH_COUNT);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not put %s under the policy %s",
				k->realm, name, policy);
	return 0;
}

/* The body of kdc_permit_arm(), with SIGPIPE held off by the caller. */
static int kdc_permit_arm_run(kdc *k, const char *principal, tm_error *e)
{
	krb5_principal p = NULL;
	int r;

	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	r = kdc_policy_ensure(k, e);
	if (r == 0)
		r = kdc_arm(k, p, principal, e);
	krb5_free_principal(k->ctx, p);
	return r;
}

/* Put principal under the one-chance policy with requires_preauth and no
 * failures counted yet. */
int kdc_permit_arm(kdc *k, const char *principal, tm_error *e)
{
	char doing[KDC_NAME_MAX + 64];
	kdc_guard g;
	int r;

	if (kdc_call_begin(k, &g, e))
		return -1;
	r = kdc_permit_arm_run(k, principal, e);
	snprintf(doing, sizeof doing, "putting %s under the policy %s through kadmin", principal,
		 KDC_PERMIT_POLICY);
	return kdc_call_end(k, &g, r, e, doing);
}

/* Clear what a permit armed: the policy (when it is the one-chance one) and
 * requires_preauth. A missing principal is fine. */
static int kdc_disarm(kdc *k, krb5_principal p, const char *name, tm_error *e)
{
	kadm5_principal_ent_rec ent;
	kdc_entry en;
	kadm5_ret_t rc;
	long mask = KADM5_ATTRIBUTES;
	int r = kdc_entry_get(k, p, name, &en, e);

	if (r != 0)
		return r > 0 ? 0 : -1;
	if (strcmp(en.policy, KDC_PERMIT_POLICY) != 0 &&
	    !(en.attributes & KRB5_KDB_REQUIRES_PRE_AUTH))
		return 0;
	if (strcmp(en.policy, KDC_PERMIT_POLICY) == 0)
		mask |= KADM5_POLICY_CLR;
	memset(&ent, 0, sizeof ent);
	ent.principal = p;
	ent.attributes = en.attributes & ~(krb5_flags)KRB5_KDB_REQUIRES_PRE_AUTH;
	rc = kadm5_modify_principal(k->handle, &ent, mask);
	if (rc != 0)
		return kdc_fail(k->ctx, e, rc, "%s: could not take %s out of the one-chance "
				"policy", k->realm, name);
	return 0;
}

static int kdc_permit_disarm_run(kdc *k, const char *principal, tm_error *e)
{
	krb5_principal p = NULL;
	int r;

	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	r = kdc_disarm(k, p, principal, e);
	krb5_free_principal(k->ctx, p);
	return r;
}

/* kdc_permit_disarm: the principal becomes a plain cross-realm principal. */
int kdc_permit_disarm(kdc *k, const char *principal, tm_error *e)
{
	char doing[KDC_NAME_MAX + 64];
	kdc_guard g;
	int r;

	if (kdc_call_begin(k, &g, e))
		return -1;
	r = kdc_permit_disarm_run(k, principal, e);
	snprintf(doing, sizeof doing, "taking %s out of the policy %s through kadmin", principal,
		 KDC_PERMIT_POLICY);
	return kdc_call_end(k, &g, r, e, doing);
}

/* The body of kdc_permit_state(), with SIGPIPE held off by the caller. */
static int kdc_permit_state_run(kdc *k, const char *principal, int *armed, int *locked, tm_error *e)
{
	krb5_principal p = NULL;
	kdc_entry en;
	int r;

	*armed = *locked = 0;
	kdc_begin(k);
	if (kdc_parse_e(k->ctx, principal, k->realm, &p, e))
		return -1;
	r = kdc_entry_get(k, p, principal, &en, e);
	krb5_free_principal(k->ctx, p);
	if (r > 0)
		return error_fail(e, TM_EBACKEND, ST_NO_TRUST_SAM_ACCOUNT,
			       "%s: %s does not exist", k->realm, principal);
	if (r < 0)
		return -1;
	*armed = strcmp(en.policy, KDC_PERMIT_POLICY) == 0;
	*locked = *armed && en.fail_count >= 1;
	return 0;
}

/* Whether principal is under the one-chance policy, and whether its
 * chance has been used (a failed attempt counted by the KDC). */
int kdc_permit_state(kdc *k, const char *principal, int *armed, int *locked, tm_error *e)
{
	char doing[KDC_NAME_MAX + 64];
	kdc_guard g;
	int r;

	if (kdc_call_begin(k, &g, e))
		return -1;
	r = kdc_permit_state_run(k, principal, armed, locked, e);
	snprintf(doing, sizeof doing, "reading the permit state of %s through kadmin", principal);
	return kdc_call_end(k, &g, r, e, doing);
}
