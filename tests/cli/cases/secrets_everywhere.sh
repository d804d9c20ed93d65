# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Secrets everywhere (issue 6, point 5): whole scenarios run with known
# passwords, then everything trustmgr wrote or printed is searched for them
# (plain text, UTF-16LE, base64 of either, decoded base64 values): the store,
# the journal and its before-images, health files, the console's dumps and
# models, every stdout and stderr, the audit logs.  The store's domain.ldif files may hold
# the passwords only inside trustAuthIncoming/trustAuthOutgoing values (the
# trustAuth blobs keep them as UTF-16LE, as Active Directory does).  No
# command line of this test carries a password (only --password-file), and
# the store is 0700 with every file 0600, nothing group- or world-readable.
. "$TM_LIB"

A='Zq7-secret-ALPHA-91'
B='Zq7-secret-BRAVO-92'
C='Zq7-secret-CHARLIE-93'
# Inputs (password files, the console script, the scanner) live in in/,
# everything trustmgr prints is kept in cap/; in/ is the only place searched
# that may hold the passwords.
mkdir -p in cap cap/console snap
chmod 700 in
pwfile in/pwA "$A"
pwfile in/pwB "$B"
pwfile in/pwC "$C"
printf '%s\n%s\n%s\n' "$A" "$B" "$C" >in/secrets
CSTORE=$PWD/cstore
N=0

# Every command line goes to cap/argv.log; stdout and stderr are kept.
keep() {
	N=$((N + 1))
	printf '%s\n' "trustmgr $LAST" >>cap/argv.log
	cp "$OUT" "cap/$N.out"
	cp "$ERR" "cap/$N.err"
	# A crash (a signal other than the test's own SIGKILL) fails at once.
	if [ "$RC" -gt 128 ] && [ "$RC" != 137 ]; then fail "exit status $RC"; fi
}
t() {
	tm "$@"
	keep
}
t_stdin() {
	tm_stdin "$@"
	keep
}
killed() {
	step=$1
	shift
	LAST="$* (TM_TEST_KILL_AFTER_STEP=$step)"
	TM_TEST_KILL_AFTER_STEP=$step trustmgr "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	keep
}

add_corp
add_partner
add_sales

# NT style: permit, a wrong password (the one chance), the right one.
t permit PARTNER CORP --password-file in/pwA
expect_rc 0
t trust CORP PARTNER --password-file in/pwB
expect_rc 1
err_starts "STATUS_WRONG_PASSWORD: "
t remove PARTNER CORP
expect_rc 0
t_stdin in/pwA permit PARTNER CORP --password-file -
expect_rc 0
t trust CORP PARTNER --password-file in/pwA
expect_rc 0
out_has "successfully established"

# One side at a time, with a password.
t create CORP SALES --sides local --direction outbound --password-file in/pwB
expect_rc 0
t_stdin in/pwB create SALES CORP --sides local --direction inbound --password-file -
expect_rc 0
t verify CORP SALES
expect_rc 0

# Forest recovery: reset-one-side on both sides, recover, recover-partners.
t reset-one-side CORP PARTNER --password-file in/pwC
expect_rc 0
t_stdin in/pwC reset-one-side PARTNER CORP --password-file -
expect_rc 0
t verify CORP PARTNER
expect_rc 0
t recover CORP --password-file in/pwA
expect_rc 0
t recover-partners CORP SALES --password-file in/pwA
expect_rc 0

# A plan killed after step 2: the journal and its before-images are kept
# (snap/) for the search, then it is shown and resumed.
t recover CORP --password-file in/pwB
expect_rc 0
killed 2 recover-partners CORP --password-file in/pwB
expect_rc 137
cp -rp "$STORE" snap/interrupted
t journal
expect_rc 0
out_has "Interrupted plan: recover-partners CORP"
t journal --json
expect_rc 0
t_stdin in/pwB resume --password-file -
expect_rc 0
t verify CORP PARTNER
expect_rc 0

# Reading, in every format.
t health --json
t health
for d in CORP PARTNER SALES; do
	t list "$d" --json
	expect_rc 0
	t list "$d"
done
for p in "CORP PARTNER" "PARTNER CORP" "CORP SALES" "SALES CORP"; do
	t show $p --json
	expect_rc 0
	t show $p
	expect_rc 0
	t verify $p --json
done
t domain list --json

