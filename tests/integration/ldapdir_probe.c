/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ldapdir_probe.c - drives backend/ldap/ldapdir*.c against a real slapd for
 * tests/integration/ldapdir_lab.sh (built there with cc from the build's
 * libraries; not part of trustmgr).
 *
 *   ldapdir_probe COMMAND [ARGS]
 *
 * The domain comes from the environment: PROBE_URIS (space separated, in
 * failover order), PROBE_BASE, PROBE_BIND (simple | sasl_external |
 * sasl_gssapi), PROBE_BIND_DN, PROBE_PWFILE, PROBE_TLS (starttls | ldaps |
 * none), PROBE_CACERT, PROBE_ALLOW (allow_plaintext_secrets, 0 or 1),
 * PROBE_TIMEOUT (seconds).
 *
 * Commands (each prints "ok: ..." and exits 0, or "FAIL: ..." and exits 1):
 *   put-full PARTNER FILE   put a two-way forest TDO with SID, both trustAuth
 *                           blobs, forest info and enctypes; list it back
 *                           equal; write the values sent as LDIF lines to FILE
 *   modify PARTNER FILE     make it inbound only, no forest bit: the outgoing
 *                           blob empties and msDS-TrustForestTrustInfo goes;
 *                           list it back equal; FILE as above
 *   delete PARTNER          delete, list: gone; delete again: fine
 *   names FILE              one partner name per line: put each, list them
 *                           back with the same names
 *   names-delete FILE       delete each; none is listed any more
 *   count N [noblobs]       list: exactly N TDOs (noblobs: none has secrets)
 *   secure 0|1              ldapdir_secure says so
 *   put-refused PARTNER     a TDO with secrets is refused (TM_EREFUSED), one
 *                           without is written; then deleted
 *   open-fail TEXT...       ldapdir_open fails within the timeout (+3 s) with
 *                           a message holding every TEXT
 *   put-fail PARTNER TEXT.. ldapdir_tdo_put fails with every TEXT
 *   list-fail TEXT...       ldapdir_tdo_list fails with every TEXT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldap.h>
#include <ldif.h>

#include "backend/config/config.h"
#include "backend/ldap/ldapdir.h"
#include "backend/ldap/ldapdir_tdo.h"
#include "backend/ldap/tdoattr.h"
#include "model/forestinfo.h"
#include "model/secret.h"
#include "model/tdo.h"
#include "model/domain.h"

#define FT_2024 0x01da5e0000000000ull

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return 1;
}

static void show_error(const char *what, const tm_error *e)
{
	printf("  %s: [class %d, %s] %s\n", what, (int)e->cls, e->status ? e->status : "-",
	       e->what);
	if (e->next[0])
		printf("  next: %s\n", e->next);
}

/* ---- the domain from the environment ----------------------------------- */

static const char *env(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && v[0] ? v : dflt;
}

