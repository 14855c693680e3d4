"""The portal's demo step: after the regions and accounts, idempotent, with Kota Malang's OPD
account as the city's portal editor."""

from __future__ import annotations

import io

import pytest

from cms import demo
from cms.models import ArticlePage, GuidePage, RegulationPage
from demo import loader
from tenants.demo import load_demo as load_regions_and_accounts
from tenants.models import AuditEvent, Membership

pytestmark = pytest.mark.django_db


def test_the_portal_demo_is_a_step_after_the_regions_and_accounts():
    steps = loader.steps()
    assert steps.index(demo.load) > steps.index(load_regions_and_accounts)


def test_the_portal_demo_loads_twice_alike(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_regions_and_accounts(stdout=io.StringIO())
    for _ in range(2):
        demo.load(stdout=io.StringIO())
    assert GuidePage.objects.live().count() == 3
    assert ArticlePage.objects.live().count() == 3
    assert set(RegulationPage.objects.values_list("slug", flat=True)) == {
        "uu-23-2014",
        "pp-28-2018",
        "permendagri-22-2020",
    }
    editor = Membership.objects.get(
        tenant__region_id="35.73", user__email="opd.malang@jejaring.test"
    )
    from cms.editors import is_editor

    assert is_editor(editor)
    assert AuditEvent.objects.filter(action="portal.editor_granted").count() == 1
