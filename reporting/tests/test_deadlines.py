"""Deadlines: the defaults, a setting, and one semester's deadline set by the command."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reporting import deadlines
from reporting.models import Level

pytestmark = pytest.mark.django_db


def test_defaults_setting_and_one_semesters_deadline(settings):
    assert deadlines.deadline(2026, 1, Level.REGION) == datetime.date(2026, 7, 15)
    assert deadlines.deadline(2026, 2, Level.PROVINCE) == datetime.date(2027, 1, 31)
    settings.JEJARING_REPORT_DEADLINE_DAYS = {"region": 30}
    assert deadlines.deadline(2026, 1, Level.REGION) == datetime.date(2026, 7, 30)
    assert deadlines.deadline(2026, 1, Level.PROVINCE) == datetime.date(2026, 7, 31)
    call_command("set_report_deadline", "region", "2026", "1", "2026-08-10", stdout=None)
    assert deadlines.deadline(2026, 1, Level.REGION) == datetime.date(2026, 8, 10)
    assert deadlines.deadlines([(2026, 1), (2026, 2)], Level.REGION) == {
        (2026, 1): datetime.date(2026, 8, 10),
        (2026, 2): datetime.date(2027, 1, 30),
    }
    call_command("set_report_deadline", "region", "2026", "1", "--clear")
    assert deadlines.deadline(2026, 1, Level.REGION) == datetime.date(2026, 7, 30)
    with pytest.raises(CommandError):
        call_command("set_report_deadline", "region", "2026", "1", "10 Agustus")
