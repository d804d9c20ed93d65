/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* config_check.c - trustmgr.conf: what each key means and whether its
 * value is right (config_internal.h): the keys of [trustmgr] and of a
 * domain block, the file names they give, the checks across the keys of a
 * block and across domains. Values come from config.c's reader already
 * without their comments; every fault names the file, the place and the
 * key, with a next step.
 */
#include "backend/config/config.h"
#include "backend/audit/audit.h"
#include "backend/config/config_internal.h"

#include <ctype.h>
#include <errno.h>
#include <ldap.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/name.h"
#include "model/secret.h"
#include "model/sid.h"
#include "backend/os/paths.h"
#include "model/domain.h"

#define CFG_TIMEOUT_DEFAULT 10
#define CFG_TIMEOUT_MAX 600
#define CFG_ROTATION_DEFAULT 30
#define CFG_ROTATION_MAX 3650
#define NELEM(t) (sizeof(t) / sizeof((t)[0]))

/* ---- small helpers --------------------------------------------------------- */

/* A fault found by a model validator (its sentence and NTSTATUS kept). */
static int config_inner(const cfg_ctx *c, const char *key, const tm_error *in, const char *hint)
{
	config_fail(c, key, "%s", in->what);
	if (c->e)
		c->e->status = in->status;
	return config_hint(c, "%s", in->next[0] ? in->next : hint);
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
static int config_resolve(const cfg_ctx *c, const char *key, const char *v, char *out, size_t n)
{
	int k;

	if (v[0] == '/')
		k = snprintf(out, n, "%s", v);
	else
		k = snprintf(out, n, "%s/%s", c->dir, v);
	if (k < 0 || (size_t)k >= n) {
		config_fail(c, key, "the file name is longer than %zu characters.", n - 1);
		return config_hint(c, "Use a shorter path.");
	}
	return 0;
}

/* The named file must exist and be a regular file; a secret one must not
 * be readable by group or others. */
static int config_check_file(const cfg_ctx *c, const char *key, const char *path, int secret)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int err = errno;

		if (err == ENOENT || err == ENOTDIR) {
			config_fail(c, key, "%s does not exist.", path);
			return config_hint(c, "Create it%s, or correct the path in %s.",
					secret ? " (one line, chmod 600)" : "", c->file);
		}
		config_fail(c, key, "%s cannot be checked: %s.", path, strerror(err));
		return config_hint(c, "Check the folders on the way to it, or correct the path.");
	}
	if (!S_ISREG(st.st_mode)) {
		config_fail(c, key, "%s is not a regular file.", path);
		return config_hint(c, "Name the file itself, not a folder or a device.");
	}
	if (secret && (st.st_mode & (S_IRGRP | S_IROTH))) {
		config_fail(c, key, "%s holds a secret but is readable by group or others (mode %04o).",
			 path, (unsigned)(st.st_mode & 07777));
		return config_hint(c, "Run `chmod 600 %s`.", path);
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
	config_fail(c, key, "'%s' is not one of %s.", v, list);
	return config_hint(c, "Set %s to one of %s.", key, list);
}

/* The field of d that key k fills. */
static void *key_field(const cfg_key *k, cfg_domain *d)
{
	return (char *)d + k->off;
}

/* A plain string. */
static int set_string(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	if (config_copy_str(key_field(k, d), k->size, v) < 0) {
		config_fail(c, k->name, "the value is longer than %zu characters.", k->size - 1);
		return config_hint(c, "Shorten the value of %s.", k->name);
	}
	return 0;
}

/* A principal or service name: a string without blanks or control characters. */
static int set_principal(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	const unsigned char *p;

	for (p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p == 0x7f) {
			config_fail(c, k->name, "'%s' contains a blank or a control character.", v);
			return config_hint(c, "Write a Kerberos principal name like %s.", k->example);
		}
	return set_string(c, k, d, v);
}

/* An LDAP DN, checked with libldap's parser. */
static int set_dn(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	LDAPDN dn = NULL;
	int rc = ldap_str2dn(v, &dn, LDAP_DN_FORMAT_LDAPV3);

	if (rc != LDAP_SUCCESS) {
		config_fail(c, k->name, "'%s' is not a valid LDAP DN (libldap: %s).", v,
			 ldap_err2string(rc));
		return config_hint(c, "Write a DN like %s.", k->example);
	}
	ldap_dnfree(dn);
	return set_string(c, k, d, v);
}

