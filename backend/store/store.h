/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* store.h - the embedded store: a pair (or more) of domains on local disk.
 *
 * Layout (folder 0700, files 0600):
 *   STORE/lock                       flock()ed; holds the holder's pid
 *   STORE/domains/NAME/domain.ldif   the domain entry, cn=System, TDOs and
 *                                    trust accounts, in LDIF (libldap)
 *   STORE/domains/NAME/krb5.keytab   the domain KDC's trust keys (MIT FILE: keytab)
 *   STORE/domains/NAME/health        last known health per partner (text)
 *   STORE/journal/current            the running or interrupted plan (text, no secrets,
 *                                    CRC-32C of its header and of each progress line)
 *   STORE/journal/before/NAME.*      before-images of the domains it touches, each
 *                                    with its sum record NAME.FILE.sum
 *   STORE/journal.discarded.TIME/    a journal set aside by `discard --force`
 * Every file is replaced atomically: temporary file FILE.tmp.PID, fsync,
 * rename, fsync of the folder; the temporary files of processes that died
 * are removed when the lock is first taken (store_folder.c). Every file is
 * opened with backend/os/safefile.h: a FIFO, socket, device or folder in
 * its place is refused at once. Damage to any of them (a cut, changed
 * bytes, an odd file type, a domain folder without its domain.ldif) is
 * TM_EBACKEND with STATUS_INTERNAL_DB_CORRUPTION naming the file.
 */
#ifndef TM_STORE_H
#define TM_STORE_H

#include "backend/ops.h"

/* Open (creating if needed) the store in dir. Returns a backend or NULL with e. */
tm_backend *store_open(const char *dir, tm_error *e);

/* Open (creating if needed) the state store of real domains in dir: the
 * health and journal that trustmgr keeps for the domains of trustmgr.conf,
 * a domain folder per configured name. Unlike the embedded store, a domain
 * is not refused for sharing a DNS or NetBIOS name, realm or SID with a
 * domain already there: the configuration keeps names apart, and what is
 * left of a domain renamed or removed there (stale state) must not block
 * the domains it has now (backend/directory/directory_state.c). */
tm_backend *store_open_state(const char *dir, tm_error *e);

/* Delete the state that the state store keeps for the domain name (its
 * folder: domain.ldif and health). Refused while an interrupted plan names
 * it. Takes the exclusive lock. 0 or -1 with e. */
int store_forget_state(tm_backend *be, const char *name, tm_error *e);

/* The default store folder: $XDG_DATA_HOME/trustmgr or ~/.local/share/trustmgr.
 * Returns 0 or -1 with e. */
int store_default_dir(char *buf, size_t n, tm_error *e);

#endif
