"""A mixed load: the platform served as `make run` serves it (scripts/serve.sh: gunicorn with
2 x CPUs + 1 workers, DEBUG off, the task worker and the scheduler) on a free loopback port,
driven by Locust headless (its gevent client, FastHttpUser) for a fixed time, beside a bare
Django view (bench/hello.py, same gunicorn workers) measured with wrk in the same run.

The mix, BENCH_USERS (50) concurrent clients with no think time:
- anonymous visitors (40 of 50): the home page, the public registry's list with filters and a
  record, regions' profiles, marketplace searches with words, the API (agreements, listings,
  regions). Each request comes from a new visitor's address (X-Forwarded-For behind one trusted
  proxy), as on a news day, so the API's per-address limit counts visitors, not the bench.
- signed-in members of four demo regions (10 of 50), signed in through allauth before the run
  (e-mail and password, and the demo's TOTP code for the administrator who needs one): their
  dashboard, register, an agreement, their region's listings; and a small share of writes: a
  listing draft, an agreement's internal note (the edit form submitted as it came, the note
  changed; each client its own agreement), an inquiry about another region's listing.
Then a second phase (BENCH_ANON_SECONDS, 20) of anonymous visitors on the four pages a news day
brings (home, a profile, the registry's list, a record) alone.

Afterwards: `check_invariants`, the writes counted against the rows they made (each marked),
removed again (the notes restored through the same form), and the invariants checked again.
Needs the demo data (`make bench` loads it). Environment: BENCH_SECONDS (60), BENCH_USERS (50),
BENCH_ANON_SECONDS (20), BENCH_HELLO_SECONDS (10), WORKERS (2 x CPUs + 1).

Prints one JSON object on its last line: requests, errors, req_per_s, p50_ms and p95_ms per group
and overall, the bare view's req/s, each ratio to it, and the load average before and after.

This file is also Locust's locustfile: Locust imports it with JEJARING_LOAD_CONFIG set, and then
only the user classes below are defined (they read their targets from that JSON file).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "Bench load"
MEMBERS = [
    # (account, its region's schema): one region each; the administrator signs in with TOTP
    ("opd.pu.malang@jejaring.test", "kota_malang"),
    ("opd.pertanian.kabmalang@jejaring.test", "kabupaten_malang"),
    ("opd.pariwisata.batu@jejaring.test", "kota_batu"),
    ("admin.singkawang@jejaring.test", "kota_singkawang"),
]
MEMBER_CLIENTS = 10
# The four anonymous pages of the 25% goal.
NEWS_DAY = ("home", "profile", "registry_list", "registry_record")


class FormReader(HTMLParser):
    """The fields of the first post <form> (the header's language switch aside) whose action
    ends with `action` or that has none (it posts to its page), as a browser would submit it
    unchanged: inputs (checked boxes only), selects' selected
    options (or the first), textareas."""

    def __init__(self, action: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._done = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        if tag == "form" and not self._in_form:
            target = a.get("action") or ""
            # A form with no action posts to its own page.
            if (
                (a.get("method") or "").lower() == "post"
                and "setlang" not in target
                and (not target or target.endswith(self.action))
            ):
                self._in_form = True
            return
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if not self._in_form:
            return
        if tag == "select" and self._select is not None:
            value = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._in_form, self._done = False, True

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data


def read_form(html: str, action: str = "") -> list[tuple[str, str]]:
    reader = FormReader(action)
    reader.feed(html)
    return reader.fields


def with_note(fields: list[tuple[str, str]], note: str) -> list[tuple[str, str]]:
    return [(k, note if k == "internal_notes" else v) for k, v in fields]


def visitor_address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


# --- Locust's side ------------------------------------------------------------------------------

if os.environ.get("JEJARING_LOAD_CONFIG"):
    from locust import FastHttpUser, events, task

    CONFIG = json.loads(Path(os.environ["JEJARING_LOAD_CONFIG"]).read_text())
    SAMPLES: list[tuple[str, str, float, bool]] = []
    MEMBER_COUNTER = itertools.count()

    @events.request.add_listener
    def _record(name, response_time, exception, context, **kwargs):
        SAMPLES.append((context.get("group", "other"), name, response_time, exception is None))

    @events.quitting.add_listener
    def _dump(environment, **kwargs):
        Path(CONFIG["samples"]).write_text(json.dumps(SAMPLES))

    class Client(FastHttpUser):
        abstract = True
        host = CONFIG["base_url"]
        # No shared cookie jar: members send their own session, visitors none.
        connection_timeout = 30.0
        network_timeout = 60.0

        def on_start(self):
            self.client.cookiejar = None
            self.client.client.cookiejar = None

        def fetch(self, group, name, path, host, *, expect=(200,), contains="", headers=None):
            all_headers = {"Host": host, **(headers or {})}
            with self.client.get(
                path,
                headers=all_headers,
                name=name,
                context={"group": group},
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code not in expect:
                    response.failure(f"{response.status_code} for {host}{path}")
                elif contains and contains not in (response.text or ""):
                    response.failure(f"{host}{path}: {contains!r} missing")
                return response

    class Visitor(Client):
        abstract = True
        platform = CONFIG["platform_host"]
        anon = CONFIG["anonymous"]

        def get(self, name, path, **kwargs):
            headers = {"X-Forwarded-For": visitor_address()}
            group = "anonymous_news_day" if name in NEWS_DAY else "anonymous_other"
            return self.fetch(group, name, path, self.platform, headers=headers, **kwargs)

        def home(self):
            self.get("home", "/", contains="Jejaring")

        def registry_list(self):
            self.get("registry_list", "/kerja-sama/" + random.choice(self.anon["registry_queries"]))

        def registry_record(self):
            self.get("registry_record", f"/kerja-sama/{random.choice(self.anon['records'])}/")

        def profile(self):
            self.get("profile", random.choice(self.anon["profiles"]))

        def search(self):
            self.get("search", "/pasar/?q=" + random.choice(self.anon["words"]))

        def api(self):
            self.get("api", random.choice(self.anon["api"]))

    class AnonymousVisitor(Visitor):
        """A visitor of the public pages and the API (weights: what a news day brings)."""

        weight = 4
        tasks = {
            Visitor.home: 4,
            Visitor.registry_list: 3,
            Visitor.registry_record: 4,
            Visitor.profile: 3,
            Visitor.search: 2,
            Visitor.api: 2,
        }

    class NewsDayVisitor(Visitor):
        """The second phase: the four pages a news day brings, and nothing else (named on the
        command line of that phase only)."""

        tasks = {
            Visitor.home: 4,
            Visitor.registry_list: 3,
            Visitor.registry_record: 4,
            Visitor.profile: 3,
        }

    class Member(Client):
        """A signed-in member of one of the demo regions, on its subdomain."""

        fixed_count = MEMBER_CLIENTS

        def on_start(self):
            super().on_start()
            number = next(MEMBER_COUNTER)
            members = CONFIG["members"]
            self.member = members[number % len(members)]
            # Each client edits its own agreement's note (two editing one would meet the
            # product's "changed meanwhile" answer, which is right but not this bench's subject).
            share = number // len(members)
            own = self.member["note_agreements"][share::MEMBER_CLIENTS]
            self.agreement = own[0] if own else None
            self.cookie = self.member["cookie"]
            self.csrf = self.member["csrf"]

        def get(self, name, path, **kwargs):
            return self.fetch(
                "member", name, path, self.member["host"], **kwargs, headers={"Cookie": self.cookie}
            )

        def post(self, name, path, host, data, expect=(302,)):
            with self.client.post(
                path,
                data=data,
                headers={
                    "Host": host,
                    "Cookie": self.cookie,
                    "X-CSRFToken": self.csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                name=name,
                context={"group": "write"},
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code not in expect:
                    response.failure(f"{response.status_code} for {host}{path}")
                return response

        @task(5)
        def dashboard(self):
            self.get("member_dashboard", "/", contains=self.member["region_name"])

        @task(5)
        def register(self):
            self.get("member_register", "/kerja-sama/")

        @task(4)
        def agreement(self):
            self.get("member_agreement", f"/kerja-sama/{random.choice(self.member['agreements'])}/")

        @task(3)
        def own_listings(self):
            self.get("member_listings", "/pasar/")

        @task(1)
        def write_listing_draft(self):
            from urllib.parse import urlencode

            data = {**self.member["listing_form"], "csrfmiddlewaretoken": self.csrf}
            data["title"] = f"{MARK} draft {uuid.uuid4().hex[:10]}"
            self.post("write_listing_draft", "/pasar/baru/", self.member["host"], urlencode(data))

        @task(1)
        def write_agreement_note(self):
            from urllib.parse import urlencode

            if self.agreement is None:
                return self.write_inquiry()
            path = f"/kerja-sama/{self.agreement}/ubah/"
            form = self.fetch(
                "write",
                "write_agreement_note_form",
                path,
                self.member["host"],
                headers={"Cookie": self.cookie},
            )
            if form.status_code != 200:
                return None
            fields = with_note(read_form(form.text, "/ubah/"), f"{MARK} note {uuid.uuid4().hex}")
            return self.post("write_agreement_note", path, self.member["host"], urlencode(fields))

        @task(1)
        def write_inquiry(self):
            from urllib.parse import urlencode

            listing = random.choice(self.member["other_listings"])
            data = {
                "csrfmiddlewaretoken": self.csrf,
                "sender_tenant": self.member["tenant_pk"],
                "subject": f"{MARK} inquiry {uuid.uuid4().hex[:10]}",
                "body": "Kami tertarik: berapa kapasitas per bulan dan kapan bisa dikirim?",
            }
            return self.post(
                "write_inquiry",
                f"/pasar/{listing}/minat/",
                CONFIG["platform_host"],
                urlencode(data),
            )


# --- The bench's side ---------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _figures(samples: list, seconds: float) -> dict:
    times = [s[2] for s in samples]
    return {
        "requests": len(samples),
        "errors": sum(1 for s in samples if not s[3]),
        "req_per_s": round(len(samples) / seconds, 1),
        "p50_ms": round(_percentile(times, 0.50), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
    }


def _grouped(samples: list, seconds: float, index: int) -> dict:
    keys = sorted({s[index] for s in samples})
    return {k: _figures([s for s in samples if s[index] == k], seconds) for k in keys}


def _login(session, port: int, host: str, email: str) -> None:
    """Signs in through allauth as a browser does: the login form, then the TOTP step when the
    account needs it (the demo's published secret)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from tenants.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    base = f"http://127.0.0.1:{port}"
    headers = {"Host": host}
    page = session.get(f"{base}/akun/login/", headers=headers, timeout=60)
    fields = dict(read_form(page.text, "/akun/login/"))
    fields.update(login=email, password=DEMO_PASSWORD)
    answer = session.post(
        f"{base}/akun/login/", data=fields, headers=headers, allow_redirects=False, timeout=60
    )
    location = answer.headers.get("Location", "")
    if "2fa/authenticate" in location:
        page = session.get(base + location, headers=headers, timeout=60)
        fields = dict(read_form(page.text))
        fields["code"] = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
        answer = session.post(
            base + location, data=fields, headers=headers, allow_redirects=False, timeout=60
        )
        location = answer.headers.get("Location", "")
    if answer.status_code != 302 or "login" in location or "2fa" in location:
        raise SystemExit(f"Signing in as {email} failed: {answer.status_code} -> {location}")


def _targets(port: int, base_domain: str, samples_path: str) -> dict:
    """What the clients ask for, read from the demo data; members signed in over HTTP."""
    import requests
    from django.conf import settings
    from django_tenants.utils import schema_context

    from agreements.models import Agreement
    from cms.models import RegionPage
    from marketplace import kbli
    from marketplace.models import Listing
    from public_registry.models import PublishedAgreement
    from tenants.models import Tenant

    platform = f"{base_domain}:{port}"
    records = list(PublishedAgreement.objects.values_list("pk", flat=True)[:200])
    profiles = [
        "/" + p.url_path.strip("/").split("/", 1)[1] + "/"
        for p in RegionPage.objects.live().only("url_path")
    ]
    if not records or not profiles:
        raise SystemExit("The demo data is missing: load it first (make demo).")
    members, originals = [], {}
    valid_until = time.strftime("%Y-12-31", time.localtime(time.time() + 200 * 86400))
    for email, schema in MEMBERS:
        tenant = Tenant.objects.select_related("region").get(schema_name=schema)
        host = f"{tenant.domains.get(is_primary=True).domain}:{port}"
        session = requests.Session()
        _login(session, port, platform, email)
        with schema_context(schema):
            rows = list(
                Agreement.objects.order_by("pk").values_list("pk", "internal_notes", "cooperation")
            )
        originals[schema] = {pk: notes for pk, notes, _shared in rows}
        others = list(
            Listing.objects.public().exclude(tenant=tenant).values_list("pk", flat=True)[:20]
        )
        members.append(
            {
                "email": email,
                "host": host,
                "tenant_pk": tenant.pk,
                "region_name": tenant.region.name,
                "cookie": "; ".join(
                    f"{name}={session.cookies[name]}"
                    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
                ),
                "csrf": session.cookies[settings.CSRF_COOKIE_NAME],
                "agreements": [pk for pk, _notes, _shared in rows],
                "records": {pk: cooperation for pk, _notes, cooperation in rows},
                "other_listings": others,
                "listing_form": {
                    "kind": "product",
                    "title": "",
                    "description": "Draf dari uji beban: kapasitas, harga dan kontak menyusul.",
                    "sector": kbli.CHOICES[0][0],
                    "urusan": "3.26",
                    "area": "",
                    "contact_name": "Bagian Kerja Sama",
                    "contact_email": "kerja-sama@jejaring.test",
                    "valid_until": valid_until,
                    "language": "id",
                },
            }
        )
    # Each client edits the note of an agreement no other benched region is a party to: the
    # shared record's version moves with every edit, and two regions editing one record meet
    # the product's "changed meanwhile" answer (right, but not this bench's subject).
    parties = Counter(c for m in members for c in m["records"].values())
    for m in members:
        records = m.pop("records")
        m["note_agreements"] = [pk for pk, c in records.items() if parties[c] == 1]
    config = {
        "base_url": f"http://127.0.0.1:{port}",
        "platform_host": platform,
        "samples": samples_path,
        "members": members,
        "anonymous": {
            "records": records,
            "profiles": profiles,
            "registry_queries": [
                "",
                "?status=in_force",
                "?kind=ksdpk",
                "?region=35.73",
                "?q=pariwisata",
                "?urusan=3.26&sort=oldest",
                "?page=2",
                "?province=35&status=expired",
            ],
            "words": ["kopi", "apel+batu", "wisata", "air+bersih", "keripik", "festival"],
            "api": [
                "/api/v1/agreements/?region=35.73",
                "/api/v1/agreements/?q=pendidikan",
                "/api/v1/listings/?q=kopi",
                "/api/v1/regions/35.73/",
                "/api/wilayah/35.73/",
            ],
        },
    }
    return config, originals


def _locust(config_path: str, users: int, seconds: int, classes: list[str], log: Path) -> None:
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(Path(__file__).resolve()),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    env = {**os.environ, "JEJARING_LOAD_CONFIG": config_path}
    with log.open("a") as out:
        # Locust exits 1 when any request failed: the figures say so, the bench goes on.
        subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def _hello(port: int, seconds: int, connections: int) -> float:
    from bench.http import WRK_SCRIPT, _ensure_wrk

    wrk = _ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        url = f"http://127.0.0.1:{port}/"
        base = [wrk, "-t", "2", "-c", str(connections), "-s", script.name]
        subprocess.run([*base, "-d", "2s", url], check=True, capture_output=True)  # noqa: S603
        out = subprocess.run(  # noqa: S603
            [*base, "-d", f"{seconds}s", url], check=True, capture_output=True, text=True
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line[6:] for line in out.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line)
    return round(figures["requests"] / (figures["duration_us"] / 1e6), 1)


def _restore_notes(port: int, members: list[dict], originals: dict, touched: dict) -> int:
    """Each edited note back to what it was, through the same edit form."""
    from urllib.parse import urlencode

    import requests

    restored = 0
    for member in members:
        schema = next(s for e, s in MEMBERS if e == member["email"])
        for pk in touched.get(schema, ()):
            headers = {"Host": member["host"], "Cookie": member["cookie"]}
            url = f"http://127.0.0.1:{port}/kerja-sama/{pk}/ubah/"
            page = requests.get(url, headers=headers, timeout=60, allow_redirects=False)
            fields = with_note(read_form(page.text, "/ubah/"), originals[schema][pk])
            answer = requests.post(
                url,
                data=urlencode(fields),
                headers={
                    **headers,
                    "X-CSRFToken": member["csrf"],
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                timeout=60,
                allow_redirects=False,
            )
            if answer.status_code != 302:
                raise SystemExit(f"Restoring agreement {pk}'s note answered {answer.status_code}")
            restored += 1
    return restored


def _invariants() -> list[str]:
    """The broken invariants (core/invariants.py, as `manage.py check_invariants`), named."""
    from core import invariants

    return [f"{r.name}: {r.broken[:3]}" for r in invariants.broken(invariants.check_all())]


def main() -> None:  # noqa: PLR0915
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django_tenants.utils import schema_context

    from agreements.models import Agreement
    from bench.http import _free_port, _serve, _wait_ready
    from marketplace.models import Inquiry, Listing

    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    users = int(os.environ.get("BENCH_USERS", "50"))
    anon_seconds = int(os.environ.get("BENCH_ANON_SECONDS", "20"))
    hello_seconds = int(os.environ.get("BENCH_HELLO_SECONDS", "10"))
    workers = int(os.environ.get("WORKERS") or (os.cpu_count() or 1) * 2 + 1)
    base = settings.JEJARING_BASE_DOMAIN
    port, hello_port = _free_port(), _free_port()
    platform = f"{base}:{port}"
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(workers),
        "JEJARING_PORT": str(port),
        # One trusted proxy: the bench's visitors each come from their own address.
        "JEJARING_API_NUM_PROXIES": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    workdir = Path(tempfile.mkdtemp(prefix="jejaring-load-"))
    log = workdir / "server.log"
    load_before = os.getloadavg()
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603
            [str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hello_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    hello = _serve("bench.hello:application", hello_port, workers, hello_env)
    members, originals, sessions = [], {}, []
    results: dict = {"gunicorn_workers": workers, "users": users, "seconds": seconds}
    started = time.time()
    try:
        _wait_ready(port, platform, server)
        _wait_ready(hello_port, f"localhost:{hello_port}", hello)
        results["bare_view_req_per_s"] = _hello(hello_port, hello_seconds, users)
        print(f"bare view: {results['bare_view_req_per_s']} req/s", flush=True)

        samples_path = str(workdir / "samples.json")
        config, originals = _targets(port, base, samples_path)
        members = config["members"]
        sessions = [m["cookie"].split(";")[0].split("=", 1)[1] for m in members]
        config_path = workdir / "config.json"
        config_path.write_text(json.dumps(config))

        _locust(str(config_path), users, seconds, ["AnonymousVisitor", "Member"], log)
        mix = json.loads(Path(samples_path).read_text())
        Path(samples_path).unlink()
        _locust(str(config_path), users, anon_seconds, ["NewsDayVisitor"], log)
        news_day = json.loads(Path(samples_path).read_text())
    finally:
        for process in (server, hello):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, hello):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    load_after = os.getloadavg()

    results["mix"] = {"overall": _figures(mix, seconds), **_grouped(mix, seconds, 0)}
    results["pages"] = _grouped(mix, seconds, 1)
    results["news_day_phase"] = {
        "overall": _figures(news_day, anon_seconds),
        **_grouped(news_day, anon_seconds, 1),
    }
    bare = results["bare_view_req_per_s"] or 1
    results["ratio"] = round(results["mix"]["overall"]["req_per_s"] / bare, 4)
    results["news_day_ratio"] = round(results["news_day_phase"]["overall"]["req_per_s"] / bare, 4)

    # The writes: each successful one left exactly its row; the invariants hold with them and
    # after they are removed again.
    wrote = {
        name: sum(1 for s in mix if s[1] == name and s[3])
        for name in ("write_listing_draft", "write_agreement_note", "write_inquiry")
    }
    drafts = Listing.objects.filter(title__startswith=f"{MARK} draft")
    inquiries = Inquiry.objects.filter(subject__startswith=f"{MARK} inquiry")
    touched, notes = {}, 0
    for _email, schema in MEMBERS:
        with schema_context(schema):
            pks = list(
                Agreement.objects.filter(internal_notes__startswith=f"{MARK} note").values_list(
                    "pk", flat=True
                )
            )
        touched[schema], notes = pks, notes + len(pks)
    invariants_after_load = _invariants()
    checks = {
        "listing_drafts": {"written": wrote["write_listing_draft"], "rows": drafts.count()},
        "inquiries": {"written": wrote["write_inquiry"], "rows": inquiries.count()},
        "notes": {"written": wrote["write_agreement_note"], "agreements_edited": notes},
        "invariant_violations_after_load": len(invariants_after_load),
    }
    # The bench's own rows leave again: the notes through the edit form (server restarted for
    # it), drafts and inquiries (never published, nothing indexed) deleted.
    with log.open("a") as out:
        server = subprocess.Popen(  # noqa: S603
            [str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_ready(port, platform, server)
        checks["notes"]["restored"] = _restore_notes(port, members, originals, touched)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    checks["listing_drafts"]["removed"] = drafts.delete()[1].get("marketplace.Listing", 0)
    checks["inquiries"]["removed"] = inquiries.delete()[1].get("marketplace.Inquiry", 0)
    Session.objects.filter(session_key__in=sessions).delete()
    checks["invariant_violations_after_cleanup"] = len(_invariants())
    results["writes"] = checks
    results["writes_consistent"] = (
        checks["listing_drafts"]["written"] == checks["listing_drafts"]["rows"]
        and checks["inquiries"]["written"] == checks["inquiries"]["rows"]
        and checks["notes"]["agreements_edited"] <= checks["notes"]["written"]
        and not invariants_after_load
        and not checks["invariant_violations_after_cleanup"]
    )
    results["loadavg"] = {
        "before": [round(x, 2) for x in load_before],
        "after": [round(x, 2) for x in load_after],
    }
    results["cpus"] = os.cpu_count()
    results["wall_s"] = round(time.time() - started, 1)
    results["server_log"] = str(log)
    print(json.dumps(results))
    if not results["writes_consistent"]:
        sys.exit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench.run import main as run

    sys.exit(run(["load"]))
