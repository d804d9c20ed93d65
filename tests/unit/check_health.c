/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_health.c - health_classify on hand-built inputs (every kind of
 * finding, scope, directions to verify) and the plans health_fix_plan makes
 * for every fix. Whole repairs through the embedded store are in
 * check_health_store.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/exec/diagnose.h"
#include "backend/exec/exec.h"
#include "backend/store/store.h"
#include "backend/exec/world.h"
#include "model/health.h"
#include "model/keys.h"
#include "model/secret.h"
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

/* ---- a hand-built world ------------------------------------------------------ */

enum { CORP, PARTNER, LEGACY, NDOM };
#define MAXT 4
#define NOW 1700000000LL
#define DAY 86400LL

typedef struct fx {
	tm_domain dom[NDOM];
	health_domain hd[NDOM];
	tm_tdo tdos[NDOM][MAXT];
	tm_health health[NDOM][MAXT];
	tm_account acc[NDOM][MAXT];
	tm_keyinfo keys[NDOM][MAXT];
	verify_result checks[8];
	size_t nchecks;
	health_input in;
	health_finding *v;
	size_t n;
} fx;

static fx F;

/* Copy a string between two parts of F (snprintf may not overlap). */
static void fx_domain(int i, const char *name, tm_kind kind, const char *dns, const char *nb,
		      const char *sid)
{
	tm_domain *d = &F.dom[i];
	tm_error e;

	domain_init(d);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->kind = kind;
	snprintf(d->dns, sizeof(d->dns), "%s", dns);
	snprintf(d->netbios, sizeof(d->netbios), "%s", nb);
	ck_assert_int_eq(sid_parse(sid, &d->sid, &e), 0);
	d->has_sid = 1;
	d->level = kind == DOMAIN_NT4 ? LEVEL_2000 : LEVEL_2016;
	name_upper(d->realm, dns[0] ? dns : nb, sizeof(d->realm));
	F.hd[i].side.dom = d;
	F.hd[i].side.writable = 1;
	caps_all(&F.hd[i].side.caps);
	F.hd[i].side.tdos = F.tdos[i];
	F.hd[i].side.health = F.health[i];
	F.hd[i].side.accounts = F.acc[i];
	F.hd[i].side.keys = F.keys[i];
	F.hd[i].readable = 1;
}

static void fx_setup(void)
{
	memset(&F, 0, sizeof(F));
	fx_domain(CORP, "CORP", DOMAIN_AD, "corp.example", "CORP",
		  "S-1-5-21-1004336348-1177238915-682003330");
	fx_domain(PARTNER, "PARTNER", DOMAIN_AD, "partner.example", "PARTNER",
		  "S-1-5-21-2127521184-1604012920-1887927527");
	fx_domain(LEGACY, "LEGACY", DOMAIN_NT4, "", "LEGACY",
		  "S-1-5-21-3623811015-3361044348-30300820");
	F.dom[LEGACY].nt_service_pack = 6;
	F.dom[LEGACY].lm_compat_level = 4;
	F.in.domains = F.hd;
	F.in.ndomains = NDOM;
	F.in.checks = F.checks;
	F.in.now = NOW;
	F.in.rotation_days = 30;
}

static void fx_teardown(void)
{
	size_t i, k;

	for (i = 0; i < NDOM; i++)
		for (k = 0; k < F.hd[i].side.ntdos; k++)
			tdo_free(&F.tdos[i][k]);
	free(F.v);
	F.v = NULL;
}

/* Domain i's TDO for j: direction as i sees it; secrets at kvno, set at
 * `when`, current = previous (as created or reset on one side). */
static tm_tdo *fx_tdo(int i, int j, uint32_t dir, uint32_t type, uint32_t attrs, uint32_t kvno,
		      long long when, const char *pw)
{
	wf_side *s = &F.hd[i].side;
	tm_tdo *t = &F.tdos[i][s->ntdos];
	const tm_domain *o = &F.dom[j];
	tm_error e;

	tdo_init(t);
	tu_set_str(t->partner, sizeof(t->partner), type == TRUST_TYPE_DOWNLEVEL ? o->netbios : o->dns);
	tu_set_str(t->flat, sizeof(t->flat), o->netbios);
	t->has_sid = 1;
	t->sid = o->sid;
	t->direction = dir;
	t->type = type;
	t->attributes = attrs;
	t->has_enctypes = 1;
	t->enctypes = type == TRUST_TYPE_DOWNLEVEL ? ENCTYPE_BIT_RC4 : ENCTYPE_BITS_AES;
	if (dir & TRUST_DIRECTION_OUTBOUND)
		ck_assert_int_eq(authblob_set_password(&t->outgoing, pw, kvno, authblob_filetime(when),
						       AUTHBLOB_FRESH, &e), 0);
	if (dir & TRUST_DIRECTION_INBOUND)
		ck_assert_int_eq(authblob_set_password(&t->incoming, pw, kvno, authblob_filetime(when),
						       AUTHBLOB_FRESH, &e), 0);
	F.health[i][s->ntdos] = HEALTH_VERIFIED;
	s->ntdos++;
	return t;
}

