/* store.h - the embedded store: a pair (or more) of domains on local disk.
 *
 * Layout (folder 0700, files 0600):
 *   STORE/lock                       flock()ed; holds the holder's pid
 *   STORE/domains/NAME/domain.ldif   the domain entry, cn=System, TDOs and
 *                                    trust accounts, in LDIF (libldap)
 *   STORE/domains/NAME/krb5.keytab   the domain KDC's trust keys (MIT FILE: keytab)
 *   STORE/domains/NAME/health        last known health per partner (text)
 *   STORE/journal/current            the running or interrupted plan (text, no secrets)
 *   STORE/journal/before/NAME.*      before-images of the domains it touches
 * Every file is replaced atomically: temporary file, fsync, rename, fsync of
 * the folder.
 */
#ifndef TM_STORE_H
#define TM_STORE_H

#include "backend/ops.h"

/* Open (creating if needed) the store in dir. Returns a backend or NULL with e. */
tm_backend *store_open(const char *dir, tm_error *e);

/* The default store folder: $XDG_DATA_HOME/trustmgr or ~/.local/share/trustmgr.
 * Returns 0 or -1 with e. */
int store_default_dir(char *buf, size_t n, tm_error *e);

#endif
