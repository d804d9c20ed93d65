/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_health_orphan.c - the orphaned interdomain trust account finding
 * (HK_ORPHAN_ACCOUNT, model/health_orphan.c): found on hand-built worlds,
 * not found when a TDO uses the account or the one-sided finding's recreate
 * already deletes it, absent without CAP_ACCOUNT_LIST, the plan of its
 * delete-account fix, and a whole repair through the embedded store (a
 * TDO deleted on its own, as over LDAP, leaving the account). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/exec/diagnose.h"
#include "backend/exec/exec.h"
#include "backend/exec/world.h"
#include "backend/os/testhooks.h"
#include "model/domain.h"
#include "model/health.h"
#include "model/keys.h"
#include "model/secret.h"
#include "model/tdo.h"
#include "tests/unit/testutil.h"

/* ---- a hand-built world ------------------------------------------------------ */

enum { CORP, PARTNER, NDOM };
#define MAXT 4
#define NOW 1700000000LL
#define DAY 86400LL

typedef struct ox {
	tm_domain dom[NDOM];
	health_domain hd[NDOM];
	tm_tdo tdos[NDOM][MAXT];
	tm_health health[NDOM][MAXT];
	tm_account acc[NDOM][MAXT];
	tm_keyinfo keys[NDOM][MAXT];
	verify_result checks[4];
	size_t nchecks;
	health_input in;
	health_finding *v;
	size_t n;
} ox;

static ox X;

static void ox_domain(int i, const char *name, const char *dns, const char *nb, const char *sid)
{
	tm_domain *d = &X.dom[i];
	tm_error e;

	domain_init(d);
	tu_set_str(d->name, sizeof(d->name), name);
	d->kind = DOMAIN_AD;
	tu_set_str(d->dns, sizeof(d->dns), dns);
	tu_set_str(d->netbios, sizeof(d->netbios), nb);
	ck_assert_int_eq(sid_parse(sid, &d->sid, &e), 0);
	d->has_sid = 1;
	d->level = LEVEL_2016;
	name_upper(d->realm, dns, sizeof(d->realm));
	X.hd[i].side.dom = d;
	X.hd[i].side.writable = 1;
	caps_all(&X.hd[i].side.caps);
	X.hd[i].side.tdos = X.tdos[i];
	X.hd[i].side.health = X.health[i];
	X.hd[i].side.accounts = X.acc[i];
	X.hd[i].side.keys = X.keys[i];
	X.hd[i].readable = 1;
}

static void ox_setup(void)
{
	memset(&X, 0, sizeof(X));
	ox_domain(CORP, "CORP", "corp.example", "CORP", "S-1-5-21-1004336348-1177238915-682003330");
	ox_domain(PARTNER, "PARTNER", "partner.example", "PARTNER",
		  "S-1-5-21-2127521184-1604012920-1887927527");
	X.in.domains = X.hd;
	X.in.ndomains = NDOM;
	X.in.checks = X.checks;
	X.in.now = NOW;
	X.in.rotation_days = 30;
}

static void ox_teardown(void)
{
	size_t i, k;

	for (i = 0; i < NDOM; i++)
		for (k = 0; k < X.hd[i].side.ntdos; k++)
			tdo_free(&X.tdos[i][k]);
	free(X.v);
	X.v = NULL;
}

/* Domain i's TDO for the partner dns/flat: direction as i sees it, secrets
 * at kvno 1 set a day ago. */
static tm_tdo *ox_tdo_for(int i, const char *dns, const char *flat, uint32_t dir)
{
	wf_side *s = &X.hd[i].side;
	tm_tdo *t = &X.tdos[i][s->ntdos];
	tm_error e;

	tdo_init(t);
	tu_set_str(t->partner, sizeof(t->partner), dns);
	tu_set_str(t->flat, sizeof(t->flat), flat);
	t->direction = dir;
	t->type = TRUST_TYPE_UPLEVEL;
	if (dir & TRUST_DIRECTION_OUTBOUND)
		ck_assert_int_eq(authblob_set_password(&t->outgoing, "s", 1, authblob_filetime(NOW - DAY),
						       AUTHBLOB_FRESH, &e), 0);
	if (dir & TRUST_DIRECTION_INBOUND)
		ck_assert_int_eq(authblob_set_password(&t->incoming, "s", 1, authblob_filetime(NOW - DAY),
						       AUTHBLOB_FRESH, &e), 0);
	X.health[i][s->ntdos] = HEALTH_VERIFIED;
	s->ntdos++;
	return t;
}

