# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# gen_tdos.awk - N trusted domain objects from one template entry.
#
#   awk -v n=N -v base=DN -v from=PARTNER -v fromflat=FLAT -f gen_tdos.awk TEMPLATE
#
# TEMPLATE is one TDO entry in LDIF (as trustmgr writes it, see
# backend/tdo_attrs.c) whose trustPartner is PARTNER and flatName FLAT. Prints
# N copies below cn=System,DN for partners t000001.bench.test ... with flat
# names T000001 ..., keeping every other attribute (direction, type,
# attributes, the trustAuth blobs) as in the template. The output loads both
# into an embedded store's domain.ldif and into slapd (slapadd / ldapadd).
BEGIN { RS = ""; FS = "\n" }
NR == 1 { tpl = $0 }
END {
	nl = split(tpl, l, "\n")
	for (i = 1; i <= n; i++) {
		p = sprintf("t%06d.bench.test", i)
		f = sprintf("T%06d", i)
		out = ""
		for (k = 1; k <= nl; k++) {
			line = l[k]
			if (line ~ /^dn: /)
				line = "dn: cn=" p ",cn=System," base
			else if (line ~ /^cn: /)
				line = "cn: " p
			else if (line ~ /^trustPartner: /)
				line = "trustPartner: " p
			else if (line ~ /^flatName: /)
				line = "flatName: " f
			out = out line "\n"
		}
		printf "%s\n", out
	}
}
