/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_journal.c - the journal of the plan being carried out, and the
 * before-images of the domains it touches.
 *
 * STORE/journal/current is text without secrets (format 2):
 *
 *   trustmgr-journal 2
 *   id 1700000000-4242
 *   started 1700000000
 *   pid 4242
 *   op permit
 *   image<TAB>CORP<TAB>domain.ldif<TAB>saved      (or "missing")
 *   ...
 *   plan-bytes 532
 *   <exactly that many bytes of plan_serialize() text, then a newline>
 *   sum 1a2b3c4d                                   CRC-32C of every byte above
 *   done 0 5e6f7a8b                                each line with the CRC-32C
 *   done 1 9c0d1e2f                                of its text before the last
 *   running 2 6 0a1b2c3d                           space; "running A B": steps
 *   done 2 4e5f6a7b                                A to B-1 run side by side
 *   end ok 3a4b5c6d                                from here (or "end failed")
 *
 * It is written atomically by store_journal_begin; each "done" and the
 * "end" line is appended durably (O_APPEND, fsync). A torn last line (no
 * newline: the process died while appending) is ignored, which is safe
 * because steps can run twice; any other line that does not match its
 * checksum is damage. Format 1 (no checksums) is still read. A "running"
 * line is appended before steps run side by side (backend/exec/exec_lanes.c):
 * a crash may then leave any of them done but not marked, which
 * journal_pending reports as info->reach and a rollback takes as run.
 *
 * Before-images live in STORE/journal/before/NAME.FILE, each with its sum
 * record NAME.FILE.sum (store_image.h). Every one is read back and checked
 * (sum record, then content) whenever the journal of an interrupted plan is
 * read, so resume and rollback refuse before they write anything, and
 * every other command says so; a rollback writes back exactly the bytes it
 * checked. A damaged journal or image is not a dead end: `trustmgr discard
 * --force` moves it all into STORE/journal.discarded.TIME/
 * (store_journal_aside.c) and the store can be used again.
 */
#include "backend/store/store_internal.h"
#include "backend/store/store_fs.h"
#include "backend/store/store_image.h"
#include "backend/store/store_journal.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/cksum.h"
#include "model/grow.h"
#include "model/hex.h"
#include "model/secret.h"

#define J_MAGIC_V1 "trustmgr-journal 1"
#define J_MAGIC "trustmgr-journal 2"
#define J_FILES 3
#define J_MAX_IMAGES (PLAN_MAX_STEPS * J_FILES)

/* The files of a domain a plan can change. */
static const char *const j_files[J_FILES] = { "domain.ldif", "krb5.keytab", "health" };

typedef struct jimage {
	char domain[DOMAIN_KEY_MAX];
	char file[16];
	int saved;                   /* 0: the file did not exist */
} jimage;

/* A journal as read back. */
typedef struct jfile {
	journal_info info;
	jimage img[J_MAX_IMAGES];
	size_t nimg;
	char *plan_text;             /* malloc'd, NUL-terminated */
	int version;                 /* 1 or 2 */
	int ended, end_ok;
	unsigned char done[PLAN_MAX_STEPS];
	size_t reach;                /* the highest B of the "running A B" lines */
} jfile;

/* Line reader over the journal text. */
typedef struct jreader {
	const char *text;            /* the whole text */
	const char *p, *end;
	unsigned long line;
	const char *path;
	tm_error *e;
} jreader;

/* An image read back and checked, to be written back as it is. */
typedef struct jdata {
	char *p;
	size_t len;
} jdata;

/* ---- paths -------------------------------------------------------------- */

static int j_current(const store *s, char *buf, tm_error *e)
{
	return store_fs_path(s, buf, PATH_MAX, e, "journal/current");
}

static int j_before_dir(const store *s, char *buf, tm_error *e)
{
	return store_fs_path(s, buf, PATH_MAX, e, "journal/before");
}

