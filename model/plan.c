/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* plan.c - plans: building, describing and (de)serialising them.
 *
 * Serialised form (the journal keeps it): one record per line,
 *   plan op=... domain=... partner=...
 *   meta summary=... success=... outcome=N status=... what=... next=...
 *   slot i=N source=N label=...
 *   step kind=... key=value ...
 * Values are percent-encoded (bytes <= 0x20, '%', '=', >= 0x7f), so a line
 * splits on spaces and each field on its first '='.  No slot value is ever
 * written.
 */
#include "model/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/grow.h"
#include "model/hex.h"
#include "model/secret.h"
#include "model/tdo.h"

static const char *const step_tokens[] = {
	[STEP_PROVE] = "prove",
	[STEP_TDO_PUT] = "tdo-put",
	[STEP_TDO_DELETE] = "tdo-delete",
	[STEP_KEY_SET] = "key-set",
	[STEP_KEY_DELETE] = "key-delete",
	[STEP_ACCOUNT_PUT] = "account-put",
	[STEP_ACCOUNT_DELETE] = "account-delete",
	[STEP_HEALTH] = "health",
	[STEP_VERIFY] = "verify",
	[STEP_KEY_CHANGE] = "key-change",
	[STEP_KEY_PLAIN] = "key-plain",
	[STEP_SUFFIXES_SET] = "suffixes",
};
#define STEP_KINDS (sizeof(step_tokens) / sizeof(step_tokens[0]))

tm_plan *plan_new(const char *op, const char *domain, const char *partner)
{
	tm_plan *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	snprintf(p->op, sizeof(p->op), "%s", op ? op : "");
	snprintf(p->domain, sizeof(p->domain), "%s", domain ? domain : "");
	snprintf(p->partner, sizeof(p->partner), "%s", partner ? partner : "");
	return p;
}

void plan_free(tm_plan **pp)
{
	tm_plan *p;
	size_t i;

	if (!pp || !*pp)
		return;
	p = *pp;
	for (i = 0; i < PLAN_MAX_SLOTS; i++)
		secret_free(&p->slots[i].value);
	for (i = 0; i < p->nsteps; i++)
		tdo_free(&p->steps[i].tdo);
	free(p);
	*pp = NULL;
}

plan_step *plan_add(tm_plan *p, step_kind kind, const char *domain, const char *fmt, ...)
{
	plan_step *s;
	va_list ap;

	if (p->nsteps >= PLAN_MAX_STEPS)
		return NULL;
	s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof(*s));
	tdo_init(&s->tdo);
	s->kind = kind;
	s->slot = -1;
	s->slot_new = -1;
	s->in.slot = -1;
	s->out.slot = -1;
	snprintf(s->domain, sizeof(s->domain), "%s", domain ? domain : "");
	va_start(ap, fmt);
	vsnprintf(s->text, sizeof(s->text), fmt, ap);
	va_end(ap);
	return s;
}

int plan_slot(tm_plan *p, int i, slot_source src, const char *label)
{
	p->slots[i].source = src;
	snprintf(p->slots[i].label, sizeof(p->slots[i].label), "%s", label);
	return i;
}

int plan_mutates(const tm_plan *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind != STEP_VERIFY)
			return 1;
	return 0;
}

/* Is step i the first (non-verify) step acting on its domain? */
static int plan_first_of_domain(const tm_plan *p, size_t i)
{
	size_t j;

	if (p->steps[i].kind == STEP_VERIFY)
		return 0;
	for (j = 0; j < i; j++)
		if (p->steps[j].kind != STEP_VERIFY &&
		    strcmp(p->steps[j].domain, p->steps[i].domain) == 0)
			return 0;
	return 1;
}

size_t plan_domain_count(const tm_plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nsteps; i++)
		n += (size_t)plan_first_of_domain(p, i);
	return n;
}

void plan_domain_names(const tm_plan *p, const char *sep, const char *last_sep, char *buf,
		       size_t n)
{
	size_t i, len = 0, count = 0, total = plan_domain_count(p);

	buf[0] = '\0';
	for (i = 0; i < p->nsteps && len < n; i++) {
		int w;

		if (!plan_first_of_domain(p, i))
			continue;
		count++;
		w = snprintf(buf + len, n - len, "%s%s",
			     count == 1 ? "" : count == total ? last_sep : sep, p->steps[i].domain);
		if (w < 0 || (size_t)w >= n - len) {
			buf[len] = '\0';      /* a name that does not fit is left out whole */
			break;
		}
		len += (size_t)w;
	}
}

