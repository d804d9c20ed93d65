/* store_ldif.c - domain.ldif: one domain's directory content in LDIF.
 *
 * The file holds, in order:
 *   1. the domain entry: dn = the domain's base DN (dc=corp,dc=example),
 *      objectClass top/domain;
 *   2. cn=System,<base> (container);
 *   3. one trustedDomain entry per TDO: cn=<trustPartner>,cn=System,<base>;
 *   4. cn=Users,<base> (container);
 *   5. one user entry per interdomain trust account: cn=<NAME$>,cn=Users,<base>.
 *
 * Attribute names.  The domain entry carries name (the store key), dnsRoot,
 * nETBIOSName, objectSid and msDS-Behavior-Version, plus trustmgr's own
 * attributes for facts a directory keeps elsewhere or not at all:
 *   trustmgrDomainKind            ad | nt4 | mit
 *   trustmgrForestRoot            forest root DNS name ("" = own root)
 *   trustmgrRealm                 Kerberos realm
 *   trustmgrNTServicePack         NT 4.0 service pack (KB Q243655)
 *   trustmgrLMCompatibilityLevel  LMCompatibilityLevel of the DCs
 * TDO entries use only real AD attribute names (MS-ADTS), so they load into
 * slapd with msuser.schema and the trustedDomain class.  Trust account
 * entries keep the partner's name in displayName; badPwdCount 1 means the
 * one chance is used, lockoutTime says when (FILETIME).
 *
 * Reading uses libldap: ldif_open_mem/ldif_read_record split the records,
 * ldif_getline/ldif_parse_line2 unfold and decode each line (base64
 * included).  ldap_parse_ldif_record is not used because it prints to
 * stderr (which would tear the console) and loses line numbers.  Before
 * libldap could follow them, "include:" lines and URL values
 * ("attr:< file://...") are refused.  Writing uses ldif_sput_wrap.
 *
 * Rendered text holds trustAuth blobs (secrets): every buffer that held it
 * is wiped before it is freed.
 */
#include "backend/store/store_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>     /* before ldif.h, which uses FILE */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <lber.h>
#include <ldap.h>
#include <ldif.h>

#include "model/grow.h"
#include "model/secret.h"
#include "backend/ldap/tdoattr.h"
#include "model/tdo.h"
#include "model/domain.h"

#define LD_DN_MAX 2048           /* longest DN we build or accept */
#define LD_REC_MAX 256           /* attribute lines per entry */
#define LD_UAC_INTERDOMAIN 0x800u /* userAccountControl INTERDOMAIN_TRUST_ACCOUNT */

static const char LD_HINT_DAMAGED[] =
	"restore domain.ldif from a backup or correct that entry by hand (it is LDIF text); "
	"if an interrupted plan left it so, `trustmgr rollback` puts it back";

/* ====================================================================
 * Writing
 * ==================================================================== */

/* Output buffer; grows by copying and wiping the old one. */
typedef struct ldout {
	char *p;
	size_t len, cap;
	int oom;
} ldout;

/* Make room for want more bytes (plus NUL). */
static int out_reserve(ldout *o, size_t want)
{
	size_t ncap = o->cap ? o->cap : 4096;
	char *nb;

	if (o->oom)
		return -1;
	while (ncap < o->len + want + 1)
		ncap *= 2;
	if (ncap == o->cap)
		return 0;
	nb = malloc(ncap);
	if (!nb) {
		o->oom = 1;
		return -1;
	}
	if (o->p) {
		memcpy(nb, o->p, o->len);
		secret_free_buf(&o->p, o->cap);
	}
	o->p = nb;
	o->cap = ncap;
	return 0;
}

/* One attribute line through libldap's writer (LDIF_PUT_VALUE auto-detects
 * text, LDIF_PUT_BINARY forces base64). */
static void out_put(ldout *o, int type, const char *name, const void *val, size_t vlen)
{
	size_t need = LDIF_SIZE_NEEDED_WRAP(strlen(name), vlen, 0) + 2;
	char *w;

	if (out_reserve(o, need) != 0)
		return;
	w = o->p + o->len;
	ldif_sput_wrap(&w, type, name, val, (ber_len_t)vlen, 0);
	o->len = (size_t)(w - o->p);
	o->p[o->len] = '\0';
}

/* Raw text (comments, blank line between entries). */
static void out_raw(ldout *o, const char *s)
{
	size_t n = strlen(s);

	if (out_reserve(o, n) != 0)
		return;
	memcpy(o->p + o->len, s, n + 1);
	o->len += n;
}

static void out_str(ldout *o, const char *name, const char *s)
{
	out_put(o, LDIF_PUT_VALUE, name, s, strlen(s));
}

/* A string attribute only when it is set. */
static void out_opt(ldout *o, const char *name, const char *s)
{
	if (s[0])
		out_str(o, name, s);
}

static void out_num(ldout *o, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	out_str(o, name, buf);
}

/* Generalized time YYYYMMDDHHMMSS.0Z; nothing when t is unknown (<= 0). */
static void out_time(ldout *o, const char *name, long long t)
{
	char buf[40];

	if (tdoattr_format_time(t, buf, sizeof(buf)) == 0)
		out_str(o, name, buf);
}

/* A binary SID; a SID with too many sub-authorities cannot be written. */
static int out_sid(ldout *o, const char *name, const tm_sid *sid, const char *owner,
		   tm_error *e)
{
	uint8_t buf[SID_BINARY_MAX];
	size_t n = sid_to_binary(sid, buf, sizeof(buf));

	if (n == 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_SID,
			       "the %s of %s is not a SID that can be stored", name, owner);
	out_put(o, LDIF_PUT_BINARY, name, buf, n);
	return 0;
}

/* Escape one DN attribute value (RFC 4514 section 2.4). */
static int dn_escape(const char *v, char *out, size_t n)
{
	size_t len = strlen(v), i, k = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		int esc = strchr("\"+,;<>\\=", c) != NULL || (i == 0 && (c == ' ' || c == '#')) ||
			  (i == len - 1 && c == ' ');

		if (k + 4 >= n)
			return -1;
		if (esc)
			out[k++] = '\\';
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return 0;
}

