# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# --complete-words (for tools/completion.sh, not in --help): one "command"
# line per command --help lists, with the options each command's --help
# shows, and a "global" line with the global options --help shows.
. "$TM_LIB"

tm --help
expect_rc 0
out_lacks complete-words
awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 ($2 ~ /^[a-z]+$/ && $1 ~ /^(domain|tdo)$/ ? " " $2 : "") }' \
	"$OUT" | LC_ALL=C sort >"$PWD/help-commands"
sed -n '/^Global options/,/^$/p' "$OUT" | grep -o -- '--[a-z0-9-]*' | LC_ALL=C sort -u >"$PWD/help-globals"

tm --complete-words
expect_rc 0
awk -F '\t' '$1 == "command" { print $2 }' "$OUT" | LC_ALL=C sort >"$PWD/words-commands"
cmp -s "$PWD/help-commands" "$PWD/words-commands" ||
	fail "the commands differ from --help's: $(diff "$PWD/help-commands" "$PWD/words-commands" | grep '^[<>]' | tr '\n' ' ')"
awk -F '\t' '$1 == "global" { print $2 }' "$OUT" | tr ' ' '\n' | sed -n 's/=.*//; /^--/p' |
	LC_ALL=C sort -u >"$PWD/words-globals"
cmp -s "$PWD/help-globals" "$PWD/words-globals" ||
	fail "the global options differ from --help's: $(diff "$PWD/help-globals" "$PWD/words-globals" | grep '^[<>]' | tr '\n' ' ')"
grep -qx "command	create	.* --sides=both|local .*" "$OUT" || fail "create's --sides has no values"
grep -qx "command	remove	.*--direction=inbound|outbound.*" "$OUT" || fail "remove's --direction has no values"

# each command's own options, as its --help lists them
while read -r cmd; do
	# shellcheck disable=SC2086 # the command's words
	trustmgr $cmd --help >"$PWD/cmd-help" 2>&1 </dev/null
	sed -n '/^Options:/,/^$/p' "$PWD/cmd-help" | grep -o -- '--[a-z0-9-]*' | LC_ALL=C sort -u >"$PWD/want"
	awk -F '\t' -v c="$cmd" '$1 == "command" && $2 == c { print $3 }' "$OUT" | tr ' ' '\n' |
		sed -n 's/=.*//; /^--/p' | LC_ALL=C sort -u >"$PWD/got"
	cmp -s "$PWD/want" "$PWD/got" ||
		fail "trustmgr $cmd: options differ from its --help: $(diff "$PWD/want" "$PWD/got" | grep '^[<>]' | tr '\n' ' ')"
done <"$PWD/help-commands"
exit 0