static void split_uris(cfg_domain *d, const char *uris)
{
	const char *p = uris;

	while (*p && d->nuris < CFG_MAX_URIS) {
		size_t n = strcspn(p, " ");

		if (n > 0)
			snprintf(d->ldap_uri[d->nuris++], CFG_STR, "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
	}
}

static void domain_from_env(cfg_domain *d)
{
	const char *bind = env("PROBE_BIND", "simple"), *tls = env("PROBE_TLS", "starttls");

	memset(d, 0, sizeof(*d));
	domain_init(&d->dom);
	snprintf(d->dom.name, sizeof(d->dom.name), "%s", env("PROBE_NAME", "A"));
	snprintf(d->dom.dns, sizeof(d->dom.dns), "%s", env("PROBE_DNS", "a.lab.test"));
	snprintf(d->dom.netbios, sizeof(d->dom.netbios), "%s", env("PROBE_NETBIOS", "A"));
	split_uris(d, env("PROBE_URIS", ""));
	snprintf(d->base_dn, sizeof(d->base_dn), "%s", env("PROBE_BASE", ""));
	d->bind = strcmp(bind, "sasl_external") == 0 ? CFG_BIND_SASL_EXTERNAL :
		  strcmp(bind, "sasl_gssapi") == 0 ? CFG_BIND_SASL_GSSAPI : CFG_BIND_SIMPLE;
	snprintf(d->bind_dn, sizeof(d->bind_dn), "%s", env("PROBE_BIND_DN", ""));
	snprintf(d->bind_password_file, sizeof(d->bind_password_file), "%s",
		 env("PROBE_PWFILE", ""));
	d->tls = strcmp(tls, "none") == 0 ? CFG_TLS_NONE :
		 strcmp(tls, "ldaps") == 0 ? CFG_TLS_LDAPS : CFG_TLS_STARTTLS;
	snprintf(d->tls_cacert, sizeof(d->tls_cacert), "%s", env("PROBE_CACERT", ""));
	d->allow_plaintext_secrets = atoi(env("PROBE_ALLOW", "0"));
}

static int timeout_s(void)
{
	return atoi(env("PROBE_TIMEOUT", "5"));
}

static ldapdir *open_dir(tm_error *e)
{
	cfg_domain d;

	domain_from_env(&d);
	error_clear(e);
	return ldapdir_open(&d, timeout_s(), e);
}

/* ---- TDOs ------------------------------------------------------------------ */

static void set_sid(tm_tdo *t, const char *text)
{
	tm_error e;

	t->has_sid = sid_parse(text, &t->sid, &e) == 0;
}

static int set_password(authblob *b, const char *pw)
{
	tm_error e;

	return authblob_set_password(b, pw, 3, FT_2024, AUTHBLOB_FRESH, &e);
}

static int set_ftinfo(tm_tdo *t)
{
	fti_info fi;
	int rc;

	if (forestinfo_default(&fi, t->partner, t->flat, &t->sid, (int64_t)FT_2024) != 0)
		return -1;
	rc = forestinfo_encode(&fi, &t->ftinfo, &t->ftinfo_len);
	forestinfo_free(&fi);
	return rc;
}

/* Two-way forest trust with everything a TDO can carry. */
static int full_tdo(tm_tdo *t, const char *partner)
{
	tdo_init(t);
	snprintf(t->partner, sizeof(t->partner), "%s", partner);
	snprintf(t->flat, sizeof(t->flat), "PARTNER");
	set_sid(t, "S-1-5-21-11-22-33");
	t->direction = TRUST_DIRECTION_BIDIRECTIONAL;
	t->type = TRUST_TYPE_UPLEVEL;
	t->attributes = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_USES_AES_KEYS;
	t->has_enctypes = 1;
	t->enctypes = ENCTYPE_BITS_AES;
	t->posix_offset = -1073741824;
	t->when_created = 1700000000;
	t->when_changed = 1700000123;
	if (set_password(&t->incoming, "incoming secret \xc3\xa9") != 0 ||
	    set_password(&t->outgoing, "outgoing secret") != 0)
		return -1;
	return set_ftinfo(t);
}

static int blob_equal(const authblob *a, const authblob *b)
{
	uint8_t *ea = NULL, *eb = NULL;
	size_t na = 0, nb = 0;
	int eq;

	if (authblob_encode(a, &ea, &na) != 0 || authblob_encode(b, &eb, &nb) != 0)
		return 0;
	eq = na == nb && memcmp(ea, eb, na) == 0;
	secret_free_buf(&ea, na);
	secret_free_buf(&eb, nb);
	return eq;
}

/* Which field differs, or NULL. */
static const char *tdo_diff(const tm_tdo *a, const tm_tdo *b)
{
	if (strcmp(a->partner, b->partner) != 0)
		return "trustPartner";
	if (strcmp(a->flat, b->flat) != 0)
		return "flatName";
	if (a->has_sid != b->has_sid || (a->has_sid && !sid_equal(&a->sid, &b->sid)))
		return "securityIdentifier";
	if (a->direction != b->direction || a->type != b->type || a->attributes != b->attributes)
		return "trustDirection/Type/Attributes";
	if (a->has_enctypes != b->has_enctypes || a->enctypes != b->enctypes)
		return "msDS-SupportedEncryptionTypes";
	if (a->posix_offset != b->posix_offset)
		return "trustPosixOffset";
	if (a->ftinfo_len != b->ftinfo_len ||
	    (a->ftinfo_len && memcmp(a->ftinfo, b->ftinfo, a->ftinfo_len) != 0))
		return "msDS-TrustForestTrustInfo";
	if (a->when_created != b->when_created || a->when_changed != b->when_changed)
		return "whenCreated/whenChanged";
	if (!blob_equal(&a->incoming, &b->incoming))
		return "trustAuthIncoming";
	if (!blob_equal(&a->outgoing, &b->outgoing))
		return "trustAuthOutgoing";
	return NULL;
}

/* The TDO named partner in the list, or NULL. */
static const tm_tdo *find(const tm_tdo *v, size_t n, const char *partner)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].partner, partner) == 0)
			return &v[i];
	return NULL;
}

