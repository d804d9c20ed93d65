/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* trust.c - the trust constants: parsers for directions, types,
 * attributes, encryption types and functional levels, and their names.
 *
 * Parsers report malformed input as TM_EUSAGE with STATUS_INVALID_PARAMETER.
 */
#include "model/trust.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/grow.h"

/* A word (or bit name) and the value it stands for. */
typedef struct bitword {
	const char *word;
	uint32_t bits;
} bitword;

#define NWORDS(t) (sizeof(t) / sizeof((t)[0]))
#define TOKEN_MAX 64

/* ---- small string helpers ---------------------------------------------- */

/* Copy s without leading/trailing blanks into buf; -1 when it does not fit. */
static int trim_copy(const char *s, size_t len, char *buf, size_t n)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 0;
}

/* Parse a whole string as a decimal or 0x-hex unsigned number. */
static int parse_number(const char *s, unsigned long *out)
{
	char *end;
	int base = 10;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!isxdigit((unsigned char)s[0]))
			return -1;
	}
	errno = 0;
	*out = strtoul(s, &end, base);
	if (errno != 0 || *end != '\0' || *out > 0xffffffffUL)
		return -1;
	return 0;
}

/* Case-insensitive lookup of a whole word in a table. */
static int word_lookup(const bitword *tbl, size_t n, const char *w, uint32_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(tbl[i].word, w) == 0) {
			*out = tbl[i].bits;
			return 0;
		}
	}
	return -1;
}

/* Lower-case w and turn '_' into '-' so FOREST_TRANSITIVE reads forest-transitive. */
static void normalise_word(char *w)
{
	for (; *w; w++) {
		if (*w == '_')
			*w = '-';
		else
			*w = (char)tolower((unsigned char)*w);
	}
}

/* Parse a single keyword or a number within [lo, hi]. */
static int parse_word_or_number(const char *s, const bitword *tbl, size_t n,
				uint32_t lo, uint32_t hi, uint32_t *out)
{
	char buf[TOKEN_MAX];
	unsigned long v;

	if (!s || trim_copy(s, strlen(s), buf, sizeof(buf)) < 0 || !buf[0])
		return -1;
	if (parse_number(buf, &v) == 0) {
		if (v < lo || v > hi)
			return -1;
		*out = (uint32_t)v;
		return 0;
	}
	return word_lookup(tbl, n, buf, out);
}

/* ---- bit sets: attributes and encryption types ------------------------- */

typedef struct bitset_spec {
	const bitword *names;      /* canonical names, in display order */
	size_t nnames;
	const bitword *aliases;    /* further accepted spellings */
	size_t naliases;
	uint32_t allowed;          /* every bit a number may carry */
	const char *prefix;        /* optional prefix stripped from names */
	const char *what;          /* "trust attribute" */
} bitset_spec;

/* Attribute names (hyphenated lower case, as trust_format_attributes prints). */
static const bitword attr_names[] = {
	{ "non-transitive", TRUST_ATTR_NON_TRANSITIVE },
	{ "uplevel-only", TRUST_ATTR_UPLEVEL_ONLY },
	{ "quarantined-domain", TRUST_ATTR_QUARANTINED_DOMAIN },
	{ "forest-transitive", TRUST_ATTR_FOREST_TRANSITIVE },
	{ "cross-organization", TRUST_ATTR_CROSS_ORGANIZATION },
	{ "within-forest", TRUST_ATTR_WITHIN_FOREST },
	{ "treat-as-external", TRUST_ATTR_TREAT_AS_EXTERNAL },
	{ "uses-rc4-encryption", TRUST_ATTR_USES_RC4_ENCRYPTION },
	{ "uses-aes-keys", TRUST_ATTR_USES_AES_KEYS },
	{ "cross-organization-no-tgt-delegation", TRUST_ATTR_CROSS_ORG_NO_TGT_DELEGATION },
	{ "pim-trust", TRUST_ATTR_PIM_TRUST },
	{ "cross-organization-enable-tgt-delegation",
	  TRUST_ATTR_CROSS_ORG_ENABLE_TGT_DELEGATION },
	{ "disable-auth-target-validation", TRUST_ATTR_DISABLE_AUTH_TARGET_VALIDATION },
};

