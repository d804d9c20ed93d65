/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_ldif.c - domain.ldif: rendering, parsing, exact round trips, DN
 * escaping, and clear errors (with line and entry) for damaged files. */
#include <ctype.h>
#include <check.h>
#include <ldap.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/store/store_ldif.h"
#include "backend/store/store_ldif_rec.h"
#include "model/forestinfo.h"
#include "model/grow.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

#define FT_2024 0x01da5e0000000000ull

static const char *const odd_names[] = {
	"a,b+c\"d\\e<f>g;h=i",   /* every RFC 4514 special */
	"#hash",                 /* leading # */
	" lead and trail ",      /* leading and trailing space */
};

static void set_blobs(tm_tdo *t, const char *pw_in, const char *pw_out)
{
	tm_error e;

	if (pw_in)
		ck_assert_int_eq(authblob_set_password(&t->incoming, pw_in, 3, FT_2024,
						       AUTHBLOB_FRESH, &e), 0);
	if (pw_out)
		ck_assert_int_eq(authblob_set_password(&t->outgoing, pw_out, 3, FT_2024,
						       AUTHBLOB_FRESH, &e), 0);
}

static void set_ftinfo(tm_tdo *t)
{
	fti_info fi;

	ck_assert_int_eq(forestinfo_default(&fi, t->partner, t->flat, &t->sid, (int64_t)FT_2024), 0);
	ck_assert_int_eq(forestinfo_encode(&fi, &t->ftinfo, &t->ftinfo_len), 0);
	forestinfo_free(&fi);
}

static tm_tdo *add_tdo(stldif_domain *d, const char *partner, const char *flat,
		       const char *sid, uint32_t dir, uint32_t type)
{
	size_t cap = d->ntdos;          /* room for at least what it holds */
	tm_tdo *t;

	d->tdos = grow_array(d->tdos, &cap, d->ntdos + 1, sizeof(*d->tdos), 8);
	ck_assert_ptr_nonnull(d->tdos);
	t = &d->tdos[d->ntdos++];
	tdo_init(t);
	snprintf(t->partner, sizeof(t->partner), "%s", partner);
	snprintf(t->flat, sizeof(t->flat), "%s", flat);
	if (sid) {
		t->has_sid = 1;
		t->sid = tu_sid(sid);
	}
	t->direction = dir;
	t->type = type;
	t->when_created = 1700000000;
	t->when_changed = 1700000123;
	return t;
}