/* List and compare the entry for want->partner with want. */
static int list_equal(ldapdir *l, const tm_tdo *want)
{
	tm_tdo *v = NULL;
	const tm_tdo *got;
	const char *diff;
	size_t n = 0;
	tm_error e;
	int rc = 0;

	error_clear(&e);
	if (ldapdir_tdo_list(l, &v, &n, &e) != 0) {
		show_error("list", &e);
		return fail("listing after the put failed");
	}
	got = find(v, n, want->partner);
	if (!got)
		rc = fail("%s is not in the list of %zu TDOs", want->partner, n);
	else if ((diff = tdo_diff(want, got)) != NULL)
		rc = fail("%s came back with a different %s", want->partner, diff);
	tdo_free_array(&v, n);
	return rc;
}

/* What was sent, as "name: value" / "name:: base64" lines without wrapping,
 * the way ldapsearch -o ldif-wrap=no prints them. */
static int write_ldif(const tm_tdo *t, const char *path)
{
	tdoattr_list vals;
	FILE *f = fopen(path, "w");
	tm_error e;
	size_t i;

	if (!f || tdoattr_values(t, &vals, &e) != 0) {
		if (f)
			fclose(f);
		return fail("cannot write %s", path);
	}
	for (i = 0; i < vals.n; i++) {
		int type = (vals.v[i].flags & TDOATTR_BINARY) ? LDIF_PUT_BINARY : LDIF_PUT_VALUE;
		char *line = ldif_put_wrap(type, vals.v[i].name, (const char *)vals.v[i].data,
					   vals.v[i].len, LDIF_LINE_WIDTH_MAX);

		if (line)
			fputs(line, f);
		ber_memfree(line);
	}
	tdoattr_list_free(&vals);
	return fclose(f) == 0 ? 0 : fail("cannot write %s", path);
}

static int put_and_check(ldapdir *l, const tm_tdo *t, const char *file, const char *what)
{
	tm_error e;

	error_clear(&e);
	if (ldapdir_tdo_put(l, t, &e) != 0) {
		show_error("put", &e);
		return fail("%s: put of %s failed", what, t->partner);
	}
	if (list_equal(l, t) != 0 || (file && write_ldif(t, file) != 0))
		return 1;
	printf("ok: %s: %s written and listed back equal (blobs included)\n", what, t->partner);
	return 0;
}

/* ---- commands ------------------------------------------------------------- */

static int cmd_put_full(ldapdir *l, char **argv)
{
	tm_tdo t;
	int rc;

	if (full_tdo(&t, argv[0]) != 0)
		return fail("cannot build the TDO");
	rc = put_and_check(l, &t, argv[1], "put");
	tdo_free(&t);
	return rc;
}

static int cmd_modify(ldapdir *l, char **argv)
{
	tm_tdo t;
	int rc;

	if (full_tdo(&t, argv[0]) != 0)
		return fail("cannot build the TDO");
	t.direction = TRUST_DIRECTION_INBOUND;     /* rule 11: outgoing empties */
	authblob_free(&t.outgoing);
	t.attributes = TRUST_ATTR_USES_AES_KEYS;    /* rule 6: forest info goes */
	free(t.ftinfo);
	t.ftinfo = NULL;
	t.ftinfo_len = 0;
	t.has_enctypes = 0;
	t.enctypes = 0;
	t.when_changed = 1700000999;
	rc = put_and_check(l, &t, argv[1], "modify");
	tdo_free(&t);
	return rc;
}

static int cmd_delete(ldapdir *l, char **argv)
{
	tm_tdo *v = NULL;
	size_t n = 0;
	tm_error e;
	int rc;

	error_clear(&e);
	if (ldapdir_tdo_delete(l, argv[0], &e) != 0) {
		show_error("delete", &e);
		return fail("delete of %s failed", argv[0]);
	}
	if (ldapdir_tdo_list(l, &v, &n, &e) != 0) {
		show_error("list", &e);
		return fail("listing after the delete failed");
	}
	rc = find(v, n, argv[0]) ? fail("%s is still listed after the delete", argv[0]) : 0;
	tdo_free_array(&v, n);
	if (rc == 0 && ldapdir_tdo_delete(l, argv[0], &e) != 0) {
		show_error("delete again", &e);
		return fail("deleting the missing entry %s again failed", argv[0]);
	}
	if (rc == 0)
		printf("ok: %s deleted, gone from the list; deleting it again is fine\n", argv[0]);
	return rc;
}