/* Domain i's TDO for known domain j. */
static tm_tdo *ox_tdo(int i, int j, uint32_t dir)
{
	tm_tdo *t = ox_tdo_for(i, X.dom[j].dns, X.dom[j].netbios, dir);

	t->has_sid = 1;
	t->sid = X.dom[j].sid;
	return t;
}

/* An interdomain trust account "name" in domain i. */
static tm_account *ox_account(int i, const char *name, const char *partner)
{
	wf_side *s = &X.hd[i].side;
	tm_account *a = &X.acc[i][s->naccounts++];

	memset(a, 0, sizeof(*a));
	tu_set_str(a->name, sizeof(a->name), name);
	tu_set_str(a->partner, sizeof(a->partner), partner);
	a->created = NOW - 400 * DAY;            /* 2022-10-10 */
	a->password_set = NOW - 100 * DAY;       /* 2023-08-06 */
	return a;
}

static void ox_key(int i, int trusting, int trusted)
{
	wf_side *s = &X.hd[i].side;
	tm_keyinfo *k = &X.keys[i][s->nkeys++];
	tm_error e;

	memset(k, 0, sizeof(*k));
	ck_assert_int_eq(keys_trust_principal(X.dom[trusting].realm, X.dom[trusted].realm,
					      k->principal, sizeof(k->principal), &e), 0);
	k->kvno = 1;
	k->enctypes = ENCTYPE_BITS_AES;
	k->nkvnos = 1;
	k->kvnos[0] = 1;
}

static void ox_check_ok(int trusting, int trusted)
{
	verify_result *r = &X.checks[X.nchecks++];
	tm_error e;

	memset(r, 0, sizeof(*r));
	r->outcome = VERIFY_OK;
	tu_set_str(r->trusting, sizeof(r->trusting), X.dom[trusting].name);
	tu_set_str(r->trusted, sizeof(r->trusted), X.dom[trusted].name);
	ck_assert_int_eq(keys_trust_principal(X.dom[trusting].realm, X.dom[trusted].realm,
					      r->principal, sizeof(r->principal), &e), 0);
	r->issuer_kvno = r->acceptor_kvno = 1;
	r->enctype = KEYS_ETYPE_AES256;
}

static void ox_classify(void)
{
	tm_error e;

	X.in.nchecks = X.nchecks;
	free(X.v);
	X.v = NULL;
	X.n = 0;
	ck_assert_msg(health_classify(&X.in, &X.v, &X.n, &e) == 0, "%s", e.what);
}

static const health_finding *ox_find(health_kind k)
{
	size_t i;

	for (i = 0; i < X.n; i++)
		if (X.v[i].kind == k)
			return &X.v[i];
	return NULL;
}

static const health_finding *ox_orphan(health_fix fix)
{
	const health_finding *f = ox_find(HK_ORPHAN_ACCOUNT);

	ck_assert_msg(f != NULL, "no orphan-account finding among %zu (first: %s)", X.n,
		      X.n ? health_kind_token(X.v[0].kind) : "none");
	ck_assert_str_eq(health_fix_token(f->fix), health_fix_token(fix));
	ck_assert_msg(f->cause[0] && f->evidence[0] && f->fix_text[0], "empty text");
	return f;
}

/* The world around f as world_load reads it: local = f's domain, the
 * partner when known. */
static void ox_world(const health_finding *f, wf_world *w)
{
	int d = strcmp(f->domain, "CORP") == 0 ? CORP : PARTNER;

	memset(w, 0, sizeof(*w));
	w->domains = X.dom;
	w->ndomains = NDOM;
	w->local = X.hd[d].side;
	if (f->partner_domain[0])
		w->partner = X.hd[!d].side;
	else
		w->partner_name = f->partner;
	w->now = NOW;
}

