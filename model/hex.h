/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* hex.h - hexadecimal digits, for the text forms that carry them (a SID's
 * hex authority, the journal's percent-escapes and byte strings). */
#ifndef TM_HEX_H
#define TM_HEX_H

/* The value 0-15 of the hex digit c (either case), or -1 when c is none. */
int hex_digit(int c);

#endif
