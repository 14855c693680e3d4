"""The permission matrix: every route of both URL configurations, with the answer each kind of
person gets. tests/test_permission_matrix.py walks the URL configurations and fails for a route
without a row, then requests every row as every actor.

Each app keeps the rows of its own routes in `<app>/tests/permission_rows.py` (a list ROWS of
Row, built with the helpers below); all_rows() collects them with the rows kept here (the routes
of every host, and those of the apps that have no rows module yet). A new feature adds its
permissions (its policy.py), its events (audit_events.py) and its rows without editing this file
beyond, at most, the fixtures its sample paths name (tests/test_permission_matrix.py, world).

Actors
    anonymous      nobody signed in
    third_party    a signed-in account with no membership (a company, a university, the public)
    admin, tkksd, opd, camat, lurah, viewer
                   members of Kota Malang (the owning region) in each role
    other_region   the administrator of Kota Batu (another region)
    staff          platform staff
    admin_password_only, staff_password_only
                   the same kinds of account as admin/staff, in a session that has NOT passed
                   the second factor (any side door would give that)

Answers
    OK     the page or action works (2xx, a redirect that is not a sign-in, 400 for an empty
           form or 409 for a state that does not allow it: the person may use it and is told
           what is missing)
    LOGIN  sent to sign in (the platform's login page, or a region's session handoff)
    MFA    sent to pass the second factor first (or 403 for a non-page request)
    403 / 404 / 405
           refused / not found (also for what exists but is not this person's) / wrong method

Sample paths name fixtures in braces: {member} (the viewer's membership in Kota Malang),
{invitation}, {invitation_token}, {document}, {application}, {tenant} (Kota Batu's tenant),
{export} (an export of Kota Batu), {confirmation_token}, {agreement} (a signed KSB in Kota Malang's
register), {signed_document} and {internal_document} (its signed scan and an internal document),
{action_item} and {monitoring_report} (an item of its action plan and a monitoring report; its
responsible OPD is the OPD actor's), {text_version} (a version of its joint text, with a PDF),
{api_token} (an API token of the viewer), {saved_search} (the third party's saved search),
{synonym} (a synonym group Kota Malang's office added).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

OK, LOGIN, MFA = "OK", "LOGIN", "MFA"
ROLES = ("admin", "tkksd", "opd", "camat", "lurah", "viewer")
ACTORS = (
    "anonymous",
    "third_party",
    *ROLES,
    "other_region",
    "staff",
    "admin_password_only",
    "staff_password_only",
)


@dataclass(frozen=True)
class Row:
    route: str  # the route as Django shows it; a trailing "*" covers an included URL conf
    host: str  # "platform" or "region" (Kota Malang's subdomain)
    path: str
    expect: dict[str, str | int]
    method: str = "GET"
    note: str = ""
    data: dict = field(default_factory=dict)


def _password_only(expect: dict) -> dict:
    """A session of an account that must use the second factor, which has not passed it, gets
    no page at all but the second-factor pages (and the exempt account pages)."""
    expect.update({"admin_password_only": MFA, "staff_password_only": MFA})
    return expect


password_only = _password_only  # for the apps' rows modules


def workspace(*allowed: str, anonymous=LOGIN) -> dict:
    """A page of Kota Malang's workspace that the `allowed` roles may use: other roles get
    403; people who are not members (another region's, staff, third parties) get 404."""
    expect = {"anonymous": anonymous, "third_party": 404, "other_region": 404, "staff": 404}
    expect.update({role: OK if role in allowed else 403 for role in ROLES})
    return _password_only(expect)


def staff_only() -> dict:
    expect = {actor: 403 for actor in ACTORS}
    expect.update({"anonymous": LOGIN, "staff": OK})
    return _password_only(expect)


def signed_in() -> dict:
    expect = {actor: OK for actor in ACTORS}
    expect["anonymous"] = LOGIN
    return _password_only(expect)


def everyone(answer=OK) -> dict:
    # Even public pages: a session that must pass the second factor passes it first.
    return _password_only({actor: answer for actor in ACTORS})


def exempt(answer=OK) -> dict:
    """Reachable before the second factor (allauth's own pages, the language switch)."""
    return {actor: answer for actor in ACTORS}


ALL_WORKSPACE_ROLES = ROLES
MANAGERS = ("admin",)


# fmt: off
ROWS: list[Row] = [
    # --- Every host: accounts and the language switch ---------------------------------------
    Row("akun/*", "platform", "/akun/login/", exempt(), note="allauth's pages"),
    Row("akun/sesi/", "platform", "/akun/sesi/", exempt(OK), note="handoff start, no target"),
    Row("akun/sesi/terima/", "platform", "/akun/sesi/terima/", exempt(OK)),
    Row("akun/2fa/totp/activate/", "platform", "/akun/2fa/totp/activate/", {
        **exempt(OK), "anonymous": LOGIN,
    }),
    Row("i18n/setlang/", "platform", "/i18n/setlang/", exempt(OK), method="POST",
        data={"language": "en", "next": "/"}),
    # For the load balancer and Prometheus (portal/health.py), before any sign-in; /metrics
    # only from loopback without a proxy, as the test client asks (a proxied or remote request
    # gets 404: portal/tests/test_health.py).
    Row("healthz", "platform", "/healthz", exempt(OK)),
    Row("readyz", "platform", "/readyz", exempt(OK)),
    Row("metrics", "platform", "/metrics", exempt(OK)),
    # --- A region's workspace (Kota Malang's subdomain) ---------------------------------------
    Row("akun/*", "region", "/akun/logout/", exempt(OK), note="allauth's pages"),
    Row("akun/login/", "region", "/akun/login/", {**exempt(OK), "anonymous": LOGIN},
        note="signing in happens on the platform"),
    Row("akun/signup/", "region", "/akun/signup/", exempt(OK)),
    Row("akun/password/reset/", "region", "/akun/password/reset/", exempt(OK)),
    Row("akun/sesi/", "region", "/akun/sesi/", exempt(OK)),
    Row("akun/sesi/terima/", "region", "/akun/sesi/terima/", exempt(OK)),
    Row("akun/2fa/totp/activate/", "region", "/akun/2fa/totp/activate/", {
        **exempt(OK), "anonymous": LOGIN,
    }),
    Row("i18n/setlang/", "region", "/i18n/setlang/", exempt(OK), method="POST",
        data={"language": "en", "next": "/"}),
    Row("healthz", "region", "/healthz", exempt(OK)),
    Row("readyz", "region", "/readyz", exempt(OK)),
    Row("metrics", "region", "/metrics", exempt(OK)),
    # --- The public registry (public_registry/): {published} is the public record of Kota
    # Malang's signed sample KSB, {published_document} its signed document's public copy.
    Row("kerja-sama/", "platform", "/kerja-sama/?q=malang&kind=ksdd_sukarela&status=in_force",
        everyone()),
    Row("kerja-sama/unduh/<slug:fmt>/", "platform", "/kerja-sama/unduh/csv/", everyone()),
    Row("kerja-sama/perubahan/", "platform", "/kerja-sama/perubahan/", everyone()),
    Row("kerja-sama/umpan/", "platform", "/kerja-sama/umpan/", everyone()),
    Row("kerja-sama/umpan/daerah/<str:code>/", "platform", "/kerja-sama/umpan/daerah/35.73/",
        everyone()),
    Row("kerja-sama/umpan/urusan/<str:code>/", "platform", "/kerja-sama/umpan/urusan/1.03/",
        everyone()),
    Row("kerja-sama/<int:pk>/", "platform", "/kerja-sama/{published}/", everyone()),
    Row("kerja-sama/<int:pk>/dokumen/<int:document_pk>/", "platform",
        "/kerja-sama/{published}/dokumen/{published_document}/", everyone()),
    Row("kerja-sama/<int:pk>/versi/<int:number>/", "platform", "/kerja-sama/{published}/versi/1/",
        everyone()),
    Row("kerja-sama/publik/<int:pk>/", "region", "/kerja-sama/publik/{shared}/",
        workspace(*MANAGERS), note="the owning region's office withholds parts of the record"),
]
# fmt: on


def _outside_the_lurahs_area(rows: list[Row]) -> list[Row]:
    """{agreement} concerns the camat's kecamatan, not the lurah's kelurahan: the lurah, who
    reads the register, finds its pages missing (404) wherever a reader may go."""
    return [
        Row(**{**r.__dict__, "expect": {**r.expect, "lurah": 404}})
        if "{agreement}" in r.path and r.expect.get("lurah") == OK
        else r
        for r in rows
    ]


ROWS = _outside_the_lurahs_area(ROWS)


def _app_rows() -> list[Row]:
    """Every project app's `tests/permission_rows.py` ROWS, in INSTALLED_APPS order."""
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    rows: list[Row] = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(base) or ".venv" in path.parts:
            continue
        name = f"{config.name}.tests.permission_rows"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name in (name, f"{config.name}.tests"):
                continue
            raise
        rows.extend(module.ROWS)
    return rows


def all_rows() -> list[Row]:
    """The whole matrix: the rows kept here and every app's (the lurah's rule applied to all)."""
    return ROWS + _outside_the_lurahs_area(_app_rows())
