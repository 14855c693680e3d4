"""The agreements demo (issue 6): what `make run` shows a first-time visitor, loaded in a test
database through the same command, then checked scenario by scenario, then loaded again."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from accounts.models import User
from agreements.models import (
    ActionItem,
    Agreement,
    InternalDocument,
    MonitoringReport,
    Review,
)
from agreements.monitoring.selectors import dormancy_period, reported_since
from agreements.register import selectors
from agreements.reports import dashboard
from agreements.reports import semester as reporting
from cooperation.models import (
    Answer,
    Cooperation,
    InventoryPoint,
    Kind,
    Meeting,
    Participation,
    Party,
    PartyKind,
    PartySignature,
    Proposal,
    ProposalAttachment,
    ProposalState,
    SignedDocument,
    Stage,
    TextVersion,
)
from demo import agreements as demo
from tenants.demo import DEMO_PASSWORD
from tenants.models import AuditEvent, Membership, Region, Role, Tenant

pytestmark = pytest.mark.django_db

MALANG_RAYA = (demo.MALANG, demo.KAB_MALANG, demo.BATU)


def tenant(code: str) -> Tenant:
    return Tenant.objects.get(region_id=code)


def office(code: str) -> User:
    return User.objects.get(email=demo.OFFICE[code])


def load(capture) -> None:
    with capture(execute=True):
        call_command("load_demo", stdout=io.StringIO())


def snapshot() -> dict:
    """Everything the demo writes, counted (and the shared records' stages and versions)."""
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Cooperation,
            Party,
            SignedDocument,
            PartySignature,
            Participation,
            Meeting,
            Proposal,
            ProposalAttachment,
            AuditEvent,
            User,
            Membership,
        )
    }
    counts["shared"] = sorted(Cooperation.objects.values_list("pk", "stage", "version"))
    for region in Tenant.objects.regions():
        with tenant_context(region):
            for model in (Agreement, Review, ActionItem, MonitoringReport, InternalDocument):
                counts[f"{region.region_id}:{model.__name__}"] = model.objects.count()
    return counts


@pytest.mark.usefixtures("signature_checks_in_process")
def test_the_agreements_demo_holds_every_scenario_and_loads_twice_alike(
    django_capture_on_commit_callbacks, client_for, mailoutbox
):
    load(django_capture_on_commit_callbacks)

    check_kota_malang_register()
    check_malang_raya(client_for)
    check_singkawang()
    check_proposal(client_for, mailoutbox)
    check_semester_report()

    # Loading again keeps what is there and adds nothing.
    loaded = snapshot()
    load(django_capture_on_commit_callbacks)
    assert snapshot() == loaded