/* Short aliases accepted on input:
 *   quarantine, sid-filtering         = QUARANTINED_DOMAIN
 *   selective-auth, selective-authentication, cross-org = CROSS_ORGANIZATION
 *   rc4                               = USES_RC4_ENCRYPTION
 *   aes                               = USES_AES_KEYS
 *   pim                               = PIM_TRUST
 *   cross-org-no-tgt-delegation       = CROSS_ORGANIZATION_NO_TGT_DELEGATION
 *   cross-org-enable-tgt-delegation   = CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION
 *   none                              = 0
 * plus the canonical names with or without a TRUST_ATTRIBUTE_ prefix, in
 * any case, with '_' or '-' between words. */
static const bitword attr_aliases[] = {
	{ "quarantine", TRUST_ATTR_QUARANTINED_DOMAIN },
	{ "sid-filtering", TRUST_ATTR_QUARANTINED_DOMAIN },
	{ "selective-auth", TRUST_ATTR_CROSS_ORGANIZATION },
	{ "selective-authentication", TRUST_ATTR_CROSS_ORGANIZATION },
	{ "cross-org", TRUST_ATTR_CROSS_ORGANIZATION },
	{ "rc4", TRUST_ATTR_USES_RC4_ENCRYPTION },
	{ "aes", TRUST_ATTR_USES_AES_KEYS },
	{ "pim", TRUST_ATTR_PIM_TRUST },
	{ "cross-org-no-tgt-delegation", TRUST_ATTR_CROSS_ORG_NO_TGT_DELEGATION },
	{ "cross-org-enable-tgt-delegation", TRUST_ATTR_CROSS_ORG_ENABLE_TGT_DELEGATION },
	{ "none", 0 },
};

static const bitset_spec attr_spec = {
	attr_names, NWORDS(attr_names), attr_aliases, NWORDS(attr_aliases),
	TRUST_ATTR_ALL, "trust-attribute-", "trust attribute"
};

/* Encryption type names, in display order. */
static const bitword enc_names[] = {
	{ "aes128", ENCTYPE_BIT_AES128 },
	{ "aes256", ENCTYPE_BIT_AES256 },
	{ "rc4", ENCTYPE_BIT_RC4 },
	{ "des-crc", ENCTYPE_BIT_DES_CRC },
	{ "des-md5", ENCTYPE_BIT_DES_MD5 },
};

/* Group names and the MIT Kerberos spellings. */
static const bitword enc_aliases[] = {
	{ "aes", ENCTYPE_BITS_AES },
	{ "des", ENCTYPE_BIT_DES_CRC | ENCTYPE_BIT_DES_MD5 },
	{ "aes128-cts-hmac-sha1-96", ENCTYPE_BIT_AES128 },
	{ "aes128-cts", ENCTYPE_BIT_AES128 },
	{ "aes256-cts-hmac-sha1-96", ENCTYPE_BIT_AES256 },
	{ "aes256-cts", ENCTYPE_BIT_AES256 },
	{ "arcfour-hmac", ENCTYPE_BIT_RC4 },
	{ "arcfour-hmac-md5", ENCTYPE_BIT_RC4 },
	{ "rc4-hmac", ENCTYPE_BIT_RC4 },
	{ "des-cbc-crc", ENCTYPE_BIT_DES_CRC },
	{ "des-cbc-md5", ENCTYPE_BIT_DES_MD5 },
	{ "default", 0 },
};

#define ENCTYPE_BITS_ALL 0x1fu

static const bitset_spec enc_spec = {
	enc_names, NWORDS(enc_names), enc_aliases, NWORDS(enc_aliases),
	ENCTYPE_BITS_ALL, NULL, "encryption type"
};

/* Value of one token (a number or a name) of a bit set. */
static int bitset_token(const bitset_spec *sp, const char *tok, uint32_t *bits,
			tm_error *e)
{
	char norm[TOKEN_MAX];
	unsigned long v;
	const char *w = norm;
	size_t plen = sp->prefix ? strlen(sp->prefix) : 0;

	if (parse_number(tok, &v) == 0) {
		if (v & ~(unsigned long)sp->allowed)
			return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
				       "%s has bits (0x%lx) that are not a known %s.",
				       tok, v & ~(unsigned long)sp->allowed, sp->what);
		*bits = (uint32_t)v;
		return 0;
	}
	snprintf(norm, sizeof(norm), "%s", tok);
	normalise_word(norm);
	if (plen && strncmp(w, sp->prefix, plen) == 0)
		w += plen;
	if (word_lookup(sp->names, sp->nnames, w, bits) == 0 ||
	    word_lookup(sp->aliases, sp->naliases, w, bits) == 0)
		return 0;
	return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "\"%s\" is not a known %s.",
		       tok, sp->what);
}

