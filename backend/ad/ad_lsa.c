/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ad_lsa.c - the LSA helper: its process and its line protocol (ad_lsa.h). */
#include "backend/ad/ad_lsa.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/os/sigpipe.h"
#include "model/grow.h"
#include "model/hex.h"
#include "model/secret.h"

#ifndef TM_LIBEXECDIR
#define TM_LIBEXECDIR "/usr/libexec/trustmgr"
#endif
#define AD_LSA_PYTHON "/usr/bin/python3"
#define AD_LSA_SCRIPT "trustmgr_lsa.py"
#define AD_LSA_LINE_MAX (16u << 20)    /* the longest reply line accepted */

extern char **environ;

struct ad_lsa {
	pid_t pid;                     /* trustmgr's child, when started on its own */
	pid_t child;                   /* made by the factory: its pid, from hello */
	int forked;                    /* made by the factory (not trustmgr's child) */
	int in, out;                   /* its standard input, its standard output */
	int timeout;                   /* seconds per answer */
	char *buf;                     /* what was read and not used yet */
	size_t len, cap;
	int broken;
	tm_error why;                  /* why it is broken */
	int greeted;                   /* hello's answer was read */
	int used;                      /* a request other than hello was sent */
	int quit;                      /* ad_lsa_quit was done */
	char script[PATH_MAX];         /* for messages */
};

struct ad_lsa_factory {
	pid_t pid;
	int sock;                      /* SOCK_SEQPACKET: "fork" and two descriptors */
};

/* ---- messages ------------------------------------------------------------ */

void ad_msg_init(ad_msg *m, const char *word)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->word, sizeof(m->word), "%s", word);
}

int ad_msg_add(ad_msg *m, const char *key, const void *val, size_t len)
{
	ad_kv *v = grow_array(m->kv, &m->cap, m->n + 1, sizeof(*v), 8);
	char *copy;

	if (!v)
		return -1;
	m->kv = v;
	if (!(copy = secret_alloc(len + 1)))
		return -1;
	if (len)
		memcpy(copy, val, len);
	copy[len] = '\0';
	snprintf(v[m->n].key, sizeof(v[m->n].key), "%s", key);
	v[m->n].val = copy;
	v[m->n].len = len;
	m->n++;
	return 0;
}

int ad_msg_add_str(ad_msg *m, const char *key, const char *val)
{
	return ad_msg_add(m, key, val ? val : "", val ? strlen(val) : 0);
}

int ad_msg_add_u32(ad_msg *m, const char *key, unsigned long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%lu", v);
	return ad_msg_add_str(m, key, num);
}

const char *ad_msg_get(const ad_msg *m, const char *key, size_t *len)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->kv[i].key, key) == 0) {
			if (len)
				*len = m->kv[i].len;
			return m->kv[i].val;
		}
	return NULL;
}

unsigned long ad_msg_get_u32(const ad_msg *m, const char *key, unsigned long dflt)
{
	const char *v = ad_msg_get(m, key, NULL);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return dflt;
	errno = 0;
	n = strtoul(v, &end, 0);
	return (errno || *end) ? dflt : n;
}

void ad_msg_free(ad_msg *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		secret_free_buf(&m->kv[i].val, m->kv[i].len + 1);
	free(m->kv);
	memset(m, 0, sizeof(*m));
}

void ad_reply_free(ad_reply *r)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		ad_msg_free(&r->items[i]);
	free(r->items);
	ad_msg_free(&r->end);
	memset(r, 0, sizeof(*r));
}

/* ---- encoding ---------------------------------------------------------------- */

/* The line for m, in secret memory: "word key=hex ...\n". NULL on ENOMEM. */
static char *ad_encode(const ad_msg *m, size_t *len)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = strlen(m->word) + 2, i, k, at;
	char *line;

	for (i = 0; i < m->n; i++)
		n += strlen(m->kv[i].key) + 2 + 2 * m->kv[i].len;
	if (!(line = secret_alloc(n + 1)))
		return NULL;
	at = (size_t)snprintf(line, n + 1, "%s", m->word);
	for (i = 0; i < m->n; i++) {
		at += (size_t)snprintf(line + at, n + 1 - at, " %s=", m->kv[i].key);
		for (k = 0; k < m->kv[i].len; k++) {
			unsigned char c = (unsigned char)m->kv[i].val[k];

			line[at++] = digits[c >> 4];
			line[at++] = digits[c & 15];
		}
	}
	line[at++] = '\n';
	line[at] = '\0';
	*len = at;
	return line;
}

