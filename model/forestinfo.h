/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* forestinfo.h - msDS-TrustForestTrustInfo (MS-ADTS 6.1.6.9.3): the forest
 * trust information records kept on a forest-transitive TDO.
 *
 * Binary layout, little endian: uint32 Version (1), uint32 RecordCount, then
 * records: uint32 RecordLength (bytes after this field), uint32 Flags,
 * int64 Timestamp, uint8 RecordType, then the data:
 *  - TopLevelName (0) / TopLevelNameEx (1): uint32 NameLength, UTF-8 name
 *    (no NUL);
 *  - DomainInfo (2): uint32 SidLength, SID, uint32 DnsNameLength, DNS name,
 *    uint32 NetbiosNameLength, NetBIOS name;
 *  - every other type (BinaryInfo 3: uint32 length and the bytes, as Samba
 *    and MS-LSAD define it; ScannerInfo 4; types still to come): kept as the
 *    opaque bytes after RecordType, never interpreted, written back as read.
 *
 * Flags (MS-LSAD 2.2.7.21): on a top-level name, TLN_DISABLED_NEW 0x1,
 * _ADMIN 0x2, _CONFLICT 0x4; on a domain, SID_DISABLED_ADMIN 0x1, _CONFLICT
 * 0x2, NB_DISABLED_ADMIN 0x4, _CONFLICT 0x8. A record is enabled when none of
 * these bits is set.
 */
#ifndef TM_FORESTINFO_H
#define TM_FORESTINFO_H

#include <stddef.h>
#include <stdint.h>

#include "model/sid.h"
#include "model/error.h"

enum {
	FTI_TOP_LEVEL_NAME = 0,
	FTI_TOP_LEVEL_NAME_EX = 1,
	FTI_DOMAIN_INFO = 2,
	FTI_BINARY_INFO = 3,       /* kept opaque */
	FTI_SCANNER_INFO = 4       /* kept opaque */
};

/* Record status flags (MS-LSAD 2.2.7.21). */
#define FTI_TLN_DISABLED_NEW      0x1u
#define FTI_TLN_DISABLED_ADMIN    0x2u
#define FTI_TLN_DISABLED_CONFLICT 0x4u
#define FTI_TLN_DISABLED_MASK     0x7u
#define FTI_SID_DISABLED_ADMIN    0x1u
#define FTI_SID_DISABLED_CONFLICT 0x2u
#define FTI_SID_DISABLED_MASK     0x3u
#define FTI_NB_DISABLED_ADMIN     0x4u
#define FTI_NB_DISABLED_CONFLICT  0x8u
#define FTI_NB_DISABLED_MASK      0xcu

#define FTI_MAX_RECORDS 1024

typedef struct fti_record {
	uint32_t flags;
	int64_t timestamp;         /* FILETIME */
	uint8_t type;              /* FTI_* */
	char *name;                /* TOP_LEVEL_NAME(_EX): the name; DOMAIN_INFO: DNS name */
	char *netbios;             /* DOMAIN_INFO only */
	tm_sid sid;                /* DOMAIN_INFO only */
	uint8_t *data;             /* any other type: the bytes after RecordType; owned */
	size_t data_len;
} fti_record;

typedef struct fti_info {
	size_t count;
	fti_record *records;
} fti_info;

/* Decode; rejects version != 1, truncation, lengths that overrun, invalid
 * SIDs, embedded NULs, trailing bytes, more than FTI_MAX_RECORDS. Records of
 * a type other than 0-2 are kept opaque (data, data_len). Returns 0 or -1
 * with e (STATUS_INVALID_PARAMETER). */
int forestinfo_decode(const uint8_t *buf, size_t len, fti_info *out, tm_error *e);

/* Encode into a malloc'd buffer. Returns 0 or -1 (ENOMEM). */
int forestinfo_encode(const fti_info *fi, uint8_t **out, size_t *outlen);

/* The default information for a partner forest (docs/RULES.md, rule 6): one
 * top-level-name record for dns and one domain-info record. Returns 0 or -1. */
int forestinfo_default(fti_info *out, const char *dns, const char *netbios,
		const tm_sid *sid, int64_t ft);

void forestinfo_free(fti_info *fi);

/* Deep copy of src into dst (dst overwritten). Returns 0 or -1 (ENOMEM). */
int forestinfo_copy(fti_info *dst, const fti_info *src);

/* Free one record's strings and data; leaves it zeroed. */
void forestinfo_record_free(fti_record *r);

/* Is rec of a type this file interprets (top-level name, exclusion, domain)? */
int forestinfo_known(const fti_record *rec);

/* The index of fi's record of this type and name (compared as DNS names:
 * name_equal), or -1. Only types forestinfo_known interprets have names. */
long forestinfo_find(const fti_info *fi, uint8_t type, const char *name);

/* The record type in words: "TLN", "TLN exclusion", "domain", "binary data",
 * "scanner info", or "type N" (buf holds the last one). */
const char *forestinfo_type_name(const fti_record *rec, char *buf, size_t n);

/* The status flags of rec in words, joined by ", " into buf: "enabled",
 * "disabled (new)", "disabled (admin)", "conflict"; a domain's SID and
 * NetBIOS name are spoken of separately ("SID disabled (admin)", "NetBIOS
 * conflict"). Unknown bits as "flags 0xN". Returns buf. */
const char *forestinfo_status_words(const fti_record *rec, char *buf, size_t n);

/* Is the record enabled for routing? TLN: no TLN bit; domain: SID (which)
 * 0, or NetBIOS (which 1) not disabled. Exclusions and opaque: 1. */
int forestinfo_enabled(const fti_record *rec, int which);

/* A record's FILETIME as Unix seconds; 0 when it is not after 1970. */
long long forestinfo_unix_time(int64_t filetime);

#endif
