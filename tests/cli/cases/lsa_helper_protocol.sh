# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# The LSA helper (backend/ad/trustmgr_lsa.py and the modules it loads,
# trustmgr_lsa_*.py, beside the binary in a build) speaks its line protocol
# as docs/AD.md and trustmgr_lsa_protocol.py's header say, without a DC:
# hello, every malformed request answered by an error line (never the end
# of the helper), a verb that needs a connection refused until there is
# one (and a logon-only session, connect lsa=0, refusing LSA verbs), a
# connect local= (on a DC) refused for a missing or non-DC smb.conf and
# for a helper that is not root, no
# output on standard error, quit; the same from helpers the factory
# (--factory) makes, each a process of its own. Values are lower-case hex, so
# nothing in a value is syntax. Needs python3-samba (tools/install-deps.sh);
# without it the helper answers every request with STATUS_NOT_SUPPORTED,
# which is checked instead.
. "$TM_LIB"

helper=$(dirname "$TM_BIN")/trustmgr_lsa.py
[ -r "$helper" ] || fail "no LSA helper beside the binary ($helper): make builds it"
LAST="python3 -I $helper (the line protocol)"
/usr/bin/python3 -I - "$helper" >"$OUT" 2>"$ERR" <<'EOF' || fail "the helper's line protocol"
import subprocess, sys

def hx(s):
    return s.encode().hex()

def fields(line):
    words = line.decode("ascii").rstrip("\n").split(" ")
    out = {}
    for w in words[1:]:
        k, _, v = w.partition("=")
        out[k] = bytes.fromhex(v).decode("utf-8", "replace")
    return words[0], out

try:
    import samba.dcerpc.lsa  # noqa: F401
    have_samba = True
except ImportError:
    have_samba = False

