/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store_ldif.c - domain.ldif: one domain's directory content in LDIF (see
 * store_ldif.h; its entries are store_ldif_entry.c's, its lines
 * store_ldif_rec.c's).
 *
 * Reading uses libldap's LDIF reader: ldif_open_mem (a text) or the open
 * file itself, streamed (a file), and ldif_read_record, one record at a
 * time, so a store with 100,000 trusts is read in the memory of its TDOs.
 * Before libldap could act on them outside the text, "include:" lines
 * (it would open the named file) and NUL bytes (it would stop early) are
 * refused. A damaged file is reported with its path and line number, and
 * so is a file cut short: the file trustmgr writes announces its last line
 * near its top (store_ldif_rec.h), and a file that announced it must have
 * it. Files are opened with safefile_open, so a FIFO is refused at once.
 *
 * Rendered text holds trustAuth blobs (secrets): every buffer that held it
 * is wiped before it is freed, the stdio buffers of the reader included.
 */
#include "backend/store/store_ldif.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>     /* before ldif.h, which uses FILE */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <lber.h>
#include <ldap.h>
#include <ldif.h>

#include "model/cksum.h"
#include "model/domain.h"
#include "model/secret.h"
#include "model/tdo.h"
#include "backend/os/safefile.h"
#include "backend/store/store_fs.h"
#include "backend/store/store_ldif_entry.h"
#include "backend/store/store_ldif_rec.h"

/* ====================================================================
 * Writing
 * ==================================================================== */

