# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# scn_memory.sh - peak memory (maximum resident set) of a list as the number
# of TDOs grows (sourced by run.sh): the embedded store at every size of
# SIZES, and the lab's N1 and N2 lists measured by scn_list.

# slope N_LO RSS_LO N_HI RSS_HI: bytes per TDO between two sizes.
slope() { awk -v a="$1" -v ra="$2" -v b="$3" -v rb="$4" 'BEGIN { printf "%.0f", (rb - ra) * 1024 / (b - a) }'; }

scn_memory() {
	: >"$WORK/mem.txt"
	for n in $SIZES; do
		: >"$WORK/mem-$n"
		i=0
		while [ "$i" -lt 3 ]; do
			run_timed "$WORK/mem-$n" -- "$BIN" --store "$WORK/store-$n" list A
			i=$((i + 1))
		done
		echo "$n $(median "$WORK/mem-$n" 2)" >>"$WORK/mem.txt"
	done
	lo=$(head -n 1 "$WORK/mem.txt")
	hi=$(tail -n 1 "$WORK/mem.txt")
	s=$(slope $lo $hi)
	growth=$(awk 'NR > 1 { printf "%s%d:%.0fB", sep, $1, ($2 - r0) * 1024 / ($1 - n0); sep = " " }
		NR == 1 { n0 = $1; r0 = $2 }' "$WORK/mem.txt")
	lab_lo=$(median "$WORK/list_lab_n1.tm" 2)
	lab_hi=$(median "$WORK/list_lab_n2.tm" 2)
	ls_lo=$(median "$WORK/list_lab_n1.std" 2)
	ls_hi=$(median "$WORK/list_lab_n2.std" 2)
	ls=$(slope "$N1" "$ls_lo" "$N2" "$ls_hi")
	record memory_store_per_tdo "$s" "$ls" B/TDO "$(ratio "$s" "$ls")" "$s" '<' 1024 \
		"max RSS slope, store list; from $(echo $lo | cut -d' ' -f1): $growth; peak $(echo $hi | cut -d' ' -f2) KiB"
	s=$(slope "$N1" "$lab_lo" "$N2" "$lab_hi")
	record memory_lab_per_tdo "$s" "$ls" B/TDO "$(ratio "$s" "$ls")" "$s" '<' 1024 \
		"max RSS slope, lab list $N1..$N2; peak $lab_hi KiB; standard = ldapsearch"
}
