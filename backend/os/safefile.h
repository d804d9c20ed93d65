/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* safefile.h - opening the files trustmgr keeps (the store, the state
 * folder, the audit log) so that an odd file cannot block or fool it.
 *
 * A FIFO, socket, device or folder where a regular file belongs is refused
 * with a message naming it, without blocking: the open is non-blocking and
 * the file's type is checked on the open descriptor before it is used
 * (then the descriptor is made blocking again, as regular files are). A
 * permission problem is reported as one, naming the file and the user.
 */
#ifndef TM_SAFEFILE_H
#define TM_SAFEFILE_H

#include <sys/types.h>

#include "model/error.h"

/* Open path with flags (O_RDONLY, O_WRONLY|O_APPEND|O_CREAT, ...; O_CLOEXEC
 * and O_NOCTTY are added) and mode for a new file. what names the file for
 * people ("the audit log", "the domain file of B"). Returns the descriptor,
 * or -1 with errno kept and e set: ENOENT as TM_EBACKEND with
 * ST_OBJECT_NAME_NOT_FOUND (callers that expect a missing file test errno
 * first), a file that is not a regular one as TM_EBACKEND with
 * ST_INTERNAL_DB_CORRUPTION, a permission problem as TM_EBACKEND naming the
 * user, anything else as TM_EBACKEND with strerror. */
int safefile_open(const char *path, int flags, mode_t mode, const char *what, tm_error *e);

/* Is path (a final symbolic link is followed, as open does) something
 * other than a regular file? 1 yes (e set as above), 0 a
 * regular file, -1 with errno when it cannot be examined (e set; ENOENT
 * leaves e set too, callers test errno). */
int safefile_is_odd(const char *path, const char *what, tm_error *e);

/* Report that path (what names it for people) could not be opened, read or
 * examined because of errno err, as safefile_open reports it: ENOENT as
 * ST_OBJECT_NAME_NOT_FOUND, EACCES and EPERM as a permission problem naming
 * the user, ENXIO as a FIFO and EISDIR as a folder (safefile_odd_type),
 * anything else with strerror (all TM_EBACKEND).
 * Returns -1 with errno set to err. */
int safefile_error(const char *path, int err, const char *what, tm_error *e);

/* Report that path (what names it) has the file type of mode m where a
 * regular file belongs (TM_EBACKEND, ST_INTERNAL_DB_CORRUPTION, with what
 * to do). Returns -1. */
int safefile_odd_type(const char *path, mode_t m, const char *what, tm_error *e);

/* What kind of file mode m is, for people: "a FIFO (named pipe)", "a
 * socket", "a device", "a folder", "a symbolic link", "a regular file". */
const char *safefile_type_name(mode_t m);

/* The user this process runs as, for messages ("alice (uid 1000)"). */
const char *safefile_user(char *buf, size_t n);

#endif
