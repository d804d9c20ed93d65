# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# tdo add / modify / delete: the low-level local operations, every rule checked.
. "$TM_LIB"

add_corp
add_sales
pwfile pw 'tdo-password-7'

tm tdo add CORP --partner ext.example --flat EXT --sid S-1-5-21-41-42-43 \
	--direction outbound --type uplevel --attributes quarantined-domain --password-file pw
expect_rc 0
tm show CORP ext.example --json
expect_rc 0
json_eq 'd["attributes"]' "['quarantined-domain']"
json_eq 'd["outgoing"]["current"]' True
json_eq 'd["incoming"]["current"]' False
tm show CORP ext.example
out_lacks 'tdo-password-7'

# Rule 5: an outbound uplevel trust needs a SID.
tm tdo add CORP --partner ext2.example --flat EXT2 --direction outbound --type uplevel
expect_rc 3
err_starts "STATUS_INVALID_SID: "
# Rule 4: forest-transitive and within-forest do not mix.
tm tdo add CORP --partner x.example --flat X --sid S-1-5-21-51-52-53 --direction both \
	--type uplevel --attributes forest-transitive,within-forest
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: "
# Rule 2: forest-transitive only on the forest root.
tm tdo add SALES --partner x.example --flat X --sid S-1-5-21-51-52-53 --direction both \
	--type uplevel --attributes forest-transitive
expect_rc 3
err_starts "STATUS_INVALID_DOMAIN_STATE: "
# Rule 1: names that describe different domains of the forest.
tm tdo add CORP --partner sales.corp.example --flat WRONG \
	--sid S-1-5-21-1993962763-492894223-1202660629 --direction both --type uplevel
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: "
# Unknown attribute bits are refused by the parser.
tm tdo add CORP --partner y.example --flat Y --sid S-1-5-21-61-62-63 --direction inbound \
	--type uplevel --attributes 0x40000
expect_rc 3
err_starts "STATUS_INVALID_PARAMETER: --attributes: "

# Rule 6: setting forest-transitive creates forest trust information,
# clearing it removes the information.
tm tdo modify CORP ext.example --forest-transitive
expect_rc 0
tm show CORP ext.example --json
json_eq 'd["forest_trust_records"]' 2
tm tdo modify CORP ext.example --no-forest-transitive
expect_rc 0
tm show CORP ext.example --json
json_eq 'd["forest_trust_records"]' None
json_eq 'd["trust_attributes"]' 4

# Rule 11: dropping the outbound direction empties trustAuthOutgoing.
tm tdo modify CORP ext.example --direction inbound
expect_rc 0
tm show CORP ext.example --json
json_eq 'd["trust_direction"]' 1
json_eq 'd["outgoing"]["current"]' False

tm tdo delete CORP ext.example
expect_rc 0
tm show CORP ext.example
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: "
tm tdo modify CORP ext.example --direction both
expect_rc 3
err_starts "STATUS_OBJECT_NAME_NOT_FOUND: "
