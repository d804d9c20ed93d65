/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* caps.h - what trustmgr can do with one domain (docs/ARCHITECTURE.md,
 * "Capabilities").
 *
 * Each backend says, per domain, which of these it can do (ops->caps), and
 * why not for each one it cannot ("no kadmin credentials are configured
 * for B"). The snapshot reader reads only what a domain allows, the
 * workflows plan only steps a domain allows, and health names every check
 * that could not run and why. A domain trustmgr fully manages has them all.
 */
#ifndef TM_CAPS_H
#define TM_CAPS_H

#include <stdint.h>

typedef enum caps_bit {
	CAP_TDO_READ = 1u << 0,      /* list its trusted domain objects */
	CAP_TDO_WRITE = 1u << 1,     /* create, change and delete them */
	CAP_SECRET_READ = 1u << 2,   /* read the trust secrets (trustAuth*) they hold */
	CAP_KEY_READ = 1u << 3,      /* list the cross-realm keys of its KDC (no key bytes) */
	CAP_KEY_SET = 1u << 4,       /* set and delete those keys */
	CAP_ACCOUNT_LIST = 1u << 5,  /* list its interdomain trust accounts */
	CAP_ACCOUNT_WRITE = 1u << 6, /* create and delete them (arm the one chance) */
	CAP_VERIFY = 1u << 7         /* get tickets as one of its clients (verify from its side) */
} caps_bit;

#define CAPS_COUNT 8
#define CAPS_ALL 0xffu
/* What a plan that changes a domain needs of it. */
#define CAPS_MANAGE (CAP_TDO_READ | CAP_TDO_WRITE | CAP_SECRET_READ | CAP_KEY_READ | \
		     CAP_KEY_SET | CAP_ACCOUNT_LIST | CAP_ACCOUNT_WRITE)
#define CAPS_WHY_MAX 384

typedef struct tm_caps {
	uint32_t have;                         /* caps_bit values */
	/* The domain's KDC derives its cross-realm keys and interdomain trust
	 * accounts from the TDOs' secrets (an AD DC): writing a TDO is all it
	 * takes, keys and accounts need no steps of their own, and secrets
	 * and keys that cannot be read do not keep it from being managed. */
	int keys_from_tdo;
	/* It creates a TDO only for a partner with a SID (Samba's LSA server),
	 * so never one for a plain MIT realm. */
	int tdo_needs_sid;
	char why[CAPS_COUNT][CAPS_WHY_MAX];    /* per missing bit: why, as a clause */
} tm_caps;

/* Every capability (a fully managed domain). */
void caps_all(tm_caps *c);

/* None, each with the same reason (a domain known only by its names). */
void caps_none(tm_caps *c, const char *why);

/* Grant bit, or take it away with the reason why (printf format). */
void caps_grant(tm_caps *c, caps_bit bit);
void caps_deny(tm_caps *c, caps_bit bit, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* 1 when every bit of bits is held. */
int caps_has(const tm_caps *c, uint32_t bits);

/* 1 when the domain can be read and changed in full (CAPS_MANAGE; without
 * the secret and key reads when keys_from_tdo). */
int caps_manage(const tm_caps *c);

/* Why the first bit of bits that is missing is missing ("" when all held
 * or no reason was given). */
const char *caps_why(const tm_caps *c, uint32_t bits);

/* What bit lets trustmgr do, for messages: "read its trusted domain
 * objects", "set keys in its KDC", ... */
const char *caps_what(caps_bit bit);

/* The short token of bit for --json and tests: "tdo-read", "key-set", ... */
const char *caps_token(caps_bit bit);

#endif
