/* health.h - diagnose every trust of every known domain (issue: health).
 *
 * Pure: the caller gathers, through the backend, each domain's TDOs, keys,
 * trust accounts, recorded health and the result of verifying each
 * direction, and gets back findings: what is wrong in plain words, the
 * evidence, and the fix offered (which runs through the ordinary plans). */
#ifndef TM_HEALTH_H
#define TM_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "trust.h"
#include "verify.h"

typedef enum health_kind {
	HK_OK = 0,
	HK_ONE_SIDED,            /* a TDO on one side only */
	HK_DIRECTION_MISMATCH,   /* the ends disagree about direction */
	HK_TYPE_MISMATCH,        /* ... about the trust type */
	HK_ATTRIBUTE_MISMATCH,   /* ... about transitivity / forest / selective auth */
	HK_KVNO_MISMATCH,        /* key versions differ (one side reset) */
	HK_PASSWORD_MISMATCH,    /* same kvno, different secret */
	HK_MISSING_PRINCIPAL,    /* krbtgt/A@B missing in one KDC */
	HK_NO_COMMON_ENCTYPE,
	HK_UNREACHABLE,          /* a directory or KDC did not answer */
	HK_PENDING,              /* permitted but not established */
	HK_CHANCE_USED,          /* the one chance was used: must re-permit */
	HK_SECRET_OLD,           /* the secret is older than the rotation policy */
	HK_NT4_LMCOMPAT          /* KB Q243655: NT 4.0 SP4-SP6 DC at LMCompatibilityLevel 4 */
} health_kind;

typedef enum health_fix {
	FIX_NONE = 0,
	FIX_RECREATE,            /* remove both ends, create again (KB Q102650) */
	FIX_RESET,               /* new secret on both sides */
	FIX_RESET_ONE_SIDE,      /* the other side to the same password */
	FIX_REMOVE_ORPHAN,       /* remove the end whose partner has none */
	FIX_ROTATE,              /* rotate the secret keeping the previous one */
	FIX_REPERMIT,            /* remove the permission and permit again */
	FIX_ALIGN,               /* tdo modify one end to match the other */
	FIX_MANUAL               /* outside trustmgr (e.g. install the Netlogon update) */
} health_fix;

typedef struct health_finding {
	char domain[DOMAIN_KEY_MAX];   /* the domain the finding is about */
	char partner[NAME_DNS_MAX];    /* its TDO's partner name */
	char partner_domain[DOMAIN_KEY_MAX]; /* the partner's store name, "" if unknown */
	health_kind kind;
	health_fix fix;
	char cause[512];               /* plain words: what is wrong and why */
	char evidence[512];            /* what was seen (kvnos, verify outcome, dates...) */
	char fix_text[512];            /* what the fix does, with the command that runs it */
} health_finding;

/* Token for a kind: "ok", "one-sided", "direction-mismatch", ... */
const char *health_kind_token(health_kind k);
/* Token for a fix: "none", "recreate", "reset", ... */
const char *health_fix_token(health_fix f);

#endif
