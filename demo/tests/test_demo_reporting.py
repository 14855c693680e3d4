"""The demo's reporting upward (demo/reporting.py): East Java's four regions, Kota Surabaya on
paper, Kota Singkawang, both provinces' compilations and the Ministry's account; loading it
twice adds nothing."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.models import User
from agreements.reports.semester import Semester
from demo import reporting as demo
from reporting import national
from reporting.ministry import can_read_national
from reporting.models import Level, Source, State, Submission
from reporting.national import ProvinceState, RegionState
from tenants.demo import load_demo as load_regions_and_accounts

pytestmark = pytest.mark.django_db


def test_the_demo_reports_upward_and_the_ministry_reads_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_regions_and_accounts()
        demo.load()
    rows = Submission.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()  # idempotent
    assert Submission.objects.count() == rows
    semester = Semester.last_ended(timezone.localdate())
    current = {
        (s.region_id, s.level): s
        for s in Submission.objects.current().of_semester(semester.year, semester.half)
    }
    malang = current[("35.73", Level.REGION)]
    assert malang.state == State.ACCEPTED and malang.supersedes.state == State.SUPERSEDED
    assert malang.supersedes.return_reason == demo.RETURN_REASON
    assert current[("35.15", Level.REGION)].late is True
    assert current[("35.07", Level.REGION)].late is False
    assert current[("35.78", Level.REGION)].source == Source.PAPER
    assert current[("61.72", Level.REGION)].state == State.ACCEPTED
    assert {("35", Level.PROVINCE), ("61", Level.PROVINCE)} <= set(current)

    ministry = User.objects.get(email=demo.MINISTRY_EMAIL)
    assert can_read_national(ministry)
    assert Authenticator.objects.filter(user=ministry, type=Authenticator.Type.TOTP).exists()

    compilation = national.compile_national(semester)
    lines = {p.code: p for p in compilation.provinces}
    assert lines["35"].state == lines["61"].state == ProvinceState.SUBMITTED
    jatim = {r.code: r.state for r in lines["35"].regions}
    assert len(jatim) == 38
    assert {code for code, state in jatim.items() if state == RegionState.PLATFORM} == {
        "35.07",
        "35.15",
        "35.73",
        "35.79",
    }
    assert jatim["35.78"] == RegionState.PAPER
    assert sum(1 for s in jatim.values() if s == RegionState.NOT_INCLUDED) == 33
    assert sum(1 for r in lines["35"].regions if not r.on_platform) == 34
    assert {r.code: r.state for r in lines["61"].regions}["61.72"] == RegionState.PLATFORM
    assert compilation.total == lines["35"].total + lines["61"].total >= 32  # Surabaya on paper
