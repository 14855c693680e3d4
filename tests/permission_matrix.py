"""The permission matrix: every route of both URL configurations, with the answer each kind of
person gets. tests/test_permission_matrix.py walks the URL configurations and fails for a route
without a row here, then requests every row as every actor.

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

from dataclasses import dataclass, field

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
# The agreements' register (tenants.policy): the office, the TKKSD and OPD staff read all of it;
# viewers (the DPRD) the dossiers they are given, camat and lurah the agreements of their area
# (readable_agreements), none of them the region's internal chain. {agreement}'s dossier is the
# viewer actor's and it concerns the camat's kecamatan, not the lurah's kelurahan: on its pages
# the lurah gets 404 (see _outside_the_lurahs_area below).
AGREEMENT_READERS = ("admin", "tkksd", "opd", "viewer", "camat", "lurah")
AGREEMENT_INTERNAL_READERS = ("admin", "tkksd", "opd")
AGREEMENT_EDITORS = ("admin", "opd")
# Offers from other regions and proposals (tenants.policy): the office and the TKKSD read them;
# the office answers and triages.
OFFER_READERS = ("admin", "tkksd")
PROPOSAL_READERS = ("admin", "tkksd")
# The action plan and monitoring reports: the office, and OPD staff of the agreement's
# responsible OPD (tenants.policy.can_work_on_agreement); the sample agreement is the OPD actor's.
AGREEMENT_MONITORS = ("admin", "opd")
# The register's outputs (tenants.policy): every reader downloads the list; the office imports;
# the office and the TKKSD produce the semester report.
AGREEMENT_REPORTERS = ("admin", "tkksd")

# The marketplace (tenants.policy): the office, OPD staff, camat and lurah publish (camat and
# lurah within their area); the office moderates; every member reads the region's listings.
LISTING_PUBLISHERS = ("admin", "opd", "camat", "lurah")
# Inquiries about the region's listings (tenants.policy): the office, the TKKSD and the publishers
# read them (camat and lurah: about their area's listings; the sample's is the lurah's kelurahan);
# the office and the publishers answer; the office makes an offer of one its members sent.
INQUIRY_READERS = ("admin", "tkksd", "opd", "camat", "lurah")
INQUIRY_ANSWERERS = LISTING_PUBLISHERS


# Trade missions (missions/, on the platform): {mission} is Provinsi Jawa Timur's, with Kota
# Malang's {listing} enrolled; no actor is a province's office, so none organises. The publishers
# of a region of the province enrol (Kota Batu is one too); {meeting} is the third party's request
# to meet Kota Malang about {listing}: the requester and the region's readers of meetings see it
# (camat and lurah: it is about their area), the region's office and publishers answer it.
MEETING_READERS = ("admin", "tkksd", "opd", "camat", "lurah")
MEETING_ANSWERERS = LISTING_PUBLISHERS


def not_for_anyone_here() -> dict:
    """Signed in, and refused: for a province's office only (no actor is one)."""
    return _password_only({**{a: 403 for a in ACTORS}, "anonymous": LOGIN})


def mission_enrollers() -> dict:
    expect = {a: 403 for a in ACTORS}
    expect.update({role: OK for role in LISTING_PUBLISHERS})
    expect.update({"anonymous": LOGIN, "other_region": OK})
    return _password_only(expect)


def meeting_page(allowed: tuple[str, ...], requester=OK) -> dict:
    expect = {a: 404 for a in ACTORS}
    expect.update({role: OK if role in allowed else 403 for role in MEETING_READERS})
    expect.update({"anonymous": LOGIN, "third_party": requester})
    return _password_only(expect)


def region_agenda() -> dict:
    expect = {a: 404 for a in ACTORS}
    expect.update({role: OK if role in MEETING_READERS else 403 for role in ROLES})
    expect["anonymous"] = LOGIN
    return _password_only(expect)