/* A file that must exist (a secret one with mode 600). */
static int set_file(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	if (config_resolve(c, k->name, v, key_field(k, d), k->size) < 0)
		return -1;
	return config_check_file(c, k->name, key_field(k, d), (k->flags & KEY_SECRET) != 0);
}

/* A name the model's validator check accepts (its sentence kept), stored. */
static int set_name(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v,
		    int (*check)(const char *, tm_error *), const char *hint)
{
	tm_error in;

	error_clear(&in);
	if (check(v, &in) < 0)
		return config_inner(c, k->name, &in, hint);
	return set_string(c, k, d, v);
}

/* dns_name and forest: RFC 1123 DNS names. */
static int set_dns(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	return set_name(c, k, d, v, name_check_dns, "Write a DNS name like corp.example.com.");
}

static int set_netbios(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	return set_name(c, k, d, v, name_check_netbios,
			"Write a NetBIOS name of 1 to 15 characters like CORP.");
}

static int set_realm(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	return set_name(c, k, d, v, name_check_realm,
			"Write the Kerberos realm like CORP.EXAMPLE.COM.");
}

/* sid: a domain SID S-1-5-21-a-b-c. */
static int set_sid(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	tm_error in;

	error_clear(&in);
	if (sid_parse(v, &d->dom.sid, &in) < 0 || sid_check_domain(&d->dom.sid, &in) < 0)
		return config_inner(c, k->name, &in, "Write the domain SID like S-1-5-21-1001-2001-3001.");
	d->dom.has_sid = 1;
	return 0;
}

static int set_level(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	tm_error in;

	error_clear(&in);
	if (trust_parse_level(v, &d->dom.level, &in) < 0)
		return config_inner(c, k->name, &in,
				 "Write one of 2000, 2003, 2008, 2008R2, 2012, 2012R2 or 2016.");
	d->level_given = 1;
	return 0;
}