/* ---- classification --------------------------------------------------------------- */

START_TEST(found_no_tdo_anywhere)
{
	const health_finding *f;

	ox_account(CORP, "PARTNER$", "partner.example");
	ox_classify();
	ck_assert_uint_eq(X.n, 1);
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ck_assert_str_eq(f->domain, "CORP");
	ck_assert_str_eq(f->partner_domain, "PARTNER");
	ck_assert_str_eq(f->partner, "partner.example");
	ck_assert_str_eq(f->account, "PARTNER$");
	ck_assert_uint_eq(f->direction, TRUST_DIRECTION_INBOUND);       /* CORP holds it */
	TU_ASSERT_HAS(f->cause, "The trust account PARTNER$ of PARTNER remains in CORP without a "
		      "trusted domain object that uses it");
	TU_ASSERT_HAS(f->cause, "STATUS_DOMAIN_EXISTS");
	TU_ASSERT_HAS(f->evidence, "CORP: interdomain trust account PARTNER$, created 2022-10-10, "
		      "password last set 2023-08-06; CORP: no TDO for PARTNER");
	ck_assert_str_eq(f->fix_command, "trustmgr repair CORP PARTNER");
	TU_ASSERT_HAS(f->fix_text, "\"PARTNER trusts CORP\" can then be created again.");
	ck_assert(!health_all_ok(X.v, X.n));
	ck_assert_ptr_eq(health_first_problem(X.v, X.n), f);
}
END_TEST

START_TEST(found_dates_unknown)
{
	const health_finding *f;
	tm_account *a = ox_account(CORP, "PARTNER$", "");

	a->created = 0;
	a->password_set = 0;
	ox_classify();
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ck_assert_ptr_null(strstr(f->evidence, "created"));
	ck_assert_ptr_null(strstr(f->evidence, "password last set"));
	ck_assert_ptr_null(strstr(f->evidence, "unknown date"));
}
END_TEST

START_TEST(scope_from_either_end)
{
	const health_finding *f;
	health_dir *d = NULL;
	size_t n = 9;
	tm_error e;

	ox_account(CORP, "PARTNER$", "partner.example");
	ck_assert_int_eq(health_directions(&X.in, &d, &n, &e), 0);
	ck_assert_uint_eq(n, 0);                   /* nothing to verify */
	free(d);
	X.in.only = "PARTNER";                     /* seen from the partner's end */
	ox_classify();
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ck_assert_str_eq(f->domain, "PARTNER");
	ck_assert_str_eq(f->partner_domain, "CORP");
	ck_assert_uint_eq(f->direction, TRUST_DIRECTION_OUTBOUND);      /* the partner holds it */
	TU_ASSERT_HAS(f->cause, "remains in CORP");
	X.in.only = "CORP";
	X.in.only_partner = "partner.example";
	ox_classify();
	ck_assert_uint_eq(X.n, 1);
	X.in.only_partner = "OTHER";
	ox_classify();
	ck_assert_uint_eq(X.n, 0);
}
END_TEST

START_TEST(found_unknown_partner)
{
	const health_finding *f;

	ox_account(CORP, "OLDNB$", "old.example");
	X.in.only = "CORP";
	X.in.only_partner = "OLDNB";               /* the account's name without the "$" */
	ox_classify();
	ck_assert_uint_eq(X.n, 1);
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ck_assert_str_eq(f->partner, "old.example");
	ck_assert_str_eq(f->partner_domain, "");
	ck_assert_str_eq(f->fix_command, "trustmgr repair CORP old.example");
	X.in.only_partner = "old.example";
	ox_classify();
	ck_assert_uint_eq(X.n, 1);
}
END_TEST

