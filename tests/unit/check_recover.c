/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* check_recover.c - forest recovery and recreate: the plans workflow_recover,
 * workflow_recover_partners and workflow_recreate make (every trust of the domain reset
 * on its side only; the partners at the same key versions; recreate with
 * both sides or with one, and the other administrator's ordered part), and
 * that they work when run against the embedded store. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/exec/exec.h"
#include "backend/store/store.h"
#include "backend/exec/world.h"
#include "model/secret.h"
#include "model/workflow.h"
#include "tests/unit/testutil.h"
#include "model/tdo.h"
#include "model/domain.h"

#define PW "Forest-Recovery-Pw-1"

static tm_backend *be;

/* Plan with the world of a and b, then run it (pw fills the typed slot). */
static int run_wf(int (*fn)(const wf_world *, const wf_options *, tm_plan **, tm_error *),
		  const char *a, const char *b, const wf_options *o)
{
	world wl;
	tm_plan *p = NULL;
	tm_error e;
	int rc;

	ck_assert_msg(world_load(be, a, b, 1, &wl, &e) == 0, "%s", e.what);
	ck_assert_msg(fn(&wl.w, o, &p, &e) == 0, "%s", e.what);
	rc = exec_run(be, p, 0, NULL, &e);
	ck_assert_msg(rc == TM_OK, "%s", e.what);
	plan_free(&p);
	world_free(&wl);
	return rc;
}

static void create(const char *a, const char *b, uint32_t dir, uint32_t type)
{
	wf_options o;

	workflow_options_init(&o);
	o.direction = dir;
	o.type = type;
	run_wf(workflow_create, a, b, &o);
}

static void remove_end(const char *a, const char *b)
{
	wf_options o;

	workflow_options_init(&o);
	run_wf(workflow_remove, a, b, &o);
}

/* CORP <-> SALES two-way, CORP <-> PARTNER two-way, CORP trusts LEGACY. */
static void setup(void)
{
	be = tu_store_open(NULL, 1);
	tu_store_add_four(be);
	create("CORP", "SALES", TRUST_DIRECTION_BIDIRECTIONAL, 0);
	create("CORP", "PARTNER", TRUST_DIRECTION_BIDIRECTIONAL, 0);
	create("CORP", "LEGACY", TRUST_DIRECTION_OUTBOUND, TRUST_TYPE_DOWNLEVEL);
}

static void teardown(void)
{
	be->ops->close(be);
	be = NULL;
	tu_cleanup();
}

static void load_all(const char *home, world_all *wa)
{
	tm_error e;

	ck_assert_msg(world_load_all(be, home, wa, &e) == 0, "%s", e.what);
}

static int run_plan(tm_plan *p, tm_error *e)
{
	p->slots[WF_SLOT_TYPED].value = secret_dup(PW);
	return exec_run(be, p, 0, NULL, e);
}

static wf_peer *peer(world_all *wa, const char *name)
{
	size_t i;

	for (i = 0; i < wa->npeers; i++)
		if (strcmp(wa->peers[i].side.dom->name, name) == 0)
			return &wa->peers[i];
	ck_abort_msg("no peer %s", name);
	return NULL;
}

static size_t count_kind(const tm_plan *p, step_kind k, const char *domain)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsteps; i++)
		n += p->steps[i].kind == k && (!domain || strcmp(p->steps[i].domain, domain) == 0);
	return n;
}

static const wf_check_item *item(const wf_checklist *cl, const char *label)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		if (strcmp(cl->items[i].label, label) == 0)
			return &cl->items[i];
	ck_abort_msg("no checklist item %s", label);
	return NULL;
}

/* The kvno a domain's KDC holds for principal (0 when none). */
static uint32_t kvno_of(const char *domain, const char *principal)
{
	world wl;
	tm_error e;
	uint32_t k = 0;
	size_t i;

	ck_assert_int_eq(world_load(be, domain, NULL, 0, &wl, &e), 0);
	for (i = 0; i < wl.w.local.nkeys; i++)
		if (strcmp(wl.w.local.keys[i].principal, principal) == 0)
			k = wl.w.local.keys[i].kvno;
	world_free(&wl);
	return k;
}

