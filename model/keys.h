/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* keys.h - Kerberos key arithmetic for trust principals (docs/RULES.md,
 * "Trusts in MIT Kerberos").
 *
 * Pure computation through libkrb5 (string-to-key, encrypt, decrypt); no
 * network, no configuration files: the context is created from an empty
 * profile.  For "A trusts B" both KDCs hold krbtgt/A-REALM@B-REALM with the
 * same key and kvno; its salt is the principal's normal salt
 * B-REALM + "krbtgt" + A-REALM.
 */
#ifndef TM_KEYS_H
#define TM_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"

#define KEYS_PRINC_MAX 600
#define KEYS_MAX_BYTES 64
#define KEYS_MAX_PER_KVNO 4

/* Kerberos enctype numbers (RFC 3961/3962/4757). */
#define KEYS_ETYPE_AES256 18
#define KEYS_ETYPE_AES128 17
#define KEYS_ETYPE_RC4 23

typedef struct tm_key {
	int32_t enctype;
	uint32_t kvno;
	size_t len;
	uint8_t bytes[KEYS_MAX_BYTES];
} tm_key;

/* "krbtgt/<TRUSTING>@<TRUSTED>" for "trusting trusts trusted".
 * Returns 0, or -1 with e when the buffer is too small. */
int keys_trust_principal(const char *trusting_realm, const char *trusted_realm,
			 char *buf, size_t n, tm_error *e);

/* The other way: TRUSTING and TRUSTED of "krbtgt/<TRUSTING>@<TRUSTED>" into
 * buffers of n bytes each. 1, or 0 when principal is not of that form or a
 * part does not fit. */
int keys_split_trust_principal(const char *principal, char *trusting, char *trusted, size_t n);

/* Enctype bits (msDS-SupportedEncryptionTypes) -> enctype numbers, strongest
 * first (AES256, AES128, RC4). 0 bits means the default set AES256+AES128.
 * DES bits are ignored. Returns the count written (<= max). */
size_t keys_enctypes_from_bits(uint32_t bits, int32_t *out, size_t max);

/* Bit of one enctype number, 0 if unknown. */
uint32_t keys_bit_of_enctype(int32_t enctype);

/* Name for an enctype number ("aes256-cts-hmac-sha1-96", "rc4-hmac"). */
const char *keys_enctype_name(int32_t enctype);

/* Derive one key per enctype in bits from password with the principal's
 * default salt. Writes up to max keys, sets *n. Returns 0 or -1 with e. */
int keys_derive(const char *principal, const char *password, uint32_t bits,
		uint32_t kvno, tm_key *out, size_t max, size_t *n, tm_error *e);

/* Derive the key of one enctype from password with the principal's default
 * salt (any enctype libkrb5 knows, e.g. one read from a keytab).
 * Returns 0 or -1 with e. */
int keys_derive_one(const char *principal, const char *password, int32_t enctype,
		    uint32_t kvno, tm_key *out, tm_error *e);

/* Derive one key of enctype from password with an explicit salt of saltlen
 * bytes; iterations is the AES PBKDF2 count (0 = the enctype's default,
 * 4096 for AES; libkrb5 refuses smaller counts; must be 0 for other enctypes).
 * Returns 0 or -1 with e. */
int keys_derive_salted(int32_t enctype, const char *password, const void *salt,
		       size_t saltlen, uint32_t iterations, uint32_t kvno,
		       tm_key *out, tm_error *e);

/* Encrypt plain with key (key usage 2, as a ticket) into a malloc'd buffer.
 * Returns 0 or -1 with e. */
int keys_seal(const tm_key *key, const uint8_t *plain, size_t len,
	      uint8_t **out, size_t *outlen, tm_error *e);

/* Decrypt; returns 0 on success, 1 when the integrity check failed (wrong
 * key), -1 on other errors with e. *out is malloc'd on success. */
int keys_unseal(const tm_key *key, const uint8_t *cipher, size_t len,
		uint8_t **out, size_t *outlen, tm_error *e);

/* Wipe a key array. */
void keys_wipe(tm_key *keys, size_t n);

struct _krb5_context;

/* The one libkrb5 context of the program, made on first use from an empty
 * profile (no configuration file is read). Owned here, released by
 * keys_shutdown(); NULL with e when it cannot be made. For the backend's
 * keytab code, which must share it. */
struct _krb5_context *keys_context(tm_error *e);

/* Release the library context (at exit; safe to call when never used). */
void keys_shutdown(void);

#endif
