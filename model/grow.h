/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* grow.h - room in an array that grows geometrically. */
#ifndef TM_GROW_H
#define TM_GROW_H

#include <stddef.h>

/* Room for `need` elements of `elem` bytes in the array v of *cap elements:
 * v itself when it has room, else v grown (doubling, starting at `first`)
 * with its contents kept and *cap updated. NULL when memory or size_t runs
 * out; v is then left as it was, still owned by the caller. */
void *grow_array(void *v, size_t *cap, size_t need, size_t elem, size_t first);

#endif