static verify_outcome verify_dir(const char *trusting, const char *trusted)
{
	tm_domain *v = NULL;
	size_t n = 0;
	verify_result r;
	tm_error e;

	ck_assert_int_eq(be->ops->domain_list(be, &v, &n, &e), 0);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(be->ops->verify(be, backend_find_domain(v, n, trusting),
					 backend_find_domain(v, n, trusted), &r, &e), 0);
	free(v);
	return r.outcome;
}

/* Every secret of domain's TDO for partner: current = previous = PW. */
static void assert_reset_to_pw(const char *domain, const char *partner)
{
	world wl;
	tm_error e;
	const tm_tdo *t = NULL;
	const authblob *b[2];
	size_t i;
	int k, w;

	ck_assert_int_eq(world_load(be, domain, NULL, 0, &wl, &e), 0);
	for (i = 0; i < wl.w.local.ntdos; i++)
		if (tdo_matches(&wl.w.local.tdos[i], partner))
			t = &wl.w.local.tdos[i];
	ck_assert_msg(t != NULL, "%s has no TDO for %s", domain, partner);
	b[0] = (t->direction & TRUST_DIRECTION_INBOUND) ? &t->incoming : NULL;
	b[1] = (t->direction & TRUST_DIRECTION_OUTBOUND) ? &t->outgoing : NULL;
	for (k = 0; k < 2; k++)
		for (w = 0; b[k] && w < 2; w++) {
			char *pw = NULL;

			ck_assert_int_eq(authblob_get_password(b[k], w, &pw, &e), 0);
			ck_assert_str_eq(pw, PW);
			secret_free(&pw);
		}
	world_free(&wl);
}

/* ---- recover --------------------------------------------------------------- */

START_TEST(recover_resets_every_trust_one_side)
{
	world_all wa;
	wf_checklist cl;
	tm_plan *p = NULL;
	tm_error e;
	size_t i;

	load_all("CORP", &wa);
	ck_assert_int_eq(wa.npeers, 3);
	ck_assert_msg(workflow_recover(&wa.m, &p, &cl, &e) == 0, "%s", e.what);
	ck_assert_str_eq(p->op, "recover");
	ck_assert_str_eq(p->domain, "CORP");
	ck_assert_uint_eq(plan_domain_count(p), 1);      /* CORP's side only */
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, "CORP"), 3);
	ck_assert_uint_eq(count_kind(p, STEP_KEY_SET, "CORP"), 5);     /* 2 + 2 + 1 */
	ck_assert_uint_eq(count_kind(p, STEP_HEALTH, "CORP"), 3);
	ck_assert_uint_eq(count_kind(p, STEP_VERIFY, NULL), 0);
	ck_assert_int_eq(p->slots[WF_SLOT_TYPED].source, SLOT_SUPPLIED);
	ck_assert_int_eq(p->slots[WF_SLOT_NEW_OUT].source, SLOT_UNUSED);
	for (i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];

		if (s->kind == STEP_TDO_PUT) {
			ck_assert(s->out.action == BLOB_RESET_TWICE);
			ck_assert_int_eq(s->out.slot, WF_SLOT_TYPED);
			ck_assert(s->in.action == ((s->tdo.direction & TRUST_DIRECTION_INBOUND) ?
						   BLOB_RESET_TWICE : BLOB_KEEP));
		}
		if (s->kind == STEP_KEY_SET) {
			ck_assert_int_eq(s->slot, WF_SLOT_TYPED);
			ck_assert_uint_eq(s->kvno, 2);          /* one above both sides' 1 */
			ck_assert_int_eq(s->keep_previous, 0);
		}
	}
	/* The checklist: every trust, its steps, its partner managed here. */
	ck_assert_uint_eq(cl.n, 3);
	ck_assert_int_eq(item(&cl, "SALES")->state, WF_PARTNER_MANAGED);
	ck_assert_uint_eq(item(&cl, "SALES")->direction, TRUST_DIRECTION_BIDIRECTIONAL);
	ck_assert_uint_eq(item(&cl, "SALES")->nsteps, 4);
	ck_assert_uint_eq(item(&cl, "LEGACY")->nsteps, 3);
	ck_assert_uint_eq(item(&cl, "LEGACY")->type, TRUST_TYPE_DOWNLEVEL);
	for (i = 0; i < cl.n; i++)
		ck_assert_str_eq(p->steps[cl.items[i].first_step].partner, cl.items[i].partner);
	ck_assert_ptr_nonnull(strstr(p->success, "Managed here: SALES, PARTNER and LEGACY"));
	ck_assert_ptr_nonnull(strstr(p->success, "trustmgr recover-partners CORP"));
	plan_free(&p);
	world_all_free(&wa);
}
END_TEST