static int j_image_path(const store *s, const jimage *im, char *buf, tm_error *e)
{
	return store_fs_path(s, buf, PATH_MAX, e, "journal/before/%s.%s", im->domain, im->file);
}

/* ---- errors ------------------------------------------------------------- */

/* The way out of a damaged journal or before-image (path: the journal). */
static void j_hint(tm_error *e, const char *path)
{
	error_hint(e, "Nothing was changed and the journal was kept. Restore the damaged file "
		   "from a backup of the store, or run `trustmgr discard --force` to move the "
		   "journal (%s) and its before-images aside into a journal.discarded.TIME folder "
		   "of the store, so the store can be used again; then check the domains the plan "
		   "touched with `trustmgr health`.", path);
}

static int j_damaged(jreader *r, const char *why)
{
	error_fail(r->e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
		"the journal of an interrupted plan, %s, is damaged at line %lu: %s",
		r->path, r->line, why);
	j_hint(r->e, r->path);
	return -1;
}

/* ---- reading ------------------------------------------------------------ */

/* The next complete line (without its newline) into buf; 0 at the end or
 * at a torn last line, -1 when too long. */
static int j_line(jreader *r, char *buf, size_t n)
{
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	size_t len;

	if (!nl)
		return 0;
	len = (size_t)(nl - r->p);
	r->line++;
	if (len >= n || memchr(r->p, '\0', len))
		return j_damaged(r, "a line is too long or holds a NUL byte");
	memcpy(buf, r->p, len);
	buf[len] = '\0';
	r->p = nl + 1;
	return 1;
}

/* "key value": the value when the line starts with key and a space. */
static const char *j_value(const char *line, const char *key)
{
	size_t k = strlen(key);

	return (strncmp(line, key, k) == 0 && line[k] == ' ') ? line + k + 1 : NULL;
}

static int j_number(const char *s, long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return (errno || end == s || *end) ? -1 : 0;
}

/* Exactly 8 lower-case hex digits: 0 with *v. */
static int j_hex8(const char *s, uint32_t *v)
{
	uint32_t x = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		d = hex_digit((unsigned char)s[i]);
		if (d < 0 || (s[i] >= 'A' && s[i] <= 'F'))
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	if (s[8])
		return -1;
	*v = x;
	return 0;
}

static int j_image_line(jreader *r, jfile *j, char *line)
{
	char *dom = line + 6, *file, *state;
	jimage *im;
	size_t i;

	file = strchr(dom, '\t');
	state = file ? strchr(file + 1, '\t') : NULL;
	if (!file || !state || j->nimg == J_MAX_IMAGES)
		return j_damaged(r, "an image line is malformed");
	*file++ = '\0';
	*state++ = '\0';
	im = &j->img[j->nimg];
	for (i = 0; i < J_FILES && strcmp(file, j_files[i]) != 0; i++)
		;
	if (i == J_FILES || strlen(dom) >= sizeof(im->domain) || !dom[0] || dom[0] == '.' ||
	    strchr(dom, '/') || (strcmp(state, "saved") != 0 && strcmp(state, "missing") != 0))
		return j_damaged(r, "an image line names an unknown domain, file or state");
	memcpy(im->domain, dom, strlen(dom) + 1);          /* length checked above */
	memcpy(im->file, j_files[i], strlen(j_files[i]) + 1);
	im->saved = strcmp(state, "saved") == 0;
	j->nimg++;
	return 0;
}

/* A header value into a field of n bytes. */
static int j_copy(jreader *r, char *dst, size_t n, const char *v)
{
	size_t len = strlen(v);

	if (len >= n)
		return j_damaged(r, "a header value is too long");
	memcpy(dst, v, len + 1);
	return 0;
}

