/* config.c - trustmgr.conf: the real domains, read with libkrb5's profile
 * library (the format is in config.h).
 *
 * The profile library parses; this file checks. Every fault becomes one
 * message "FILE: domain A: key K: what is wrong" with a next step; the
 * library's own error codes appear only as a detail (error_message()).
 * Two things krb5.conf parsing does not do are done here: " # ..." after a
 * value is a comment (the example in config.h has them), and a relative
 * file name is taken relative to the configuration file's folder.
 * Secrets are never read from the configuration itself, only from the
 * files it names (cfg_read_secret), and never appear in a message.
 */
#include "config.h"

#include <com_err.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ldap.h>
#include <profile.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/names.h"
#include "../model/secret.h"
#include "../model/sid.h"

#define CFG_SYSTEM_PATH "/etc/trustmgr.conf"
#define CFG_VALUE_MAX (CFG_STR * CFG_MAX_URIS)
#define CFG_TIMEOUT_DEFAULT 10
#define CFG_TIMEOUT_MAX 600
#define CFG_ROTATION_DEFAULT 30
#define CFG_ROTATION_MAX 3650
#define CFG_VERIFY_SERVICE "kadmin/admin"
#define CFG_KEY_SHOWN 64            /* longest key name quoted in a message */
#define NELEM(t) (sizeof(t) / sizeof((t)[0]))

/* ---- context and messages ------------------------------------------------ */

/* Where the reader is: every message starts with file, then where. */
typedef struct cfg_ctx {
	const char *file;                  /* the configuration file */
	char dir[PATH_MAX];                /* its folder: relative names start here */
	char where[DOMAIN_KEY_MAX + 16];   /* "domain A", "[trustmgr]" or "" */
	profile_t prof;
	tm_error *e;
} cfg_ctx;

static int ctx_vfail(const cfg_ctx *c, const char *status, const char *key, const char *fmt,
		     va_list ap) __attribute__((format(printf, 4, 0)));
static int ctx_fail(const cfg_ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int ctx_hint(const cfg_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record "FILE: WHERE: key KEY: message" (TM_EUSAGE); returns -1. */
static int ctx_vfail(const cfg_ctx *c, const char *status, const char *key, const char *fmt,
		     va_list ap)
{
	char msg[TM_WHAT_MAX];
	char pre[sizeof(c->where) + CFG_KEY_SHOWN + 16];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(pre, sizeof(pre), "%s%s%s%.*s%s", c->where, c->where[0] ? ": " : "",
		 key ? "key " : "", CFG_KEY_SHOWN, key ? key : "", key ? ": " : "");
	return tm_fail(c->e, TM_EUSAGE, status, "%s: %s%s", c->file, pre, msg);
}

/* A fault about key (NULL: about the block or the file). */
static int ctx_fail(const cfg_ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ctx_vfail(c, NULL, key, fmt, ap);
	va_end(ap);
	return rc;
}

/* Set the next step of the fault just recorded; returns -1. */
static int ctx_hint(const cfg_ctx *c, const char *fmt, ...)
{
	char buf[TM_NEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tm_hint(c->e, "%s", buf);
	return -1;
}

/* A fault found by a model validator (its sentence and NTSTATUS kept). */
static int ctx_inner(const cfg_ctx *c, const char *key, const tm_error *in, const char *hint)
{
	ctx_fail(c, key, "%s", in->what);
	if (c->e)
		c->e->status = in->status;
	return ctx_hint(c, "%s", in->next[0] ? in->next : hint);
}

/* A profile library failure: its words only as a detail. */
static int ctx_lib(const cfg_ctx *c, long code)
{
	ctx_fail(c, NULL, "the file could not be read as krb5.conf syntax (profile library: %s).",
		 error_message(code));
	return ctx_hint(c, "Each section starts with [name] on its own line; each domain is "
			"`NAME = {` ... `}` with one `key = value` per line and the closing "
			"brace on its own line.");
}

/* ---- small helpers --------------------------------------------------------- */

/* Copy s into buf of n; 0, or -1 when it does not fit. */
static int copy_str(char *buf, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n)
		return -1;
	memcpy(buf, s, len + 1);
	return 0;
}

/* A value without a trailing " # comment" and blanks; -1 when too long. */
static int value_clean(const char *v, char *buf, size_t n)
{
	const char *p;
	size_t len;

	for (p = v; *p; p++)
		if (*p == '#' && (p == v || isblank((unsigned char)p[-1])))
			break;
	len = (size_t)(p - v);
	while (len > 0 && isspace((unsigned char)v[len - 1]))
		len--;
	if (len >= n)
		return -1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 0;
}

/* Levenshtein distance of two short words (for "did you mean"). */
static size_t word_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, row[CFG_KEY_SHOWN + 1];

	if (la > CFG_KEY_SHOWN || lb > CFG_KEY_SHOWN)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + (tolower((unsigned char)a[i - 1]) !=
					 tolower((unsigned char)b[j - 1]));
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
		}
	}
	return row[lb];
}

/* ---- file names ------------------------------------------------------------ */

/* Resolve a file name from the configuration into out (relative names
 * start at the configuration file's folder). */
static int cfg_resolve(const cfg_ctx *c, const char *key, const char *v, char *out, size_t n)
{
	int k;

	if (v[0] == '/')
		k = snprintf(out, n, "%s", v);
	else
		k = snprintf(out, n, "%s/%s", c->dir, v);
	if (k < 0 || (size_t)k >= n) {
		ctx_fail(c, key, "the file name is longer than %zu characters.", n - 1);
		return ctx_hint(c, "Use a shorter path.");
	}
	return 0;
}

/* The named file must exist and be a regular file; a secret one must not
 * be readable by group or others. */
static int cfg_check_file(const cfg_ctx *c, const char *key, const char *path, int secret)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int err = errno;

		if (err == ENOENT || err == ENOTDIR) {
			ctx_fail(c, key, "%s does not exist.", path);
			return ctx_hint(c, "Create it%s, or correct the path in %s.",
					secret ? " (one line, chmod 600)" : "", c->file);
		}
		ctx_fail(c, key, "%s cannot be checked: %s.", path, strerror(err));
		return ctx_hint(c, "Check the folders on the way to it, or correct the path.");
	}
	if (!S_ISREG(st.st_mode)) {
		ctx_fail(c, key, "%s is not a regular file.", path);
		return ctx_hint(c, "Name the file itself, not a folder or a device.");
	}
	if (secret && (st.st_mode & (S_IRGRP | S_IROTH))) {
		ctx_fail(c, key, "%s holds a secret but is readable by group or others (mode %04o).",
			 path, (unsigned)(st.st_mode & 07777));
		return ctx_hint(c, "Run `chmod 600 %s`.", path);
	}
	return 0;
}

