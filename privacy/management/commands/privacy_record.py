from django.core.management.base import BaseCommand, CommandError

from privacy import record


class Command(BaseCommand):
    help = "Print the record of processing (Markdown), or --write it to docs/privacy-record.md."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true")
        parser.add_argument("--check", action="store_true", help="Fail if the file differs.")

    def handle(self, *args, write=False, check=False, **options):
        text = record.render()
        if check:
            current = record.path().read_text() if record.path().exists() else ""
            if current != text:
                raise CommandError(f"{record.DOCUMENT} is out of date: run privacy_record --write")
            return
        if write:
            record.path().write_text(text)
            self.stdout.write(f"Wrote {record.DOCUMENT}")
            return
        self.stdout.write(text)