static void add_account(stldif_domain *d, const char *name, const char *partner, int locked)
{
	size_t cap = d->naccounts;      /* room for at least what it holds */
	tm_account *a;

	d->accounts = grow_array(d->accounts, &cap, d->naccounts + 1, sizeof(*d->accounts), 8);
	ck_assert_ptr_nonnull(d->accounts);
	a = &d->accounts[d->naccounts++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	snprintf(a->partner, sizeof(a->partner), "%s", partner);
	a->locked = locked;
	a->created = 1690000000;
	a->locked_at = locked ? 1690000500 : 0;
}

static void make_domain(stldif_domain *d)
{
	tm_tdo *t;
	size_t i;

	memset(d, 0, sizeof(*d));
	domain_init(&d->dom);
	snprintf(d->dom.name, sizeof(d->dom.name), "corp");
	snprintf(d->dom.dns, sizeof(d->dom.dns), "corp.example");
	snprintf(d->dom.netbios, sizeof(d->dom.netbios), "CORP");
	snprintf(d->dom.realm, sizeof(d->dom.realm), "CORP.EXAMPLE");
	d->dom.has_sid = 1;
	d->dom.sid = tu_sid("S-1-5-21-1004336348-1177238915-682003330");
	d->dom.level = LEVEL_2016;
	d->dom.lm_compat_level = 4;

	t = add_tdo(d, "partner.example", "PARTNER", "S-1-5-21-11-22-33",
		    TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL);
	t->attributes = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_USES_AES_KEYS;
	t->has_enctypes = 1;
	t->enctypes = ENCTYPE_BITS_AES;
	set_blobs(t, "incoming secret \xc3\xa9", "outgoing secret");
	set_ftinfo(t);

	t = add_tdo(d, "\xc3\xbcnic\xc3\xb8" "de.example", "\xc3\x9c" "NI", "S-1-5-21-7-8-9",
		    TRUST_DIRECTION_INBOUND, TRUST_TYPE_UPLEVEL);
	t->posix_offset = -1073741824;
	set_blobs(t, "only incoming", NULL);

	for (i = 0; i < sizeof(odd_names) / sizeof(odd_names[0]); i++) {
		t = add_tdo(d, odd_names[i], "ODD", "S-1-5-21-5-5-5", TRUST_DIRECTION_OUTBOUND,
			    TRUST_TYPE_DOWNLEVEL);
		t->sid.sub[3] = (uint32_t)(100 + i);
		set_blobs(t, NULL, "x");
	}
	t = add_tdo(d, "EXAMPLE.ORG", "", NULL, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_MIT);
	t->when_created = 0;     /* unknown times are not written */
	t->when_changed = 0;

	add_account(d, "PARTNER$", "partner.example", 1);
	add_account(d, "OTHER$", "other.example", 0);
}

/* ---- comparing -------------------------------------------------------------- */

static void blob_eq(const authblob *a, const authblob *b)
{
	uint8_t *ea = NULL, *eb = NULL;
	size_t na = 0, nb = 0;

	ck_assert_int_eq(authblob_encode(a, &ea, &na), 0);
	ck_assert_int_eq(authblob_encode(b, &eb, &nb), 0);
	ck_assert_uint_eq(na, nb);
	ck_assert_int_eq(memcmp(ea, eb, na), 0);
	secret_free_buf(&ea, na);
	secret_free_buf(&eb, nb);
}

static void tdo_eq(const tm_tdo *a, const tm_tdo *b)
{
	ck_assert_str_eq(a->partner, b->partner);
	ck_assert_str_eq(a->flat, b->flat);
	ck_assert_int_eq(a->has_sid, b->has_sid);
	if (a->has_sid)
		ck_assert(sid_equal(&a->sid, &b->sid));
	ck_assert_uint_eq(a->direction, b->direction);
	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->attributes, b->attributes);
	ck_assert_int_eq(a->has_enctypes, b->has_enctypes);
	ck_assert_uint_eq(a->enctypes, b->enctypes);
	ck_assert_int_eq(a->posix_offset, b->posix_offset);
	ck_assert_uint_eq(a->ftinfo_len, b->ftinfo_len);
	if (a->ftinfo_len)
		ck_assert_int_eq(memcmp(a->ftinfo, b->ftinfo, a->ftinfo_len), 0);
	ck_assert_int_eq(a->when_created, b->when_created);
	ck_assert_int_eq(a->when_changed, b->when_changed);
	blob_eq(&a->incoming, &b->incoming);
	blob_eq(&a->outgoing, &b->outgoing);
}

static void domain_eq(const stldif_domain *a, const stldif_domain *b)
{
	size_t i;

	ck_assert_str_eq(a->dom.name, b->dom.name);
	ck_assert_int_eq(a->dom.kind, b->dom.kind);
	ck_assert_str_eq(a->dom.dns, b->dom.dns);
	ck_assert_str_eq(a->dom.netbios, b->dom.netbios);
	ck_assert_str_eq(a->dom.realm, b->dom.realm);
	ck_assert_str_eq(a->dom.forest, b->dom.forest);
	ck_assert_int_eq(a->dom.has_sid, b->dom.has_sid);
	if (a->dom.has_sid)
		ck_assert(sid_equal(&a->dom.sid, &b->dom.sid));
	ck_assert_int_eq(a->dom.level, b->dom.level);
	ck_assert_int_eq(a->dom.nt_service_pack, b->dom.nt_service_pack);
	ck_assert_int_eq(a->dom.lm_compat_level, b->dom.lm_compat_level);
	ck_assert_uint_eq(a->ntdos, b->ntdos);
	for (i = 0; i < a->ntdos; i++)
		tdo_eq(&a->tdos[i], &b->tdos[i]);
	ck_assert_uint_eq(a->naccounts, b->naccounts);
	for (i = 0; i < a->naccounts; i++) {
		ck_assert_str_eq(a->accounts[i].name, b->accounts[i].name);
		ck_assert_str_eq(a->accounts[i].partner, b->accounts[i].partner);
		ck_assert_int_eq(a->accounts[i].locked, b->accounts[i].locked);
		ck_assert_int_eq(a->accounts[i].created, b->accounts[i].created);
		ck_assert_int_eq(a->accounts[i].locked_at, b->accounts[i].locked_at);
	}
}

/* ---- text helpers ------------------------------------------------------------- */

static char *render(const stldif_domain *d, size_t *len)
{
	char *text = NULL;
	tm_error e;

	ck_assert_msg(store_ldif_render(d, &text, len, &e) == 0, "render: %s", e.what);
	ck_assert_uint_eq(strlen(text), *len);
	return text;
}

