/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cli_show.c - `trustmgr show DOMAIN PARTNER`: every field of one trusted
 * domain object, what its secrets record (never the secrets), the local
 * KDC's principals for the trust, and the krb5.conf lines the clients of
 * each realm need (--krb5-conf prints only those). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/os/testhooks.h"
#include "model/authblob.h"
#include "model/capaths.h"
#include "model/forestinfo.h"
#include "model/keys.h"
#include "model/sid.h"
#include "model/workflow.h"
#include "ui/cli_int.h"

static int json_mode(const cli_ctx *c)
{
	return c->opt[OPT_JSON] != NULL;
}

/* ---- show DOMAIN PARTNER ----------------------------------------------- */

/* What show prints about one trust, gathered once for text and JSON. */
typedef struct show_info {
	const tm_domain *local;
	const tm_tdo *t;
	char sid[SID_TEXT_MAX];
	char attrs[512];
	char enctypes[128];
	long ftinfo_records;       /* -1 none, -2 unreadable */
	char ftinfo_error[TM_WHAT_MAX];
	tm_health health;
	long long health_when;
	char princ[2][KEYS_PRINC_MAX];
	char krb5conf[2048];       /* the clients' krb5.conf lines ("" none needed) */
} show_info;

static void show_ftinfo(show_info *s)
{
	fti_info fi;
	tm_error e;

	s->ftinfo_records = -1;
	if (!s->t->ftinfo || !s->t->ftinfo_len)
		return;
	memset(&fi, 0, sizeof(fi));
	error_clear(&e);
	if (forestinfo_decode(s->t->ftinfo, s->t->ftinfo_len, &fi, &e) < 0) {
		s->ftinfo_records = -2;
		snprintf(s->ftinfo_error, sizeof(s->ftinfo_error), "%s", e.what);
		return;
	}
	s->ftinfo_records = (long)fi.count;
	forestinfo_free(&fi);
}

/* The two principals of this trust: krbtgt/LOCAL@PARTNER and the reverse. */
static void show_principals(const world *wl, show_info *s)
{
	char realm[NAME_DNS_MAX];
	const tm_domain *pd = wl->w.partner.dom;
	tm_error e;

	if (pd && pd->realm[0])
		snprintf(realm, sizeof(realm), "%s", pd->realm);
	else
		name_upper(realm, s->t->partner, sizeof(realm));
	error_clear(&e);
	if (keys_trust_principal(s->local->realm, realm, s->princ[0], KEYS_PRINC_MAX, &e) < 0)
		s->princ[0][0] = '\0';
	if (keys_trust_principal(realm, s->local->realm, s->princ[1], KEYS_PRINC_MAX, &e) < 0)
		s->princ[1][0] = '\0';
}

/* The krb5.conf lines the clients of each realm need, for each direction
 * the trust has (capaths.h). */
static void show_krb5conf(const world *wl, const tm_tdo *t, show_info *s)
{
	const tm_domain *local = wl->w.local.dom, *partner = wl->w.partner.dom;
	tm_domain pseudo;

	if (!partner) {
		workflow_pseudo_domain(t, &pseudo);
		partner = &pseudo;
	}
	if (t->direction & TRUST_DIRECTION_OUTBOUND)
		capaths_lines(local, partner, s->krb5conf, sizeof(s->krb5conf));
	if (t->direction & TRUST_DIRECTION_INBOUND)
		capaths_lines(partner, local, s->krb5conf, sizeof(s->krb5conf));
}

/* -1 with c->e when the trust's last known state cannot be read: "not
 * verified" in its place would be a wrong answer. */
static int show_gather(cli_ctx *c, const world *wl, const tm_tdo *t, show_info *s)
{

	memset(s, 0, sizeof(*s));
	s->local = wl->w.local.dom;
	s->t = t;
	if (t->has_sid)
		sid_format(&t->sid, s->sid, sizeof(s->sid));
	trust_format_attributes(t->attributes, s->attrs, sizeof(s->attrs));
	if (t->has_enctypes)
		trust_format_enctypes(t->enctypes, s->enctypes, sizeof(s->enctypes));
	show_ftinfo(s);
	show_krb5conf(wl, t, s);
	if (c->be->ops->health_get(c->be, s->local, t->partner, &s->health, &s->health_when,
				   &c->e) < 0)
		return -1;
	show_principals(wl, s);
	return 0;
}