def inquirer_only() -> dict:
    """A page of one inquirer's thread (the third party's): anyone else gets 404."""
    return _password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN, "third_party": OK})

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
    # --- The platform -------------------------------------------------------------------------
    Row("ruang-kerja/", "platform", "/ruang-kerja/", signed_in()),
    Row("daftar-daerah/", "platform", "/daftar-daerah/", {**signed_in(), "anonymous": OK},
        note="anonymous visitors are told an account is needed"),
    Row("daftar-daerah/status/", "platform", "/daftar-daerah/status/", signed_in()),
    Row("daftar-daerah/konfirmasi/<str:token>/", "platform",
        "/daftar-daerah/konfirmasi/{confirmation_token}/", everyone(),
        note="the link e-mailed to the official address"),
    Row("daftar-daerah/<int:pk>/kirim-ulang-konfirmasi/", "platform",
        "/daftar-daerah/{application}/kirim-ulang-konfirmasi/",
        _password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN}), method="POST",
        note="only the applicant (not among the actors) may resend"),
    Row("platform/permohonan/", "platform", "/platform/permohonan/", staff_only()),
    Row("platform/permohonan/<int:pk>/", "platform", "/platform/permohonan/{application}/",
        staff_only()),
    Row("platform/permohonan/<int:pk>/setujui/", "platform",
        "/platform/permohonan/{application}/setujui/", staff_only(), method="POST",
        note="refused with 409 while the official address is unconfirmed"),
    Row("platform/permohonan/<int:pk>/tolak/", "platform",
        "/platform/permohonan/{application}/tolak/", staff_only(), method="POST"),
    Row("platform/permohonan/<int:pk>/surat/", "platform",
        "/platform/permohonan/{application}/surat/", staff_only()),
    Row("platform/daerah/", "platform", "/platform/daerah/", staff_only()),
    Row("platform/daerah/<int:pk>/", "platform", "/platform/daerah/{tenant}/", staff_only()),
    Row("platform/daerah/<int:pk>/tangguhkan/", "platform",
        "/platform/daerah/{tenant}/tangguhkan/", staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/aktifkan/", "platform",
        "/platform/daerah/{tenant}/aktifkan/", staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/ekspor/", "platform", "/platform/daerah/{tenant}/ekspor/",
        staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/hapus/", "platform", "/platform/daerah/{tenant}/hapus/",
        staff_only(), method="POST"),
    Row("platform/daerah/<int:pk>/pulihkan/", "platform",
        "/platform/daerah/{tenant}/pulihkan/", staff_only(), method="POST"),
    Row("platform/ekspor/<int:pk>/unduh/", "platform", "/platform/ekspor/{export}/unduh/",
        staff_only()),
    Row("api/wilayah/", "platform", "/api/wilayah/", everyone()),
    Row("api/wilayah/<str:code>/", "platform", "/api/wilayah/35.73/", everyone()),
    # --- Wagtail: the portal's pages, its admin and its documents -----------------------------
    Row("cms/login/", "platform", "/cms/login/", everyone(LOGIN), note="to allauth's login"),
    Row("^cms/password_reset/", "platform", "/cms/password_reset/", everyone(),
        note="to allauth's password reset"),
    Row("_util/login/", "platform", "/_util/login/", everyone(LOGIN), note="to allauth's login"),
    Row("cms/*", "platform", "/cms/", {
        **{a: 403 for a in ACTORS}, "anonymous": LOGIN,
        "admin_password_only": MFA, "staff_password_only": MFA,
    }, note="editors only; staff are not editors unless given the permission"),
    Row("_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "platform", "/_util/authenticate_with_password/999/999/", everyone(404)),
    Row("dokumen-publik/*", "platform", "/dokumen-publik/999/x.pdf", everyone(404)),
    Row("^((?:[\\w\\-]+/)*)$", "platform", "/", everyone(), note="the public portal's pages"),
    Row("cari/", "platform", "/cari/?q=kerja+sama", everyone(), note="Wagtail's page search"),
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
    Row("", "region", "/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("anggota/", "region", "/anggota/", workspace(*MANAGERS)),
    Row("anggota/<int:pk>/ubah/", "region", "/anggota/{member}/ubah/", workspace(*MANAGERS)),
    Row("anggota/<int:pk>/hapus/konfirmasi/", "region", "/anggota/{member}/hapus/konfirmasi/",
        workspace(*MANAGERS)),
    Row("anggota/<int:pk>/hapus/", "region", "/anggota/{member}/hapus/", workspace(*MANAGERS),
        method="POST"),
    # Who edits the region's section of the public portal (cms/urls_region.py).
    Row("portal/penyunting/", "region", "/portal/penyunting/", workspace(*MANAGERS)),
    Row("portal/penyunting/<int:pk>/", "region", "/portal/penyunting/{member}/",
        workspace(*MANAGERS), method="POST", data={"action": "grant"},
        note="a viewer may not be an editor: told so, back to the list"),
    Row("undangan/<int:pk>/cabut/konfirmasi/", "region",
        "/undangan/{invitation}/cabut/konfirmasi/", workspace(*MANAGERS)),
    Row("undangan/<int:pk>/cabut/", "region", "/undangan/{invitation}/cabut/",
        workspace(*MANAGERS), method="POST"),
    Row("undangan/<str:token>/", "region", "/undangan/{invitation_token}/", {
        **signed_in(), "anonymous": OK, "admin_password_only": MFA,
    }, note="anyone holding the link sees who invited them to what (signed out: with the ways "
            "to sign in or up); accepting needs the invited address"),
    Row("dokumen/", "region", "/dokumen/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("dokumen/<int:pk>/unduh/", "region", "/dokumen/{document}/unduh/",
        workspace("admin", "tkksd", "opd", "camat", "lurah", "viewer"),
        note="a region-wide, unrestricted document"),
    Row("riwayat/", "region", "/riwayat/", workspace(*MANAGERS)),
    Row("pengaturan/kop-surat/", "region", "/pengaturan/kop-surat/", workspace(*MANAGERS),
        note="the letterhead's emblem"),
    Row("pengaturan/kop-surat/", "region", "/pengaturan/kop-surat/", workspace(*MANAGERS),
        method="POST", note="an empty upload: told what is missing"),
    # --- The agreements' register (agreements/urls.py): {agreement} is a signed KSB ----------
    Row("kerja-sama/", "region", "/kerja-sama/", workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/baru/", "region", "/kerja-sama/baru/", workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/baru/tertandatangan/", "region", "/kerja-sama/baru/tertandatangan/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/", "region", "/kerja-sama/{agreement}/",
        workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/<int:pk>/ubah/", "region", "/kerja-sama/{agreement}/ubah/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/tahap/<slug:transition>/", "region",
        "/kerja-sama/{agreement}/tahap/start_implementation/", workspace(*MANAGERS),
        note="the cooperation office runs the lifecycle"),
    Row("kerja-sama/<int:pk>/tertandatangan/<int:document_pk>/unduh/", "region",
        "/kerja-sama/{agreement}/tertandatangan/{signed_document}/unduh/",
        workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/<int:pk>/dokumen/", "region", "/kerja-sama/{agreement}/dokumen/",
        workspace(*AGREEMENT_EDITORS), method="POST", note="an empty upload: told what is missing"),
    Row("kerja-sama/<int:pk>/dokumen/<int:document_pk>/unduh/", "region",
        "/kerja-sama/{agreement}/dokumen/{internal_document}/unduh/",
        workspace(*AGREEMENT_INTERNAL_READERS), note="the region's internal chain"),
    Row("kerja-sama/<int:pk>/tinjauan/minta/", "region", "/kerja-sama/{agreement}/tinjauan/minta/",
        workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/<int:pk>/tinjauan/", "region", "/kerja-sama/{agreement}/tinjauan/",
        workspace("tkksd"), note="TKKSD members record their recommendation"),
    # Carrying it out (agreements/monitoring_views.py)
    Row("kerja-sama/<int:pk>/rencana-aksi/baru/", "region",
        "/kerja-sama/{agreement}/rencana-aksi/baru/", workspace(*AGREEMENT_MONITORS),
        note="OPD staff of another OPD get 403 (agreements/tests/test_monitoring_views.py)"),
    Row("kerja-sama/<int:pk>/rencana-aksi/<int:item_pk>/ubah/", "region",
        "/kerja-sama/{agreement}/rencana-aksi/{action_item}/ubah/",
        workspace(*AGREEMENT_MONITORS)),
    Row("kerja-sama/<int:pk>/rencana-aksi/<int:item_pk>/hapus/", "region",
        "/kerja-sama/{agreement}/rencana-aksi/{action_item}/hapus/",
        workspace(*AGREEMENT_MONITORS), method="POST",
        note="without the version it is refused as stale: nothing removed"),
    Row("kerja-sama/<int:pk>/monev/baru/", "region", "/kerja-sama/{agreement}/monev/baru/",
        workspace(*AGREEMENT_MONITORS)),
    Row("kerja-sama/<int:pk>/monev/<int:report_pk>/", "region",
        "/kerja-sama/{agreement}/monev/{monitoring_report}/",
        workspace(*AGREEMENT_INTERNAL_READERS), note="the region's working record"),
    Row("kerja-sama/pemberitahuan/", "region", "/kerja-sama/pemberitahuan/",
        workspace(*AGREEMENT_INTERNAL_READERS), note="OPD staff see their OPD's reminders"),
    Row("kerja-sama/pengaturan-pengingat/", "region", "/kerja-sama/pengaturan-pengingat/",
        workspace(*MANAGERS)),
    Row("kerja-sama/pengaturan-pengingat/tahap/", "region",
        "/kerja-sama/pengaturan-pengingat/tahap/", workspace(*MANAGERS), method="POST",
        note="the stages' labels: all blank restores the defaults"),
    # Who reads it besides the whole register's readers (agreements/scope_views.py)
    Row("kerja-sama/<int:pk>/wilayah/", "region", "/kerja-sama/{agreement}/wilayah/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/dosier/", "region", "/kerja-sama/{agreement}/dosier/",
        workspace(*MANAGERS), note="the office gives viewers the dossier"),
    Row("kerja-sama/<int:pk>/dosier/<int:member_pk>/cabut/", "region",
        "/kerja-sama/{agreement}/dosier/{member}/cabut/", workspace(*MANAGERS), method="POST",
        note="withdrawn from the viewer {member} (not the viewer actor)"),
    # The register's outputs and bulk input (agreements/report_views.py)
    Row("kerja-sama/ekspor/<slug:fmt>/", "region", "/kerja-sama/ekspor/xlsx/?kind=ksdd_sukarela",
        workspace(*AGREEMENT_READERS), note="the list, filtered, as a spreadsheet"),
    Row("kerja-sama/impor/", "region", "/kerja-sama/impor/", workspace(*MANAGERS)),
    Row("kerja-sama/impor/", "region", "/kerja-sama/impor/", workspace(*MANAGERS),
        method="POST", note="an empty upload: told what is missing"),
    Row("kerja-sama/impor/templat/<slug:fmt>/", "region", "/kerja-sama/impor/templat/xlsx/",
        workspace(*MANAGERS)),
    Row("kerja-sama/laporan-semester/", "region", "/kerja-sama/laporan-semester/",
        workspace(*AGREEMENT_REPORTERS)),
    Row("kerja-sama/laporan-semester/<int:year>/<int:half>/<slug:fmt>/", "region",
        "/kerja-sama/laporan-semester/2026/1/xlsx/", workspace(*AGREEMENT_REPORTERS)),
    Row("kerja-sama/laporan-semester/<int:year>/<int:half>/<slug:fmt>/", "region",
        "/kerja-sama/laporan-semester/2026/1/pdf/", workspace(*AGREEMENT_REPORTERS),
        method="POST", note="the letter's details missing: told what is missing"),
    Row("kerja-sama/dasbor/", "region", "/kerja-sama/dasbor/", workspace(*AGREEMENT_READERS)),
    # Offers between regions, meetings, proposals (agreements/partner_urls.py): {offer} is an
    # offer from Kota Batu to Kota Malang; {shared} the shared record of {agreement}; {proposal}
    # a proposal to Kota Malang from the third party's account, {proposal_attachment} its PDF.
    Row("kerja-sama/tawaran/", "region", "/kerja-sama/tawaran/", workspace(*OFFER_READERS)),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/", "region", "/kerja-sama/tawaran/{offer}/",
        workspace(*OFFER_READERS), note="the shared part only"),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/terima/", "region",
        "/kerja-sama/tawaran/{offer}/terima/", workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/tolak/", "region",
        "/kerja-sama/tawaran/{offer}/tolak/", workspace(*MANAGERS)),
    Row("kerja-sama/tawaran/<int:cooperation_pk>/tolak/", "region",
        "/kerja-sama/tawaran/{offer}/tolak/", workspace(*MANAGERS), method="POST",
        note="without a reason: told what is missing"),
    Row("kerja-sama/bersama/<int:cooperation_pk>/", "region", "/kerja-sama/bersama/{shared}/",
        workspace(*AGREEMENT_READERS), note="to the region's own record of it"),
    Row("kerja-sama/<int:pk>/tanda-tangan/", "region", "/kerja-sama/{agreement}/tanda-tangan/",
        workspace(*MANAGERS), note="the office signs for the region"),
    Row("kerja-sama/<int:pk>/rapat/", "region", "/kerja-sama/{agreement}/rapat/",
        workspace(*AGREEMENT_READERS), note="every party sees the meetings"),
    Row("kerja-sama/<int:pk>/rapat/baru/", "region", "/kerja-sama/{agreement}/rapat/baru/",
        workspace(*AGREEMENT_EDITORS)),
    # Joint preparation (agreements/joint_urls in partner_urls.py): the parties' inventory of
    # points and the heads' priorities, the joint text's versions ({text_version}, a PDF version
    # of {agreement}'s text), the region's own DPRD decision. {agreement} is signed, so the
    # writes answer 409 (told why) to those who may make them.
    Row("kerja-sama/<int:pk>/inventaris/", "region", "/kerja-sama/{agreement}/inventaris/",
        workspace(*AGREEMENT_READERS), note="every party sees the whole inventory"),
    Row("kerja-sama/<int:pk>/inventaris/baru/", "region",
        "/kerja-sama/{agreement}/inventaris/baru/", workspace(*AGREEMENT_EDITORS),
        method="POST", note="the office and OPD staff list points"),
    Row("kerja-sama/<int:pk>/inventaris/prioritas/", "region",
        "/kerja-sama/{agreement}/inventaris/prioritas/", workspace(*MANAGERS),
        note="the office records the heads' priorities"),
    Row("kerja-sama/<int:pk>/inventaris/ambil/", "region",
        "/kerja-sama/{agreement}/inventaris/ambil/", workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/<int:pk>/naskah/", "region", "/kerja-sama/{agreement}/naskah/",
        workspace(*AGREEMENT_READERS), note="every party sees the versions"),
    Row("kerja-sama/<int:pk>/naskah/baru/", "region", "/kerja-sama/{agreement}/naskah/baru/",
        workspace(*AGREEMENT_EDITORS)),
    Row("kerja-sama/<int:pk>/naskah/<int:version_pk>/unduh/", "region",
        "/kerja-sama/{agreement}/naskah/{text_version}/unduh/", workspace(*AGREEMENT_READERS)),
    Row("kerja-sama/<int:pk>/dprd/", "region", "/kerja-sama/{agreement}/dprd/",
        workspace(*MANAGERS), note="the region's own DPRD step, in its register only"),
    Row("kerja-sama/usulan/", "region", "/kerja-sama/usulan/", workspace(*PROPOSAL_READERS)),
    Row("kerja-sama/usulan/<int:pk>/", "region", "/kerja-sama/usulan/{proposal}/",
        workspace(*PROPOSAL_READERS)),
    Row("kerja-sama/usulan/<int:pk>/terima/", "region", "/kerja-sama/usulan/{proposal}/terima/",
        workspace(*MANAGERS), method="POST", note="an empty form: told what is missing"),
    Row("kerja-sama/usulan/<int:pk>/minta-info/", "region",
        "/kerja-sama/usulan/{proposal}/minta-info/", workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/usulan/<int:pk>/tolak/", "region", "/kerja-sama/usulan/{proposal}/tolak/",
        workspace(*MANAGERS), method="POST"),
    Row("kerja-sama/usulan/<int:pk>/lampiran/<int:attachment_pk>/", "region",
        "/kerja-sama/usulan/{proposal}/lampiran/{proposal_attachment}/",
        workspace(*PROPOSAL_READERS)),
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
    Row("usulan-kerja-sama/", "platform", "/usulan-kerja-sama/", signed_in(),
        note="the proposer's own proposals"),
    Row("usulan-kerja-sama/ke/<slug:region>/", "platform", "/usulan-kerja-sama/ke/kota-malang/",
        signed_in(), note="anyone with an account proposes"),
    Row("usulan-kerja-sama/<int:pk>/", "platform", "/usulan-kerja-sama/{proposal}/",
        _password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN, "third_party": OK}),
        note="only the proposer (the third party)"),
    Row("usulan-kerja-sama/<int:pk>/lampiran/<int:attachment_pk>/", "platform",
        "/usulan-kerja-sama/{proposal}/lampiran/{proposal_attachment}/",
        _password_only({**{a: 404 for a in ACTORS}, "anonymous": LOGIN, "third_party": OK})),
    # --- The shared marketplace (marketplace/): {listing} is Kota Malang's published listing for
    # Kelurahan Purwantoro (35.73.01.1007), {listing_photo} its photo ---------------------------
    Row("pasar/", "platform", "/pasar/?q=tempe&kind=product", everyone(),
        note="search across every region's public listings"),
    Row("pasar/unduh/<slug:fmt>/", "platform", "/pasar/unduh/csv/?province=35&kind=product",
        everyone(), note="every listing the search shows, as CSV or JSON"),
    Row("pasar/<int:pk>/", "platform", "/pasar/{listing}/", everyone()),
    Row("pasar/<int:pk>/foto/<int:photo_pk>/", "platform", "/pasar/{listing}/foto/{listing_photo}/",
        everyone()),
    Row("pasar/", "region", "/pasar/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("pasar/baru/", "region", "/pasar/baru/", workspace(*LISTING_PUBLISHERS)),
    Row("pasar/moderasi/", "region", "/pasar/moderasi/", workspace(*MANAGERS)),
    # Search's synonyms (search/views.py): the office adds, and removes its region's groups;
    # {synonym} is one Kota Malang's office added.
    Row("pasar/sinonim/", "region", "/pasar/sinonim/", workspace(*MANAGERS)),
    Row("pasar/sinonim/<int:pk>/hapus/", "region", "/pasar/sinonim/{synonym}/hapus/",
        workspace(*MANAGERS), method="POST"),
    Row("pasar/mitra/", "region", "/pasar/mitra/", workspace(*ALL_WORKSPACE_ROLES),
        note="the partner finder: agreements' titles only for those who read the register"),
    Row("pasar/rekan/", "region", "/pasar/rekan/?area_kind=kelurahan&kind=product",
        workspace(*ALL_WORKSPACE_ROLES),
        note="the camat and lurah network: camat and lurah of other regions"),
    Row("pasar/<int:pk>/", "region", "/pasar/{listing}/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("pasar/<int:pk>/ubah/", "region", "/pasar/{listing}/ubah/",
        workspace(*LISTING_PUBLISHERS), note="the camat's kecamatan and the lurah's kelurahan"),
    Row("pasar/<int:pk>/ajukan/", "region", "/pasar/{listing}/ajukan/",
        workspace(*LISTING_PUBLISHERS), method="POST", note="409: it is published already"),
    Row("pasar/<int:pk>/terbitkan/", "region", "/pasar/{listing}/terbitkan/",
        workspace(*MANAGERS), method="POST", note="409: it is published already"),
    Row("pasar/<int:pk>/kembalikan/", "region", "/pasar/{listing}/kembalikan/",
        workspace(*MANAGERS), method="POST", note="an empty reason: told what is missing"),
    Row("pasar/<int:pk>/arsipkan/", "region", "/pasar/{listing}/arsipkan/",
        workspace(*LISTING_PUBLISHERS), method="POST"),
    Row("pasar/<int:pk>/foto/", "region", "/pasar/{listing}/foto/",
        workspace(*LISTING_PUBLISHERS), method="POST", note="an empty upload"),
    Row("pasar/<int:pk>/foto/<int:photo_pk>/", "region", "/pasar/{listing}/foto/{listing_photo}/",
        workspace(*ALL_WORKSPACE_ROLES)),
    Row("pasar/<int:pk>/foto/<int:photo_pk>/hapus/", "region",
        "/pasar/{listing}/foto/{listing_photo}/hapus/", workspace(*LISTING_PUBLISHERS),
        method="POST"),
    # Inquiries (marketplace/inquiry_views.py): {inquiry} is the third party's inquiry about
    # {listing}; {inquiry_out} one Kota Malang's lurah sent for Kota Malang about Kota Batu's
    # listing (agreements/inquiry_views.py turns it into an offer).
    Row("pasar/<int:pk>/minat/", "platform", "/pasar/{listing}/minat/", signed_in(),
        note="anyone with an account inquires"),
    Row("pasar/<int:pk>/minat/", "platform", "/pasar/{listing}/minat/", signed_in(),
        method="POST", note="an empty form: told what is missing"),
    Row("pasar/minat/", "platform", "/pasar/minat/", signed_in(),
        note="the inquirer's own inquiries"),
    Row("pasar/minat/<int:pk>/", "platform", "/pasar/minat/{inquiry}/", inquirer_only()),
    Row("pasar/minat/<int:pk>/usulan/", "platform", "/pasar/minat/{inquiry}/usulan/",
        inquirer_only()),
    # Saved searches (marketplace/saved_searches.py): every signed-in person keeps their own;
    # {saved_search} is the third party's. The synonyms page of platform staff.
    Row("pasar/tersimpan/", "platform", "/pasar/tersimpan/", signed_in()),
    Row("pasar/tersimpan/baru/", "platform", "/pasar/tersimpan/baru/?q=tempe&kind=product",
        signed_in(), note="the form, with the search it names"),
    Row("pasar/tersimpan/<int:pk>/hapus/", "platform", "/pasar/tersimpan/{saved_search}/hapus/",
        inquirer_only(), method="POST", note="someone else's saved search is not found"),
    Row("pasar/sinonim/", "platform", "/pasar/sinonim/", staff_only()),
    Row("pasar/sinonim/<int:pk>/hapus/", "platform", "/pasar/sinonim/{synonym}/hapus/",
        staff_only(), method="POST"),
    Row("pasar/minat/", "region", "/pasar/minat/", workspace(*INQUIRY_READERS)),
    Row("pasar/minat/<int:pk>/", "region", "/pasar/minat/{inquiry}/",
        workspace(*INQUIRY_READERS)),
    Row("pasar/minat/<int:pk>/balas/", "region", "/pasar/minat/{inquiry}/balas/",
        workspace(*INQUIRY_ANSWERERS), method="POST", note="an empty answer: told what is missing"),
    # --- Trade missions (missions/) ---------------------------------------------------------
    Row("misi-dagang/", "platform", "/misi-dagang/", everyone()),
    Row("misi-dagang/baru/", "platform", "/misi-dagang/baru/", not_for_anyone_here(),
        note="a province's office only"),
    Row("misi-dagang/<int:pk>/", "platform", "/misi-dagang/{mission}/", everyone(),
        note="the public catalogue"),
    Row("misi-dagang/<int:pk>/slot/", "platform", "/misi-dagang/{mission}/slot/",
        not_for_anyone_here(), method="POST", note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/ubah/", "platform", "/misi-dagang/{mission}/ubah/",
        not_for_anyone_here(), note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/ubah/", "platform", "/misi-dagang/{mission}/ubah/",
        not_for_anyone_here(), method="POST", note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/slot/<int:slot>/hapus/", "platform",
        "/misi-dagang/{mission}/slot/{slot}/hapus/", not_for_anyone_here(),
        note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/slot/<int:slot>/hapus/", "platform",
        "/misi-dagang/{mission}/slot/{slot}/hapus/", not_for_anyone_here(), method="POST",
        note="the organising province's office only"),
    Row("misi-dagang/<int:pk>/daftarkan/", "platform", "/misi-dagang/{mission}/daftarkan/",
        mission_enrollers(), note="publishers of the province's regions"),
    Row("misi-dagang/<int:pk>/minta-pertemuan/", "platform",
        "/misi-dagang/{mission}/minta-pertemuan/", signed_in()),
    Row("misi-dagang/<int:pk>/minta-pertemuan/", "platform",
        "/misi-dagang/{mission}/minta-pertemuan/", signed_in(), method="POST",
        note="an empty form: told what is missing"),
    Row("misi-dagang/<int:pk>/agenda/<slug:region>.ics", "platform",
        "/misi-dagang/{mission}/agenda/kota-malang.ics", region_agenda(),
        note="Kota Malang's agenda: the readers of its meetings"),
    Row("misi-dagang/pertemuan/", "platform", "/misi-dagang/pertemuan/", signed_in(),
        note="the requester's own meetings"),
    Row("misi-dagang/pertemuan/<int:pk>/", "platform", "/misi-dagang/pertemuan/{meeting}/",
        meeting_page(MEETING_READERS)),
    Row("misi-dagang/pertemuan/<int:pk>/terima/", "platform",
        "/misi-dagang/pertemuan/{meeting}/terima/", meeting_page(MEETING_ANSWERERS, 403),
        method="POST"),
    Row("misi-dagang/pertemuan/<int:pk>/tolak/", "platform",
        "/misi-dagang/pertemuan/{meeting}/tolak/", meeting_page(MEETING_ANSWERERS, 403),
        method="POST"),
    Row("misi-dagang/pertemuan/<int:pk>/jadwal-ulang/", "platform",
        "/misi-dagang/pertemuan/{meeting}/jadwal-ulang/", meeting_page(MEETING_ANSWERERS, 403),
        method="POST", note="no slot chosen: told what is missing"),
    Row("misi-dagang/pertemuan/<int:pk>/batalkan/", "platform",
        "/misi-dagang/pertemuan/{meeting}/batalkan/", meeting_page((), OK), method="POST",
        note="the requester cancels; the region's readers get 403 (they decline instead)"),
    Row("kerja-sama/dari-minat/<int:inquiry_pk>/", "region",
        "/kerja-sama/dari-minat/{inquiry_out}/", workspace(*MANAGERS),
        note="the office of the region the inquiry was sent for"),
    Row("kerja-sama/dari-minat/<int:inquiry_pk>/", "region",
        "/kerja-sama/dari-minat/{inquiry_out}/", workspace(*MANAGERS), method="POST",
        note="an empty form: told what is missing"),
    # --- The open API (api/): tokens only, so every session actor is anonymous to it; a read
    # answers everyone, a call that needs a token answers 401. The roles and other regions are
    # tested with real tokens in api/tests/ (every endpoint, other-tenant and wrong-role).
    Row("api/v1/regions/", "platform", "/api/v1/regions/", everyone()),
    Row("api/v1/regions/<str:code>/", "platform", "/api/v1/regions/35.73/", everyone()),
    Row("api/v1/listings/", "platform", "/api/v1/listings/?q=tempe&kind=product", everyone()),
    Row("api/v1/listings/", "platform", "/api/v1/listings/", everyone(401), method="POST"),
    Row("api/v1/listings/<int:pk>/", "platform", "/api/v1/listings/{listing}/", everyone()),
    Row("api/v1/listings/own/", "platform", "/api/v1/listings/own/", everyone(401)),
    Row("api/v1/listings/<int:pk>/submit/", "platform", "/api/v1/listings/{listing}/submit/",
        everyone(401), method="POST"),
    Row("api/v1/partners/", "platform", "/api/v1/partners/", everyone(401)),
    Row("api/v1/proposals/", "platform", "/api/v1/proposals/", everyone(401), method="POST"),
    Row("api/v1/agreements/", "platform", "/api/v1/agreements/?status=in_force", everyone()),
    Row("api/v1/agreements/<int:pk>/", "platform", "/api/v1/agreements/{published}/", everyone()),
    Row("api/v1/agreements/<int:pk>/versions/<int:number>/", "platform",
        "/api/v1/agreements/{published}/versions/1/", everyone()),
    Row("api/v1/schema/", "platform", "/api/v1/schema/", everyone()),
    Row("api/v1/docs/", "platform", "/api/v1/docs/", everyone()),
    Row("api/v1/agreements/<int:pk>/monitoring-reports/", "region",
        "/api/v1/agreements/{agreement}/monitoring-reports/", everyone(401), method="POST"),
    Row("api/v1/agreements/<int:pk>/monitoring-reports/", "region",
        "/api/v1/agreements/{agreement}/monitoring-reports/", everyone(401)),
    Row("api/v1/schema/", "region", "/api/v1/schema/", everyone()),
    Row("api/v1/docs/", "region", "/api/v1/docs/", everyone()),
    # A member's API tokens: every member manages their own; {api_token} is the viewer's.
    Row("akses-api/", "region", "/akses-api/", workspace(*ALL_WORKSPACE_ROLES)),
    Row("akses-api/<int:pk>/cabut/", "region", "/akses-api/{api_token}/cabut/", {
        **workspace(*ALL_WORKSPACE_ROLES), **{role: 404 for role in ROLES if role != "viewer"},
    }, method="POST", note="another member's token does not exist for them"),
]


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
