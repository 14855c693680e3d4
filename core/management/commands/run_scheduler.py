import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core import schedule


class Command(BaseCommand):
    help = (
        "Enqueue the platform's periodic jobs when they are due (core/schedule.py), as background "
        "tasks for the worker. Runs until stopped; `--once` checks once and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument(
            "--every", type=float, default=30.0, help="Seconds between checks (default 30)."
        )

    def handle(self, *args, once, every, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = ", ".join(job.name for job in schedule.jobs()) or "none"
        self.stdout.write(f"Scheduler: jobs {names}")
        first = True
        while not stopping:
            if not first:
                # A long-lived process: drop a connection the server closed meanwhile.
                close_old_connections()
            first = False
            for name in schedule.run_due():
                self.stdout.write(f"Enqueued {name}")
            if once:
                break
            slept = 0.0
            while slept < every and not stopping:
                time.sleep(0.5)
                slept += 0.5