/* ---- the keys of a domain block --------------------------------------------- */

#define KEY_MULTI  0x1              /* may be given several times */
#define KEY_SECRET 0x2              /* a file holding a secret */

typedef struct cfg_key cfg_key;
typedef int (*cfg_setter)(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v);

struct cfg_key {
	const char *name;
	cfg_setter set;
	size_t off;                  /* field in cfg_domain */
	size_t size;                 /* its size */
	int flags;
	const char *example;         /* a value shown in hints */
};

/* A word of a closed set and the value it stands for. */
typedef struct cfg_word {
	const char *word;
	int value;
} cfg_word;

static const cfg_word bind_words[] = {
	{ "simple", CFG_BIND_SIMPLE },
	{ "sasl_external", CFG_BIND_SASL_EXTERNAL },
	{ "sasl_gssapi", CFG_BIND_SASL_GSSAPI },
};
static const cfg_word tls_words[] = {
	{ "starttls", CFG_TLS_STARTTLS },
	{ "ldaps", CFG_TLS_LDAPS },
	{ "none", CFG_TLS_NONE },
};
static const cfg_word kind_words[] = {
	{ "ad", DOMAIN_AD },
	{ "nt4", DOMAIN_NT4 },
	{ "mit", DOMAIN_MIT },
};
static const cfg_word bool_words[] = {
	{ "true", 1 }, { "yes", 1 }, { "on", 1 }, { "1", 1 }, { "y", 1 }, { "t", 1 },
	{ "false", 0 }, { "no", 0 }, { "off", 0 }, { "0", 0 }, { "n", 0 }, { "nil", 0 },
};

/* The words of a set joined by ", " (all of them, or the first n). */
static void words_join(const cfg_word *w, size_t n, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", w[i].word);
}

/* Look v up in a closed set (case-insensitive). */
static int word_pick(const cfg_ctx *c, const char *key, const char *v, const cfg_word *w,
		     size_t n, size_t shown, int *out)
{
	char list[256];
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v, w[i].word) == 0) {
			*out = w[i].value;
			return 0;
		}
	words_join(w, shown, list, sizeof(list));
	ctx_fail(c, key, "'%s' is not one of %s.", v, list);
	return ctx_hint(c, "Set %s to one of %s.", key, list);
}

/* The field of d that key k fills. */
static void *key_field(const cfg_key *k, cfg_domain *d)
{
	return (char *)d + k->off;
}

/* A plain string. */
static int set_string(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	if (copy_str(key_field(k, d), k->size, v) < 0) {
		ctx_fail(c, k->name, "the value is longer than %zu characters.", k->size - 1);
		return ctx_hint(c, "Shorten the value of %s.", k->name);
	}
	return 0;
}

/* A principal or service name: a string without blanks or control characters. */
static int set_principal(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	const unsigned char *p;

	for (p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p == 0x7f) {
			ctx_fail(c, k->name, "'%s' contains a blank or a control character.", v);
			return ctx_hint(c, "Write a Kerberos principal name like %s.", k->example);
		}
	return set_string(c, k, d, v);
}

/* An LDAP DN, checked with libldap's parser. */
static int set_dn(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	LDAPDN dn = NULL;
	int rc = ldap_str2dn(v, &dn, LDAP_DN_FORMAT_LDAPV3);

	if (rc != LDAP_SUCCESS) {
		ctx_fail(c, k->name, "'%s' is not a valid LDAP DN (libldap: %s).", v,
			 ldap_err2string(rc));
		return ctx_hint(c, "Write a DN like %s.", k->example);
	}
	ldap_dnfree(dn);
	return set_string(c, k, d, v);
}

/* A file that must exist (a secret one with mode 600). */
static int set_file(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	if (cfg_resolve(c, k->name, v, key_field(k, d), k->size) < 0)
		return -1;
	return cfg_check_file(c, k->name, key_field(k, d), (k->flags & KEY_SECRET) != 0);
}

/* dns_name and forest: RFC 1123 DNS names. */
static int set_dns(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	tm_error in;

	tm_error_clear(&in);
	if (name_check_dns(v, &in) < 0)
		return ctx_inner(c, k->name, &in, "Write a DNS name like corp.example.com.");
	return set_string(c, k, d, v);
}

static int set_netbios(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	tm_error in;

	tm_error_clear(&in);
	if (name_check_netbios(v, &in) < 0)
		return ctx_inner(c, k->name, &in, "Write a NetBIOS name of 1 to 15 characters like CORP.");
	return set_string(c, k, d, v);
}

static int set_realm(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	tm_error in;

	tm_error_clear(&in);
	if (name_check_realm(v, &in) < 0)
		return ctx_inner(c, k->name, &in, "Write the Kerberos realm like CORP.EXAMPLE.COM.");
	return set_string(c, k, d, v);
}

/* sid: a domain SID S-1-5-21-a-b-c. */
static int set_sid(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	tm_error in;

	tm_error_clear(&in);
	if (sid_parse(v, &d->dom.sid, &in) < 0 || sid_check_domain(&d->dom.sid, &in) < 0)
		return ctx_inner(c, k->name, &in, "Write the domain SID like S-1-5-21-1001-2001-3001.");
	d->dom.has_sid = 1;
	return 0;
}

static int set_level(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	tm_error in;

	tm_error_clear(&in);
	if (trust_parse_level(v, &d->dom.level, &in) < 0)
		return ctx_inner(c, k->name, &in,
				 "Write one of 2000, 2003, 2008, 2008R2, 2012, 2012R2 or 2016.");
	return 0;
}

static int set_kind(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	int x;

	if (word_pick(c, k->name, v, kind_words, NELEM(kind_words), NELEM(kind_words), &x) < 0)
		return -1;
	d->dom.kind = (tm_kind)x;
	return 0;
}

static int set_bind(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	int x;

	if (word_pick(c, k->name, v, bind_words, NELEM(bind_words), NELEM(bind_words), &x) < 0)
		return -1;
	d->bind = (cfg_bind)x;
	return 0;
}