/* 1-based number of the first line starting with prefix, 0 if none. */
static unsigned long line_of(const char *text, const char *prefix)
{
	unsigned long line = 1;
	const char *p = text;

	for (;;) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return line;
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
		line++;
	}
}

/* Copy of text with the n-th (0-based) line starting with prefix - and its
 * continuation lines - replaced by repl (which ends with "\n", or is ""). */
static char *replace_nth(const char *text, const char *prefix, int nth, const char *repl)
{
	const char *p = text, *end;
	char *out;

	for (;;) {
		ck_assert_ptr_nonnull(p);
		if (strncmp(p, prefix, strlen(prefix)) == 0 && nth-- == 0)
			break;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	end = strchr(p, '\n');
	while (end && end[1] == ' ')
		end = strchr(end + 1, '\n');
	end = end ? end + 1 : p + strlen(p);
	out = malloc(strlen(text) + strlen(repl) + 1);
	memcpy(out, text, (size_t)(p - text));
	strcpy(out + (p - text), repl);
	strcat(out, end);
	return out;
}

static char *replace_line(const char *text, const char *prefix, const char *repl)
{
	return replace_nth(text, prefix, 0, repl);
}

/* Parse text expecting failure; returns the error. */
static tm_error parse_fails(const char *text)
{
	stldif_domain d;
	tm_error e;

	error_clear(&e);
	ck_assert_int_eq(store_ldif_parse(text, strlen(text), &d, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_ptr_nonnull(e.status);
	ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	ck_assert_str_ne(e.next, "");
	ck_assert_ptr_null(d.tdos);
	ck_assert_uint_eq(d.ntdos, 0);
	return e;
}

static void expect_line(const tm_error *e, unsigned long line)
{
	char want[32];

	snprintf(want, sizeof(want), "line %lu,", line);
	ck_assert_msg(strstr(e->what, want) != NULL, "want \"%s\" in: %s", want, e->what);
}

/* ---- tests -------------------------------------------------------------------- */

START_TEST(round_trip_is_exact)
{
	stldif_domain a, b;
	char *t1, *t2;
	size_t n1, n2;
	tm_error e;

	make_domain(&a);
	t1 = render(&a, &n1);
	ck_assert_msg(store_ldif_parse(t1, n1, &b, &e) == 0, "parse: %s", e.what);
	domain_eq(&a, &b);
	t2 = render(&b, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert_str_eq(t1, t2);
	secret_free_buf(&t1, n1);
	secret_free_buf(&t2, n2);
	store_ldif_free(&a);
	store_ldif_free(&b);
	ck_assert_ptr_null(a.tdos);
}
END_TEST

START_TEST(layout_and_attribute_names)
{
	stldif_domain a;
	char *t;
	size_t n;
	const char *dom, *sys, *tdo, *users, *acct;

	make_domain(&a);
	t = render(&a, &n);
	dom = strstr(t, "dn: dc=corp,dc=example\n");
	sys = strstr(t, "dn: cn=System,dc=corp,dc=example\n");
	tdo = strstr(t, "dn: cn=partner.example,cn=System,dc=corp,dc=example\n");
	users = strstr(t, "dn: cn=Users,dc=corp,dc=example\n");
	acct = strstr(t, "dn: cn=PARTNER$,cn=Users,dc=corp,dc=example\n");
	ck_assert(dom && sys && tdo && users && acct);
	ck_assert(dom < sys && sys < tdo && tdo < users && users < acct);
	ck_assert_ptr_nonnull(strstr(t, "objectClass: trustedDomain\n"));
	ck_assert_ptr_nonnull(strstr(t, "objectClass: leaf\n"));
	ck_assert_ptr_nonnull(strstr(t, "trustmgrDomainKind: ad\n"));
	ck_assert_ptr_nonnull(strstr(t, "dnsRoot: corp.example\n"));
	ck_assert_ptr_nonnull(strstr(t, "nETBIOSName: CORP\n"));
	ck_assert_ptr_nonnull(strstr(t, "objectSid:: "));
	ck_assert_ptr_nonnull(strstr(t, "msDS-Behavior-Version: 7\n"));
	ck_assert_ptr_nonnull(strstr(t, "trustmgrLMCompatibilityLevel: 4\n"));
	ck_assert_ptr_null(strstr(t, "trustmgrNTServicePack"));     /* unknown: not written */
	ck_assert_ptr_nonnull(strstr(t, "securityIdentifier:: "));
	ck_assert_ptr_nonnull(strstr(t, "trustAuthIncoming:: "));
	ck_assert_ptr_nonnull(strstr(t, "trustAuthOutgoing:: "));
	ck_assert_ptr_nonnull(strstr(t, "msDS-TrustForestTrustInfo:: "));
	ck_assert_ptr_nonnull(strstr(t, "msDS-SupportedEncryptionTypes: 24\n"));
	ck_assert_ptr_nonnull(strstr(t, "trustAttributes: 264\n"));
	ck_assert_ptr_nonnull(strstr(t, "trustPosixOffset: -1073741824\n"));
	ck_assert_ptr_nonnull(strstr(t, "whenCreated: 20231114221320.0Z\n"));
	ck_assert_ptr_nonnull(strstr(t, "userAccountControl: 2048\n"));
	ck_assert_ptr_nonnull(strstr(t, "badPwdCount: 1\n"));
	ck_assert_ptr_nonnull(strstr(t, "displayName: partner.example\n"));
	ck_assert_ptr_null(strstr(t, "description"));
	/* an empty blob still encodes: 12 zero bytes */
	ck_assert_ptr_nonnull(strstr(t, "trustAuthIncoming:: AAAAAAAAAAAAAAAA\n"));
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

/* The DN of every odd partner name is escaped so that libldap's
 * ldap_str2dn (which the parser uses to check each DN against its
 * trustPartner) reads back exactly that name. */
START_TEST(dn_escaping_survives_ldap_str2dn)
{
	stldif_domain a, b;
	char *t, *bad;
	size_t n, i;
	tm_error e;

	make_domain(&a);
	t = render(&a, &n);
	ck_assert_ptr_nonnull(strstr(t, "dn: cn=a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i,cn=System,"));
	ck_assert_ptr_nonnull(strstr(t, "dn: cn=\\#hash,cn=System,dc=corp,dc=example\n"));
	ck_assert_msg(store_ldif_parse(t, n, &b, &e) == 0, "%s", e.what);
	for (i = 0; i < sizeof(odd_names) / sizeof(odd_names[0]); i++)
		ck_assert_str_eq(b.tdos[2 + i].partner, odd_names[i]);
	store_ldif_free(&b);
	/* without the escape the DN no longer names that partner */
	bad = replace_line(t, "dn: cn=\\#hash", "dn: cn=#hash,cn=System,dc=corp,dc=example\n");
	e = parse_fails(bad);
	ck_assert_ptr_nonnull(strstr(e.what, "cn=#hash"));
	free(bad);
	bad = replace_line(t, "dn: cn=\\#hash", "dn: cn=\\#hash,cn=System,dc=other,dc=example\n");
	e = parse_fails(bad);
	ck_assert_ptr_nonnull(strstr(e.what, "DN should be"));
	free(bad);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

START_TEST(base_dn_for_nt4_and_mit)
{
	stldif_domain a, b;
	char *t;
	size_t n;
	tm_error e;

	memset(&a, 0, sizeof(a));
	domain_init(&a.dom);
	snprintf(a.dom.name, sizeof(a.dom.name), "legacy");
	a.dom.kind = DOMAIN_NT4;
	snprintf(a.dom.netbios, sizeof(a.dom.netbios), "LEGACY");
	a.dom.nt_service_pack = 6;
	t = render(&a, &n);
	ck_assert_ptr_nonnull(strstr(t, "dn: dc=legacy\n"));
	ck_assert_ptr_nonnull(strstr(t, "trustmgrNTServicePack: 6\n"));
	ck_assert_int_eq(store_ldif_parse(t, n, &b, &e), 0);
	domain_eq(&a, &b);
	secret_free_buf(&t, n);
	store_ldif_free(&b);

	domain_init(&a.dom);
	snprintf(a.dom.name, sizeof(a.dom.name), "mit");
	a.dom.kind = DOMAIN_MIT;
	snprintf(a.dom.realm, sizeof(a.dom.realm), "EXAMPLE.ORG");
	t = render(&a, &n);
	ck_assert_ptr_nonnull(strstr(t, "dn: dc=example,dc=org\n"));
	ck_assert_ptr_nonnull(strstr(t, "trustmgrDomainKind: mit\n"));
	ck_assert_int_eq(store_ldif_parse(t, n, &b, &e), 0);
	domain_eq(&a, &b);
	secret_free_buf(&t, n);
	store_ldif_free(&b);
}
END_TEST

START_TEST(crlf_comments_and_unknown_entries)
{
	stldif_domain a, b;
	char *t, *crlf, *more, *p;
	size_t n, i, k = 0;
	tm_error e;

	make_domain(&a);
	t = render(&a, &n);
	crlf = malloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		if (t[i] == '\n')
			crlf[k++] = '\r';
		crlf[k++] = t[i];
	}
	crlf[k] = '\0';
	ck_assert_msg(store_ldif_parse(crlf, k, &b, &e) == 0, "%s", e.what);
	domain_eq(&a, &b);
	store_ldif_free(&b);
	free(crlf);

	/* changed by hand: refused while the checksum line is there, read once
	 * it is deleted (what the message says to do) */
	p = replace_line(t, "trustType: 3", "trustType: 3\ndescription: ignored\n# note\n");
	e = parse_fails(p);
	TU_ASSERT_HAS(e.what, "the checksum on this line");
	TU_ASSERT_HAS(e.next, "If the file was changed by hand on purpose, delete its line");
	more = replace_line(p, STLDIF_SUM_PREFIX, "");
	free(p);
	p = more;
	more = malloc(strlen(p) + 400);
	sprintf(more, "%s\n\ndn: cn=someone,cn=Users,dc=corp,dc=example\nobjectClass: user\n"
		"cn: someone\nuserAccountControl: 512\n\n"
		"dn: ou=x,dc=corp,dc=example\nobjectClass: organizationalUnit\nou: x\n", p);
	ck_assert_msg(store_ldif_parse(more, strlen(more), &b, &e) == 0, "%s", e.what);
	domain_eq(&a, &b);
	store_ldif_free(&b);
	free(p);
	free(more);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

START_TEST(damaged_base64_names_line_and_entry)
{
	stldif_domain a;
	char *t, *bad, want[32];
	size_t n;
	tm_error e;
	unsigned long line;

	make_domain(&a);
	t = render(&a, &n);
	line = line_of(t, "trustAuthIncoming:: ");
	/* a blob cut short: valid base64 of too few bytes */
	bad = replace_line(t, "trustAuthIncoming:: ", "trustAuthIncoming:: AQAAAAwAAAA=\n");
	e = parse_fails(bad);
	expect_line(&e, line);
	ck_assert_ptr_nonnull(strstr(e.what, "cn=partner.example,cn=System,dc=corp,dc=example"));
	ck_assert_ptr_nonnull(strstr(e.what, "trustAuthIncoming"));
	free(bad);
	/* base64 that does not decode */
	bad = replace_line(t, "trustAuthIncoming:: ", "trustAuthIncoming:: A*B?\n");
	e = parse_fails(bad);
	expect_line(&e, line);
	free(bad);
	/* truncated file: ends inside the base64 of the first blob; the file
	 * announced its last line, so the cut itself is named */
	bad = strdup(t);
	bad[strstr(bad, "trustAuthIncoming:: ") - bad + 30] = '\0';
	e = parse_fails(bad);
	TU_ASSERT_HAS(e.what, "cut short");
	snprintf(want, sizeof(want), "line %lu:", line);
	TU_ASSERT_HAS(e.what, want);
	free(bad);
	/* the same cut in a file that never announced its last line (written
	 * by hand): the damaged value is found */
	bad = replace_line(t, "# Format ", "");
	bad[strstr(bad, "trustAuthIncoming:: ") - bad + 30] = '\0';
	e = parse_fails(bad);
	expect_line(&e, line - 1);
	free(bad);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

/* The file announces its last line near its top and ends with it: every
 * cut is then found, wherever it falls (also between two entries, where
 * what is left would read as a smaller, valid domain), while text added
 * after the last line is read as usual. */
START_TEST(every_cut_is_found)
{
	stldif_domain a, b;
	char *t, *copy, *more;
	size_t n, i;
	tm_error e;

	make_domain(&a);
	t = render(&a, &n);
	TU_ASSERT_HAS(t, "\n" STLDIF_FORMAT_LINE "\n");
	ck_assert_int_eq(strcmp(t + n - strlen(STLDIF_END_LINE "\n"), STLDIF_END_LINE "\n"), 0);
	copy = malloc(n + 1);
	for (i = 0; i + 1 < n; i++) {
		memcpy(copy, t, i);
		copy[i] = '\0';
		error_clear(&e);
		ck_assert_msg(store_ldif_parse(copy, i, &b, &e) == -1, "a cut at %zu was accepted", i);
		ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
	}
	/* only the last newline gone: the last line is still whole */
	memcpy(copy, t, n - 1);
	ck_assert_msg(store_ldif_parse(copy, n - 1, &b, &e) == 0, "%s", e.what);
	store_ldif_free(&b);
	free(copy);
	/* an entry added after the last line (by hand or a script) is read */
	more = malloc(n + 256);
	snprintf(more, n + 256, "%s\ndn: cn=extra.example,cn=System,dc=corp,dc=example\n"
		 "objectClass: trustedDomain\ncn: extra.example\ntrustPartner: extra.example\n"
		 "flatName: EXTRA\ntrustDirection: 1\ntrustType: 2\ntrustAttributes: 0\n", t);
	ck_assert_msg(store_ldif_parse(more, strlen(more), &b, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(b.ntdos, a.ntdos + 1);
	store_ldif_free(&b);
	free(more);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

/* Format 3: the checksum line before the last line finds every changed
 * byte that still reads as a domain (a bit flipped in a secret, a name, a
 * number), wherever it falls, but in the two lines that say what to check
 * (or the newlines around them): the announcement (the file then reads as
 * one written by hand) and the checksum line's "# crc32c " (the check is
 * then left out, as after a change by hand). Format 2 files (an earlier trustmgr's, no checksum)
 * are still read. */
START_TEST(every_changed_byte_is_found)
{
	stldif_domain a, b;
	char *t, *copy, *old, want[32];
	size_t n, i, fmt_from, fmt_to, sum_from, accepted = 0;
	unsigned bit;
	tm_error e;

	make_domain(&a);
	t = render(&a, &n);
	fmt_from = (size_t)(strstr(t, STLDIF_FORMAT_LINE) - t);
	fmt_to = fmt_from + strlen(STLDIF_FORMAT_LINE);
	sum_from = (size_t)(strstr(t, "\n" STLDIF_SUM_PREFIX) - t) + 1;
	ck_assert_uint_eq(sum_from + strlen(STLDIF_SUM_PREFIX "01234567\n" STLDIF_END_LINE "\n"), n);
	copy = malloc(n + 1);
	for (bit = 0; bit < 8; bit++)
		for (i = 0; i < n; i++) {
			memcpy(copy, t, n + 1);
			copy[i] = (char)(copy[i] ^ (1u << bit));
			error_clear(&e);
			if (store_ldif_parse(copy, n, &b, &e) == 0) {
				store_ldif_free(&b);
				/* the line or a newline around it */
				ck_assert_msg((i + 1 >= fmt_from && i <= fmt_to) ||
					      (i + 1 >= sum_from && i < sum_from + strlen(STLDIF_SUM_PREFIX)),
					      "bit %u of byte %zu changed and the file was read", bit, i);
				accepted++;
				continue;
			}
			ck_assert_str_eq(e.status, ST_INTERNAL_DB_CORRUPTION);
		}
	ck_assert_uint_le(accepted, 8 * (fmt_to - fmt_from + 3 + strlen(STLDIF_SUM_PREFIX)));
	/* the message names the checksum line and what to do */
	memcpy(copy, t, n + 1);
	for (i = (size_t)(strstr(t, "trustAuthIncoming:: ") - t) + 40; !isalpha((unsigned char)copy[i]); i++)
		;
	copy[i] ^= 0x20;                 /* another letter of the secret's base64 */
	e = parse_fails(copy);
	TU_ASSERT_HAS(e.what, "the checksum on this line (CRC-32C ");
	TU_ASSERT_HAS(e.what, "some of them changed after trustmgr wrote the file");
	snprintf(want, sizeof(want), "line %lu: ", line_of(t, STLDIF_SUM_PREFIX));
	TU_ASSERT_HAS(e.what, want);
	TU_ASSERT_HAS(e.next, "Restore domain.ldif from a backup");
	/* a garbled checksum line */
	memcpy(copy, t, n + 1);
	copy[sum_from + strlen(STLDIF_SUM_PREFIX)] = 'X';
	e = parse_fails(copy);
	TU_ASSERT_HAS(e.what, "starts like the file's checksum line");
	/* format 2 (no checksum line) is read as before, and its cuts found */
	old = replace_line(t, STLDIF_SUM_PREFIX, "");
	free(copy);
	copy = replace_line(old, "# Format ", STLDIF_FORMAT2_LINE "\n");
	ck_assert_msg(store_ldif_parse(copy, strlen(copy), &b, &e) == 0, "%s", e.what);
	domain_eq(&a, &b);
	store_ldif_free(&b);
	copy[strlen(copy) - 10] = '\0';
	e = parse_fails(copy);
	TU_ASSERT_HAS(e.what, "cut short");
	free(old);
	free(copy);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

START_TEST(bad_sid_and_bad_blob)
{
	stldif_domain a;
	char *t, *bad;
	size_t n;
	tm_error e;

	make_domain(&a);
	t = render(&a, &n);
	bad = replace_nth(t, "securityIdentifier:: ", 1, "securityIdentifier:: AQQAAAAAAAU=\n");
	e = parse_fails(bad);
	expect_line(&e, line_of(bad, "securityIdentifier:: AQQAAAAAAAU="));
	ck_assert_ptr_nonnull(strstr(e.what, "SID"));
	ck_assert_ptr_nonnull(strstr(e.what, "cn=\xc3\xbcnic\xc3\xb8" "de.example,cn=System"));
	free(bad);
	/* count 5 with nothing behind it */
	bad = replace_line(t, "trustAuthOutgoing:: ", "trustAuthOutgoing:: BQAAAAwAAAAAAAAA\n");
	e = parse_fails(bad);
	expect_line(&e, line_of(bad, "trustAuthOutgoing:: BQAA"));
	ck_assert_ptr_nonnull(strstr(e.what, "trustAuthOutgoing"));
	free(bad);
	bad = replace_line(t, "objectSid:: ", "objectSid:: AA==\n");
	e = parse_fails(bad);
	expect_line(&e, line_of(bad, "objectSid:: AA=="));
	free(bad);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

START_TEST(missing_and_invalid_fields)
{
	static const struct {
		const char *prefix, *repl, *what;
	} cases[] = {
		{ "trustDirection: ", "", "trustDirection is missing" },
		{ "trustPartner: ", "", "trustPartner is missing" },
		{ "trustDirection: ", "trustDirection: 9\n", "trustDirection" },
		{ "trustType: ", "trustType: two\n", "trustType" },
		{ "trustType: ", "trustType: 2\ntrustType: 2\n", "more than one value" },
		{ "whenCreated: 2023", "whenCreated: 20231340000000.0Z\n", "whenCreated" },
		{ "trustAttributes: ", "trustAttributes: 99999999999999999999999\n", "trustAttributes" },
		{ "name: corp", "", "name is missing" },
		{ "trustmgrDomainKind: ", "trustmgrDomainKind: vms\n", "ad, nt4 or mit" },
		{ "msDS-Behavior-Version: ", "msDS-Behavior-Version: 12\n", "Behavior" },
		{ "trustPartner: partner", "trustPartner: somebody.else\n", "DN should be" },
		{ "sAMAccountName: PARTNER", "", "sAMAccountName is missing" },
		{ "lockoutTime: ", "lockoutTime: -5\n", "lockoutTime" },
	};
	stldif_domain a;
	char *t, *bad;
	size_t n, i;
	tm_error e;

	make_domain(&a);
	t = render(&a, &n);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = replace_line(t, cases[i].prefix, cases[i].repl);
		e = parse_fails(bad);
		ck_assert_msg(strstr(e.what, cases[i].what) != NULL, "case %zu: %s", i, e.what);
		ck_assert_ptr_nonnull(strstr(e.what, "line "));
		free(bad);
	}
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

START_TEST(refuses_urls_includes_and_garbage)
{
	stldif_domain a;
	char *t, *bad;
	size_t n;
	tm_error e;
	unsigned long line;

	make_domain(&a);
	t = render(&a, &n);
	line = line_of(t, "flatName: PARTNER");
	bad = replace_line(t, "flatName: PARTNER", "flatName:< file:///etc/passwd\n");
	e = parse_fails(bad);
	expect_line(&e, line);
	ck_assert_ptr_nonnull(strstr(e.what, "URL"));
	free(bad);
	bad = replace_line(t, "flatName: PARTNER", "flatName: PARTNER\n\ninclude: file:///etc/passwd\n");
	e = parse_fails(bad);
	ck_assert_ptr_nonnull(strstr(e.what, "include"));
	free(bad);
	bad = replace_line(t, "flatName: PARTNER", "this line has no colon\n");
	e = parse_fails(bad);
	expect_line(&e, line);
	free(bad);
	bad = replace_line(t, "dn: dc=corp", "objectClass: top\n");
	e = parse_fails(bad);
	ck_assert_ptr_nonnull(strstr(e.what, "dn:"));
	free(bad);
	bad = replace_line(t, "trustType: 3", "changetype: delete\n");
	e = parse_fails(bad);
	ck_assert_ptr_nonnull(strstr(e.what, "change records"));
	free(bad);
	e = parse_fails("");
	e = parse_fails("dn: cn=x\nobjectClass: container\ncn: x\n");
	ck_assert_ptr_nonnull(strstr(e.what, "no domain entry"));
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

START_TEST(tdo_before_domain_and_duplicates)
{
	stldif_domain a;
	char *t, *tdo, *bad;
	size_t n, len;
	tm_error e;
	const char *start, *end;

	make_domain(&a);
	t = render(&a, &n);
	start = strstr(t, "dn: cn=partner.example,cn=System");
	end = strstr(start, "\n\n") + 2;
	len = (size_t)(end - start);
	tdo = strndup(start, len);
	bad = malloc(n + len + 1);
	sprintf(bad, "%s%s", tdo, t);                   /* TDO first */
	e = parse_fails(bad);
	ck_assert_ptr_nonnull(strstr(e.what, "before the domain entry"));
	expect_line(&e, 1);
	sprintf(bad, "%s%s", t, tdo);                   /* the same TDO twice */
	e = parse_fails(bad);
	ck_assert_msg(strstr(e.what, "second TDO") != NULL, "%s", e.what);
	free(bad);
	free(tdo);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

/* Every prefix and many one-byte changes of a valid file parse or fail
 * cleanly (run under ASan/valgrind to be meaningful). */
START_TEST(never_crashes_on_damage)
{
	stldif_domain a, b;
	char *t, *copy;
	size_t n, i;
	tm_error e;
	unsigned seed = 12345;

	make_domain(&a);
	t = render(&a, &n);
	copy = malloc(n + 1);
	for (i = 0; i <= n; i += 3) {
		memcpy(copy, t, i);
		copy[i] = '\0';
		if (store_ldif_parse(copy, i, &b, &e) == 0)
			store_ldif_free(&b);
	}
	for (i = 0; i < 3000; i++) {
		size_t pos;

		memcpy(copy, t, n + 1);
		seed = seed * 1103515245u + 12345u;
		pos = (seed >> 8) % n;
		seed = seed * 1103515245u + 12345u;
		copy[pos] = (char)(seed >> 16);
		if (store_ldif_parse(copy, n, &b, &e) == 0)
			store_ldif_free(&b);
	}
	free(copy);
	secret_free_buf(&t, n);
	store_ldif_free(&a);
}
END_TEST

START_TEST(save_and_load)
{
	const char *dir = tu_tmpdir();
	char path[PATH_MAX];
	stldif_domain a, b;
	struct stat st;
	tm_error e;
	FILE *f;

	make_domain(&a);
	snprintf(path, sizeof(path), "%s/domain.ldif", dir);
	ck_assert_int_eq(store_ldif_save(path, &a, &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_msg(store_ldif_load(path, &b, &e) == 0, "%s", e.what);
	domain_eq(&a, &b);
	store_ldif_free(&b);
	f = fopen(path, "a");
	fputs("\ndn: cn=x,cn=System,dc=corp,dc=example\nobjectClass: trustedDomain\n", f);
	fclose(f);
	ck_assert_int_eq(store_ldif_load(path, &b, &e), -1);
	ck_assert_int_eq(strncmp(e.what, path, strlen(path)), 0);
	ck_assert_ptr_nonnull(strstr(e.what, "trustPartner is missing"));
	snprintf(path, sizeof(path), "%s/none.ldif", dir);
	ck_assert_int_eq(store_ldif_load(path, &b, &e), -1);
	ck_assert_str_eq(e.status, ST_NO_SUCH_DOMAIN);
	store_ldif_free(&a);
}
END_TEST

static Suite *ldif_suite(void)
{
	Suite *s = suite_create("store_ldif");
	TCase *tc = tcase_create("ldif");

	tcase_add_checked_fixture(tc, NULL, tu_cleanup);   /* each test's folders */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip_is_exact);
	tcase_add_test(tc, layout_and_attribute_names);
	tcase_add_test(tc, dn_escaping_survives_ldap_str2dn);
	tcase_add_test(tc, base_dn_for_nt4_and_mit);
	tcase_add_test(tc, crlf_comments_and_unknown_entries);
	tcase_add_test(tc, damaged_base64_names_line_and_entry);
	tcase_add_test(tc, every_cut_is_found);
	tcase_add_test(tc, every_changed_byte_is_found);
	tcase_add_test(tc, bad_sid_and_bad_blob);
	tcase_add_test(tc, missing_and_invalid_fields);
	tcase_add_test(tc, refuses_urls_includes_and_garbage);
	tcase_add_test(tc, tdo_before_domain_and_duplicates);
	tcase_add_test(tc, never_crashes_on_damage);
	tcase_add_test(tc, save_and_load);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(ldif_suite());
}