/* One header line; *plan_bytes set when the header ends. */
static int j_head_line(jreader *r, jfile *j, char *line, long long *plan_bytes)
{
	const char *v;
	long long n;

	if ((v = j_value(line, "id")) != NULL)
		return j_copy(r, j->info.id, sizeof(j->info.id), v);
	else if ((v = j_value(line, "op")) != NULL)
		return j_copy(r, j->info.op, sizeof(j->info.op), v);
	else if ((v = j_value(line, "started")) != NULL && j_number(v, &n) == 0)
		j->info.started = n;
	else if ((v = j_value(line, "pid")) != NULL && j_number(v, &n) == 0)
		j->info.pid = (long)n;
	else if (strncmp(line, "image\t", 6) == 0)
		return j_image_line(r, j, line);
	else if ((v = j_value(line, "plan-bytes")) != NULL && j_number(v, &n) == 0)
		*plan_bytes = n;
	else
		return j_damaged(r, "a header line is not understood");
	return 0;
}

static unsigned long j_count_lines(const char *s)
{
	unsigned long n = 0;

	for (; *s; s++)
		n += (*s == '\n');
	return n;
}

/* The first line: which format. */
static int j_read_magic(jreader *r, jfile *j)
{
	char line[64];
	int rc = j_line(r, line, sizeof(line));

	if (rc < 0)
		return -1;
	if (rc > 0 && strcmp(line, J_MAGIC) == 0)
		j->version = 2;
	else if (rc > 0 && strcmp(line, J_MAGIC_V1) == 0)
		j->version = 1;
	else
		return j_damaged(r, "it does not begin with \"" J_MAGIC "\"");
	return 0;
}

/* The recorded plan: plan_bytes bytes and a newline. */
static int j_read_plan(jreader *r, jfile *j, long long plan_bytes)
{
	if (!j->info.id[0] || !j->info.op[0])
		return j_damaged(r, "the header lacks the id or op line");
	if (plan_bytes >= r->end - r->p)
		return j_damaged(r, "the recorded plan is cut short");
	if (memchr(r->p, '\0', (size_t)plan_bytes))
		return j_damaged(r, "the recorded plan holds a NUL byte");
	j->plan_text = malloc((size_t)plan_bytes + 1);
	if (!j->plan_text)
		return error_fail(r->e, TM_EBACKEND, NULL, "out of memory reading %s", r->path);
	memcpy(j->plan_text, r->p, (size_t)plan_bytes);
	j->plan_text[plan_bytes] = '\0';
	r->p += plan_bytes;
	r->line += j_count_lines(j->plan_text) + 1;
	if (*r->p++ != '\n')
		return j_damaged(r, "the recorded plan is not followed by a line break");
	return 0;
}

/* Format 2: "sum XXXXXXXX", the CRC-32C of everything before that line. */
static int j_read_sum(jreader *r)
{
	char line[64];
	uint32_t want, got = cksum_crc32c(0, r->text, (size_t)(r->p - r->text));
	const char *v;
	int rc = j_line(r, line, sizeof(line));

	if (rc <= 0)
		return rc < 0 ? -1 : j_damaged(r, "the header's checksum line is missing");
	v = j_value(line, "sum");
	if (!v || j_hex8(v, &want) != 0)
		return j_damaged(r, "the header's checksum line is not understood");
	if (want != got)
		return j_damaged(r, "the header above this line does not match its checksum, so "
				 "some of its bytes changed");
	return 0;
}

static int j_read_head(jreader *r, jfile *j)
{
	char line[512];
	long long plan_bytes = -1;
	int rc;

	if (j_read_magic(r, j) != 0)
		return -1;
	while (plan_bytes < 0) {
		rc = j_line(r, line, sizeof(line));
		if (rc <= 0)
			return rc < 0 ? -1 : j_damaged(r, "the header ends before plan-bytes");
		if (j_head_line(r, j, line, &plan_bytes) != 0)
			return -1;
	}
	if (j_read_plan(r, j, plan_bytes) != 0)
		return -1;
	return j->version >= 2 ? j_read_sum(r) : 0;
}