/* One word "key=hex" of a reply into m. 0, or -1 when malformed or ENOMEM. */
static int ad_decode_word(ad_msg *m, const char *w, size_t wlen)
{
	const char *eq = memchr(w, '=', wlen);
	size_t klen, hlen, i;
	char *val;
	int rc;

	if (!eq || (klen = (size_t)(eq - w)) == 0 || klen >= AD_LSA_KEY_MAX)
		return -1;
	hlen = wlen - klen - 1;
	if (hlen % 2 || !(val = secret_alloc(hlen / 2 + 1)))
		return -1;
	for (i = 0; i < hlen / 2; i++) {
		int hi = hex_digit(eq[1 + 2 * i]), lo = hex_digit(eq[2 + 2 * i]);

		if (hi < 0 || lo < 0) {
			secret_free_buf(&val, hlen / 2 + 1);
			return -1;
		}
		val[i] = (char)(hi * 16 + lo);
	}
	val[hlen / 2] = '\0';
	{
		char key[AD_LSA_KEY_MAX];

		memcpy(key, w, klen);
		key[klen] = '\0';
		rc = ad_msg_add(m, key, val, hlen / 2);
	}
	secret_free_buf(&val, hlen / 2 + 1);
	return rc;
}

/* A reply line (without its newline) into m. 0, or -1 when malformed. */
static int ad_decode(const char *line, size_t len, ad_msg *m)
{
	size_t at = 0, start;

	while (at < len && line[at] != ' ')
		at++;
	if (at == 0 || at >= AD_LSA_KEY_MAX)
		return -1;
	memcpy(m->word, line, at);
	m->word[at] = '\0';
	while (at < len) {
		start = ++at;
		while (at < len && line[at] != ' ')
			at++;
		if (at > start && ad_decode_word(m, line + start, at - start) < 0)
			return -1;
	}
	return 0;
}

/* ---- the process --------------------------------------------------------------- */

/* ad_lsa_helper_path: the environment, beside the binary, the installed one. */
int ad_lsa_helper_path(char *buf, size_t n, tm_error *e)
{
	const char *env = getenv("TRUSTMGR_LSA_HELPER");
	char self[PATH_MAX];
	ssize_t len;
	char *slash;

	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return 0;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len > 0) {
		self[len] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(buf, n, "%s/%s", self, AD_LSA_SCRIPT) < n &&
			    access(buf, R_OK) == 0)
				return 0;
		}
	}
	if ((size_t)snprintf(buf, n, "%s/%s", TM_LIBEXECDIR, AD_LSA_SCRIPT) >= n)
		return error_fail(e, TM_EBACKEND, NULL, "the path of the LSA helper is too long");
	return 0;
}

/* The helper's path into buf (ad_lsa_helper_path), checked readable. 0 or
 * -1 with e. */
static int ad_lsa_script(char *buf, size_t n, tm_error *e)
{
	if (ad_lsa_helper_path(buf, n, e) < 0)
		return -1;
	if (access(buf, R_OK) == 0)
		return 0;
	error_fail(e, TM_EBACKEND, NULL, "the LSA helper %s, which trustmgr changes Active "
		   "Directory domains through, cannot be read: %s", buf, strerror(errno));
	error_hint(e, "Install trustmgr completely (make install puts it in %s), or point "
		   "TRUSTMGR_LSA_HELPER at trustmgr_lsa.py.", TM_LIBEXECDIR);
	return -1;
}

/* Spawn python3 with the helper, its stdin and stdout on pipes; its stderr
 * is the null device (it never writes a secret there anyway). */
