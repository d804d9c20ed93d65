/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* audit.c - audit records: who, the line format, escaping (audit.h). */
#include "backend/audit/audit.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AUDIT_WITHHELD "[secret withheld]"

/* ---- the operator ------------------------------------------------------------ */

/* The first blank-separated word of s into buf. */
static void audit_first_word(const char *s, char *buf, size_t n)
{
	size_t k = strcspn(s, " \t");

	snprintf(buf, n, "%.*s", (int)(k < n ? k : n - 1), s);
}

/* The login name of uid into buf. Asked of the password database once per
 * process and uid: a plan writes a record per step, and each lookup reads
 * the whole database. Records are written from one thread only. */
static void audit_login(uid_t uid, char *buf, size_t n)
{
	static char known[sizeof(((audit_operator *)0)->login)];
	static uid_t known_uid;
	static int have;
	struct passwd pw, *res = NULL;
	char pwbuf[4096];

	if (!have || known_uid != uid) {
		if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res && res->pw_name)
			snprintf(known, sizeof(known), "%s", res->pw_name);
		else
			snprintf(known, sizeof(known), "uid-%ld", (long)uid);
		known_uid = uid;
		have = 1;
	}
	snprintf(buf, n, "%s", known);
}

/* audit_operator_get: login, uid, sudo user, ssh client, host, pid. */
void audit_operator_get(audit_operator *o)
{
	const char *sudo = getenv("SUDO_USER"), *ssh = getenv("SSH_CONNECTION");
	uid_t uid = getuid();

	memset(o, 0, sizeof(*o));
	o->uid = (long)uid;
	o->pid = (long)getpid();
	audit_login(uid, o->login, sizeof(o->login));
	if (sudo && *sudo)
		snprintf(o->sudo_user, sizeof(o->sudo_user), "%s", sudo);
	if (ssh && *ssh)
		audit_first_word(ssh, o->ssh_client, sizeof(o->ssh_client));
	if (gethostname(o->host, sizeof(o->host)) < 0)
		o->host[0] = '\0';
	o->host[sizeof(o->host) - 1] = '\0';
}

/* ---- escaping ------------------------------------------------------------------ */

static int audit_bare_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch != '\0' && strchr("._:/@+,-", ch) != NULL);
}

static int audit_is_bare(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	if (!*p)
		return 0;
	for (; *p; p++)
		if (!audit_bare_char(*p))
			return 0;
	return 1;
}

/* Length of the secret that starts at p, or 0. */
static size_t audit_secret_at(const char *p, const char *const *secrets)
{
	size_t i, k;

	for (i = 0; secrets && i < AUDIT_MAX_SECRETS; i++) {
		if (!secrets[i] || !secrets[i][0])
			continue;
		k = strlen(secrets[i]);
		if (strncmp(p, secrets[i], k) == 0)
			return k;
	}
	return 0;
}

/* Append the bytes s[0..k) to buf, keeping room for the NUL. */
static void audit_put(char *buf, size_t n, size_t *len, const char *s, size_t k)
{
	if (*len >= n)
		return;
	if (k > n - 1 - *len)
		k = n - 1 - *len;
	memcpy(buf + *len, s, k);
	*len += k;
	buf[*len] = '\0';
}

/* One byte of a quoted value. */
static void audit_put_quoted_char(char *buf, size_t n, size_t *len, unsigned char ch)
{
	char esc[8];

	if (ch == '"' || ch == '\\') {
		esc[0] = '\\';
		esc[1] = (char)ch;
		audit_put(buf, n, len, esc, 2);
	} else if (ch < 0x20 || ch >= 0x7f) {
		snprintf(esc, sizeof(esc), "\\x%02x", ch);
		audit_put(buf, n, len, esc, 4);
	} else {
		esc[0] = (char)ch;
		audit_put(buf, n, len, esc, 1);
	}
}

/* Write v (secrets withheld) without quoting into a scratch copy first:
 * the decision bare/quoted is made on what is finally written. */
static void audit_withhold(const char *v, const char *const *secrets, char *out, size_t n)
{
	size_t len = 0, k;

	out[0] = '\0';
	while (*v && len < n - 1) {
		if ((k = audit_secret_at(v, secrets)) > 0) {
			audit_put(out, n, &len, AUDIT_WITHHELD, strlen(AUDIT_WITHHELD));
			v += k;
		} else {
			audit_put(out, n, &len, v++, 1);
		}
	}
}

