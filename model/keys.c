/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* keys.c - Kerberos key arithmetic for trust principals, through libkrb5.
 *
 * Only pure computation happens here: string-to-key, encrypt, decrypt.  The
 * library context is built from an empty profile so that neither
 * /etc/krb5.conf nor $KRB5_CONFIG is read and no realm, KDC or DNS lookup
 * can ever be triggered.
 */
#include "model/keys.h"

#include <krb5.h>
#include <profile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYS_TICKET_USAGE 2   /* key usage of a ticket's enc-part (RFC 4120) */

static krb5_context keys_ctx;

static const struct {
	int32_t enctype;
	uint32_t bit;
	const char *name;
} keys_table[] = {
	{ KEYS_ETYPE_AES256, 0x10u, "aes256-cts-hmac-sha1-96" },
	{ KEYS_ETYPE_AES128, 0x08u, "aes128-cts-hmac-sha1-96" },
	{ KEYS_ETYPE_RC4, 0x04u, "rc4-hmac" },
	{ 3, 0x02u, "des-cbc-md5" },
	{ 1, 0x01u, "des-cbc-crc" },
};

#define KEYS_NTABLE (sizeof(keys_table) / sizeof(keys_table[0]))
#define KEYS_DEFAULT_BITS 0x18u     /* AES256 + AES128 */
#define KEYS_SUPPORTED_BITS 0x1cu   /* DES is never used */

/* Record a library failure with the library's own words. */
static int keys_fail_krb(tm_error *e, krb5_error_code rc, const char *doing)
{
	const char *msg;

	if (!keys_ctx)
		return error_fail(e, TM_EBACKEND, NULL, "%s failed (Kerberos error %ld)",
			       doing, (long)rc);
	msg = krb5_get_error_message(keys_ctx, rc);
	error_fail(e, TM_EBACKEND, NULL, "%s failed: %s", doing, msg);
	krb5_free_error_message(keys_ctx, msg);
	return -1;
}

/* The shared context, made on first use from an empty profile. */
struct _krb5_context *keys_context(tm_error *e)
{
	profile_t prof = NULL;
	long prc;
	krb5_error_code rc;

	if (keys_ctx)
		return keys_ctx;
	/* profile_init() with no files gives an empty profile; handing it to
	 * krb5_init_context_profile() keeps the library away from krb5.conf
	 * (a NULL profile would make it read the default files). */
	prc = profile_init(NULL, &prof);
	if (prc != 0) {
		error_fail(e, TM_EBACKEND, NULL,
			"could not create an empty Kerberos profile (error %ld)", prc);
		return NULL;
	}
	rc = krb5_init_context_profile(prof, 0, &keys_ctx);
	profile_release(prof);
	if (rc != 0) {
		keys_ctx = NULL;
		error_fail(e, TM_EBACKEND, NULL,
			"could not initialise the Kerberos library (error %ld)", (long)rc);
		return NULL;
	}
	return keys_ctx;
}

/* Free the shared context; the next use makes a new one. */
void keys_shutdown(void)
{
	if (!keys_ctx)
		return;
	krb5_free_context(keys_ctx);
	keys_ctx = NULL;
}

/* Is s usable as a realm name inside a principal? */
static int keys_realm_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == '@' || *s == '\\' || (unsigned char)*s <= ' ')
			return 0;
	return 1;
}

/* krbtgt/TRUSTING@TRUSTED, refusing realm names that would not parse. */
int keys_split_trust_principal(const char *principal, char *trusting, char *trusted, size_t n)
{
	const char *slash = strchr(principal, '/'), *at = strrchr(principal, '@');

	if (strncmp(principal, "krbtgt/", 7) != 0 || !slash || !at || at < slash ||
	    (size_t)(at - slash - 1) >= n || strlen(at + 1) >= n)
		return 0;
	memcpy(trusting, slash + 1, (size_t)(at - slash - 1));
	trusting[at - slash - 1] = '\0';
	memcpy(trusted, at + 1, strlen(at + 1) + 1);
	return 1;
}

