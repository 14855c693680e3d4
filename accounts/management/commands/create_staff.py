"""Create a platform staff account: the first one on a clean platform (`make run DEMO=0`).

Interactive by default (e-mail, then the password twice, checked by Django's password
validators). `--no-input` reads the e-mail from --email and the password from the environment
variable JEJARING_STAFF_PASSWORD (for scripted set-ups). The address is recorded as verified, so
the person can sign in at once; at the first sign-in the platform requires them to set up TOTP
before anything else (tenants.middleware.RequireSecondFactorMiddleware)."""

from __future__ import annotations

import getpass
import os

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import User


class Command(BaseCommand):
    help = "Create a platform staff account (verified e-mail; TOTP is set up at first sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("--email", help="The person's e-mail address (their login).")
        parser.add_argument("--name", default="", help="Full name (optional).")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not prompt: the password comes from JEJARING_STAFF_PASSWORD.",
        )

    def handle(self, *args, email=None, name="", interactive=True, **options):
        email = (email or (input("E-mail: ") if interactive else "")).strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"Not a valid e-mail address: {email!r}") from exc
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account with {email} already exists.")

        user = User(email=email, full_name=name, is_staff=True, is_superuser=True)
        if interactive:
            while True:
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password (again): "):
                    self.stderr.write("The passwords differ. Try again.")
                    continue
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    self.stderr.write("\n".join(exc.messages))
                    continue
                break
        else:
            password = os.environ.get("JEJARING_STAFF_PASSWORD", "")
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("JEJARING_STAFF_PASSWORD: " + " ".join(exc.messages)) from exc

        with transaction.atomic():
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Platform staff account {email} created. At the first sign-in it must set up "
                "TOTP (an authenticator app) before anything else."
            )
        )