static int set_tls(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	int x;

	if (word_pick(c, k->name, v, tls_words, NELEM(tls_words), NELEM(tls_words), &x) < 0)
		return -1;
	d->tls = (cfg_tls)x;
	return 0;
}

/* A boolean: true/false, yes/no, on/off, 1/0 (as profile_get_boolean). */
static int set_bool(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	return word_pick(c, k->name, v, bool_words, NELEM(bool_words), 2, key_field(k, d));
}

/* One LDAP URI: ldap://, ldaps:// or ldapi://, and parsed by libldap. */
static int uri_check(const cfg_ctx *c, const char *key, const char *u)
{
	LDAPURLDesc *lud = NULL;
	int rc;

	if (strncasecmp(u, "ldap://", 7) != 0 && strncasecmp(u, "ldaps://", 8) != 0 &&
	    strncasecmp(u, "ldapi://", 8) != 0) {
		ctx_fail(c, key, "'%s' does not start with ldap://, ldaps:// or ldapi://.", u);
		return ctx_hint(c, "Write an LDAP URI like ldap://dc1.corp.example.com/ (StartTLS), "
				"ldaps://dc1.corp.example.com/ or ldapi://%%2Frun%%2Fslapd%%2Fldapi.");
	}
	rc = ldap_url_parse(u, &lud);
	if (rc != LDAP_URL_SUCCESS) {
		ctx_fail(c, key, "'%s' is not a valid LDAP URI (libldap URL error %d).", u, rc);
		return ctx_hint(c, "Write scheme://host:port/, with %%2F for each / of an ldapi path.");
	}
	ldap_free_urldesc(lud);
	return 0;
}

/* Append one URI to the failover list. */
static int uri_add(const cfg_ctx *c, const char *key, cfg_domain *d, const char *u)
{
	if (uri_check(c, key, u) < 0)
		return -1;
	if (d->nuris == CFG_MAX_URIS) {
		ctx_fail(c, key, "more than %d URIs are given.", CFG_MAX_URIS);
		return ctx_hint(c, "Keep at most %d ldap_uri values.", CFG_MAX_URIS);
	}
	if (copy_str(d->ldap_uri[d->nuris], CFG_STR, u) < 0) {
		ctx_fail(c, key, "'%.64s...' is longer than %d characters.", u, CFG_STR - 1);
		return ctx_hint(c, "Use a shorter URI.");
	}
	d->nuris++;
	return 0;
}

/* ldap_uri: each relation adds to the failover list, in order; a value
 * holding several URIs separated by blanks adds each of them. */
static int set_uri(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	char buf[CFG_VALUE_MAX], *save = NULL, *u;

	if (copy_str(buf, sizeof(buf), v) < 0) {
		ctx_fail(c, k->name, "the value is too long.");
		return ctx_hint(c, "Give one URI per ldap_uri line.");
	}
	for (u = strtok_r(buf, " \t", &save); u; u = strtok_r(NULL, " \t", &save))
		if (uri_add(c, k->name, d, u) < 0)
			return -1;
	return 0;
}

#define DKEY(name, fn, field, flags, ex) \
	{ name, fn, offsetof(cfg_domain, field), sizeof(((cfg_domain *)0)->field), flags, ex }

static const cfg_key domain_keys[] = {
	DKEY("dns_name", set_dns, dom.dns, 0, "corp.example.com"),
	DKEY("netbios_name", set_netbios, dom.netbios, 0, "CORP"),
	DKEY("sid", set_sid, dom.sid, 0, "S-1-5-21-1001-2001-3001"),
	DKEY("forest", set_dns, dom.forest, 0, "corp.example.com"),
	DKEY("functional_level", set_level, dom.level, 0, "2016"),
	DKEY("realm", set_realm, dom.realm, 0, "CORP.EXAMPLE.COM"),
	DKEY("kind", set_kind, dom.kind, 0, "ad"),
	DKEY("ldap_uri", set_uri, ldap_uri, KEY_MULTI, "ldap://dc1.corp.example.com/"),
	DKEY("base_dn", set_dn, base_dn, 0, "dc=corp,dc=example,dc=com"),
	DKEY("bind", set_bind, bind, 0, "simple"),
	DKEY("bind_dn", set_dn, bind_dn, 0, "cn=admin,dc=corp,dc=example,dc=com"),
	DKEY("bind_password_file", set_file, bind_password_file, KEY_SECRET, "/path/ldap-admin.pw"),
	DKEY("tls", set_tls, tls, 0, "starttls"),
	DKEY("tls_cacert", set_file, tls_cacert, 0, "/path/ca.pem"),
	DKEY("allow_plaintext_secrets", set_bool, allow_plaintext_secrets, 0, "false"),
	DKEY("kadmin_principal", set_principal, kadmin_principal, 0, "admin/admin@CORP.EXAMPLE.COM"),
	DKEY("kadmin_password_file", set_file, kadmin_password_file, KEY_SECRET, "/path/kadmin.pw"),
	DKEY("kadmin_keytab", set_file, kadmin_keytab, KEY_SECRET, "/path/admin.keytab"),
	DKEY("verify_principal", set_principal, verify_principal, 0, "user@CORP.EXAMPLE.COM"),
	DKEY("verify_password_file", set_file, verify_password_file, KEY_SECRET, "/path/user.pw"),
	DKEY("verify_keytab", set_file, verify_keytab, KEY_SECRET, "/path/user.keytab"),
	DKEY("verify_service", set_principal, verify_service, 0, "kadmin/admin"),
};

#define NKEYS NELEM(domain_keys)

/* One domain block being read: the result and how often each key came. */
typedef struct cfg_block {
	cfg_domain *d;
	unsigned count[NKEYS];
} cfg_block;

static const cfg_key *key_find(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(domain_keys[i].name, name) == 0)
			return &domain_keys[i];
	return NULL;
}

/* Was key given in this block? */
static int block_has(const cfg_block *b, const char *name)
{
	const cfg_key *k = key_find(name);

	return k && b->count[k - domain_keys] > 0;
}

/* Every key name joined by ", ". */
static void keys_join(char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < NKEYS && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
					domain_keys[i].name);
}

/* An unknown key: name it, guess the intended one, list the known ones.
 * Its value is not shown (it may be a secret written in the wrong place). */
