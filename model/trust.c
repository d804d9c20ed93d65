/* trust.c - domains, trusted domain objects, their constants and parsers.
 *
 * Parsers report malformed input as TM_EUSAGE with STATUS_INVALID_PARAMETER;
 * domain_validate() keeps the NTSTATUS name of the name/SID check that failed.
 */
#include "trust.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"

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
			return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
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
	return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "\"%s\" is not a known %s.",
		       tok, sp->what);
}

/* Parse names or numbers separated by ',' or '|' and OR them together. */
static int bitset_parse(const bitset_spec *sp, const char *s, uint32_t *out, tm_error *e)
{
	char tok[TOKEN_MAX];
	uint32_t acc = 0, bits = 0;
	size_t len;

	if (!s || !*s)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "No %s was given.", sp->what);
	for (;;) {
		len = strcspn(s, ",|");
		if (trim_copy(s, len, tok, sizeof(tok)) < 0)
			return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
				       "A %s name in \"%s\" is too long.", sp->what, s);
		if (!tok[0])
			return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
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
	strncat(buf, s, n - used - 1);
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

/* ---- TDOs ------------------------------------------------------------- */

/* Initialise an empty TDO. */
void tdo_init(tm_tdo *t)
{
	if (t)
		memset(t, 0, sizeof(*t));
}

/* Wipe secrets, free owned memory, leave an empty TDO. */
void tdo_free(tm_tdo *t)
{
	if (!t)
		return;
	authblob_free(&t->incoming);
	authblob_free(&t->outgoing);
	free(t->ftinfo);
	tdo_init(t);
}

/* Deep copy into dst (its old contents are not freed); dst is empty on failure. */
int tdo_copy(tm_tdo *dst, const tm_tdo *src)
{
	if (!dst || !src)
		return -1;
	*dst = *src;
	memset(&dst->incoming, 0, sizeof(dst->incoming));
	memset(&dst->outgoing, 0, sizeof(dst->outgoing));
	dst->ftinfo = NULL;
	dst->ftinfo_len = 0;
	if (authblob_copy(&dst->incoming, &src->incoming) < 0 ||
	    authblob_copy(&dst->outgoing, &src->outgoing) < 0)
		goto fail;
	if (src->ftinfo && src->ftinfo_len > 0) {
		dst->ftinfo = malloc(src->ftinfo_len);
		if (!dst->ftinfo)
			goto fail;
		memcpy(dst->ftinfo, src->ftinfo, src->ftinfo_len);
		dst->ftinfo_len = src->ftinfo_len;
	}
	return 0;
fail:
	tdo_free(dst);
	return -1;
}

/* Free n TDOs and the array; *v becomes NULL. */
void tdo_free_array(tm_tdo **v, size_t n)
{
	size_t i;

	if (!v || !*v)
		return;
	for (i = 0; i < n; i++)
		tdo_free(&(*v)[i]);
	free(*v);
	*v = NULL;
}

/* Is text a SID equal to sid? */
static int sid_text_equals(const char *text, const tm_sid *sid)
{
	tm_error err;
	tm_sid s;

	if (text[0] != 'S' && text[0] != 's')
		return 0;
	return sid_parse(text, &s, &err) == 0 && sid_equal(&s, sid);
}

