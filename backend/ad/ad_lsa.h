/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* ad_lsa.h - Active Directory's LSA through the helper trustmgr_lsa.py.
 *
 * Debian has no C client for LSA (MS-LSAD), so trustmgr runs a helper on
 * Samba's own Python bindings, the engine samba-tool uses: started once per
 * command and DC (when a first call needs it), it reads requests on one
 * pipe and answers on another, and secrets travel only through them. The
 * protocol (docs/AD.md, "What goes through LSA, and why a helper process";
 * the top of trustmgr_lsa_protocol.py): one message per line; words separated by a space; the first
 * word is the verb of a request, or `item`, `ok` or `error` in a reply;
 * every other word is key=value with the value's bytes in lower-case hex.
 * A reply is items, then one ok or error line; an error line carries
 * status (an NTSTATUS name), code and message.
 */
#ifndef TM_AD_LSA_H
#define TM_AD_LSA_H

#include <stddef.h>

#include "model/error.h"

#define AD_LSA_KEY_MAX 32

/* One key=value of a message; the value is binary (len bytes, plus a NUL
 * after them for text), held in wiped memory. */
typedef struct ad_kv {
	char key[AD_LSA_KEY_MAX];
	char *val;
	size_t len;
} ad_kv;

/* A message: the verb or status word, then its values. */
typedef struct ad_msg {
	char word[AD_LSA_KEY_MAX];
	ad_kv *kv;
	size_t n, cap;
} ad_msg;

/* A reply: its items and the closing ok or error line. */
typedef struct ad_reply {
	ad_msg *items;
	size_t nitems, cap;
	ad_msg end;
	int ok;                        /* 1 when end is `ok` */
} ad_reply;

typedef struct ad_lsa ad_lsa;

/* The helper factory: one `python3 trustmgr_lsa.py --factory` that loads
 * Samba's libraries once and makes each helper with fork() when
 * ad_lsa_start asks it (two pipes passed over a socket), so that the
 * helpers of a command start at once instead of each loading Python and
 * Samba again. It never reads a request, so it never holds a secret. NULL
 * with e when it cannot be started (helpers are then started one by one). */
typedef struct ad_lsa_factory ad_lsa_factory;
ad_lsa_factory *ad_lsa_factory_start(tm_error *e);
/* End the factory (the helpers it made live on until stopped). */
void ad_lsa_factory_stop(ad_lsa_factory **f);

/* Start a helper and send it hello, whose answer the first ad_lsa_call
 * reads first (so Python starts while the caller works on): made by the
 * factory f when there is one and it answers, else python3 with
 * trustmgr_lsa.py (found as ad_lsa_helper_path says) started for it alone.
 * timeout bounds each answer, in seconds. NULL with e. */
ad_lsa *ad_lsa_start(ad_lsa_factory *f, int timeout, tm_error *e);

/* Say quit (once; a helper never asked anything is killed instead), so
 * that several helpers leave side by side before ad_lsa_stop waits. */
void ad_lsa_quit(ad_lsa *h);

/* Say quit unless said, wait for the helper's output to end (it exits),
 * within the timeout; killed when it does not. */
void ad_lsa_stop(ad_lsa **h);

/* Where the helper is: $TRUSTMGR_LSA_HELPER, else trustmgr_lsa.py beside the
 * running binary, else TM_LIBEXECDIR's (the installed one). Into buf. */
int ad_lsa_helper_path(char *buf, size_t n, tm_error *e);

/* Start a message with word (a verb). */
void ad_msg_init(ad_msg *m, const char *word);
/* Append key=value (len bytes; a text value: len = strlen). 0 or -1 ENOMEM. */
int ad_msg_add(ad_msg *m, const char *key, const void *val, size_t len);
int ad_msg_add_str(ad_msg *m, const char *key, const char *val);
int ad_msg_add_u32(ad_msg *m, const char *key, unsigned long v);
/* The value of key, or NULL; *len when not NULL. */
const char *ad_msg_get(const ad_msg *m, const char *key, size_t *len);
/* The value of key as a number, or dflt when missing or not a number. */
unsigned long ad_msg_get_u32(const ad_msg *m, const char *key, unsigned long dflt);
/* Wipe and free every value. */
void ad_msg_free(ad_msg *m);
void ad_reply_free(ad_reply *r);

/* Send req and read the reply. Returns 0 with *out filled (out->ok says ok
 * or error: see ad_lsa_error), or -1 with e when the helper could not be
 * talked to (it died, did not answer within the timeout, said nonsense):
 * the helper is then stopped and later calls fail at once. */
int ad_lsa_call(ad_lsa *h, const ad_msg *req, ad_reply *out, tm_error *e);

/* ad_lsa_call in two halves, so that a request can travel while the caller
 * works on: send req (-1 with e when the helper cannot take it), and later
 * read the reply to the oldest request sent (word names it in messages). */
int ad_lsa_send(ad_lsa *h, const ad_msg *req, tm_error *e);
int ad_lsa_receive(ad_lsa *h, const char *word, ad_reply *out, tm_error *e);

/* The error of a reply as e (class TM_EBACKEND, or TM_EREFUSED for access
 * and rule refusals, with the NTSTATUS name as status): "<doing> failed on
 * <where>: <message> (NTSTATUS, code)". Returns -1. */
int ad_lsa_error(const ad_reply *r, const char *doing, const char *where, tm_error *e);

#endif