/* Append ",dc=<label>" (or "dc=<label>" first) for each non-empty label. */
static int dn_from_labels(const char *src, char *dn, size_t n)
{
	char label[NAME_DNS_MAX], esc[2 * NAME_DNS_MAX + 4];
	const char *p = src;
	size_t k = 0;

	dn[0] = '\0';
	while (*p) {
		size_t l = strcspn(p, ".");
		int w;

		if (l > 0 && l < sizeof(label)) {
			memcpy(label, p, l);
			label[l] = '\0';
			if (dn_escape(label, esc, sizeof(esc)) != 0)
				return -1;
			w = snprintf(dn + k, n - k, "%sdc=%s", k ? "," : "", esc);
			if (w < 0 || (size_t)w >= n - k)
				return -1;
			k += (size_t)w;
		}
		p += l + (p[l] == '.');
	}
	return k > 0 ? 0 : -1;
}

/* Where a domain's base DN comes from when it has no valid DNS name. */
static const char *base_source(const tm_domain *d)
{
	if (d->dns[0])
		return d->dns;
	if (d->netbios[0])
		return d->netbios;
	return d->realm[0] ? d->realm : d->name;
}

/* The first non-empty dot-separated label of src. */
static void first_label(const char *src, char *out, size_t n)
{
	while (*src == '.')
		src++;
	snprintf(out, n, "%.*s", (int)strcspn(src, "."), src);
}

/* The domain's base DN and the value of its dc attribute: from the DNS name
 * (name_dns_to_dn), else from the NetBIOS name, realm or store key,
 * lower-cased, one escaped dc component per dot-separated label. */
static int domain_base(const tm_domain *d, char *dn, size_t n, char *dc, size_t ndc)
{
	char src[NAME_DNS_MAX];

	if (d->dns[0] && name_dns_to_dn(d->dns, dn, n) == 0) {
		snprintf(src, sizeof(src), "%s", d->dns);
	} else {
		name_lower(src, base_source(d), sizeof(src));
		if (dn_from_labels(src, dn, n) != 0)
			return -1;
	}
	first_label(src, dc, ndc);
	return 0;
}

static int render_domain(ldout *o, const tm_domain *d, const char *base, const char *dc,
			 tm_error *e)
{
	out_str(o, "dn", base);
	out_str(o, "objectClass", "top");
	out_str(o, "objectClass", "domain");
	out_str(o, "dc", dc);
	out_str(o, "name", d->name);
	out_str(o, "trustmgrDomainKind", trust_kind_name(d->kind));
	out_opt(o, "dnsRoot", d->dns);
	out_opt(o, "nETBIOSName", d->netbios);
	if (d->has_sid && out_sid(o, "objectSid", &d->sid, d->name, e) != 0)
		return -1;
	out_num(o, "msDS-Behavior-Version", (long long)d->level);
	out_opt(o, "trustmgrForestRoot", d->forest);
	out_opt(o, "trustmgrRealm", d->realm);
	if (d->nt_service_pack >= 0)
		out_num(o, "trustmgrNTServicePack", d->nt_service_pack);
	if (d->lm_compat_level >= 0)
		out_num(o, "trustmgrLMCompatibilityLevel", d->lm_compat_level);
	out_raw(o, "\n");
	return 0;
}

static void render_container(ldout *o, const char *cn, const char *base)
{
	char dn[LD_DN_MAX];

	snprintf(dn, sizeof(dn), "cn=%s,%s", cn, base);
	out_str(o, "dn", dn);
	out_str(o, "objectClass", "top");
	out_str(o, "objectClass", "container");
	out_str(o, "cn", cn);
	out_raw(o, "\n");
}

/* "cn=<escaped rdn>,cn=<container>,<base>". */
static int child_dn(const char *rdn, const char *container, const char *base,
		    char *dn, size_t n)
{
	char esc[2 * NAME_DNS_MAX + 4];
	int w;

	if (dn_escape(rdn, esc, sizeof(esc)) != 0)
		return -1;
	w = snprintf(dn, n, "cn=%s,cn=%s,%s", esc, container, base);
	return (w < 0 || (size_t)w >= n) ? -1 : 0;
}

/* A TDO entry: the entry's own lines, then the shared attribute mapping
 * (tdo_attrs.c); the values list holds secrets and is wiped. */
static int render_tdo(ldout *o, const tm_tdo *t, const char *base, tm_error *e)
{
	char dn[LD_DN_MAX];
	tdoattr_list vals;
	size_t i;

	if (child_dn(t->partner, "System", base, dn, sizeof(dn)) != 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_PARAMETER,
			       "the trust partner name \"%.80s\" is too long for a DN", t->partner);
	if (tdoattr_values(t, &vals, e) != 0)
		return -1;
	out_str(o, "dn", dn);
	out_str(o, "objectClass", "top");
	out_str(o, "objectClass", "leaf");
	out_str(o, "objectClass", "trustedDomain");
	out_str(o, "cn", t->partner);
	for (i = 0; i < vals.n; i++)
		out_put(o, (vals.v[i].flags & TDOATTR_BINARY) ? LDIF_PUT_BINARY : LDIF_PUT_VALUE,
			vals.v[i].name, vals.v[i].data, vals.v[i].len);
	tdoattr_list_free(&vals);
	out_raw(o, "\n");
	return 0;
}

