/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* names.c - NetBIOS, DNS and realm names: validation and comparison. */
#include "model/name.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "model/utf8.h"

#define DNS_LABEL_MAX 63
#define DNS_NAME_MAX 253
#define REALM_MAX 253

static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* 1 when the valid UTF-8 string s contains a control character. */
static int has_control(const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp = 0;
	int n;

	while (i < len && (n = utf8_next(s + i, len - i, &cp)) > 0) {
		if (is_control(cp))
			return 1;
		i += (size_t)n;
	}
	return 0;
}

/* s for a message: invalid bytes and control characters as \xHH. */
static const char *shown(const char *s, size_t len, char *buf, size_t n)
{
	return utf8_shown(s, len, buf, n);
}

static int nb_fail(tm_error *e, const char *status, const char *nb, const char *why)
{
	char v[128];

	return error_fail(e, TM_EREFUSED, status, "\"%.80s\" is not a valid NetBIOS name: %s.",
		       shown(nb, strlen(nb), v, sizeof(v)), why);
}

static int all_dots(const char *s)
{
	return s[strspn(s, ".")] == '\0';
}

static int fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_casecmp(const char *a, const char *b)
{
	while (*a && fold((unsigned char)*a) == fold((unsigned char)*b)) {
		a++;
		b++;
	}
	return fold((unsigned char)*a) - fold((unsigned char)*b);
}

/* name_check_netbios: docs/RULES.md, rule 7, for flat names. */
int name_check_netbios(const char *nb, tm_error *e)
{
	long len;
	const char *bad;

	if (!nb || !*nb)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "A NetBIOS name is needed (1 to 15 characters).");
	len = utf8_count(nb, strlen(nb));
	if (len < 0)
		return nb_fail(e, ST_INVALID_PARAMETER, nb, "it is not valid UTF-8 text (the bytes "
			       "shown as \\xHH are not part of a character)");
	if (len > NB_MAX_CHARS)
		return nb_fail(e, ST_OBJECT_NAME_INVALID, nb,
			       "it is longer than 15 characters");
	if (has_control(nb))
		return nb_fail(e, ST_INVALID_PARAMETER, nb,
			       "it contains a control character");
	bad = strpbrk(nb, "\\/:*?\"<>|");
	if (bad)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "\"%.80s\" is not a valid NetBIOS name: the character '%c' "
			       "is not allowed (none of \\ / : * ? \" < > |).", nb, *bad);
	if (all_dots(nb))
		return nb_fail(e, ST_INVALID_PARAMETER, nb, "it consists only of dots");
	if (ascii_casecmp(nb, "BUILTIN") == 0)
		return nb_fail(e, ST_INVALID_PARAMETER, nb,
			       "BUILTIN is the local built-in domain of every computer");
	return 0;
}

static int is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

static int dns_label_fail(tm_error *e, const char *dns, const char *label,
			  size_t llen, const char *why)
{
	char d[160], l[128];

	return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
		       "\"%.100s\" is not a valid DNS name: the label \"%.80s\" %s.",
		       shown(dns, strlen(dns), d, sizeof(d)),
		       shown(label, llen > DNS_LABEL_MAX ? DNS_LABEL_MAX : llen, l, sizeof(l)), why);
}

/* Check one label of llen bytes at p. */
static int dns_check_label(const char *dns, const char *p, size_t llen, tm_error *e)
{
	size_t i;

	char d[160];

	if (llen == 0)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "\"%.100s\" is not a valid DNS name: it has an empty label "
			       "(two dots in a row, or a leading dot).",
			       shown(dns, strlen(dns), d, sizeof(d)));
	if (llen > DNS_LABEL_MAX)
		return dns_label_fail(e, dns, p, llen, "is longer than 63 characters");
	for (i = 0; i < llen; i++)
		if (!is_ldh(p[i]))
			return dns_label_fail(e, dns, p, llen, "may contain only "
					      "letters, digits and hyphens");
	if (p[0] == '-' || p[llen - 1] == '-')
		return dns_label_fail(e, dns, p, llen,
				      "must not start or end with a hyphen");
	return 0;
}