START_TEST(found_unknown_partner_tdo_without_inbound)
{
	ox_tdo_for(CORP, "ext.example", "EXT", TRUST_DIRECTION_OUTBOUND);
	ox_account(CORP, "EXT$", "ext.example");
	ox_classify();
	ck_assert_uint_eq(X.n, 2);
	ck_assert_int_eq(X.v[0].kind, HK_ORPHAN_ACCOUNT);   /* its fix runs here: first */
	ck_assert_int_eq(X.v[1].kind, HK_UNREACHABLE);
	TU_ASSERT_HAS(X.v[0].evidence, "CORP: TDO for ext.example, outbound uplevel");
	ck_assert_str_eq(X.v[0].fix_command, "trustmgr repair CORP ext.example");
}
END_TEST

START_TEST(not_found_when_tdo_uses_it)
{
	/* a healthy two-way trust: each side holds the other's account */
	ox_tdo(CORP, PARTNER, TRUST_DIRECTION_BIDIRECTIONAL);
	ox_tdo(PARTNER, CORP, TRUST_DIRECTION_BIDIRECTIONAL);
	ox_key(CORP, CORP, PARTNER);
	ox_key(CORP, PARTNER, CORP);
	ox_key(PARTNER, CORP, PARTNER);
	ox_key(PARTNER, PARTNER, CORP);
	ox_account(CORP, "PARTNER$", "partner.example");
	ox_account(PARTNER, "CORP$", "corp.example");
	ox_check_ok(CORP, PARTNER);
	ox_check_ok(PARTNER, CORP);
	ox_classify();
	ck_assert_ptr_null(ox_find(HK_ORPHAN_ACCOUNT));
	ck_assert(health_all_ok(X.v, X.n));
	ck_assert_uint_eq(X.n, 2);
	/* a TDO for a partner trustmgr does not know, by its flatName */
	ox_tdo_for(CORP, "ext.example", "EXT", TRUST_DIRECTION_INBOUND);
	ox_account(CORP, "EXT$", "ext.example");
	ox_classify();
	ck_assert_ptr_null(ox_find(HK_ORPHAN_ACCOUNT));
	/* a Kerberos realm's: no flatName, the account is "REALM$" */
	ox_tdo_for(CORP, "OTHER.REALM", "", TRUST_DIRECTION_INBOUND)->type = TRUST_TYPE_MIT;
	ox_account(CORP, "OTHER.REALM$", "OTHER.REALM");
	ox_classify();
	ck_assert_ptr_null(ox_find(HK_ORPHAN_ACCOUNT));
}
END_TEST

START_TEST(found_beside_one_way_trust)
{
	const health_finding *f;

	/* CORP trusts PARTNER and works; CORP still holds PARTNER's account
	 * from when PARTNER trusted it too */
	ox_tdo(CORP, PARTNER, TRUST_DIRECTION_OUTBOUND);
	ox_tdo(PARTNER, CORP, TRUST_DIRECTION_INBOUND);
	ox_key(CORP, CORP, PARTNER);
	ox_key(PARTNER, CORP, PARTNER);
	ox_account(PARTNER, "CORP$", "corp.example");       /* in use */
	ox_account(CORP, "PARTNER$", "partner.example");    /* left over */
	ox_check_ok(CORP, PARTNER);
	ox_classify();
	ck_assert_uint_eq(X.n, 2);
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ck_assert_str_eq(f->account, "PARTNER$");
	ck_assert_uint_eq(f->direction, TRUST_DIRECTION_INBOUND);
	TU_ASSERT_HAS(f->evidence, "CORP: TDO for partner.example, outbound uplevel");
	TU_ASSERT_HAS(f->evidence, "PARTNER: TDO for corp.example, inbound uplevel");
	f = ox_find(HK_OK);                                 /* the direction still works */
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->direction, TRUST_DIRECTION_OUTBOUND);
}
END_TEST