/* Format 2: split "text XXXXXXXX" and check the text's CRC-32C. */
static int j_tail_sum(jreader *r, char *line)
{
	char *sp = strrchr(line, ' ');
	uint32_t want;

	if (!sp || j_hex8(sp + 1, &want) != 0)
		return j_damaged(r, "a progress line lacks its checksum");
	*sp = '\0';
	if (cksum_crc32c(0, line, strlen(line)) != want)
		return j_damaged(r, "a progress line does not match its checksum, so some of its "
				 "bytes changed");
	return 0;
}

/* The value of a "running A B" line: steps A to B-1 may have run. */
static int j_running(jreader *r, jfile *j, const char *v)
{
	long long a, b;
	char first[24];
	const char *sp = strchr(v, ' ');

	if (!sp || (size_t)(sp - v) >= sizeof(first))
		return j_damaged(r, "a progress line is not understood");
	memcpy(first, v, (size_t)(sp - v));
	first[sp - v] = '\0';
	if (j_number(first, &a) != 0 || j_number(sp + 1, &b) != 0 || a >= b ||
	    b > PLAN_MAX_STEPS)
		return j_damaged(r, "a progress line is not understood");
	if ((size_t)b > j->reach)
		j->reach = (size_t)b;
	return 0;
}

/* "done N", "running A B" and "end ok|failed" lines. */
static int j_read_tail(jreader *r, jfile *j)
{
	char line[64];
	const char *v;
	long long n;
	int rc;

	while (!j->ended && (rc = j_line(r, line, sizeof(line))) != 0) {
		if (rc < 0 || (j->version >= 2 && j_tail_sum(r, line) != 0))
			return -1;
		if ((v = j_value(line, "done")) != NULL && j_number(v, &n) == 0 &&
		    n < PLAN_MAX_STEPS)
			j->done[n] = 1;
		else if ((v = j_value(line, "running")) != NULL) {
			if (j_running(r, j, v) != 0)
				return -1;
		} else if (strcmp(line, "end ok") == 0 || strcmp(line, "end failed") == 0) {
			j->ended = 1;
			j->end_ok = strcmp(line, "end ok") == 0;
		} else
			return j_damaged(r, "a progress line is not understood");
	}
	return 0;
}

static void j_free(jfile *j)
{
	free(j->plan_text);
	j->plan_text = NULL;
}

/* Leading run of done steps. */
static size_t j_done_count(const jfile *j, size_t nsteps)
{
	size_t i;

	for (i = 0; i < nsteps && i < PLAN_MAX_STEPS && j->done[i]; i++)
		;
	return i;
}

/* The number of steps of the recorded plan into j->info.total, for what
 * `trustmgr journal` shows of a journal damaged after its header. */
static void j_count_steps(jfile *j)
{
	tm_error ignore;
	tm_plan *p = plan_parse(j->plan_text, &ignore);

	if (p)
		j->info.total = p->nsteps;
	plan_free(&p);
}

/* Parse the journal text into j (zeroed first); on damage j->info keeps
 * what was read. */
static int j_parse(const char *text, size_t len, const char *path, jfile *j, tm_error *e)
{
	jreader r = { text, text, text + len, 0, path, e };
	int rc;

	memset(j, 0, sizeof(*j));
	rc = j_read_head(&r, j);
	if (rc == 0 && j_read_tail(&r, j) != 0) {
		j_count_steps(j);           /* the header is whole: its plan says how many */
		rc = -1;
	}
	j->info.done = j_done_count(j, j->info.total ? j->info.total : PLAN_MAX_STEPS);
	j->info.reach = j->reach;
	if (rc != 0)
		j_free(j);
	return rc;
}

