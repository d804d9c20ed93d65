/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* harden.h - keep secrets out of core dumps, debuggers and swap.
 *
 * trustmgr handles trust passwords and administrator credentials. At start,
 * before anything reads a secret, main() calls harden_process(): the core
 * file size limit becomes 0 (soft and hard) and the process is marked not
 * dumpable (prctl PR_SET_DUMPABLE 0), which also makes /proc/PID/environ,
 * /proc/PID/mem and ptrace attach refused to other processes of the same
 * (non-root) user. harden_secret_memory() then installs the allocator of
 * model/secret.h that gives every secret string its own anonymous mapping,
 * excluded from core dumps (MADV_DONTDUMP) and locked in memory (mlock) when
 * RLIMIT_MEMLOCK allows; when it does not, the secret is kept unlocked,
 * silently (the documented fallback). Every secret is wiped
 * (explicit_bzero) before it is unlocked and unmapped.
 */
#ifndef TM_HARDEN_H
#define TM_HARDEN_H

#include <stddef.h>

#include "model/error.h"

/* Core file size limit 0 and not dumpable. Returns 0, or -1 with e saying
 * which of the two the system refused. */
int harden_process(tm_error *e);

/* Install the locked secret allocator (see above) for the whole process. */
void harden_secret_memory(void);

/* Secrets allocated through the locked allocator that are still alive, and
 * how many of them are locked in memory (for tests and diagnostics). */
void harden_secret_stats(size_t *live, size_t *locked);

/* The name of an environment variable that looks like it carries a
 * trustmgr password (TRUSTMGR_*PASS* or TRUSTMGR_*SECRET*, any case) into
 * buf, and 1; 0 when there is none. trustmgr never reads secrets from the
 * environment and refuses to start while one is offered there. */
int harden_env_secret(char *buf, size_t n);

#endif