/* name_check_dns: RFC 1035/1123 host name syntax. */
int name_check_dns(const char *dns, tm_error *e)
{
	size_t len, start = 0, dot;
	char d[160];

	if (!dns || !*dns)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER, "A DNS name is needed.");
	len = strlen(dns);
	if (dns[len - 1] == '.')
		len--;
	if (len > DNS_NAME_MAX)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The DNS name \"%.60s...\" is %zu characters long; at most 253 "
			       "are allowed.", shown(dns, 60, d, sizeof(d)), len);
	do {
		dot = start;
		while (dot < len && dns[dot] != '.')
			dot++;
		if (dns_check_label(dns, dns + start, dot - start, e) < 0)
			return -1;
		start = dot + 1;
	} while (dot < len);
	return 0;
}

/* name_check_realm: printable ASCII without '/', '@' or spaces. */
int name_check_realm(const char *realm, tm_error *e)
{
	size_t len, i;
	char v[160];

	if (!realm || !*realm)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "A Kerberos realm name is needed.");
	len = strlen(realm);
	if (len > REALM_MAX)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The realm name is %zu characters long; at most 253 are allowed.",
			       len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)realm[i];

		if (c <= 0x20 || c >= 0x7f || c == '/' || c == '@')
			return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
				       "\"%.100s\" is not a valid realm name: it may contain only "
				       "printable ASCII characters other than '/', '@' and "
				       "space.", shown(realm, len, v, sizeof(v)));
	}
	return 0;
}

/* Length of s without one trailing dot. */
static size_t len_no_dot(const char *s)
{
	size_t n = strlen(s);

	return (n > 0 && s[n - 1] == '.') ? n - 1 : n;
}

/* name_equal: ASCII case-insensitive, one trailing dot ignored. */
int name_equal(const char *a, const char *b)
{
	size_t la, lb, i;

	if (!a || !b)
		return 0;
	la = len_no_dot(a);
	lb = len_no_dot(b);
	if (la != lb)
		return 0;
	for (i = 0; i < la; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return 0;
	return 1;
}

static void copy_case(char *dst, const char *src, size_t n, int upper)
{
	size_t len, i;

	if (!dst || n == 0)
		return;
	if (!src)
		src = "";
	len = utf8_prefix(src, strlen(src), n - 1);
	for (i = 0; i < len; i++) {
		char c = src[i];

		if (upper && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!upper && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		dst[i] = c;
	}
	dst[len] = '\0';
}

/* name_upper: ASCII upper-case copy, truncated on a character boundary. */
void name_upper(char *dst, const char *src, size_t n)
{
	copy_case(dst, src, n, 1);
}

/* name_lower: ASCII lower-case copy, truncated on a character boundary. */
void name_lower(char *dst, const char *src, size_t n)
{
	copy_case(dst, src, n, 0);
}

/* Append len bytes of s at *k; -1 when buf (size n) would overflow. */
static int put(char *buf, size_t n, size_t *k, const char *s, size_t len)
{
	if (*k + len >= n)
		return -1;
	memcpy(buf + *k, s, len);
	*k += len;
	buf[*k] = '\0';
	return 0;
}

/* name_dns_to_dn: "corp.example" -> "dc=corp,dc=example"; the name must be
 * a valid DNS name (so no DN escaping is needed). Returns 0, or -1 when the
 * name is invalid or buf is too small (buf then holds ""). */
int name_dns_to_dn(const char *dns, char *buf, size_t n)
{
	size_t len, start = 0, dot, k = 0;

	if (!buf || n == 0)
		return -1;
	buf[0] = '\0';
	if (name_check_dns(dns, NULL) < 0)
		return -1;
	len = len_no_dot(dns);
	for (; start < len; start = dot + 1) {
		dot = start;
		while (dot < len && dns[dot] != '.')
			dot++;
		if (put(buf, n, &k, start ? ",dc=" : "dc=", start ? 4 : 3) < 0 ||
		    put(buf, n, &k, dns + start, dot - start) < 0) {
			buf[0] = '\0';
			return -1;
		}
	}
	return 0;
}

size_t name_hash(const char *name)
{
	size_t len = strlen(name), h = (size_t)1469598103934665603u, i;

	if (len && name[len - 1] == '.')
		len--;
	for (i = 0; i < len; i++)
		h = (h ^ (size_t)tolower((unsigned char)name[i])) * (size_t)1099511628211u;
	return h;
}