static int key_is_for_trust(const show_info *s, const tm_keyinfo *k)
{
	return (s->princ[0][0] && strcmp(k->principal, s->princ[0]) == 0) ||
	       (s->princ[1][0] && strcmp(k->principal, s->princ[1]) == 0);
}

static void show_direction_text(const show_info *s)
{
	const char *me = s->local->name;
	const char *them = s->t->flat[0] ? s->t->flat : s->t->partner;

	printf("  %-26s %s (%u)", "Direction:", trust_direction_name(s->t->direction),
	       s->t->direction);
	if (s->t->direction == TRUST_DIRECTION_BIDIRECTIONAL)
		printf(": %s trusts %s and %s trusts %s\n", me, them, them, me);
	else if (s->t->direction == TRUST_DIRECTION_OUTBOUND)
		printf(": %s trusts %s\n", me, them);
	else if (s->t->direction == TRUST_DIRECTION_INBOUND)
		printf(": %s trusts %s\n", them, me);
	else
		printf("\n");
}

static void show_ftinfo_text(const show_info *s)
{
	printf("  %-26s ", "Forest trust information:");
	if (s->ftinfo_records == -1)
		printf("none\n");
	else if (s->ftinfo_records == -2)
		printf("unreadable (%s)\n", s->ftinfo_error);
	else
		printf("%ld record%s\n", s->ftinfo_records, s->ftinfo_records == 1 ? "" : "s");
}

static void show_fields_text(const show_info *s)
{
	const tm_tdo *t = s->t;
	char when[64];

	printf("Trust of %s with %s\n", s->local->name, t->partner);
	printf("  %-26s %s\n", "Partner (trustPartner):", t->partner);
	printf("  %-26s %s\n", "Flat name (flatName):", cli_or_dash(t->flat));
	printf("  %-26s %s\n", "SID (securityIdentifier):", t->has_sid ? s->sid : "none");
	show_direction_text(s);
	printf("  %-26s %s (%u)\n", "Type:", trust_type_name(t->type), t->type);
	printf("  %-26s %s (0x%08x)\n", "Attributes:", s->attrs, t->attributes);
	if (t->has_enctypes)
		printf("  %-26s %s (0x%02x)\n", "Encryption types:", s->enctypes, t->enctypes);
	else
		printf("  %-26s not set (AES by default)\n", "Encryption types:");
	printf("  %-26s %ld\n", "POSIX offset:", (long)t->posix_offset);
	show_ftinfo_text(s);
	printf("  %-26s %s\n", "Created:", cli_time(t->when_created, when, sizeof(when)));
	printf("  %-26s %s\n", "Changed:", cli_time(t->when_changed, when, sizeof(when)));
	printf("  %-26s %s", "Last known state:", trust_health_name(s->health));
	if (s->health_when > 0)
		printf(" (%s)", cli_time(s->health_when, when, sizeof(when)));
	printf("\n");
}

/* Does the current side of b hold a secret (CLEAR or NT4OWF), or only what
 * a Kerberos realm records (a key version)? */
static int blob_has_secret(const authblob *b)
{
	uint32_t i;

	for (i = 0; i < b->count; i++)
		if (b->current[i].type == TRUST_AUTH_TYPE_CLEAR ||
		    b->current[i].type == TRUST_AUTH_TYPE_NT4OWF)
			return 1;
	return 0;
}

static void show_blob_text(const char *title, const authblob *b, const char *meaning,
			   int readable, const char *why)
{
	long long changed = authblob_unixtime(authblob_time(b));
	char when[64], age[48];

	printf("%s:\n", title);
	if (!readable) {
		printf("  not read: %s\n", why);
		return;
	}
	if (b->count == 0) {
		printf("  not set (%s)\n", meaning);
		return;
	}
	if (!blob_has_secret(b)) {
		printf("  key version %u, changed %s (%s); no secret is stored here: the "
		       "realm's KDC holds only the key\n", authblob_kvno(b, 0),
		       cli_time(changed, when, sizeof(when)), cli_age(changed, age, sizeof(age)));
		return;
	}
	printf("  current:  set, kvno %u, changed %s (%s)\n", authblob_kvno(b, 0),
	       cli_time(changed, when, sizeof(when)), cli_age(changed, age, sizeof(age)));
	if (b->has_previous)
		printf("  previous: set, kvno %u\n", authblob_kvno(b, 1));
	else
		printf("  previous: not set\n");
	printf("  previous equals current: %s\n",
	       b->has_previous && authblob_previous_equals_current(b) ? "yes" : "no");
}

