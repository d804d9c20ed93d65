/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* authblob.h - trustAuthIncoming / trustAuthOutgoing (MS-ADTS 6.1.6.9.1).
 *
 * Layout, little endian: count, current_offset (12 when count > 0),
 * previous_offset, current[count], previous[count]; each entry is
 * LastUpdateTime (FILETIME, uint64), AuthType, AuthInfoLength, AuthInfo,
 * zero padding to a multiple of 4.  count == 0 encodes as 12 zero bytes.
 *
 * In memory a blob holds up to AUTHBLOB_MAX entries per side. Secret bytes
 * live in heap buffers that authblob_free() wipes.
 *
 * An empty previous side: previous_offset equal to the total length (as in
 * docs/RULES.md, "Test vector") means "no previous entries"; it decodes to
 * has_previous = 0, and a blob with has_previous = 0 encodes that way.
 * Strictness: padding bytes must be zero and NONE entries must have no
 * AuthInfo (both refused otherwise, so decode + encode reproduces the input
 * byte for byte); count == 0 requires both offsets 0 and exactly 12 bytes.
 */
#ifndef TM_AUTHBLOB_H
#define TM_AUTHBLOB_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"

enum {
	TRUST_AUTH_TYPE_NONE = 0,
	TRUST_AUTH_TYPE_NT4OWF = 1,
	TRUST_AUTH_TYPE_CLEAR = 2,
	TRUST_AUTH_TYPE_VERSION = 3
};

#define AUTHBLOB_MAX 4             /* entries per side we accept */
#define AUTHBLOB_INFO_MAX 4096     /* longest AuthInfo we accept */
#define AUTHBLOB_PW_MAX 1024       /* longest password in UTF-8 bytes */

typedef struct authblob_entry {
	uint64_t last_update;      /* FILETIME: 100 ns since 1601-01-01 UTC */
	uint32_t type;             /* TRUST_AUTH_TYPE_* */
	uint32_t len;              /* AuthInfoLength */
	uint8_t *data;             /* len bytes, owned; NULL when len == 0 */
} authblob_entry;

typedef struct authblob {
	uint32_t count;                         /* entries per side */
	int has_previous;                       /* previous entries present
						   (previous_offset < length) */
	authblob_entry current[AUTHBLOB_MAX];
	authblob_entry previous[AUTHBLOB_MAX];
} authblob;

/* Decode; rejects truncated input, offsets out of range or inconsistent with
 * count, count above AUTHBLOB_MAX, unknown AuthType, VERSION entries whose
 * length is not 4, NT4OWF whose length is not 16, odd-length CLEAR, trailing
 * garbage.  Returns 0, or -1 with e set (STATUS_INTERNAL_DB_CORRUPTION) and
 * out left empty. */
int authblob_decode(const uint8_t *buf, size_t len, authblob *out, tm_error *e);

/* Encode into a malloc'd buffer (*out, *outlen). Returns 0 or -1 (ENOMEM or
 * invalid blob). The caller wipes and frees *out (secret_wipe_free). */
int authblob_encode(const authblob *b, uint8_t **out, size_t *outlen);

/* Wipe and free every entry; leaves an empty blob (count 0). */
void authblob_free(authblob *b);

/* Deep copy. Returns 0 or -1. */
int authblob_copy(authblob *dst, const authblob *src);

/* How a new password is written (docs/RULES.md, "How trustmgr writes a
 * password"). */
typedef enum authblob_mode {
	AUTHBLOB_FRESH,        /* new TDO: previous = current = new */
	AUTHBLOB_ROTATE,       /* current moves to previous, new becomes current */
	AUTHBLOB_RESET_TWICE   /* current = previous = new (netdom /resetOneSide) */
} authblob_mode;

/* Set a UTF-8 password (converted to UTF-16LE CLEAR) with a VERSION entry
 * holding kvno, stamped at time ft. With AUTHBLOB_ROTATE and an empty blob,
 * behaves like FRESH. Returns 0 or -1 with e set. */
int authblob_set_password(authblob *b, const char *password, uint32_t kvno,
			  uint64_t ft, authblob_mode mode, tm_error *e);

/* Extract the current (which = 0) or previous (which = 1) CLEAR password as
 * UTF-8 into a secret_alloc string (*pw; free with secret_free). UTF-16 that
 * is not text (unpaired surrogates, U+0000) is read as an AD DC's KDC reads
 * it: U+FFFD and U+0001 (docs/AD.md). Returns 0, 1 when that side has no
 * CLEAR entry, or -1 with e set (out of memory). */
int authblob_get_password(const authblob *b, int which, char **pw, tm_error *e);

/* Key version stored with the current (0) or previous (1) side; 0 when none. */
uint32_t authblob_kvno(const authblob *b, int which);

/* LastUpdateTime of the current side's first entry; 0 when empty. */
uint64_t authblob_time(const authblob *b);

/* 1 when current and previous hold the same CLEAR password. */
int authblob_previous_equals_current(const authblob *b);

/* FILETIME <-> Unix seconds. */
uint64_t authblob_filetime(long long unix_seconds);
long long authblob_unixtime(uint64_t ft);

#endif