/* Parse names or numbers separated by ',' or '|' and OR them together. */
static int bitset_parse(const bitset_spec *sp, const char *s, uint32_t *out, tm_error *e)
{
	char tok[TOKEN_MAX];
	uint32_t acc = 0, bits = 0;
	size_t len;

	if (!s || !*s)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "No %s was given.", sp->what);
	for (;;) {
		len = strcspn(s, ",|");
		if (trim_copy(s, len, tok, sizeof(tok)) < 0)
			return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
				       "A %s name in \"%s\" is too long.", sp->what, s);
		if (!tok[0])
			return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
				       "An empty item in a list of %ss.", sp->what);
		if (bitset_token(sp, tok, &bits, e) < 0)
			return -1;
		acc |= bits;
		if (!s[len])
			break;
		s += len + 1;
	}
	*out = acc;
	return 0;
}

/* Append s to buf (size n) after a ',' when buf is not empty; truncates. */
static void join_append(char *buf, size_t n, const char *s)
{
	size_t used = strlen(buf);

	if (used + 1 >= n)
		return;
	if (used > 0) {
		buf[used++] = ',';
		buf[used] = '\0';
	}
	error_append(buf, n, s);
}

/* Format bits by the canonical names of sp; leftover bits as hex. */
static char *bitset_format(const bitset_spec *sp, uint32_t bits, const char *zero,
			   char *buf, size_t n)
{
	char hex[16];
	size_t i;

	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (bits == 0) {
		join_append(buf, n, zero);
		return buf;
	}
	for (i = 0; i < sp->nnames; i++)
		if (bits & sp->names[i].bits)
			join_append(buf, n, sp->names[i].word);
	if (bits & ~sp->allowed) {
		snprintf(hex, sizeof(hex), "0x%x", (unsigned)(bits & ~sp->allowed));
		join_append(buf, n, hex);
	}
	return buf;
}

/* ---- parsers for single values ------------------------------------------ */

static const bitword direction_words[] = {
	{ "disabled", TRUST_DIRECTION_DISABLED },
	{ "inbound", TRUST_DIRECTION_INBOUND },
	{ "outbound", TRUST_DIRECTION_OUTBOUND },
	{ "both", TRUST_DIRECTION_BIDIRECTIONAL },
	{ "bidirectional", TRUST_DIRECTION_BIDIRECTIONAL },
	{ "two-way", TRUST_DIRECTION_BIDIRECTIONAL },
};

/* Parse inbound|outbound|both|bidirectional|two-way|disabled or 0-3. */
int trust_parse_direction(const char *s, uint32_t *out, tm_error *e)
{
	if (parse_word_or_number(s, direction_words, NWORDS(direction_words), 0,
				 TRUST_DIRECTION_BIDIRECTIONAL, out) == 0)
		return 0;
	return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
		       "\"%s\" is not a trust direction (inbound, outbound, both, disabled or 0-3).",
		       s ? s : "");
}

/* Type words; nt4 and ad are accepted as aliases of downlevel and uplevel. */
static const bitword type_words[] = {
	{ "downlevel", TRUST_TYPE_DOWNLEVEL },
	{ "nt4", TRUST_TYPE_DOWNLEVEL },
	{ "uplevel", TRUST_TYPE_UPLEVEL },
	{ "ad", TRUST_TYPE_UPLEVEL },
	{ "mit", TRUST_TYPE_MIT },
	{ "dce", TRUST_TYPE_DCE },
};

/* Parse downlevel|uplevel|mit|dce (or nt4|ad) or 1-4. */
int trust_parse_type(const char *s, uint32_t *out, tm_error *e)
{
	if (parse_word_or_number(s, type_words, NWORDS(type_words), TRUST_TYPE_DOWNLEVEL,
				 TRUST_TYPE_DCE, out) == 0)
		return 0;
	return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
		       "\"%s\" is not a trust type (downlevel, uplevel, mit, dce or 1-4).",
		       s ? s : "");
}

/* Parse attributes: numbers or names joined by ',' or '|'. */
int trust_parse_attributes(const char *s, uint32_t *out, tm_error *e)
{
	return bitset_parse(&attr_spec, s, out, e);
}