static void fx_key(int i, int trusting, int trusted, uint32_t kvno, uint32_t enctypes)
{
	wf_side *s = &F.hd[i].side;
	tm_keyinfo *k = &F.keys[i][s->nkeys++];
	tm_error e;

	memset(k, 0, sizeof(*k));
	ck_assert_int_eq(keys_trust_principal(F.dom[trusting].realm, F.dom[trusted].realm,
					      k->principal, sizeof(k->principal), &e), 0);
	k->kvno = kvno;
	k->enctypes = enctypes;
	k->nkvnos = 1;
	k->kvnos[0] = kvno;
}

static void fx_check(int trusting, int trusted, verify_outcome o, uint32_t ik, uint32_t ak)
{
	verify_result *r = &F.checks[F.nchecks++];
	tm_error e;

	memset(r, 0, sizeof(*r));
	r->outcome = o;
	tu_set_str(r->trusting, sizeof(r->trusting), F.dom[trusting].name);
	tu_set_str(r->trusted, sizeof(r->trusted), F.dom[trusted].name);
	ck_assert_int_eq(keys_trust_principal(F.dom[trusting].realm, F.dom[trusted].realm,
					      r->principal, sizeof(r->principal), &e), 0);
	r->issuer_kvno = ik;
	r->acceptor_kvno = ak;
	r->enctype = KEYS_ETYPE_AES256;
	if (o == VERIFY_MISSING_PRINCIPAL || o == VERIFY_MISSING_TDO || o == VERIFY_UNREACHABLE)
		tu_set_str(r->missing_on, sizeof(r->missing_on), F.dom[trusted].name);
}

/* A healthy two-way CORP <-> PARTNER trust at kvno 1, forest-transitive. */
static void fx_two_way(void)
{
	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL,
	       TRUST_ATTR_FOREST_TRANSITIVE, 1, NOW - DAY, "secret-1");
	fx_tdo(PARTNER, CORP, TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL,
	       TRUST_ATTR_FOREST_TRANSITIVE, 1, NOW - DAY, "secret-1");
	fx_key(CORP, CORP, PARTNER, 1, ENCTYPE_BITS_AES);
	fx_key(CORP, PARTNER, CORP, 1, ENCTYPE_BITS_AES);
	fx_key(PARTNER, CORP, PARTNER, 1, ENCTYPE_BITS_AES);
	fx_key(PARTNER, PARTNER, CORP, 1, ENCTYPE_BITS_AES);
}

static void fx_classify(void)
{
	tm_error e;

	F.in.nchecks = F.nchecks;
	free(F.v);
	F.v = NULL;
	ck_assert_msg(health_classify(&F.in, &F.v, &F.n, &e) == 0, "%s", e.what);
}

/* The first finding of kind k, or NULL. */
static const health_finding *fx_find(health_kind k)
{
	size_t i;

	for (i = 0; i < F.n; i++)
		if (F.v[i].kind == k)
			return &F.v[i];
	return NULL;
}

static const health_finding *fx_expect(health_kind k, health_fix fix)
{
	const health_finding *f = fx_find(k);

	ck_assert_msg(f != NULL, "no %s finding among %zu (first: %s)", health_kind_token(k), F.n,
		      F.n ? health_kind_token(F.v[0].kind) : "none");
	ck_assert_str_eq(health_fix_token(f->fix), health_fix_token(fix));
	ck_assert_msg(f->cause[0] && f->evidence[0] && f->fix_text[0], "empty text in %s",
		      health_kind_token(k));
	return f;
}

static tm_plan *fx_plan(health_kind k);
static size_t count_steps(const tm_plan *p, step_kind k, const char *domain);

/* ---- classification ------------------------------------------------------------- */

START_TEST(kind_ok)
{
	fx_two_way();
	fx_check(CORP, PARTNER, VERIFY_OK, 1, 1);
	fx_check(PARTNER, CORP, VERIFY_OK, 1, 1);
	fx_classify();
	ck_assert_uint_eq(F.n, 2);
	ck_assert(health_all_ok(F.v, F.n));
	ck_assert_str_eq(F.v[0].domain, "CORP");
	ck_assert_str_eq(F.v[0].partner_domain, "PARTNER");
	ck_assert_str_eq(F.v[0].partner, "partner.example");
	ck_assert_uint_eq(F.v[0].direction, TRUST_DIRECTION_OUTBOUND);
	ck_assert_uint_eq(F.v[1].direction, TRUST_DIRECTION_INBOUND);
	ck_assert_str_eq(F.v[0].fix_command, "");
}
END_TEST

START_TEST(kind_one_sided)
{
	const health_finding *f;

	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_check(CORP, PARTNER, VERIFY_MISSING_TDO, 0, 0);
	fx_check(PARTNER, CORP, VERIFY_MISSING_TDO, 0, 0);
	fx_classify();
	f = fx_expect(HK_ONE_SIDED, FIX_RECREATE);
	ck_assert_str_eq(f->fix_command, "trustmgr recreate CORP PARTNER");
	ck_assert_ptr_nonnull(strstr(f->cause, "Q102650"));
	ck_assert_ptr_nonnull(strstr(f->evidence, "PARTNER: no TDO for CORP"));
	ck_assert_uint_eq(F.n, 1);
}
END_TEST