def helper():
    return subprocess.Popen(["/usr/bin/python3", "-I", sys.argv[1]], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

def ask_of(proc, raw):
    proc.stdin.write(raw + b"\n")
    proc.stdin.flush()
    return fields(proc.stdout.readline())

p = helper()
def ask(raw):
    return ask_of(p, raw)

bad = 0
def want(label, got, word, status=None, has=None):
    global bad
    w, f = got
    ok = w == word and (status is None or f.get("status") == status) and \
        (has is None or has in f.get("message", ""))
    print(("ok: " if ok else "FAIL: ") + label + " -> " + w + " " + repr(f))
    bad += not ok

if not have_samba:
    want("without python3-samba: refused", ask(b"hello version=" + hx("1").encode()),
         "error", "STATUS_NOT_SUPPORTED", "python3-samba")
    p.stdin.close()
    sys.exit(bad)

want("hello version=1", ask(("hello version=" + hx("1")).encode()), "ok")
want("hello of another version", ask(("hello version=" + hx("9")).encode()),
     "error", "STATUS_REVISION_MISMATCH")
cases = [
    (b"", "an empty line", "verb"),
    (b"HELLO", "a verb not in lower case", "verb"),
    (b"frobnicate", "an unknown verb", None),
    (b"query name=6", "odd hex", "hex"),
    (b"query name=4A", "upper-case hex", "hex"),
    (b"query name", "a word without =", "key=value"),
    (("query name=" + hx("a") + " name=" + hx("b")).encode(), "a key given twice", "twice"),
    (("query name=" + hx("a") + " bogus=" + hx("b")).encode(), "a key the verb does not take", "takes no key"),
    (b"create name=" + hx("x").encode(), "a missing required key", "needs"),
    ("query name=\u00e9".encode(), "a request that is not ASCII", "ASCII"),
    (("connect server=" + bytes([0xff, 0xfe]).hex() + " user=" + hx("A\\b")).encode(),
     "a value that is not UTF-8", "UTF-8"),
    (("connect server=" + hx("dc1;rm -rf /") + " user=" + hx("A\\b")).encode(),
     "a server name with binding syntax", "host name"),
    (("connect server=" + hx("dc1") + " user=" + hx("A%b")).encode(),
     "a user with %", "without %"),
    (("connect server=" + hx("dc1")).encode(), "connect with neither user nor local",
     "needs user"),
    (("connect server=" + hx("dc1") + " local=" + hx("smb.conf")).encode(),
     "connect local= with a relative path", "absolute path"),
]
for raw, label, has in cases:
    want(label, ask(raw), "error", "STATUS_INVALID_PARAMETER" if has else None, has)
# connect local= (on a DC): the smb.conf must be there and be a DC's; a
# client's is refused before any socket is opened.
import os, tempfile
scratch = tempfile.mkdtemp()
client_conf = os.path.join(scratch, "smb.conf")
with open(client_conf, "w") as conf:
    conf.write("[global]\n\tworkgroup = EX\n\tserver role = standalone server\n")
want("connect local= naming no file", ask(("connect server=" + hx("dc1") + " local=" +
     hx(os.path.join(scratch, "none.conf"))).encode()), "error", "STATUS_OBJECT_NAME_NOT_FOUND",
     "none.conf")
want("connect local= naming a client's smb.conf", ask(("connect server=" + hx("dc1") +
     " local=" + hx(client_conf)).encode()), "error", "STATUS_INVALID_SERVER_STATE",
     "not the smb.conf of an Active Directory DC")
# A DC's smb.conf, but the helper is not root: the DC's local socket serves
# the system to root only, which the refusal says (as root only; the
# helper and the file are copied where uid 65534 may read them; no DC runs,
# so the socket is not there either: the uid is what the helper names).
import shutil
if os.geteuid() == 0 and shutil.which("setpriv"):
    os.chmod(scratch, 0o755)
    for name in ("trustmgr_lsa.py", "trustmgr_lsa_protocol.py", "trustmgr_lsa_tdo.py",
                 "trustmgr_lsa_netlogon.py", "trustmgr_lsa_core.py"):
        shutil.copy(os.path.join(os.path.dirname(sys.argv[1]), name), scratch)
    with open(client_conf, "w") as conf:
        conf.write("[global]\n\tserver role = active directory domain controller\n"
                   "\tnetbios name = DC1\n\trealm = EX.TEST\n\tworkgroup = EX\n"
                   "\tncalrpc dir = %s/ncalrpc\n" % scratch)
    os.chmod(client_conf, 0o644)
    n = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                          "/usr/bin/python3", "-I", os.path.join(scratch, "trustmgr_lsa.py")],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    want("a helper run as uid 65534: hello", ask_of(n, ("hello version=" + hx("1")).encode()),
         "ok")
    want("connect local= as uid 65534: refused, the uid named",
         ask_of(n, ("connect server=" + hx("dc1") + " local=" + hx(client_conf)).encode()),
         "error", "STATUS_ACCESS_DENIED", "to root only, and this helper runs as uid 65534")
    n.stdin.close()
    n.wait(timeout=30)
    n.stdout.close()
    n.stderr.close()
else:
    print("skip: connect local= as another uid needs root and setpriv")
shutil.rmtree(scratch)
for verb in ("list", "query name=" + hx("x"), "delete name=" + hx("x"),
             "validate name=" + hx("x")):
    want(verb.split(" ")[0] + " before connect", ask(verb.encode()), "error",
         "STATUS_CONNECTION_INVALID")
want("connect lsa=0: a logon-only session, answered at once (no DC asked)",
     ask(("connect server=" + hx("dc1.example.test") + " user=" + hx("EX\\admin") +
          " password=" + hx("x") + " lsa=" + hx("0")).encode()), "ok")
for verb in ("list", "query name=" + hx("x"), "delete name=" + hx("x")):
    want(verb.split(" ")[0] + " on a logon-only session", ask(verb.encode()), "error",
         "STATUS_CONNECTION_INVALID", "no LSA pipe")
want("prove with a bad account", ask(("prove server=" + hx("dc1") + " account=" + hx("NB") +
     " domain=" + hx("NB") + " password=" + hx("x")).encode()), "error",
     "STATUS_INVALID_PARAMETER", "NETBIOS$")
