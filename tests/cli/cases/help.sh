# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# `trustmgr help` lists the commands of the command table; `trustmgr help
# COMMAND` and `trustmgr COMMAND --help` print that command's usage, its
# description (the line `help` lists) and its options, for every command
# listed; an unknown command is a usage error naming the closest commands.
. "$TM_LIB"

tm help
expect_rc 0
out_has "Commands:"
cp "$OUT" help.txt
tm --help
expect_rc 0
cmp -s "$OUT" help.txt || fail "'trustmgr help' and 'trustmgr --help' differ"

# Every listed command: "  NAME<padding> DESCRIPTION" (the name is 16 wide).
sed -n '/^Commands:$/,/^$/p' help.txt | sed '1d;$d' >commands.txt
[ "$(wc -l <commands.txt)" -ge 20 ] || fail "'trustmgr help' lists too few commands"
while IFS= read -r line; do
	name=$(printf '%s\n' "$line" | cut -c3-18 | sed 's/ *$//')
	desc=$(printf '%s\n' "$line" | cut -c20-)
	# shellcheck disable=SC2086
	tm help $name
	expect_rc 0
	first=$(head -n 1 "$OUT")
	case $first in
	"Usage: trustmgr $name"*) ;;
	*) fail "'help $name' does not start with its usage line" ;;
	esac
	out_has "$desc"
	out_has "Global options"
	cp "$OUT" one.txt
	# shellcheck disable=SC2086
	tm $name --help
	expect_rc 0
	cmp -s "$OUT" one.txt || fail "'help $name' and '$name --help' differ"
done <commands.txt

# A command's own options are listed under Options.
tm help remove
out_has "--sides SIDES"
out_has "--direction DIR"
tm help tdo
expect_rc 0
out_has "'tdo' needs one of: add, modify, delete"

# Unknown: a usage error with the closest names.
tm lisst
expect_rc 2
err_has "unknown command 'lisst'"
err_has "The closest commands: 'list'."
tm help lisst
expect_rc 2
err_has "The closest commands: 'list'."
tm domian list
expect_rc 2
err_has "'domain add', 'domain list'"
tm help zzzzzzzzzzzz
expect_rc 2
err_has "'trustmgr help' lists the commands."
tm help tdo nope
expect_rc 2
err_has "no command 'tdo nope'"

# --json: the help text as the message of one object.
tm help list --json
expect_rc 0
json_eq 'd["version"]' 1
json_eq 'd["message"].startswith("Usage: trustmgr list DOMAIN")' True
tm lisst --json
expect_rc 2
json_eq 'd["error"]["exit"]' 2
json_eq 'd["error"]["message"]' "unknown command 'lisst'"