START_TEST(kind_one_sided_disabled)
{
	const health_finding *f;

	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_DISABLED, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_classify();
	f = fx_expect(HK_ONE_SIDED, FIX_REMOVE_ORPHAN);
	ck_assert_str_eq(f->fix_command, "trustmgr remove CORP PARTNER");
}
END_TEST

START_TEST(kind_direction_mismatch)
{
	const health_finding *f;

	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_tdo(PARTNER, CORP, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_check(CORP, PARTNER, VERIFY_MISSING_TDO, 0, 0);
	fx_check(PARTNER, CORP, VERIFY_OK, 1, 1);
	fx_classify();
	f = fx_expect(HK_DIRECTION_MISMATCH, FIX_RECREATE);
	ck_assert_uint_eq(f->direction, TRUST_DIRECTION_OUTBOUND);
	ck_assert_ptr_nonnull(strstr(f->cause, "CORP trusts PARTNER and PARTNER trusts CORP"));
	ck_assert_ptr_eq(F.v, f);      /* structure comes first */
}
END_TEST

START_TEST(kind_direction_disabled_end)
{
	const health_finding *f;
	tm_plan *p;
	size_t i;

	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_DISABLED, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_tdo(PARTNER, CORP, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_key(PARTNER, PARTNER, CORP, 1, ENCTYPE_BITS_AES);
	fx_classify();
	f = fx_expect(HK_DIRECTION_MISMATCH, FIX_RECREATE);
	/* CORP's end allows no direction: PARTNER's describes the trust. */
	ck_assert_str_eq(f->fix_command, "trustmgr recreate PARTNER CORP");
	p = fx_plan(HK_DIRECTION_MISMATCH);
	ck_assert_str_eq(p->op, "recreate");
	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == STEP_TDO_PUT && strcmp(p->steps[i].domain, "CORP") == 0)
			ck_assert_uint_eq(p->steps[i].tdo.direction, TRUST_DIRECTION_INBOUND);
	ck_assert_uint_eq(count_steps(p, STEP_TDO_PUT, "CORP"), 1);
	plan_free(&p);
}
END_TEST

START_TEST(kind_type_mismatch)
{
	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_tdo(PARTNER, CORP, TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_DOWNLEVEL, 0, 1, NOW, "s");
	fx_check(CORP, PARTNER, VERIFY_DECRYPT_INTEGRITY, 1, 1);
	fx_classify();
	fx_expect(HK_TYPE_MISMATCH, FIX_RECREATE);
	ck_assert_ptr_null(fx_find(HK_PASSWORD_MISMATCH));   /* recreate fixes that too */
	ck_assert_uint_eq(F.n, 1);
}
END_TEST

START_TEST(kind_attribute_mismatch)
{
	const health_finding *f;

	fx_two_way();
	F.tdos[PARTNER][0].attributes = TRUST_ATTR_QUARANTINED_DOMAIN;   /* not compared */
	fx_check(CORP, PARTNER, VERIFY_OK, 1, 1);
	fx_check(PARTNER, CORP, VERIFY_OK, 1, 1);
	fx_classify();
	f = fx_expect(HK_ATTRIBUTE_MISMATCH, FIX_ALIGN);
	ck_assert_str_eq(f->fix_command, "trustmgr tdo modify PARTNER CORP --attributes 0xc");
	ck_assert_ptr_nonnull(strstr(f->cause, "forest-transitive"));
	ck_assert_uint_eq(F.n, 1);
}
END_TEST

START_TEST(kind_kvno_mismatch_one_side)
{
	const health_finding *f;

	fx_two_way();
	F.keys[CORP][0].kvno = 3;      /* CORP reset its side only: current = previous */
	F.keys[CORP][1].kvno = 3;
	fx_check(CORP, PARTNER, VERIFY_NO_MATCHING_KVNO, 1, 3);
	fx_check(PARTNER, CORP, VERIFY_NO_MATCHING_KVNO, 3, 1);
	fx_classify();
	f = fx_expect(HK_KVNO_MISMATCH, FIX_RESET_ONE_SIDE);
	ck_assert_str_eq(f->fix_command, "trustmgr reset-one-side PARTNER CORP");
	ck_assert_ptr_nonnull(strstr(f->evidence, "CORP holds krbtgt/CORP.EXAMPLE@PARTNER.EXAMPLE "
				     "at kvno 3, PARTNER at kvno 1; verify: kvno-mismatch"));
	ck_assert_uint_eq(F.n, 2);
}
END_TEST

START_TEST(kind_kvno_mismatch_reset)
{
	tm_error e;

	fx_two_way();
	ck_assert_int_eq(authblob_set_password(&F.tdos[CORP][0].outgoing, "next", 2,
					       authblob_filetime(NOW), AUTHBLOB_ROTATE, &e), 0);
	F.keys[CORP][0].kvno = 2;
	fx_check(CORP, PARTNER, VERIFY_NO_MATCHING_KVNO, 1, 2);
	fx_classify();
	ck_assert_str_eq(fx_expect(HK_KVNO_MISMATCH, FIX_RESET)->fix_command,
			 "trustmgr reset CORP PARTNER");
}
END_TEST

START_TEST(kind_password_mismatch)
{
	fx_two_way();
	fx_check(CORP, PARTNER, VERIFY_DECRYPT_INTEGRITY, 1, 1);
	fx_check(PARTNER, CORP, VERIFY_OK, 1, 1);
	fx_classify();
	ck_assert_ptr_nonnull(strstr(fx_expect(HK_PASSWORD_MISMATCH, FIX_RESET)->cause,
				     "Decrypt integrity check failed"));
	ck_assert_uint_eq(F.n, 2);
	ck_assert_int_eq(F.v[1].kind, HK_OK);
	ck_assert_uint_eq(F.v[1].direction, TRUST_DIRECTION_INBOUND);
}
END_TEST

START_TEST(kind_missing_principal)
{
	const health_finding *f;

	fx_two_way();
	fx_check(CORP, PARTNER, VERIFY_MISSING_PRINCIPAL, 0, 1);
	snprintf(F.checks[0].missing_on, sizeof(F.checks[0].missing_on), "CORP");
	fx_classify();
	f = fx_expect(HK_MISSING_PRINCIPAL, FIX_RESET);
	ck_assert_ptr_nonnull(strstr(f->evidence, "CORP holds none"));
	ck_assert_ptr_nonnull(strstr(f->cause, "not found in Kerberos database"));
}
END_TEST

START_TEST(kind_no_common_enctype)
{
	const health_finding *f;

	fx_two_way();
	F.tdos[CORP][0].enctypes = ENCTYPE_BIT_RC4;
	fx_check(CORP, PARTNER, VERIFY_NO_COMMON_ENCTYPE, 0, 0);
	fx_classify();
	f = fx_expect(HK_NO_COMMON_ENCTYPE, FIX_ALIGN);
	/* The keys are AES: CORP's object is the one to change. */
	ck_assert_ptr_nonnull(strstr(f->fix_text, "trustmgr tdo modify CORP PARTNER --enctypes "
				     "aes128,aes256"));
	ck_assert_str_eq(f->fix_command, "trustmgr repair CORP PARTNER");
}
END_TEST

START_TEST(kind_unreachable)
{
	const health_finding *f;

	fx_two_way();
	fx_check(CORP, PARTNER, VERIFY_UNREACHABLE, 0, 0);
	snprintf(F.checks[0].detail, sizeof(F.checks[0].detail), "connection refused");
	fx_classify();
	f = fx_expect(HK_UNREACHABLE, FIX_MANUAL);
	ck_assert_ptr_nonnull(strstr(f->evidence, "connection refused"));
	ck_assert_str_eq(f->fix_command, "");
}
END_TEST

START_TEST(kind_unreadable_domain)
{
	const health_finding *f;

	fx_two_way();
	F.hd[PARTNER].readable = 0;
	snprintf(F.hd[PARTNER].error, sizeof(F.hd[PARTNER].error), "ldap server down");
	fx_classify();
	f = fx_expect(HK_UNREACHABLE, FIX_MANUAL);
	ck_assert_ptr_nonnull(strstr(f->evidence, "ldap server down"));
	ck_assert_uint_eq(F.n, 1);
}
END_TEST

START_TEST(kind_unknown_partner)
{
	tm_tdo *t = fx_tdo(CORP, PARTNER, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");

	snprintf(t->partner, sizeof(t->partner), "other.example");
	snprintf(t->flat, sizeof(t->flat), "OTHER");
	t->has_sid = 0;
	fx_classify();
	ck_assert_ptr_nonnull(strstr(fx_expect(HK_UNREACHABLE, FIX_MANUAL)->cause,
				     "does not know"));
	ck_assert_str_eq(F.v[0].partner, "other.example");
	ck_assert_str_eq(F.v[0].partner_domain, "");
	ck_assert_int_eq(F.v[0].secret_set, NOW);       /* its end's secret, for rotate --due */
}
END_TEST

START_TEST(kind_pending_permitted)
{
	const health_finding *f;

	fx_tdo(PARTNER, CORP, TRUST_DIRECTION_INBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "init");
	F.health[PARTNER][0] = HEALTH_PERMITTED;
	snprintf(F.acc[PARTNER][0].name, sizeof(F.acc[PARTNER][0].name), "CORP$");
	F.hd[PARTNER].side.naccounts = 1;
	fx_check(CORP, PARTNER, VERIFY_MISSING_TDO, 0, 0);
	fx_classify();
	f = fx_expect(HK_PENDING, FIX_ESTABLISH);
	ck_assert_str_eq(f->fix_command, "trustmgr trust CORP PARTNER");
	ck_assert_str_eq(f->domain, "PARTNER");   /* the end that holds the trust */
	ck_assert_uint_eq(f->direction, TRUST_DIRECTION_INBOUND);
	ck_assert_uint_eq(F.n, 1);
}
END_TEST

START_TEST(kind_pending_trust_first)
{
	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "init");
	F.health[CORP][0] = HEALTH_PENDING_PERMIT;
	fx_classify();
	ck_assert_ptr_nonnull(strstr(fx_expect(HK_PENDING, FIX_ESTABLISH)->fix_text,
				     "trustmgr permit PARTNER CORP; trustmgr trust CORP PARTNER"));
}
END_TEST

START_TEST(kind_chance_used)
{
	const health_finding *f;

	fx_tdo(PARTNER, CORP, TRUST_DIRECTION_INBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "init");
	F.health[PARTNER][0] = HEALTH_PERMITTED;          /* the lock alone tells */
	snprintf(F.acc[PARTNER][0].name, sizeof(F.acc[PARTNER][0].name), "CORP$");
	F.acc[PARTNER][0].locked = 1;
	F.acc[PARTNER][0].locked_at = NOW;
	F.hd[PARTNER].side.naccounts = 1;
	fx_classify();
	f = fx_expect(HK_CHANCE_USED, FIX_REPERMIT);
	ck_assert_ptr_nonnull(strstr(f->evidence, "CORP$ locked"));
	ck_assert_ptr_nonnull(strstr(f->fix_text, "trustmgr remove PARTNER CORP --direction inbound"));
}
END_TEST

START_TEST(kind_secret_old)
{
	const health_finding *f;

	fx_two_way();
	fx_check(CORP, PARTNER, VERIFY_OK, 1, 1);
	fx_check(PARTNER, CORP, VERIFY_OK, 1, 1);
	F.in.now = NOW - DAY + 31 * DAY;
	fx_classify();
	f = fx_expect(HK_SECRET_OLD, FIX_ROTATE);
	ck_assert_str_eq(f->fix_command, "trustmgr rotate CORP PARTNER");
	ck_assert_ptr_nonnull(strstr(f->cause, "31 days ago"));
	ck_assert_int_eq(f->secret_set, NOW - DAY);
	ck_assert_uint_eq(F.n, 2);
	F.in.now = NOW - DAY + 29 * DAY;
	fx_classify();
	ck_assert(health_all_ok(F.v, F.n));
	F.in.rotation_days = 0;        /* every secret is due */
	fx_classify();
	ck_assert_ptr_nonnull(fx_find(HK_SECRET_OLD));
	F.in.rotation_days = -1;       /* no policy */
	F.in.now = NOW + 1000 * DAY;
	fx_classify();
	ck_assert(health_all_ok(F.v, F.n));
}
END_TEST

START_TEST(kind_nt4_lmcompat)
{
	const health_finding *f;

	fx_tdo(CORP, LEGACY, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_DOWNLEVEL, 0, 2, NOW, "s");
	fx_tdo(LEGACY, CORP, TRUST_DIRECTION_INBOUND, TRUST_TYPE_DOWNLEVEL, 0, 1, NOW, "s");
	fx_key(CORP, CORP, LEGACY, 2, ENCTYPE_BIT_RC4);
	fx_key(LEGACY, CORP, LEGACY, 1, ENCTYPE_BIT_RC4);
	fx_check(CORP, LEGACY, VERIFY_NO_MATCHING_KVNO, 1, 2);
	fx_classify();
	ck_assert_int_eq(F.v[0].kind, HK_KVNO_MISMATCH);  /* the fixable cause first */
	f = fx_expect(HK_NT4_LMCOMPAT, FIX_MANUAL);
	ck_assert_ptr_nonnull(strstr(f->cause, "Q243655"));
	ck_assert_ptr_nonnull(strstr(f->cause, "The trust relationship between the primary "
				     "domain and the trusted domain failed"));
	ck_assert_ptr_nonnull(strstr(f->cause, "STATUS_TRUSTED_DOMAIN_FAILURE"));
	ck_assert_ptr_nonnull(strstr(f->fix_text, "Netlogon"));
	/* A working trust says nothing about it; nor does SP3. */
	F.checks[0].outcome = VERIFY_OK;
	fx_classify();
	ck_assert(health_all_ok(F.v, F.n));
	F.checks[0].outcome = VERIFY_NO_MATCHING_KVNO;
	F.dom[LEGACY].nt_service_pack = 3;
	fx_classify();
	ck_assert_ptr_null(fx_find(HK_NT4_LMCOMPAT));
}
END_TEST

/* ---- scope ------------------------------------------------------------------------ */

START_TEST(scope_and_directions)
{
	health_dir *d = NULL;
	size_t n = 0;
	tm_error e;

	fx_two_way();
	fx_tdo(CORP, LEGACY, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_DOWNLEVEL, 0, 1, NOW, "s");
	fx_tdo(LEGACY, CORP, TRUST_DIRECTION_INBOUND, TRUST_TYPE_DOWNLEVEL, 0, 1, NOW, "s");
	ck_assert_int_eq(health_directions(&F.in, &d, &n, &e), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(d[2].trusting, "CORP");
	ck_assert_str_eq(d[2].trusted, "LEGACY");
	free(d);
	F.in.only = "PARTNER";
	ck_assert_int_eq(health_directions(&F.in, &d, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	free(d);
	fx_classify();
	ck_assert_uint_eq(F.n, 2);     /* not verified: one ok row per direction */
	ck_assert_str_eq(F.v[0].domain, "PARTNER");
	ck_assert_str_eq(F.v[0].partner_domain, "CORP");
	F.in.only = "CORP";
	F.in.only_partner = "LEGACY";
	fx_classify();
	ck_assert_uint_eq(F.n, 1);
	ck_assert_str_eq(F.v[0].partner_domain, "LEGACY");
}
END_TEST

START_TEST(tokens)
{
	ck_assert_str_eq(health_kind_token(HK_NT4_LMCOMPAT), "nt4-lmcompat");
	ck_assert_str_eq(health_kind_token(HK_CHANCE_USED), "chance-used");
	ck_assert_str_eq(health_fix_token(FIX_RESET_ONE_SIDE), "reset-one-side");
	ck_assert_str_eq(health_fix_token(FIX_ESTABLISH), "establish");
	ck_assert_str_eq(health_kind_token((health_kind)99), "unknown");
}
END_TEST

/* ---- fix plans ------------------------------------------------------------------------ */

/* The world around a finding: local = its domain. */
static void fx_world(const health_finding *f, wf_world *w)
{
	int d = strcmp(f->domain, "CORP") == 0 ? CORP : strcmp(f->domain, "PARTNER") == 0 ? PARTNER
										   : LEGACY;
	int p = strcmp(f->partner_domain, "CORP") == 0 ? CORP :
		strcmp(f->partner_domain, "PARTNER") == 0 ? PARTNER : LEGACY;

	memset(w, 0, sizeof(*w));
	w->domains = F.dom;
	w->ndomains = NDOM;
	w->local = F.hd[d].side;
	w->partner = F.hd[p].side;
	w->now = NOW;
}

static tm_plan *fx_plan(health_kind k)
{
	const health_finding *f = fx_find(k);
	wf_world w;
	tm_plan *p = NULL;
	tm_error e;

	ck_assert_ptr_nonnull(f);
	fx_world(f, &w);
	ck_assert_msg(health_fix_plan(&w, f, &p, &e) == 0, "%s: %s", health_kind_token(k), e.what);
	return p;
}

static size_t count_steps(const tm_plan *p, step_kind k, const char *domain)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsteps; i++)
		n += p->steps[i].kind == k && (!domain || strcmp(p->steps[i].domain, domain) == 0);
	return n;
}

START_TEST(fix_recreate)
{
	tm_plan *p;

	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_BIDIRECTIONAL, TRUST_TYPE_UPLEVEL,
	       TRUST_ATTR_FOREST_TRANSITIVE, 1, NOW, "s");
	fx_key(CORP, CORP, PARTNER, 1, ENCTYPE_BITS_AES);
	fx_classify();
	p = fx_plan(HK_ONE_SIDED);
	ck_assert_str_eq(p->op, "recreate");
	ck_assert_uint_eq(count_steps(p, STEP_TDO_PUT, "PARTNER"), 1);
	ck_assert_uint_eq(count_steps(p, STEP_VERIFY, NULL), 2);
	ck_assert(p->slots[WF_SLOT_NEW_OUT].source == SLOT_GENERATED);
	plan_free(&p);
}
END_TEST

START_TEST(fix_reset_and_rotate)
{
	tm_plan *p;

	fx_two_way();
	fx_check(CORP, PARTNER, VERIFY_DECRYPT_INTEGRITY, 1, 1);
	fx_classify();
	p = fx_plan(HK_PASSWORD_MISMATCH);
	ck_assert_str_eq(p->op, "reset");
	ck_assert_uint_eq(count_steps(p, STEP_KEY_SET, NULL), 4);
	plan_free(&p);
	F.nchecks = 0;
	F.in.now = NOW + 40 * DAY;
	fx_classify();                  /* not verified: no finding */
	fx_check(CORP, PARTNER, VERIFY_OK, 1, 1);
	fx_classify();
	p = fx_plan(HK_SECRET_OLD);
	ck_assert_str_eq(p->op, "rotate");
	ck_assert_ptr_nonnull(strstr(p->summary, "rotate"));
	ck_assert_int_eq(p->steps[0].out.action, BLOB_ROTATE);
	plan_free(&p);
}
END_TEST

START_TEST(fix_reset_one_side)
{
	tm_plan *p;

	fx_two_way();
	F.keys[CORP][0].kvno = 3;
	F.keys[CORP][1].kvno = 3;
	fx_check(CORP, PARTNER, VERIFY_NO_MATCHING_KVNO, 1, 3);
	fx_classify();
	p = fx_plan(HK_KVNO_MISMATCH);
	ck_assert_str_eq(p->op, "reset-one-side");
	ck_assert_uint_eq(count_steps(p, STEP_KEY_SET, "PARTNER"), 2);   /* the side behind */
	ck_assert_uint_eq(count_steps(p, STEP_KEY_SET, "CORP"), 0);
	ck_assert_uint_eq(p->steps[1].kvno, 3);                          /* CORP's kvno */
	ck_assert(p->slots[WF_SLOT_TYPED].source == SLOT_SUPPLIED);
	plan_free(&p);
}
END_TEST

START_TEST(fix_align_attributes)
{
	tm_plan *p;

	fx_two_way();
	F.tdos[PARTNER][0].attributes = 0;
	fx_classify();
	p = fx_plan(HK_ATTRIBUTE_MISMATCH);
	ck_assert_str_eq(p->op, "align");
	ck_assert_uint_eq(p->nsteps, 1);
	ck_assert_str_eq(p->steps[0].domain, "PARTNER");
	ck_assert_uint_eq(p->steps[0].tdo.attributes, TRUST_ATTR_FOREST_TRANSITIVE);
	ck_assert_ptr_nonnull(p->steps[0].tdo.ftinfo);   /* the rule's side effect */
	plan_free(&p);
}
END_TEST

/* Never a state the rules refuse (issue 17, item 1): CORP's end is
 * forest-transitive and non-transitive (rule 4 refuses it), PARTNER's is a
 * valid external trust: CORP's end takes PARTNER's, not the other way. */
START_TEST(fix_align_takes_valid_end)
{
	const uint32_t bad = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_NON_TRANSITIVE |
			     TRUST_ATTR_QUARANTINED_DOMAIN;
	const uint32_t good = TRUST_ATTR_NON_TRANSITIVE | TRUST_ATTR_QUARANTINED_DOMAIN;
	const health_finding *f;
	tm_plan *p;

	fx_two_way();
	F.tdos[CORP][0].attributes = bad;
	F.tdos[PARTNER][0].attributes = good;
	fx_classify();
	f = fx_expect(HK_ATTRIBUTE_MISMATCH, FIX_ALIGN);
	ck_assert_int_eq(f->align_ends, HEALTH_END_DOMAIN);
	ck_assert_str_eq(f->fix_command, "trustmgr tdo modify CORP PARTNER --attributes 0x5");
	ck_assert_ptr_nonnull(strstr(f->fix_text, "the rules do not allow keeping CORP's"));
	ck_assert_ptr_nonnull(strstr(f->fix_text, "forest-transitive and also non-transitive"));
	p = fx_plan(HK_ATTRIBUTE_MISMATCH);
	ck_assert_uint_eq(p->nsteps, 1);
	ck_assert_str_eq(p->steps[0].domain, "CORP");
	ck_assert_uint_eq(p->steps[0].tdo.attributes, good);
	ck_assert_ptr_null(p->steps[0].tdo.ftinfo);      /* forest records dropped (rule 6) */
	ck_assert_ptr_nonnull(strstr(p->steps[0].changes, "type: forest -> external"));
	plan_free(&p);
}
END_TEST

/* Neither end is valid: both become the external trust without the forest
 * bits; when even that is refused, the administrator decides. */
START_TEST(fix_align_both_invalid)
{
	const health_finding *f;
	tm_plan *p;
	wf_world w;
	tm_error e;

	fx_two_way();
	F.tdos[CORP][0].attributes = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_NON_TRANSITIVE;
	F.tdos[PARTNER][0].attributes = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_WITHIN_FOREST;
	fx_classify();
	f = fx_expect(HK_ATTRIBUTE_MISMATCH, FIX_ALIGN);
	ck_assert_int_eq(f->align_ends, HEALTH_END_DOMAIN | HEALTH_END_PARTNER);
	ck_assert_uint_eq(f->align_attributes, TRUST_ATTR_NON_TRANSITIVE);
	ck_assert_str_eq(f->fix_command, "trustmgr repair CORP PARTNER");
	p = fx_plan(HK_ATTRIBUTE_MISMATCH);
	ck_assert_uint_eq(p->nsteps, 2);
	ck_assert_uint_eq(count_steps(p, STEP_TDO_PUT, "CORP"), 1);
	ck_assert_uint_eq(count_steps(p, STEP_TDO_PUT, "PARTNER"), 1);
	ck_assert_uint_eq(p->steps[0].tdo.attributes, TRUST_ATTR_NON_TRANSITIVE);
	ck_assert_uint_eq(p->steps[1].tdo.attributes, TRUST_ATTR_NON_TRANSITIVE);
	plan_free(&p);

	/* within-forest with selective authentication (refused), against a
	 * forest-transitive non-transitive end (refused): nothing to choose */
	F.tdos[CORP][0].attributes = TRUST_ATTR_WITHIN_FOREST | TRUST_ATTR_CROSS_ORGANIZATION;
	F.tdos[PARTNER][0].attributes = TRUST_ATTR_FOREST_TRANSITIVE | TRUST_ATTR_NON_TRANSITIVE;
	fx_classify();
	f = fx_expect(HK_ATTRIBUTE_MISMATCH, FIX_MANUAL);
	ck_assert_int_eq(f->align_ends, 0);
	ck_assert_str_eq(f->fix_command, "");
	ck_assert_ptr_nonnull(strstr(f->fix_text, "Decide what the trust is to be"));
	fx_world(f, &w);
	ck_assert_int_eq(health_fix_plan(&w, f, &p, &e), -1);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(fix_align_enctypes)
{
	tm_plan *p;
	size_t i;

	fx_two_way();
	F.tdos[CORP][0].enctypes = ENCTYPE_BIT_RC4;
	fx_check(CORP, PARTNER, VERIFY_NO_COMMON_ENCTYPE, 0, 0);
	fx_classify();
	p = fx_plan(HK_NO_COMMON_ENCTYPE);
	ck_assert_str_eq(p->op, "align");
	ck_assert_str_eq(p->steps[0].domain, "CORP");
	ck_assert_uint_eq(p->steps[0].tdo.enctypes, ENCTYPE_BITS_AES);
	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == STEP_KEY_SET)
			ck_assert_uint_eq(p->steps[i].enctypes, ENCTYPE_BITS_AES);
	ck_assert_uint_eq(count_steps(p, STEP_VERIFY, NULL), 2);
	plan_free(&p);
}
END_TEST

START_TEST(fix_repermit)
{
	tm_plan *p;

	fx_tdo(PARTNER, CORP, TRUST_DIRECTION_INBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "init");
	F.health[PARTNER][0] = HEALTH_CHANCE_USED;
	snprintf(F.acc[PARTNER][0].name, sizeof(F.acc[PARTNER][0].name), "CORP$");
	F.acc[PARTNER][0].locked = 1;
	F.hd[PARTNER].side.naccounts = 1;
	fx_key(PARTNER, CORP, PARTNER, 1, ENCTYPE_BITS_AES);
	fx_classify();
	p = fx_plan(HK_CHANCE_USED);
	ck_assert_str_eq(p->op, "repermit");
	ck_assert_uint_eq(count_steps(p, STEP_ACCOUNT_DELETE, "PARTNER"), 1);
	ck_assert_uint_eq(count_steps(p, STEP_ACCOUNT_PUT, "PARTNER"), 1);
	ck_assert_uint_eq(count_steps(p, STEP_PROVE, "PARTNER"), 1);
	ck_assert_uint_eq(count_steps(p, STEP_TDO_PUT, "CORP"), 1);
	ck_assert_uint_eq(count_steps(p, STEP_VERIFY, NULL), 1);
	ck_assert(p->slots[WF_SLOT_TYPED].source == SLOT_SUPPLIED);
	ck_assert_str_eq(p->domain, "CORP");       /* the trusting side proves */
	plan_free(&p);
}
END_TEST

START_TEST(fix_establish)
{
	tm_plan *p;

	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "init");
	F.health[CORP][0] = HEALTH_PENDING_PERMIT;
	fx_key(CORP, CORP, PARTNER, 1, ENCTYPE_BITS_AES);
	fx_classify();
	p = fx_plan(HK_PENDING);
	ck_assert_str_eq(p->op, "establish");
	ck_assert_uint_eq(count_steps(p, STEP_ACCOUNT_PUT, "PARTNER"), 1);   /* permit */
	ck_assert_uint_eq(count_steps(p, STEP_PROVE, "PARTNER"), 1);         /* then trust */
	ck_assert_uint_eq(count_steps(p, STEP_VERIFY, NULL), 1);
	plan_free(&p);
}
END_TEST