int keys_trust_principal(const char *trusting_realm, const char *trusted_realm,
			 char *buf, size_t n, tm_error *e)
{
	int len;

	if (!keys_realm_ok(trusting_realm) || !keys_realm_ok(trusted_realm))
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "a realm name is empty or contains '/', '@', '\\' or a space");
	len = snprintf(buf, n, "krbtgt/%s@%s", trusting_realm, trusted_realm);
	if (len < 0 || (size_t)len >= n)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "the principal krbtgt/%s@%s is too long", trusting_realm,
			       trusted_realm);
	return 0;
}

/* Enctype numbers of bits, strongest first; 0 means AES256+AES128. */
size_t keys_enctypes_from_bits(uint32_t bits, int32_t *out, size_t max)
{
	size_t i, k = 0;

	if (bits == 0)
		bits = KEYS_DEFAULT_BITS;
	bits &= KEYS_SUPPORTED_BITS;
	for (i = 0; i < KEYS_NTABLE && k < max; i++)
		if (bits & keys_table[i].bit)
			out[k++] = keys_table[i].enctype;
	return k;
}

/* msDS-SupportedEncryptionTypes bit of one enctype, 0 if unknown. */
uint32_t keys_bit_of_enctype(int32_t enctype)
{
	size_t i;

	for (i = 0; i < KEYS_NTABLE; i++)
		if (keys_table[i].enctype == enctype)
			return keys_table[i].bit;
	return 0;
}

/* Static name of an enctype ("unknown" when not in the table). */
const char *keys_enctype_name(int32_t enctype)
{
	size_t i;

	for (i = 0; i < KEYS_NTABLE; i++)
		if (keys_table[i].enctype == enctype)
			return keys_table[i].name;
	return "unknown";
}

/* Copy a library keyblock into out, refusing oversized keys. */
static int keys_take(tm_key *out, const krb5_keyblock *kb, uint32_t kvno, tm_error *e)
{
	if (kb->length > KEYS_MAX_BYTES)
		return error_fail(e, TM_EBACKEND, NULL,
			       "a %s key of %u bytes is longer than supported",
			       keys_enctype_name(kb->enctype), (unsigned)kb->length);
	memset(out, 0, sizeof(*out));
	out->enctype = kb->enctype;
	out->kvno = kvno;
	out->len = kb->length;
	memcpy(out->bytes, kb->contents, kb->length);
	return 0;
}

/* string-to-key with an already built salt and optional s2k parameters. */
static int keys_s2k(krb5_context ctx, int32_t enctype, const char *password,
		    const krb5_data *salt, const krb5_data *params, uint32_t kvno,
		    tm_key *out, tm_error *e)
{
	krb5_data pw;
	krb5_keyblock kb;
	krb5_error_code rc;
	int ret;

	pw.magic = KV5M_DATA;
	pw.length = (unsigned int)strlen(password);
	/* The library wants a non-const pointer but only reads the password. */
	pw.data = malloc(pw.length + 1);
	if (!pw.data)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	memcpy(pw.data, password, pw.length + 1);
	memset(&kb, 0, sizeof(kb));
	rc = krb5_c_string_to_key_with_params(ctx, enctype, &pw, salt, params, &kb);
	explicit_bzero(pw.data, pw.length);
	free(pw.data);
	if (rc != 0)
		return keys_fail_krb(e, rc, "deriving a key from the password");
	ret = keys_take(out, &kb, kvno, e);
	krb5_free_keyblock_contents(ctx, &kb);
	return ret;
}