static int key_unknown(const cfg_ctx *c, const char *name)
{
	char list[TM_WHAT_MAX / 2], guess[CFG_KEY_SHOWN + 32] = "";
	size_t i, best = 3, dist;

	for (i = 0; i < NKEYS; i++) {
		dist = word_distance(name, domain_keys[i].name);
		if (strlen(name) >= 4 && strncmp(domain_keys[i].name, name, strlen(name)) == 0)
			dist = 1;                /* a shortened key: bind_password */
		if (dist < best) {
			best = dist;
			snprintf(guess, sizeof(guess), " (did you mean %s?)", domain_keys[i].name);
		}
	}
	keys_join(list, sizeof(list));
	ctx_fail(c, name, "not a known key%s; the keys of a domain block are %s.", guess, list);
	return ctx_hint(c, "Correct or remove the line `%.*s = ...` of the block.", CFG_KEY_SHOWN,
			name);
}

/* ---- reading sections --------------------------------------------------------- */

typedef int (*cfg_visit)(const cfg_ctx *c, void *arg, const char *name, const char *value);

/* "key = value }": krb5.conf syntax takes the brace as part of the value. */
static int value_has_brace(const char *v)
{
	size_t len = strlen(v);

	return len >= 2 && v[len - 1] == '}' && isblank((unsigned char)v[len - 2]);
}

/* Hand one relation (value NULL: a subsection) to fn, comment stripped. */
static int visit_one(const cfg_ctx *c, cfg_visit fn, void *arg, const char *name,
		     const char *value)
{
	char buf[CFG_VALUE_MAX];

	if (!value)
		return fn(c, arg, name, NULL);
	if (value_clean(value, buf, sizeof(buf)) < 0) {
		ctx_fail(c, name, "the value is longer than %d characters.", CFG_VALUE_MAX - 1);
		return ctx_hint(c, "Shorten it.");
	}
	if (!buf[0]) {
		ctx_fail(c, name, "no value is given.");
		return ctx_hint(c, "Write `%.*s = VALUE`, or remove the line.", CFG_KEY_SHOWN, name);
	}
	if (value_has_brace(buf)) {
		ctx_fail(c, name, "the value ends in '}', so the block is not closed where it "
			 "seems to be.");
		return ctx_hint(c, "Put the closing brace of the block on a line of its own.");
	}
	return fn(c, arg, name, buf);
}

/* Visit every relation and subsection directly inside section names (the
 * library orders them by name; values of one name stay in file order). */
static int cfg_each(const cfg_ctx *c, const char *const *names, cfg_visit fn, void *arg)
{
	void *it = NULL;
	char *name = NULL, *value = NULL;
	long r;
	int rc = 0;

	r = profile_iterator_create(c->prof, names, PROFILE_ITER_LIST_SECTION, &it);
	while (r == 0 && rc == 0) {
		r = profile_iterator(&it, &name, &value);
		if (r != 0 || !name)
			break;
		rc = visit_one(c, fn, arg, name, value);
		profile_release_string(name);
		profile_release_string(value);
		name = value = NULL;
	}
	profile_iterator_free(&it);
	if (rc == 0 && r != 0)
		return ctx_lib(c, r);
	return rc;
}

/* A single key given twice (a merged duplicate block looks the same). */
static int key_twice(const cfg_ctx *c, const char *key)
{
	ctx_fail(c, key, "given more than once (or the block appears twice).");
	return ctx_hint(c, "Keep one %s line in the block; only ldap_uri may repeat.", key);
}

/* A relation inside a domain block. */
static int block_visit(const cfg_ctx *c, void *arg, const char *name, const char *value)
{
	cfg_block *b = arg;
	const cfg_key *k = key_find(name);

	if (!k)
		return key_unknown(c, name);
	if (!value) {
		ctx_fail(c, name, "a block is given where a value belongs.");
		return ctx_hint(c, "Write `%s = %s` on one line.", name, k->example);
	}
	if (++b->count[k - domain_keys] > 1 && !(k->flags & KEY_MULTI))
		return key_twice(c, name);
	return k->set(c, k, b->d, value);
}

/* ---- checks across the keys of one block ---------------------------------------- */

/* A key that must be given: say why and give an example line. */
static int need_key(const cfg_ctx *c, const cfg_block *b, const char *name, const char *why)
{
	const cfg_key *k = key_find(name);

	if (block_has(b, name))
		return 0;
	ctx_fail(c, name, "missing: %s.", why);
	return ctx_hint(c, "Add `%s = %s` to the block %s.", name, k ? k->example : "...",
			b->d->dom.name);
}

/* A key that only makes sense with another setting. */
static int refuse_key(const cfg_ctx *c, const cfg_block *b, const char *name, const char *why)
{
	if (!block_has(b, name))
		return 0;
	ctx_fail(c, name, "given, but %s.", why);
	return ctx_hint(c, "Remove the %s line, or change the setting it belongs to.", name);
}

/* The names a domain of its kind needs (domain_validate's rules). */
static int block_need_names(const cfg_ctx *c, cfg_block *b)
{
	cfg_domain *d = b->d;

	if (!d->dom.realm[0] && d->dom.dns[0])
		name_upper(d->dom.realm, d->dom.dns, sizeof(d->dom.realm));
	switch (d->dom.kind) {
	case DOMAIN_AD:
		if (need_key(c, b, "dns_name", "an ad domain is known by its DNS name") < 0 ||
		    need_key(c, b, "netbios_name", "an ad domain has a NetBIOS name") < 0 ||
		    need_key(c, b, "sid", "an ad domain has a domain SID") < 0)
			return -1;
		return need_key(c, b, "functional_level", "trust rules depend on the forest's "
				"functional level");
	case DOMAIN_NT4:
		if (need_key(c, b, "netbios_name", "an nt4 domain is known by its NetBIOS name") < 0)
			return -1;
		return need_key(c, b, "sid", "an nt4 domain has a domain SID");
	case DOMAIN_MIT:
		if (d->dom.realm[0])
			return 0;
		return need_key(c, b, "realm", "an mit domain is a Kerberos realm (realm, or a "
				"dns_name it is derived from)");
	}
	return 0;
}