def check_kota_malang_register():
    today = timezone.localdate()
    malang = tenant(demo.MALANG)
    with tenant_context(malang):
        register = list(selectors.register(filters=selectors.RegisterFilters()))
        coops = [a.cooperation for a in register]
        # What the city reports for 2020-2025, entered as old signed agreements.
        reported = Counter(c.kind for c in coops if 2020 <= c.signed_on.year <= 2025)
        assert reported[Kind.KSDD_WAJIB] + reported[Kind.KSDD_SUKARELA] == 16
        assert reported[Kind.KSDPK] == 90
        assert reported[Kind.SINERGI] == 5
        assert reported[Kind.KSDPL] >= 1 and reported[Kind.KSDLL] >= 1
        assert {c.kind for c in coops} == set(Kind.values)
        assert len({c.title for c in coops}) == len(coops)
        old = [c for c in coops if c.signed_on.year <= 2025]
        assert len(old) == len(demo.old_register())
        # Each with its signed PDF and its signatories.
        documents = Counter(
            SignedDocument.objects.filter(cooperation__in=old).values_list(
                "cooperation_id", flat=True
            )
        )
        assert set(documents) == {c.pk for c in old}
        assert all(p.has_signatory for c in old for p in c.parties.all())
        # KSDD partners that do not work on Jejaring: no partner's signature is awaited.
        partners = {
            p.region_id
            for c in old
            for p in c.parties.all()
            if p.kind == PartyKind.REGION and p.region_id != demo.MALANG
        }
        assert len(partners) >= 10
        assert not Tenant.objects.filter(region_id__in=partners).exists()
        assert set(partners) == set(demo.REGION_NAMES)
        names = {r.code: r.full_name for r in Region.objects.filter(code__in=partners)}
        assert names == demo.REGION_NAMES
        # Their terms spread over the years: some ended, some expiring soon, some carried out
        # (with action plans and monitoring reports), one terminated early.
        stages = Counter(c.stage for c in old)
        assert stages[Stage.ENDED] >= 20
        assert stages[Stage.PKS_SIGNED] + stages[Stage.KSB_SIGNED] >= 10
        assert 5 <= stages[Stage.IMPLEMENTATION] + stages[Stage.MONITORING] <= 10
        assert stages[Stage.MONITORING] == 2
        assert Counter(c.end_reason for c in old if c.stage == Stage.ENDED)["terminated"] == 1
        soon = selectors.register(
            filters=selectors.RegisterFilters(expiring_soon=True), today=today
        ).count()
        assert soon >= 5
        assert MonitoringReport.objects.filter(agreement__cooperation_id__in=[c.pk for c in old])
        board = dashboard.dashboard(today=today, tenant=malang)
        assert board.total == len(register)
        assert board.expiring_soon == soon
        # Active or dormant: the agreements being carried out, by their monitoring reports.
        assert board.active + board.dormant == sum(
            1 for c in coops if c.stage in (Stage.IMPLEMENTATION, Stage.MONITORING)
        )
        assert board.active == 6 and board.dormant >= 4
        # The last period's monitoring report is in for some agreements being carried out and
        # missing for others (dormant, as the issue defines it).
        carried = Agreement.objects.filter(
            cooperation__stage__in=[Stage.IMPLEMENTATION, Stage.MONITORING],
            cooperation__signed_on__year__lte=2025,
        ).annotate(reported=reported_since(dormancy_period(today)))
        filed = Counter(a.reported for a in carried)
        assert filed[True] == 6 and filed[False] >= 1


def malang_raya_records(code: str) -> dict[str, Agreement]:
    """Region `code`'s own working records of the Malang Raya KSB and its PKS, by title."""
    ksb = Cooperation.objects.get(title=demo.MALANG_RAYA_KSB)
    wanted = [ksb.pk, *ksb.children.values_list("pk", flat=True)]
    with tenant_context(tenant(code)):
        return {
            a.cooperation.title: a
            for a in Agreement.objects.filter(cooperation_id__in=wanted).select_related(
                "cooperation"
            )
        }