/* Read and check the journal; 1 when there is none. */
static int j_load(const store *s, jfile *j, char *path, tm_error *e)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	memset(j, 0, sizeof(*j));
	if (j_current(s, path, e) != 0)
		return -1;
	rc = store_fs_read(path, &text, &len, e);
	if (rc < 0 && e && e->status && strcmp(e->status, ST_INTERNAL_DB_CORRUPTION) == 0)
		j_hint(e, path);                   /* a FIFO, socket or folder there */
	if (rc != 0)
		return rc;
	rc = j_parse(text, len, path, j, e);
	free(text);
	return rc;
}

/* The plan j recorded, parsed (*p), with info filled. */
static int j_plan(const jfile *j, const char *path, tm_plan **p, journal_info *info,
		  tm_error *e)
{
	tm_error sub;

	error_clear(&sub);
	*info = j->info;
	*p = plan_parse(j->plan_text, &sub);
	if (!*p) {
		jreader r = { NULL, NULL, NULL, 0, path, e };

		return j_damaged(&r, sub.what);
	}
	info->total = (*p)->nsteps;
	info->done = j_done_count(j, (*p)->nsteps);
	if (info->reach > info->total)
		info->reach = info->total;
	info->failed = j->ended;
	return 0;
}

/* store_journal_parse: j_parse, then the plan. */
int store_journal_parse(const char *text, size_t len, const char *path, journal_info *info,
			tm_plan **plan, tm_error *e)
{
	jfile *j = calloc(1, sizeof(*j));
	int rc;

	*plan = NULL;
	memset(info, 0, sizeof(*info));
	if (!j)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading %s", path);
	rc = j_parse(text, len, path, j, e);
	if (rc != 0 || (j->ended && j->end_ok))
		*info = j->info;        /* what was read; a plan that ended well has none */
	else
		rc = j_plan(j, path, plan, info, e);
	j_free(j);
	free(j);
	return rc;
}

/* ---- the before-images -------------------------------------------------- */

/* Read back every saved image and check it (sum record, then content);
 * with d (j->nimg slots) keep each image's bytes there. Nothing is
 * written. 0, or -1 with e naming the first damaged image. */
static int j_check_images(store *s, const jfile *j, const char *jpath, jdata *d,
			  tm_error *e)
{
	char img[PATH_MAX];
	jdata one;
	size_t i;

	for (i = 0; i < j->nimg; i++) {
		const jimage *im = &j->img[i];

		if (!im->saved)
			continue;
		if (j_image_path(s, im, img, e) != 0)
			return -1;
		if (store_image_load(img, j->version >= 2, store_image_content_of(im->file),
				     &one.p, &one.len, e) != 0) {
			j_hint(e, jpath);
			return -1;
		}
		if (d)
			d[i] = one;
		else
			secret_free_buf(&one.p, one.len);
	}
	return 0;
}

static void j_free_data(jdata *d, size_t n)
{
	size_t i;

	for (i = 0; d && i < n; i++)
		secret_free_buf(&d[i].p, d[i].len);
	free(d);
}

/* ---- writing ------------------------------------------------------------ */

/* Growable text buffer for the journal header. */
typedef struct jbuf {
	char *p;
	size_t len, cap;
	int oom;
} jbuf;

static void jb_add(jbuf *b, const char *s, size_t n)
{
	char *np;

	if (b->oom)
		return;
	np = grow_array(b->p, &b->cap, b->len + n + 1, 1, 1024);
	if (!np) {
		b->oom = 1;
		return;
	}
	b->p = np;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void jb_printf(jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jb_printf(jbuf *b, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(line))
		b->oom = 1;
	else
		jb_add(b, line, (size_t)k);
}

/* Copy a header value, replacing anything that would break the line. */
static void j_clean(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < n; i++)
		dst[i] = ((unsigned char)src[i] < 0x20) ? '_' : src[i];
	dst[i] = '\0';
}

