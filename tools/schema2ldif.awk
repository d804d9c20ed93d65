# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
#
# Turn an OpenLDAP .schema file into the LDIF entry that adds the same
# schema to a cn=config (slapd.d) server:
#
#   awk -v name=trustmgr -f tools/schema2ldif.awk schema/trustmgr.schema >trustmgr.ldif
#   ldapadd -Y EXTERNAL -H ldapi:/// -f trustmgr.ldif
#
# Each "attributetype ( ... )" and "objectclass ( ... )" definition (over
# as many lines as it takes) becomes one olcAttributeTypes or
# olcObjectClasses value, folded over continuation lines the way slapd's
# own LDIF is; the file's comments come along as LDIF comments. The Makefile
# runs it at build time, so the LDIF never drifts from the .schema file.
# A definition that is not closed, or an unknown keyword, is an error.

BEGIN {
	if (name == "") {
		print "schema2ldif: give the schema's name: awk -v name=NAME" >"/dev/stderr"
		failed = 1
		exit 1
	}
	print "# " name " schema for a cn=config slapd, made from " name ".schema by"
	print "# tools/schema2ldif.awk: load it after core, cosine, inetorgperson, nis"
	print "# and msuser, e.g. ldapadd -Y EXTERNAL -H ldapi:/// -f " name ".ldif"
	print "#"
	ncomments = 0
}

# Comments before the first definition travel with the entry.
/^[ \t]*#/ {
	if (!ndefs && !open)
		comments[++ncomments] = $0
	next
}

/^[ \t]*$/ { next }

{
	line = $0
	sub(/[ \t]+$/, "", line)
	if (!open) {
		if (match(tolower(line), /^(attributetype|attributetypes|objectclass|objectclasses)[ \t]+/) == 0) {
			printf "schema2ldif: %s:%d: expected attributetype or objectclass, not: %s\n",
			       FILENAME, FNR, line >"/dev/stderr"
			failed = 1
			exit 1
		}
		kw = tolower(substr(line, 1, RLENGTH))
		gsub(/[ \t]/, "", kw)
		attr = (kw ~ /^attributetype/) ? "olcAttributeTypes" : "olcObjectClasses"
		line = substr(line, RLENGTH + 1)
		defs[++ndefs] = attr ": " line
		start = FNR
		depth = 0
		open = 1
	} else {
		sub(/^[ \t]+/, "", line)
		defs[ndefs] = defs[ndefs] "\n  " line
	}
	depth += gsub(/\(/, "(", line) - gsub(/\)/, ")", line)
	if (depth <= 0)
		open = 0
}

END {
	if (failed)
		exit 1
	if (open) {
		printf "schema2ldif: %s:%d: the definition is not closed by ')'\n", FILENAME, start >"/dev/stderr"
		exit 1
	}
	if (!ndefs) {
		print "schema2ldif: no attributetype or objectclass definition found" >"/dev/stderr"
		exit 1
	}
	for (i = 1; i <= ncomments; i++)
		print comments[i]
	print ""
	print "dn: cn=" name ",cn=schema,cn=config"
	print "objectClass: olcSchemaConfig"
	print "cn: " name
	for (i = 1; i <= ndefs; i++)
		print defs[i]
}