/* The directory connection: URIs, base, bind and TLS. */
static int block_need_ldap(const cfg_ctx *c, cfg_block *b)
{
	if (need_key(c, b, "ldap_uri", "trustmgr keeps the domain's TDOs in its directory") < 0 ||
	    need_key(c, b, "base_dn", "the TDOs live under cn=System,<base_dn>") < 0 ||
	    need_key(c, b, "bind", "say how to log on to the directory (simple, "
		     "sasl_external or sasl_gssapi)") < 0 ||
	    need_key(c, b, "tls", "say how the directory connection is protected "
		     "(starttls, ldaps or none)") < 0)
		return -1;
	if (b->d->bind != CFG_BIND_SIMPLE) {
		if (refuse_key(c, b, "bind_dn", "only bind = simple uses it") < 0)
			return -1;
		return refuse_key(c, b, "bind_password_file", "only bind = simple uses it");
	}
	if (need_key(c, b, "bind_dn", "bind = simple logs on as a DN") < 0)
		return -1;
	return need_key(c, b, "bind_password_file", "bind = simple needs the DN's password "
			"(a file, chmod 600)");
}

/* A principal needs a password file or a keytab, and the other way round. */
static int block_need_cred(const cfg_ctx *c, cfg_block *b, const char *who, const char *pw,
			   const char *kt)
{
	if (block_has(b, who)) {
		if (block_has(b, pw) || block_has(b, kt))
			return 0;
		ctx_fail(c, who, "given without %s or %s: trustmgr cannot log on as it.", pw, kt);
		return ctx_hint(c, "Add `%s = FILE` (one line, chmod 600) or `%s = FILE`.", pw, kt);
	}
	if (block_has(b, pw) || block_has(b, kt)) {
		ctx_fail(c, block_has(b, pw) ? pw : kt, "given without %s.", who);
		return ctx_hint(c, "Add `%s = %s`, or remove the line.", who,
				key_find(who)->example);
	}
	return 0;
}

/* Everything a complete block needs, then the model's own check. */
static int block_finish(const cfg_ctx *c, cfg_block *b)
{
	tm_error in;

	if (block_need_names(c, b) < 0 || block_need_ldap(c, b) < 0 ||
	    block_need_cred(c, b, "kadmin_principal", "kadmin_password_file", "kadmin_keytab") < 0 ||
	    block_need_cred(c, b, "verify_principal", "verify_password_file", "verify_keytab") < 0)
		return -1;
	if (!b->d->verify_service[0])
		snprintf(b->d->verify_service, sizeof(b->d->verify_service), "%s", CFG_VERIFY_SERVICE);
	tm_error_clear(&in);
	if (domain_validate(&b->d->dom, &in) < 0)
		return ctx_inner(c, NULL, &in, "Correct the block.");
	return 0;
}

/* Read the block [domains] NAME into d. */
static int domain_load(cfg_ctx *c, const char *name, cfg_domain *d)
{
	const char *names[] = { "domains", name, NULL };
	cfg_block b;

	memset(&b, 0, sizeof(b));
	b.d = d;
	memset(d, 0, sizeof(*d));
	domain_init(&d->dom);
	snprintf(c->where, sizeof(c->where), "domain %s", name);
	if (copy_str(d->dom.name, sizeof(d->dom.name), name) < 0) {
		ctx_fail(c, NULL, "the block name is longer than %d characters.", DOMAIN_KEY_MAX - 1);
		return ctx_hint(c, "Use a short name such as the NetBIOS name.");
	}
	if (cfg_each(c, names, block_visit, &b) < 0)
		return -1;
	return block_finish(c, &b);
}

/* ---- checks across domains ------------------------------------------------------ */

/* The names that identify a domain: block name, DNS, NetBIOS, realm. */
#define NIDENTS 4

static void domain_idents(const cfg_domain *d, const char *out[NIDENTS])
{
	out[0] = d->dom.name;
	out[1] = d->dom.dns;
	out[2] = d->dom.netbios;
	out[3] = d->dom.realm;
}

/* The same name in a (slot i) and b (slot j): b is refused. */
static int domains_same_name(const cfg_ctx *c, const cfg_domain *a, size_t i, const char *value,
			     size_t j)
{
	static const char *const keys[NIDENTS] = { NULL, "dns_name", "netbios_name", "realm" };

	ctx_fail(c, keys[j], "%s'%s' is already the %s of domain %s.", keys[j] ? "" :
		 "the block name ", value, keys[i] ? keys[i] : "block name", a->dom.name);
	return ctx_hint(c, "Each domain needs its own block name, DNS name, NetBIOS name, realm "
			"and SID; correct one of the two blocks.");
}

/* Do two domains share a name? The same key is compared first (realm with
 * realm), then across keys (a realm equal to the other's DNS name). */
static int domains_clash_names(const cfg_ctx *c, const cfg_domain *a, const cfg_domain *b)
{
	const char *ia[NIDENTS], *ib[NIDENTS];
	size_t i, j;
	int pass;

	domain_idents(a, ia);
	domain_idents(b, ib);
	for (pass = 0; pass < 2; pass++)
		for (j = 0; j < NIDENTS; j++)
			for (i = 0; i < NIDENTS; i++)
				if ((i == j) == (pass == 0) && ia[i][0] && ib[j][0] &&
				    name_equal(ia[i], ib[j]))
					return domains_same_name(c, a, i, ib[j], j);
	return 0;
}

/* Is domain b (read after a) distinct from a? */
static int domains_clash(const cfg_ctx *c, const cfg_domain *a, const cfg_domain *b)
{
	char text[SID_TEXT_MAX];

	if (domains_clash_names(c, a, b) < 0)
		return -1;
	if (a->dom.has_sid && b->dom.has_sid && sid_equal(&a->dom.sid, &b->dom.sid)) {
		ctx_fail(c, "sid", "%s is already the SID of domain %s.",
			 sid_format(&b->dom.sid, text, sizeof(text)), a->dom.name);
		return ctx_hint(c, "Each domain has its own SID; correct one of the two blocks.");
	}
	return 0;
}

static int domains_distinct(cfg_ctx *c, const tm_config *cfg)
{
	size_t i, j;

	for (j = 1; j < cfg->ndomains; j++) {
		snprintf(c->where, sizeof(c->where), "domain %s", cfg->domains[j].dom.name);
		for (i = 0; i < j; i++)
			if (domains_clash(c, &cfg->domains[i], &cfg->domains[j]) < 0)
				return -1;
	}
	return 0;
}