/* string-to-key with an explicit salt and optional AES iteration count. */
int keys_derive_salted(int32_t enctype, const char *password, const void *salt,
		       size_t saltlen, uint32_t iterations, uint32_t kvno,
		       tm_key *out, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	unsigned char iter[4];
	char saltbuf[KEYS_PRINC_MAX];
	krb5_data s, p;

	if (!ctx)
		return -1;
	if (!password || saltlen > sizeof(saltbuf))
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "missing password or salt too long");
	if (saltlen)
		memcpy(saltbuf, salt, saltlen);
	s.magic = KV5M_DATA;
	s.length = (unsigned int)saltlen;
	s.data = saltbuf;
	if (iterations == 0)
		return keys_s2k(ctx, enctype, password, &s, NULL, kvno, out, e);
	iter[0] = (unsigned char)(iterations >> 24);
	iter[1] = (unsigned char)(iterations >> 16);
	iter[2] = (unsigned char)(iterations >> 8);
	iter[3] = (unsigned char)iterations;
	p.magic = KV5M_DATA;
	p.length = sizeof(iter);
	p.data = (char *)iter;
	return keys_s2k(ctx, enctype, password, &s, &p, kvno, out, e);
}

/* The default salt of principal (realm + components), malloc'd in *salt. */
static int keys_principal_salt(krb5_context ctx, const char *principal,
			       krb5_data *salt, tm_error *e)
{
	krb5_principal p = NULL;
	krb5_error_code rc;

	if (!principal || !strchr(principal, '@'))
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER,
			       "the principal name \"%s\" has no realm",
			       principal ? principal : "");
	rc = krb5_parse_name(ctx, principal, &p);
	if (rc != 0)
		return keys_fail_krb(e, rc, "parsing the principal name");
	rc = krb5_principal2salt(ctx, p, salt);
	krb5_free_principal(ctx, p);
	if (rc != 0)
		return keys_fail_krb(e, rc, "computing the principal's salt");
	return 0;
}

/* string-to-key of one enctype with the principal's default salt. */
int keys_derive_one(const char *principal, const char *password, int32_t enctype,
		    uint32_t kvno, tm_key *out, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	krb5_data salt;
	int ret;

	if (!ctx)
		return -1;
	if (!password)
		return error_fail(e, TM_EUSAGE, ST_INVALID_PARAMETER, "no password given");
	if (keys_principal_salt(ctx, principal, &salt, e) < 0)
		return -1;
	ret = keys_s2k(ctx, enctype, password, &salt, NULL, kvno, out, e);
	krb5_free_data_contents(ctx, &salt);
	return ret;
}

/* One key per enctype of bits, with the principal's default salt. */
int keys_derive(const char *principal, const char *password, uint32_t bits,
		uint32_t kvno, tm_key *out, size_t max, size_t *n, tm_error *e)
{
	int32_t et[KEYS_MAX_PER_KVNO];
	size_t i, count = keys_enctypes_from_bits(bits, et, KEYS_MAX_PER_KVNO);

	*n = 0;
	if (count == 0)
		return error_fail(e, TM_EUSAGE, ST_KDC_UNKNOWN_ETYPE,
			       "no supported encryption type in 0x%x (DES is not used)",
			       (unsigned)bits);
	for (i = 0; i < count && i < max; i++) {
		if (keys_derive_one(principal, password, et[i], kvno, &out[i], e) < 0) {
			keys_wipe(out, i);
			return -1;
		}
		*n = i + 1;
	}
	return 0;
}

/* A library keyblock over a private copy of key's bytes (wipe buf after). */
static void keys_block(const tm_key *key, uint8_t *buf, krb5_keyblock *kb)
{
	memcpy(buf, key->bytes, key->len);
	kb->magic = KV5M_KEYBLOCK;
	kb->enctype = key->enctype;
	kb->length = (unsigned int)key->len;
	kb->contents = buf;
}

/* A malloc'd copy of len bytes as library data. */
static int keys_data_dup(const uint8_t *p, size_t len, krb5_data *d, tm_error *e)
{
	d->magic = KV5M_DATA;
	d->length = (unsigned int)len;
	d->data = malloc(len ? len : 1);
	if (!d->data)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	if (len)
		memcpy(d->data, p, len);
	return 0;
}