const char *plan_step_token(step_kind k)
{
	if ((size_t)k < STEP_KINDS && step_tokens[k])
		return step_tokens[k];
	return "unknown";
}

/* ---- serialising ------------------------------------------------------ */

typedef struct sbuf {
	char *s;
	size_t len, cap;
	int failed;
} sbuf;

static void sb_putc(sbuf *b, char c)
{
	char *n;

	if (b->failed)
		return;
	if (!(n = grow_array(b->s, &b->cap, b->len + 2, 1, 1024))) {
		b->failed = 1;
		return;
	}
	b->s = n;
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

static void sb_field(sbuf *b, const char *key, const char *val)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *v = (const unsigned char *)val;

	sb_putc(b, ' ');
	sb_puts(b, key);
	sb_putc(b, '=');
	for (; *v; v++) {
		if (*v <= 0x20 || *v >= 0x7f || *v == '%' || *v == '=') {
			sb_putc(b, '%');
			sb_putc(b, hex[*v >> 4]);
			sb_putc(b, hex[*v & 15]);
		} else {
			sb_putc(b, (char)*v);
		}
	}
}

static void sb_num(sbuf *b, const char *key, long long v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", v);
	sb_field(b, key, tmp);
}

static void sb_blob(sbuf *b, const char *key, const blob_change *c)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "%d:%d:%u", (int)c->action, c->slot, c->kvno);
	sb_field(b, key, tmp);
}

static void sb_hex(sbuf *b, const char *key, const uint8_t *data, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	sb_putc(b, ' ');
	sb_puts(b, key);
	sb_putc(b, '=');
	for (i = 0; i < n; i++) {
		sb_putc(b, hex[data[i] >> 4]);
		sb_putc(b, hex[data[i] & 15]);
	}
}

static void plan_ser_tdo(sbuf *b, const tm_tdo *t)
{
	char sid[SID_TEXT_MAX];

	sb_field(b, "t.partner", t->partner);
	sb_field(b, "t.flat", t->flat);
	if (t->has_sid)
		sb_field(b, "t.sid", sid_format(&t->sid, sid, sizeof(sid)));
	sb_num(b, "t.dir", t->direction);
	sb_num(b, "t.type", t->type);
	sb_num(b, "t.attr", t->attributes);
	if (t->has_enctypes)
		sb_num(b, "t.enc", t->enctypes);
	sb_num(b, "t.posix", t->posix_offset);
	if (t->ftinfo_len)
		sb_hex(b, "t.fti", t->ftinfo, t->ftinfo_len);
}

static void plan_ser_step(sbuf *b, const plan_step *s)
{
	sb_puts(b, "step");
	sb_field(b, "kind", plan_step_token(s->kind));
	sb_field(b, "domain", s->domain);
	sb_field(b, "partner", s->partner);
	if (s->kind == STEP_TDO_PUT) {
		plan_ser_tdo(b, &s->tdo);
		sb_blob(b, "in", &s->in);
		sb_blob(b, "out", &s->out);
	}
	if (s->kind == STEP_SUFFIXES_SET) {
		sb_field(b, "upn", s->upn);
		sb_field(b, "spn", s->spn);
	}
	sb_field(b, "principal", s->principal);
	sb_num(b, "slot", s->slot);
	sb_num(b, "slot2", s->slot_new);
	sb_num(b, "kvno", s->kvno);
	sb_num(b, "enctypes", s->enctypes);
	sb_num(b, "keep", s->keep_previous);
	sb_field(b, "account", s->account);
	sb_num(b, "health", s->health);
	sb_field(b, "trusting", s->trusting);
	sb_field(b, "trusted", s->trusted);
	sb_num(b, "optional", s->optional);
	sb_field(b, "text", s->text);
	sb_putc(b, '\n');
}

