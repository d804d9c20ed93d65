/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 the trustmgr authors */
/* caps.c - what trustmgr can do with one domain (caps.h). */
#include "model/caps.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *token;
	const char *what;
} caps_names[CAPS_COUNT] = {
	{ "tdo-read", "read its trusted domain objects" },
	{ "tdo-write", "change its trusted domain objects" },
	{ "secret-read", "read the trust secrets of its trusted domain objects" },
	{ "key-read", "read the cross-realm keys of its KDC" },
	{ "key-set", "set or delete keys in its KDC" },
	{ "account-list", "list its interdomain trust accounts" },
	{ "account-write", "create or delete its interdomain trust accounts" },
	{ "verify", "get tickets as one of its clients" },
};

/* Index of the lowest bit of bits, or -1. */
static int caps_index(uint32_t bits)
{
	int i;

	for (i = 0; i < CAPS_COUNT; i++)
		if (bits & (1u << i))
			return i;
	return -1;
}

void caps_all(tm_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->have = CAPS_ALL;
}

void caps_none(tm_caps *c, const char *why)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CAPS_COUNT; i++)
		snprintf(c->why[i], sizeof(c->why[i]), "%s", why);
}

void caps_grant(tm_caps *c, caps_bit bit)
{
	int i = caps_index(bit);

	c->have |= bit;
	if (i >= 0)
		c->why[i][0] = '\0';
}

void caps_deny(tm_caps *c, caps_bit bit, const char *fmt, ...)
{
	int i = caps_index(bit);
	va_list ap;

	c->have &= ~(uint32_t)bit;
	if (i < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(c->why[i], sizeof(c->why[i]), fmt, ap);
	va_end(ap);
}

int caps_has(const tm_caps *c, uint32_t bits)
{
	return (c->have & bits) == bits;
}

int caps_manage(const tm_caps *c)
{
	uint32_t need = CAPS_MANAGE;

	if (c->keys_from_tdo)
		need &= ~(uint32_t)(CAP_SECRET_READ | CAP_KEY_READ);
	return caps_has(c, need);
}

const char *caps_why(const tm_caps *c, uint32_t bits)
{
	int i = caps_index(bits & ~c->have);

	return i < 0 ? "" : c->why[i];
}

const char *caps_what(caps_bit bit)
{
	int i = caps_index(bit);

	return i < 0 ? "" : caps_names[i].what;
}

const char *caps_token(caps_bit bit)
{
	int i = caps_index(bit);

	return i < 0 ? "" : caps_names[i].token;
}
