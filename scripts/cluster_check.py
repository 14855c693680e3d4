"""`scripts/cluster.sh check`: what must work whichever server answers, tried on the two servers
of `make cluster` with the demo's accounts (DEMO=1): a session made by one server read by the
other, a login form rendered by one and posted to the other (CSRF), the subdomain handoff's
steps split between them, a document uploaded on one and downloaded (same SHA-256) from the
other, failed logins alternating between them counted together (allauth: 5 per 5 minutes per
account). Each request goes to one server directly (WEB1_PORT, WEB2_PORT), bypassing HAProxy.
Prints PASS/FAIL per check; exits 1 if any failed. Failed logins count for a minute per address:
run it at most once a minute."""

import hashlib
import http.client
import io
import os
import re
import sys
import urllib.parse
import uuid
from http.cookies import SimpleCookie

from pypdf import PdfWriter

WEB = {
    "web1": int(os.environ.get("WEB1_PORT", "8001")),
    "web2": int(os.environ.get("WEB2_PORT", "8002")),
}
PUBLIC_PORT = os.environ.get("PORT", "8000")
jar = {}  # host -> {name: value}


def req(server, host, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", WEB[server], timeout=30)
    h = {"Host": host, **(headers or {})}
    cookies = jar.get(host, {})
    if cookies:
        h["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    for value in r.headers.get_all("Set-Cookie") or []:
        sc = SimpleCookie()
        sc.load(value)
        for k, m in sc.items():
            jar.setdefault(host, {})[k] = m.value
    return r.status, r.headers, data


def csrf(server, host, path):
    s, h, d = req(server, host, "GET", path)
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', d).group(1).decode()


def form(server, host, path, fields, token_from=None):
    token = csrf(token_from or server, host, path)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields})
    return req(
        server,
        host,
        "POST",
        path,
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{host}:{PUBLIC_PORT}{path}",
        },
    )


ok = True


def check(label, cond):
    global ok
    ok &= bool(cond)
    print(("PASS " if cond else "FAIL ") + label)


P, R = "localhost", "kota-malang.localhost"
# 1. Sign in: form from web1, posted to web2; the session then read by web1.
s, h, d = form(
    "web2",
    P,
    "/akun/login/",
    {"login": "tkksd.malang@jejaring.test", "password": "jejaring-demo-2026"},
    token_from="web1",  # noqa: S106 (a server name, not a password)
)
check(
    f"login form rendered by web1, posted to web2: {s} -> {h.get('Location')}",
    s == 302 and "sessionid" in jar.get(P, {}),
)
s, h, d = req("web1", P, "GET", "/ruang-kerja/")
check(
    f"the session made on web2 is read by web1 (/ruang-kerja/ {s} -> {h.get('Location')}: "
    "the member's region)",
    s == 302 and "kota-malang.localhost" in h.get("Location", ""),
)
# 2. Handoff to the region's subdomain, each step on the other server.
s, h, d = req("web2", R, "GET", "/")
loc = h.get("Location", "")
check(f"region on web2 sends to the platform's handoff ({s})", s == 302 and "/akun/sesi/" in loc)
u = urllib.parse.urlsplit(loc)
s, h, d = req("web1", P, "GET", u.path + "?" + u.query)
loc = h.get("Location", "")
check(
    f"platform handoff on web1 returns to the region ({s})",
    s == 302 and "kota-malang.localhost" in loc,
)
u = urllib.parse.urlsplit(loc)
s, h, d = req("web2", R, "GET", u.path + "?" + u.query)
check(f"region accepts the handoff on web2 ({s} -> {h.get('Location')})", s == 302)
s, h, d = req("web1", R, "GET", "/")
check(f"region dashboard on web1 with the handed-off session ({s})", s == 200)
# 3. Upload on web1, download on web2: the same bytes.
writer = PdfWriter()
writer.add_blank_page(width=100, height=100)
buffer = io.BytesIO()
writer.write(buffer)
pdf = buffer.getvalue()
title = "cluster-" + uuid.uuid4().hex[:8]
token = csrf("web1", R, "/dokumen/")
b = "----b" + uuid.uuid4().hex
parts = [
    f"--{b}\r\nContent-Disposition: form-data; "
    f'name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode(),
    f'--{b}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'.encode(),
    f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\n'.encode()
    + b"Content-Type: application/pdf\r\n\r\n"
    + pdf
    + b"\r\n",
    f"--{b}--\r\n".encode(),
]
s, h, d = req(
    "web1",
    R,
    "POST",
    "/dokumen/",
    b"".join(parts),
    {
        "Content-Type": f"multipart/form-data; boundary={b}",
        "Referer": f"http://{R}:{PUBLIC_PORT}/dokumen/",
    },
)
check(f"upload on web1 ({s})", s in (200, 302))
s, h, d = req("web2", R, "GET", "/dokumen/")
m = re.search(rb"/dokumen/(\d+)/unduh/[^<]*</a>|" + title.encode(), d)
ids = re.findall(rb'href="/dokumen/(\d+)/unduh/"', d)
pk = None
for chunk in re.split(rb"<tr", d):
    if title.encode() in chunk:
        found = re.search(rb"/dokumen/(\d+)/unduh/", chunk)
        pk = found and found.group(1).decode()
check(f"web2 lists the document uploaded on web1 (pk {pk})", pk is not None)
if pk:
    s, h, d = req("web2", R, "GET", f"/dokumen/{pk}/unduh/")
    check(
        f"web2 serves the file web1 stored, same SHA-256 ({s})",
        s == 200 and hashlib.sha256(d).hexdigest() == hashlib.sha256(pdf).hexdigest(),
    )
# 4. Rate limit: failed logins for one account alternate between the servers (5 per 5 minutes).
jar.pop(P, None)
victim = f"ratelimit-{uuid.uuid4().hex[:6]}@jejaring.test"
refused = []
for i in range(7):
    s, h, d = form(
        "web1" if i % 2 else "web2", P, "/akun/login/", {"login": victim, "password": "wrong"}
    )
    refused.append("Terlalu banyak percobaan" in d.decode())
check(
    # Counted per server, neither would see 5 failures of this account in 7 alternating tries.
    # (The address's own limit, 10 a minute, may refuse earlier when run twice in a minute.)
    f"failed logins counted across both servers, refused by the 6th: {refused}",
    refused[5:] == [True, True],
)
sys.exit(0 if ok else 1)