/* audit_put_value: bare when safe, else quoted and escaped. */
void audit_put_value(char *buf, size_t n, size_t *len, const char *value,
		     const char *const *secrets)
{
	char clean[AUDIT_MSG_MAX + 64];
	const unsigned char *p;

	audit_withhold(value ? value : "", secrets, clean, sizeof(clean));
	if (audit_is_bare(clean)) {
		audit_put(buf, n, len, clean, strlen(clean));
		return;
	}
	audit_put(buf, n, len, "\"", 1);
	for (p = (const unsigned char *)clean; *p; p++)
		audit_put_quoted_char(buf, n, len, *p);
	audit_put(buf, n, len, "\"", 1);
}

/* ---- the record -------------------------------------------------------------------- */

/* " key=value" when value is set and not empty. */
static void audit_field(char *buf, size_t n, size_t *len, const char *key, const char *value,
			const audit_event *ev)
{
	if (!value || !value[0])
		return;
	audit_put(buf, n, len, " ", 1);
	audit_put(buf, n, len, key, strlen(key));
	audit_put(buf, n, len, "=", 1);
	audit_put_value(buf, n, len, value, ev->secrets);
}

static void audit_time(long long when, char *buf, size_t n)
{
	time_t t = (time_t)when;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "%s", "1970-01-01T00:00:00Z");
}

/* What the plan is and what happened to it. */
static void audit_what(const audit_event *ev, char *buf, size_t n, size_t *len)
{
	char num[64];

	audit_field(buf, n, len, "event", ev->event, ev);
	audit_field(buf, n, len, "result", ev->result, ev);
	audit_field(buf, n, len, "op", ev->op, ev);
	audit_field(buf, n, len, "domain", ev->domain, ev);
	audit_field(buf, n, len, "partner", ev->partner, ev);
	audit_field(buf, n, len, "principal", ev->principal, ev);
	if (ev->step) {
		snprintf(num, sizeof(num), "%zu/%zu", ev->step, ev->steps);
		audit_field(buf, n, len, "step", num, ev);
	}
	audit_field(buf, n, len, "action", ev->action, ev);
	if (ev->steps && !ev->step) {
		snprintf(num, sizeof(num), "%zu", ev->steps);
		audit_field(buf, n, len, "steps", num, ev);
	}
	if (ev->done >= 0) {
		snprintf(num, sizeof(num), "%ld", ev->done);
		audit_field(buf, n, len, "done", num, ev);
	}
	audit_field(buf, n, len, "domains", ev->domains, ev);
	audit_field(buf, n, len, "status", ev->status, ev);
}

/* Who did it, from where. */
static void audit_who(const audit_event *ev, const audit_operator *o, const char *backend,
		      char *buf, size_t n, size_t *len)
{
	char num[32];

	audit_field(buf, n, len, "operator", o->login, ev);
	snprintf(num, sizeof(num), "%ld", o->uid);
	audit_field(buf, n, len, "uid", num, ev);
	audit_field(buf, n, len, "sudo_user", o->sudo_user, ev);
	audit_field(buf, n, len, "ssh_client", o->ssh_client, ev);
	audit_field(buf, n, len, "host", o->host, ev);
	snprintf(num, sizeof(num), "%ld", o->pid);
	audit_field(buf, n, len, "pid", num, ev);
	audit_field(buf, n, len, "backend", backend, ev);
}

/* audit_format: time, then the fields in the documented order. */
size_t audit_format(const audit_event *ev, const audit_operator *o, const char *backend,
		    char *buf, size_t n)
{
	char msg[AUDIT_MSG_MAX + 1];
	size_t len = 0, room;

	if (!n)
		return 0;
	buf[0] = '\0';
	audit_time(ev->when, buf, n);
	len = strlen(buf);
	audit_what(ev, buf, n, &len);
	audit_who(ev, o, backend, buf, n, &len);
	if (ev->msg && ev->msg[0]) {
		/* Secrets are withheld before the message is cut, so no part
		 * of one survives; quoting can grow a byte to four. */
		audit_withhold(ev->msg, ev->secrets, msg, sizeof(msg));
		room = len + 8 < n ? (n - len - 8) / 4 : 0;
		if (room < strlen(msg))
			msg[room] = '\0';
		audit_field(buf, n, &len, "msg", msg, ev);
	}
	return len;
}

/* audit_facility_code: the syslog facility numbers of RFC 5424. */
int audit_facility_code(const char *name)
{
	static const struct { const char *name; int code; } v[] = {
		{ "user", 1 }, { "daemon", 3 }, { "auth", 4 }, { "authpriv", 10 },
		{ "local0", 16 }, { "local1", 17 }, { "local2", 18 }, { "local3", 19 },
		{ "local4", 20 }, { "local5", 21 }, { "local6", 22 }, { "local7", 23 },
	};
	size_t i;

	for (i = 0; name && i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].code;
	return -1;
}