/* Does the TDO name this partner (trustPartner, flatName or SID text)? */
int tdo_matches(const tm_tdo *t, const char *name)
{
	if (!t || !name || !name[0])
		return 0;
	if (t->partner[0] && name_equal(t->partner, name))
		return 1;
	if (t->flat[0] && name_equal(t->flat, name))
		return 1;
	return t->has_sid && sid_text_equals(name, &t->sid);
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
	return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
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
	return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
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
	return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
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

/* ---- domains ---------------------------------------------------------- */

/* Empty AD domain at level 2000 with unknown NT facts. */
void domain_init(tm_domain *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->kind = DOMAIN_AD;
	d->level = LEVEL_2000;
	d->nt_service_pack = -1;
	d->lm_compat_level = -1;
}

/* Does the domain answer to this name (store key, DNS, NetBIOS, realm, SID)? */
int domain_matches(const tm_domain *d, const char *name)
{
	const char *cand[4];
	size_t i;

	if (!d || !name || !name[0])
		return 0;
	cand[0] = d->name;
	cand[1] = d->dns;
	cand[2] = d->netbios;
	cand[3] = d->realm;
	for (i = 0; i < NWORDS(cand); i++)
		if (cand[i][0] && name_equal(cand[i], name))
			return 1;
	return d->has_sid && sid_text_equals(name, &d->sid);
}

/* AD -> DNS name, NT4 -> NetBIOS name, MIT -> realm; the first set one
 * of the others when the preferred one is empty. */
const char *domain_partner_name(const tm_domain *d)
{
	const char *order[3];
	size_t i;

	if (!d)
		return "";
	order[0] = d->kind == DOMAIN_NT4 ? d->netbios : d->kind == DOMAIN_MIT ? d->realm : d->dns;
	order[1] = d->dns;
	order[2] = d->kind == DOMAIN_MIT ? d->realm : d->netbios;
	for (i = 0; i < NWORDS(order); i++)
		if (order[i][0])
			return order[i];
	return d->realm;
}

/* Forest root DNS name; the domain's own DNS name when forest is empty
 * (its partner name when it has no DNS name either). */
const char *domain_forest(const tm_domain *d)
{
	if (!d)
		return "";
	if (d->forest[0])
		return d->forest;
	if (d->dns[0])
		return d->dns;
	return domain_partner_name(d);
}

/* Run a name/SID validator result into e, prefixed with the field. */
static int domain_field_fail(const tm_domain *d, const char *field, const tm_error *inner,
			     tm_error *e)
{
	/* A value breaking a naming rule (semantics 4.7) is a refusal. */
	return tm_fail(e, TM_EREFUSED, inner->status ? inner->status : ST_INVALID_PARAMETER,
		       "Domain \"%s\", %s: %s", d->name, field, inner->what);
}

/* The store key: non-empty, printable, no blanks, no path separators. */
static int domain_check_key(const tm_domain *d, tm_error *e)
{
	const unsigned char *p = (const unsigned char *)d->name;

	if (!*p || *p == '.' || *p == '-')
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "A domain needs a name that does not start with '.' or '-' (got \"%s\").",
			       d->name);
	for (; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '/' || *p == '\\')
			return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
				       "The domain name \"%s\" may not contain blanks, control characters, '/' or '\\'.",
				       d->name);
	return 0;
}

static int domain_check_dns(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	tm_error_clear(&in);
	if (!d->dns[0] && !required)
		return 0;
	if (name_check_dns(d->dns, &in) < 0)
		return domain_field_fail(d, "DNS name", &in, e);
	return 0;
}

static int domain_check_netbios(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	tm_error_clear(&in);
	if (!d->netbios[0] && !required)
		return 0;
	if (name_check_netbios(d->netbios, &in) < 0)
		return domain_field_fail(d, "NetBIOS name", &in, e);
	return 0;
}

static int domain_check_sid(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	tm_error_clear(&in);
	if (!d->has_sid) {
		if (!required)
			return 0;
		return tm_fail(e, TM_EUSAGE, ST_INVALID_SID,
			       "Domain \"%s\" needs its domain SID (S-1-5-21-a-b-c).", d->name);
	}
	if (sid_check_domain(&d->sid, &in) < 0)
		return domain_field_fail(d, "domain SID", &in, e);
	return 0;
}

static int domain_check_realm(const tm_domain *d, int required, tm_error *e)
{
	tm_error in;

	tm_error_clear(&in);
	if (!d->realm[0] && !required)
		return 0;
	if (name_check_realm(d->realm, &in) < 0)
		return domain_field_fail(d, "Kerberos realm", &in, e);
	return 0;
}

