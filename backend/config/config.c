/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* config.c - trustmgr.conf: finding it, reading it with libkrb5's profile
 * library (the format is in config.h), and the secrets it names.
 *
 * The profile library parses; config_check.c checks. Every fault becomes
 * one message "FILE: domain A: key K: what is wrong" with a next step; the
 * library's own error codes appear only as a detail (error_message()).
 * Two things krb5.conf parsing does not do are done here: " # ..." after a
 * value is a comment (the example in config.h has them), and a relative
 * file name is taken relative to the configuration file's folder.
 * Secrets are never read from the configuration itself, only from the
 * files it names (config_read_secret), and never appear in a message.
 */
#include "backend/config/config.h"
#include "backend/config/config_internal.h"

#include <com_err.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <profile.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/name.h"
#include "model/secret.h"
#include "model/utf8.h"
#include "backend/os/paths.h"
#include "model/domain.h"


/* ---- messages -------------------------------------------------------------- */

static int config_vfail(const cfg_ctx *c, const char *status, const char *key, const char *fmt,
		     va_list ap) __attribute__((format(printf, 4, 0)));

/* Record "FILE: WHERE: key KEY: message" (TM_EUSAGE); returns -1. The
 * place and the key are shown with any invalid byte or control character
 * as \xHH: they come from the file as written. */
static int config_vfail(const cfg_ctx *c, const char *status, const char *key, const char *fmt,
		     va_list ap)
{
	char msg[TM_WHAT_MAX], where[sizeof(c->where) * 4], k[CFG_KEY_SHOWN * 4 + 1];
	char pre[sizeof(where) + sizeof(k) + 16];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	utf8_shown(c->where, strlen(c->where), where, sizeof(where));
	utf8_shown(key ? key : "", key ? strnlen(key, CFG_KEY_SHOWN) : 0, k, sizeof(k));
	snprintf(pre, sizeof(pre), "%s%s%s%s%s", where, where[0] ? ": " : "",
		 key ? "key " : "", k, key ? ": " : "");
	return error_fail(c->e, TM_EUSAGE, status, "%s: %s%s", c->file, pre, msg);
}

/* A fault about key (NULL: about the block or the file). */
int config_fail(const cfg_ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = config_vfail(c, NULL, key, fmt, ap);
	va_end(ap);
	return rc;
}

/* Set the next step of the fault just recorded; returns -1. */
int config_hint(const cfg_ctx *c, const char *fmt, ...)
{
	char buf[TM_NEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	error_hint(c->e, "%s", buf);
	return -1;
}

/* A profile library failure: its words only as a detail. */
static int config_lib(const cfg_ctx *c, long code)
{
	config_fail(c, NULL, "the file could not be read as krb5.conf syntax (profile library: %s).",
		 error_message(code));
	return config_hint(c, "Each section starts with [name] on its own line; each domain is "
			"`NAME = {` ... `}` with one `key = value` per line and the closing "
			"brace on its own line.");
}

/* ---- small helpers --------------------------------------------------------- */

/* Copy s into buf of n; 0, or -1 when it does not fit. */
int config_copy_str(char *buf, size_t n, const char *s)
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

/* ---- reading sections --------------------------------------------------------- */

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
		config_fail(c, name, "the value is longer than %d characters.", CFG_VALUE_MAX - 1);
		return config_hint(c, "Shorten it.");
	}
	if (!buf[0]) {
		config_fail(c, name, "no value is given.");
		return config_hint(c, "Write `%.*s = VALUE`, or remove the line.", CFG_KEY_SHOWN, name);
	}
	if (value_has_brace(buf)) {
		config_fail(c, name, "the value ends in '}', so the block is not closed where it "
			 "seems to be.");
		return config_hint(c, "Put the closing brace of the block on a line of its own.");
	}
	return fn(c, arg, name, buf);
}

/* Visit every relation and subsection directly inside section names (the
 * library orders them by name; values of one name stay in file order). */
int config_each(const cfg_ctx *c, const char *const *names, cfg_visit fn, void *arg)
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
		return config_lib(c, r);
	return rc;
}

/* ---- [domains] ---------------------------------------------------------------------- */

