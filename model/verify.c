/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* verify.c - naming and explaining the outcomes of a cross-realm check.
 *
 * For "A trusts B" the trusted side's KDC (B) issues a referral ticket under
 * krbtgt/A@B and the trusting side's KDC (A) must open it.  Each way this can
 * fail shows up with a message of its own in real clients and KDC logs; the
 * explanation names that message so an administrator can match what users
 * report against what trustmgr found.
 */
#include "model/verify.h"

#include <stdio.h>
#include <string.h>

#include "model/keys.h"

/* The names an explanation needs, with readable fallbacks for empty fields. */
typedef struct verify_names {
	const char *trusting;
	const char *trusted;
	const char *principal;
	const char *missing;
	const char *etype;
} verify_names;

static const char *verify_or(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

static void verify_names_fill(const verify_result *r, verify_names *n)
{
	n->trusting = verify_or(r->trusting, "the trusting domain");
	n->trusted = verify_or(r->trusted, "the trusted domain");
	n->principal = verify_or(r->principal, "the trust principal");
	n->missing = verify_or(r->missing_on, "one side");
	n->etype = r->enctype ? keys_enctype_name(r->enctype) : "no encryption type";
}

/* Stable short token of an outcome, for scripts and logs. */
const char *verify_outcome_token(verify_outcome o)
{
	switch (o) {
	case VERIFY_OK: return "ok";
	case VERIFY_MISSING_TDO: return "missing-tdo";
	case VERIFY_MISSING_PRINCIPAL: return "missing-principal";
	case VERIFY_NO_MATCHING_KVNO: return "kvno-mismatch";
	case VERIFY_DECRYPT_INTEGRITY: return "password-mismatch";
	case VERIFY_NO_COMMON_ENCTYPE: return "no-common-enctype";
	case VERIFY_UNREACHABLE: return "unreachable";
	case VERIFY_NOT_RUN: return "not-checked";
	case VERIFY_NO_CLIENT_PATH: return "no-client-path";
	}
	return "unknown";
}

static void verify_ok(const verify_result *r, const verify_names *n,
		      char *what, size_t nwhat, char *next, size_t nnext)
{
	snprintf(what, nwhat,
		 "The trust \"%s trusts %s\" works: %s's KDC issued a referral ticket "
		 "under %s (kvno %u, %s) and %s's KDC opened it with its own key.",
		 n->trusting, n->trusted, n->trusted, n->principal,
		 (unsigned)r->issuer_kvno, n->etype, n->trusting);
	snprintf(next, nnext, "Nothing to do.");
}

static void verify_missing_tdo(const verify_names *n, char *what, size_t nwhat,
			       char *next, size_t nnext)
{
	snprintf(what, nwhat,
		 "The trust \"%s trusts %s\" exists on one side only: %s has no trusted "
		 "domain object for it, so users of %s cannot reach %s.",
		 n->trusting, n->trusted, n->missing, n->trusted, n->trusting);
	snprintf(next, nnext,
		 "A trust broken at one end cannot be repaired from the other end alone: "
		 "recreate the missing side on %s with a password both sides share, "
		 "or remove the orphaned end if the trust is no longer wanted.",
		 n->missing);
}

static void verify_missing_principal(const verify_names *n, char *what, size_t nwhat,
				     char *next, size_t nnext)
{
	snprintf(what, nwhat,
		 "The principal %s does not exist in the Kerberos database of %s, so no "
		 "referral from %s to %s can be issued or accepted; a client sees "
		 "\"Server %s not found in Kerberos database\".",
		 n->principal, n->missing, n->trusted, n->trusting, n->principal);
	snprintf(next, nnext,
		 "Recreate the trust key on both KDCs with one password and one key "
		 "version: trustmgr reset %s %s (or recreate the trust).",
		 n->trusting, n->trusted);
}

static void verify_kvno(const verify_result *r, const verify_names *n,
			char *what, size_t nwhat, char *next, size_t nnext)
{
	/* The side holding the newer key was reset; the other one is behind. */
	int issuer_ahead = r->issuer_kvno > r->acceptor_kvno;
	const char *behind = issuer_ahead ? n->trusting : n->trusted;
	const char *ahead = issuer_ahead ? n->trusted : n->trusting;

	snprintf(what, nwhat,
		 "%s's KDC issued the referral under %s with key version %u (%s), but "
		 "%s's KDC has no key of that version (its newest is %u): one side was "
		 "reset without the other. The client sees \"KDC returned error string: "
		 "PROCESS_TGS\" and %s's KDC logs \"No matching key in entry\".",
		 n->trusted, n->principal, (unsigned)r->issuer_kvno, n->etype,
		 n->trusting, (unsigned)r->acceptor_kvno, n->trusting);
	snprintf(next, nnext,
		 "Reset %s's side with the same password as %s's (trustmgr reset-one-side "
		 "%s %s), or reset both sides: trustmgr reset %s %s.",
		 behind, ahead, behind, ahead, n->trusting, n->trusted);
}

static void verify_integrity(const verify_result *r, const verify_names *n,
			     char *what, size_t nwhat, char *next, size_t nnext)
{
	snprintf(what, nwhat,
		 "Both KDCs hold %s with key version %u (%s), but the keys differ: the "
		 "two sides were set with different passwords, so %s's KDC cannot open "
		 "the referral ticket from %s (\"Decrypt integrity check failed\").",
		 n->principal, (unsigned)r->issuer_kvno, n->etype, n->trusting,
		 n->trusted);
	snprintf(next, nnext,
		 "Set one password on both sides: trustmgr reset %s %s, or reset-one-side "
		 "on each side with the same password.", n->trusting, n->trusted);
}

static void verify_enctype(const verify_names *n, char *what, size_t nwhat,
			   char *next, size_t nnext)
{
	snprintf(what, nwhat,
		 "%s's KDC and %s's KDC share no allowed encryption type for %s, so no "
		 "referral ticket can be issued; a client sees \"KDC has no support for "
		 "encryption type\".", n->trusted, n->trusting, n->principal);
	snprintf(next, nnext,
		 "Align the encryption types of both trusted domain objects "
		 "(trustmgr tdo modify %s %s --enctypes aes; trustmgr tdo modify %s %s "
		 "--enctypes aes), then reset the trust so both KDCs get keys of that "
		 "type: trustmgr reset %s %s.",
		 n->trusting, n->trusted, n->trusted, n->trusting, n->trusting, n->trusted);
}

static void verify_unreachable(const verify_names *n, char *what, size_t nwhat,
			       char *next, size_t nnext)
{
	snprintf(what, nwhat,
		 "The trust \"%s trusts %s\" could not be checked: %s did not answer.",
		 n->trusting, n->trusted, n->missing);
	snprintf(next, nnext,
		 "Check that the KDC and directory of %s are running and reachable, then "
		 "verify again.", n->missing);
}

static void verify_not_run(const verify_names *n, char *what, size_t nwhat, char *next,
			   size_t nnext)
{
	snprintf(what, nwhat,
		 "The trust \"%s trusts %s\" was not checked: trustmgr cannot get tickets as a "
		 "client of %s, which a check of this direction starts from.", n->trusting,
		 n->trusted, n->trusted);
	snprintf(next, nnext,
		 "Give trustmgr a client of %s to check with (verify_principal with verify_keytab "
		 "or verify_password_file in trustmgr.conf), or check from a client of %s with "
		 "kinit and kvno.", n->trusted, n->trusted);
}

static void verify_no_path(const verify_names *n, char *what, size_t nwhat, char *next,
			   size_t nnext)
{
	snprintf(what, nwhat,
		 "The keys of \"%s trusts %s\" work (%s's KDC issued the referral under %s and "
		 "%s's KDC opened it), but a client of %s configured as this machine is does not "
		 "find its way to %s: its krb5.conf lacks what leads there ([capaths] between "
		 "the realms, or [domain_realm] for the hosts); such a client sees \"Server not "
		 "found in Kerberos database\".",
		 n->trusting, n->trusted, n->trusted, n->principal, n->trusting, n->trusted,
		 n->trusting);
	snprintf(next, nnext,
		 "Add the [capaths] (and [domain_realm]) lines that 'trustmgr show %s %s "
		 "--krb5-conf' prints to the krb5.conf of %s's clients, then verify again.",
		 n->trusting, n->trusted, n->trusted);
}

/* Append the library's own words, when there are any. */
static void verify_add_detail(const verify_result *r, char *what, size_t nwhat)
{
	size_t len;

	if (!r->detail[0] || nwhat == 0 || strstr(what, r->detail))
		return;
	for (len = 0; len < nwhat && what[len]; len++)
		;
	if (len + 1 < nwhat)
		snprintf(what + len, nwhat - len, " (%s)", r->detail);
}

/* What happened and why, and what to do next, for any outcome. */
void verify_explain(const verify_result *r, char *what, size_t nwhat,
		    char *next, size_t nnext)
{
	verify_names n;

	verify_names_fill(r, &n);
	switch (r->outcome) {
	case VERIFY_OK:
		verify_ok(r, &n, what, nwhat, next, nnext);
		break;
	case VERIFY_MISSING_TDO:
		verify_missing_tdo(&n, what, nwhat, next, nnext);
		break;
	case VERIFY_MISSING_PRINCIPAL:
		verify_missing_principal(&n, what, nwhat, next, nnext);
		break;
	case VERIFY_NO_MATCHING_KVNO:
		verify_kvno(r, &n, what, nwhat, next, nnext);
		break;
	case VERIFY_DECRYPT_INTEGRITY:
		verify_integrity(r, &n, what, nwhat, next, nnext);
		break;
	case VERIFY_NO_COMMON_ENCTYPE:
		verify_enctype(&n, what, nwhat, next, nnext);
		break;
	case VERIFY_UNREACHABLE:
		verify_unreachable(&n, what, nwhat, next, nnext);
		break;
	case VERIFY_NOT_RUN:
		verify_not_run(&n, what, nwhat, next, nnext);
		break;
	case VERIFY_NO_CLIENT_PATH:
		verify_no_path(&n, what, nwhat, next, nnext);
		break;
	default:
		snprintf(what, nwhat, "The check of \"%s trusts %s\" ended in an unknown state.",
			 n.trusting, n.trusted);
		snprintf(next, nnext, "Verify again.");
		break;
	}
	verify_add_detail(r, what, nwhat);
}