/* store_ldif_render: the whole file into a malloc'd buffer (holds secrets). */
int store_ldif_render(const stldif_domain *d, char **out, size_t *len, tm_error *e)
{
	stldif_out o = { NULL, 0, 0, 0 };

	*out = NULL;
	*len = 0;
	if (store_ldif_entry_render(&o, d, e) != 0 || o.oom) {
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

/* The announcement, the checksum line and the last line of the format
 * (store_ldif_rec.h), followed line by line. */
typedef struct stldif_marks {
	int in_head;                 /* no entry yet (no "dn:" line) */
	int announced;               /* the format line was among them: 2 or 3 */
	int ended;                   /* the last line was seen after it */
	unsigned long lines;
	uint32_t crc;                /* CRC-32C of every byte read so far */
	int sum_seen;                /* the line before this one was a checksum line */
	uint32_t sum_crc, sum_want;  /* the bytes before it: their CRC, and what it says */
	unsigned long sum_line;      /* a checksum that did not match (0: none) */
	size_t sum_bytes;
	size_t bytes;                /* bytes read so far */
	unsigned long sum_garbled;   /* a "# crc32c " line that is not a checksum (0: none) */
} stldif_marks;

/* Is line (n bytes, newline excluded; a carriage return before it is
 * ignored) exactly s? */
static int line_is(const char *line, size_t n, const char *s)
{
	size_t k = strlen(s);

	if (n > 0 && line[n - 1] == '\r')
		n--;
	return n == k && memcmp(line, s, k) == 0;
}

/* "# crc32c XXXXXXXX" (8 lower-case hex digits): 1 with *v, 0 when the
 * line is something else, -1 when it starts so but is garbled. */
static int sum_line(const char *line, size_t n, uint32_t *v)
{
	size_t k = sizeof(STLDIF_SUM_PREFIX) - 1, i;
	uint32_t x = 0;

	if (n < k || memcmp(line, STLDIF_SUM_PREFIX, k) != 0)
		return 0;
	if (n > k && line[n - 1] == '\r')
		n--;
	if (n != k + 8)
		return -1;
	for (i = k; i < n; i++) {
		char ch = line[i];

		if (ch >= '0' && ch <= '9')
			x = x << 4 | (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			x = x << 4 | (uint32_t)(ch - 'a' + 10);
		else
			return -1;
	}
	*v = x;
	return 1;
}

/* One line: line (n bytes without its newline; nl: one followed). The
 * checksum covers the lines as trustmgr writes them: a carriage return
 * before a newline (the file passed through a system that ends lines so)
 * does not count. */
static void marks_line(stldif_marks *m, const char *line, size_t n, int nl)
{
	size_t k = (nl && n > 0 && line[n - 1] == '\r') ? n - 1 : n;
	uint32_t v = 0;
	int sum = 0;

	m->lines++;
	if (m->in_head && n >= 3 && strncasecmp(line, "dn:", 3) == 0)
		m->in_head = 0;          /* the first entry: the announcement comes before */
	if (m->in_head && line_is(line, n, STLDIF_FORMAT2_LINE))
		m->announced = 2;
	else if (m->in_head && line_is(line, n, STLDIF_FORMAT_LINE))
		m->announced = 3;
	else if (m->announced && !m->ended && line_is(line, n, STLDIF_END_LINE)) {
		m->ended = 1;
		if (m->announced == 3 && m->sum_seen && m->sum_want != m->sum_crc)
			m->sum_line = m->lines - 1;
	} else if (m->announced == 3 && !m->ended) {
		sum = sum_line(line, n, &v);
		if (sum < 0 && !m->sum_garbled)
			m->sum_garbled = m->lines;
	}
	m->sum_seen = sum > 0;
	if (sum > 0) {
		m->sum_want = v;
		m->sum_crc = m->crc;
		m->sum_bytes = m->bytes;
	}
	m->crc = cksum_crc32c(m->crc, line, k);
	if (nl)
		m->crc = cksum_crc32c(m->crc, "\n", 1);
	m->bytes += k + (nl ? 1 : 0);
}

/* A file that announced its last line must hold it. */
static int marks_check(stldif_ctx *c, const stldif_marks *m, size_t bytes)
{
	if (!m->announced || m->ended)
		return 0;
	return store_ldif_rec_fail(&c->rd, m->lines, "the file ends here, after %zu bytes, without "
				   "its last line \"%s\": it was cut short", bytes, STLDIF_END_LINE);
}

/* After a file of format 3 was read whole: its checksum line, when it has
 * one, matches every byte before it (a change that still reads as LDIF). */
static int marks_sum_check(stldif_ctx *c, const stldif_marks *m)
{
	static const char hint[] =
		"Restore domain.ldif from a backup (if an interrupted plan left it so, `trustmgr "
		"rollback` puts it back). If the file was changed by hand on purpose, delete its "
		"line \"" STLDIF_SUM_PREFIX "...\" (the one before the last): trustmgr then reads "
		"it without this check and writes a new checksum the next time it changes the domain.";

	if (m->sum_garbled) {
		store_ldif_rec_fail(&c->rd, m->sum_garbled, "this line starts like "
				    "the file's checksum line (\"" STLDIF_SUM_PREFIX "\" and 8 "
				    "lower-case hex digits) but is not one: it was changed");
		error_hint(c->rd.e, "%s", hint);
		return -1;
	}
	if (!m->sum_line)
		return 0;
	store_ldif_rec_fail(&c->rd, m->sum_line, "the checksum on this line (CRC-32C %08x) does "
			    "not match the %zu bytes before it (their CRC-32C is %08x): some of "
			    "them changed after trustmgr wrote the file", (unsigned)m->sum_want,
			    m->sum_bytes, (unsigned)m->sum_crc);
	error_hint(c->rd.e, "%s", hint);
	return -1;
}

/* One line of the file: what libldap's reader would act on outside the
 * text is refused: "include:" lines (it opens the named file) and NUL
 * bytes (it would stop early). */
static int prescan_line(stldif_ctx *c, stldif_marks *m, const char *line, size_t n, int nl)
{
	marks_line(m, line, n, nl);
	if (memchr(line, '\0', n))
		return store_ldif_rec_fail(&c->rd, m->lines, "the file holds a NUL byte");
	if (n >= 8 && strncasecmp(line, "include:", 8) == 0)
		return store_ldif_rec_fail(&c->rd, m->lines, "include: lines are not allowed here");
	return 0;
}

/* Every line of the text through prescan_line, then the last line's check. */
static int prescan(stldif_ctx *c, stldif_marks *m, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		if (prescan_line(c, m, text + i, n, nl != NULL) != 0)
			return -1;
		i += n + (nl ? 1 : 0);
	}
	return marks_check(c, m, len);
}

static unsigned long count_newlines(const char *s)
{
	unsigned long n = 0;

	for (; *s; s++)
		n += (*s == '\n');
	return n;
}

/* Read records one by one; stops at the first damaged one. */
static int read_records(stldif_ctx *c, LDIFFP *lfp)
{
	char *buf = NULL;
	int buflen = 0, rc = 0, fail = 0;
	unsigned long lno = 0;

	while (!fail && !(c->domain_only && c->have_domain) &&
	       (rc = ldif_read_record(lfp, &lno, &buf, &buflen)) > 0) {
		/* lno is the record's last line, or the blank line after it */
		unsigned long start;

		if (!buf) {        /* libldap counted a record but kept no text */
			fail = store_ldif_rec_fail(&c->rd, lno, "a record cannot be read") != 0;
			break;
		}
		start = lno - count_newlines(buf) + (feof(lfp->fp) ? 1 : 0);

		fail = store_ldif_rec_read(&c->rd, buf, start) != 0 || store_ldif_entry_read(c) != 0;
		c->rd.nrec++;
		store_ldif_rec_reset(&c->rd.rec);
	}
	if (!fail && rc < 0) {
		error_fail(c->rd.e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			"the LDIF text cannot be read after line %lu", lno);
		fail = 1;
	}
	if (buf) {
		secret_wipe(buf, (size_t)buflen);
		ber_memfree(buf);
	}
	return fail ? -1 : 0;
}

static int parse_text(stldif_ctx *c, char *copy, size_t len)
{
	char iobuf[BUFSIZ];
	LDIFFP *lfp;
	int rc;

	lfp = ldif_open_mem(copy, len, "r");
	if (!lfp)
		return error_fail(c->rd.e, TM_EBACKEND, NULL, "cannot open the LDIF text for reading: %s",
			       strerror(errno ? errno : ENOMEM));
	setvbuf(lfp->fp, iobuf, _IOFBF, sizeof(iobuf));   /* so we can wipe it */
	rc = read_records(c, lfp);
	ldif_close(lfp);
	secret_wipe(iobuf, sizeof(iobuf));
	if (rc == 0 && !c->have_domain)
		return error_fail(c->rd.e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			       "there is no domain entry (objectClass domain)");
	return rc;
}

/* store_ldif_parse: LDIF text into out; on error out is left empty. */
int store_ldif_parse(const char *text, size_t len, stldif_domain *out, tm_error *e)
{
	stldif_ctx *c = calloc(1, sizeof(*c));
	stldif_marks m = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
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
	c->rd.e = e;
	if (prescan(c, &m, copy, len) == 0)
		rc = len == 0 ? error_fail(e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
					"the file is empty") : parse_text(c, copy, len);
	if (rc == 0)
		rc = marks_sum_check(c, &m);
	store_ldif_entry_done(c);
	secret_free_buf(&copy, len + 1);
	free(c);
	if (rc != 0) {
		if (e && !e->next[0])
			error_hint(e, "%s", store_ldif_rec_hint);
		store_ldif_free(out);
	}
	return rc;
}

/* store_ldif_check_text: parse, then forget (the secrets are wiped). */
int store_ldif_check_text(const char *text, size_t len, tm_error *e)
{
	stldif_domain d;

	if (store_ldif_parse(text, len, &d, e) != 0)
		return -1;
	store_ldif_free(&d);
	return 0;
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

/* No line trustmgr writes comes near this (values are folded); a longer
 * one is damage, found before it fills memory (a file of 3 GB of NUL bytes
 * was one line, read whole). */
#define LDIF_LINE_MAX (1024u * 1024u)

/* Make *l hold at least want bytes, wiping what it leaves (secrets). */
static int line_grow(char **l, size_t *cap, size_t used, size_t want)
{
	size_t ncap = *cap ? *cap : 256;
	char *nl;

	while (ncap < want)
		ncap *= 2;
	if (ncap == *cap)
		return 0;
	if (!(nl = malloc(ncap)))
		return -1;
	if (*l) {
		memcpy(nl, *l, used);
		secret_wipe(*l, *cap);
		free(*l);
	}
	*l = nl;
	*cap = ncap;
	return 0;
}

/* The next line of fp with its newline, as getline, but at most
 * LDIF_LINE_MAX bytes: -1 at the end (or a read error: ferror), -2 too
 * long, -3 out of memory. */
static ssize_t read_line(char **l, size_t *cap, FILE *fp)
{
	size_t n = 0;
	int ch = EOF;

	while (n <= LDIF_LINE_MAX && (ch = getc_unlocked(fp)) != EOF) {
		if (n + 2 > *cap && line_grow(l, cap, n, n + 2) != 0)
			return -3;
		(*l)[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (n > LDIF_LINE_MAX)
		return -2;
	if (n == 0)
		return -1;
	(*l)[n] = '\0';
	return (ssize_t)n;
}

/* prescan() over the open file, line by line. Sets *bytes to the file's
 * length. */
static int prescan_file(stldif_ctx *c, stldif_marks *m, FILE *fp, size_t *bytes)
{
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0, nl;

	*bytes = 0;
	while (rc == 0 && (n = read_line(&l, &cap, fp)) != -1) {
		if (n == -2) {
			rc = store_ldif_rec_fail(&c->rd, m->lines + 1, "this line is longer than "
						 "%u bytes, more than trustmgr ever writes",
						 LDIF_LINE_MAX);
			break;
		}
		if (n < 0) {
			rc = error_fail(c->rd.e, TM_EBACKEND, NULL, "out of memory reading the file");
			break;
		}
		nl = l[n - 1] == '\n';
		*bytes += (size_t)n;
		if (nl)
			n--;
		rc = prescan_line(c, m, l, (size_t)n, nl);
	}
	if (l)
		secret_wipe(l, cap);
	free(l);
	if (rc == 0 && ferror(fp))
		rc = error_fail(c->rd.e, TM_EBACKEND, NULL, "cannot read the file: %s", strerror(errno));
	return rc == 0 ? marks_check(c, m, *bytes) : rc;
}

/* Parse the open file fp record by record, without holding its text: the
 * store of a domain with 100,000 trusts is read in the memory of its TDOs. */
static int parse_file(stldif_ctx *c, FILE *fp)
{
	char iobuf[BUFSIZ];
	stldif_marks m = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	LDIFFP *lfp;
	size_t bytes = 0;
	int rc;

	setvbuf(fp, iobuf, _IOFBF, sizeof(iobuf));       /* so we can wipe it */
	rc = prescan_file(c, &m, fp, &bytes);
	if (rc == 0 && bytes == 0)
		rc = error_fail(c->rd.e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, "the file is empty");
	if (rc == 0) {
		rewind(fp);
		lfp = ber_memcalloc(1, sizeof(*lfp));
		if (!lfp)
			rc = error_fail(c->rd.e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
		else {
			lfp->fp = fp;
			errno = 0;
			rc = read_records(c, lfp);
			ber_memfree(lfp);
			/* libldap takes a failed read for the end of the file: the
			 * records read so far would pass for the whole file. */
			if (rc == 0 && ferror(fp))
				rc = error_fail(c->rd.e, TM_EBACKEND, NULL, "cannot read the file: %s",
						strerror(errno ? errno : EIO));
		}
	}
	if (rc == 0 && !c->have_domain)
		rc = error_fail(c->rd.e, TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION,
			     "there is no domain entry (objectClass domain)");
	if (rc == 0)
		rc = marks_sum_check(c, &m);
	fclose(fp);
	secret_wipe(iobuf, sizeof(iobuf));
	return rc;
}

/* Open path for reading with safefile_open: a FIFO or device is refused
 * without blocking. A missing file is ST_NO_SUCH_DOMAIN. NULL with e. */
static FILE *open_ldif(const char *path, tm_error *e)
{
	int fd = safefile_open(path, O_RDONLY, 0, "the domain file", e);
	FILE *fp;

	if (fd < 0 && errno == ENOENT) {
		error_fail(e, TM_EBACKEND, ST_NO_SUCH_DOMAIN, "the domain file %s does not exist",
			   path);
		error_hint(e, "the domain's folder is incomplete: restore the file from a backup, "
			   "or move the folder away and add the domain again");
		return NULL;
	}
	if (fd < 0)
		return NULL;
	fp = fdopen(fd, "r");
	if (!fp) {
		error_fail(e, TM_EBACKEND, NULL, "cannot read %s: %s", path, strerror(errno));
		close(fd);
	}
	return fp;
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

static int load_file(const char *path, stldif_domain *out, int domain_only,
		     tm_tdo_rows *rows, tm_error *e)
{
	FILE *fp;
	stldif_ctx *c;
	int rc;

	memset(out, 0, sizeof(*out));
	domain_init(&out->dom);
	fp = open_ldif(path, e);
	if (!fp)
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c) {
		fclose(fp);
		return error_fail(e, TM_EBACKEND, NULL, "out of memory while reading domain.ldif");
	}
	c->out = out;
	c->rd.e = e;
	c->rd.listing = rows != NULL;
	c->domain_only = domain_only;
	c->rows = rows;
	rc = parse_file(c, fp);
	store_ldif_entry_done(c);
	free(c);
	if (rc != 0) {
		if (e && !e->next[0])
			error_hint(e, "%s", store_ldif_rec_hint);
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