/* One partner name per line (no newline kept). */
static size_t read_names(const char *path, char names[][NAME_DNS_MAX], size_t max)
{
	char line[4 * NAME_DNS_MAX];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	while (f && n < max && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");

		if (len > 0 && len < NAME_DNS_MAX) {
			memcpy(names[n], line, len);
			names[n++][len] = '\0';
		}
	}
	if (f)
		fclose(f);
	return n;
}

static int put_named(ldapdir *l, const char *name, size_t i)
{
	tm_tdo t;
	tm_error e;
	int rc = 0;

	tdo_init(&t);
	snprintf(t.partner, sizeof(t.partner), "%s", name);
	snprintf(t.flat, sizeof(t.flat), "ODD%zu", i);
	t.direction = TRUST_DIRECTION_OUTBOUND;
	t.type = TRUST_TYPE_UPLEVEL;
	t.when_created = t.when_changed = 1700000000;
	set_sid(&t, "S-1-5-21-5-5-5");
	t.sid.sub[3] = (uint32_t)(100 + i);
	if (set_password(&t.outgoing, "x") != 0)
		return fail("cannot build the TDO for name %zu", i);
	error_clear(&e);
	if (ldapdir_tdo_put(l, &t, &e) != 0) {
		show_error("put", &e);
		rc = fail("put of the odd name \"%s\" failed", name);
	} else {
		rc = list_equal(l, &t);
	}
	tdo_free(&t);
	return rc;
}

static int cmd_names(ldapdir *l, char **argv)
{
	static char names[64][NAME_DNS_MAX];
	size_t n = read_names(argv[0], names, 64), i;
	int rc = 0;

	if (n == 0)
		return fail("no names in %s", argv[0]);
	for (i = 0; i < n && rc == 0; i++)
		rc = put_named(l, names[i], i);
	if (rc == 0)
		printf("ok: %zu partner names with LDAP special characters written and listed "
		       "back equal\n", n);
	return rc;
}

static int cmd_names_delete(ldapdir *l, char **argv)
{
	static char names[64][NAME_DNS_MAX];
	size_t n = read_names(argv[0], names, 64), i, left = 0;
	tm_tdo *v = NULL;
	tm_error e;

	for (i = 0; i < n; i++) {
		error_clear(&e);
		if (ldapdir_tdo_delete(l, names[i], &e) != 0) {
			show_error("delete", &e);
			return fail("delete of the odd name \"%s\" failed", names[i]);
		}
	}
	if (ldapdir_tdo_list(l, &v, &left, &e) != 0) {
		show_error("list", &e);
		return fail("listing after the deletes failed");
	}
	for (i = 0; i < n; i++)
		if (find(v, left, names[i]))
			break;
	tdo_free_array(&v, left);
	if (i < n)
		return fail("\"%s\" is still listed after its delete", names[i]);
	printf("ok: %zu odd partner names deleted\n", n);
	return 0;
}

static int cmd_count(ldapdir *l, char **argv)
{
	size_t want = strtoul(argv[0], NULL, 10), n = 0, i, secrets = 0, undated = 0;
	tm_tdo *v = NULL;
	tm_error e;

	error_clear(&e);
	if (ldapdir_tdo_list(l, &v, &n, &e) != 0) {
		show_error("list", &e);
		return fail("listing failed");
	}
	for (i = 0; i < n; i++) {
		secrets += v[i].incoming.count > 0 || v[i].outgoing.count > 0;
		undated += v[i].when_created <= 0;
	}
	tdo_free_array(&v, n);
	if (n != want)
		return fail("listed %zu TDOs, expected %zu", n, want);
	if (undated > 0)
		return fail("%zu TDOs have no creation time (whenCreated or createTimestamp)",
			    undated);
	if (argv[1] && strcmp(argv[1], "noblobs") == 0 && secrets > 0)
		return fail("%zu TDOs came with secrets to a bind that may not read them", secrets);
	printf("ok: listed %zu TDOs (%zu with secrets)\n", n, secrets);
	return 0;
}

static int cmd_secure(ldapdir *l, char **argv)
{
	int want = atoi(argv[0]);

	if (ldapdir_secure(l) != want)
		return fail("ldapdir_secure says %d, expected %d", ldapdir_secure(l), want);
	printf("ok: ldapdir_secure = %d\n", want);
	return 0;
}

