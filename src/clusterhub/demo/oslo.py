"""Build the Oslo Deep Dive Days 2025 demo event from `oslo_programme` through the services.

Everything goes through `directory.services` and `events.services`, so the demo obeys the same
rules as the back office (no room or person double-booked, parts inside their session, seats
with sign-up). Every step looks for its natural key first (organisation and cluster slugs,
emails, room names, (event, title, parent) for sessions) and creates only what is missing, so a
second run adds nothing. What an organiser changed since is left alone: an existing session is
not touched, and a demo session that no longer fits (its room or time was taken) is skipped and
reported instead of failing the run.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from clusterhub.demo import oslo_programme as data
from clusterhub.directory import services as directory
from clusterhub.directory.models import (
    Cluster,
    ClusterMembership,
    ClusterRole,
    Organisation,
    Person,
    User,
)
from clusterhub.events import services as events
from clusterhub.events.models import Event, Room, Session

TEAM = [(data.ORGANISER_EMAIL, ClusterRole.OWNER), (data.CHECKIN_EMAIL, ClusterRole.CHECKIN)]


@dataclass(frozen=True)
class OsloLoaded:
    event: Event
    created: Counter[str]  # what this run added, by kind
    skipped: list[str]  # demo sessions or roles that no longer fit, with the reason


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _organisations(created: Counter[str]) -> dict[str, Organisation]:
    slugs = [spec.slug for spec in data.ORGANISATIONS]
    orgs = {org.slug: org for org in Organisation.objects.filter(slug__in=slugs)}
    for spec in data.ORGANISATIONS:
        if spec.slug not in orgs:
            orgs[spec.slug] = directory.organisation_create(
                name=spec.name,
                slug=spec.slug,
                type=spec.type,
                country=spec.country,
                website=spec.website,
                description=spec.description,
                actor=None,
            )
            created["organisations"] += 1
    return orgs


def _team(host: Organisation, created: Counter[str]) -> Cluster:
    users = {}
    for email, _role in TEAM:
        user = User.objects.filter(email=email).first()
        if user is None:
            # No usable password yet: `demo_passwords_reset` sets one at the end of the run.
            user = User.objects.create_user(email=email, password=None)
            created["users"] += 1
        users[email] = user
    cluster = Cluster.objects.filter(slug=data.CLUSTER_SLUG).first()
    if cluster is None:
        cluster = directory.cluster_create(
            organisation=host,
            slug=data.CLUSTER_SLUG,
            owner=users[data.ORGANISER_EMAIL],
            actor=None,
        )
        created["clusters"] += 1
    for email, role in TEAM:
        # A role an organiser changed since stays as it is.
        if not ClusterMembership.objects.filter(cluster=cluster, user=users[email]).exists():
            directory.cluster_member_set(cluster=cluster, user=users[email], role=role, actor=None)
            created["memberships"] += 1
    return cluster


def _speakers(orgs: dict[str, Organisation], created: Counter[str]) -> dict[str, Person]:
    people = {}
    for key, spec in data.SPEAKERS.items():
        org = orgs[spec.org]
        if spec.email:
            person = Person.objects.filter(email__iexact=spec.email).first()
        else:  # the real people have no address here: found by name and organisation
            person = Person.objects.filter(
                first_name=spec.first_name, last_name=spec.last_name, organisation=org
            ).first()
        if person is None:
            person = directory.person_create(
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=spec.email,
                organisation=org,
                job_title=spec.job_title,
                country=spec.country,
                bio=spec.bio,
                expertise=list(spec.expertise),
                languages=list(spec.languages),
                actor=None,
            )
            created["people"] += 1
        people[key] = person
    return people


def _event(cluster: Cluster, partner: Organisation, created: Counter[str]) -> Event:
    """The demo event, created and published on the first run. Later runs leave it as the
    organisers keep it (an unpublished demo stays unpublished), and never touch an event of
    another cluster that happens to use the demo's slug."""
    event = Event.objects.filter(slug=data.EVENT["slug"]).first()
    if event is not None and event.cluster_id != cluster.pk:
        raise CommandError(
            f"The address {data.EVENT['slug']!r} belongs to an event of another cluster "
            f"({event.cluster}); the demo leaves it alone."
        )
    if event is None:
        event = events.event_create(cluster=cluster, actor=None, partners=[partner], **data.EVENT)
        events.event_publish(event=event, actor=None)
        created["events"] += 1
    return event