START_TEST(covered_by_one_sided)
{
	const health_finding *f;

	/* PARTNER still holds its end; CORP's TDO was deleted, its account of
	 * PARTNER kept */
	ox_tdo(PARTNER, CORP, TRUST_DIRECTION_BIDIRECTIONAL);
	ox_account(PARTNER, "CORP$", "corp.example");
	ox_account(CORP, "PARTNER$", "partner.example");
	ox_classify();
	f = ox_find(HK_ONE_SIDED);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->fix, FIX_RECREATE);
	ck_assert_ptr_null(ox_find(HK_ORPHAN_ACCOUNT));
	/* unmanaged, CORP's end is left to its administrator by the recreate:
	 * then the account is reported, after the one-sided finding */
	X.hd[CORP].side.writable = 0;
	ox_classify();
	ck_assert_int_eq(health_first_problem(X.v, X.n)->kind, HK_ONE_SIDED);
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ck_assert_str_eq(f->domain, "PARTNER");             /* named from the end that holds a TDO */
	ck_assert_uint_eq(f->direction, TRUST_DIRECTION_OUTBOUND);      /* CORP holds it */
	TU_ASSERT_HAS(f->cause, "The trust account PARTNER$ of PARTNER remains in CORP");
}
END_TEST

START_TEST(covered_recreate_deletes_it)
{
	const health_finding *f;
	tm_plan *p = NULL;
	wf_world w;
	tm_error e;
	size_t i, n = 0;

	ox_tdo(PARTNER, CORP, TRUST_DIRECTION_BIDIRECTIONAL);
	ox_account(CORP, "PARTNER$", "partner.example");
	ox_classify();
	f = ox_find(HK_ONE_SIDED);
	ck_assert_ptr_nonnull(f);
	ox_world(f, &w);
	ck_assert_msg(health_fix_plan(&w, f, &p, &e) == 0, "%s", e.what);
	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == STEP_ACCOUNT_DELETE && strcmp(p->steps[i].domain, "CORP") == 0) {
			ck_assert_str_eq(p->steps[i].account, "PARTNER$");
			n++;
		}
	ck_assert_uint_eq(n, 1);
	plan_free(&p);
}
END_TEST

START_TEST(absent_without_account_list)
{
	ox_account(CORP, "PARTNER$", "partner.example");
	caps_deny(&X.hd[CORP].side.caps, CAP_ACCOUNT_LIST, "no LDAP credentials for CORP");
	ox_classify();
	ck_assert_uint_eq(X.n, 0);          /* accounts not listed: nothing said */
	/* nor beside a trust that exists */
	ox_tdo(CORP, PARTNER, TRUST_DIRECTION_OUTBOUND);
	ox_tdo(PARTNER, CORP, TRUST_DIRECTION_INBOUND);
	ox_classify();
	ck_assert_ptr_null(ox_find(HK_ORPHAN_ACCOUNT));
	/* a domain that could not be read at all */
	caps_all(&X.hd[CORP].side.caps);
	X.hd[CORP].readable = 0;
	ox_classify();
	ck_assert_ptr_null(ox_find(HK_ORPHAN_ACCOUNT));
}
END_TEST

START_TEST(manual_without_account_write)
{
	const health_finding *f;
	tm_plan *p = NULL;
	wf_world w;
	tm_error e;

	ox_account(CORP, "PARTNER$", "partner.example");
	caps_deny(&X.hd[CORP].side.caps, CAP_ACCOUNT_WRITE, "the LDAP account may not delete users");
	ox_classify();
	f = ox_orphan(FIX_MANUAL);
	ck_assert_str_eq(f->fix_command, "");
	TU_ASSERT_HAS(f->fix_text, "the LDAP account may not delete users");
	TU_ASSERT_HAS(f->fix_text, "CN=PARTNER$,CN=Users");
	ox_world(f, &w);
	ck_assert_int_eq(health_fix_plan(&w, f, &p, &e), -1);
	ck_assert_ptr_null(p);
}
END_TEST

START_TEST(tokens)
{
	ck_assert_str_eq(health_kind_token(HK_ORPHAN_ACCOUNT), "orphan-account");
	ck_assert_str_eq(health_fix_token(FIX_DELETE_ACCOUNT), "delete-account");
	ck_assert_str_eq(health_fix_token(FIX_REMOVE_ORPHAN), "remove-orphan");
}
END_TEST

/* ---- the fix plan ------------------------------------------------------------------ */

