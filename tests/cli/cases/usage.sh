# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Usage errors exit 2 with a usage line and a "Try" hint; --help and
# --version exit 0; nothing reaches the store on a malformed line.
. "$TM_LIB"

tm --version
expect_rc 0
out_has "trustmgr 0.1.0"

tm --help
expect_rc 0
for cmd in "domain add" "domain list" demo list show permit trust create "tdo add" \
	"tdo modify" "tdo delete" remove verify reset reset-one-side journal resume rollback; do
	out_has "  $cmd "
done
out_has "--password-file FILE"

tm create --help
expect_rc 0
out_has "Usage: trustmgr create DOMAIN PARTNER"
out_has "--forest-transitive"
out_lacks "--netbios"

tm tdo add -h
expect_rc 0
out_has "Usage: trustmgr tdo add DOMAIN --partner DNS"

tm frobnicate
expect_rc 2
err_has "unknown command 'frobnicate'"
err_has "Try 'trustmgr --help'"

tm list CORP --frob
expect_rc 2
err_has "unknown option '--frob'"
err_has "Usage: trustmgr list DOMAIN"
err_has "Try 'trustmgr list --help'"

tm list
expect_rc 2
err_has "missing argument"
err_has "Try 'trustmgr list --help'"

tm show CORP PARTNER EXTRA
expect_rc 2
err_has "too many arguments"

tm domain add CORP --dns
expect_rc 2
err_has "option '--dns' needs a value"

tm domain
expect_rc 2
err_has "needs a subcommand: add, list"

tm tdo frob CORP
expect_rc 2
err_has "needs a subcommand"

tm list CORP --dns corp.example
expect_rc 2
err_has "option '--dns' does not apply to 'list'"

tm list CORP --dry-run
expect_rc 2
err_has "--dry-run applies only"

tm create CORP PARTNER --sides several
expect_rc 2
err_has "--sides takes 'both' or 'local'"

tm create CORP PARTNER --quarantine maybe
expect_rc 2
err_has "--quarantine takes 'yes' or 'no'"

tm create CORP PARTNER --direction sideways
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: --direction: "

tm tdo modify CORP PARTNER --selective-auth --no-selective-auth
expect_rc 2
err_has "cannot be combined"

tm list CORP --json=yes
expect_rc 2
err_has "option '--json' takes no value"

tm domain add CORP --dns corp.example --netbios CORP
expect_rc 2
err_has "--sid is required"

tm tdo add CORP --partner x.example --type uplevel
expect_rc 2
err_has "--direction is required"

# None of that created a domain.
tm domain list --json
expect_rc 0
json_eq 'len(d["domains"])' 0