/* ---- [domains] ---------------------------------------------------------------------- */

/* A relation directly in [domains] instead of a block. */
static int domains_no_relations(cfg_ctx *c)
{
	const char *names[] = { "domains", NULL };
	char **rel = NULL;
	long r = profile_get_relation_names(c->prof, names, &rel);

	if (r != 0 && r != PROF_NO_RELATION)
		return ctx_lib(c, r);
	snprintf(c->where, sizeof(c->where), "[domains]");
	if (rel && rel[0]) {
		ctx_fail(c, NULL, "'%.*s = ...' is not a domain block.", CFG_KEY_SHOWN, rel[0]);
		profile_free_list(rel);
		return ctx_hint(c, "Write each domain as a block: `NAME = {`, one `key = value` "
				"per line, then `}` on its own line.");
	}
	profile_free_list(rel);
	return 0;
}

static int domains_load_all(cfg_ctx *c, tm_config *cfg, char **blocks, size_t n)
{
	size_t i;

	cfg->domains = calloc(n, sizeof(*cfg->domains));
	if (!cfg->domains) {
		ctx_fail(c, NULL, "out of memory reading %zu domains.", n);
		return ctx_hint(c, "Free some memory and try again.");
	}
	for (i = 0; i < n; i++) {
		if (domain_load(c, blocks[i], &cfg->domains[i]) < 0)
			return -1;
		cfg->ndomains++;
	}
	return domains_distinct(c, cfg);
}

/* [domains]: one block per domain; at least one. */
static int domains_load(cfg_ctx *c, tm_config *cfg)
{
	const char *names[] = { "domains", NULL };
	char **blocks = NULL;
	size_t n = 0;
	long r;
	int rc;

	if (domains_no_relations(c) < 0)
		return -1;
	r = profile_get_subsection_names(c->prof, names, &blocks);
	if (r != 0 && r != PROF_NO_SECTION)
		return ctx_lib(c, r);
	while (blocks && blocks[n])
		n++;
	if (n == 0) {
		profile_free_list(blocks);
		ctx_fail(c, NULL, "the section names no domain.");
		return ctx_hint(c, "Add one block per domain: `A = {` with dns_name, netbios_name, "
				"sid, realm, ldap_uri, base_dn, bind, tls ... then `}`.");
	}
	rc = domains_load_all(c, cfg, blocks, n);
	profile_free_list(blocks);
	return rc;
}

/* ---- [trustmgr] ----------------------------------------------------------------------- */

/* A whole number from lo to hi. */
static int parse_int(const cfg_ctx *c, const char *key, const char *v, long lo, long hi,
		     const char *unit, int *out)
{
	char *end = NULL;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi) {
		ctx_fail(c, key, "'%s' is not a whole number from %ld to %ld.", v, lo, hi);
		return ctx_hint(c, "Set %s to a number of %s from %ld to %ld.", key, unit, lo, hi);
	}
	*out = (int)x;
	return 0;
}

static const char *const trustmgr_keys[] = { "state_dir", "timeout", "rotation_days" };

/* [trustmgr] being read: the result and how often each key came. */
typedef struct cfg_top {
	tm_config *cfg;
	unsigned seen[NELEM(trustmgr_keys)];
} cfg_top;

/* A relation of [trustmgr]. */
static int trustmgr_visit(const cfg_ctx *c, void *arg, const char *name, const char *value)
{
	const char *const *keys = trustmgr_keys;
	cfg_top *t = arg;
	tm_config *cfg = t->cfg;
	size_t i;

	for (i = 0; i < NELEM(trustmgr_keys) && strcmp(keys[i], name) != 0; i++)
		;
	if (i == NELEM(trustmgr_keys)) {
		ctx_fail(c, name, "not a known key; the keys of [trustmgr] are %s, %s and %s.",
			 keys[0], keys[1], keys[2]);
		return ctx_hint(c, "Correct or remove the line `%.*s = ...`.", CFG_KEY_SHOWN, name);
	}
	if (!value) {
		ctx_fail(c, name, "a block is given where a value belongs.");
		return ctx_hint(c, "Write `%s = VALUE` on one line.", name);
	}
	if (++t->seen[i] > 1)
		return key_twice(c, name);
	if (i == 0)
		return cfg_resolve(c, name, value, cfg->state_dir, sizeof(cfg->state_dir));
	if (i == 1)
		return parse_int(c, name, value, 1, CFG_TIMEOUT_MAX, "seconds", &cfg->timeout);
	return parse_int(c, name, value, 1, CFG_ROTATION_MAX, "days", &cfg->rotation_days);
}

/* The default state folder: $XDG_STATE_HOME/trustmgr, ~/.local/state/trustmgr. */
static int state_dir_default(const cfg_ctx *c, char *buf, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct passwd *pw;
	int k;

	if (xdg && xdg[0] == '/')            /* relative values are ignored (XDG spec) */
		k = snprintf(buf, n, "%s/trustmgr", xdg);
	else {
		if ((!home || !home[0]) && (pw = getpwuid(getuid())) != NULL)
			home = pw->pw_dir;
		if (!home || !home[0]) {
			ctx_fail(c, "state_dir", "not given, and there is no home folder for the default.");
			return ctx_hint(c, "Set state_dir in [trustmgr], or HOME or XDG_STATE_HOME.");
		}
		k = snprintf(buf, n, "%s/.local/state/trustmgr", home);
	}
	if (k < 0 || (size_t)k >= n) {
		ctx_fail(c, "state_dir", "the default folder name is too long.");
		return ctx_hint(c, "Set state_dir in [trustmgr].");
	}
	return 0;
}

/* [trustmgr]: optional, every key has a default. */
static int trustmgr_load(cfg_ctx *c, tm_config *cfg, int present)
{
	const char *names[] = { "trustmgr", NULL };
	cfg_top t;

	memset(&t, 0, sizeof(t));
	t.cfg = cfg;
	cfg->timeout = CFG_TIMEOUT_DEFAULT;
	cfg->rotation_days = CFG_ROTATION_DEFAULT;
	snprintf(c->where, sizeof(c->where), "[trustmgr]");
	if (present && cfg_each(c, names, trustmgr_visit, &t) < 0)
		return -1;
	if (!cfg->state_dir[0])
		return state_dir_default(c, cfg->state_dir, sizeof(cfg->state_dir));
	return 0;
}

