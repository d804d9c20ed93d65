#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# prefixes.sh BUILD - the prefix rule of lint.sh (read its header): one line
# per global symbol of BUILD/{model,backend,ui}/**.o whose name does not
# carry its module's prefix, and one per source without an object. Run from
# the top of the tree.
set -u
build=$1
case $build in /*) ;; *) build=$PWD/$build ;; esac
shown=${build#"$PWD"/}

# allowed DIR F: the prefixes a symbol of DIR/F.c may carry, one a line:
# F itself, then every leading part of F ending at an underscore that has a
# header DIR/P.h or DIR/P_internal.h.
allowed() {
	echo "$2"
	rest=$2
	while :; do
		case $rest in *_*) rest=${rest%_*} ;; *) break ;; esac
		if [ -f "$1/$rest.h" ] || [ -f "$1/${rest}_internal.h" ]; then
			echo "$rest"
		fi
	done
}

find model backend ui -name '*.c' | sort | while read -r src; do
	dir=$(dirname "$src")
	f=$(basename "$src" .c)
	obj=$build/${src%.c}.o
	if [ ! -f "$obj" ]; then
		echo "$src: no object $shown/${src%.c}.o (build it first: make BUILD=$shown)"
		continue
	fi
	con=
	case $dir in ui/console | ui/console/*) con=con_ ;; esac
	prefixes=$(allowed "$dir" "$f" | sed "s/^/$con/" | tr '\n' ' ')
	nm -g --defined-only "$obj" | awk -v src="$src" -v pre="$prefixes" '
		BEGIN { n = split(pre, p, " ") }
		NF >= 3 { sym = $3 }
		NF == 2 { sym = $2 }
		# what a sanitizer adds for a global (ASan one-definition-rule markers)
		index(sym, "__odr_asan") == 1 { next }
		{
			for (i = 1; i <= n; i++)
				if (sym == p[i] || index(sym, p[i] "_") == 1)
					next
			printf "%s: %s (%s) should start with %s_\n", src, sym, $(NF - 1),
				(n == 1 ? p[1] : "one of " pre)
		}'
done