def check_malang_raya(client_for):
    ksb = Cooperation.objects.get(title=demo.MALANG_RAYA_KSB)
    assert ksb.owner == tenant(demo.MALANG)
    assert set(
        Participation.objects.filter(cooperation=ksb).values_list("tenant__region_id", "answer")
    ) == {(demo.KAB_MALANG, Answer.ACCEPTED), (demo.BATU, Answer.ACCEPTED)}
    pks = {c.urusan[0]: c for c in ksb.children.select_related("owner")}
    assert {code: c.owner.region_id for code, c in pks.items()} == {
        "1.03": demo.MALANG,
        "3.26": demo.BATU,
        "3.27": demo.KAB_MALANG,
        "1.01": demo.KAB_MALANG,
    }
    # Signed in Kota Batu by every party region, KSB and PKS alike.
    for coop in (ksb, *pks.values()):
        instrument = "ksb" if coop.pk == ksb.pk else "pks"
        assert set(
            PartySignature.objects.filter(cooperation=coop, instrument=instrument).values_list(
                "tenant__region_id", flat=True
            )
        ) == set(MALANG_RAYA)
        assert "Kota Batu" in coop.signing_place
    # The same stage in all three workspaces, each through its own working record.
    records = {code: malang_raya_records(code) for code in MALANG_RAYA}
    titles = {ksb.title, *(c.title for c in pks.values())}
    for code in MALANG_RAYA:
        assert set(records[code]) == titles
    for title in titles:
        stages = {code: records[code][title].cooperation.stage for code in MALANG_RAYA}
        assert set(stages.values()) == {Stage.IMPLEMENTATION}, (title, stages)
    # The DPRD step was Kabupaten Malang's own, for its education PKS.
    with tenant_context(tenant(demo.KAB_MALANG)):
        education = Agreement.objects.get(cooperation=pks["1.01"])
        assert education.dprd_required and education.dprd_decided_on is not None
    # The meetings: the heads' priorities set in Kota Batu, traffic congestion first.
    meeting = Meeting.objects.get(cooperation=ksb, host_id=demo.BATU)
    assert "Prioritas pertama: penanganan kemacetan lalu lintas" in meeting.decisions
    assert Meeting.objects.filter(cooperation=ksb).count() == 2
    # The joint preparation on the shared record: the OPDs' points per urusan, traffic
    # congestion first, the chosen ones the four PKS' urusan; two versions of the joint text.
    points = list(InventoryPoint.objects.filter(cooperation=ksb))
    assert len(points) == len(demo.MALANG_RAYA_POINTS)
    assert (points[0].rank, points[0].region_id) == (1, demo.MALANG)
    assert "kemacetan" in points[0].text
    assert {p.urusan for p in points if p.chosen} == set(pks)
    assert list(
        TextVersion.objects.filter(cooperation=ksb)
        .order_by("number")
        .values_list("number", "region_id")
    ) == [(1, demo.MALANG), (2, demo.KAB_MALANG)]

    # Each region's TKKSD review and notes are its own: on its page, never on another's.
    for code in MALANG_RAYA:
        note, review = demo.MALANG_RAYA_PRIVATE[code]
        with tenant_context(tenant(code)):
            own = records[code][ksb.title]
            assert list(Review.objects.filter(agreement=own).values_list("notes", flat=True)) == [
                review
            ]
            assert selectors.review_tally(Agreement.objects.get(pk=own.pk)).approve == 1
        page = client_for(tenant(code), office(code)).get(
            reverse("agreements:detail", args=[own.pk], urlconf="portal.urls_tenant")
        )
        assert page.status_code == 200
        assert note in page.text and review in page.text
        for other in MALANG_RAYA:
            if other != code:
                for secret in demo.MALANG_RAYA_PRIVATE[other]:
                    assert secret not in page.text


def check_singkawang():
    coop = Cooperation.objects.get(title=demo.SINGKAWANG_KSB)
    assert coop.owner == tenant(demo.SINGKAWANG)
    assert coop.stage == Stage.KSB_DRAFTING
    assert len({code[0] for code in coop.urusan}) == 3  # the three groups of urusan
    assert Participation.objects.get(cooperation=coop).tenant == tenant(demo.KALBAR)
    reviewers = User.objects.filter(email__in=[r[0] for r in demo.REVIEWERS if r[2] == "61.72"])
    assert reviewers.count() == 3
    for user in reviewers:
        assert user.check_password(DEMO_PASSWORD)
        assert user.emailaddress_set.get().verified
        assert Membership.objects.get(user=user).role == Role.TKKSD
    with tenant_context(tenant(demo.SINGKAWANG)):
        agreement = Agreement.objects.get(cooperation=coop)
        tally = selectors.review_tally(agreement)
        assert (tally.round, tally.approve, tally.revise, tally.reject) == (2, 3, 0, 0)
        first = Counter(
            Review.objects.filter(agreement=agreement, round=1).values_list(
                "recommendation", flat=True
            )
        )
        assert first == {"approve": 2, "revise": 1}
    # Kalimantan Barat's register holds the shared record, not Singkawang's reviews.
    with tenant_context(tenant(demo.KALBAR)):
        theirs = Agreement.objects.get(cooperation=coop)
        assert theirs.review_round == 0 and not Review.objects.exists()