/* Remove every file in the before-images folder. */
static int j_clear_images(const store *s, tm_error *e)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (j_before_dir(s, dir, e) != 0)
		return -1;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : error_fail(e, TM_EBACKEND, NULL, "could not open %s: %s",
						     dir, strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || !strcmp(de->d_name, "..")))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		if (unlink(path) != 0 && errno != ENOENT)
			rc = error_fail(e, TM_EBACKEND, NULL, "could not remove %s: %s", path,
				     strerror(errno));
	}
	closedir(d);
	if (rc != 0)
		return -1;
	/* Not flushed here: images no journal names are garbage (removed by
	 * the next command that takes the lock, store_folder.c); a begin
	 * flushes the folder once its new images are written. */
	return 0;
}

/* After a begin that failed (a full disk): remove the images it took;
 * should that fail too, the next begin clears them. */
static void j_forget_images(const store *s)
{
	tm_error ignore;

	j_clear_images(s, &ignore);
}

/* Save one file of a domain as a before-image with its sum record;
 * records saved/missing. */
static int j_take_image(store *s, jimage *im, tm_error *e)
{
	char src[PATH_MAX], dst[PATH_MAX];
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (store_domain_file(s, im->domain, im->file, src, sizeof(src), e) != 0 ||
	    j_image_path(s, im, dst, e) != 0)
		return -1;
	rc = store_fs_read(src, &data, &len, e);
	if (rc < 0)
		return -1;
	im->saved = (rc == 0);
	if (rc == 1)
		return 0;
	rc = store_image_save(dst, data, len, e);   /* j_take_images syncs the folder */
	secret_free_buf(&data, len);
	return rc;
}

static int j_seen(const jimage *img, size_t n, const char *domain)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(img[i].domain, domain) == 0)
			return 1;
	return 0;
}

/* Before-images of the three files of one domain (once per domain). The
 * state store of real domains (store_open_state) holds a domain's entry,
 * written before any plan, and its health: a plan changes only the health
 * there, so only the health is saved. */
static int j_image_domain(store *s, jfile *j, const char *dom, tm_error *e)
{
	size_t f;

	if (!dom[0] || j_seen(j->img, j->nimg, dom))
		return 0;
	if (j->nimg + J_FILES > J_MAX_IMAGES)
		return error_fail(e, TM_EBACKEND, NULL, "the plan touches too many domains to record");
	for (f = 0; f < J_FILES; f++) {
		jimage *im;

		if (s->state_only && strcmp(j_files[f], "health") != 0)
			continue;
		im = &j->img[j->nimg++];
		snprintf(im->domain, sizeof(im->domain), "%s", dom);
		snprintf(im->file, sizeof(im->file), "%s", j_files[f]);
		if (j_take_image(s, im, e) != 0)
			return -1;
	}
	return 0;
}

/* The images' names made durable at once (the folder dir, fsync'd once). */
static int j_sync_images(const char *dir, tm_error *e)
{
	char probe[PATH_MAX + 2];

	snprintf(probe, sizeof(probe), "%s/.", dir);
	return store_fs_sync_dir(probe, e);
}

/* Before-images of every domain a step changes: the step's domain, and for
 * VERIFY (which changes nothing itself) the two domains whose health the
 * executor records afterwards. */
static int j_take_images(store *s, const tm_plan *p, jfile *j, tm_error *e)
{
	char dir[PATH_MAX];
	size_t i;

	if (j_clear_images(s, e) != 0 || j_before_dir(s, dir, e) != 0 ||
	    store_fs_mkdir_private(dir, e) != 0)
		return -1;
	for (i = 0; i < p->nsteps; i++) {
		const plan_step *st = &p->steps[i];
		int rc = st->kind == STEP_VERIFY ?
			 (j_image_domain(s, j, st->trusting, e) != 0 ||
			  j_image_domain(s, j, st->trusted, e) != 0) :
			 j_image_domain(s, j, st->domain, e) != 0;

		if (rc)
			return -1;
	}
	return j_sync_images(dir, e);
}

