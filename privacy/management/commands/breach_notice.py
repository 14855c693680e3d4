"""manage.py breach_notice --since 2026-12-01T00:00 --until 2026-12-03T12:00
    --kinds account,application [--what "..."] [--measures "..."] [--output DIR]

Lists the people affected per region and drafts the notices to them and to the authority
(privacy/breach.py). Prints everything, or writes affected.csv, notice-person.txt and
notice-authority.txt into DIR."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.spreadsheets import csv_value
from privacy import breach, registry


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"Not a date and time (YYYY-MM-DD or YYYY-MM-DDTHH:MM): {value}"
        ) from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "List the people affected by a personal data breach and draft the notices."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True)
        parser.add_argument("--until", required=True)
        parser.add_argument(
            "--kinds",
            required=True,
            help="Comma-separated kinds of the record of processing: "
            + ", ".join(k.key for k in registry.kinds()),
        )
        parser.add_argument("--what", default="", help="How the data was exposed.")
        parser.add_argument("--measures", default="", help="What is being done.")
        parser.add_argument("--output", default="", help="A folder to write the files into.")

    def handle(self, *args, **options):
        since, until = _moment(options["since"]), _moment(options["until"])
        if since > until:
            raise CommandError("--since is after --until.")
        kinds = [k.strip() for k in options["kinds"].split(",") if k.strip()]
        known = {k.key for k in registry.kinds()}
        unknown = [k for k in kinds if k not in known]
        if unknown or not kinds:
            raise CommandError(f"Unknown kinds {unknown}; known: {', '.join(sorted(known))}")
        found = breach.affected(kinds=kinds, since=since, until=until)
        drafts = breach.notices(
            kinds=kinds,
            since=timezone.localtime(since),
            until=timezone.localtime(until),
            what_happened=options["what"],
            measures=options["measures"],
            found=found,
        )
        if options["output"]:
            folder = Path(options["output"])
            folder.mkdir(parents=True, exist_ok=True)
            with (folder / "affected.csv").open("w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["region", "email"])
                for region, emails in found.by_region.items():
                    for email in emails:
                        # An address may begin with "=" or "+": written as text, never a formula.
                        writer.writerow([csv_value(region), csv_value(email)])
            (folder / "notice-person.txt").write_text(drafts["person"])
            (folder / "notice-authority.txt").write_text(drafts["authority"])
            self.stdout.write(f"{len(found.people)} people affected; files in {folder}")
            return
        for region, emails in found.by_region.items():
            self.stdout.write(f"== {region} ({len(emails)})")
            for email in emails:
                self.stdout.write(f"  {email}")
        if found.signatories:
            self.stdout.write(f"== signatories named in agreements ({len(found.signatories)})")
            for name in found.signatories:
                self.stdout.write(f"  {name}")
        self.stdout.write("\n--- notice to the people affected ---\n" + drafts["person"])
        self.stdout.write("\n--- notice to the authority ---\n" + drafts["authority"])
