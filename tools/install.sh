#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
#
# `make install` and `make uninstall` (the Makefile sets the variables).
#
#   sh tools/install.sh install|uninstall
#
# INSTALL_FILES   what is installed, one SOURCE:DEST:MODE per word (DEST
#                 without DESTDIR); a SOURCE ending in .in is copied with
#                 @SBINDIR@ replaced by SBINDIR
# DESTDIR         staging root put in front of every DEST (default: none)
# SBINDIR         where the binary is (for the .in files)
# INSTALL_RECORD  a file (without DESTDIR) where install notes the folders
#                 it created, so that uninstall removes those, once empty,
#                 and no other; empty: no record (the Debian package, whose
#                 folders dpkg owns)
# INSTALL_PYCACHE installed Python modules (DEST paths, space-separated) to
#                 byte-compile after the copy, each into the __pycache__
#                 beside it (checked against the source's hash when loaded);
#                 empty: none (the Debian package: its postinst does it)
#
# install makes the folders a DEST needs, then copies each file with its
# mode. uninstall removes exactly the files of INSTALL_FILES and the record,
# then the folders the record names that are empty (without a record: the
# trustmgr folders alone, e.g. share/trustmgr), and the compiled forms of
# the INSTALL_PYCACHE modules (of any Python version) with their
# __pycache__ once empty. Each action is printed.
set -eu

mode=${1:-}
DESTDIR=${DESTDIR:-}
INSTALL_RECORD=${INSTALL_RECORD:-}
INSTALL_PYCACHE=${INSTALL_PYCACHE:-}
: "${INSTALL_FILES:?set by the Makefile}"
: "${SBINDIR:?set by the Makefile}"

created=
# mkdirs DIR: make DIR and its missing parents, noting each one made.
mkdirs() {
	[ -d "$DESTDIR$1" ] && return 0
	if [ "$1" = / ]; then
		mkdir -p "$DESTDIR"
		return 0
	fi
	mkdirs "$(dirname "$1")"
	mkdir -m 0755 "$DESTDIR$1"
	echo "mkdir $DESTDIR$1"
	created="$created
$1"
}

install_one() {   # SOURCE DEST MODE
	mkdirs "$(dirname "$2")"
	case $1 in
	*.in)
		sed "s|@SBINDIR@|$SBINDIR|g" "$1" >"$DESTDIR$2.tmp"
		chmod "$3" "$DESTDIR$2.tmp"
		mv -f "$DESTDIR$2.tmp" "$DESTDIR$2"
		echo "install -m $3 $1 $DESTDIR$2 (@SBINDIR@ = $SBINDIR)" ;;
	*)
		install -m "$3" "$1" "$DESTDIR$2"
		echo "install -m $3 $1 $DESTDIR$2" ;;
	esac
}

# pycompile DEST: byte-compile the installed module DEST; its tracebacks
# name DEST, not the staging copy. Without python3 Python compiles it at
# each load instead, which is only slower.
pycompile() {
	if [ ! -x /usr/bin/python3 ]; then
		echo "not compiled: $DESTDIR$1 (no /usr/bin/python3 here)"
		return 0
	fi
	cache=$DESTDIR$(dirname "$1")/__pycache__
	/usr/bin/python3 -m compileall -q --invalidation-mode checked-hash \
		-d "$(dirname "$1")" "$DESTDIR$1" >/dev/null ||
		{ echo "install: python3 could not compile $DESTDIR$1" >&2; exit 1; }
	# Readable by all, whatever the umask, as the module is.
	chmod 0755 "$cache"
	chmod 0644 "$cache/$(basename "$1" .py)".*.pyc
	echo "compiled $DESTDIR$1 into $cache"
}

# pycache_remove DEST: remove DEST's compiled forms, and their folder once
# empty.
pycache_remove() {
	cache=$(dirname "$1")/__pycache__
	base=$(basename "$1" .py)
	for f in "$DESTDIR$cache/$base".*.pyc; do
		[ -e "$f" ] || continue
		rm -f "$f" && echo "rm $f"
	done
	rmdir_empty "$cache"
}

do_install() {
	for entry in $INSTALL_FILES; do
		src=${entry%%:*}
		rest=${entry#*:}
		[ -f "$src" ] || { echo "install: $src is missing (run make first)" >&2; exit 1; }
		install_one "$src" "${rest%:*}" "${rest##*:}"
	done
	for m in $INSTALL_PYCACHE; do
		pycompile "$m"
	done
	[ -n "$INSTALL_RECORD" ] || return 0
	mkdirs "$(dirname "$INSTALL_RECORD")"
	# The folders made by this install and by earlier ones, deepest first.
	{
		[ -f "$DESTDIR$INSTALL_RECORD" ] && grep '^/' "$DESTDIR$INSTALL_RECORD"
		printf '%s\n' "$created" | grep '^/'
	} | sort -u | awk '{ print gsub("/", "/") "\t" $0 }' | sort -rn | cut -f 2- \
		>"$DESTDIR$INSTALL_RECORD.tmp" || true
	{
		echo "# The folders 'make install' created, removed by 'make uninstall' once empty."
		cat "$DESTDIR$INSTALL_RECORD.tmp"
	} >"$DESTDIR$INSTALL_RECORD"
	rm -f "$DESTDIR$INSTALL_RECORD.tmp"
	chmod 0644 "$DESTDIR$INSTALL_RECORD"
	echo "recorded the folders made in $DESTDIR$INSTALL_RECORD"
}

# rmdir_empty DIR: remove DIR (under DESTDIR) when it is an empty folder.
rmdir_empty() {
	if [ -d "$DESTDIR$1" ] && [ -z "$(ls -A "$DESTDIR$1")" ]; then
		rmdir "$DESTDIR$1" && echo "rmdir $DESTDIR$1"
	fi
	return 0
}

do_uninstall() {
	dirs=
	for m in $INSTALL_PYCACHE; do
		pycache_remove "$m"
	done
	for entry in $INSTALL_FILES; do
		rest=${entry#*:}
		dest=${rest%:*}
		if [ -e "$DESTDIR$dest" ] || [ -L "$DESTDIR$dest" ]; then
			rm -f "$DESTDIR$dest" && echo "rm $DESTDIR$dest"
		fi
		case $(dirname "$dest") in
		*/trustmgr) dirs="$dirs
$(dirname "$dest")" ;;
		esac
	done
	if [ -n "$INSTALL_RECORD" ] && [ -f "$DESTDIR$INSTALL_RECORD" ]; then
		dirs=$(grep '^/' "$DESTDIR$INSTALL_RECORD" || true)
		rm -f "$DESTDIR$INSTALL_RECORD" && echo "rm $DESTDIR$INSTALL_RECORD"
	fi
	for d in $(printf '%s\n' "$dirs" | grep '^/' | sort -u | awk '{ print gsub("/", "/") "\t" $0 }' |
		sort -rn | cut -f 2-); do
		rmdir_empty "$d"
	done
}

case $mode in
install) do_install ;;
uninstall) do_uninstall ;;
*)
	echo "usage: sh tools/install.sh install|uninstall (run by make install / make uninstall)" >&2
	exit 2 ;;
esac