static int ad_spawn(ad_lsa *h, const char *script, tm_error *e)
{
	char python[] = AD_LSA_PYTHON, isolated[] = "-I", path[PATH_MAX];
	char *argv[] = { python, isolated, path, NULL };
	posix_spawn_file_actions_t fa;
	int to[2], from[2], rc;

	if (pipe2(to, O_CLOEXEC) < 0)
		return error_fail(e, TM_EBACKEND, NULL, "no pipe for the LSA helper: %s",
				  strerror(errno));
	if (pipe2(from, O_CLOEXEC) < 0) {
		close(to[0]);
		close(to[1]);
		return error_fail(e, TM_EBACKEND, NULL, "no pipe for the LSA helper: %s",
				  strerror(errno));
	}
	snprintf(path, sizeof(path), "%s", script);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to[0], 0);
	posix_spawn_file_actions_adddup2(&fa, from[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&h->pid, AD_LSA_PYTHON, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(to[0]);
	close(from[1]);
	h->in = to[1];
	h->out = from[0];
	if (rc != 0) {
		h->pid = 0;
		return error_fail(e, TM_EBACKEND, NULL, "%s could not be started for the LSA helper "
				  "%s: %s", AD_LSA_PYTHON, script, strerror(rc));
	}
	return 0;
}

/* Ask the factory for a helper on two new pipes: 0, or -1 (errno) when
 * the factory cannot take the request (the caller starts one itself). */
static int ad_spawn_forked(ad_lsa *h, ad_lsa_factory *f)
{
	char word[] = "fork", cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { word, 4 };
	struct msghdr mh;
	struct cmsghdr *cm;
	int to[2], from[2], fds[2], saved;
	ssize_t rc;

	if (pipe2(to, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(from, O_CLOEXEC) < 0) {
		saved = errno;
		close(to[0]);
		close(to[1]);
		errno = saved;
		return -1;
	}
	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	fds[0] = to[0];
	fds[1] = from[1];
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	do
		rc = sendmsg(f->sock, &mh, MSG_NOSIGNAL);
	while (rc < 0 && errno == EINTR);
	saved = errno;
	close(to[0]);
	close(from[1]);
	if (rc != 4) {
		close(to[1]);
		close(from[0]);
		errno = rc < 0 ? saved : EIO;
		return -1;
	}
	h->in = to[1];
	h->out = from[0];
	h->forked = 1;
	return 0;
}

ad_lsa_factory *ad_lsa_factory_start(tm_error *e)
{
	char python[] = AD_LSA_PYTHON, isolated[] = "-I", flag[] = "--factory", path[PATH_MAX];
	char *argv[] = { python, isolated, path, flag, NULL };
	posix_spawn_file_actions_t fa;
	ad_lsa_factory *f;
	int sv[2], rc;

	if (ad_lsa_script(path, sizeof(path), e) < 0)
		return NULL;
	if (!(f = calloc(1, sizeof(*f)))) {
		error_fail(e, TM_EBACKEND, NULL, "out of memory");
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		error_fail(e, TM_EBACKEND, NULL, "no socket for the LSA helper factory: %s",
			   strerror(errno));
		free(f);
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&f->pid, AD_LSA_PYTHON, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	f->sock = sv[0];
	if (rc != 0) {
		error_fail(e, TM_EBACKEND, NULL, "%s could not be started for the LSA helper "
			   "factory %s: %s", AD_LSA_PYTHON, path, strerror(rc));
		close(f->sock);
		free(f);
		return NULL;
	}
	return f;
}

void ad_lsa_factory_stop(ad_lsa_factory **fp)
{
	ad_lsa_factory *f = *fp;

	if (!f)
		return;
	close(f->sock);                /* it holds no secret: no need to let it end */
	kill(f->pid, SIGKILL);
	waitpid(f->pid, NULL, 0);
	free(f);
	*fp = NULL;
}

/* A helper the factory made is still running: its end of the reply pipe is
 * open (it is the only process that holds it), so its pid is still its. */
static int ad_forked_alive(const ad_lsa *h)
{
	struct pollfd p = { h->out, POLLIN, 0 };

	return h->child > 0 && h->out >= 0 && poll(&p, 1, 0) >= 0 && !(p.revents & POLLHUP);
}

/* Stop the helper now. */
static void ad_kill(ad_lsa *h)
{
	if (h->pid > 0) {
		kill(h->pid, SIGKILL);
		waitpid(h->pid, NULL, 0);
		h->pid = 0;
	} else if (h->forked && ad_forked_alive(h)) {
		kill(h->child, SIGKILL);
	}
	h->child = 0;
}

/* The helper failed: remember why, so later calls fail at once. */
static int ad_broken(ad_lsa *h, tm_error *e)
{
	h->broken = 1;
	h->why = *e;
	ad_kill(h);
	return -1;
}

static int ad_write_all(ad_lsa *h, const char *p, size_t n, tm_error *e)
{
	sigpipe_guard g;
	ssize_t w;
	int rc = 0;

	sigpipe_hold(&g);
	while (n > 0 && rc == 0) {
		w = write(h->in, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = error_fail(e, TM_EBACKEND, NULL, "the LSA helper stopped reading: %s",
					w < 0 ? strerror(errno) : "no progress");
		else {
			p += w;
			n -= (size_t)w;
		}
	}
	sigpipe_release(&g);
	return rc;
}

/* The monotonic clock, in milliseconds: what the deadlines below count in. */
static long long ad_now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Read until buf holds a newline; the deadline is absolute (ms). */
static int ad_fill(ad_lsa *h, long long deadline, tm_error *e)
{
	struct pollfd p = { h->out, POLLIN, 0 };
	long long left;
	ssize_t r;
	char *nb;

	left = deadline - ad_now_ms();
	if (left <= 0 || poll(&p, 1, (int)(left > 600000 ? 600000 : left)) == 0)
		return error_fail(e, TM_EBACKEND, ST_IO_TIMEOUT, "the LSA helper gave no answer "
				  "within %d s", h->timeout);
	if (h->len + 4096 > AD_LSA_LINE_MAX)
		return error_fail(e, TM_EBACKEND, NULL, "the LSA helper sent a line longer than "
				  "%u bytes", AD_LSA_LINE_MAX);
	if (!(nb = grow_array(h->buf, &h->cap, h->len + 4096, 1, 4096)))
		return error_fail(e, TM_EBACKEND, NULL, "out of memory reading the LSA helper");
	h->buf = nb;
	r = read(h->out, h->buf + h->len, h->cap - h->len);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r <= 0)
		return error_fail(e, TM_EBACKEND, NULL, "the LSA helper ended without an answer "
				  "(is python3-samba installed? try: %s -c 'import samba.dcerpc.lsa')",
				  AD_LSA_PYTHON);
	h->len += (size_t)r;
	return 0;
}

/* The next line into m (its newline dropped, the rest of buf kept). */
static int ad_read_msg(ad_lsa *h, long long deadline, ad_msg *m, tm_error *e)
{
	char *nl;
	size_t used;
	int rc;

	while (!(nl = h->len ? memchr(h->buf, '\n', h->len) : NULL))
		if (ad_fill(h, deadline, e) < 0)
			return -1;
	used = (size_t)(nl - h->buf);
	memset(m, 0, sizeof(*m));
	rc = ad_decode(h->buf, used, m);
	secret_wipe(h->buf, used + 1);
	memmove(h->buf, nl + 1, h->len - used - 1);
	h->len -= used + 1;
	if (rc < 0) {
		ad_msg_free(m);
		return error_fail(e, TM_EBACKEND, NULL, "the LSA helper sent a line trustmgr does "
				  "not understand");
	}
	return 0;
}

/* Collect items until the closing ok or error. */
static int ad_read_reply(ad_lsa *h, ad_reply *out, tm_error *e)
{
	long long deadline;
	ad_msg m;
	ad_msg *v;

	deadline = ad_now_ms() + h->timeout * 1000LL;
	for (;;) {
		if (ad_read_msg(h, deadline, &m, e) < 0)
			return -1;
		if (strcmp(m.word, "ok") == 0 || strcmp(m.word, "error") == 0) {
			out->end = m;
			out->ok = m.word[0] == 'o';
			return 0;
		}
		if (!(v = grow_array(out->items, &out->cap, out->nitems + 1, sizeof(*v), 16))) {
			ad_msg_free(&m);
			return error_fail(e, TM_EBACKEND, NULL, "out of memory reading the LSA helper");
		}
		out->items = v;
		out->items[out->nitems++] = m;
	}
}

/* The answer to the hello ad_lsa_start sent: read before the first call,
 * so that Python starts while trustmgr does other work. */
static int ad_lsa_greeted(ad_lsa *h, tm_error *e)
{
	ad_reply r;
	int rc;

	h->greeted = 1;
	if (h->broken) {
		*e = h->why;
		return -1;
	}
	memset(&r, 0, sizeof(r));
	rc = ad_read_reply(h, &r, e);
	if (rc == 0 && !r.ok) {
		ad_lsa_error(&r, "greeting the LSA helper", h->script, e);
		rc = -1;
	} else if (rc == 0 && h->forked) {
		h->child = (pid_t)ad_msg_get_u32(&r.end, "pid", 0);
	} else if (rc < 0) {
		error_prefix(e, "LSA (hello): ");
	}
	ad_reply_free(&r);
	return rc < 0 ? ad_broken(h, e) : 0;
}

int ad_lsa_send(ad_lsa *h, const ad_msg *req, tm_error *e)
{
	size_t len = 0;
	char *line;
	int rc;

	if (h->broken) {
		*e = h->why;
		return -1;
	}
	h->used = 1;
	if (!(line = ad_encode(req, &len)))
		return error_fail(e, TM_EBACKEND, NULL, "out of memory talking to the LSA helper");
	rc = ad_write_all(h, line, len, e);
	secret_free_buf(&line, len + 1);
	if (rc < 0) {
		error_prefix(e, "LSA (%s): ", req->word);
		return ad_broken(h, e);
	}
	return 0;
}

int ad_lsa_receive(ad_lsa *h, const char *word, ad_reply *out, tm_error *e)
{
	memset(out, 0, sizeof(*out));
	if (!h->greeted && ad_lsa_greeted(h, e) < 0)
		return -1;
	if (h->broken) {
		*e = h->why;
		return -1;
	}
	if (ad_read_reply(h, out, e) < 0) {
		ad_reply_free(out);
		error_prefix(e, "LSA (%s): ", word);
		return ad_broken(h, e);
	}
	return 0;
}

int ad_lsa_call(ad_lsa *h, const ad_msg *req, ad_reply *out, tm_error *e)
{
	memset(out, 0, sizeof(*out));
	if (!h->greeted && ad_lsa_greeted(h, e) < 0)
		return -1;
	if (ad_lsa_send(h, req, e) < 0)
		return -1;
	return ad_lsa_receive(h, req->word, out, e);
}

ad_lsa *ad_lsa_start(ad_lsa_factory *f, int timeout, tm_error *e)
{
	char script[PATH_MAX], *line = NULL;
	ad_lsa *h = calloc(1, sizeof(*h));
	size_t len = 0;
	ad_msg hello;

	if (!h) {
		error_fail(e, TM_EBACKEND, NULL, "out of memory");
		return NULL;
	}
	h->in = h->out = -1;
	h->timeout = timeout > 0 ? timeout * 3 : 30;
	if (ad_lsa_script(script, sizeof(script), e) < 0) {
		ad_lsa_stop(&h);
		return NULL;
	}
	if ((!f || ad_spawn_forked(h, f) < 0) && ad_spawn(h, script, e) < 0) {
		ad_lsa_stop(&h);
		return NULL;
	}
	snprintf(h->script, sizeof(h->script), "%s", script);
	/* hello goes now; its answer is read before the first call. */
	ad_msg_init(&hello, "hello");
	if (ad_msg_add_str(&hello, "version", "1") < 0 ||
	    !(line = ad_encode(&hello, &len)) || ad_write_all(h, line, len, e) < 0) {
		if (!line)
			error_fail(e, TM_EBACKEND, NULL, "out of memory talking to the LSA helper");
		else
			secret_free_buf(&line, len + 1);
		ad_msg_free(&hello);
		ad_lsa_stop(&h);
		return NULL;
	}
	secret_free_buf(&line, len + 1);
	ad_msg_free(&hello);
	return h;
}

/* Wait for the end of the helper's output (it exits right after quit),
 * at most h->timeout seconds; 1 when it came. */
static int ad_lsa_drained(ad_lsa *h)
{
	struct pollfd p = { h->out, POLLIN, 0 };
	long long deadline, left;
	char sink[512];
	ssize_t r;

	deadline = ad_now_ms() + h->timeout * 1000LL;
	for (;;) {
		left = deadline - ad_now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			return 0;
		r = read(h->out, sink, sizeof(sink));
		if (r == 0)
			return 1;
		if (r < 0 && errno != EINTR && errno != EAGAIN)
			return 1;
		if (r > 0)
			secret_wipe(sink, (size_t)r);
	}
}

void ad_lsa_quit(ad_lsa *h)
{
	if (!h || h->quit)
		return;
	h->quit = 1;
	if (!h->used)
		ad_kill(h);    /* never asked anything: no secret, no session; no need to wait */
	if (h->forked && h->used && !h->greeted && !h->broken) {
		tm_error ignore;

		ad_lsa_greeted(h, &ignore);   /* its pid, should it have to be stopped */
	}
	if (h->in >= 0 && !h->broken && (h->pid > 0 || (h->forked && h->used))) {
		sigpipe_guard g;

		sigpipe_hold(&g);
		if (write(h->in, "quit\n", 5) < 0)
			h->broken = 1;
		sigpipe_release(&g);
	}
	if (h->in >= 0)
		close(h->in);
	h->in = -1;
}

void ad_lsa_stop(ad_lsa **hp)
{
	ad_lsa *h = *hp;

	if (!h)
		return;
	ad_lsa_quit(h);
	if ((h->pid > 0 || (h->forked && h->used && !h->broken)) && h->out >= 0 &&
	    !ad_lsa_drained(h))
		ad_kill(h);
	if (h->pid > 0)
		waitpid(h->pid, NULL, 0);
	if (h->out >= 0)
		close(h->out);
	secret_free_buf(&h->buf, h->cap);
	free(h);
	*hp = NULL;
}

/* The class an NTSTATUS puts a failure in. */
static tm_class ad_lsa_class(const char *status)
{
	static const char *const refused[] = { "STATUS_ACCESS_DENIED", "STATUS_OBJECT_NAME_COLLISION",
		"STATUS_INVALID_PARAMETER", "STATUS_INVALID_SID", "STATUS_INVALID_DOMAIN_STATE",
		"STATUS_CURRENT_DOMAIN_NOT_ALLOWED", "STATUS_DOMAIN_EXISTS",
		"STATUS_OBJECT_NAME_INVALID", "STATUS_NOT_SUPPORTED" };
	size_t i;

	for (i = 0; status && i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strcmp(status, refused[i]) == 0)
			return TM_EREFUSED;
	return TM_EBACKEND;
}

/* What to do about an LSA or netlogon status (docs/AD.md, "Errors"). */
static const char *ad_lsa_next(const char *status)
{
	static const struct { const char *status, *next; } hints[] = {
		{ "STATUS_ACCESS_DENIED", "The account trustmgr binds as needs the right to administer "
		  "trusts on that DC (POLICY_TRUST_ADMIN: a member of Domain Admins), or bind with "
		  "bind = sasl_gssapi and an administrator's ticket (kinit); then run the command "
		  "again." },
		{ "STATUS_INVALID_PARAMETER", "The DC refuses this change of the trusted domain object "
		  "(Samba lets a change touch only the forest-transitive attribute, never the trust "
		  "type): remove the trust and create it again as wanted (trustmgr recreate)." },
		{ "STATUS_OBJECT_NAME_COLLISION", "The DC already holds a trusted domain object with that "
		  "DNS name, NetBIOS name or SID: see it with trustmgr list, and remove it first if it "
		  "is stale." },
		{ "STATUS_OBJECT_NAME_NOT_FOUND", "The trusted domain object is gone from the DC "
		  "(changed by someone else meanwhile): see trustmgr health, then run the command "
		  "again." },
		{ "STATUS_INVALID_DOMAIN_STATE", "Only the forest root domain may hold a "
		  "forest-transitive trust: create it from the forest root, or without "
		  "--forest-transitive." },
		{ "STATUS_LOGON_FAILURE", "The DC did not accept the bind's user and password for LSA: "
		  "check bind_dn and bind_password_file (the account may be locked or its password "
		  "expired)." },
	};
	size_t i;

	for (i = 0; status && i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(status, hints[i].status) == 0)
			return hints[i].next;
	return "Look at the DC's log for this call (Samba: log level = 3 in smb.conf), correct what it "
	       "names, then run the command again; trustmgr journal shows what was already done.";
}

int ad_lsa_error(const ad_reply *r, const char *doing, const char *where, tm_error *e)
{
	const char *status = ad_msg_get(&r->end, "status", NULL);
	const char *code = ad_msg_get(&r->end, "code", NULL);
	const char *msg = ad_msg_get(&r->end, "message", NULL);
	const char *known = status ? error_status_intern(status) : NULL;

	error_fail(e, ad_lsa_class(status), known, "%s failed on %s: %s (%s%s%s)", doing, where,
		   msg && *msg ? msg : "no reason given", status && *status ? status : "no status",
		   code && *code ? ", " : "", code && *code ? code : "");
	error_hint(e, "%s", ad_lsa_next(status));
	return -1;
}