/* A relation directly in [domains] instead of a block. */
static int domains_no_relations(cfg_ctx *c)
{
	const char *names[] = { "domains", NULL };
	char **rel = NULL;
	long r = profile_get_relation_names(c->prof, names, &rel);

	if (r != 0 && r != PROF_NO_RELATION)
		return config_lib(c, r);
	snprintf(c->where, sizeof(c->where), "[domains]");
	if (rel && rel[0]) {
		config_fail(c, NULL, "'%.*s = ...' is not a domain block.", CFG_KEY_SHOWN, rel[0]);
		profile_free_list(rel);
		return config_hint(c, "Write each domain as a block: `NAME = {`, one `key = value` "
				"per line, then `}` on its own line.");
	}
	profile_free_list(rel);
	return 0;
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
		return config_lib(c, r);
	while (blocks && blocks[n])
		n++;
	if (n == 0) {
		profile_free_list(blocks);
		config_fail(c, NULL, "the section names no domain.");
		return config_hint(c, "Add one block per domain: `A = {` with dns_name, netbios_name, "
				"sid, realm, ldap_uri, base_dn, bind, tls ... then `}`.");
	}
	rc = config_domains_load_all(c, cfg, blocks, n);
	profile_free_list(blocks);
	return rc;
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
		return config_lib(c, r);
	*has_trustmgr = 0;
	for (i = 0; secs && secs[i] && rc == 0; i++) {
		if (strcmp(secs[i], "domains") == 0)
			has_domains = 1;
		else if (strcmp(secs[i], "trustmgr") == 0)
			*has_trustmgr = 1;
		else {
			config_fail(c, NULL, "the section [%.*s] is not known; the sections are "
				 "[trustmgr] and [domains].", CFG_KEY_SHOWN, secs[i]);
			rc = config_hint(c, "Correct or remove that section.");
		}
	}
	profile_free_list(secs);
	if (rc == 0 && !has_domains) {
		config_fail(c, NULL, "there is no [domains] section, so no domain is configured.");
		rc = config_hint(c, "Add a [domains] section with one block `NAME = { ... }` per "
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
		config_fail(c, NULL, "cannot be read: %s.", strerror(err));
		return config_hint(c, err == ENOENT ? "Check the name given with --config or "
				"TRUSTMGR_CONFIG." : "Check the file's owner and mode.");
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		config_fail(c, NULL, "is not a regular file.");
		return config_hint(c, "Name the configuration file itself.");
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
	if (ctx_check_readable(c) < 0 || config_check_includes(c, path) < 0)
		return -1;
	ctx_dir(c);
	r = profile_init(files, &c->prof);
	if (r != 0) {
		c->prof = NULL;
		return config_lib(c, r);
	}
	return 0;
}

/* Read and validate path into out (see config.h). */
int config_load(const char *path, tm_config *out, tm_error *e)
{
	cfg_ctx c;
	int has_trustmgr = 0, rc;

	if (!out)
		return error_fail(e, TM_EUSAGE, NULL, "config_load: no result given.");
	memset(out, 0, sizeof(*out));
	if (!path || !path[0])
		return error_fail(e, TM_EUSAGE, NULL, "No configuration file was named.");
	if (config_copy_str(out->path, sizeof(out->path), path) < 0)
		return error_fail(e, TM_EUSAGE, NULL, "The configuration file name is too long.");
	if (ctx_open(&c, out->path, e) < 0) {
		config_free(out);
		return -1;
	}
	rc = sections_check(&c, &has_trustmgr);
	if (rc == 0)
		rc = config_trustmgr_load(&c, out, has_trustmgr);
	if (rc == 0)
		rc = domains_load(&c, out);
	profile_release(c.prof);
	if (rc < 0)
		config_free(out);
	return rc;
}

/* Free what config_load allocated; leaves an empty configuration. */
void config_free(tm_config *c)
{
	if (!c)
		return;
	free(c->domains);
	memset(c, 0, sizeof(*c));
}

/* ---- finding the file ---------------------------------------------------------------- */

static int out_path(char *path, size_t n, const char *p, tm_error *e)
{
	if (!path || config_copy_str(path, n, p) < 0)
		return error_fail(e, TM_EUSAGE, NULL, "%s: the configuration file name is too long.", p);
	return 1;
}

/* A file named by the user (--config or TRUSTMGR_CONFIG) must exist. */
static int find_given(const char *p, const char *source, char *path, size_t n, tm_error *e)
{
	struct stat st;

	if (!p[0]) {
		error_fail(e, TM_EUSAGE, NULL, "%s names no file.", source);
		error_hint(e, "Give the configuration file's name, or leave %s out.", source);
		return -1;
	}
	if (stat(p, &st) < 0) {
		error_fail(e, TM_EUSAGE, ST_OBJECT_NAME_NOT_FOUND,
			"%s: the configuration file named by %s cannot be used: %s.", p, source,
			strerror(errno));
		error_hint(e, "Check the name given with %s.", source);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		error_fail(e, TM_EUSAGE, NULL, "%s (named by %s) is a folder, not a configuration file.",
			p, source);
		error_hint(e, "Name the file itself, for example %s/trustmgr.conf.", p);
		return -1;
	}
	return out_path(path, n, p, e);
}

/* Does a default location hold something (a file there that cannot be read
 * is still found, so that config_load says why)? */
static int find_present(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

/* The per-user file: $XDG_CONFIG_HOME/trustmgr/trustmgr.conf, else
 * $HOME/.config/trustmgr/trustmgr.conf. 0 when there is no home. */
static int find_user_path(char *buf, size_t n)
{
	return paths_user_dir("XDG_CONFIG_HOME", ".config", "trustmgr/trustmgr.conf", buf, n) ==
	       PATHS_OK;
}

/* Find the configuration: explicit, $TRUSTMGR_CONFIG, the user's file, then
 * /etc/trustmgr.conf. 1 found, 0 none, -1 a named file is missing. */
int config_find(const char *explicit_path, char *path, size_t n, tm_error *e)
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
	return error_fail(e, TM_EUSAGE, NULL, "%s (%s%s%s): %s", path, key ? key : "secret file",
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
		error_hint(e, "Name a file holding the secret on its first line.");
		return -1;
	}
	if (st.st_mode & (S_IRGRP | S_IROTH)) {
		error_fail(e, TM_EUSAGE, NULL, "%s (%s%s%s): the file holds a secret but is readable "
			"by group or others (mode %04o); run `chmod 600 %s`.", path,
			key ? key : "secret file", d ? " of domain " : "", d ? d->dom.name : "",
			(unsigned)(st.st_mode & 07777), path);
		error_hint(e, "Run `chmod 600 %s`, then try again.", path);
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
		error_hint(e, "Keep the secret on the first line, at most %d bytes.", SECRET_MAX);
		return -1;
	}
	if (len == 0) {
		secret_fail(path, key, d, e, "the file is empty; the secret must be on its first line.");
		error_hint(e, "Write the secret on the first line of %s.", path);
		return -1;
	}
	if (memchr(buf, '\0', (size_t)len)) {
		secret_fail(path, key, d, e, "the first line contains a NUL byte.");
		error_hint(e, "Write the secret as text on the first line.");
		return -1;
	}
	*out = secret_alloc((size_t)len + 1);    /* locked where allowed (secret.h) */
	if (!*out)
		return secret_fail(path, key, d, e, "out of memory.");
	memcpy(*out, buf, (size_t)len);
	(*out)[len] = '\0';
	return 0;
}

/* Read the secret on the first line of path (see config.h). */
int config_read_secret(const char *path, const char *key, const cfg_domain *d, char **out,
		    tm_error *e)
{
	char buf[SECRET_MAX + 3];
	size_t got = 0;
	int fd, rc;

	if (!out)
		return error_fail(e, TM_EUSAGE, NULL, "config_read_secret: no result given.");
	*out = NULL;
	if (!path || !path[0]) {
		error_fail(e, TM_EUSAGE, NULL, "Domain %s has no %s.", d ? d->dom.name : "?",
			key ? key : "secret file");
		error_hint(e, "Add `%s = FILE` to its block in the configuration.", key ? key : "KEY");
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		secret_fail(path, key, d, e, strerror(errno));
		error_hint(e, "Check that the file exists and that you may read it.");
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
const cfg_domain *config_domain_find(const tm_config *c, const char *name)
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

/* ---- policy ---------------------------------------------------------------------------- */

/* config_min_password_length: the key of the configuration, else the default. */
int config_min_password_length(const char *path, int *min, tm_error *e)
{
	tm_config cfg;

	*min = SECRET_MIN_DEFAULT;
	if (!path || !path[0])
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	if (config_load(path, &cfg, e) < 0) {
		config_free(&cfg);
		return -1;
	}
	*min = cfg.min_password_length;
	config_free(&cfg);
	return 0;
}