/* ---- the file -------------------------------------------------------------------------- */

/* The sections: only [trustmgr] and [domains]; [domains] is required.
 * *has_trustmgr tells whether [trustmgr] is there. */
static int sections_check(const cfg_ctx *c, int *has_trustmgr)
{
	const char *top[] = { NULL };
	char **secs = NULL;
	long r = profile_get_subsection_names(c->prof, top, &secs);
	int has_domains = 0, rc = 0;
	size_t i;

	if (r != 0 && r != PROF_NO_SECTION)
		return ctx_lib(c, r);
	*has_trustmgr = 0;
	for (i = 0; secs && secs[i] && rc == 0; i++) {
		if (strcmp(secs[i], "domains") == 0)
			has_domains = 1;
		else if (strcmp(secs[i], "trustmgr") == 0)
			*has_trustmgr = 1;
		else {
			ctx_fail(c, NULL, "the section [%.*s] is not known; the sections are "
				 "[trustmgr] and [domains].", CFG_KEY_SHOWN, secs[i]);
			rc = ctx_hint(c, "Correct or remove that section.");
		}
	}
	profile_free_list(secs);
	if (rc == 0 && !has_domains) {
		ctx_fail(c, NULL, "there is no [domains] section, so no domain is configured.");
		rc = ctx_hint(c, "Add a [domains] section with one block `NAME = { ... }` per "
			      "domain (dns_name, netbios_name, sid, realm, ldap_uri, base_dn, "
			      "bind, tls ...).");
	}
	return rc;
}

/* The folder of the configuration file, absolute when it can be. */
static void ctx_dir(cfg_ctx *c)
{
	char tmp[PATH_MAX], *slash, *real;

	snprintf(tmp, sizeof(tmp), "%s", c->file);
	slash = strrchr(tmp, '/');
	if (!slash)
		snprintf(tmp, sizeof(tmp), ".");
	else if (slash == tmp)
		tmp[1] = '\0';
	else
		*slash = '\0';
	real = realpath(tmp, NULL);
	snprintf(c->dir, sizeof(c->dir), "%s", real ? real : tmp);
	free(real);
}

/* The file must be a readable regular file (the profile library skips
 * missing and unreadable files silently, so say it here). */
static int ctx_check_readable(const cfg_ctx *c)
{
	struct stat st;
	int fd = open(c->file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int err = errno;

	if (fd < 0) {
		ctx_fail(c, NULL, "cannot be read: %s.", strerror(err));
		return ctx_hint(c, err == ENOENT ? "Check the name given with --config or "
				"TRUSTMGR_CONFIG." : "Check the file's owner and mode.");
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		ctx_fail(c, NULL, "is not a regular file.");
		return ctx_hint(c, "Name the configuration file itself.");
	}
	close(fd);
	return 0;
}

/* Open path with the profile library; c->prof set on success. */
static int ctx_open(cfg_ctx *c, const char *path, tm_error *e)
{
	const_profile_filespec_t files[2] = { path, NULL };
	long r;

	memset(c, 0, sizeof(*c));
	c->file = path;
	c->e = e;
	if (ctx_check_readable(c) < 0)
		return -1;
	ctx_dir(c);
	r = profile_init(files, &c->prof);
	if (r != 0) {
		c->prof = NULL;
		return ctx_lib(c, r);
	}
	return 0;
}

/* Read and validate path into out (see config.h). */
int cfg_load(const char *path, tm_config *out, tm_error *e)
{
	cfg_ctx c;
	int has_trustmgr = 0, rc;

	if (!out)
		return tm_fail(e, TM_EUSAGE, NULL, "cfg_load: no result given.");
	memset(out, 0, sizeof(*out));
	if (!path || !path[0])
		return tm_fail(e, TM_EUSAGE, NULL, "No configuration file was named.");
	if (copy_str(out->path, sizeof(out->path), path) < 0)
		return tm_fail(e, TM_EUSAGE, NULL, "The configuration file name is too long.");
	if (ctx_open(&c, out->path, e) < 0) {
		cfg_free(out);
		return -1;
	}
	rc = sections_check(&c, &has_trustmgr);
	if (rc == 0)
		rc = trustmgr_load(&c, out, has_trustmgr);
	if (rc == 0)
		rc = domains_load(&c, out);
	profile_release(c.prof);
	if (rc < 0)
		cfg_free(out);
	return rc;
}

/* Free what cfg_load allocated; leaves an empty configuration. */
void cfg_free(tm_config *c)
{
	if (!c)
		return;
	free(c->domains);
	memset(c, 0, sizeof(*c));
}

/* ---- finding the file ---------------------------------------------------------------- */

static int out_path(char *path, size_t n, const char *p, tm_error *e)
{
	if (!path || copy_str(path, n, p) < 0)
		return tm_fail(e, TM_EUSAGE, NULL, "%s: the configuration file name is too long.", p);
	return 1;
}

/* A file named by the user (--config or TRUSTMGR_CONFIG) must exist. */
static int find_given(const char *p, const char *source, char *path, size_t n, tm_error *e)
{
	struct stat st;

	if (!p[0]) {
		tm_fail(e, TM_EUSAGE, NULL, "%s names no file.", source);
		tm_hint(e, "Give the configuration file's name, or leave %s out.", source);
		return -1;
	}
	if (stat(p, &st) < 0) {
		tm_fail(e, TM_EUSAGE, ST_OBJECT_NAME_NOT_FOUND,
			"%s: the configuration file named by %s cannot be used: %s.", p, source,
			strerror(errno));
		tm_hint(e, "Check the name given with %s.", source);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		tm_fail(e, TM_EUSAGE, NULL, "%s (named by %s) is a folder, not a configuration file.",
			p, source);
		tm_hint(e, "Name the file itself, for example %s/trustmgr.conf.", p);
		return -1;
	}
	return out_path(path, n, p, e);
}

/* Does a default location hold something (a file there that cannot be read
 * is still found, so that cfg_load says why)? */
static int find_present(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

/* The per-user file: $XDG_CONFIG_HOME/trustmgr/trustmgr.conf, else
 * $HOME/.config/trustmgr/trustmgr.conf. 0 when there is no home. */
static int find_user_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct passwd *pw;
	int k;

	if (xdg && xdg[0] == '/')            /* relative values are ignored (XDG spec) */
		k = snprintf(buf, n, "%s/trustmgr/trustmgr.conf", xdg);
	else {
		if ((!home || !home[0]) && (pw = getpwuid(getuid())) != NULL)
			home = pw->pw_dir;
		if (!home || !home[0])
			return 0;
		k = snprintf(buf, n, "%s/.config/trustmgr/trustmgr.conf", home);
	}
	return k > 0 && (size_t)k < n;
}

/* Find the configuration: explicit, $TRUSTMGR_CONFIG, the user's file, then
 * /etc/trustmgr.conf. 1 found, 0 none, -1 a named file is missing. */
int cfg_find(const char *explicit_path, char *path, size_t n, tm_error *e)
{
	char user[PATH_MAX];
	const char *env = getenv("TRUSTMGR_CONFIG");

	if (explicit_path)
		return find_given(explicit_path, "--config", path, n, e);
	if (env && env[0])
		return find_given(env, "TRUSTMGR_CONFIG", path, n, e);
	if (find_user_path(user, sizeof(user)) && find_present(user))
		return out_path(path, n, user, e);
	if (find_present(CFG_SYSTEM_PATH))
		return out_path(path, n, CFG_SYSTEM_PATH, e);
	return 0;
}

/* ---- secrets ---------------------------------------------------------------------------- */

static int secret_fail(const char *path, const char *key, const cfg_domain *d, tm_error *e,
		       const char *why)
{
	return tm_fail(e, TM_EUSAGE, NULL, "%s (%s%s%s): %s", path, key ? key : "secret file",
		       d ? " of domain " : "", d ? d->dom.name : "", why);
}

/* Read from fd until the first newline, EOF or n bytes. */
static int secret_read_fd(int fd, char *buf, size_t n, size_t *got)
{
	ssize_t r;

	*got = 0;
	while (*got < n) {
		r = read(fd, buf + *got, n - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		if (memchr(buf + *got, '\n', (size_t)r)) {
			*got += (size_t)r;
			break;
		}
		*got += (size_t)r;
	}
	return 0;
}

/* The first line of buf (got bytes) without "\n" or "\r\n": its length,
 * or -1 when it is longer than SECRET_MAX. */
static long secret_line(const char *buf, size_t got, size_t cap)
{
	const char *nl = memchr(buf, '\n', got);
	size_t len = nl ? (size_t)(nl - buf) : got;

	if (!nl && got == cap)
		return -1;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	return len > SECRET_MAX ? -1 : (long)len;
}

/* Check an opened secret file: regular, not readable by group or others. */
static int secret_check_fd(int fd, const char *path, const char *key, const cfg_domain *d,
			   tm_error *e)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		secret_fail(path, key, d, e, "not a regular file.");
		tm_hint(e, "Name a file holding the secret on its first line.");
		return -1;
	}
	if (st.st_mode & (S_IRGRP | S_IROTH)) {
		tm_fail(e, TM_EUSAGE, NULL, "%s (%s%s%s): the file holds a secret but is readable "
			"by group or others (mode %04o); run `chmod 600 %s`.", path,
			key ? key : "secret file", d ? " of domain " : "", d ? d->dom.name : "",
			(unsigned)(st.st_mode & 07777), path);
		tm_hint(e, "Run `chmod 600 %s`, then try again.", path);
		return -1;
	}
	return 0;
}

