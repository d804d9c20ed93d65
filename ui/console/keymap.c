/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* keymap.c - the request table's names and help, and the key bindings
 * made from its default keys (requests.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ui/console/con.h"
#include "ui/console/requests.h"

typedef struct req_info {
	const char *name;
	const char *key;
	const char *help;
} req_info;

static const req_info info[] = {
#define CON_REQ_ROW(id, name, key, help) { name, key, help },
	CON_REQ_INFO(CON_REQ_ROW)
#undef CON_REQ_ROW
};

#define KEYMAP_MAX 64

typedef struct binding {
	int key;
	int req;
} binding;

static binding map[KEYMAP_MAX];
static size_t nmap;

static const req_info *lookup(int req)
{
	if (req <= REQ_NONE || req >= REQ_LAST)
		return NULL;
	return &info[req - REQ_NONE - 1];
}

/* con_keymap_request_name: "" outside the table. */
const char *con_keymap_request_name(int req)
{
	const req_info *r = lookup(req);

	return r ? r->name : "";
}

/* con_keymap_request_help: "" outside the table. */
const char *con_keymap_request_help(int req)
{
	const req_info *r = lookup(req);

	return r ? r->help : "";
}

/* con_keymap_request_by_name: case-insensitive. */
int con_keymap_request_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < CON_ARRAY_LEN(info); i++)
		if (strcasecmp(info[i].name, name) == 0)
			return REQ_NONE + 1 + (int)i;
	return REQ_NONE;
}

/* con_keymap_reset: the defaults of the table (they always parse: the
 * console's own tests check every one). */
void con_keymap_reset(void)
{
	size_t i, used;
	char err[CON_MSG_MAX];
	int key;

	nmap = 0;
	for (i = 0; i < CON_ARRAY_LEN(info); i++) {
		if (!info[i].key[0] || con_key_parse(info[i].key, &key, &used, err, sizeof(err)) < 0)
			continue;
		con_keymap_bind(key, REQ_NONE + 1 + (int)i);
	}
}

/* con_keymap_lookup: the binding of key. */
int con_keymap_lookup(int key)
{
	size_t i;

	for (i = 0; i < nmap; i++)
		if (map[i].key == key)
			return map[i].req;
	return REQ_NONE;
}

/* con_keymap_bind: replace key's binding, or add one. */
int con_keymap_bind(int key, int req)
{
	size_t i;

	for (i = 0; i < nmap; i++)
		if (map[i].key == key) {
			map[i].req = req;
			return 0;
		}
	if (nmap == KEYMAP_MAX)
		return -1;
	map[nmap].key = key;
	map[nmap].req = req;
	nmap++;
	return 0;
}

/* con_keymap_key: the first key bound to req. */
int con_keymap_key(int req)
{
	size_t i;

	for (i = 0; i < nmap; i++)
		if (map[i].req == req)
			return map[i].key;
	return 0;
}
