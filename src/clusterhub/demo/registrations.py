"""Registrations, sign-ups and check-ins of the Oslo demo event, through the registration
services.

The registration settings, ticket types and questions are set up when missing, by the services
the back office uses (an organiser's edits are kept). Then every speaker on the programme
(except the two real people, about whom nothing is invented) and about 85 % of the synthetic
population register, each following `registration_plan.attendee_plan`; the event is over, so
the organiser registers them (`by_organiser=True`) past the closed window. Cluster people take
the three training modules, which fill partly; the SINTEF site visit fills and gets a waitlist;
a few registrations are cancelled (one of them frees a site visit seat for the head of the
waitlist), press waits for approval, and about 60 % of those confirmed were checked in at the
door, some of them at the first module too. The first trainee who wants modules and the site
visit gets a login, so the participant pages have someone to show.

Only the people without a registration for the event are handled, and only their sign-ups and
check-ins are made, so a second run adds nothing and whatever an organiser changed since (a
cancelled registration, a moved seat) stays as it is.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time, timedelta

from django.core.exceptions import ValidationError

from clusterhub.common.outbox import outbox_muted
from clusterhub.demo import registration_plan as plan
from clusterhub.demo.population import PersonSpec, person_ids_by_email
from clusterhub.directory.models import OrganisationType, Person, User
from clusterhub.events.models import Event, Session, SessionType
from clusterhub.registration import services
from clusterhub.registration.models import (
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
    TicketType,
)

Planned = tuple[Person, plan.AttendeePlan]
Registered = tuple[Registration, plan.AttendeePlan]


@dataclass
class RegistrationsLoaded:
    created: Counter[str] = field(default_factory=Counter)  # what this run added, by kind
    refused: Counter[str] = field(default_factory=Counter)  # planned writes refused, by code
    participant: Person | None = None  # the demo participant who gets a login


def _code(exc: ValidationError) -> str:
    """The refusal's code, also when the service keyed it by a form field."""
    errors = (
        [e for es in exc.error_dict.values() for e in es] if hasattr(exc, "error_dict") else [exc]
    )
    return ", ".join(sorted({e.code or "invalid" for e in errors}))


def _settings(event: Event, organiser: User | None, created: Counter[str]) -> None:
    config = services.registration_config(event=event)
    if config.opens_at or config.closes_at or config.capacity or config.privacy_notice:
        return  # an organiser has set them
    first_day = event.local_datetime(event.start_date, time.min)
    services.registration_config_update(
        event=event,
        opens_at=first_day - timedelta(weeks=plan.OPENS_WEEKS_BEFORE),
        closes_at=first_day,
        capacity=plan.CAPACITY,
        privacy_notice=plan.PRIVACY_NOTICE,
        actor=organiser,
    )
    created["registration settings"] += 1


def _ticket_types(
    event: Event, organiser: User | None, created: Counter[str]
) -> dict[str, TicketType]:
    tickets = {t.name: t for t in TicketType.objects.filter(event=event)}
    for position, (name, description, approval, public) in enumerate(plan.TICKET_TYPES, 1):
        if name not in tickets:
            tickets[name] = services.ticket_type_create(
                event=event, actor=organiser, name=name, description=description,
                requires_approval=approval, is_public=public, position=position,
            )  # fmt: skip
            created["ticket types"] += 1
    return tickets


def _questions(event: Event, organiser: User | None, created: Counter[str]) -> dict[str, Question]:
    days = [plan.day_label(day) for day in event.days]
    specs = [
        (plan.DIETARY, QuestionKind.TEXT, False, []),
        (plan.DAYS, QuestionKind.MULTIPLE, True, days),
        (plan.CLUSTER_MANAGER, QuestionKind.YES_NO, False, []),
        (plan.HEARD, QuestionKind.CHOICE, False, plan.HEARD_CHOICES),
    ]
    questions = {q.label: q for q in Question.objects.filter(event=event)}
    for position, (label, kind, required, choices) in enumerate(specs, 1):
        if label not in questions:
            questions[label] = services.question_create(
                event=event, actor=organiser, label=label, kind=kind, required=required,
                choices=choices, position=position,
            )  # fmt: skip
            created["questions"] += 1
    return questions