/* Encrypt once the key and input are in library form. */
static int keys_encrypt(krb5_context ctx, const krb5_keyblock *kb, const krb5_data *in,
			uint8_t **out, size_t *outlen, tm_error *e)
{
	krb5_enc_data enc;
	size_t need;
	krb5_error_code rc;

	rc = krb5_c_encrypt_length(ctx, kb->enctype, in->length, &need);
	if (rc != 0)
		return keys_fail_krb(e, rc, "sizing the sealed data");
	memset(&enc, 0, sizeof(enc));
	enc.ciphertext.length = (unsigned int)need;
	enc.ciphertext.data = malloc(need);
	if (!enc.ciphertext.data)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	rc = krb5_c_encrypt(ctx, kb, KEYS_TICKET_USAGE, NULL, in, &enc);
	if (rc != 0) {
		free(enc.ciphertext.data);
		return keys_fail_krb(e, rc, "sealing with the key");
	}
	*out = (uint8_t *)enc.ciphertext.data;
	*outlen = enc.ciphertext.length;
	return 0;
}

/* Decrypt once the key and ciphertext are in library form. */
static int keys_decrypt(krb5_context ctx, const krb5_keyblock *kb, const tm_key *key,
			const krb5_data *cipher, uint8_t **out, size_t *outlen,
			tm_error *e)
{
	krb5_enc_data enc;
	krb5_data plain;
	krb5_error_code rc;

	memset(&enc, 0, sizeof(enc));
	enc.magic = KV5M_ENC_DATA;
	enc.enctype = key->enctype;
	enc.kvno = key->kvno;
	enc.ciphertext = *cipher;
	plain.magic = KV5M_DATA;
	plain.length = cipher->length;
	plain.data = malloc(cipher->length ? cipher->length : 1);
	if (!plain.data)
		return error_fail(e, TM_EBACKEND, NULL, "out of memory");
	rc = krb5_c_decrypt(ctx, kb, KEYS_TICKET_USAGE, NULL, &enc, &plain);
	if (rc != 0) {
		explicit_bzero(plain.data, cipher->length);
		free(plain.data);
		if (rc == KRB5KRB_AP_ERR_BAD_INTEGRITY)
			return 1;
		return keys_fail_krb(e, rc, "opening sealed data");
	}
	*out = (uint8_t *)plain.data;
	*outlen = plain.length;
	return 0;
}

/* Seal (encrypt) or open (decrypt) len bytes of data with key, key usage 2,
 * into a malloc'd buffer: the key and the data are copied into the
 * library's form for the call and wiped afterwards. */
static int keys_crypt(const tm_key *key, const uint8_t *data, size_t len, int seal,
		      uint8_t **out, size_t *outlen, tm_error *e)
{
	krb5_context ctx = keys_context(e);
	uint8_t buf[KEYS_MAX_BYTES];
	krb5_keyblock kb;
	krb5_data in;
	int ret;

	*out = NULL;
	*outlen = 0;
	if (!ctx || keys_data_dup(data, len, &in, e) < 0)
		return -1;
	keys_block(key, buf, &kb);
	ret = seal ? keys_encrypt(ctx, &kb, &in, out, outlen, e) :
		     keys_decrypt(ctx, &kb, key, &in, out, outlen, e);
	explicit_bzero(buf, sizeof(buf));
	explicit_bzero(in.data, in.length);
	free(in.data);
	return ret;
}

/* Encrypt with key usage 2 into a malloc'd buffer. */
int keys_seal(const tm_key *key, const uint8_t *plain, size_t len,
	      uint8_t **out, size_t *outlen, tm_error *e)
{
	return keys_crypt(key, plain, len, 1, out, outlen, e);
}

/* Decrypt; 1 on integrity failure (wrong key), -1 on other errors. */
int keys_unseal(const tm_key *key, const uint8_t *cipher, size_t len,
		uint8_t **out, size_t *outlen, tm_error *e)
{
	return keys_crypt(key, cipher, len, 0, out, outlen, e);
}

/* Zero n keys in a way the compiler keeps. */
void keys_wipe(tm_key *keys, size_t n)
{
	if (keys && n)
		explicit_bzero(keys, n * sizeof(*keys));
}