START_TEST(recover_then_partners_verify)
{
	world_all wa;
	wf_checklist cl;
	tm_plan *p = NULL;
	tm_error e;
	size_t i;

	load_all("CORP", &wa);
	ck_assert_int_eq(workflow_recover(&wa.m, &p, NULL, &e), 0);
	ck_assert_msg(run_plan(p, &e) == TM_OK, "%s", e.what);
	plan_free(&p);
	world_all_free(&wa);
	assert_reset_to_pw("CORP", "sales.corp.example");
	assert_reset_to_pw("CORP", "LEGACY");
	ck_assert_int_ne(verify_dir("CORP", "SALES"), VERIFY_OK);
	ck_assert_int_ne(verify_dir("PARTNER", "CORP"), VERIFY_OK);
	ck_assert_int_ne(verify_dir("CORP", "LEGACY"), VERIFY_OK);

	load_all("CORP", &wa);
	ck_assert_msg(workflow_recover_partners(&wa.m, NULL, &p, &cl, &e) == 0, "%s", e.what);
	ck_assert_str_eq(p->op, "recover-partners");
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, "CORP"), 0);
	ck_assert_uint_eq(count_kind(p, STEP_KEY_SET, "CORP"), 0);
	ck_assert_uint_eq(plan_domain_count(p), 3);
	ck_assert_uint_eq(count_kind(p, STEP_VERIFY, NULL), 5);
	for (i = 0; i < p->nsteps; i++) {
		if (p->steps[i].kind == STEP_VERIFY)
			ck_assert_int_eq(p->steps[i].optional, 1);
		if (p->steps[i].kind == STEP_KEY_SET)   /* CORP's key version exactly */
			ck_assert_uint_eq(p->steps[i].kvno, kvno_of("CORP", p->steps[i].principal));
	}
	ck_assert_uint_eq(cl.n, 3);
	ck_assert_msg(run_plan(p, &e) == TM_OK, "%s", e.what);
	ck_assert_ptr_nonnull(strstr(e.what, "SALES, PARTNER and LEGACY now hold the same password"));
	plan_free(&p);
	world_all_free(&wa);
	assert_reset_to_pw("SALES", "corp.example");
	assert_reset_to_pw("LEGACY", "CORP");
	ck_assert_int_eq(verify_dir("CORP", "SALES"), VERIFY_OK);
	ck_assert_int_eq(verify_dir("SALES", "CORP"), VERIFY_OK);
	ck_assert_int_eq(verify_dir("CORP", "PARTNER"), VERIFY_OK);
	ck_assert_int_eq(verify_dir("PARTNER", "CORP"), VERIFY_OK);
	ck_assert_int_eq(verify_dir("CORP", "LEGACY"), VERIFY_OK);
}
END_TEST