int plan_serialize(const tm_plan *p, char **out)
{
	sbuf b = { 0 };
	size_t i;

	sb_puts(&b, "plan");
	sb_field(&b, "op", p->op);
	sb_field(&b, "domain", p->domain);
	sb_field(&b, "partner", p->partner);
	sb_puts(&b, "\nmeta");
	sb_field(&b, "summary", p->summary);
	sb_field(&b, "success", p->success);
	sb_num(&b, "outcome", p->outcome);
	sb_field(&b, "status", p->outcome_status ? p->outcome_status : "");
	sb_field(&b, "what", p->outcome_what);
	sb_field(&b, "next", p->outcome_next);
	sb_putc(&b, '\n');
	for (i = 0; i < PLAN_MAX_SLOTS; i++) {
		if (p->slots[i].source == SLOT_UNUSED)
			continue;
		sb_puts(&b, "slot");
		sb_num(&b, "i", (long long)i);
		sb_num(&b, "source", p->slots[i].source);
		sb_field(&b, "label", p->slots[i].label);
		sb_putc(&b, '\n');
	}
	for (i = 0; i < p->nsteps; i++)
		plan_ser_step(&b, &p->steps[i]);
	if (b.failed || !b.s) {
		free(b.s);
		return -1;
	}
	*out = b.s;
	return 0;
}

/* ---- parsing ---------------------------------------------------------- */

/* Percent-decode src (length n) into dst of size cap; -1 on bad input. */
static int pct_decode(const char *src, size_t n, char *dst, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)src[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hex_digit(src[i + 1]);
			lo = hex_digit(src[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		}
		if (k + 1 >= cap)
			return -1;
		dst[k++] = (char)c;
	}
	dst[k] = '\0';
	return 0;
}

typedef struct field {
	char key[32];
	char val[PLAN_TEXT_MAX * 3];
} field;

/* Split the next " key=value" off *cur; 0 ok, 1 end of line, -1 bad. */
static int next_field(const char **cur, field *f)
{
	const char *p = *cur, *eq, *end;

	while (*p == ' ')
		p++;
	if (*p == '\0' || *p == '\n')
		return 1;
	end = p + strcspn(p, " \n");
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq || (size_t)(eq - p) >= sizeof(f->key))
		return -1;
	memcpy(f->key, p, (size_t)(eq - p));
	f->key[eq - p] = '\0';
	if (pct_decode(eq + 1, (size_t)(end - eq - 1), f->val, sizeof(f->val)) < 0)
		return -1;
	*cur = end;
	return 0;
}

static int parse_ll(const char *s, long long *out)
{
	char *end;

	*out = strtoll(s, &end, 10);
	return (*s && *end == '\0') ? 0 : -1;
}

static int parse_blob(const char *s, blob_change *c)
{
	int action, slot;
	unsigned int kvno;

	if (sscanf(s, "%d:%d:%u", &action, &slot, &kvno) != 3 ||
	    action < BLOB_KEEP || action > BLOB_RESET_TWICE ||
	    slot < -1 || slot >= PLAN_MAX_SLOTS)
		return -1;
	c->action = (blob_action)action;
	c->slot = slot;
	c->kvno = kvno;
	return 0;
}

static int parse_hexbytes(const char *s, tm_tdo *t)
{
	size_t n = strlen(s), i;

	if (n % 2)
		return -1;
	free(t->ftinfo);
	t->ftinfo = malloc(n / 2 ? n / 2 : 1);
	if (!t->ftinfo)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		t->ftinfo[i] = (uint8_t)(hi << 4 | lo);
	}
	t->ftinfo_len = n / 2;
	return 0;
}