/* Turn the first line of buf into *out. */
static int secret_take(const char *buf, size_t got, size_t cap, const char *path,
		       const char *key, const cfg_domain *d, char **out, tm_error *e)
{
	long len = secret_line(buf, got, cap);

	if (len < 0) {
		secret_fail(path, key, d, e, "the first line is too long for a password.");
		tm_hint(e, "Keep the secret on the first line, at most %d bytes.", SECRET_MAX);
		return -1;
	}
	if (len == 0) {
		secret_fail(path, key, d, e, "the file is empty; the secret must be on its first line.");
		tm_hint(e, "Write the secret on the first line of %s.", path);
		return -1;
	}
	if (memchr(buf, '\0', (size_t)len)) {
		secret_fail(path, key, d, e, "the first line contains a NUL byte.");
		tm_hint(e, "Write the secret as text on the first line.");
		return -1;
	}
	*out = malloc((size_t)len + 1);
	if (!*out)
		return secret_fail(path, key, d, e, "out of memory.");
	memcpy(*out, buf, (size_t)len);
	(*out)[len] = '\0';
	return 0;
}

/* Read the secret on the first line of path (see config.h). */
int cfg_read_secret(const char *path, const char *key, const cfg_domain *d, char **out,
		    tm_error *e)
{
	char buf[SECRET_MAX + 3];
	size_t got = 0;
	int fd, rc;

	if (!out)
		return tm_fail(e, TM_EUSAGE, NULL, "cfg_read_secret: no result given.");
	*out = NULL;
	if (!path || !path[0]) {
		tm_fail(e, TM_EUSAGE, NULL, "Domain %s has no %s.", d ? d->dom.name : "?",
			key ? key : "secret file");
		tm_hint(e, "Add `%s = FILE` to its block in the configuration.", key ? key : "KEY");
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		secret_fail(path, key, d, e, strerror(errno));
		tm_hint(e, "Check that the file exists and that you may read it.");
		return -1;
	}
	rc = secret_check_fd(fd, path, key, d, e);
	if (rc == 0 && secret_read_fd(fd, buf, sizeof(buf) - 1, &got) < 0)
		rc = secret_fail(path, key, d, e, strerror(errno));
	close(fd);
	if (rc == 0)
		rc = secret_take(buf, got, sizeof(buf) - 1, path, key, d, out, e);
	secret_wipe(buf, sizeof(buf));
	return rc;
}

/* ---- lookup ------------------------------------------------------------------------------- */

/* The block for a name: its block name first, then DNS, NetBIOS, realm or SID. */
const cfg_domain *cfg_domain_find(const tm_config *c, const char *name)
{
	size_t i;

	if (!c || !name || !name[0])
		return NULL;
	for (i = 0; i < c->ndomains; i++)
		if (name_equal(c->domains[i].dom.name, name))
			return &c->domains[i];
	for (i = 0; i < c->ndomains; i++)
		if (domain_matches(&c->domains[i].dom, name))
			return &c->domains[i];
	return NULL;
}