START_TEST(fix_one_account_delete)
{
	const health_finding *f;
	tm_plan *p = NULL;
	wf_world w;
	tm_error e;

	ox_account(CORP, "PARTNER$", "partner.example");
	ox_classify();
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ox_world(f, &w);
	ck_assert_msg(health_fix_plan(&w, f, &p, &e) == 0, "%s", e.what);
	ck_assert_str_eq(p->op, "delete-account");
	ck_assert_uint_eq(p->nsteps, 1);
	ck_assert_int_eq(p->steps[0].kind, STEP_ACCOUNT_DELETE);
	ck_assert_str_eq(p->steps[0].domain, "CORP");
	ck_assert_str_eq(p->steps[0].account, "PARTNER$");
	TU_ASSERT_HAS(p->steps[0].text, "delete the leftover interdomain trust account PARTNER$");
	TU_ASSERT_HAS(p->success, "CORP no longer holds the trust account PARTNER$: \"PARTNER "
		      "trusts CORP\" can be created again.");
	plan_free(&p);
}
END_TEST

START_TEST(fix_from_partner_end)
{
	const health_finding *f;
	tm_plan *p = NULL;
	wf_world w;
	tm_error e;

	ox_account(CORP, "PARTNER$", "partner.example");
	X.in.only = "PARTNER";
	ox_classify();
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ox_world(f, &w);                          /* local: PARTNER */
	ck_assert_msg(health_fix_plan(&w, f, &p, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(p->nsteps, 1);
	ck_assert_str_eq(p->steps[0].domain, "CORP");       /* where the account is */
	ck_assert_str_eq(p->domain, "PARTNER");
	plan_free(&p);
}
END_TEST

START_TEST(fix_unknown_partner)
{
	const health_finding *f;
	tm_plan *p = NULL;
	wf_world w;
	tm_error e;

	ox_account(CORP, "OLDNB$", "old.example");
	ox_classify();
	f = ox_orphan(FIX_DELETE_ACCOUNT);
	ox_world(f, &w);                          /* w.partner.dom NULL */
	ck_assert_msg(health_fix_plan(&w, f, &p, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(p->nsteps, 1);
	ck_assert_str_eq(p->steps[0].account, "OLDNB$");
	ck_assert_str_eq(p->partner, "old.example");
	plan_free(&p);
}
END_TEST

START_TEST(fix_refused_when_in_use_or_gone)
{
	health_finding f;
	tm_plan *p = NULL;
	wf_world w;
	tm_error e;

	ox_account(CORP, "PARTNER$", "partner.example");
	ox_classify();
	f = *ox_orphan(FIX_DELETE_ACCOUNT);
	ox_tdo(CORP, PARTNER, TRUST_DIRECTION_INBOUND);     /* created since */
	ox_world(&f, &w);
	ck_assert_int_eq(health_fix_plan(&w, &f, &p, &e), -1);
	ck_assert_int_eq(e.cls, TM_EREFUSED);
	TU_ASSERT_HAS(e.what, "in use again");
	ck_assert_ptr_null(p);
	X.hd[CORP].side.naccounts = 0;                    /* deleted since */
	ox_world(&f, &w);
	ck_assert_int_eq(health_fix_plan(&w, &f, &p, &e), -1);
	ck_assert_int_eq(e.cls, TM_EFAIL);
	TU_ASSERT_HAS(e.what, "no longer holds the trust account PARTNER$");
}
END_TEST

/* ---- through the embedded store ----------------------------------------------------- */

static tm_backend *be;

static void store_setup(void)
{
	tm_domain c = tu_domain("CORP", DOMAIN_AD, "corp.example", "CORP",
				"S-1-5-21-1004336348-1177238915-682003330", "", LEVEL_2016);
	tm_domain p = tu_domain("PARTNER", DOMAIN_AD, "partner.example", "PARTNER",
				"S-1-5-21-2127521184-1604012920-1887927527", "", LEVEL_2016);

	be = tu_store_open(NULL, 1);
	tu_store_add(be, &c);
	tu_store_add(be, &p);
}

static void store_teardown(void)
{
	be->ops->close(be);
	be = NULL;
	tu_cleanup();
}

/* The findings about CORP (and PARTNER, when partner is set). */
static size_t store_diagnose(const char *partner, health_finding **v)
{
	diag_snapshot s;
	size_t n = 0;
	tm_error e;

	ck_assert_msg(diagnose_gather(be, "CORP", partner, testhooks_now(), 30, &s, &e) == 0, "%s",
		      e.what);
	ck_assert_msg(health_classify(&s.in, v, &n, &e) == 0, "%s", e.what);
	diagnose_free(&s);
	return n;
}

START_TEST(store_tdo_deleted_alone)
{
	health_finding *v = NULL;
	const tm_domain *corp;
	tm_plan *p = NULL;
	world wl;
	tm_error e;
	size_t n;

	/* PARTNER trusts CORP as far as CORP's permit goes: CORP holds a TDO
	 * with the inbound direction and PARTNER's account */
	ck_assert_msg(world_load(be, "CORP", "PARTNER", 0, &wl, &e) == 0, "%s", e.what);
	ck_assert_msg(workflow_permit(&wl.w, &p, &e) == 0, "%s", e.what);
	corp = wl.w.local.dom;
	p->slots[WF_SLOT_TYPED].value = secret_dup("Initial-1");
	ck_assert_msg(exec_run(be, p, 0, NULL, &e) == TM_OK, "%s", e.what);
	plan_free(&p);
	/* the TDO deleted on its own (as over LDAP): the account stays */
	ck_assert_msg(be->ops->tdo_delete(be, corp, "partner.example", &e) == 0, "%s", e.what);
	world_free(&wl);
	n = store_diagnose(NULL, &v);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(health_kind_token(v[0].kind), "orphan-account");
	ck_assert_str_eq(v[0].account, "PARTNER$");
	ck_assert_str_eq(v[0].fix_command, "trustmgr repair CORP PARTNER");
	/* repair: the plan the CLI runs */
	ck_assert_msg(world_load(be, v[0].domain, v[0].partner_domain, 1, &wl, &e) == 0, "%s", e.what);
	ck_assert_msg(health_fix_plan(&wl.w, &v[0], &p, &e) == 0, "%s", e.what);
	world_free(&wl);
	ck_assert_msg(exec_run(be, p, 0, NULL, &e) == TM_OK, "%s", e.what);
	plan_free(&p);
	free(v);
	v = NULL;
	ck_assert_uint_eq(store_diagnose("PARTNER", &v), 0);   /* nothing left */
	free(v);
}
END_TEST

static Suite *orphan_suite(void)
{
	Suite *s = suite_create("health_orphan");
	TCase *tc = tcase_create("classify");
	TCase *tf = tcase_create("fix");
	TCase *ts = tcase_create("store");

	tcase_add_checked_fixture(tc, ox_setup, ox_teardown);
	tcase_add_test(tc, found_no_tdo_anywhere);
	tcase_add_test(tc, found_dates_unknown);
	tcase_add_test(tc, scope_from_either_end);
	tcase_add_test(tc, found_unknown_partner);
	tcase_add_test(tc, found_unknown_partner_tdo_without_inbound);
	tcase_add_test(tc, not_found_when_tdo_uses_it);
	tcase_add_test(tc, found_beside_one_way_trust);
	tcase_add_test(tc, covered_by_one_sided);
	tcase_add_test(tc, absent_without_account_list);
	tcase_add_test(tc, manual_without_account_write);
	tcase_add_test(tc, tokens);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tf, ox_setup, ox_teardown);
	tcase_add_test(tf, covered_recreate_deletes_it);
	tcase_add_test(tf, fix_one_account_delete);
	tcase_add_test(tf, fix_from_partner_end);
	tcase_add_test(tf, fix_unknown_partner);
	tcase_add_test(tf, fix_refused_when_in_use_or_gone);
	suite_add_tcase(s, tf);
	tcase_add_checked_fixture(ts, store_setup, store_teardown);
	tcase_set_timeout(ts, 60);
	tcase_add_test(ts, store_tdo_deleted_alone);
	suite_add_tcase(s, ts);
	return s;
}

int main(void)
{
	return tu_run(orphan_suite());
}