want("still answering after every error", ask(("hello version=" + hx("1")).encode()), "ok")
want("quit", ask(b"quit"), "ok")
p.stdin.close()
err = p.stderr.read()
rc = p.wait(timeout=30)
if rc != 0 or err:
    print("FAIL: exit status %d, standard error %r" % (rc, err[:200]))
    bad += 1

# validate asks netlogon over TCP first; a DC that refuses TCP (nothing on
# port 135 of 127.0.0.1 here) is asked over SMB instead, which debug=1
# traces. A listener on that port would make the check meaningless: said.
import socket
probe = socket.socket()
probe.settimeout(2)
port_open = probe.connect_ex(("127.0.0.1", 135)) == 0
probe.close()
if port_open:
    print("skip: something listens on 127.0.0.1:135, so TCP is not refused there")
else:
    q = helper()
    def ask_q(raw):
        return ask_of(q, raw)
    want("hello debug=1", ask_q(("hello version=" + hx("1") + " debug=" + hx("1")).encode()),
         "ok")
    want("connect lsa=0 to 127.0.0.1", ask_q(("connect server=" + hx("127.0.0.1") + " user=" +
         hx("EX\\admin") + " password=" + hx("x") + " lsa=" + hx("0")).encode()), "ok")
    want("validate with nothing listening: an error line", ask_q(("validate name=" +
         hx("partner.test")).encode()), "error")
    q.stdin.close()
    trace_text = q.stderr.read().decode("utf-8", "replace")
    q.wait(timeout=30)
    if "ncacn_ip_tcp: STATUS_CONNECTION_REFUSED, over SMB instead" in trace_text:
        print("ok: validate: TCP refused, then SMB (traced)")
    else:
        print("FAIL: validate: no fallback from TCP to SMB traced: %r" % trace_text[:400])
        bad += 1

