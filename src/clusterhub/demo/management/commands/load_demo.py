"""`python -m clusterhub load_demo [--participants N] [--seed S]`: the Oslo demo, idempotent."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clusterhub.demo.followup import followup_demo_load
from clusterhub.demo.matchmaking import MatchmakingLoaded, matchmaking_demo_load
from clusterhub.demo.meetings import MeetingsLoaded, meetings_demo_load
from clusterhub.demo.oslo import demo_passwords_reset, oslo_demo_load
from clusterhub.demo.oslo_programme import CHECKIN_EMAIL, ORGANISER_EMAIL
from clusterhub.demo.population import generate_population, load_population
from clusterhub.demo.registrations import RegistrationsLoaded, registrations_demo_load
from clusterhub.directory.models import User
from clusterhub.reports.demo import report_demo_load

LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"
SETUP = ("registration settings", "ticket types", "questions", "users")  # "Added:" style


class Command(BaseCommand):
    help = (
        "Create or refresh the Oslo Deep Dive Days 2025 demo event (published), a synthetic "
        "population, and their registrations, sign-ups and check-ins. Safe to run again: adds "
        "only what is missing, and prints new demo passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--participants",
            type=int,
            default=300,
            metavar="N",
            help="synthetic people to have in the directory (default 300), about 85 %% of whom "
            "register; a smaller N than last time deletes nobody",
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
            people = generate_population(participants, seed)
            population = load_population(people, cluster=oslo.event.cluster)
            registrations = registrations_demo_load(
                event=oslo.event,
                population=people,
                seed=seed,
                organiser=User.objects.filter(email=ORGANISER_EMAIL).first(),
                desk=User.objects.filter(email=CHECKIN_EMAIL).first(),
            )
            participant = registrations.participant
            matchmaking = matchmaking_demo_load(
                event=oslo.event,
                seed=seed,
                organiser=User.objects.filter(email=ORGANISER_EMAIL).first(),
                participant=participant,
            )
            meetings = meetings_demo_load(
                event=oslo.event, organiser=User.objects.filter(email=ORGANISER_EMAIL).first()
            )
            followup = followup_demo_load(
                event=oslo.event, seed=seed,
                organiser=User.objects.filter(email=ORGANISER_EMAIL).first(),
            )  # fmt: skip
            report = report_demo_load(
                event=oslo.event, organiser=User.objects.filter(email=ORGANISER_EMAIL).first()
            )
            passwords = demo_passwords_reset(
                others=[participant.user.email] if participant and participant.user else []
            )
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
        self.stdout.write(f"  Registration: {_registration_summary(registrations)}")
        self.stdout.write(f"  Matchmaking: {_matchmaking_summary(matchmaking)}")
        self.stdout.write(f"  Meetings: {_meetings_summary(meetings)}")
        added = ", ".join(f"{k} {n}" for k, n in sorted(followup.created.items())) or "nothing"
        self.stdout.write(f"  Follow-up: added {added}.")
        added = ", ".join(f"{k} {n}" for k, n in sorted(report.created.items())) or "nothing"
        self.stdout.write(f"  Highlights report: added {added}.")
        self.stdout.write(f"  Done in {elapsed:.1f} s, in one transaction.")
        rule = "=" * 78
        lines = [rule, "Demo logins (new passwords, shown only now):"]
        lines += [
            f"  Log in at {LOGIN_URL} as {email} with password {pw}"
            for email, pw in passwords.items()
        ]
        if participant is not None:
            lines.append(f"  ({participant.user.email} is {participant.full_name}, a participant.)")
        lines += [
            f"  Public programme: http://127.0.0.1:8000/events/{event.slug}/programme/",
            f"  Highlights report: http://127.0.0.1:8000/events/{event.slug}/report/",
            f"  Matchmaking: http://127.0.0.1:8000/events/{event.slug}/matchmaking/ (participant),"
            f" http://127.0.0.1:8000/orga/events/{event.slug}/matchmaking/ (organiser)",
            rule,
        ]
        self.stdout.write("\n".join(lines))


def _meetings_summary(loaded: MeetingsLoaded) -> str:
    added = ", ".join(f"{kind} {n}" for kind, n in sorted(loaded.created.items())) or "nothing"
    f = loaded.figures
    if not f:
        return f"added {added}."
    return (
        f"added {added} (published); {f['scheduled']} of at most {f['upper_bound']} "
        f"({f['ratio']:.1%} of the bound)."
    )


def _matchmaking_summary(loaded: MatchmakingLoaded) -> str:
    added = ", ".join(f"{kind} {n}" for kind, n in sorted(loaded.created.items())) or "nothing"
    figures = loaded.run_figures
    if not figures:
        return f"added {added}."
    return (
        f"added {added}; latest run: {figures.get('profiles', 0)} profiles, "
        f"{figures.get('recommendations', 0)} recommendations, "
        f"{figures.get('cross_border_share', 0):.0%} across borders."
    )


def _registration_summary(loaded: RegistrationsLoaded) -> str:
    """What a run added, e.g. `added 256 registrations (3 cancelled); ...`, or `added nothing.`"""
    n = loaded.created

    def detail(*kinds: str) -> str:
        found = [f"{n[kind]} {kind}" for kind in kinds if n[kind]]
        return f" ({', '.join(found)})" if found else ""

    setup = ", ".join(f"{kind} {n[kind]}" for kind in SETUP if n[kind])
    parts = [setup] if setup else []
    if n["registrations"]:
        parts.append(
            f"{n['registrations']} registrations" + detail("awaiting approval", "cancelled")
        )
    if n["sign-ups"]:
        parts.append(f"{n['sign-ups']} sign-ups" + detail("waitlisted", "promoted"))
    checkins = n["at the door"] + n["at a session"]
    if checkins:
        parts.append(f"{checkins} check-ins" + detail("at the door", "at a session"))
    refused = ", ".join(f"{code} {count}" for code, count in sorted(loaded.refused.items()))
    refused = f" Refused by the services: {refused}." if refused else ""
    return f"added {'; '.join(parts) or 'nothing'}.{refused}"