static int set_kind(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	int x;

	if (word_pick(c, k->name, v, kind_words, NELEM(kind_words), NELEM(kind_words), &x) < 0)
		return -1;
	d->dom.kind = (tm_kind)x;
	d->kind_given = 1;
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

/* sasl_nocanon: a boolean, kept apart from "not given" (libldap's default). */
static int set_nocanon(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	int x;

	if (word_pick(c, k->name, v, bool_words, NELEM(bool_words), 2, &x) < 0)
		return -1;
	d->sasl_nocanon = x ? CFG_NOCANON_ON : CFG_NOCANON_OFF;
	return 0;
}

/* One LDAP URI: ldap://, ldaps:// or ldapi://, and parsed by libldap. */
static int uri_check(const cfg_ctx *c, const char *key, const char *u)
{
	LDAPURLDesc *lud = NULL;
	int rc;

	if (strncasecmp(u, "ldap://", 7) != 0 && strncasecmp(u, "ldaps://", 8) != 0 &&
	    strncasecmp(u, "ldapi://", 8) != 0) {
		config_fail(c, key, "'%s' does not start with ldap://, ldaps:// or ldapi://.", u);
		return config_hint(c, "Write an LDAP URI like ldap://dc1.corp.example.com/ (StartTLS), "
				"ldaps://dc1.corp.example.com/ or ldapi://%%2Frun%%2Fslapd%%2Fldapi.");
	}
	rc = ldap_url_parse(u, &lud);
	if (rc != LDAP_URL_SUCCESS) {
		config_fail(c, key, "'%s' is not a valid LDAP URI (libldap URL error %d).", u, rc);
		return config_hint(c, "Write scheme://host:port/, with %%2F for each / of an ldapi path.");
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
		config_fail(c, key, "more than %d URIs are given.", CFG_MAX_URIS);
		return config_hint(c, "Keep at most %d ldap_uri values.", CFG_MAX_URIS);
	}
	if (config_copy_str(d->ldap_uri[d->nuris], CFG_STR, u) < 0) {
		config_fail(c, key, "'%.64s...' is longer than %d characters.", u, CFG_STR - 1);
		return config_hint(c, "Use a shorter URI.");
	}
	d->nuris++;
	return 0;
}

/* ldap_uri: each relation adds to the failover list, in order; a value
 * holding several URIs separated by blanks adds each of them. */
static int set_uri(const cfg_ctx *c, const cfg_key *k, cfg_domain *d, const char *v)
{
	char buf[CFG_VALUE_MAX], *save = NULL, *u;

	if (config_copy_str(buf, sizeof(buf), v) < 0) {
		config_fail(c, k->name, "the value is too long.");
		return config_hint(c, "Give one URI per ldap_uri line.");
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
	DKEY("sasl_nocanon", set_nocanon, sasl_nocanon, 0, "true"),
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
	DKEY("local_dc_conf", set_file, local_dc_conf, 0, "/etc/samba/smb.conf"),
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
	config_fail(c, name, "not a known key%s; the keys of a domain block are %s.", guess, list);
	return config_hint(c, "Correct or remove the line `%.*s = ...` of the block.", CFG_KEY_SHOWN,
			name);
}

/* A single key given twice (a merged duplicate block looks the same). */
static int key_twice(const cfg_ctx *c, const char *key)
{
	config_fail(c, key, "given more than once (or the block appears twice).");
	return config_hint(c, "Keep one %s line in the block; only ldap_uri may repeat.", key);
}

/* A relation inside a domain block. */
static int block_visit(const cfg_ctx *c, void *arg, const char *name, const char *value)
{
	cfg_block *b = arg;
	const cfg_key *k = key_find(name);

	if (!k)
		return key_unknown(c, name);
	if (!value) {
		config_fail(c, name, "a block is given where a value belongs.");
		return config_hint(c, "Write `%s = %s` on one line.", name, k->example);
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
	config_fail(c, name, "missing: %s.", why);
	return config_hint(c, "Add `%s = %s` to the block %s.", name, k ? k->example : "...",
			b->d->dom.name);
}

/* A key that only makes sense with another setting. */
static int refuse_key(const cfg_ctx *c, const cfg_block *b, const char *name, const char *why)
{
	if (!block_has(b, name))
		return 0;
	config_fail(c, name, "given, but %s.", why);
	return config_hint(c, "Remove the %s line, or change the setting it belongs to.", name);
}

/* The names a domain of its kind needs (domain_validate's rules). */
static int block_need_names(const cfg_ctx *c, cfg_block *b)
{
	cfg_domain *d = b->d;

	if (!d->dom.realm[0] && d->dom.dns[0])
		name_upper(d->dom.realm, d->dom.dns, sizeof(d->dom.realm));
	switch (d->dom.kind) {
	case DOMAIN_AD:
		/* Left out, they are read from an Active Directory directory
		 * (its root DSE, domain object and crossRef) when it is used. */
		d->from_directory = !block_has(b, "dns_name") || !block_has(b, "netbios_name") ||
				    !block_has(b, "sid") || !block_has(b, "functional_level") ||
				    !block_has(b, "base_dn");
		return 0;
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
	    (b->d->dom.kind != DOMAIN_AD &&
	     need_key(c, b, "base_dn", "the TDOs live under cn=System,<base_dn>") < 0) ||
	    need_key(c, b, "bind", "say how to log on to the directory (simple, "
		     "sasl_external or sasl_gssapi)") < 0 ||
	    need_key(c, b, "tls", "say how the directory connection is protected "
		     "(starttls, ldaps or none)") < 0)
		return -1;
	if (b->d->bind != CFG_BIND_SASL_GSSAPI &&
	    refuse_key(c, b, "sasl_nocanon", "only bind = sasl_gssapi uses it") < 0)
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

/* A principal needs a password file or a keytab (alone is enough when it
 * may log in with the administrator's own tickets: own), and those need
 * their principal. */
static int block_need_cred(const cfg_ctx *c, cfg_block *b, const char *who, const char *pw,
			   const char *kt, int own)
{
	if (block_has(b, who)) {
		if (own || block_has(b, pw) || block_has(b, kt))
			return 0;
		config_fail(c, who, "given without %s or %s: trustmgr cannot log on as it.", pw, kt);
		return config_hint(c, "Add `%s = FILE` (one line, chmod 600) or `%s = FILE`.", pw, kt);
	}
	if (block_has(b, pw) || block_has(b, kt)) {
		config_fail(c, block_has(b, pw) ? pw : kt, "given without %s.", who);
		return config_hint(c, "Add `%s = %s`, or remove the line.", who,
				key_find(who)->example);
	}
	return 0;
}

/* A plain MIT realm has a KDC and kadmind and nothing else: the keys of a
 * directory, and the names only a Windows-style domain has, do not apply. */
static int block_refuse_for_realm(const cfg_ctx *c, const cfg_block *b)
{
	static const char *const dir_keys[] = { "ldap_uri", "base_dn", "bind", "bind_dn",
						"bind_password_file", "tls", "tls_cacert",
						"allow_plaintext_secrets", "sasl_nocanon" };
	static const char *const name_keys[] = { "netbios_name", "sid", "functional_level",
						 "forest" };
	size_t i;

	for (i = 0; i < NELEM(dir_keys); i++)
		if (refuse_key(c, b, dir_keys[i], "kind = mit is a plain Kerberos realm: it has no "
			       "directory, its trusts are its krbtgt principals in kadmin") < 0)
			return -1;
	for (i = 0; i < NELEM(name_keys); i++)
		if (refuse_key(c, b, name_keys[i], "a Kerberos realm has no NetBIOS name, domain "
			       "SID, forest or functional level") < 0)
			return -1;
	return 0;
}

/* Everything a complete block needs, then the model's own check. */
static int block_finish(const cfg_ctx *c, cfg_block *b)
{
	tm_error in;
	int realm = b->d->dom.kind == DOMAIN_MIT;

	if (block_need_names(c, b) < 0 ||
	    (realm ? block_refuse_for_realm(c, b) : block_need_ldap(c, b)) < 0 ||
	    block_need_cred(c, b, "kadmin_principal", "kadmin_password_file", "kadmin_keytab",
			    1) < 0 ||
	    block_need_cred(c, b, "verify_principal", "verify_password_file", "verify_keytab",
			    0) < 0)
		return -1;
	if (b->d->dom.kind != DOMAIN_AD &&
	    refuse_key(c, b, "local_dc_conf", "only kind = ad has a domain controller whose LSA "
		       "trustmgr calls (local_dc_conf names that DC's smb.conf)") < 0)
		return -1;
	if (!b->d->verify_service[0])
		snprintf(b->d->verify_service, sizeof(b->d->verify_service), "%s", CFG_VERIFY_SERVICE);
	error_clear(&in);
	if (!b->d->from_directory && domain_validate(&b->d->dom, &in) < 0)
		return config_inner(c, NULL, &in, "Correct the block.");
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
	if (config_copy_str(d->dom.name, sizeof(d->dom.name), name) < 0) {
		config_fail(c, NULL, "the block name is longer than %d characters.", DOMAIN_KEY_MAX - 1);
		return config_hint(c, "Use a short name such as the NetBIOS name.");
	}
	if (config_each(c, names, block_visit, &b) < 0)
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

	config_fail(c, keys[j], "%s'%s' is already the %s of domain %s.", keys[j] ? "" :
		 "the block name ", value, keys[i] ? keys[i] : "block name", a->dom.name);
	return config_hint(c, "Each domain needs its own block name, DNS name, NetBIOS name, realm "
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
		config_fail(c, "sid", "%s is already the SID of domain %s.",
			 sid_format(&b->dom.sid, text, sizeof(text)), a->dom.name);
		return config_hint(c, "Each domain has its own SID; correct one of the two blocks.");
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

/* The blocks named, each read and checked, then checked against each other. */
int config_domains_load_all(cfg_ctx *c, tm_config *cfg, char **blocks, size_t n)
{
	size_t i;

	cfg->domains = calloc(n, sizeof(*cfg->domains));
	if (!cfg->domains) {
		config_fail(c, NULL, "out of memory reading %zu domains.", n);
		return config_hint(c, "Free some memory and try again.");
	}
	for (i = 0; i < n; i++) {
		if (domain_load(c, blocks[i], &cfg->domains[i]) < 0)
			return -1;
		cfg->ndomains++;
	}
	return domains_distinct(c, cfg);
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
		config_fail(c, key, "'%s' is not a whole number from %ld to %ld.", v, lo, hi);
		return config_hint(c, "Set %s to a number of %s from %ld to %ld.", key, unit, lo, hi);
	}
	*out = (int)x;
	return 0;
}

static const char *const trustmgr_keys[] = { "state_dir", "timeout", "rotation_days",
	"audit_log", "audit_syslog", "audit_facility", "audit_syslog_socket",
	"min_password_length" };
#define KEY_MIN_PASSWORD 7      /* trustmgr_keys[KEY_MIN_PASSWORD] */

/* audit_facility: a syslog facility name. */
static int audit_facility_set(const cfg_ctx *c, const char *key, const char *v, int *out)
{
	int code = audit_facility_code(v);

	if (code < 0) {
		config_fail(c, key, "'%s' is not a syslog facility trustmgr knows.", v);
		return config_hint(c, "Set %s to auth, authpriv, user, daemon or local0 to local7.", key);
	}
	*out = code;
	return 0;
}

/* The audit keys of [trustmgr] (index i of trustmgr_keys, 3 and on). */
static int audit_key_set(const cfg_ctx *c, tm_config *cfg, size_t i, const char *name,
			 const char *v)
{
	if (i == 3 && strcmp(v, "none") == 0)
		return config_copy_str(cfg->audit_log, sizeof(cfg->audit_log), v);
	if (i == 3)
		return config_resolve(c, name, v, cfg->audit_log, sizeof(cfg->audit_log));
	if (i == 4)
		return word_pick(c, name, v, bool_words, NELEM(bool_words), 2, &cfg->audit_syslog);
	if (i == 5)
		return audit_facility_set(c, name, v, &cfg->audit_facility);
	return config_resolve(c, name, v, cfg->audit_syslog_socket, sizeof(cfg->audit_syslog_socket));
}

/* The audit trail needs a destination: a file, syslog or both. */
static int audit_keys_check(const cfg_ctx *c, tm_config *cfg)
{
	if (strcmp(cfg->audit_log, "none") == 0 && !cfg->audit_syslog) {
		config_fail(c, "audit_log", "none, and audit_syslog is not true: every change must be "
			 "recorded somewhere.");
		return config_hint(c, "Name a file with audit_log, or set audit_syslog = true.");
	}
	return 0;
}

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
		config_fail(c, name, "not a known key; the keys of [trustmgr] are %s, %s, %s, %s, %s, "
			 "%s, %s and %s.", keys[0], keys[1], keys[2], keys[3], keys[4], keys[5],
			 keys[6], keys[7]);
		return config_hint(c, "Correct or remove the line `%.*s = ...`.", CFG_KEY_SHOWN, name);
	}
	if (!value) {
		config_fail(c, name, "a block is given where a value belongs.");
		return config_hint(c, "Write `%s = VALUE` on one line.", name);
	}
	if (++t->seen[i] > 1)
		return key_twice(c, name);
	if (i == 0)
		return config_resolve(c, name, value, cfg->state_dir, sizeof(cfg->state_dir));
	if (i == 1)
		return parse_int(c, name, value, 1, CFG_TIMEOUT_MAX, "seconds", &cfg->timeout);
	if (i == KEY_MIN_PASSWORD)
		return parse_int(c, name, value, 1, SECRET_MIN_LIMIT, "characters",
				 &cfg->min_password_length);
	if (i >= 3)
		return audit_key_set(c, cfg, i, name, value);
	return parse_int(c, name, value, 1, CFG_ROTATION_MAX, "days", &cfg->rotation_days);
}

/* config_state_default: see config_internal.h. */
int config_state_default(const cfg_ctx *c, int root, char *buf, size_t n, int *system)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	paths_result r;

	*system = (c->file && strcmp(c->file, CFG_SYSTEM_PATH) == 0) ||
		  (root && !(xdg && xdg[0] == '/'));
	if (*system) {
		snprintf(buf, n, "%s", CFG_SYSTEM_STATE_DIR);
		return 0;
	}
	r = paths_user_dir("XDG_STATE_HOME", ".local/state", "trustmgr", buf, n);
	if (r == PATHS_NO_HOME) {
		config_fail(c, "state_dir", "not given, and there is no home folder for the default.");
		return config_hint(c, "Set state_dir in [trustmgr], or HOME or XDG_STATE_HOME.");
	}
	if (r == PATHS_TOO_LONG) {
		config_fail(c, "state_dir", "the default folder name is too long.");
		return config_hint(c, "Set state_dir in [trustmgr].");
	}
	return 0;
}

/* [trustmgr]: optional, every key has a default. */
int config_trustmgr_load(cfg_ctx *c, tm_config *cfg, int present)
{
	const char *names[] = { "trustmgr", NULL };
	cfg_top t;

	memset(&t, 0, sizeof(t));
	t.cfg = cfg;
	cfg->timeout = CFG_TIMEOUT_DEFAULT;
	cfg->rotation_days = CFG_ROTATION_DEFAULT;
	cfg->min_password_length = SECRET_MIN_DEFAULT;
	cfg->audit_facility = audit_facility_code("authpriv");
	snprintf(cfg->audit_syslog_socket, sizeof(cfg->audit_syslog_socket), "%s", "/dev/log");
	snprintf(c->where, sizeof(c->where), "[trustmgr]");
	if (present && (config_each(c, names, trustmgr_visit, &t) < 0 || audit_keys_check(c, cfg) < 0))
		return -1;
	if (!cfg->state_dir[0])
		return config_state_default(c, geteuid() == 0, cfg->state_dir, sizeof(cfg->state_dir),
					    &cfg->system_state);
	return 0;
}