static int copy_str(char *dst, size_t cap, const char *src)
{
	if (strlen(src) >= cap)
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

static int step_kind_parse(const char *s, step_kind *k)
{
	size_t i;

	for (i = 0; i < STEP_KINDS; i++)
		if (step_tokens[i] && strcmp(step_tokens[i], s) == 0) {
			*k = (step_kind)i;
			return 0;
		}
	return -1;
}

static int plan_tdo_field(tm_tdo *t, const field *f)
{
	long long v = 0;
	const char *k = f->key + 2;

	if (strcmp(k, "partner") == 0)
		return copy_str(t->partner, sizeof(t->partner), f->val);
	if (strcmp(k, "flat") == 0)
		return copy_str(t->flat, sizeof(t->flat), f->val);
	if (strcmp(k, "sid") == 0) {
		t->has_sid = 1;
		return sid_parse(f->val, &t->sid, NULL);
	}
	if (strcmp(k, "fti") == 0)
		return parse_hexbytes(f->val, t);
	if (parse_ll(f->val, &v) < 0)
		return -1;
	if (strcmp(k, "dir") == 0)
		t->direction = (uint32_t)v;
	else if (strcmp(k, "type") == 0)
		t->type = (uint32_t)v;
	else if (strcmp(k, "attr") == 0)
		t->attributes = (uint32_t)v;
	else if (strcmp(k, "enc") == 0) {
		t->enctypes = (uint32_t)v;
		t->has_enctypes = 1;
	} else if (strcmp(k, "posix") == 0)
		t->posix_offset = (int32_t)v;
	else
		return -1;
	return 0;
}

static int plan_step_num(plan_step *s, const field *f)
{
	long long v;

	if (parse_ll(f->val, &v) < 0)
		return -1;
	if (strcmp(f->key, "slot") == 0 && v >= -1 && v < PLAN_MAX_SLOTS)
		s->slot = (int)v;
	else if (strcmp(f->key, "slot2") == 0 && v >= -1 && v < PLAN_MAX_SLOTS)
		s->slot_new = (int)v;
	else if (strcmp(f->key, "kvno") == 0)
		s->kvno = (uint32_t)v;
	else if (strcmp(f->key, "enctypes") == 0)
		s->enctypes = (uint32_t)v;
	else if (strcmp(f->key, "keep") == 0)
		s->keep_previous = v != 0;
	else if (strcmp(f->key, "health") == 0 && v >= 0 && v <= HEALTH_CHANCE_USED)
		s->health = (tm_health)v;
	else if (strcmp(f->key, "optional") == 0)
		s->optional = v != 0;
	else
		return -1;
	return 0;
}

static int plan_step_field(plan_step *s, const field *f)
{
	if (strncmp(f->key, "t.", 2) == 0)
		return plan_tdo_field(&s->tdo, f);
	if (strcmp(f->key, "kind") == 0)
		return step_kind_parse(f->val, &s->kind);
	if (strcmp(f->key, "domain") == 0)
		return copy_str(s->domain, sizeof(s->domain), f->val);
	if (strcmp(f->key, "partner") == 0)
		return copy_str(s->partner, sizeof(s->partner), f->val);
	if (strcmp(f->key, "principal") == 0)
		return copy_str(s->principal, sizeof(s->principal), f->val);
	if (strcmp(f->key, "account") == 0)
		return copy_str(s->account, sizeof(s->account), f->val);
	if (strcmp(f->key, "upn") == 0)
		return copy_str(s->upn, sizeof(s->upn), f->val);
	if (strcmp(f->key, "spn") == 0)
		return copy_str(s->spn, sizeof(s->spn), f->val);
	if (strcmp(f->key, "trusting") == 0)
		return copy_str(s->trusting, sizeof(s->trusting), f->val);
	if (strcmp(f->key, "trusted") == 0)
		return copy_str(s->trusted, sizeof(s->trusted), f->val);
	if (strcmp(f->key, "text") == 0)
		return copy_str(s->text, sizeof(s->text), f->val);
	if (strcmp(f->key, "in") == 0)
		return parse_blob(f->val, &s->in);
	if (strcmp(f->key, "out") == 0)
		return parse_blob(f->val, &s->out);
	return plan_step_num(s, f);
}

static int plan_head_field(tm_plan *p, const field *f)
{
	long long v;

	if (strcmp(f->key, "op") == 0)
		return copy_str(p->op, sizeof(p->op), f->val);
	if (strcmp(f->key, "domain") == 0)
		return copy_str(p->domain, sizeof(p->domain), f->val);
	if (strcmp(f->key, "partner") == 0)
		return copy_str(p->partner, sizeof(p->partner), f->val);
	if (strcmp(f->key, "summary") == 0)
		return copy_str(p->summary, sizeof(p->summary), f->val);
	if (strcmp(f->key, "success") == 0)
		return copy_str(p->success, sizeof(p->success), f->val);
	if (strcmp(f->key, "what") == 0)
		return copy_str(p->outcome_what, sizeof(p->outcome_what), f->val);
	if (strcmp(f->key, "next") == 0)
		return copy_str(p->outcome_next, sizeof(p->outcome_next), f->val);
	if (strcmp(f->key, "status") == 0) {
		p->outcome_status = error_status_intern(f->val);
		return 0;
	}
	if (strcmp(f->key, "outcome") == 0 && parse_ll(f->val, &v) == 0 &&
	    v >= TM_OK && v <= TM_EBACKEND) {
		p->outcome = (tm_class)v;
		return 0;
	}
	return -1;
}

static int plan_slot_line(tm_plan *p, const char *cur)
{
	field f;
	long long i = -1, src = 0;
	char label[64] = "";
	int r;

	while ((r = next_field(&cur, &f)) == 0) {
		if (strcmp(f.key, "i") == 0 && parse_ll(f.val, &i) < 0)
			return -1;
		if (strcmp(f.key, "source") == 0 && parse_ll(f.val, &src) < 0)
			return -1;
		if (strcmp(f.key, "label") == 0 && copy_str(label, sizeof(label), f.val) < 0)
			return -1;
	}
	if (r < 0 || i < 0 || i >= PLAN_MAX_SLOTS || src <= SLOT_UNUSED || src > SLOT_SUPPLIED)
		return -1;
	plan_slot(p, (int)i, (slot_source)src, label);
	return 0;
}

static int plan_parse_line(tm_plan *p, const char *line)
{
	const char *cur = line + strcspn(line, " \n");
	field f;
	int r;

	if (strncmp(line, "slot ", 5) == 0)
		return plan_slot_line(p, cur);
	if (strncmp(line, "step ", 5) == 0) {
		plan_step *s = plan_add(p, STEP_VERIFY, "", "%s", "");

		if (!s)
			return -1;
		while ((r = next_field(&cur, &f)) == 0)
			if (plan_step_field(s, &f) < 0)
				return -1;
		return r < 0 ? -1 : 0;
	}
	if (strncmp(line, "plan ", 5) != 0 && strncmp(line, "meta ", 5) != 0)
		return 1;              /* not ours: the journal's own lines */
	while ((r = next_field(&cur, &f)) == 0)
		if (plan_head_field(p, &f) < 0)
			return -1;
	return r < 0 ? -1 : 0;
}

tm_plan *plan_parse(const char *text, tm_error *e)
{
	tm_plan *p = plan_new("", "", "");
	const char *line = text;
	int lineno = 1;

	if (!p) {
		error_fail(e, TM_EBACKEND, NULL, "out of memory reading a plan");
		return NULL;
	}
	while (line && *line) {
		if (plan_parse_line(p, line) < 0) {
			error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
				"the recorded plan is damaged at line %d", lineno);
			plan_free(&p);
			return NULL;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
		lineno++;
	}
	if (p->op[0] == '\0') {
		error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			"the recorded plan has no \"plan\" line");
		plan_free(&p);
	}
	return p;
}