START_TEST(recover_partners_one_and_states)
{
	world_all wa;
	wf_checklist cl;
	tm_plan *p = NULL;
	tm_error e;

	load_all("CORP", &wa);
	/* Only LEGACY. */
	ck_assert_int_eq(workflow_recover_partners(&wa.m, "LEGACY", &p, &cl, &e), 0);
	ck_assert_uint_eq(cl.n, 1);
	ck_assert_uint_eq(plan_domain_count(p), 1);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, "LEGACY"), 1);
	ck_assert_str_eq(p->partner, "LEGACY");
	plan_free(&p);
	/* PARTNER not managed here, SALES's servers down. */
	peer(&wa, "PARTNER")->side.writable = 0;
	peer(&wa, "SALES")->read = 0;
	snprintf(peer(&wa, "SALES")->problem, sizeof(peer(&wa, "SALES")->problem), "ldap://dc1 did not answer");
	ck_assert_int_eq(workflow_recover(&wa.m, &p, &cl, &e), 0);
	ck_assert_int_eq(item(&cl, "PARTNER")->state, WF_PARTNER_ELSEWHERE);
	ck_assert_int_eq(item(&cl, "SALES")->state, WF_PARTNER_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(p->success, "Not managed here: PARTNER; its administrator runs "
				     "'trustmgr reset-one-side PARTNER CORP'"));
	ck_assert_ptr_nonnull(strstr(p->success, "Managed here: SALES and LEGACY"));
	plan_free(&p);
	ck_assert_int_eq(workflow_recover_partners(&wa.m, NULL, &p, &cl, &e), 0);
	ck_assert_uint_eq(plan_domain_count(p), 1);          /* LEGACY only */
	ck_assert_uint_eq(item(&cl, "PARTNER")->nsteps, 0);
	ck_assert_ptr_nonnull(strstr(p->success, "SALES did not answer"));
	plan_free(&p);
	ck_assert_int_eq(workflow_recover_partners(&wa.m, "PARTNER", &p, NULL, &e), -1);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	ck_assert_ptr_nonnull(strstr(e.next, "trustmgr reset-one-side PARTNER CORP"));
	ck_assert_int_eq(workflow_recover_partners(&wa.m, "SALES", &p, NULL, &e), -1);
	ck_assert_int_eq(e.cls, TM_EBACKEND);
	ck_assert_ptr_nonnull(strstr(e.what, "ldap://dc1 did not answer"));
	/* The domain itself must be writable here. */
	wa.m.home.writable = 0;
	ck_assert_int_eq(workflow_recover(&wa.m, &p, NULL, &e), -1);
	ck_assert_int_eq(e.cls, TM_EUSAGE);
	world_all_free(&wa);
}
END_TEST

START_TEST(recover_one_sided_partner)
{
	world_all wa;
	wf_checklist cl;
	tm_plan *p = NULL;
	tm_error e;

	remove_end("PARTNER", "CORP");           /* broken at PARTNER's end */
	load_all("CORP", &wa);
	ck_assert_int_eq(workflow_recover(&wa.m, &p, &cl, &e), 0);
	ck_assert_int_eq(item(&cl, "PARTNER")->state, WF_PARTNER_ONE_SIDED);
	ck_assert_ptr_nonnull(strstr(p->success, "trustmgr recreate CORP PARTNER"));
	plan_free(&p);
	ck_assert_int_eq(workflow_recover_partners(&wa.m, "PARTNER", &p, NULL, &e), -1);
	ck_assert_str_eq(e.status, ST_DOMAIN_TRUST_INCONSISTENT);
	world_all_free(&wa);
}
END_TEST

/* Pure model: too many trusts for one plan is refused with a way out. */
START_TEST(recover_too_many_trusts)
{
	tm_domain home;
	tm_tdo tdos[WF_CHECK_MAX + 1];
	wf_multi m;
	tm_plan *p = NULL, *q;
	tm_error e;
	char *text = NULL;
	size_t i;

	domain_init(&home);
	snprintf(home.name, sizeof(home.name), "BIG");
	snprintf(home.dns, sizeof(home.dns), "big.example");
	snprintf(home.realm, sizeof(home.realm), "BIG.EXAMPLE");
	memset(&m, 0, sizeof(m));
	for (i = 0; i < WF_CHECK_MAX + 1; i++) {
		tdo_init(&tdos[i]);
		snprintf(tdos[i].partner, sizeof(tdos[i].partner), "p%zu.example", i);
		tdos[i].direction = TRUST_DIRECTION_OUTBOUND;
		tdos[i].type = TRUST_TYPE_MIT;
	}
	m.domains = &home;
	m.ndomains = 1;
	m.home.dom = &home;
	m.home.writable = 1;
	m.home.tdos = tdos;
	m.home.ntdos = WF_CHECK_MAX + 1;
	ck_assert_int_eq(workflow_recover(&m, &p, NULL, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "more than trustmgr resets in one plan"));
	ck_assert_ptr_nonnull(strstr(e.next, "reset-one-side BIG"));
	m.home.ntdos = 12;                       /* 12 x 3 steps fit */
	ck_assert_int_eq(workflow_recover(&m, &p, NULL, &e), 0);
	ck_assert_uint_eq(p->nsteps, 36);
	/* More steps than the old limit of 24 round-trip through the journal. */
	ck_assert_int_eq(plan_serialize(p, &text), 0);
	q = plan_parse(text, &e);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(q->nsteps, 36);
	ck_assert_str_eq(q->success, p->success);
	plan_free(&q);
	free(text);
	plan_free(&p);
	m.home.ntdos = 0;
	ck_assert_int_eq(workflow_recover(&m, &p, NULL, &e), -1);
	ck_assert_str_eq(e.status, ST_OBJECT_NAME_NOT_FOUND);
}
END_TEST