def _answers(
    questions: dict[str, Question], attendee: plan.AttendeePlan, person: Person
) -> dict[int, object]:
    days = questions.get(plan.DAYS)
    labels = days.choices if days else []
    answers: dict[int, object] = {}
    for label, value in [
        (plan.DIETARY, attendee.dietary),
        (plan.DAYS, [labels[i] for i in attendee.days if i < len(labels)]),
        (plan.CLUSTER_MANAGER, person.job_title == "Cluster Manager"),
        (plan.HEARD, attendee.heard),
    ]:
        if label in questions:
            answers[questions[label].pk] = value
    return answers


def _people(event: Event, population: Sequence[PersonSpec], seed: int) -> list[Planned]:
    """Speakers (by email) then the population (in its order), each with their plan."""
    speakers = list(
        Person.objects.filter(session_roles__session__event=event)
        .exclude(email="")  # the real people named in the article
        .distinct()
        .order_by("email")
    )
    ids = person_ids_by_email([spec.email.lower() for spec in population])
    found = Person.objects.select_related("organisation").in_bulk(list(ids.values()))
    modules = Session.objects.filter(
        event=event, type=SessionType.TRAINING, signup_required=True
    ).count()
    people: list[Planned] = [
        (p, plan.attendee_plan(p.email, kind=plan.Kind.SPEAKER, seed=seed, modules=modules))
        for p in speakers
    ]
    on_programme = {p.pk for p in speakers}
    for spec in population:
        person = found.get(ids.get(spec.email.lower(), 0))
        if person is None or person.pk in on_programme:
            continue
        org_type = person.organisation.type if person.organisation else None
        kind = plan.Kind.CLUSTER if org_type == OrganisationType.CLUSTER else plan.Kind.OTHER
        people.append(
            (person, plan.attendee_plan(person.email, kind=kind, seed=seed, modules=modules))
        )
    return people


def _register(
    event: Event,
    people: list[Planned],
    tickets: dict[str, TicketType],
    questions: dict[str, Question],
    organiser: User | None,
    result: RegistrationsLoaded,
) -> list[Registered]:
    already = set(Registration.objects.filter(event=event).values_list("person_id", flat=True))
    registered = []
    wanted = [
        (person, attendee)
        for person, attendee in people
        if attendee.registers and person.pk not in already and attendee.ticket in tickets
    ]
    for index, (person, attendee) in enumerate(wanted):
        try:
            registration = services.registration_create(
                event=event, person=person, ticket_type=tickets[attendee.ticket],
                consent_privacy=True, consent_matchmaking=attendee.matchmaking,
                consent_photos=attendee.photos,
                answers=_answers(questions, attendee, person),
                actor=organiser, by_organiser=True,
            )  # fmt: skip
        except ValidationError as exc:
            if exc.code == "event_full":  # so is it for everyone after
                result.refused["event_full"] += len(wanted) - index
                break
            result.refused[_code(exc)] += 1
            continue
        result.created["registrations"] += 1
        if attendee.approved:
            registration = services.registration_decide(
                registration=registration, approve=True, actor=organiser
            )
        result.created["awaiting approval"] += registration.status == RegistrationStatus.PENDING
        registered.append((registration, attendee))
    return registered


def _sign_up(
    session: Session,
    target: int,
    wanting: list[Registered],
    result: RegistrationsLoaded,
) -> None:
    """Sign the new registrations `wanting` the session up, in order, until it has `target`
    sign-ups (confirmed or waitlisted, counting those already there)."""
    room = target - SignUp.objects.filter(session=session).count()
    for registration, _attendee in wanting:
        if room <= 0:
            break
        if registration.status != RegistrationStatus.CONFIRMED:
            continue
        try:
            signup = services.signup_create(registration=registration, session=session, actor=None)
        except ValidationError as exc:
            result.refused[_code(exc)] += 1
            continue
        room -= 1
        result.created["sign-ups"] += 1
        result.created["waitlisted"] += signup.status == SignUpStatus.WAITLISTED


