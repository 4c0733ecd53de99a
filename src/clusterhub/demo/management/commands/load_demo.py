"""`python -m clusterhub load_demo [--participants N] [--seed S]`: the Oslo demo, idempotent."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clusterhub.demo.oslo import demo_passwords_reset, oslo_demo_load
from clusterhub.demo.population import generate_population, load_population

LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"


class Command(BaseCommand):
    help = (
        "Create or refresh the Oslo Deep Dive Days 2025 demo event (published) and a synthetic "
        "population. Safe to run again: adds only what is missing, and prints new demo passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--participants",
            type=int,
            default=300,
            metavar="N",
            help="synthetic people to have in the directory (default 300); a smaller N than "
            "last time deletes nobody",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            metavar="S",
            help="seed of the synthetic population; the same seed gives the same people",
        )

    def handle(self, *args, participants: int, seed: int, **options):
        if participants < 0:
            raise CommandError("--participants must be 0 or more.")
        started = time.perf_counter()
        with transaction.atomic():
            oslo = oslo_demo_load()
            population = load_population(generate_population(participants, seed))
            passwords = demo_passwords_reset()
        elapsed = time.perf_counter() - started

        event = oslo.event
        added = ", ".join(f"{kind} {n}" for kind, n in sorted(oslo.created.items())) or "nothing"
        self.stdout.write(
            f"Demo event “{event.name}” ({event.slug}), {event.get_status_display()}."
        )
        self.stdout.write(f"  Added: {added}.")
        for item in oslo.skipped:
            self.stdout.write(f"  Left out (changed since the last run): {item}")
        self.stdout.write(
            f"  Population (seed {seed}): {population.people_total} people, added "
            f"{population.people_created} people and {population.organisations_created} "
            "organisations."
        )
        self.stdout.write(f"  Done in {elapsed:.1f} s, in one transaction.")
        rule = "=" * 78
        lines = [rule, "Demo logins (new passwords, shown only now):"]
        lines += [
            f"  Log in at {LOGIN_URL} as {email} with password {pw}"
            for email, pw in passwords.items()
        ]
        lines += [f"  Public programme: http://127.0.0.1:8000/events/{event.slug}/programme/", rule]
        self.stdout.write("\n".join(lines))