# A dry run of each mutating command writes nothing and prints no secret.
before=$(store_sum)
for args in "permit SALES PARTNER --password-file in/pwC" \
	"trust PARTNER SALES --password-file in/pwC" \
	"create PARTNER SALES --sides local --password-file in/pwC" \
	"create PARTNER SALES" \
	"tdo add SALES --partner ext.example --flat EXT --sid S-1-5-21-1500000001-1500000002-1500000003 --direction outbound --type uplevel --password-file in/pwC" \
	"tdo modify CORP PARTNER --password-file in/pwC" \
	"tdo delete CORP PARTNER" \
	"remove CORP PARTNER" \
	"reset CORP PARTNER" \
	"reset-one-side CORP PARTNER --password-file in/pwC" \
	"recover CORP --password-file in/pwC" \
	"recover-partners CORP --password-file in/pwC" \
	"recreate CORP PARTNER" \
	"rotate CORP PARTNER" \
	"repair CORP PARTNER --password-file in/pwC" \
	"domain add NEW --dns new.example --netbios NEW --sid S-1-5-21-71-72-73"; do
	t --dry-run $args
	[ "$RC" -le 3 ] || fail "dry run: exit status $RC"
done
t_stdin in/pwC --dry-run reset-one-side PARTNER CORP --password-file -
[ "$(store_sum)" = "$before" ] || fail "a dry run changed the store"

# One headless console session on its own store: Permit Domain to Trust and
# Add Trusted Domain with a typed password (tests/console/cases/
# flow_permit_then_add), screens and models saved.
t --store "$CSTORE" domain add CORP --dns corp.example --netbios CORP \
	--sid S-1-5-21-1004336348-1177238915-682003330 --functional-level 2016
expect_rc 0
t --store "$CSTORE" domain add PARTNER --dns partner.example --netbios PARTNER \
	--sid S-1-5-21-2127521184-1604012920-1887927527 --functional-level 2012R2
expect_rc 0
cat >in/console.script <<EOF
:expect Domain: CORP
<F6>
<End>
<Enter>
:expect Domain: PARTNER
<A-d>
:expect Permit Domain to Trust
CORP
<Tab><Tab>
$C
<Tab>
$C
:save-model permit.model
:save-screen permit.screen
<Enter>
:expect PARTNER now permits CORP to trust it
:save-screen permitted.screen
<Enter>
:save-screen partner-after.screen
:save-model partner-after.model
<F6>
<Home>
<Enter>
:expect Domain: CORP
<A-a>
:expect Add Trusted Domain
PARTNER
<Tab><Tab>
$C
:save-screen add.screen
:save-model add.model
<Enter>
:expect successfully established
:save-screen established.screen
<Enter>
:save-screen corp-after.screen
:save-model corp-after.model
:quit
EOF
LAST="--store $CSTORE --headless --script $PWD/in/console.script"
(cd cap/console && COLUMNS=80 LINES=24 timeout -k 5 60 trustmgr --store "$CSTORE" \
	--headless --script "$PWD/../../in/console.script" </dev/null >../console.out 2>../console.err)
RC=$?
printf '%s\n' "trustmgr $LAST" >>cap/argv.log
[ "$RC" = 0 ] || { cat cap/console.out cap/console.err; fail "console exit status $RC"; }
[ -s cap/console/established.screen ] || fail "the console saved no screen"
[ -s cap/console/corp-after.model ] || fail "the console saved no model"
t --store "$CSTORE" verify CORP PARTNER
expect_rc 0
cp -rp "$CSTORE" snap/console-store

# argv: no command line of this test carries a password.
for s in "$A" "$B" "$C"; do
	! grep -qF -- "$s" cap/argv.log || fail "a command line carries the password $s"
done

# Modes: the store folders 0700, every file in them 0600.
LAST="(permission check)"
for st in "$STORE" "$CSTORE" snap/interrupted; do
	bad=$(find "$st" \( -type d ! -perm 0700 \) -o \( -type f ! -perm 0600 \) -o \
		\( ! -type d ! -type f \) -o -perm /077)
	[ -z "$bad" ] || fail "wrong modes below $st: $(ls -ld $bad | tr '\n' ';')"
done
for f in lock domains/CORP/domain.ldif domains/CORP/krb5.keytab domains/CORP/health audit.log; do
	[ -f "$STORE/$f" ] || fail "the store lacks $f"
done
# The audit logs (searched below with the rest of the stores) hold the
# records of every change, the console's included, and are 0600.
. "$(dirname "$TM_LIB")/audit_lib.sh"
for st in "$STORE" "$CSTORE"; do
	[ "$(stat -c %a "$st/audit.log")" = 600 ] || fail "$st/audit.log is not mode 0600"
	audit_parses "$st/audit.log"