def _rooms(event: Event, created: Counter[str]) -> dict[str, Room]:
    rooms = {room.name: room for room in event.rooms.all()}
    for position, spec in enumerate(data.ROOMS, start=1):
        if spec.name not in rooms:
            rooms[spec.name] = events.room_create(
                event=event,
                actor=None,
                name=spec.name,
                capacity=spec.capacity,
                is_offsite=spec.is_offsite,
                address=spec.address,
                position=position,
            )
            created["rooms"] += 1
    return rooms


def _session(
    spec: data.SessionSpec,
    *,
    event: Event,
    rooms: dict[str, Room],
    people: dict[str, Person],
    parent: Session | None,
    part_order: int | None,
    created: Counter[str],
    skipped: list[str],
) -> Session | None:
    """The demo session `spec`: the existing one if any, else a new one with its people."""
    existing = Session.objects.filter(event=event, title=spec.title, parent=parent).first()
    if existing is not None:
        return existing
    day = event.start_date + timedelta(days=spec.day)
    try:
        session = events.session_create(
            event=event,
            actor=None,
            themes=spec.themes,
            title=spec.title,
            type=spec.type,
            parent=parent,
            part_order=part_order,
            room=rooms.get(spec.room),
            start=event.local_datetime(day, time.fromisoformat(spec.start)),
            end=event.local_datetime(day, time.fromisoformat(spec.end)),
            capacity=spec.capacity,
            signup_required=spec.signup_required,
            description=spec.description,
        )
    except ValidationError as exc:
        skipped.append(f"session “{spec.title}”: {_message(exc)}")
        return None
    created["sessions"] += 1
    for key, role in spec.roles:
        try:
            events.session_role_add(session=session, person=people[key], role=role, actor=None)
        except ValidationError as exc:
            skipped.append(f"{people[key]} in “{spec.title}”: {_message(exc)}")
        else:
            created["session roles"] += 1
    return session


def oslo_demo_load() -> OsloLoaded:
    """Create whatever is missing of the Oslo Deep Dive Days 2025 demo and return the event.

    Side effects: organisations, the host cluster with its two team accounts (without a usable
    password until `demo_passwords_reset`), speakers, the published event, rooms, sessions and
    session roles, each written by its service with an activity log entry. Never raises for a
    demo session that an organiser's changes crowd out; it lands in `skipped`. Call it inside a
    transaction (the `load_demo` command does).
    """
    created: Counter[str] = Counter()
    skipped: list[str] = []
    orgs = _organisations(created)
    cluster = _team(orgs[data.HOST.slug], created)
    people = _speakers(orgs, created)
    event = _event(cluster, orgs[data.PARTNER.slug], created)
    rooms = _rooms(event, created)
    put = partial(
        _session, event=event, rooms=rooms, people=people, created=created, skipped=skipped
    )
    for spec in data.PROGRAMME:
        session = put(spec, parent=None, part_order=None)
        for order, part in enumerate(spec.parts if session else (), start=1):
            put(part, parent=session, part_order=order)
    return OsloLoaded(event=event, created=created, skipped=skipped)


def demo_passwords_reset(*, others: Sequence[str] = ()) -> dict[str, str]:
    """Give each demo team account, and the accounts of the addresses in `others`, a new random
    password and return them by email.

    The passwords exist only in the return value (to be printed once); they are stored hashed
    and never written to a file.
    """
    passwords = {}
    for email in [*(email for email, _role in TEAM), *others]:
        user = User.objects.get(email=email)
        passwords[email] = secrets.token_urlsafe(12)
        user.set_password(passwords[email])
        user.save(update_fields=["password"])
    return passwords