# The factory (--factory): standard input is a SOCK_SEQPACKET socket; each
# "fork" with two descriptors (a request pipe's read end, a reply pipe's
# write end) makes a helper that serves them; anything else is ignored;
# closing the socket ends the factory, not the helpers it made.
import os, socket
ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
f = subprocess.Popen(["/usr/bin/python3", "-I", sys.argv[1], "--factory"], stdin=theirs,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
theirs.close()

def forked():
    rq_r, rq_w = os.pipe()
    rp_r, rp_w = os.pipe()
    socket.send_fds(ours, [b"fork"], [rq_r, rp_w])
    os.close(rq_r)
    os.close(rp_w)
    return os.fdopen(rq_w, "wb", buffering=0), os.fdopen(rp_r, "rb")

def ask_on(pair, raw):
    pair[0].write(raw + b"\n")
    return fields(pair[1].readline())

socket.send_fds(ours, [b"nonsense"], [])              # ignored: no descriptors
one, two = forked(), forked()
w1, f1 = ask_on(one, ("hello version=" + hx("1")).encode())
w2, f2 = ask_on(two, ("hello version=" + hx("1")).encode())
pids = {f1.get("pid"), f2.get("pid")}
want("factory: the first helper says hello", (w1, f1), "ok")
want("factory: the second helper says hello", (w2, f2), "ok")
if len(pids) != 2 or str(f.pid) in pids or None in pids:
    print("FAIL: factory: two helpers, neither the factory itself: pids %r, factory %d" %
          (sorted(p for p in pids if p), f.pid))
    bad += 1
else:
    print("ok: factory: two helpers with pids of their own")
want("factory: a helper refuses a bad request as any helper does",
     ask_on(one, b"query name"), "error", "STATUS_INVALID_PARAMETER", "key=value")
want("factory: a helper answers quit", ask_on(one, b"quit"), "ok")
if one[1].read() != b"":
    print("FAIL: factory: output after quit")
    bad += 1
ours.close()                                            # the factory ends ...
frc = f.wait(timeout=30)
if frc != 0:
    print("FAIL: factory: exit status %d" % frc)
    bad += 1
else:
    print("ok: factory: ends with status 0 when its socket closes")
want("factory: ... and the helper it made still answers", ask_on(two, b"list"), "error",
     "STATUS_CONNECTION_INVALID")
two[0].close()                                          # end of input ends it
if two[1].read() != b"":
    print("FAIL: factory: output after the end of input")
    bad += 1
else:
    print("ok: factory: a helper ends at the end of its input")
ferr = f.stderr.read()                                  # (the helpers kept a copy of it)
if ferr:
    print("FAIL: factory: standard error %r" % ferr[:200])
    bad += 1
sys.exit(bad)
EOF
out_has "ok: quit"
if grep -q '^FAIL' "$OUT"; then fail "the helper answered a request wrongly"; fi

# trustmgr_lsa.py is a launcher: the helper is four modules beside it,
# each loaded from its compiled form, which the build wrote (the import
# system checks it against the source's hash).
core=$(dirname "$helper")/trustmgr_lsa_core.py
tag=$(/usr/bin/python3 -c 'import sys; print(sys.implementation.cache_tag)')
LAST="python3 -I -v $helper"
printf 'hello version=31\nquit\n' | /usr/bin/python3 -I -v "$helper" >"$OUT" 2>"$ERR" ||
	fail "the helper under python3 -v"
for m in protocol tdo netlogon core; do
	grep -qF "code object from '$(dirname "$helper")/__pycache__/trustmgr_lsa_$m.$tag.pyc'" "$ERR" ||
		fail "the helper did not load trustmgr_lsa_$m from the compiled form the build wrote"
done
# Alone, the launcher answers each request with an error naming the missing
# modules (so trustmgr shows them), and a factory ends at once (trustmgr then
# starts each helper on its own, which says the same).
mkdir "$PWD/alone"
cp "$helper" "$PWD/alone/"
missing=
for m in protocol tdo netlogon core; do
	missing="$missing${missing:+, }$PWD/alone/trustmgr_lsa_$m.py"
done
LAST="trustmgr_lsa.py without its modules"
printf 'hello version=31\nlist\n' | /usr/bin/python3 -I "$PWD/alone/trustmgr_lsa.py" >"$OUT" 2>"$ERR" ||
	fail "the launcher without its core failed instead of answering"
[ "$(grep -c '^error status=' "$OUT")" = 2 ] || fail "not one error line a request"
/usr/bin/python3 -c '
import sys
for line in open(sys.argv[1]):
    f = dict(w.split("=", 1) for w in line.split()[1:])
    m = bytes.fromhex(f["message"]).decode()
    if bytes.fromhex(f["status"]) != b"STATUS_NOT_FOUND" or sys.argv[2] not in m:
        sys.exit("unexpected: " + line)' "$OUT" "$missing" ||
	fail "the error does not name the missing modules"
[ ! -s "$ERR" ] || fail "the launcher wrote to standard error"
LAST="trustmgr_lsa.py --factory without its modules"
/usr/bin/python3 -I "$PWD/alone/trustmgr_lsa.py" --factory </dev/null >"$OUT" 2>"$ERR" &&
	fail "a factory without its modules did not fail"
# With all but one, that one is named, and nothing is loaded.
for m in protocol tdo core; do cp "$(dirname "$helper")/trustmgr_lsa_$m.py" "$PWD/alone/"; done
LAST="trustmgr_lsa.py without trustmgr_lsa_netlogon.py"
printf 'hello version=31\n' | /usr/bin/python3 -I "$PWD/alone/trustmgr_lsa.py" >"$OUT" 2>"$ERR" ||
	fail "the launcher without one module failed instead of answering"
grep -q '^error status=' "$OUT" || fail "no error line without trustmgr_lsa_netlogon.py"
hexmsg=$(sed -n 's/.* message=\([0-9a-f]*\).*/\1/p' "$OUT")
msg=$(/usr/bin/python3 -c 'import sys; print(bytes.fromhex(sys.argv[1]).decode())' "$hexmsg")
case $msg in
*"($PWD/alone/trustmgr_lsa_netlogon.py)"*) ;;
*) fail "the error does not name the one missing module: $msg" ;;
esac
[ -r "$core" ] || fail "no core beside the helper ($core)"
exit 0
