#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
#
# The licence header every source file of trustmgr starts with (after a
# "#!" line, if any): two lines naming the licence (an SPDX identifier, as
# Debian's machine-readable copyright files and scanners expect) and the
# copyright holder. LICENSE holds the full text of the licence.
#
#   sh tools/licence-headers.sh check [FILE...]   list the files without it
#   sh tools/licence-headers.sh add [FILE...]     give it to those files
#
# Without FILEs: every source file of the tree (C, headers, shell, Python,
# awk, Makefile, debian/rules, .ci/run); git's list when this is a git
# checkout, else find's. check exits 1 when a file lacks the header; add
# leaves the files that have it alone, so running it again changes nothing.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
SPDX='SPDX-License-Identifier: GPL-3.0-or-later'
COPY='Copyright (C) 2026 the trustmgr authors'

# The tree's source files, one per line, relative to the top.
sources() {
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$top" ls-files -co --exclude-standard
	else
		(cd "$top" && find . -path './build*' -prune -o -type f -print | sed 's|^\./||')
	fi | grep -E '\.(c|h|sh|py|awk)$|(^|/)Makefile$|^debian/rules$|^\.ci/run$' |
		grep -vE '^(build|build-[^/]*)/' | LC_ALL=C sort
}

# The two header lines in FILE's comment syntax.
header_of() {
	case $1 in
	*.c | *.h) printf '/* %s */\n/* %s */\n' "$SPDX" "$COPY" ;;
	*) printf '# %s\n# %s\n' "$SPDX" "$COPY" ;;
	esac
}

# Does FILE start with the header (after its "#!" line)?
has_header() {
	skip=0
	head -n 1 "$1" | grep -q '^#!' && skip=1
	[ "$(sed -n "$((skip + 1)),$((skip + 2))p" "$1")" = "$(header_of "$1")" ]
}

add_header() {
	tmp=$1.licence-tmp
	if head -n 1 "$1" | grep -q '^#!'; then
		{ head -n 1 "$1"; header_of "$1"; tail -n +2 "$1"; } >"$tmp"
	else
		{ header_of "$1"; cat "$1"; } >"$tmp"
	fi
	# keep the file's mode (scripts stay executable)
	cat "$tmp" >"$1" && rm -f "$tmp"
}

mode=${1:-}
case $mode in
check | add) shift ;;
*)
	echo "usage: sh tools/licence-headers.sh check|add [FILE...]" >&2
	exit 2 ;;
esac
cd "$top" || exit 1
if [ $# -gt 0 ]; then
	files=$(printf '%s\n' "$@")
else
	files=$(sources)
fi
missing=0
for f in $files; do
	[ -f "$f" ] || continue
	has_header "$f" && continue
	if [ "$mode" = add ]; then
		add_header "$f" && echo "licence header added: $f"
	else
		echo "$f: no licence header (sh tools/licence-headers.sh add $f)"
		missing=$((missing + 1))
	fi
done
[ "$missing" -eq 0 ]