done
audit_has "$STORE/audit.log" event=end result=failed op=trust status=STATUS_WRONG_PASSWORD
audit_has "$STORE/audit.log" event=end result=resumed op=recover-partners
audit_has "$CSTORE/audit.log" event=end result=ok op=permit domain=PARTNER
audit_has "$CSTORE/audit.log" event=end result=ok op=trust domain=CORP
[ -n "$(find snap/interrupted/journal/before -type f)" ] || fail "no before-images were kept"
[ -f snap/interrupted/journal/current ] || fail "no journal was kept"

# The search.
LAST="(secret search)"
cat >in/scan.py <<'EOF'
import base64, os, re, sys

secrets = [l.rstrip("\n").encode() for l in open(sys.argv[1]) if l.strip()]
roots = sys.argv[2:]
ALLOWED = {"trustauthincoming", "trustauthoutgoing"}

def b64_cores(raw):
    # base64 of raw at each of the three alignments, without the edge
    # characters that depend on the neighbouring bytes.
    out = []
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + raw).decode()
        start = 4 if k else 0
        end = ((k + len(raw)) // 3) * 4
        core = enc[start:end]
        if len(core) >= 8:
            out.append(core.encode())
    return out

FORMS = []
for s in secrets:
    u16 = s.decode().encode("utf-16-le")
    forms = [("plain", s), ("UTF-16LE", u16), ("lowercase", s.lower())]
    forms += [("base64", c) for c in b64_cores(s)]
    forms += [("base64 UTF-16LE", c) for c in b64_cores(u16)]
    FORMS.append((s.decode(), forms))

TOKEN = re.compile(rb"[A-Za-z0-9+/]{12,}={0,2}")

def scan(data, where, found, depth=0):
    for name, forms in FORMS:
        for kind, f in forms:
            if f in data or (kind == "lowercase" and f in data.lower()):
                found.append("%s: %s (%s)" % (where, name, kind))
    if depth < 2:
        for m in TOKEN.finditer(data):
            tok = m.group(0)
            try:
                dec = base64.b64decode(tok + b"=" * (-len(tok) % 4))
            except Exception:
                continue
            scan(dec, where + " [base64 decoded]", found, depth + 1)

def ldif_records(data):
    # Unfold continuation lines, then yield (attribute, raw value).
    text = data.replace(b"\r\n", b"\n").replace(b"\n ", b"")
    for line in text.split(b"\n"):
        if not line or line.startswith(b"#") or b":" not in line:
            yield None, line
            continue
        attr, rest = line.split(b":", 1)
        if rest.startswith(b":"):
            try:
                val = base64.b64decode(rest[1:].strip())
            except Exception:
                val = rest
            yield attr.decode(errors="replace").lower().split(";")[0], (line, val)
        else:
            yield attr.decode(errors="replace").lower().split(";")[0], (line, rest.strip())

found = []
in_trustauth = 0
for root in roots:
    for dirpath, dirs, files in os.walk(root):
        for fn in files:
            path = os.path.join(dirpath, fn)
            data = open(path, "rb").read()
            if fn.endswith("domain.ldif"):
                for attr, rec in ldif_records(data):
                    if attr is None:
                        scan(rec, path, found)
                        continue
                    line, val = rec
                    if attr in ALLOWED:
                        # Only base64 (":: "), never plain text in the line.
                        if not line.split(b":", 1)[1].startswith(b":"):
                            found.append("%s: %s is not base64" % (path, attr))
                        for s in secrets:
                            if s.decode().encode("utf-16-le") in val:
                                in_trustauth += 1
                        continue
                    scan(line, path + " (" + attr + ")", found)
                    scan(val, path + " (" + attr + " value)", found)
            else:
                scan(data, path, found)

for f in sorted(set(found)):
    print("LEAK " + f)
print("trustAuth values holding a known password: %d" % in_trustauth)
sys.exit(1 if found else (0 if in_trustauth else 3))
EOF
"$TM_PYTHON" in/scan.py in/secrets "$STORE" "$CSTORE" snap cap "$HOME" \
	"$XDG_DATA_HOME" >scan.txt 2>&1
src=$?
cat scan.txt
case $src in
0) ;;
3) fail "no known password was found inside a trustAuth value: the search cannot see them" ;;
*) fail "a password leaked: $(grep '^LEAK' scan.txt | head -n 20 | tr '\n' ';')" ;;
esac

# Outside the store nothing names a password either (the environment of
# this test never held one: only the files in in/ do).
env | grep -qF -- "$A" && fail "the environment holds a password"
exit 0