/* Forest root name, level and the NT facts. */
static int domain_check_misc(const tm_domain *d, tm_error *e)
{
	tm_error in;

	tm_error_clear(&in);
	if (d->forest[0] && name_check_dns(d->forest, &in) < 0)
		return domain_field_fail(d, "forest root name", &in, e);
	if (d->level < LEVEL_2000 || d->level > LEVEL_2016)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\": functional level %d is not one of 2000 to 2016.",
			       d->name, (int)d->level);
	if (d->nt_service_pack < -1 || d->nt_service_pack > 6)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\": NT service pack %d is not 0-6 (or unknown).",
			       d->name, d->nt_service_pack);
	if (d->lm_compat_level < -1 || d->lm_compat_level > 5)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\": LMCompatibilityLevel %d is not 0-5 (or unknown).",
			       d->name, d->lm_compat_level);
	return 0;
}

/* Validate every field of a domain: AD needs DNS, NetBIOS, SID and realm;
 * NT4 needs NetBIOS and SID; MIT needs a realm; fields that are set but not
 * required are validated too. */
int domain_validate(const tm_domain *d, tm_error *e)
{
	int ad, nt4, mit;

	if (!d)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "No domain was given.");
	if (domain_check_key(d, e) < 0)
		return -1;
	if (d->kind != DOMAIN_AD && d->kind != DOMAIN_NT4 && d->kind != DOMAIN_MIT)
		return tm_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "Domain \"%s\" has an unknown kind (%d).", d->name, (int)d->kind);
	ad = d->kind == DOMAIN_AD;
	nt4 = d->kind == DOMAIN_NT4;
	mit = d->kind == DOMAIN_MIT;
	if (domain_check_dns(d, ad, e) < 0 || domain_check_netbios(d, ad || nt4, e) < 0 ||
	    domain_check_sid(d, ad || nt4, e) < 0 || domain_check_realm(d, ad || mit, e) < 0)
		return -1;
	return domain_check_misc(d, e);
}

/* ---- rows of a listing ------------------------------------------------- */

/* Room for one more row; the array grows geometrically. */
static int rows_room(tm_tdo_rows *r)
{
	tm_tdo_row *v = grow_array(r->v, &r->cap, r->n + 1, sizeof(*v), 64);

	if (!v)
		return -1;
	r->v = v;
	return 0;
}

/* Copy s (with its NUL) into the text; its offset in *off. */
static int rows_text(tm_tdo_rows *r, const char *s, uint32_t *off)
{
	size_t len = strlen(s) + 1;
	char *t;

	if (r->len + len > UINT32_MAX)
		return -1;
	if (!(t = grow_array(r->text, &r->text_cap, r->len + len, 1, 4096)))
		return -1;
	r->text = t;
	memcpy(r->text + r->len, s, len);
	*off = (uint32_t)r->len;
	r->len += len;
	return 0;
}

int tdo_rows_add(tm_tdo_rows *r, const tm_tdo *t)
{
	tm_tdo_row *row;

	if (rows_room(r) < 0)
		return -1;
	row = &r->v[r->n];
	if (rows_text(r, t->partner, &row->partner) < 0 || rows_text(r, t->flat, &row->flat) < 0)
		return -1;
	row->direction = t->direction;
	row->type = t->type;
	row->attributes = t->attributes;
	r->n++;
	return 0;
}

const char *tdo_rows_partner(const tm_tdo_rows *r, size_t i)
{
	return r->text + r->v[i].partner;
}

const char *tdo_rows_flat(const tm_tdo_rows *r, size_t i)
{
	return r->text + r->v[i].flat;
}

void tdo_rows_trim(tm_tdo_rows *r)
{
	tm_tdo_row *v;
	char *t;

	if (r->n && r->n < r->cap && (v = realloc(r->v, r->n * sizeof(*v))) != NULL) {
		r->v = v;
		r->cap = r->n;
	}
	if (r->len && r->len < r->text_cap && (t = realloc(r->text, r->len)) != NULL) {
		r->text = t;
		r->text_cap = r->len;
	}
}

void tdo_rows_free(tm_tdo_rows *r)
{
	free(r->v);
	free(r->text);
	memset(r, 0, sizeof(*r));
}