static int j_render(const tm_plan *p, const jfile *j, jbuf *b, tm_error *e)
{
	char op[sizeof(p->op)];
	char *plan = NULL;
	size_t i, n;

	if (plan_serialize(p, &plan) != 0)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while recording the plan");
	n = strlen(plan);
	j_clean(op, sizeof(op), p->op);
	jb_printf(b, "%s\nid %s\nstarted %lld\npid %ld\nop %s\n", J_MAGIC, j->info.id,
		  j->info.started, j->info.pid, op);
	for (i = 0; i < j->nimg; i++)
		jb_printf(b, "image\t%s\t%s\t%s\n", j->img[i].domain, j->img[i].file,
			  j->img[i].saved ? "saved" : "missing");
	jb_printf(b, "plan-bytes %zu\n", n);
	jb_add(b, plan, n);
	jb_add(b, "\n", 1);
	free(plan);
	if (!b->oom)
		jb_printf(b, "sum %08x\n", (unsigned)cksum_crc32c(0, b->p, b->len));
	if (b->oom)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while recording the plan");
	return 0;
}

/* Refuse to start over a plan that was interrupted (or a damaged journal). */
static int j_refuse_pending(store *s, tm_error *e)
{
	char path[PATH_MAX];
	jfile j;
	int rc = j_load(s, &j, path, e);

	if (rc == 1)
		return 0;
	if (rc < 0)
		return -1;
	rc = j.ended ? 0 : -1;
	if (rc != 0) {
		error_fail(e, TM_EBACKEND, ST_INVALID_DOMAIN_STATE,
			"an interrupted plan (%s, %zu step(s) done, started by process %ld) is "
			"recorded in %s", j.info.op, j_done_count(&j, PLAN_MAX_STEPS), j.info.pid,
			path);
		error_hint(e, "resume it, or run `trustmgr rollback` to put the domains back as "
			   "they were before it");
	}
	j_free(&j);
	return rc;
}

/* store_journal_begin: before-images, then the journal, atomically. */
int store_journal_begin(store *s, const tm_plan *p, tm_error *e)
{
	char path[PATH_MAX];
	jbuf b = { NULL, 0, 0, 0 };
	jfile *j;
	int rc = -1;

	if (j_refuse_pending(s, e) != 0 || j_current(s, path, e) != 0)
		return -1;
	j = calloc(1, sizeof(*j));
	if (!j)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while recording the plan");
	j->info.started = (long long)time(NULL);
	j->info.pid = (long)getpid();
	snprintf(j->info.id, sizeof(j->info.id), "%lld-%ld", j->info.started, j->info.pid);
	if (j_take_images(s, p, j, e) == 0 && j_render(p, j, &b, e) == 0 &&
	    store_fs_write_atomic(path, b.p, b.len, e) == 0)
		rc = 0;
	free(b.p);
	free(j);
	if (rc == 0) {
		s->journal_open = 1;
	} else {
		/* There was no journal (j_refuse_pending): one there now is this
		 * plan's, renamed into place before a flush that failed. Left,
		 * it would name the images removed below. */
		(void)unlink(path);
		j_forget_images(s);    /* no journal names them: they only hold secrets */
		error_prefix(e, "the plan was not started (nothing was changed): recording it in "
			     "the journal failed: ");
	}
	return rc;
}

/* Remove the journal, then the before-images. Once the journal is gone
 * from its folder the plan is over, whatever follows: a folder that cannot
 * be flushed then (a full disk) or an image that cannot be removed would
 * make a command that did all it said fail, and the next command says
 * there is no plan. The next command that takes the lock removes images no
 * journal names (store_folder.c). */
static int j_remove_all(store *s, tm_error *e)
{
	char path[PATH_MAX];
	tm_error later;

	if (j_current(s, path, e) != 0)
		return -1;
	if (unlink(path) != 0 && errno != ENOENT)
		return error_fail(e, TM_EBACKEND, NULL, "could not remove the journal %s: %s", path,
				  strerror(errno));
	s->journal_open = 0;
	error_clear(&later);
	store_fs_sync_dir(path, &later);
	j_clear_images(s, &later);
	return 0;
}

