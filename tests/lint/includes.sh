#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# includes.sh <FILES - the include rule of lint.sh (read its header): reads
# source paths (relative to the top of the tree), one a line; prints each
# cycle of quoted #include lines as "cycle: a.h -> b.h -> a.h", with the
# line of the include that closes it. An include is resolved from the top
# of the tree (the project's style), else from the including file's folder;
# one that names no file of the tree is left out (a system header).
set -u
while read -r f; do
	awk -v f="$f" '
		/^[ \t]*#[ \t]*include[ \t]*"/ {
			s = $0
			sub(/^[^"]*"/, "", s)
			sub(/".*$/, "", s)
			print f, s, FNR
		}' "$f"
done | while read -r from inc line; do
	dir=$(dirname "$from")
	if [ -f "$inc" ]; then
		to=$inc
	elif [ -f "$dir/$inc" ]; then
		to=$dir/$inc
	else
		continue
	fi
	echo "$from $to $line"
done | awk '
	{
		if (!($1 SUBSEP $2 in seen)) {
			seen[$1, $2] = 1
			out[$1] = out[$1] " " $2
			at[$1, $2] = $3
		}
		node[$1] = 1; node[$2] = 1
	}
	function visit(v,    i, k, n, list, w, c) {
		color[v] = 1
		stack[++depth] = v
		n = split(out[v], list, " ")
		for (i = 1; i <= n; i++) {
			w = list[i]
			if (color[w] == 1) {
				c = ""
				for (k = 1; k <= depth; k++)
					if (stack[k] == w) break
				for (; k <= depth; k++)
					c = c stack[k] " -> "
				printf "cycle: %s%s (%s line %d includes %s)\n", c, w, v, at[v, w], w
			} else if (color[w] == 0) {
				visit(w)
			}
		}
		depth--
		color[v] = 2
	}
	END {
		# visit in a stable order: sort the node names
		m = 0
		for (v in node) names[++m] = v
		for (i = 2; i <= m; i++) {
			x = names[i]
			for (j = i - 1; j >= 1 && names[j] > x; j--) names[j + 1] = names[j]
			names[j + 1] = x
		}
		for (i = 1; i <= m; i++)
			if (color[names[i]] == 0) visit(names[i])
	}'
