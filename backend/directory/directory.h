/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* directory.h - the backend for real domains: each domain's TDOs in its
 * OpenLDAP directory (ldapdir.h), its trust keys in its MIT KDC (kdc.h), as
 * described by trustmgr.conf (config.h). Health, the lock and the journal
 * are kept locally in the configuration's state_dir. */
#ifndef TM_DIRECTORY_H
#define TM_DIRECTORY_H

#include "backend/ops.h"

/* Read the configuration at path and return the backend, or NULL with e. */
tm_backend *directory_open(const char *config_path, tm_error *e);

#endif
