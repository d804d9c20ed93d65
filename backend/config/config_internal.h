/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* config_internal.h - what the two files of trustmgr.conf handling share:
 * config.c reads (finding the file, the profile library, sections and
 * their relations, secrets) and config_check.c checks (what each key means,
 * whether its value is right, the checks across the keys of a block and
 * across domains). Not for use outside backend/.
 */
#ifndef TM_CONFIG_INTERNAL_H
#define TM_CONFIG_INTERNAL_H

#include <limits.h>
#include <stddef.h>

#include <profile.h>

#include "backend/config/config.h"

#define CFG_VALUE_MAX (CFG_STR * CFG_MAX_URIS)
#define CFG_KEY_SHOWN 64            /* longest key name quoted in a message */

/* Where the reader is: every message starts with file, then where. */
typedef struct cfg_ctx {
	const char *file;                  /* the configuration file */
	char dir[PATH_MAX];                /* its folder: relative names start here */
	char where[DOMAIN_KEY_MAX + 16];   /* "domain A", "[trustmgr]" or "" */
	profile_t prof;
	tm_error *e;
} cfg_ctx;

/* Called for each relation (value NULL: a subsection) of a section. */
typedef int (*cfg_visit)(const cfg_ctx *c, void *arg, const char *name, const char *value);

/* ---- config_check.c: the state folder ---------------------------------- */

/* Where state goes when state_dir is not given, for the configuration file
 * and whether the user is root: CFG_SYSTEM_STATE_DIR for the system file,
 * and for root unless XDG_STATE_HOME is an absolute path; else
 * $XDG_STATE_HOME/trustmgr or ~/.local/state/trustmgr. Sets *system to 1
 * for the system folder. 0, or -1 with the error (no home, too long). */
int config_state_default(const cfg_ctx *c, int root, char *buf, size_t n, int *system);

/* ---- config.c: messages and reading ------------------------------------- */

/* A fault about key (NULL: about the block or the file), recorded as
 * "FILE: WHERE: key KEY: message" (TM_EUSAGE). Returns -1. */
int config_fail(const cfg_ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the next step of the fault just recorded. Returns -1. */
int config_hint(const cfg_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- config_include.c -------------------------------------------------- */

/* Every file that path includes (`include FILE`, the files of `includedir
 * DIR`, and theirs) is a regular file, checked without waiting: 0, or -1
 * with the fault recorded (a FIFO named there blocked the profile
 * library's open for ever). */
int config_check_includes(const cfg_ctx *c, const char *path);

/* Copy s into buf of n; 0, or -1 when it does not fit. */
int config_copy_str(char *buf, size_t n, const char *s);

/* Visit every relation and subsection directly inside section names, each
 * value without its " # comment" (the library orders them by name; values
 * of one name stay in file order). Returns 0 or -1 (the first fault). */
int config_each(const cfg_ctx *c, const char *const *names, cfg_visit fn, void *arg);

/* ---- config_check.c: the keys and their values -------------------------- */

/* [trustmgr] (present: the file has the section): timeout, rotation_days
 * and state_dir checked, with defaults for those not given. Returns 0 or -1. */
int config_trustmgr_load(cfg_ctx *c, tm_config *cfg, int present);

/* Read and check the domain blocks [domains] blocks[0..n) into cfg, then
 * that no two domains share a name or SID. Returns 0 or -1. */
int config_domains_load_all(cfg_ctx *c, tm_config *cfg, char **blocks, size_t n);

#endif
