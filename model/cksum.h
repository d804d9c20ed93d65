/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* cksum.h - checksums of the files trustmgr writes back on rollback and
 * resume (the journal, its before-images, the keytabs of the store), so
 * that damage is found before anything is written.
 *
 * The checksum is CRC-32C (Castagnoli, the polynomial of iSCSI and ext4
 * metadata): it finds every burst of up to 32 flipped bits and every cut
 * that changes the length it is stored with. It protects against damage,
 * not against someone who rewrites a file on purpose (they could rewrite
 * its checksum too).
 *
 * A sum record is one line of text kept beside the data it describes:
 *
 *   trustmgr-sum 1 bytes <decimal length> crc32c <8 lower-case hex digits>
 */
#ifndef TM_CKSUM_H
#define TM_CKSUM_H

#include <stddef.h>
#include <stdint.h>

#define CKSUM_LINE_MAX 80        /* a sum record, newline and NUL included */

/* What a sum record says about its data. */
typedef struct cksum_rec {
	uint64_t bytes;
	uint32_t crc;
} cksum_rec;

/* The CRC-32C of n bytes at data, continuing from crc (0 to start). */
uint32_t cksum_crc32c(uint32_t crc, const void *data, size_t n);

/* The sum record of data (len bytes) into line (CKSUM_LINE_MAX bytes),
 * newline included. Returns its length. */
size_t cksum_format(char *line, const void *data, size_t len);

/* Parse a sum record (text of len bytes, one line, its newline optional).
 * Returns 0, or -1 with why (n bytes) saying what is wrong with it. */
int cksum_parse(const char *text, size_t len, cksum_rec *out, char *why, size_t n);

/* Does data (len bytes) match r? Returns 0, or -1 with why (n bytes):
 * the length that differs (cut short or grown) or the checksum. */
int cksum_verify(const cksum_rec *r, const void *data, size_t len, char *why, size_t n);

#endif
