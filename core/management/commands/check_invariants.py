"""`manage.py check_invariants [--json] [--schema kota_malang ...]`: the data's invariants
(core/invariants.py). Exits 1 when one is broken, naming examples."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from core import invariants


class Command(BaseCommand):
    help = "Check the data's invariants (agreements' stages, register and public record, "
    help += "published versions, search outbox); exit 1 when one is broken."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="One JSON object on stdout.")
        parser.add_argument(
            "--schema", action="append", dest="schemas", help="Only this region (repeatable)."
        )

    def handle(self, *args, json: bool = False, schemas=None, **options):  # noqa: A002
        results = invariants.check_all(schemas=schemas)
        if json:
            self.stdout.write(_json({r.name: r.as_dict() for r in results}))
        else:
            for r in results:
                state = "ok" if r.holds else f"BROKEN ({len(r.broken)})"
                self.stdout.write(f"{r.name}: {state}, {r.checked} checked")
                for example in r.broken[: invariants.EXAMPLES]:
                    self.stdout.write(f"  - {example}")
        failed = invariants.broken(results)
        if failed:
            raise CommandError(
                "Broken invariants: " + ", ".join(r.name for r in failed), returncode=1
            )


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
