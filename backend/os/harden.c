/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* harden.c - keep secrets out of core dumps, debuggers and swap (harden.h). */
#include "backend/os/harden.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "model/secret.h"

extern char **environ;

/* harden_process: no core files, not dumpable, no ptrace by peers. */
int harden_process(tm_error *e)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) < 0) {
		error_fail(e, TM_EBACKEND, NULL, "core dumps could not be disabled (setrlimit "
			"RLIMIT_CORE): %s, so a crash could write secrets to disk", strerror(errno));
		error_hint(e, "Run trustmgr where the core file size limit can be lowered "
			"(ulimit -c 0), or report this system to the maintainers.");
		return -1;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		error_fail(e, TM_EBACKEND, NULL, "the process could not be marked not dumpable "
			"(prctl PR_SET_DUMPABLE): %s, so other processes could read its secrets",
			strerror(errno));
		error_hint(e, "Run trustmgr on a Linux kernel that allows PR_SET_DUMPABLE.");
		return -1;
	}
	return 0;
}

/* ---- the locked allocator -------------------------------------------------- */

/* Each secret gets its own mapping: this header, then the bytes. */
typedef struct harden_block {
	struct harden_block *next;
	size_t map_len;
	int locked;
	max_align_t align;           /* the secret starts suitably aligned */
} harden_block;

#define HARDEN_HEAD offsetof(harden_block, align)

/* The live blocks; secrets are allocated and released from the threads
 * that run steps side by side (backend/os/parallel.h) too. */
static harden_block *harden_live;
static pthread_mutex_t harden_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t harden_map_len(size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pg = page > 0 ? (size_t)page : 4096;

	return (HARDEN_HEAD + n + pg - 1) / pg * pg;
}

/* A fresh mapping kept out of core dumps and, where allowed, out of swap. */
static void *harden_alloc(size_t n)
{
	size_t len;
	harden_block *b;

	if (n > SIZE_MAX / 2)
		return NULL;
	len = harden_map_len(n);
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
#ifdef MADV_DONTDUMP
	(void)madvise(b, len, MADV_DONTDUMP);
#endif
	/* RLIMIT_MEMLOCK may refuse (EPERM, ENOMEM, EAGAIN): then unlocked. */
	b->locked = mlock(b, len) == 0;
	b->map_len = len;
	pthread_mutex_lock(&harden_lock);
	b->next = harden_live;
	harden_live = b;
	pthread_mutex_unlock(&harden_lock);
	return (char *)b + HARDEN_HEAD;
}

/* Unlink and return the block holding p, or NULL when p is not ours. */
static harden_block *harden_take(void *p)
{
	harden_block **at, *b = NULL;

	pthread_mutex_lock(&harden_lock);
	for (at = &harden_live; *at && !b; at = &(*at)->next)
		if ((char *)*at + HARDEN_HEAD == (char *)p) {
			b = *at;
			*at = b->next;
			break;
		}
	pthread_mutex_unlock(&harden_lock);
	return b;
}

/* Wipe the whole mapping, then unlock and unmap; plain buffers are freed. */
static void harden_release(void *p, size_t n)
{
	harden_block *b = harden_take(p);
	size_t len;
	int locked;

	(void)n;
	if (!b) {
		free(p);
		return;
	}
	len = b->map_len;
	locked = b->locked;
	explicit_bzero(b, len);
	if (locked)
		(void)munlock(b, len);
	(void)munmap(b, len);
}

static const secret_allocator harden_allocator = { harden_alloc, harden_release };

/* harden_secret_memory: every secret_alloc goes through harden_alloc. */
void harden_secret_memory(void)
{
	secret_set_allocator(&harden_allocator);
}

/* harden_secret_stats: live blocks and locked ones. */
void harden_secret_stats(size_t *live, size_t *locked)
{
	const harden_block *b;
	size_t nl = 0, nk = 0;

	for (b = harden_live; b; b = b->next) {
		nl++;
		nk += b->locked != 0;
	}
	if (live)
		*live = nl;
	if (locked)
		*locked = nk;
}

/* ---- the environment --------------------------------------------------------- */

/* Does name (up to '=') contain word, ignoring case? */
static int harden_name_has(const char *name, size_t len, const char *word)
{
	size_t w = strlen(word), i, k;

	for (i = 0; i + w <= len; i++) {
		for (k = 0; k < w && toupper((unsigned char)name[i + k]) == word[k]; k++)
			;
		if (k == w)
			return 1;
	}
	return 0;
}

/* harden_env_secret: a TRUSTMGR_* variable named like a password. */
int harden_env_secret(char *buf, size_t n)
{
	char **v;

	for (v = environ; v && *v; v++) {
		const char *eq = strchr(*v, '=');
		size_t len = eq ? (size_t)(eq - *v) : strlen(*v);

		if (len < 9 || strncasecmp(*v, "TRUSTMGR_", 9) != 0)
			continue;
		if (!harden_name_has(*v, len, "PASS") && !harden_name_has(*v, len, "SECRET"))
			continue;
		snprintf(buf, n, "%.*s", (int)len, *v);
		return 1;
	}
	return 0;
}
