/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* verify.h - what a cross-realm ticket exchange can come to (docs/RULES.md,
 * "Failure modes"),
 * and the sentences that explain each outcome. */
#ifndef TM_VERIFY_H
#define TM_VERIFY_H

#include <stddef.h>
#include <stdint.h>

typedef enum verify_outcome {
	VERIFY_OK = 0,
	VERIFY_MISSING_TDO,          /* one end has no TDO for this direction */
	VERIFY_MISSING_PRINCIPAL,    /* krbtgt/A@B absent on a KDC */
	VERIFY_NO_MATCHING_KVNO,     /* the acceptor has no key of the issuer's kvno */
	VERIFY_DECRYPT_INTEGRITY,    /* same kvno, different password */
	VERIFY_NO_COMMON_ENCTYPE,    /* no encryption type both ends have */
	VERIFY_UNREACHABLE,          /* a KDC or directory did not answer */
	VERIFY_NOT_RUN,              /* not tried: trustmgr cannot act as a client of
				      * the trusted side (detail says why) */
	VERIFY_NO_CLIENT_PATH        /* the keys work, but a client of the trusted realm
				      * does not find the path ([capaths] missing) */
} verify_outcome;

/* The result of checking one direction "trusting trusts trusted". */
typedef struct verify_result {
	verify_outcome outcome;
	char trusting[64];           /* domain names (store keys) */
	char trusted[64];
	char principal[600];
	char missing_on[64];         /* which domain lacks the principal / TDO */
	uint32_t issuer_kvno;        /* kvno the issuing KDC used (0 unknown) */
	uint32_t acceptor_kvno;      /* highest kvno the accepting KDC has */
	int32_t enctype;             /* enctype used, 0 when none */
	char detail[256];            /* the library's own words, if any */
	char dc_check[64];           /* an AD DC's own check of its secure channel to the
	                              * trusted domain (netlogon TC_VERIFY: "WERR_OK", ...),
	                              * "" when not asked */
} verify_result;

/* Short token: "ok", "missing-tdo", "missing-principal", "kvno-mismatch",
 * "password-mismatch", "no-common-enctype", "unreachable", "not-checked", "no-client-path". */
const char *verify_outcome_token(verify_outcome o);

/* A sentence saying what happened and why, and one saying what to do next. */
void verify_explain(const verify_result *r, char *what, size_t nwhat,
		    char *next, size_t nnext);

#endif
