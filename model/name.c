/* names.c - NetBIOS, DNS and realm names: validation and comparison. */
#include "model/name.h"

#include <ctype.h>

#include <string.h>

#define DNS_LABEL_MAX 63
#define DNS_NAME_MAX 253
#define REALM_MAX 253

/* Length of the UTF-8 sequence starting at s (1-4) with its code point in
 * *cp, or 0 when the sequence is invalid (stray continuation byte,
 * truncated, overlong, surrogate or above U+10FFFF). */
static size_t utf8_next(const unsigned char *s, unsigned long *cp)
{
	static const unsigned long min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n, i;
	unsigned long c = s[0];

	if (c < 0x80)
		n = 1;
	else if ((c & 0xe0) == 0xc0)
		n = 2, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		n = 3, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		n = 4, c &= 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* name_utf8_len: code points in s, -1 when s is not valid UTF-8. */
long name_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	long count = 0;
	size_t n;

	if (!s)
		return -1;
	while (*p) {
		n = utf8_next(p, &cp);
		if (n == 0)
			return -1;
		p += n;
		count++;
	}
	return count;
}

static int is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* 1 when the valid UTF-8 string s contains a control character. */
static int has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp = 0;

	while (*p) {
		p += utf8_next(p, &cp);
		if (is_control(cp))
			return 1;
	}
	return 0;
}

static int nb_fail(tm_error *e, const char *status, const char *nb, const char *why)
{
	return error_fail(e, TM_EREFUSED, status, "\"%.80s\" is not a valid NetBIOS name: %s.",
		       nb, why);
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

/* name_check_netbios: semantics 4.7 for flat names. */
int name_check_netbios(const char *nb, tm_error *e)
{
	long len;
	const char *bad;

	if (!nb || !*nb)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "A NetBIOS name is needed (1 to 15 characters).");
	len = name_utf8_len(nb);
	if (len < 0)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The NetBIOS name is not valid UTF-8 text.");
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
	return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
		       "\"%.100s\" is not a valid DNS name: the label \"%.*s\" %s.",
		       dns, (int)(llen > DNS_LABEL_MAX ? DNS_LABEL_MAX : llen), label, why);
}

/* Check one label of llen bytes at p. */
static int dns_check_label(const char *dns, const char *p, size_t llen, tm_error *e)
{
	size_t i;

	if (llen == 0)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "\"%.100s\" is not a valid DNS name: it has an empty label "
			       "(two dots in a row, or a leading dot).", dns);
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

	if (!dns || !*dns)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER, "A DNS name is needed.");
	len = strlen(dns);
	if (dns[len - 1] == '.')
		len--;
	if (len > DNS_NAME_MAX)
		return error_fail(e, TM_EREFUSED, ST_INVALID_PARAMETER,
			       "The DNS name \"%.60s...\" is %zu characters long; at most 253 "
			       "are allowed.", dns, len);
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
				       "space.", realm);
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

/* How many bytes of src fit in n - 1 without splitting a UTF-8 sequence. */
static size_t fit_utf8(const char *src, size_t n)
{
	size_t len = strlen(src);

	if (len < n)
		return len;
	len = n - 1;
	while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
		len--;
	return len;
}

static void copy_case(char *dst, const char *src, size_t n, int upper)
{
	size_t len, i;

	if (!dst || n == 0)
		return;
	if (!src)
		src = "";
	len = fit_utf8(src, n);
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