static void show_keys_text(const show_info *s, const world *wl)
{
	size_t i, k, shown = 0;
	char bits[128], when[64];

	printf("Local KDC principals for this trust (%s):\n", s->local->name);
	if (!caps_has(&wl->w.local.caps, CAP_KEY_READ)) {
		printf("  not read: %s\n", caps_why(&wl->w.local.caps, CAP_KEY_READ));
		return;
	}
	for (i = 0; i < wl->w.local.nkeys; i++) {
		const tm_keyinfo *ki = &wl->w.local.keys[i];

		if (!key_is_for_trust(s, ki))
			continue;
		printf("  %s  kvno %u", ki->principal, ki->kvno);
		for (k = 0; k < ki->nkvnos; k++)
			if (ki->kvnos[k] != ki->kvno)
				printf(" (also %u)", ki->kvnos[k]);
		printf("  %s  changed %s\n", trust_format_enctypes(ki->enctypes, bits,
		       sizeof(bits)), cli_time(ki->changed, when, sizeof(when)));
		if (ki->requires_preauth || ki->disallowed || ki->policy[0])
			printf("      %s%s, policy %s\n", ki->requires_preauth ?
			       "requires pre-authentication" : "no pre-authentication",
			       ki->disallowed ? ", tickets disallowed" : "",
			       ki->policy[0] ? ki->policy : "none");
		shown++;
	}
	if (!shown)
		printf("  (none)\n");
}

/* Print text (lines ending in \n) indented by two spaces. */
static void show_indented(const char *text)
{
	const char *p = text, *nl;

	while (*p && (nl = strchr(p, '\n')) != NULL) {
		printf("  %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
}

static void show_text(const show_info *s, const world *wl)
{
	const tm_caps *c = &wl->w.local.caps;
	int secrets = caps_has(c, CAP_SECRET_READ);

	show_fields_text(s);
	show_blob_text("Incoming secret (trustAuthIncoming)", &s->t->incoming,
		       "the partner does not trust this domain", secrets,
		       caps_why(c, CAP_SECRET_READ));
	show_blob_text("Outgoing secret (trustAuthOutgoing)", &s->t->outgoing,
		       "this domain does not trust the partner", secrets,
		       caps_why(c, CAP_SECRET_READ));
	show_keys_text(s, wl);
	printf("Clients' krb5.conf for this trust:\n");
	if (!s->krb5conf[0]) {
		printf("  nothing: the realm names are hierarchical and no host names are known\n");
		return;
	}
	show_indented(s->krb5conf);
}

static void json_attr_names(cli_json *j, const char *attrs)
{
	char buf[512], *tok, *save = NULL;

	cli_json_open(j, "attributes", '[');
	snprintf(buf, sizeof(buf), "%s", attrs);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, "none") != 0)
			cli_json_str(j, NULL, tok);
	cli_json_close(j);
}

static void show_blob_json(cli_json *j, const char *key, const authblob *b, const tm_caps *c)
{
	long long changed = authblob_unixtime(authblob_time(b));
	static const char *const fields[] = { "current", "previous", "current_kvno",
		"previous_kvno", "changed", "age_seconds", "previous_equals_current" };
	size_t i;

	cli_json_open(j, key, '{');
	if (!caps_has(c, CAP_SECRET_READ)) {         /* unknown, not absent */
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			cli_json_null(j, fields[i]);
		cli_json_str(j, "not_read", caps_why(c, CAP_SECRET_READ));
		cli_json_close(j);
		return;
	}
	cli_json_bool(j, "current", b->count > 0);
	cli_json_bool(j, "previous", b->count > 0 && b->has_previous);
	cli_json_int(j, "current_kvno", b->count ? authblob_kvno(b, 0) : 0);
	cli_json_int(j, "previous_kvno", b->count && b->has_previous ? authblob_kvno(b, 1) : 0);
	cli_json_time(j, "changed", b->count ? changed : 0);
	if (b->count && changed > 0)
		cli_json_int(j, "age_seconds", testhooks_now() - changed);
	else
		cli_json_null(j, "age_seconds");
	cli_json_bool(j, "previous_equals_current",
		      b->count && b->has_previous && authblob_previous_equals_current(b));
	cli_json_close(j);
}

