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
 *    uint32 NetbiosNameLength, NetBIOS name.
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
	FTI_DOMAIN_INFO = 2
};

#define FTI_MAX_RECORDS 1024

typedef struct fti_record {
	uint32_t flags;
	int64_t timestamp;         /* FILETIME */
	uint8_t type;              /* FTI_* */
	char *name;                /* TOP_LEVEL_NAME(_EX): the name; DOMAIN_INFO: DNS name */
	char *netbios;             /* DOMAIN_INFO only */
	tm_sid sid;                /* DOMAIN_INFO only */
} fti_record;

typedef struct fti_info {
	size_t count;
	fti_record *records;
} fti_info;

/* Decode; rejects version != 1, truncation, lengths that overrun, unknown
 * record types, invalid SIDs, embedded NULs, trailing bytes, more than
 * FTI_MAX_RECORDS. Returns 0 or -1 with e (STATUS_INVALID_PARAMETER). */
int forestinfo_decode(const uint8_t *buf, size_t len, fti_info *out, tm_error *e);

/* Encode into a malloc'd buffer. Returns 0 or -1 (ENOMEM). */
int forestinfo_encode(const fti_info *fi, uint8_t **out, size_t *outlen);

/* The default information for a partner forest (docs/RULES.md, rule 6): one
 * top-level-name record for dns and one domain-info record. Returns 0 or -1. */
int forestinfo_default(fti_info *out, const char *dns, const char *netbios,
		const tm_sid *sid, int64_t ft);

void forestinfo_free(fti_info *fi);

#endif
