"""`python -m clusterhub erase_person EMAIL [--yes]`: the platform admin's erasure on request."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from clusterhub.directory.models import Person, User
from clusterhub.privacy import services


class Command(BaseCommand):
    help = (
        "Erase the personal data of the person (or account) with this email address: names "
        "replaced by a placeholder, contact details and free texts cleared, the account "
        "deleted; the events' figures stay. Works for organisers and speakers too (their "
        "team memberships go; a speaker's programme roles stay under the placeholder). "
        "Asks for confirmation unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email: str, yes: bool, **options):
        email = email.strip()
        user = User.objects.filter(email__iexact=email).first()
        person = (
            Person.objects.filter(user=user).first() if user else None
        ) or Person.objects.filter(email__iexact=email, erased_at__isnull=True).first()
        if user is None and person is None:
            raise CommandError(f"Nobody with the email address {email!r}.")
        registrations = person.registrations.count() if person else 0
        self.stdout.write(
            f"{email}: account {'yes' if user else 'no'}, directory entry "
            f"{'yes' if person else 'no'}, {registrations} registration(s)."
        )
        if not yes and input("Erase for good? Type 'erase' to go on: ").strip() != "erase":
            raise CommandError("Nothing was erased.")
        if person is not None:
            services.person_erase(person=person, actor=None, reason="admin")
        elif user is not None:
            services.user_erase(user=user, actor=None, reason="admin")
        self.stdout.write("Erased.")
