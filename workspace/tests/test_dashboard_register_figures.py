"""The region's dashboard shows the register's figures (in force, expiring soon, awaiting the
TKKSD's review, dormant), each linking to the register filtered by it, counted over what the
person may read: the whole register for the office, a camat's area, a viewer's dossiers; another
region's agreements never (issue 18: the dashboard showed "0 dokumen" and nothing of the
register)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from agreements.register import reviews, scope
from agreements.tests.factories import membership_of, new_agreement, step, to_ksb_signed
from tenants.models import Role

pytestmark = pytest.mark.django_db

KECAMATAN = "35.73.01"  # Blimbing, Kota Malang


def _register_url(query: str) -> str:
    return reverse("agreements:list", urlconf="portal.urls_tenant") + "?" + query


def _collide(*tenants, start: int = 7000) -> None:
    """Every region's agreement keys start alike in production: make them collide here."""
    for tenant in tenants:
        with tenant_context(tenant), connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('agreements_agreement', 'id'), %s, false)",
                [start],
            )


def _world(malang, batu, member):
    """Kota Malang: one agreement in force and carried out with no monitoring report (dormant),
    in Blimbing; one in force expiring in a month; one in preparation awaiting review.
    Kota Batu: two in force, one awaiting review (its keys collide with Kota Malang's)."""
    today = timezone.localdate()
    soon = {
        "term_start": today - datetime.timedelta(days=300),
        "term_end": today + datetime.timedelta(days=30),
    }
    _collide(malang, batu)
    offices = {}
    for tenant in (malang, batu):
        office = membership_of(member(tenant, Role.ADMIN), tenant)
        offices[tenant.pk] = office
        with tenant_context(tenant):
            carried_out = to_ksb_signed(office, new_agreement(office, title="Dijalankan"))
            step(office, carried_out, "start_implementation")
            expiring = to_ksb_signed(office, new_agreement(office, title="Segera", **soon))
            in_review = new_agreement(office, title="Ditelaah")
            reviews.request_review(
                membership=office, agreement=in_review, version=in_review.cooperation.version
            )
            if tenant == malang:
                scope.set_areas(membership=office, agreement=carried_out, codes=[KECAMATAN])
                world = {"carried_out": carried_out, "expiring": expiring}
    with tenant_context(batu):
        to_ksb_signed(offices[batu.pk], new_agreement(offices[batu.pk], title="Batu"))
    return offices[malang.pk], world


def _figures(page: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="stat" id="stat-([a-z-]+)">(\d+)</div>', page))


def test_each_reader_sees_the_figures_of_what_they_read_each_linked_to_the_register(
    client_for, malang, batu, member
):
    office, world = _world(malang, batu, member)
    camat = member(malang, Role.CAMAT, area=KECAMATAN)
    viewer = member(malang, Role.VIEWER)
    with tenant_context(malang):
        scope.give_dossier(
            membership=office, agreement=world["expiring"], member=membership_of(viewer, malang)
        )
    expected = {
        # The office: the whole register. Kota Batu's three are not counted.
        office.user: {"in-force": "2", "expiring": "1", "awaiting-review": "1", "dormant": "1"},
        member(malang, Role.TKKSD): {
            "in-force": "2",
            "expiring": "1",
            "awaiting-review": "1",
            "dormant": "1",
        },
        # A camat: Blimbing's only, and nothing of the internal review.
        camat: {"in-force": "1", "expiring": "0", "dormant": "1"},
        # A DPRD member: the dossier given to them.
        viewer: {"in-force": "1", "expiring": "1", "dormant": "0"},
    }
    for user, figures in expected.items():
        page = client_for(malang, user).get("/")
        assert page.status_code == 200
        shown = _figures(page.text)
        assert page.text.count('id="stat-in-force"') == 1  # shown once
        assert {k: v for k, v in shown.items() if k in figures or k == "awaiting-review"} == (
            figures
        ), user
        for query in ("status=in_force", "expiring=on", "status=dormant"):
            assert _register_url(query) in page.text
        assert (_register_url("status=awaiting_review") in page.text) == (
            "awaiting-review" in figures
        )
    # Each figure's link lists exactly what it counts, for that reader.
    for user, figures in expected.items():
        client = client_for(malang, user)
        for key, query in (
            ("in-force", "status=in_force"),
            ("expiring", "expiring=on"),
            ("awaiting-review", "status=awaiting_review"),
            ("dormant", "status=dormant"),
        ):
            listed = client.get(_register_url(query))
            assert listed.status_code == 200
            assert listed.context["page"].paginator.count == int(figures.get(key, "0")), (
                user,
                query,
            )
    # Kota Batu's office reads Kota Batu's figures only.
    batu_office = next(m for m in batu.memberships.select_related("user") if m.role == Role.ADMIN)
    batu_figures = _figures(client_for(batu, batu_office.user).get("/").text)
    assert {
        k: v for k, v in batu_figures.items() if k not in ("members", "documents", "invitations")
    } == {
        "in-force": "3",
        "expiring": "1",
        "awaiting-review": "1",
        "dormant": "1",
    }


def test_the_figures_cost_the_same_few_queries_however_large_the_register(
    client_for, malang, batu, member
):
    office, _world_ = _world(malang, batu, member)
    client = client_for(malang, office.user)
    client.get("/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    few = queries()
    with tenant_context(malang):
        for n in range(4):
            agreement = to_ksb_signed(office, new_agreement(office, title=f"Tambahan {n}"))
            step(office, agreement, "start_implementation")
    assert queries() == few
    assert _figures(client.get("/").text)["in-force"] == "6"