/* store_journal_end: record the end, then forget the plan (it was not interrupted). */
int store_journal_end(store *s, int ok, tm_error *e)
{
	if (store_journal_append(s, ok ? "end ok" : "end failed", e) != 0)
		return -1;
	return j_remove_all(s, e);
}

/* store_journal_pending: the interrupted plan, if any, and only when the
 * journal and every before-image it names are whole. */
int store_journal_pending(store *s, tm_plan **p, journal_info *info, tm_error *e)
{
	char path[PATH_MAX];
	jfile *j = calloc(1, sizeof(*j));
	int rc;

	*p = NULL;
	memset(info, 0, sizeof(*info));
	if (!j)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading the journal");
	rc = j_load(s, j, path, e);
	if (rc < 0)
		*info = j->info;
	if (rc == 0 && (!j->ended || !j->end_ok)) {
		rc = j_plan(j, path, p, info, e);
		if (rc == 0 && !j->ended)
			rc = j_check_images(s, j, path, NULL, e);
		if (rc != 0)
			plan_free(p);
		/* The caller holding the store may now resume it: adopt it. */
		if (rc == 0 && s->lockmode == 2 && !j->ended)
			s->journal_open = 1;
	}
	j_free(j);
	free(j);
	return rc < 0 ? -1 : 0;
}

/* Write back one image (already checked), or remove the file it says did
 * not exist. */
static int j_restore_one(store *s, const jimage *im, const jdata *d, tm_error *e)
{
	char dst[PATH_MAX], dir[PATH_MAX];

	if (store_domain_file(s, im->domain, im->file, dst, sizeof(dst), e) != 0)
		return -1;
	if (!im->saved)
		return store_fs_remove(dst, e);
	if (store_domain_file(s, im->domain, NULL, dir, sizeof(dir), e) != 0 ||
	    store_fs_mkdir_private(dir, e) != 0)
		return -1;
	return store_fs_write_atomic(dst, d->p, d->len, e);
}

/* The journal and its images for a rollback: 0 with j and *d filled, or
 * -1 with e (nothing to roll back is TM_EUSAGE). */
static int j_rollback_load(store *s, jfile *j, char *path, jdata **d, tm_error *e)
{
	int rc = j_load(s, j, path, e);

	*d = NULL;
	if (rc < 0)
		return -1;
	if (rc == 1 || (j->ended && j->end_ok)) {
		j_free(j);
		return error_fail(e, TM_EUSAGE, NULL, "there is no interrupted plan to roll back");
	}
	*d = calloc(j->nimg ? j->nimg : 1, sizeof(**d));
	if (!*d) {
		j_free(j);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading the before-images");
	}
	if (j_check_images(s, j, path, *d, e) != 0) {
		j_free_data(*d, j->nimg);
		*d = NULL;
		j_free(j);
		return -1;
	}
	return 0;
}

/* store_journal_rollback: check every before-image, then write each back,
 * then forget the plan. */
int store_journal_rollback(store *s, tm_error *e)
{
	char path[PATH_MAX];
	jdata *d = NULL;
	jfile *j = calloc(1, sizeof(*j));
	size_t i;
	int rc;

	if (!j)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading the journal");
	rc = j_rollback_load(s, j, path, &d, e);
	if (rc == 0) {
		for (i = 0; rc == 0 && i < j->nimg; i++)
			rc = j_restore_one(s, &j->img[i], &d[i], e);
		j_free_data(d, j->nimg);
		j_free(j);
		if (rc != 0)
			error_prefix(e, "rollback stopped part-way (the journal is kept: run it again "
				     "once this is fixed): ");
	}
	free(j);
	return rc != 0 ? -1 : j_remove_all(s, e);
}

/* store_journal_discard: forget the plan and its before-images. */
int store_journal_discard(store *s, tm_error *e)
{
	return j_remove_all(s, e);
}