/* ---- recreate -------------------------------------------------------------- */

START_TEST(recreate_both_sides)
{
	world wl;
	wf_handoff h;
	tm_plan *p = NULL;
	tm_error e;

	create("SALES", "PARTNER", TRUST_DIRECTION_OUTBOUND, 0);
	remove_end("PARTNER", "SALES");          /* the demo's broken trust */
	ck_assert_int_ne(verify_dir("SALES", "PARTNER"), VERIFY_OK);
	ck_assert_int_eq(world_load(be, "SALES", "PARTNER", 1, &wl, &e), 0);
	ck_assert_msg(workflow_recreate(&wl.w, &p, &h, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_str_eq(p->op, "recreate");
	ck_assert_uint_eq(count_kind(p, STEP_TDO_DELETE, "SALES"), 1);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_DELETE, "PARTNER"), 0);   /* nothing left there */
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, "SALES"), 1);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, "PARTNER"), 1);
	ck_assert_uint_eq(count_kind(p, STEP_VERIFY, NULL), 1);
	ck_assert_int_eq(p->slots[WF_SLOT_NEW_OUT].source, SLOT_GENERATED);
	ck_assert_int_eq(p->slots[WF_SLOT_TYPED].source, SLOT_UNUSED);
	ck_assert_msg(exec_run(be, p, 0, NULL, &e) == TM_OK, "%s", e.what);
	plan_free(&p);
	world_free(&wl);
	ck_assert_int_eq(verify_dir("SALES", "PARTNER"), VERIFY_OK);
}
END_TEST

/* The world of local and partner with the partner not writable here. */
static void load_one_side(const char *local, const char *partner, world *wl)
{
	tm_error e;

	ck_assert_int_eq(world_load(be, local, partner, 1, wl, &e), 0);
	memset(&wl->w.partner, 0, sizeof(wl->w.partner));
	wl->w.partner.dom = backend_find_domain(wl->domains, wl->ndomains, partner);
	wl->w.partner.writable = 0;
}

static size_t handoff_at(const wf_handoff *h, const char *command)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->steps[i].command, command) == 0)
			return i;
	ck_abort_msg("no instruction '%s'", command);
	return 0;
}

START_TEST(recreate_one_side_trusting)
{
	world wl;
	wf_handoff h;
	tm_plan *p = NULL;
	tm_error e;

	/* CORP trusts LEGACY; LEGACY is someone else's. */
	load_one_side("CORP", "LEGACY", &wl);
	ck_assert_msg(workflow_recreate(&wl.w, &p, &h, &e) == 0, "%s", e.what);
	/* The plan only removes this end: never the trusting side first. */
	ck_assert_uint_eq(plan_domain_count(p), 1);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_DELETE, "CORP"), 1);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, NULL), 0);
	ck_assert_uint_eq(count_kind(p, STEP_KEY_SET, NULL), 0);
	ck_assert_uint_eq(count_kind(p, STEP_ACCOUNT_PUT, NULL), 0);
	/* LEGACY removes what is left and permits; then CORP trusts. */
	ck_assert_uint_eq(h.n, 3);
	ck_assert_str_eq(h.steps[0].who, "LEGACY");
	ck_assert_str_eq(h.steps[0].command, "trustmgr remove LEGACY CORP --direction inbound");
	ck_assert_int_eq(h.steps[0].optional, 1);
	ck_assert_str_eq(h.steps[1].who, "LEGACY");
	ck_assert_str_eq(h.steps[1].command, "trustmgr permit LEGACY CORP");
	ck_assert_str_eq(h.steps[2].who, "CORP");
	ck_assert_str_eq(h.steps[2].command, "trustmgr trust CORP LEGACY");
	ck_assert_ptr_nonnull(strstr(p->success, "2. LEGACY's administrator: trustmgr permit LEGACY CORP; "
				     "3. CORP's administrator: trustmgr trust CORP LEGACY."));
	plan_free(&p);
	world_free(&wl);
}
END_TEST

