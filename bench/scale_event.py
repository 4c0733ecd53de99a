"""A synthetic event at scale (20,000 participants, 300 sessions) for the scale benchmark and
the load test, built in bulk in well under a minute.

    .venv/bin/python bench/scale_event.py [--participants 20000] [--sessions 300] [--seed 1]
        [--slug scale-20000] [--info-out var/scale_event.json] [--password PW]

The command migrates whatever `DATABASE_URL` points at (SQLite or PostgreSQL; unset: a separate
`var/scale.sqlite3`, never the demo database), builds the event there with
`build_scale_event` and writes the JSON below to `--info-out` (default `var/scale_event.json`,
outside version control: it holds the generated passwords). It prints the organiser login.
Build into a fresh database: the builder refuses an existing slug.

What is built (deterministic for a seed, apart from passwords, tokens and timestamps): the
programme of `clusterhub.demo.large` (sessions with parts, capacity-limited training modules and
site visits, networking sessions, speakers) over 2-3 days in 16 rooms, moved to start
`--days-ahead` days from today; `participants` synthetic people with user accounts (one
password for all, hashed once; a verified allauth address each) and confirmed registrations
(about 85 % share a matchmaking profile with offers, needs, tags and objectives by
organisation type, in three languages); `--spare` more accounts without a registration, for
the load test's registrations; sign-ups (a third of the seated sessions full with a waitlist, a
third half full, a third empty); a networking set-up on every networking session; meeting
requests (accepted, declined, pending) and published meetings for some accepted ones; 30 % of
the participants checked in at the door. Bypasses the services for speed, but keeps every rule
they enforce (no overbooked seat, no clash, one meeting per person and slot, one table each).

The JSON (`info`):

    {
      "database": "sqlite" | "postgresql",
      "seed": 1, "build_seconds": 41.2,
      "event": {"id", "slug", "name", "start_date", "end_date", "timezone", "days": [...]},
      "organiser": {"email", "password"},          # cluster organiser (back office, KPIs)
      "checkin_staff": {"email", "password"},      # check-in staff of the host cluster
      "participant_password": "...",               # the one password of every participant
      "participants": [                            # a sample (--sample), registration order
        {"email", "person_id", "registration_id", "shares_profile", "checked_in",
         "badge_token"}, ...],
      "spare_accounts": ["email", ...],            # accounts not registered for the event
      "checkin_tokens": ["<badge token>", ...],    # every participant not yet checked in
      "matchable_registration_ids": [..],          # share a profile: meeting request targets
      "sessions": {
        "all": [id, ...],                          # every session, parts included
        "with_capacity": [{"id", "capacity", "confirmed", "waitlisted"}, ...],
        "networking": [id, ...]},
      "counts": {"participants", "spare_accounts", "profiles", "signups", "requests",
                 "meetings", "checked_in", "sessions"}
    }

Badge tokens are signed with the `SECRET_KEY` of the process that built them: the server under
load must run with the same `SECRET_KEY` to accept them (or recompute them from the
registration ids with `clusterhub.registration.tokens.badge_token`, nonce 0).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from unittest import mock

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
# Twice the rooms of `clusterhub.demo.large`, so 300 sessions fit in 2-3 days.
ROOMS = [
    ("Main hall", 800),
    ("Hall B", 400),
    ("Hall C", 300),
    ("Hall D", 250),
    ("Hall E", 200),
    ("Room 1", 120),
    ("Room 2", 90),
    ("Room 3", 90),
    ("Room 4", 60),
    ("Room 5", 60),
    ("Room 6", 40),
    ("Room 7", 40),
    ("Workshop room A", 30),
    ("Workshop room B", 30),
    ("Workshop room C", 30),
]
MATCH_SHARE = 0.85  # of the participants share a matchmaking profile
CHECKED_IN_SHARE = 0.30
PHOTO_SHARE = 0.5
REQUESTS_PER_100 = 25  # meeting requests per 100 participants
MEETING_SHARE = 0.2  # of the accepted requests have a published meeting
SETUP = (20, 5, 250)  # meeting minutes, break minutes, tables of every networking session
ORGANISER = "organiser@scale.example.org"
CHECKIN = "checkin@scale.example.org"


def build_scale_event(
    *,
    participants: int = 20000,
    sessions: int = 300,
    seed: int = 1,
    slug: str | None = None,
    spare: int = 200,
    password: str | None = None,
    start_date: date | None = None,
    sample: int = 2000,
    log=print,
) -> dict[str, Any]:
    """Build the event (see the module docstring) in one transaction and return `info`.

    Raises ValueError when the slug is taken (build into a fresh database)."""
    from django.db import connection, transaction

    from clusterhub.events.models import Event

    slug = slug or f"scale-{participants}"
    if Event.objects.filter(slug=slug).exists():
        raise ValueError(f"an event {slug!r} exists already: build into a fresh database")
    started = time.perf_counter()
    password = password or secrets.token_urlsafe(12)
    with transaction.atomic():
        info = _Builder(participants, sessions, seed, slug, spare, password, log).build(
            start_date or date.today() + timedelta(days=30), sample
        )
    info["database"] = connection.vendor
    info["build_seconds"] = round(time.perf_counter() - started, 1)
    return info


class _Builder:
    def __init__(self, participants, sessions, seed, slug, spare, password, log) -> None:
        self.n, self.sessions, self.seed, self.slug = participants, sessions, seed, slug
        self.spare, self.password, self.log = spare, password, log
        self.rng = random.Random(seed)
        self.t0 = time.perf_counter()

    def step(self, what: str) -> None:
        self.log(f"  {time.perf_counter() - self.t0:6.1f} s  {what}")

    def build(self, start_date: date, sample: int) -> dict[str, Any]:
        from django.utils import timezone

        self.now = timezone.now()
        event = self._programme(start_date)
        self.step(f"programme: {event.sessions.count()} sessions over {len(event.days)} days")
        people = self._accounts(event)
        self.step(f"{len(people):,} accounts")
        regs = self._registrations(event, people[: self.n])
        self.step(f"{len(regs):,} registrations")
        profiles = self._profiles(event, regs)
        self.step(f"{profiles:,} matchmaking profiles")
        capacity = self._signups(event, regs)
        self.step(f"sign-ups in {len(capacity)} seated sessions")
        requests, meetings = self._meetings(event, regs)
        self.step(f"{requests:,} meeting requests, {meetings:,} meetings")
        return self._info(event, regs, people[self.n :], capacity, requests, meetings, sample)

    # -- programme ---------------------------------------------------------------------------
    def _programme(self, start_date: date):
        from django.db.models import F

        from clusterhub.demo import large
        from clusterhub.events.models import Session

        with mock.patch.object(large, "ROOMS", ROOMS):
            event = large.build_large_event(
                sessions=self.sessions, people=self.n + self.spare, seed=self.seed, slug=self.slug
            )
        shift = start_date - event.start_date
        event.name = f"Scale event ({self.n:,} participants, {self.sessions} sessions)"
        event.start_date += shift
        event.end_date += shift
        event.save(update_fields=["name", "start_date", "end_date"])
        Session.objects.filter(event=event).update(start=F("start") + shift, end=F("end") + shift)
        return event

    # -- accounts ----------------------------------------------------------------------------
    def _accounts(self, event) -> list:
        from allauth.account.models import EmailAddress
        from django.contrib.auth.hashers import make_password

        from clusterhub.demo.population import generate_population, person_ids_by_email
        from clusterhub.directory.models import ClusterMembership, ClusterRole, Person, User

        self.team = {}
        for email, role in ((ORGANISER, ClusterRole.ORGANISER), (CHECKIN, ClusterRole.CHECKIN)):
            self.team[email] = secrets.token_urlsafe(12)
            user = User.objects.create_user(email=email, password=self.team[email])
            ClusterMembership.objects.create(cluster=event.cluster, user=user, role=role)
        self.organiser = User.objects.get(email=ORGANISER)
        specs = generate_population(self.n + self.spare, self.seed)
        ids = person_ids_by_email([s.email for s in specs])
        hashed = make_password(self.password)  # once: Argon2 20,000 times would take minutes
        users = User.objects.bulk_create(
            [
                User(email=s.email, password=hashed, first_name=s.first_name[:150],
                     last_name=s.last_name[:150])
                for s in specs
            ],
            batch_size=1000,
        )  # fmt: skip
        user_ids = {u.email: u.pk for u in users}  # SQLite >= 3.35 and PostgreSQL return keys
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user_id=user_ids[s.email], email=s.email, verified=True, primary=True)
                for s in specs
            ],
            batch_size=1000,
        )
        people = [Person(pk=ids[s.email], user_id=user_ids[s.email], email=s.email) for s in specs]
        Person.objects.bulk_update(people, ["user_id"], batch_size=1000)
        return people

    # -- registrations -----------------------------------------------------------------------
    def _registrations(self, event, people: list) -> list:
        from clusterhub.registration.models import (
            CheckIn,
            ConsentKind,
            ConsentRecord,
            ConsentSource,
            Registration,
            RegistrationConfig,
            RegistrationStatus,
            TicketType,
        )

        rng, now = self.rng, self.now
        RegistrationConfig.objects.create(
            event=event, opens_at=now - timedelta(days=60),
            closes_at=event.local_datetime(event.start_date, dt_time.min),
            privacy_notice="We keep your registration for the event and delete it a year later.",
        )  # fmt: skip
        ticket = TicketType.objects.create(event=event, name="Participant", position=1)
        TicketType.objects.create(event=event, name="Speaker", is_public=False, position=2)
        regs = Registration.objects.bulk_create(
            [
                Registration(
                    event=event, person_id=p.pk, ticket_type=ticket,
                    status=RegistrationStatus.CONFIRMED, consent_privacy_at=now,
                    consent_matchmaking_at=now if rng.random() < MATCH_SHARE else None,
                    consent_photos_at=now if rng.random() < PHOTO_SHARE else None,
                    checked_in_at=now if rng.random() < CHECKED_IN_SHARE else None,
                )
                for p in people
            ],
            batch_size=1000,
        )  # fmt: skip
        records = []
        for r in regs:
            for kind, at in ((ConsentKind.PRIVACY, r.consent_privacy_at),
                             (ConsentKind.MATCHMAKING, r.consent_matchmaking_at),
                             (ConsentKind.PHOTOS, r.consent_photos_at)):  # fmt: skip
                if at is not None:
                    records.append(ConsentRecord(
                        registration_id=r.pk, kind=kind, given=True, version="scale-1",
                        source=ConsentSource.PARTICIPANT, at=at,
                    ))  # fmt: skip
        ConsentRecord.objects.bulk_create(records, batch_size=2000)
        CheckIn.objects.bulk_create(
            [CheckIn(registration_id=r.pk, method="scan") for r in regs if r.checked_in_at],
            batch_size=2000,
        )
        return regs

    # -- matchmaking profiles ----------------------------------------------------------------
    def _profiles(self, event, regs: list) -> int:
        from clusterhub.demo.data.matchmaking import PROFILES, TAGS
        from clusterhub.demo.matchmaking import TYPE_WEIGHTS
        from clusterhub.directory.models import OrganisationType, Person
        from clusterhub.events.models import SessionType
        from clusterhub.matchmaking.models import MatchmakingSettings, MatchProfile

        MatchmakingSettings.objects.create(event=event, tags=list(TAGS), type_weights=TYPE_WEIGHTS)
        sharing = [r for r in regs if r.consent_matchmaking_at is not None]
        persons = {
            pk: (kind, expertise)
            for pk, kind, expertise in Person.objects.filter(registrations__event=event)
            .values_list("pk", "organisation__type", "expertise")
        }  # fmt: skip
        known = {t.casefold(): t for t in TAGS}
        # The scheduler takes networking sessions that do not overlap: keep the first of each
        # overlapping group (the others stay plain networking sessions without a set-up).
        slots, last_end = [], None
        for pk, start, end in (
            event.sessions.filter(type=SessionType.NETWORKING, parent__isnull=True)
            .order_by("start", "pk")
            .values_list("pk", "start", "end")
        ):
            if last_end is None or start >= last_end:
                slots.append(pk)
                last_end = end
        rng = random.Random(f"{self.seed}:profiles")
        rows, available = [], []
        for r in sharing:
            kind, expertise = persons.get(r.person_id, (OrganisationType.OTHER, []))
            offers, needs, objectives, preferred = PROFILES.get(
                kind or OrganisationType.OTHER, PROFILES[OrganisationType.OTHER]
            )
            tags = [known[e.casefold()] for e in expertise or [] if e.casefold() in known]
            rows.append(MatchProfile(
                registration_id=r.pk, offers=_pick(rng, offers, 2), needs=_pick(rng, needs, 2),
                tags=list(dict.fromkeys([*tags, rng.choice(TAGS)])),
                objectives=_pick(rng, objectives, rng.randint(1, 2)),
                preferred_types=_pick(rng, preferred, 1) if rng.random() < 0.5 else [],
            ))  # fmt: skip
            available.append([s for s in slots if rng.random() < 0.6] or slots[:1])
        self.available = {
            row.registration_id: set(sessions)
            for row, sessions in zip(rows, available, strict=True)
        }
        profiles = MatchProfile.objects.bulk_create(rows, batch_size=1000)
        ids = [p.pk for p in profiles]
        Through = MatchProfile.available_sessions.through
        Through.objects.bulk_create(
            [
                Through(matchprofile_id=pk, session_id=s)
                for pk, sessions in zip(ids, available, strict=True)
                for s in sessions
            ],
            batch_size=5000,
        )
        self.networking = slots
        return len(rows)

    # -- sign-ups ----------------------------------------------------------------------------
    def _signups(self, event, regs: list) -> list[dict[str, int]]:
        from clusterhub.events.models import SessionRole
        from clusterhub.registration.models import SignUp, SignUpStatus

        rng = random.Random(f"{self.seed}:signups")
        seated = list(
            event.sessions.filter(signup_required=True, capacity__isnull=False).order_by(
                "start", "pk"
            )
        )
        speakers = set(
            SessionRole.objects.filter(session__event=event).values_list("person_id", flat=True)
        )
        audience = [r for r in regs if r.person_id not in speakers]
        busy: dict[int, list[tuple]] = defaultdict(list)
        reg_of = {r.person_id: r.pk for r in regs}
        for person_id, start, end in SessionRole.objects.filter(
            session__event=event, person_id__in=speakers
        ).values_list("person_id", "session__start", "session__end"):
            if person_id in reg_of:  # a meeting never clashes with one's own session
                busy[reg_of[person_id]].append((start, end))
        rows, summary = [], []
        for i, session in enumerate(seated):
            mode = i % 3  # 0: full with a waitlist, 1: half full, 2: empty (for the load test)
            wanted = {0: session.capacity + 5, 1: session.capacity // 2, 2: 0}[mode]
            confirmed = waitlisted = 0
            for r in rng.sample(audience, min(len(audience), wanted * 2)):
                if confirmed + waitlisted >= wanted:
                    break
                if any(s < session.end and session.start < e for s, e in busy[r.pk]):
                    continue  # the service refuses a clash
                busy[r.pk].append((session.start, session.end))
                full = confirmed >= session.capacity
                rows.append(SignUp(
                    registration_id=r.pk, session=session,
                    status=SignUpStatus.WAITLISTED if full else SignUpStatus.CONFIRMED,
                ))  # fmt: skip
                waitlisted += full
                confirmed += not full
            summary.append(
                {"id": session.pk, "capacity": session.capacity, "confirmed": confirmed,
                 "waitlisted": waitlisted}
            )  # fmt: skip
        SignUp.objects.bulk_create(rows, batch_size=2000)  # created_at in list order: FIFO
        self.busy = busy
        return summary

    # -- meeting requests and meetings -------------------------------------------------------
    def _meetings(self, event, regs: list) -> tuple[int, int]:
        from clusterhub.events.models import Session
        from clusterhub.matchmaking.models import (
            Meeting,
            MeetingRequest,
            MeetingRequestStatus,
            MeetingSeat,
            MeetingStatus,
            NetworkingSetup,
        )

        rng = random.Random(f"{self.seed}:meetings")
        minutes, pause, tables = SETUP
        networking = list(Session.objects.filter(pk__in=self.networking).order_by("start", "pk"))
        NetworkingSetup.objects.bulk_create(
            [
                NetworkingSetup(
                    session=s, meeting_minutes=minutes, break_minutes=pause, tables=tables
                )
                for s in networking
            ]
        )
        matchable = [r for r in regs if r.consent_matchmaking_at is not None]
        self.matchable = [r.pk for r in matchable]
        if len(matchable) < 2:
            return 0, 0
        wanted = len(regs) * REQUESTS_PER_100 // 100
        pairs: set[frozenset[int]] = set()
        requests = []
        while len(requests) < wanted and len(pairs) < len(matchable) * (len(matchable) - 1) // 2:
            a, b = rng.sample(matchable, 2)
            if frozenset((a.pk, b.pk)) in pairs:
                continue
            pairs.add(frozenset((a.pk, b.pk)))
            roll = rng.random()
            status = (
                MeetingRequestStatus.ACCEPTED if roll < 0.55
                else MeetingRequestStatus.DECLINED if roll < 0.70
                else MeetingRequestStatus.PENDING
            )  # fmt: skip
            requests.append(MeetingRequest(
                event=event, sender_id=a.pk, recipient_id=b.pk, status=status,
                message="Shall we meet during the partnering slot?",
                answered_at=None if status == MeetingRequestStatus.PENDING else self.now,
            ))  # fmt: skip
        requests = MeetingRequest.objects.bulk_create(requests, batch_size=2000)
        slots = []  # (session, start, end)
        for s in networking:
            at = s.start
            while at + timedelta(minutes=minutes) <= s.end:
                slots.append((s, at, at + timedelta(minutes=minutes)))
                at += timedelta(minutes=minutes + pause)
        used_tables: dict[tuple[int, Any], int] = defaultdict(int)
        seat_starts: dict[int, set] = defaultdict(set)
        meetings = []
        accepted = [r for r in requests if r.status == MeetingRequestStatus.ACCEPTED]
        for request in accepted[: int(len(accepted) * MEETING_SHARE)]:
            a, b = request.sender_id, request.recipient_id
            for _attempt in range(6):
                if not slots:
                    break
                session, start, end = rng.choice(slots)
                key = (session.pk, start)
                if used_tables[key] >= tables or start in seat_starts[a] | seat_starts[b]:
                    continue
                if any(s < end and start < e for p in (a, b) for s, e in self.busy[p]):
                    continue  # in a seated session or speaking then
                if any(session.pk not in self.available.get(p, ()) for p in (a, b)):
                    continue  # not available for that networking session
                used_tables[key] += 1
                seat_starts[a].add(start)
                seat_starts[b].add(start)
                meetings.append(Meeting(
                    event=event, session=session, start=start, end=end, table=used_tables[key],
                    a_id=a, b_id=b, request=request, status=MeetingStatus.PUBLISHED,
                    weight=1.0, why=["Accepted meeting request"],
                ))  # fmt: skip
                break
        meetings = Meeting.objects.bulk_create(meetings, batch_size=1000)
        MeetingSeat.objects.bulk_create(
            [
                MeetingSeat(meeting_id=m.pk, registration_id=r, start=m.start, end=m.end)
                for m in meetings
                for r in (m.a_id, m.b_id)
            ],
            batch_size=2000,
        )
        return len(requests), len(meetings)

    # -- the JSON ----------------------------------------------------------------------------
    def _info(self, event, regs, spare, capacity, requests, meetings, sample) -> dict[str, Any]:
        from clusterhub.directory.models import Person
        from clusterhub.registration.tokens import badge_token

        emails = dict(
            Person.objects.filter(pk__in=[r.person_id for r in regs[:sample]]).values_list(
                "pk", "email"
            )
        )
        token = lambda r: badge_token(event_id=event.pk, registration_id=r.pk, nonce=0)  # noqa: E731
        all_sessions = list(event.sessions.order_by("start", "pk").values_list("pk", flat=True))
        spare_emails = [p.email for p in spare]
        return {
            "seed": self.seed,
            "event": {
                "id": event.pk, "slug": event.slug, "name": event.name,
                "start_date": event.start_date.isoformat(),
                "end_date": event.end_date.isoformat(), "timezone": event.timezone,
                "days": [d.isoformat() for d in event.days],
            },
            "organiser": {"email": ORGANISER, "password": self.team[ORGANISER]},
            "checkin_staff": {"email": CHECKIN, "password": self.team[CHECKIN]},
            "participant_password": self.password,
            "participants": [
                {
                    "email": emails[r.person_id], "person_id": r.person_id,
                    "registration_id": r.pk,
                    "shares_profile": r.consent_matchmaking_at is not None,
                    "checked_in": r.checked_in_at is not None, "badge_token": token(r),
                }
                for r in regs[:sample]
            ],
            "spare_accounts": spare_emails,
            "checkin_tokens": [token(r) for r in regs if r.checked_in_at is None],
            "matchable_registration_ids": self.matchable,
            "sessions": {
                "all": all_sessions, "with_capacity": capacity, "networking": self.networking,
            },
            "counts": {
                "participants": len(regs), "spare_accounts": len(spare_emails),
                "profiles": len(self.matchable),
                "signups": sum(c["confirmed"] + c["waitlisted"] for c in capacity),
                "requests": requests, "meetings": meetings,
                "checked_in": sum(1 for r in regs if r.checked_in_at),
                "sessions": len(all_sessions),
            },
        }  # fmt: skip


def _pick(rng: random.Random, items: tuple[str, ...], n: int) -> list[str]:
    return rng.sample(items, min(n, len(items)))


def setup_django(database_url: str | None = None, *, migrate: bool = True) -> None:
    """Django for a bench script run from the command line, on `database_url` (or
    DATABASE_URL, or else `var/scale.sqlite3`), migrated."""
    sys.path.insert(0, str(REPO / "src"))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{REPO / 'var' / 'scale.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "clusterhub.settings"
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slug", default=None, help="default scale-<participants>")
    parser.add_argument("--spare", type=int, default=200, help="accounts without registration")
    parser.add_argument("--sample", type=int, default=2000, help="participants listed in full")
    parser.add_argument("--days-ahead", type=int, default=30, help="the event starts then")
    parser.add_argument("--password", default=None, help="participants' (default: generated)")
    parser.add_argument("--info-out", type=Path, default=REPO / "var" / "scale_event.json")
    args = parser.parse_args()

    (REPO / "var").mkdir(exist_ok=True)
    setup_django()
    from django.db import connection

    print(f"building on {connection.vendor} ({connection.settings_dict['NAME']}) ...")
    info = build_scale_event(
        participants=args.participants, sessions=args.sessions, seed=args.seed, slug=args.slug,
        spare=args.spare, password=args.password, sample=args.sample,
        start_date=date.today() + timedelta(days=args.days_ahead),
    )  # fmt: skip
    args.info_out.parent.mkdir(parents=True, exist_ok=True)
    args.info_out.write_text(json.dumps(info, indent=1))
    os.chmod(args.info_out, 0o600)  # passwords
    print(
        f"built {info['event']['slug']} in {info['build_seconds']} s: {info['counts']}\n"
        f"organiser: {info['organiser']['email']} / {info['organiser']['password']}\n"
        f"check-in staff: {info['checkin_staff']['email']} / "
        f"{info['checkin_staff']['password']}\n"
        f"participants (e.g. {info['participants'][0]['email'] if info['participants'] else '-'})"
        f" / {info['participant_password']}\n"
        f"info written to {args.info_out}"
    )


if __name__ == "__main__":
    main()