static int render_account(ldout *o, const tm_account *a, const char *base, tm_error *e)
{
	char dn[LD_DN_MAX];
	long long ft = a->locked && a->locked_at > 0 ?
		       (long long)authblob_filetime(a->locked_at) : 0;

	if (child_dn(a->name, "Users", base, dn, sizeof(dn)) != 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_PARAMETER,
			       "the account name \"%.80s\" is too long for a DN", a->name);
	out_str(o, "dn", dn);
	out_str(o, "objectClass", "top");
	out_str(o, "objectClass", "person");
	out_str(o, "objectClass", "organizationalPerson");
	out_str(o, "objectClass", "user");
	out_str(o, "cn", a->name);
	out_str(o, "sn", a->name);
	out_str(o, "sAMAccountName", a->name);
	out_opt(o, "displayName", a->partner);
	out_num(o, "userAccountControl", LD_UAC_INTERDOMAIN);
	out_num(o, "badPwdCount", a->locked ? 1 : 0);
	out_num(o, "lockoutTime", ft);
	out_time(o, "whenCreated", a->created);
	out_raw(o, "\n");
	return 0;
}

static int render_all(ldout *o, const stldif_domain *d, tm_error *e)
{
	char base[LD_DN_MAX], dc[NAME_DNS_MAX];
	size_t i;

	if (domain_base(&d->dom, base, sizeof(base), dc, sizeof(dc)) != 0)
		return error_fail(e, TM_EBACKEND, ST_INVALID_PARAMETER,
			       "no directory base DN can be made for domain %s", d->dom.name);
	out_raw(o, "# trustmgr domain store: the domain entry, its trusted domain objects\n"
		   "# and interdomain trust accounts.  Holds trust secrets: keep it private.\n");
	if (render_domain(o, &d->dom, base, dc, e) != 0)
		return -1;
	render_container(o, "System", base);
	for (i = 0; i < d->ntdos; i++)
		if (render_tdo(o, &d->tdos[i], base, e) != 0)
			return -1;
	render_container(o, "Users", base);
	for (i = 0; i < d->naccounts; i++)
		if (render_account(o, &d->accounts[i], base, e) != 0)
			return -1;
	return 0;
}

/* store_ldif_render: the whole file into a malloc'd buffer (holds secrets). */
int store_ldif_render(const stldif_domain *d, char **out, size_t *len, tm_error *e)
{
	ldout o = { NULL, 0, 0, 0 };

	*out = NULL;
	*len = 0;
	if (render_all(&o, d, e) != 0 || o.oom) {
		int oom = o.oom;

		secret_free_buf(&o.p, o.cap);
		if (oom)
			return error_fail(e, TM_EBACKEND, NULL,
				       "out of memory while writing the entries of %s", d->dom.name);
		return -1;
	}
	*out = o.p;
	*len = o.len;
	return 0;
}

/* store_ldif_save: render and replace the file atomically. */
int store_ldif_save(const char *path, const stldif_domain *d, tm_error *e)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (store_ldif_render(d, &text, &len, e) != 0)
		return -1;
	rc = store_fs_write_atomic(path, text, len, e);
	secret_free_buf(&text, len);
	return rc;
}

/* ====================================================================
 * Reading
 * ==================================================================== */

/* One decoded attribute line. */
typedef struct ldattr {
	char *type;
	char *val;                   /* len bytes; may hold NULs when base64 */
	size_t len;
	unsigned long line;
	int freeval;
} ldattr;

/* The entry being read. */
typedef struct ldrec {
	unsigned long line;          /* first line of the entry */
	char dn[LD_DN_MAX];
	char dnmsg[160];             /* printable DN for messages */
	size_t n;
	ldattr a[LD_REC_MAX];
} ldrec;

typedef struct ldctx {
	stldif_domain *out;
	size_t tdo_cap;              /* allocated length of out->tdos */
	size_t *seen;                /* open-addressed set of TDO indices + 1, by partner */
	size_t seen_cap;             /* a power of two, or 0 */
	int domain_only;             /* stop at the domain entry (store_ldif_load_domain) */
	tm_tdo_rows *rows;           /* listing (store_ldif_load_rows): TDOs go here, and
					only their TDOATTR_LISTED attributes are read */
	int have_domain;
	LDAPDN base;                 /* the domain entry's DN, parsed */
	ldrec rec;
	unsigned nrec;
	tm_error *e;
} ldctx;

/* Damaged entry: "line N, entry DN: why". */
static int rec_fail(ldctx *c, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int rec_fail(ldctx *c, unsigned long line, const char *fmt, ...)
{
	char why[TM_WHAT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (c->rec.dnmsg[0])
		error_fail(c->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "line %lu, entry \"%s\": %s",
			line, c->rec.dnmsg, why);
	else
		error_fail(c->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "line %lu: %s", line, why);
	error_hint(c->e, "%s", LD_HINT_DAMAGED);
	return -1;
}

static void rec_reset(ldrec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->a[i].freeval)
			ber_memfree(r->a[i].val);
	r->n = 0;
	r->dn[0] = '\0';
	r->dnmsg[0] = '\0';
}

/* Physical lines that ldif_getline() consumes for its next logical line
 * (continuations included); comment lines it skips first go to *skipped.
 * 0 when the record has no further line. */
static unsigned long span_lines(const char *p, unsigned long *skipped)
{
	*skipped = 0;
	while (p && *p && *p != '\n') {
		int comment = (*p == '#');
		unsigned long n = 1;
		const char *q;

		while ((q = strchr(p, '\n')) != NULL && q[1] == ' ') {
			n++;
			p = q + 1;
		}
		if (!comment)
			return n;
		*skipped += n;
		p = q ? q + 1 : NULL;
	}
	return 0;
}

static int b64_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '+' || ch == '/';
}

/* Is the value after "attr::" strict base64 (whole quads, padding only at
 * the end)?  libldap's decoder silently drops data after a '=' and prints
 * complaints to stderr (which would tear the console), so the text is
 * checked here first.  Leading white space and continuation markers ('\r')
 * are what ldif_parse_line2 itself skips. */
static int b64_clean(const char *v)
{
	size_t n = 0, pad = 0;

	while (isspace((unsigned char)*v))
		v++;
	for (; *v; v++) {
		if (*v == '\r')
			continue;
		if (*v == '=')
			pad++;
		else if (pad || !b64_char(*v))
			return 0;
		n++;
	}
	return n > 0 && n % 4 == 0 && pad <= 2;
}

