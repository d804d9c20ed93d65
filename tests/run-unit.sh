#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Run each Check unit test binary; with TM_VALGRIND=1 under valgrind memcheck.
# Prints one summary line "N passed, N failed".
pass=0; fail=0
for t in "$@"; do
	if [ "${TM_VALGRIND:-}" = 1 ]; then
		CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$t" || { fail=$((fail+1)); echo "FAIL: $t"; continue; }
	else
		"$t" || { fail=$((fail+1)); echo "FAIL: $t"; continue; }
	fi
	pass=$((pass+1))
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