/* A step domain's TDO writes do on a DC (plan_fold_into_tdo). A trust
 * account's deletion goes with the TDO deletion it follows; one without it
 * (a leftover account whose TDO someone deleted) stays a step of its own. */
static int plan_folded(const plan_step *s, int after_tdo_delete)
{
	if (s->kind == STEP_ACCOUNT_DELETE)
		return after_tdo_delete;
	return s->kind == STEP_KEY_SET || s->kind == STEP_KEY_DELETE || s->kind == STEP_KEY_PLAIN ||
	       s->kind == STEP_ACCOUNT_PUT;
}

/* Append what the DC does with a TDO write to its step's text. */
static void plan_note_tdo(plan_step *s)
{
	const char *note = s->kind == STEP_TDO_PUT
		? " (its DC derives the cross-realm keys and the trust account from it)"
		: " (its DC removes the cross-realm keys and the trust account with it)";
	size_t len = strlen(s->text);

	if (s->kind == STEP_TDO_PUT && s->in.action == BLOB_KEEP && s->out.action == BLOB_KEEP)
		return;           /* no secret changes: nothing for the KDC to derive */
	if (!strstr(s->text, " (its DC ") && len + strlen(note) < sizeof(s->text))
		memcpy(s->text + len, note, strlen(note) + 1);
}

size_t plan_fold_into_tdo(tm_plan *p, const char *domain)
{
	size_t i, n = 0, dropped;
	int after = 0;               /* domain's steps since its last TDO deletion */

	for (i = 0; i < p->nsteps; i++) {
		plan_step *s = &p->steps[i];
		int mine = strcmp(s->domain, domain) == 0, fold = mine && plan_folded(s, after);

		if (mine && s->kind == STEP_TDO_DELETE)
			after = 1;
		else if (mine && !fold && s->kind != STEP_ACCOUNT_DELETE)
			after = 0;
		if (!fold) {
			if (mine && (s->kind == STEP_TDO_PUT || s->kind == STEP_TDO_DELETE))
				plan_note_tdo(s);
			if (n != i)
				p->steps[n] = *s;
			n++;
		}
	}
	dropped = p->nsteps - n;
	if (dropped)
		memset(&p->steps[n], 0, dropped * sizeof(p->steps[0]));
	p->nsteps = n;
	return dropped;
}

int plan_touches(const tm_plan *p, const char *domain)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind != STEP_VERIFY && strcmp(p->steps[i].domain, domain) == 0)
			return 1;
	return 0;
}
