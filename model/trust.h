/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* trust.h - domains, trusted domain objects, trust accounts and keys: the
 * types and constants (docs/RULES.md, "Words" and "Constants"), and the
 * parsers and names of the constants. */
#ifndef TM_TRUST_H
#define TM_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "model/authblob.h"
#include "model/name.h"
#include "model/sid.h"
#include "model/error.h"

/* trustDirection */
#define TRUST_DIRECTION_DISABLED      0u
#define TRUST_DIRECTION_INBOUND       1u
#define TRUST_DIRECTION_OUTBOUND      2u
#define TRUST_DIRECTION_BIDIRECTIONAL 3u

/* trustType */
#define TRUST_TYPE_DOWNLEVEL 1u
#define TRUST_TYPE_UPLEVEL   2u
#define TRUST_TYPE_MIT       3u
#define TRUST_TYPE_DCE       4u

/* trustAttributes */
#define TRUST_ATTR_NON_TRANSITIVE                 0x0001u
#define TRUST_ATTR_UPLEVEL_ONLY                   0x0002u
#define TRUST_ATTR_QUARANTINED_DOMAIN             0x0004u
#define TRUST_ATTR_FOREST_TRANSITIVE              0x0008u
#define TRUST_ATTR_CROSS_ORGANIZATION             0x0010u
#define TRUST_ATTR_WITHIN_FOREST                  0x0020u
#define TRUST_ATTR_TREAT_AS_EXTERNAL              0x0040u
#define TRUST_ATTR_USES_RC4_ENCRYPTION            0x0080u
#define TRUST_ATTR_USES_AES_KEYS                  0x0100u
#define TRUST_ATTR_CROSS_ORG_NO_TGT_DELEGATION    0x0200u
#define TRUST_ATTR_PIM_TRUST                      0x0400u
#define TRUST_ATTR_CROSS_ORG_ENABLE_TGT_DELEGATION 0x0800u
#define TRUST_ATTR_DISABLE_AUTH_TARGET_VALIDATION 0x1000u
#define TRUST_ATTR_ALL                            0x1fffu

/* msDS-SupportedEncryptionTypes */
#define ENCTYPE_BIT_DES_CRC  0x01u
#define ENCTYPE_BIT_DES_MD5  0x02u
#define ENCTYPE_BIT_RC4      0x04u
#define ENCTYPE_BIT_AES128   0x08u
#define ENCTYPE_BIT_AES256   0x10u
#define ENCTYPE_BITS_AES     (ENCTYPE_BIT_AES128 | ENCTYPE_BIT_AES256)

/* Forest functional levels (msDS-Behavior-Version). */
typedef enum tm_level {
	LEVEL_2000 = 0,
	LEVEL_2003_MIXED = 1,
	LEVEL_2003 = 2,            /* DS_BEHAVIOR_WIN2003 */
	LEVEL_2008 = 3,
	LEVEL_2008R2 = 4,
	LEVEL_2012 = 5,
	LEVEL_2012R2 = 6,
	LEVEL_2016 = 7
} tm_level;

/* What kind of security domain this is. */
typedef enum tm_kind {
	DOMAIN_AD = 0,             /* Active Directory style: DNS, NetBIOS, SID, realm */
	DOMAIN_NT4 = 1,            /* NT 4 style: NetBIOS and SID, no DNS name */
	DOMAIN_MIT = 2             /* a plain Kerberos realm: no NetBIOS, no SID */
} tm_kind;

#define DOMAIN_KEY_MAX 64
#define DOMAIN_SUFFIX_MAX 8        /* UPN (or SPN) suffixes of one domain */

/* A security domain known to trustmgr. Empty strings mean "not set". */
typedef struct tm_domain {
	char name[DOMAIN_KEY_MAX]; /* how commands refer to it */
	tm_kind kind;
	char dns[NAME_DNS_MAX];
	char netbios[NAME_NB_MAX];
	int has_sid;
	tm_sid sid;
	char forest[NAME_DNS_MAX]; /* forest root DNS name; "" = own forest root */
	tm_level level;            /* forest functional level */
	char realm[NAME_DNS_MAX];  /* Kerberos realm, upper case */
	/* Domain facts for diagnosis (KB Q243655); -1 when unknown. */
	int nt_service_pack;       /* NT 4.0 service pack number */
	int lm_compat_level;       /* LMCompatibilityLevel of its DCs */
	/* The forest's own names beyond its domains' DNS names (uPNSuffixes,
	 * msDS-SPNSuffixes), kept on the domain that holds them. */
	size_t nupn, nspn;
	char upn_suffixes[DOMAIN_SUFFIX_MAX][NAME_DNS_MAX];
	char spn_suffixes[DOMAIN_SUFFIX_MAX][NAME_DNS_MAX];
} tm_domain;

/* Last known health of a trust as recorded by trustmgr. */
typedef enum tm_health {
	HEALTH_UNKNOWN = 0,        /* never verified */
	HEALTH_VERIFIED,           /* last verify succeeded */
	HEALTH_BROKEN,             /* last verify failed */
	HEALTH_PENDING_PERMIT,     /* recorded here, partner has not permitted */
	HEALTH_PERMITTED,          /* permitted here, partner has not established */
	HEALTH_CHANCE_USED         /* permitted, the one chance was consumed */
} tm_health;