/* Keep the entry's DN (and a printable copy for messages) as soon as its
 * dn: line is read, so that later errors can name the entry. */
static int rec_set_dn(ldctx *c, const ldattr *a)
{
	ldrec *r = &c->rec;

	if (a->len >= sizeof(r->dn) || memchr(a->val, '\0', a->len))
		return rec_fail(c, a->line, "the DN is too long or holds a NUL byte");
	memcpy(r->dn, a->val, a->len);
	r->dn[a->len] = '\0';
	tdoattr_printable(r->dnmsg, sizeof(r->dnmsg), r->dn, a->len);
	return 0;
}

/* A listing skips the mapped TDO attributes it does not show (secrets,
 * forest trust information...) without decoding them; the only other
 * entries holding such names (accounts: whenCreated) are not read then. */
static int rec_unlisted(const char *type, size_t len)
{
	const tdoattr_def *def = tdoattr_find(type, len);

	return def && !(def->flags & TDOATTR_LISTED);
}

/* Decode one unfolded line into the record. */
static int rec_add_line(ldctx *c, char *l, unsigned long line)
{
	char *colon = strchr(l, ':');
	char tname[64];
	struct berval type, val;
	int freev = 0;

	if (!colon)
		return rec_fail(c, line, "expected \"attribute: value\"");
	tdoattr_printable(tname, sizeof(tname), l, (size_t)(colon - l));
	if (colon[1] == '<')
		return rec_fail(c, line, "%s takes its value from a URL, which is not allowed here",
				tname);
	if (c->rows && rec_unlisted(l, (size_t)(colon - l)))
		return 0;
	if (c->rec.n == LD_REC_MAX)
		return rec_fail(c, line, "the entry has more than %d lines", LD_REC_MAX);
	if ((colon[1] == ':' && !b64_clean(colon + 2)) ||
	    ldif_parse_line2(l, &type, &val, &freev) < 0)
		return rec_fail(c, line, colon[1] == ':' ?
				"the base64 value of %s does not decode" :
				"the line for %s cannot be read", tname);
	c->rec.a[c->rec.n] = (ldattr){ type.bv_val, val.bv_val, val.bv_len, line, freev };
	if (!c->rec.dn[0] && strcasecmp(type.bv_val, "dn") == 0 &&
	    rec_set_dn(c, &c->rec.a[c->rec.n]) != 0)
		return -1;
	c->rec.n++;
	return 0;
}

/* The entry must begin with its dn: line (the file may begin with
 * "version: 1"). */
static int rec_check_start(ldctx *c)
{
	ldrec *r = &c->rec;

	if (r->n > 0 && c->nrec == 0 && strcasecmp(r->a[0].type, "version") == 0) {
		if (r->a[0].len != 1 || r->a[0].val[0] != '1')
			return rec_fail(c, r->a[0].line, "only LDIF version 1 is understood");
		memmove(&r->a[0], &r->a[1], (r->n - 1) * sizeof(r->a[0]));
		r->n--;
	}
	if (r->n == 0)
		return 0;
	if (strcasecmp(r->a[0].type, "dn") != 0) {
		r->dnmsg[0] = '\0';
		return rec_fail(c, r->a[0].line, "an entry must begin with a dn: line");
	}
	return 0;
}

/* Split one record from ldif_read_record into decoded lines. */
static int rec_read(ldctx *c, char *buf, unsigned long start)
{
	unsigned long line = start;
	char *next = buf;

	rec_reset(&c->rec);
	c->rec.line = start;
	for (;;) {
		unsigned long skipped, n = span_lines(next, &skipped);
		char *l;

		line += skipped;
		l = n ? ldif_getline(&next) : NULL;
		if (!l)
			break;
		if (rec_add_line(c, l, line) != 0)
			return -1;
		line += n;
	}
	return rec_check_start(c);
}

/* ---- attribute access ----------------------------------------------- */

static int rec_has_value(const ldrec *r, const char *type, const char *value)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcasecmp(r->a[i].type, type) == 0 && strlen(value) == r->a[i].len &&
		    strncasecmp(r->a[i].val, value, r->a[i].len) == 0)
			return 1;
	return 0;
}

/* The single value of an attribute: *out NULL when absent (an error when
 * required); more than one value is an error. */
static int rec_one(ldctx *c, const char *type, int required, const ldattr **out)
{
	size_t i;

	*out = NULL;
	for (i = 1; i < c->rec.n; i++) {
		if (strcasecmp(c->rec.a[i].type, type) != 0)
			continue;
		if (*out)
			return rec_fail(c, c->rec.a[i].line, "%s has more than one value", type);
		*out = &c->rec.a[i];
	}
	if (!*out && required)
		return rec_fail(c, c->rec.line, "the required attribute %s is missing", type);
	return 0;
}

/* An attribute line as libldap's berval. */
static struct berval attr_bv(const ldattr *a)
{
	struct berval bv;

	bv.bv_val = a->val;
	bv.bv_len = (ber_len_t)a->len;
	return bv;
}

/* A value that does not parse (tdo_attrs.c says why): add line and entry. */
static int value_fail(ldctx *c, const ldattr *a, const tm_error *sub)
{
	return rec_fail(c, a->line, "%s", sub->what);
}

