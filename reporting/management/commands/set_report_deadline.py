"""Set (or clear) one semester's reporting deadline, instead of the default
(reporting/deadlines.py):

    manage.py set_report_deadline region 2026 1 2026-07-31 --note "Surat Edaran Gubernur"
    manage.py set_report_deadline province 2026 1 --clear
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from reporting import deadlines
from reporting.models import Level, ReportingDeadline


class Command(BaseCommand):
    help = "Set or clear one semester's deadline for reports at a level (region or province)."

    def add_arguments(self, parser):
        parser.add_argument("level", choices=Level.values)
        parser.add_argument("year", type=int)
        parser.add_argument("half", type=int, choices=[1, 2])
        parser.add_argument("due_on", nargs="?", help="YYYY-MM-DD")
        parser.add_argument("--note", default="")
        parser.add_argument("--clear", action="store_true", help="back to the default")

    def handle(self, *args, level, year, half, due_on, note, clear, **options):
        if clear:
            ReportingDeadline.objects.filter(level=level, year=year, half=half).delete()
        else:
            if not due_on:
                raise CommandError("Give the date (YYYY-MM-DD) or --clear.")
            try:
                day = datetime.date.fromisoformat(due_on)
            except ValueError as exc:
                raise CommandError(f"Not a date: {due_on}") from exc
            ReportingDeadline.objects.update_or_create(
                level=level, year=year, half=half, defaults={"due_on": day, "note": note}
            )
        self.stdout.write(f"{level} {year}/{half}: {deadlines.deadline(year, half, level)}")