START_TEST(recreate_one_side_trusted)
{
	world wl;
	wf_handoff h;
	tm_plan *p = NULL;
	tm_error e;
	size_t i;

	/* From LEGACY's view the trust is inbound (CORP trusts LEGACY) and CORP
	 * is not writable: LEGACY removes its end and permits CORP again. */
	load_one_side("LEGACY", "CORP", &wl);
	ck_assert_msg(workflow_recreate(&wl.w, &p, &h, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(plan_domain_count(p), 1);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_DELETE, "LEGACY"), 1);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, "LEGACY"), 1);
	ck_assert_uint_eq(count_kind(p, STEP_ACCOUNT_PUT, "LEGACY"), 1);
	ck_assert_int_eq(p->slots[WF_SLOT_TYPED].source, SLOT_SUPPLIED);
	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == STEP_TDO_PUT) {
			ck_assert_uint_eq(p->steps[i].tdo.direction, TRUST_DIRECTION_INBOUND);
			ck_assert_uint_eq(p->steps[i].tdo.type, TRUST_TYPE_DOWNLEVEL);
			ck_assert(p->steps[i].in.action == BLOB_FRESH);
		}
	ck_assert_uint_eq(h.n, 2);
	ck_assert_str_eq(h.steps[0].command, "trustmgr remove CORP LEGACY --direction outbound");
	ck_assert_str_eq(h.steps[1].command, "trustmgr trust CORP LEGACY");
	ck_assert_str_eq(h.steps[1].who, "CORP");
	ck_assert_msg(run_plan(p, &e) == TM_OK, "%s", e.what);
	plan_free(&p);
	world_free(&wl);
}
END_TEST

START_TEST(recreate_one_side_two_way)
{
	world wl;
	wf_handoff h;
	tm_plan *p = NULL;
	tm_error e;

	load_one_side("CORP", "PARTNER", &wl);
	ck_assert_msg(workflow_recreate(&wl.w, &p, &h, &e) == 0, "%s", e.what);
	ck_assert_uint_eq(count_kind(p, STEP_TDO_PUT, "CORP"), 1);   /* CORP permits PARTNER */
	ck_assert_uint_eq(count_kind(p, STEP_ACCOUNT_PUT, "CORP"), 1);
	ck_assert_str_eq(h.steps[0].command, "trustmgr remove PARTNER CORP");
	/* Permit before trust in each direction; CORP trusts last. */
	ck_assert_uint_lt(handoff_at(&h, "trustmgr permit PARTNER CORP"),
			  handoff_at(&h, "trustmgr trust CORP PARTNER"));
	ck_assert_uint_lt(handoff_at(&h, "trustmgr trust PARTNER CORP"),
			  handoff_at(&h, "trustmgr trust CORP PARTNER"));
	ck_assert_uint_eq(handoff_at(&h, "trustmgr trust CORP PARTNER"), h.n - 1);
	plan_free(&p);
	world_free(&wl);
}
END_TEST

START_TEST(recreate_nothing_left)
{
	world wl;
	tm_plan *p = NULL;
	tm_error e;
	wf_options o;

	workflow_options_init(&o);
	o.remove_sides_both = 1;
	run_wf(workflow_remove, "CORP", "SALES", &o);
	ck_assert_int_eq(world_load(be, "CORP", "SALES", 1, &wl, &e), 0);
	ck_assert_int_eq(workflow_recreate(&wl.w, &p, NULL, &e), -1);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(e.cls, TM_EREFUSED);
	ck_assert_ptr_nonnull(strstr(e.next, "trustmgr create CORP SALES"));
	world_free(&wl);
}
END_TEST

static Suite *recover_suite(void)
{
	Suite *s = suite_create("recover");
	TCase *tc = tcase_create("recover");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, recover_resets_every_trust_one_side);
	tcase_add_test(tc, recover_then_partners_verify);
	tcase_add_test(tc, recover_partners_one_and_states);
	tcase_add_test(tc, recover_one_sided_partner);
	tcase_add_test(tc, recover_too_many_trusts);
	tcase_add_test(tc, recreate_both_sides);
	tcase_add_test(tc, recreate_one_side_trusting);
	tcase_add_test(tc, recreate_one_side_trusted);
	tcase_add_test(tc, recreate_one_side_two_way);
	tcase_add_test(tc, recreate_nothing_left);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(recover_suite());
}