/* Parse encryption types: aes|rc4|aes128|aes256|des, MIT names, or numbers. */
int trust_parse_enctypes(const char *s, uint32_t *out, tm_error *e)
{
	return bitset_parse(&enc_spec, s, out, e);
}

static const bitword level_words[] = {
	{ "2000", LEVEL_2000 },
	{ "2003-interim", LEVEL_2003_MIXED },
	{ "2003", LEVEL_2003 },
	{ "2008", LEVEL_2008 },
	{ "2008R2", LEVEL_2008R2 },
	{ "2012", LEVEL_2012 },
	{ "2012R2", LEVEL_2012R2 },
	{ "2016", LEVEL_2016 },
};

/* Parse 2000|2003-interim|2003|2008|2008R2|2012|2012R2|2016, or the
 * msDS-Behavior-Version digit 0-7. */
int trust_parse_level(const char *s, tm_level *out, tm_error *e)
{
	char buf[TOKEN_MAX];
	uint32_t v;

	if (s && trim_copy(s, strlen(s), buf, sizeof(buf)) == 0) {
		if (buf[0] >= '0' && buf[0] <= '7' && buf[1] == '\0') {
			*out = (tm_level)(buf[0] - '0');
			return 0;
		}
		if (word_lookup(level_words, NWORDS(level_words), buf, &v) == 0) {
			*out = (tm_level)v;
			return 0;
		}
	}
	return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
		       "\"%s\" is not a functional level (2000, 2003, 2008, 2008R2, 2012, 2012R2 or 2016).",
		       s ? s : "");
}

/* ---- names for display ------------------------------------------------- */

/* "inbound", "outbound", "two-way", "disabled"; "invalid" otherwise. */
const char *trust_direction_name(uint32_t dir)
{
	switch (dir) {
	case TRUST_DIRECTION_DISABLED: return "disabled";
	case TRUST_DIRECTION_INBOUND: return "inbound";
	case TRUST_DIRECTION_OUTBOUND: return "outbound";
	case TRUST_DIRECTION_BIDIRECTIONAL: return "two-way";
	default: return "invalid";
	}
}

/* "downlevel", "uplevel", "mit", "dce", "unknown". */
const char *trust_type_name(uint32_t type)
{
	switch (type) {
	case TRUST_TYPE_DOWNLEVEL: return "downlevel";
	case TRUST_TYPE_UPLEVEL: return "uplevel";
	case TRUST_TYPE_MIT: return "mit";
	case TRUST_TYPE_DCE: return "dce";
	default: return "unknown";
	}
}

/* "2000" ... "2016"; LEVEL_2003_MIXED is "2003-interim". */
const char *trust_level_name(tm_level level)
{
	switch (level) {
	case LEVEL_2000: return "2000";
	case LEVEL_2003_MIXED: return "2003-interim";
	case LEVEL_2003: return "2003";
	case LEVEL_2008: return "2008";
	case LEVEL_2008R2: return "2008R2";
	case LEVEL_2012: return "2012";
	case LEVEL_2012R2: return "2012R2";
	case LEVEL_2016: return "2016";
	default: return "unknown";
	}
}

/* "ad", "nt4", "mit". */
const char *trust_kind_name(tm_kind kind)
{
	switch (kind) {
	case DOMAIN_AD: return "ad";
	case DOMAIN_NT4: return "nt4";
	case DOMAIN_MIT: return "mit";
	default: return "unknown";
	}
}

/* Health words for people. */
const char *trust_health_name(tm_health h)
{
	switch (h) {
	case HEALTH_UNKNOWN: return "not verified";
	case HEALTH_VERIFIED: return "verified";
	case HEALTH_BROKEN: return "broken";
	case HEALTH_PENDING_PERMIT: return "pending permit";
	case HEALTH_PERMITTED: return "permitted";
	case HEALTH_CHANCE_USED: return "one chance used";
	default: return "unknown";
	}
}

/* Hyphenated lower-case attribute names joined by ',', or "none". */
char *trust_format_attributes(uint32_t attrs, char *buf, size_t n)
{
	return bitset_format(&attr_spec, attrs, "none", buf, n);
}

/* Encryption type names ("aes128,aes256,rc4") or "default". */
char *trust_format_enctypes(uint32_t bits, char *buf, size_t n)
{
	return bitset_format(&enc_spec, bits, "default", buf, n);
}
