/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* fsmode.h - the modes of the files and folders trustmgr creates: private
 * to the user who runs it, or shared with an administrators' group.
 *
 * A folder is shared when its group may read, write and enter it, the
 * set-group-ID bit is set (so that what is created in it inherits the
 * group) and others have no access: the layout the package gives
 * /var/lib/trustmgr and /var/log/trustmgr (root:trustmgr, mode 2770). Once
 * trustmgr works in such a folder, what it creates there is shared the
 * same way (files 0660, folders 2770), so that a second administrator of
 * the group can read the journal of the first, resume it, roll it back,
 * and take the same lock. Anything else stays private (0600 and 0700), as
 * per-user state always was. See docs/ROBUSTNESS.md "Shared state".
 */
#ifndef TM_FSMODE_H
#define TM_FSMODE_H

#include <sys/types.h>

/* Is path a shared folder as described above? 1 yes, 0 no (also when it
 * does not exist or cannot be examined). */
int fsmode_is_shared_dir(const char *path);

/* From now on create shared files and folders (on != 0); also sets the
 * process's umask to 007 so that the group bits survive creation. */
void fsmode_share(int on);

/* Are files being created shared? */
int fsmode_shared(void);

/* The mode of a new file (0600 or 0660) and of a new folder (0700 or 02770). */
mode_t fsmode_file(void);
mode_t fsmode_dir(void);

/* The mode of a new file at path: 0660 when the folder holding it is
 * shared (the audit log in /var/log/trustmgr), else fsmode_file(). */
mode_t fsmode_file_at(const char *path);

/* Give the open file fd mode m when this user owns it and the umask took
 * bits away at creation; nothing otherwise. */
void fsmode_settle(int fd, mode_t m);

#endif