/* A trusted domain object as stored in a domain's directory. */
typedef struct tm_tdo {
	char partner[NAME_DNS_MAX];  /* trustPartner: DNS name, or NetBIOS for downlevel */
	char flat[NAME_NB_MAX];      /* flatName */
	int has_sid;
	tm_sid sid;                  /* securityIdentifier */
	uint32_t direction;
	uint32_t type;
	uint32_t attributes;
	uint32_t enctypes;           /* msDS-SupportedEncryptionTypes; 0 = not set */
	int has_enctypes;
	int32_t posix_offset;        /* trustPosixOffset */
	authblob incoming;           /* trustAuthIncoming (secrets) */
	authblob outgoing;           /* trustAuthOutgoing (secrets) */
	uint8_t *ftinfo;             /* msDS-TrustForestTrustInfo, raw; owned */
	size_t ftinfo_len;
	long long when_created;      /* Unix seconds, 0 unknown */
	long long when_changed;
} tm_tdo;

/* What a listing shows of one TDO: no secrets, no forest information. The
 * names are offsets into the text of the tm_tdo_rows holding the row. */
typedef struct tm_tdo_row {
	uint32_t partner;            /* trustPartner */
	uint32_t flat;               /* flatName ("" when none) */
	uint32_t direction;
	uint32_t type;
	uint32_t attributes;
} tm_tdo_row;

/* The listed TDOs of one domain: about 20 bytes a row plus its names, so a
 * list of 100,000 TDOs fits in a few megabytes. Start zeroed. */
typedef struct tm_tdo_rows {
	tm_tdo_row *v;
	size_t n, cap;
	char *text;                  /* NUL-terminated names, back to back */
	size_t len, text_cap;
} tm_tdo_rows;

/* Parse a direction word: inbound|outbound|both|bidirectional|disabled or
 * a number 0-3. Returns 0 or -1 with e (STATUS_INVALID_PARAMETER). */
int trust_parse_direction(const char *s, uint32_t *out, tm_error *e);

/* Parse a type word: downlevel|uplevel|mit|dce or 1-4. */
int trust_parse_type(const char *s, uint32_t *out, tm_error *e);

/* Parse attributes: a hex or decimal number ("0x8"), or names separated by
 * ',' or '|' (forest-transitive, FOREST_TRANSITIVE, TRUST_ATTRIBUTE_FOREST_TRANSITIVE
 * all accepted, case-insensitive). Unknown bits/names are refused. */
int trust_parse_attributes(const char *s, uint32_t *out, tm_error *e);

/* Parse encryption types: aes|rc4|aes,rc4|aes128|aes256|des or a number. */
int trust_parse_enctypes(const char *s, uint32_t *out, tm_error *e);

/* Parse a functional level: 2000|2003|2008|2008R2|2012|2012R2|2016. */
int trust_parse_level(const char *s, tm_level *out, tm_error *e);

/* Static names: "inbound", "outbound", "two-way", "disabled". */
const char *trust_direction_name(uint32_t dir);
/* "downlevel", "uplevel", "mit", "dce", "unknown". */
const char *trust_type_name(uint32_t type);
/* "2000", "2003", ..., "2016". */
const char *trust_level_name(tm_level level);
/* "ad", "nt4", "mit". */
const char *trust_kind_name(tm_kind kind);
/* "verified", "broken", "not verified", "pending permit", "permitted", "one chance used". */
const char *trust_health_name(tm_health h);

/* Format attributes as names joined by ',' ("forest-transitive,uses-aes-keys"),
 * or "none". Returns buf. */
char *trust_format_attributes(uint32_t attrs, char *buf, size_t n);
/* Format enctype bits ("aes128,aes256,rc4") or "default". Returns buf. */
char *trust_format_enctypes(uint32_t bits, char *buf, size_t n);


/* An interdomain trust account "PARTNER$" held by the trusted domain for a
 * permitted trusting domain (NT "Permit Domain to Trust"). Its one chance is
 * used up by the first wrong password (badPwdCount 1 = locked). */
typedef struct tm_account {
	char name[NAME_NB_MAX + 2];  /* sAMAccountName, "A$" */
	char partner[NAME_DNS_MAX];  /* the TDO partner name it belongs to */
	int locked;                  /* one chance used */
	long long created;           /* Unix seconds */
	long long locked_at;         /* Unix seconds, 0 when not locked */
	long long password_set;      /* Unix seconds of its last password change
	                              * (AD pwdLastSet), 0 when unknown */
} tm_account;

#define KEYINFO_MAX_KVNOS 8

/* What a KDC holds for one principal, without the key bytes. */
typedef struct tm_keyinfo {
	char principal[600];
	uint32_t kvno;               /* highest (current) kvno */
	uint32_t enctypes;           /* enctype bits of the current kvno */
	size_t nkvnos;
	uint32_t kvnos[KEYINFO_MAX_KVNOS]; /* every kvno held, highest first */
	long long changed;           /* Unix seconds of the current key, 0 unknown */
	int requires_preauth;        /* the principal requires pre-authentication */
	int disallowed;              /* it may not be used at all (tickets disallowed) */
	char policy[64];             /* its password policy ("" when none) */
} tm_keyinfo;

#endif