START_TEST(fix_remove_orphan_and_manual)
{
	tm_plan *p = NULL;
	wf_world w;
	tm_error e;

	fx_tdo(CORP, PARTNER, TRUST_DIRECTION_DISABLED, TRUST_TYPE_UPLEVEL, 0, 1, NOW, "s");
	fx_classify();
	p = fx_plan(HK_ONE_SIDED);
	ck_assert_str_eq(p->op, "remove");
	ck_assert_uint_eq(count_steps(p, STEP_TDO_DELETE, "CORP"), 1);
	plan_free(&p);
	F.v[0].fix = FIX_MANUAL;
	fx_world(&F.v[0], &w);
	ck_assert_int_eq(health_fix_plan(&w, &F.v[0], &p, &e), -1);
	ck_assert_int_eq(e.cls, TM_EFAIL);
	ck_assert_ptr_null(p);
}
END_TEST

static Suite *health_suite(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("classify");
	TCase *tf = tcase_create("fix");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, kind_ok);
	tcase_add_test(tc, kind_one_sided);
	tcase_add_test(tc, kind_one_sided_disabled);
	tcase_add_test(tc, kind_direction_mismatch);
	tcase_add_test(tc, kind_direction_disabled_end);
	tcase_add_test(tc, kind_type_mismatch);
	tcase_add_test(tc, kind_attribute_mismatch);
	tcase_add_test(tc, kind_kvno_mismatch_one_side);
	tcase_add_test(tc, kind_kvno_mismatch_reset);
	tcase_add_test(tc, kind_password_mismatch);
	tcase_add_test(tc, kind_missing_principal);
	tcase_add_test(tc, kind_no_common_enctype);
	tcase_add_test(tc, kind_unreachable);
	tcase_add_test(tc, kind_unreadable_domain);
	tcase_add_test(tc, kind_unknown_partner);
	tcase_add_test(tc, kind_pending_permitted);
	tcase_add_test(tc, kind_pending_trust_first);
	tcase_add_test(tc, kind_chance_used);
	tcase_add_test(tc, kind_secret_old);
	tcase_add_test(tc, kind_nt4_lmcompat);
	tcase_add_test(tc, scope_and_directions);
	tcase_add_test(tc, tokens);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tf, fx_setup, fx_teardown);
	tcase_add_test(tf, fix_recreate);
	tcase_add_test(tf, fix_reset_and_rotate);
	tcase_add_test(tf, fix_reset_one_side);
	tcase_add_test(tf, fix_align_attributes);
	tcase_add_test(tf, fix_align_takes_valid_end);
	tcase_add_test(tf, fix_align_both_invalid);
	tcase_add_test(tf, fix_align_enctypes);
	tcase_add_test(tf, fix_repermit);
	tcase_add_test(tf, fix_establish);
	tcase_add_test(tf, fix_remove_orphan_and_manual);
	suite_add_tcase(s, tf);
	return s;
}

int main(void)
{
	return tu_run(health_suite());
}