/* A text attribute into buf (n bytes); "" when absent. */
static int get_str(ldctx *c, const char *type, int required, char *buf, size_t n)
{
	const ldattr *a;
	struct berval bv;
	tm_error sub;

	buf[0] = '\0';
	if (rec_one(c, type, required, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = attr_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_str(type, &bv, buf, n, &sub) != 0)
		return value_fail(c, a, &sub);
	return 0;
}

/* A number attribute; *present says whether it was there. */
static int get_num(ldctx *c, const char *type, int required, long long lo, long long hi,
		   long long *out, int *present)
{
	const ldattr *a;
	struct berval bv;
	tm_error sub;

	if (present)
		*present = 0;
	if (rec_one(c, type, required, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = attr_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_int(type, &bv, lo, hi, out, &sub) != 0)
		return value_fail(c, a, &sub);
	if (present)
		*present = 1;
	return 0;
}

static int get_u32(ldctx *c, const char *type, int required, uint32_t *out, int *present)
{
	long long v = 0;
	int have = 0;

	/* AD writes 32-bit flags as signed numbers; both forms are accepted. */
	if (get_num(c, type, required, INT32_MIN, UINT32_MAX, &v, &have) != 0)
		return -1;
	if (have)
		*out = (uint32_t)v;
	if (present)
		*present = have;
	return 0;
}

static int get_sid(ldctx *c, const char *type, tm_sid *sid, int *present)
{
	const ldattr *a;
	struct berval bv;
	tm_error sub;

	*present = 0;
	if (rec_one(c, type, 0, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = attr_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_sid(type, &bv, sid, &sub) != 0)
		return value_fail(c, a, &sub);
	*present = 1;
	return 0;
}

/* Generalized time "YYYYMMDDHHMMSS[.f]Z" into Unix seconds; 0 when absent. */
static int get_time(ldctx *c, const char *type, long long *out)
{
	const ldattr *a;
	struct berval bv;
	tm_error sub;

	*out = 0;
	if (rec_one(c, type, 0, &a) != 0)
		return -1;
	if (!a)
		return 0;
	bv = attr_bv(a);
	error_clear(&sub);
	if (tdoattr_parse_time(type, &bv, out, &sub) != 0)
		return value_fail(c, a, &sub);
	return 0;
}

/* ---- DN checks ---------------------------------------------------------- */

static int bv_is(const struct berval *bv, const char *s, size_t len)
{
	return bv->bv_len == len && strncasecmp(bv->bv_val, s, len) == 0;
}

/* A single-valued RDN attr=value (case-insensitive, ASCII). */
static int rdn_is(LDAPRDN rdn, const char *attr, const char *val, size_t len)
{
	return rdn && rdn[0] && !rdn[1] && !(rdn[0]->la_flags & LDAP_AVA_BINARY) &&
	       bv_is(&rdn[0]->la_attr, attr, strlen(attr)) && bv_is(&rdn[0]->la_value, val, len);
}

/* Do the RDNs of dn from index `from` equal the domain's base DN? */
static int under_base(LDAPDN dn, size_t from, LDAPDN base)
{
	size_t i;

	for (i = 0; base[i]; i++) {
		LDAPRDN a = dn[from + i], b = base[i];
		size_t j;

		if (!a)
			return 0;
		for (j = 0; a[j] && b[j]; j++)
			if (!bv_is(&a[j]->la_attr, b[j]->la_attr.bv_val, b[j]->la_attr.bv_len) ||
			    !bv_is(&a[j]->la_value, b[j]->la_value.bv_val, b[j]->la_value.bv_len))
				return 0;
		if (a[j] || b[j])
			return 0;
	}
	return dn[from + i] == NULL;
}

/* The entry's DN must be cn=<rdn>,cn=<container>,<base>. */
static int check_child_dn(ldctx *c, const char *container, const char *rdn)
{
	LDAPDN dn = NULL;
	int ok;

	if (ldap_str2dn(c->rec.dn, &dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !dn)
		return rec_fail(c, c->rec.line, "the DN is not a valid distinguished name");
	ok = rdn_is(dn[0], "cn", rdn, strlen(rdn)) && dn[1] &&
	     rdn_is(dn[1], "cn", container, strlen(container)) && under_base(dn, 2, c->base);
	ldap_dnfree(dn);
	if (!ok)
		return rec_fail(c, c->rec.line, "the DN should be cn=%.80s,cn=%s under the domain's "
				"DN", rdn, container);
	return 0;
}

/* ---- entries ------------------------------------------------------------ */

static int parse_kind(ldctx *c, tm_kind *kind)
{
	const ldattr *a;
	int k;

	if (rec_one(c, "trustmgrDomainKind", 1, &a) != 0)
		return -1;
	for (k = DOMAIN_AD; k <= DOMAIN_MIT; k++) {
		const char *name = trust_kind_name((tm_kind)k);

		if (a->len == strlen(name) && strncasecmp(a->val, name, a->len) == 0) {
			*kind = (tm_kind)k;
			return 0;
		}
	}
	return rec_fail(c, a->line, "trustmgrDomainKind must be ad, nt4 or mit");
}

static int parse_domain_facts(ldctx *c, tm_domain *d)
{
	long long v = 0;
	int have = 0;

	if (get_num(c, "msDS-Behavior-Version", 0, LEVEL_2000, LEVEL_2016, &v, &have) != 0)
		return -1;
	if (have)
		d->level = (tm_level)v;
	if (get_num(c, "trustmgrNTServicePack", 0, 0, 99, &v, &have) != 0)
		return -1;
	d->nt_service_pack = have ? (int)v : -1;
	if (get_num(c, "trustmgrLMCompatibilityLevel", 0, 0, 5, &v, &have) != 0)
		return -1;
	d->lm_compat_level = have ? (int)v : -1;
	return 0;
}

static int parse_domain(ldctx *c)
{
	tm_domain *d = &c->out->dom;

	if (c->have_domain)
		return rec_fail(c, c->rec.line, "a second domain entry (objectClass domain)");
	domain_init(d);
	if (get_str(c, "name", 1, d->name, sizeof(d->name)) != 0 || parse_kind(c, &d->kind) != 0 ||
	    get_str(c, "dnsRoot", 0, d->dns, sizeof(d->dns)) != 0 ||
	    get_str(c, "nETBIOSName", 0, d->netbios, sizeof(d->netbios)) != 0 ||
	    get_sid(c, "objectSid", &d->sid, &d->has_sid) != 0 ||
	    get_str(c, "trustmgrForestRoot", 0, d->forest, sizeof(d->forest)) != 0 ||
	    get_str(c, "trustmgrRealm", 0, d->realm, sizeof(d->realm)) != 0 ||
	    parse_domain_facts(c, d) != 0)
		return -1;
	if (!d->name[0])
		return rec_fail(c, c->rec.line, "the domain entry's name (the store key) is empty");
	{
		char base[LD_DN_MAX], dc[NAME_DNS_MAX];

		/* What the store could not write back, it does not accept. */
		if (domain_base(d, base, sizeof(base), dc, sizeof(dc)) != 0)
			return rec_fail(c, c->rec.line, "the domain entry has no DNS name (dnsRoot) "
					"and no directory base DN can be made from its other names");
	}
	if (ldap_str2dn(c->rec.dn, &c->base, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || !c->base)
		return rec_fail(c, c->rec.line, "the DN is not a valid distinguished name");
	c->have_domain = 1;
	return 0;
}

static int need_domain(ldctx *c)
{
	if (!c->have_domain)
		return rec_fail(c, c->rec.line, "this entry comes before the domain entry");
	return 0;
}

/* One mapped attribute (tdo_attrs.c) from the entry's lines; a fault is
 * reported at the line of the offending value, else at the entry. */
static int tdo_attr(ldctx *c, tm_tdo *t, const tdoattr_def *def)
{
	struct berval vals[LD_REC_MAX];
	unsigned long lines[LD_REC_MAX];
	size_t i, n = 0, bad = 0;
	tm_error sub;

	for (i = 1; i < c->rec.n; i++) {
		if (strcasecmp(c->rec.a[i].type, def->name) != 0)
			continue;
		vals[n] = attr_bv(&c->rec.a[i]);
		lines[n++] = c->rec.a[i].line;
	}
	error_clear(&sub);
	if (tdoattr_set(t, def, vals, n, &bad, &sub) == 0)
		return 0;
	if (!sub.status) {         /* not the file's fault (out of memory) */
		if (c->e)
			*c->e = sub;
		return -1;
	}
	return rec_fail(c, bad < n ? lines[bad] : c->rec.line, "%s", sub.what);
}

static int tdo_fields(ldctx *c, tm_tdo *t)
{
	const tdoattr_def *defs;
	size_t i, n;

	defs = tdoattr_defs(&n);
	for (i = 0; i < n; i++)
		if ((!c->rows || (defs[i].flags & TDOATTR_LISTED)) && tdo_attr(c, t, &defs[i]) != 0)
			return -1;
	return 0;
}

/* The partner of the i-th TDO read so far. */
static const char *ctx_partner(const ldctx *c, size_t i)
{
	return c->rows ? tdo_rows_partner(c->rows, i) : c->out->tdos[i].partner;
}

/* How many TDOs were read so far. */
static size_t ctx_ntdos(const ldctx *c)
{
	return c->rows ? c->rows->n : c->out->ntdos;
}

/* Grow the set of partners to twice its size (or 64), rehashing. */
static int seen_grow(ldctx *c)
{
	size_t ncap = c->seen_cap ? c->seen_cap * 2 : 64, i, *v = calloc(ncap, sizeof(*v));

	if (!v)
		return -1;
	for (i = 0; i < ctx_ntdos(c); i++) {
		size_t k = name_hash(ctx_partner(c, i)) & (ncap - 1);

		while (v[k])
			k = (k + 1) & (ncap - 1);
		v[k] = i + 1;
	}
	free(c->seen);
	c->seen = v;
	c->seen_cap = ncap;
	return 0;
}

/* The slot for partner in the set: holding its TDO, or empty. */
static size_t *seen_slot(ldctx *c, const char *partner)
{
	size_t k = name_hash(partner) & (c->seen_cap - 1);

	while (c->seen[k] && !name_equal(ctx_partner(c, c->seen[k] - 1), partner))
		k = (k + 1) & (c->seen_cap - 1);
	return &c->seen[k];
}

/* Room for one more TDO: the array and the set grow geometrically. */
static int tdo_room(ldctx *c)
{
	stldif_domain *d = c->out;

	if (!c->rows) {
		tm_tdo *v = grow_array(d->tdos, &c->tdo_cap, d->ntdos + 1, sizeof(*v), 16);

		if (!v)
			return -1;
		d->tdos = v;
	}
	if ((ctx_ntdos(c) + 1) * 2 > c->seen_cap && seen_grow(c) != 0)
		return -1;
	return 0;
}

static int add_tdo(ldctx *c, tm_tdo *t)
{
	stldif_domain *d = c->out;
	size_t *slot;

	if (tdo_room(c) != 0)
		return error_fail(c->e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
	slot = seen_slot(c, t->partner);
	if (*slot)
		return rec_fail(c, c->rec.line, "a second TDO for partner %.80s", t->partner);
	if (c->rows) {             /* a listing keeps the row; t is freed by the caller */
		if (tdo_rows_add(c->rows, t) != 0)
			return error_fail(c->e, TM_EBACKEND, NULL,
				       "out of memory while reading domain.ldif");
		*slot = c->rows->n;
		return 1;
	}
	d->tdos[d->ntdos++] = *t;   /* ownership moves */
	*slot = d->ntdos;
	return 0;
}

static int parse_tdo(ldctx *c)
{
	tm_tdo t;

	int rc;

	tdo_init(&t);
	rc = need_domain(c) != 0 || tdo_fields(c, &t) != 0 ||
	     check_child_dn(c, "System", t.partner) != 0 ? -1 : add_tdo(c, &t);
	if (rc != 0)
		tdo_free(&t);
	return rc < 0 ? -1 : 0;
}

static int account_fields(ldctx *c, tm_account *a)
{
	long long locked = 0, ft = 0;

	if (get_str(c, "sAMAccountName", 1, a->name, sizeof(a->name)) != 0 ||
	    get_str(c, "displayName", 0, a->partner, sizeof(a->partner)) != 0 ||
	    get_num(c, "badPwdCount", 0, 0, INT32_MAX, &locked, NULL) != 0 ||
	    get_num(c, "lockoutTime", 0, 0, INT64_MAX, &ft, NULL) != 0 ||
	    get_time(c, "whenCreated", &a->created) != 0)
		return -1;
	a->locked = locked > 0;
	a->locked_at = a->locked && ft > 0 ? authblob_unixtime((uint64_t)ft) : 0;
	return 0;
}

static int add_account(ldctx *c, const tm_account *a)
{
	stldif_domain *d = c->out;
	tm_account *v;
	size_t i;

	for (i = 0; i < d->naccounts; i++)
		if (name_equal(d->accounts[i].name, a->name))
			return rec_fail(c, c->rec.line, "a second account named %s", a->name);
	v = realloc(d->accounts, (d->naccounts + 1) * sizeof(*v));
	if (!v)
		return error_fail(c->e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
	d->accounts = v;
	d->accounts[d->naccounts++] = *a;
	return 0;
}

/* A user entry: an interdomain trust account, or (other users) ignored. */
static int parse_account(ldctx *c)
{
	tm_account a;
	uint32_t uac = 0;

	memset(&a, 0, sizeof(a));
	if (get_u32(c, "userAccountControl", 1, &uac, NULL) != 0)
		return -1;
	if (!(uac & LD_UAC_INTERDOMAIN))
		return 0;
	if (need_domain(c) != 0 || account_fields(c, &a) != 0 ||
	    check_child_dn(c, "Users", a.name) != 0)
		return -1;
	return add_account(c, &a);
}

static int rec_dispatch(ldctx *c)
{
	const ldrec *r = &c->rec;
	size_t i;

	if (r->n == 0)
		return 0;
	for (i = 1; i < r->n; i++) {
		if (strcasecmp(r->a[i].type, "changetype") == 0 ||
		    strcasecmp(r->a[i].type, "control") == 0)
			return rec_fail(c, r->a[i].line, "change records are not allowed here");
		if (strcasecmp(r->a[i].type, "dn") == 0)
			return rec_fail(c, r->a[i].line, "a second dn: line inside one entry (is "
					"the blank line between two entries missing?)");
	}
	if (c->domain_only && !rec_has_value(r, "objectClass", "domain"))
		return 0;
	if (rec_has_value(r, "objectClass", "trustedDomain"))
		return parse_tdo(c);
	if (rec_has_value(r, "objectClass", "user"))
		return c->rows ? 0 : parse_account(c);   /* a listing shows no accounts */
	if (rec_has_value(r, "objectClass", "domain"))
		return parse_domain(c);
	return 0;      /* containers and anything else: not ours */
}

/* Refuse what libldap's reader would act on outside the text: "include:"
 * lines (it opens the named file) and NUL bytes (it would stop early). */
static int prescan(ldctx *c, const char *text, size_t len)
{
	unsigned long line = 1;
	size_t i;

	for (i = 0; i < len; i++) {
		if (text[i] == '\0')
			return rec_fail(c, line, "the file holds a NUL byte");
		if ((i == 0 || text[i - 1] == '\n') && len - i >= 8 &&
		    strncasecmp(text + i, "include:", 8) == 0)
			return rec_fail(c, line, "include: lines are not allowed here");
		if (text[i] == '\n')
			line++;
	}
	return 0;
}

static unsigned long count_newlines(const char *s)
{
	unsigned long n = 0;

	for (; *s; s++)
		n += (*s == '\n');
	return n;
}

/* Read records one by one; stops at the first damaged one. */
static int read_records(ldctx *c, LDIFFP *lfp)
{
	char *buf = NULL;
	int buflen = 0, rc = 0, fail = 0;
	unsigned long lno = 0;

	while (!fail && !(c->domain_only && c->have_domain) &&
	       (rc = ldif_read_record(lfp, &lno, &buf, &buflen)) > 0) {
		/* lno is the record's last line, or the blank line after it */
		unsigned long start;

		if (!buf) {        /* libldap counted a record but kept no text */
			fail = rec_fail(c, lno, "a record cannot be read") != 0;
			break;
		}
		start = lno - count_newlines(buf) + (feof(lfp->fp) ? 1 : 0);

		fail = rec_read(c, buf, start) != 0 || rec_dispatch(c) != 0;
		c->nrec++;
		rec_reset(&c->rec);
	}
	if (!fail && rc < 0) {
		error_fail(c->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			"the LDIF text cannot be read after line %lu", lno);
		fail = 1;
	}
	if (buf) {
		secret_wipe(buf, (size_t)buflen);
		ber_memfree(buf);
	}
	return fail ? -1 : 0;
}

static int parse_text(ldctx *c, char *copy, size_t len)
{
	char iobuf[BUFSIZ];
	LDIFFP *lfp;
	int rc;

	lfp = ldif_open_mem(copy, len, "r");
	if (!lfp)
		return error_fail(c->e, TM_EBACKEND, NULL, "cannot open the LDIF text for reading: %s",
			       strerror(errno ? errno : ENOMEM));
	setvbuf(lfp->fp, iobuf, _IOFBF, sizeof(iobuf));   /* so we can wipe it */
	rc = read_records(c, lfp);
	ldif_close(lfp);
	secret_wipe(iobuf, sizeof(iobuf));
	if (rc == 0 && !c->have_domain)
		return error_fail(c->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			       "there is no domain entry (objectClass domain)");
	return rc;
}

/* store_ldif_parse: LDIF text into out; on error out is left empty. */
int store_ldif_parse(const char *text, size_t len, stldif_domain *out, tm_error *e)
{
	ldctx *c = calloc(1, sizeof(*c));
	char *copy = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	domain_init(&out->dom);
	if (c)
		copy = malloc(len + 1);
	if (!c || !copy) {
		free(c);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	c->out = out;
	c->e = e;
	if (prescan(c, copy, len) == 0)
		rc = len == 0 ? error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
					"the file is empty") : parse_text(c, copy, len);
	if (c->base)
		ldap_dnfree(c->base);
	free(c->seen);
	secret_free_buf(&copy, len + 1);
	free(c);
	if (rc != 0) {
		if (e && !e->next[0])
			error_hint(e, "%s", LD_HINT_DAMAGED);
		store_ldif_free(out);
	}
	return rc;
}

/* Put "path: " before the message already in e. */
static void prefix_path(tm_error *e, const char *path)
{
	char old[TM_WHAT_MAX];

	if (!e)
		return;
	memcpy(old, e->what, sizeof(old));
	if (snprintf(e->what, sizeof(e->what), "%s: %s", path, old) >= (int)sizeof(e->what))
		e->what[sizeof(e->what) - 1] = '\0';   /* cut short: still readable */
}

/* Refuse, line by line, what prescan() refuses in a text: NUL bytes and
 * include: lines. Sets *bytes to the file's length. */
static int prescan_file(ldctx *c, FILE *fp, size_t *bytes)
{
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long line = 0;
	int rc = 0;

	*bytes = 0;
	while (rc == 0 && (n = getline(&l, &cap, fp)) >= 0) {
		line++;
		*bytes += (size_t)n;
		if (memchr(l, '\0', (size_t)n))
			rc = rec_fail(c, line, "the file holds a NUL byte");
		else if (n >= 8 && strncasecmp(l, "include:", 8) == 0)
			rc = rec_fail(c, line, "include: lines are not allowed here");
	}
	if (l)
		secret_wipe(l, cap);
	free(l);
	if (rc == 0 && ferror(fp))
		rc = error_fail(c->e, TM_EBACKEND, NULL, "cannot read the file: %s", strerror(errno));
	return rc;
}

/* Parse the open file fp record by record, without holding its text: the
 * store of a domain with 100,000 trusts is read in the memory of its TDOs. */
static int parse_file(ldctx *c, FILE *fp)
{
	char iobuf[BUFSIZ];
	LDIFFP *lfp;
	size_t bytes = 0;
	int rc;

	setvbuf(fp, iobuf, _IOFBF, sizeof(iobuf));       /* so we can wipe it */
	rc = prescan_file(c, fp, &bytes);
	if (rc == 0 && bytes == 0)
		rc = error_fail(c->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "the file is empty");
	if (rc == 0) {
		rewind(fp);
		lfp = ber_memcalloc(1, sizeof(*lfp));
		if (!lfp)
			rc = error_fail(c->e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
		else {
			lfp->fp = fp;
			rc = read_records(c, lfp);
			ber_memfree(lfp);
		}
	}
	if (rc == 0 && !c->have_domain)
		rc = error_fail(c->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			     "there is no domain entry (objectClass domain)");
	fclose(fp);
	secret_wipe(iobuf, sizeof(iobuf));
	return rc;
}

/* The file could not be opened: the store's usual message (store_fs_read
 * says why), or, should it open this time, its text parsed. */
static int load_text(const char *path, stldif_domain *out, tm_error *e)
{
	char *text = NULL;
	size_t len = 0;
	int rc = store_fs_read(path, &text, &len, e);

	if (rc == 1) {
		error_fail(e, TM_EBACKEND, ST_NO_SUCH_DOMAIN, "%s does not exist", path);
		error_hint(e, "the domain's folder is incomplete: add the domain again or restore "
			   "the file from a backup");
		return -1;
	}
	if (rc < 0)
		return -1;
	rc = store_ldif_parse(text, len, out, e);
	secret_free_buf(&text, len);
	if (rc != 0)
		prefix_path(e, path);
	return rc;
}

static int load_file(const char *path, stldif_domain *out, int domain_only,
		     tm_tdo_rows *rows, tm_error *e);

/* store_ldif_load: read and parse, streaming; a missing file is an error. */
int store_ldif_load(const char *path, stldif_domain *out, tm_error *e)
{
	return load_file(path, out, 0, NULL, e);
}

/* store_ldif_load_domain: only the domain entry, read up to it. */
int store_ldif_load_domain(const char *path, tm_domain *out, tm_error *e)
{
	stldif_domain sd;

	if (load_file(path, &sd, 1, NULL, e) != 0)
		return -1;
	*out = sd.dom;
	store_ldif_free(&sd);
	return 0;
}

/* store_ldif_load_rows: the rows of a listing, streaming. */
int store_ldif_load_rows(const char *path, tm_tdo_rows *rows, tm_error *e)
{
	stldif_domain sd;
	int rc = load_file(path, &sd, 0, rows, e);

	store_ldif_free(&sd);
	if (rc == 0)
		tdo_rows_trim(rows);
	return rc;
}

/* A listing of a file read as text (load_text): its TDOs as rows. */
static int rows_from(const stldif_domain *sd, tm_tdo_rows *rows, tm_error *e)
{
	size_t i;

	for (i = 0; i < sd->ntdos; i++)
		if (tdo_rows_add(rows, &sd->tdos[i]) != 0)
			return error_fail(e, TM_EBACKEND, NULL,
				       "out of memory while reading domain.ldif");
	return 0;
}

static int load_file(const char *path, stldif_domain *out, int domain_only,
		     tm_tdo_rows *rows, tm_error *e)
{
	FILE *fp = fopen(path, "re");
	ldctx *c;
	int rc;

	memset(out, 0, sizeof(*out));
	domain_init(&out->dom);
	if (!fp) {
		rc = load_text(path, out, e);
		return rc == 0 && rows ? rows_from(out, rows, e) : rc;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		fclose(fp);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
	}
	c->out = out;
	c->e = e;
	c->domain_only = domain_only;
	c->rows = rows;
	rc = parse_file(c, fp);
	if (c->base)
		ldap_dnfree(c->base);
	free(c->seen);
	free(c);
	if (rc != 0) {
		if (e && !e->next[0])
			error_hint(e, "%s", LD_HINT_DAMAGED);
		store_ldif_free(out);
		prefix_path(e, path);
	}
	return rc;
}

/* store_ldif_free: wipe and free everything; leaves an empty value. */
void store_ldif_free(stldif_domain *d)
{
	if (!d)
		return;
	if (d->tdos)
		tdo_free_array(&d->tdos, d->ntdos);
	free(d->accounts);
	memset(d, 0, sizeof(*d));
	domain_init(&d->dom);
}