def _cancel(
    event: Event,
    registered: list[Registered],
    keep: Person | None,
    seed: int,
    organiser: User | None,
    result: RegistrationsLoaded,
) -> None:
    """Cancel new registrations until the event has `plan.CANCELLED` cancelled ones. The first
    is a seat holder of a session with a waitlist, so that the demo shows a promotion."""
    wanted = (
        plan.CANCELLED - event.registrations.filter(status=RegistrationStatus.CANCELLED).count()
    )
    candidates = [
        r for r, a in registered
        if r.status == RegistrationStatus.CONFIRMED and a.ticket != plan.SPEAKER
        and r.person_id != (keep.pk if keep else None)
    ]  # fmt: skip
    if wanted <= 0 or not candidates:
        return
    queues = SignUp.objects.filter(session__event=event, status=SignUpStatus.WAITLISTED)
    holders = set(
        SignUp.objects.filter(
            session__in=queues.values("session"),
            status=SignUpStatus.CONFIRMED,
            registration__in=[r.pk for r in candidates],
        ).values_list("registration_id", flat=True)
    )
    rng = random.Random(f"{seed}:cancel")
    first = [rng.choice([r for r in candidates if r.pk in holders])] if holders else []
    rest = [r for r in candidates if r not in first]
    for registration in first + rng.sample(rest, min(len(rest), wanted - len(first))):
        services.registration_cancel(registration=registration, actor=organiser)
        registration.status = RegistrationStatus.CANCELLED
        result.created["cancelled"] += 1


def _check_in(
    registered: list[Registered],
    first_module: Session | None,
    desk: User | None,
    result: RegistrationsLoaded,
) -> None:
    seated = set(
        SignUp.objects.filter(session=first_module, status=SignUpStatus.CONFIRMED).values_list(
            "registration_id", flat=True
        )
    )
    for registration, attendee in registered:
        if registration.status != RegistrationStatus.CONFIRMED or not attendee.arrives:
            continue
        services.checkin_create(registration=registration, actor=desk, method=attendee.method)
        result.created["at the door"] += 1
        if first_module is not None and registration.pk in seated and attendee.at_first_module:
            services.checkin_create(registration=registration, session=first_module, actor=desk)
            result.created["at a session"] += 1


def _participant(people: list[Planned]) -> Person | None:
    """The demo participant: the first trainee who wants modules and the site visit."""
    return next(
        (
            person
            for person, a in people
            if a.registers and a.ticket == plan.TRAINEE and a.modules and a.site_visit
        ),
        None,
    )


def _account(person: Person, result: RegistrationsLoaded) -> None:
    """A login for `person`, without a usable password until `demo_passwords_reset`."""
    if person.user_id is None:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(email=person.email, password=None)
            result.created["users"] += 1
        person.user = user
        person.save(update_fields=["user", "updated_at"])


def registrations_demo_load(
    *,
    event: Event,
    population: Sequence[PersonSpec],
    seed: int,
    organiser: User | None,
    desk: User | None,
) -> RegistrationsLoaded:
    """Add the demo's registration settings, registrations, sign-ups and check-ins that are
    missing (see the module docstring), and the demo participant's account.

    Writes through the registration services, with their activity log lines; the emails they
    queue are muted (`outbox_muted`), since the event is over and its people are fictitious.
    Planned writes that a service refuses (e.g. `event_full` once the event's capacity is
    reached) are counted in `refused`, not raised. Call it inside a transaction.
    """
    with outbox_muted():
        return _load(event, population, seed, organiser, desk)


def _load(event, population, seed, organiser, desk) -> RegistrationsLoaded:
    result = RegistrationsLoaded()
    promoted_before = SignUp.objects.filter(session__event=event, promoted_at__isnull=False)
    promoted_count = promoted_before.count()
    _settings(event, organiser, result.created)
    tickets = _ticket_types(event, organiser, result.created)
    questions = _questions(event, organiser, result.created)
    people = _people(event, population, seed)
    registered = _register(event, people, tickets, questions, organiser, result)
    sessions = Session.objects.filter(event=event, signup_required=True).order_by("start", "pk")
    modules = [s for s in sessions if s.type == SessionType.TRAINING]
    for index, (module, target) in enumerate(
        zip(modules, plan.module_targets(seed, len(modules)), strict=True)
    ):
        _sign_up(module, target, [(r, a) for r, a in registered if index in a.modules], result)
    for visit in (s for s in sessions if s.type == SessionType.SITE_VISIT):
        target = (visit.capacity or 0) + plan.SITE_VISIT_WAITLIST
        _sign_up(visit, target, [(r, a) for r, a in registered if a.site_visit], result)
    result.participant = _participant(people)
    _cancel(event, registered, result.participant, seed, organiser, result)
    result.created["promoted"] = promoted_before.count() - promoted_count
    _check_in(registered, modules[0] if modules else None, desk, result)
    if result.participant is not None:
        _account(result.participant, result)
    result.created = +result.created  # drop the kinds with nothing added
    return result