def check_proposal(client_for, mailoutbox):
    mitra = User.objects.get(email=demo.PROPOSER)
    assert not Membership.objects.filter(user=mitra).exists()
    proposal = Proposal.objects.get(proposer=mitra, title=demo.PROPOSAL_TITLE)
    assert proposal.state == ProposalState.ACCEPTED
    assert proposal.tenant == tenant(demo.MALANG)
    assert proposal.attachments.count() == 2
    steps = list(
        AuditEvent.objects.filter(object_type="cooperation.proposal", object_id=str(proposal.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert steps == [
        "proposal.submitted",
        "proposal.more_info_requested",
        "proposal.info_provided",
        "proposal.accepted",
    ]
    # E-mailed at each of the office's steps, and on submission.
    assert sum(1 for m in mailoutbox if mitra.email in m.to) >= 3
    with tenant_context(proposal.tenant):
        agreement = Agreement.objects.select_related("cooperation").get(pk=proposal.agreement_id)
        coop = agreement.cooperation
        assert (coop.kind, coop.stage) == (Kind.KSDPK, Stage.IMPLEMENTATION)
        assert set(coop.signed_documents.values_list("instrument", flat=True)) == {"ksb", "pks"}
        assert all(p.has_signatory for p in coop.parties.all())
        moves = set(
            selectors.history_for(
                agreement, tenant=proposal.tenant, include_internal=True
            ).values_list("action", flat=True)
        )
        assert {
            "agreement.offer_sent",
            "agreement.ksb_signed",
            "agreement.pks_signed",
            "agreement.implementation_started",
            "agreement.action_item_added",
        } <= moves
    page = client_for(None, mitra).get(
        reverse("proposals:detail", args=[proposal.pk], urlconf="portal.urls_public")
    )
    assert page.status_code == 200
    assert demo.PROPOSAL_TITLE in page.text
    assert page.context["proposal"].state == ProposalState.ACCEPTED


def check_semester_report():
    malang = tenant(demo.MALANG)
    admin = Membership.objects.select_related("tenant", "user").get(
        user__email=demo.OFFICE[demo.MALANG], tenant=malang
    )
    today = timezone.localdate()
    with tenant_context(malang):
        for semester in (
            reporting.Semester.last_ended(today),
            reporting.Semester(2023, 2),
            reporting.Semester(2021, 1),
        ):
            report = reporting.build_report(region_name=malang.name, semester=semester)
            expected: Counter = Counter()
            for a in Agreement.objects.select_related("cooperation"):
                c = a.cooperation
                covers = (c.term_start is None or c.term_start <= semester.end) and (
                    c.term_end is None or c.term_end >= semester.start
                )
                closed_before = c.stage in (Stage.ENDED, Stage.REJECTED) and (
                    c.ended_on < semester.start
                )
                if covers and not closed_before:
                    expected[(c.kind, reporting.STATUS_OF_STAGE[c.stage])] += 1
            assert report.counts == dict(expected)
            assert report.total == len(report.rows) == sum(expected.values())
            assert report.total > 20
        content, report = reporting.semester_report(
            membership=admin, semester=reporting.Semester.last_ended(today), fmt="xlsx"
        )
        recap = load_workbook(io.BytesIO(content)).worksheets[0]
        rows = [row for row in recap.iter_rows(values_only=True) if any(row)]
        assert rows[-1][-1] == report.total  # the recapitulation's grand total
        pdf, _report = reporting.semester_report(
            membership=admin, semester=reporting.Semester.last_ended(today), fmt="pdf"
        )
        assert pdf.startswith(b"%PDF-")


def test_the_demo_pdf_is_a_readable_one_page_pdf():
    from pypdf import PdfReader

    upload = demo._document("x.pdf", "Perjanjian (uji) \\ coba", [], None)
    reader = PdfReader(upload)
    assert len(reader.pages) == 1
    assert "Perjanjian (uji)" in reader.pages[0].extract_text()


def test_the_register_data_is_what_the_city_reports():
    kinds = Counter(item.kind for item in demo.old_register())
    assert kinds[Kind.KSDD_WAJIB] + kinds[Kind.KSDD_SUKARELA] == 16
    assert (kinds[Kind.KSDPK], kinds[Kind.SINERGI]) == (90, 5)
    assert all(
        datetime.date(2020, 1, 1) <= item.signed_on <= datetime.date(2025, 12, 31)
        for item in demo.old_register()
    )