static int cmd_put_refused(ldapdir *l, char **argv)
{
	tm_tdo t;
	tm_error e;
	int rc = 0;

	if (full_tdo(&t, argv[0]) != 0)
		return fail("cannot build the TDO");
	error_clear(&e);
	if (ldapdir_tdo_put(l, &t, &e) == 0)
		rc = fail("a TDO with secrets was written over a connection without TLS");
	else if (e.cls != TM_EREFUSED || !strstr(e.next, "allow_plaintext_secrets"))
		rc = fail("the refusal is not TM_EREFUSED with the way out: %s / %s", e.what, e.next);
	else
		show_error("refused as expected", &e);
	authblob_free(&t.incoming);
	authblob_free(&t.outgoing);
	if (rc == 0)
		rc = put_and_check(l, &t, NULL, "put without secrets");
	error_clear(&e);
	if (rc == 0 && ldapdir_tdo_delete(l, argv[0], &e) != 0)
		rc = fail("delete failed: %s", e.what);
	tdo_free(&t);
	if (rc == 0)
		printf("ok: secrets refused without TLS, the rest written\n");
	return rc;
}

/* Every text must appear in the message (what or next). */
static int expect_texts(const tm_error *e, char **texts)
{
	char all[TM_WHAT_MAX + TM_NEXT_MAX + 2];
	int rc = 0;

	snprintf(all, sizeof(all), "%s %s", e->what, e->next);
	for (; *texts; texts++)
		if (!strstr(all, *texts))
			rc = fail("the message lacks \"%s\"", *texts);
	return rc;
}

static int cmd_open_fail(char **argv)
{
	struct timespec t0, t1;
	ldapdir *l;
	tm_error e;
	double took;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	l = open_dir(&e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (l) {
		ldapdir_close(&l);
		return fail("ldapdir_open succeeded");
	}
	show_error("open failed as expected", &e);
	if (took > timeout_s() + 3)
		return fail("it took %.1f s, more than the %d s timeout", took, timeout_s());
	if (expect_texts(&e, argv) != 0)
		return 1;
	printf("ok: open failed in %.1f s with a clear message\n", took);
	return 0;
}

static int cmd_put_fail(ldapdir *l, char **argv)
{
	tm_tdo t;
	tm_error e;
	int rc;

	if (full_tdo(&t, argv[0]) != 0)
		return fail("cannot build the TDO");
	error_clear(&e);
	rc = ldapdir_tdo_put(l, &t, &e);
	tdo_free(&t);
	if (rc == 0)
		return fail("the put succeeded");
	show_error("put failed as expected", &e);
	if (expect_texts(&e, argv + 1) != 0)
		return 1;
	printf("ok: put refused with the expected message\n");
	return 0;
}

static int cmd_list_fail(ldapdir *l, char **argv)
{
	tm_tdo *v = NULL;
	size_t n = 0;
	tm_error e;

	error_clear(&e);
	if (ldapdir_tdo_list(l, &v, &n, &e) == 0) {
		tdo_free_array(&v, n);
		return fail("the list succeeded");
	}
	show_error("list failed as expected", &e);
	if (expect_texts(&e, argv) != 0)
		return 1;
	printf("ok: list failed with the expected message\n");
	return 0;
}

typedef struct command {
	const char *name;
	int nargs;                 /* at least */
	int (*run)(ldapdir *l, char **argv);
} command;

static const command commands[] = {
	{ "put-full", 2, cmd_put_full },
	{ "modify", 2, cmd_modify },
	{ "delete", 1, cmd_delete },
	{ "names", 1, cmd_names },
	{ "names-delete", 1, cmd_names_delete },
	{ "count", 1, cmd_count },
	{ "secure", 1, cmd_secure },
	{ "put-refused", 1, cmd_put_refused },
	{ "put-fail", 1, cmd_put_fail },
	{ "list-fail", 0, cmd_list_fail },
};

int main(int argc, char **argv)
{
	ldapdir *l;
	tm_error e;
	size_t i;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "open-fail") == 0)
		return cmd_open_fail(argv + 2);
	for (i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (argc - 2 < commands[i].nargs)
			break;
		l = open_dir(&e);
		if (!l) {
			show_error("open", &e);
			return fail("%s: ldapdir_open failed", argv[1]);
		}
		rc = commands[i].run(l, argv + 2);
		ldapdir_close(&l);
		return rc;
	}
	fprintf(stderr, "usage: ldapdir_probe COMMAND [ARGS] (see the source)\n");
	return 2;
}