static void show_keys_json(cli_json *j, const show_info *s, const world *wl)
{
	size_t i, k;
	char bits[128];

	if (!caps_has(&wl->w.local.caps, CAP_KEY_READ)) {
		cli_json_null(j, "principals");
		cli_json_str(j, "principals_not_read", caps_why(&wl->w.local.caps, CAP_KEY_READ));
		return;
	}
	cli_json_open(j, "principals", '[');
	for (i = 0; i < wl->w.local.nkeys; i++) {
		const tm_keyinfo *ki = &wl->w.local.keys[i];

		if (!key_is_for_trust(s, ki))
			continue;
		cli_json_open(j, NULL, '{');
		cli_json_str(j, "principal", ki->principal);
		cli_json_int(j, "kvno", ki->kvno);
		cli_json_open(j, "kvnos", '[');
		for (k = 0; k < ki->nkvnos; k++)
			cli_json_int(j, NULL, ki->kvnos[k]);
		cli_json_close(j);
		cli_json_str(j, "enctypes", trust_format_enctypes(ki->enctypes, bits, sizeof(bits)));
		cli_json_time(j, "changed", ki->changed);
		cli_json_bool(j, "requires_preauth", ki->requires_preauth);
		cli_json_bool(j, "tickets_disallowed", ki->disallowed);
		cli_json_str(j, "policy", ki->policy[0] ? ki->policy : NULL);
		cli_json_close(j);
	}
	cli_json_close(j);
}

static void show_fields_json(cli_json *j, const show_info *s)
{
	const tm_tdo *t = s->t;

	cli_json_str(j, "domain", s->local->name);
	cli_json_str(j, "partner", t->partner);
	cli_json_str(j, "flat_name", cli_or_null(t->flat));
	cli_json_str(j, "sid", t->has_sid ? s->sid : NULL);
	cli_json_str(j, "direction", trust_direction_name(t->direction));
	cli_json_int(j, "trust_direction", t->direction);
	cli_json_str(j, "type", trust_type_name(t->type));
	cli_json_int(j, "trust_type", t->type);
	json_attr_names(j, s->attrs);
	cli_json_int(j, "trust_attributes", t->attributes);
	cli_json_str(j, "enctypes", t->has_enctypes ? s->enctypes : NULL);
	if (t->has_enctypes)
		cli_json_int(j, "supported_encryption_types", t->enctypes);
	else
		cli_json_null(j, "supported_encryption_types");
	cli_json_int(j, "posix_offset", t->posix_offset);
	if (s->ftinfo_records >= 0)
		cli_json_int(j, "forest_trust_records", s->ftinfo_records);
	else
		cli_json_null(j, "forest_trust_records");
	cli_json_time(j, "when_created", t->when_created);
	cli_json_time(j, "when_changed", t->when_changed);
	cli_json_str(j, "state", trust_health_name(s->health));
	cli_json_time(j, "state_changed", s->health_when);
}

static void show_json(const show_info *s, const world *wl)
{
	cli_json j;

	cli_json_init(&j, stdout);
	cli_json_open(&j, NULL, '{');
	show_fields_json(&j, s);
	show_blob_json(&j, "incoming", &s->t->incoming, &wl->w.local.caps);
	show_blob_json(&j, "outgoing", &s->t->outgoing, &wl->w.local.caps);
	show_keys_json(&j, s, wl);
	cli_json_str(&j, "krb5_conf", s->krb5conf);
	cli_json_close(&j);
}

/* cli_print_show: every field of t, the secrets' metadata, the local keys. */
int cli_print_show(cli_ctx *c, const world *wl, const tm_tdo *t)
{
	show_info s;

	if (show_gather(c, wl, t, &s) < 0)
		return cli_report(c, &c->e);
	if (c->opt[OPT_KRB5_CONF] && !json_mode(c)) {
		fputs(s.krb5conf[0] ? s.krb5conf : "# nothing is needed: the realm names are "
		      "hierarchical and no host names are known\n", stdout);
		return TM_OK;
	}
	if (json_mode(c))
		show_json(&s, wl);
	else
		show_text(&s, wl);
	return TM_OK;
}

