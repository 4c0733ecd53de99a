from collections import Counter
from datetime import datetime, time
from itertools import combinations

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from clusterhub.algorithms.intervals import overlaps
from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.demo import registration_plan as plan
from clusterhub.demo.oslo import oslo_demo_load
from clusterhub.demo.population import generate_population, load_population
from clusterhub.demo.registrations import registrations_demo_load
from clusterhub.directory.models import Person
from clusterhub.events.models import Event, Session
from clusterhub.matchmaking import selectors as mm_selectors
from clusterhub.matchmaking import services as mm_services
from clusterhub.matchmaking.models import MatchProfile, MeetingRequest
from clusterhub.registration import selectors, services
from clusterhub.registration.models import (
    CheckIn,
    Registration,
    RegistrationConfig,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)
from tests.demo.conftest import run_load_demo

SLUG = "oslo-deep-dive-days-2025"
SITE_VISIT = "Site visit to SINTEF"
MODULES = [
    "Innovation Norway: grants and dissemination",
    "Cluster development and internationalisation",
    "EU funding and Horizon Europe",
]
PEOPLE = 160  # seed 0: enough people who want the site visit to fill it and queue


def _event() -> Event:
    return Event.objects.get(slug=SLUG)


def _session(title: str) -> Session:
    return Session.objects.get(event__slug=SLUG, title=title)


def _registrations():
    return Registration.objects.filter(event__slug=SLUG)


def _queue_order(signup: SignUp) -> tuple[datetime, int]:
    return signup.created_at, signup.pk


def _participant_email(output: str) -> str:
    line = next(line for line in output.splitlines() if "@example.org with password" in line)
    return line.split(" as ")[1].split(" with password ")[0]


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker) -> str:
    """One `load_demo` run shared by a class's tests: loaded in an outer transaction that each
    test's own nests in, and rolled back after the class."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_load_demo(participants=PEOPLE)
        transaction.set_rollback(True)


class TestLoadedDemo:
    """On the shared demo. The tests after the class need a database without it."""

    def test_demo_registration_settings_show_a_closed_window(self, db, demo):
        event = _event()
        config = RegistrationConfig.objects.get(event=event)
        first_day = datetime.combine(event.start_date, time.min, tzinfo=event.tzinfo)

        assert (config.closes_at, config.capacity) == (first_day, 400)
        assert (first_day - config.opens_at).days == 7 * plan.OPENS_WEEKS_BEFORE
        assert "matchmaking" in config.privacy_notice
        assert services.registration_window_state(event=event) == "closed"

    def test_demo_ticket_types_and_questions(self, db, demo):
        event = _event()

        assert [(t.name, t.requires_approval, t.is_public) for t in event.ticket_types.all()] == [
            ("Participant", False, True), ("Speaker", False, False), ("Press", True, True),
            ("Trainee", False, True),
        ]  # fmt: skip
        assert [(q.label, q.kind, q.required, q.choices) for q in event.questions.all()] == [
            ("Dietary needs or allergies", "text", False, []),
            ("Which day(s) will you attend?", "multiple", True,
             ["Wednesday 3 December", "Thursday 4 December"]),
            ("Are you a cluster manager?", "yesno", False, []),
            ("How did you hear about us?", "choice", False, plan.HEARD_CHOICES),
        ]  # fmt: skip

    def test_demo_registers_the_synthetic_speakers_and_most_of_the_population(self, db, demo):
        registrations = _registrations().select_related("person__organisation", "ticket_type")
        by_ticket = Counter(r.ticket_type.name for r in registrations)
        on_programme = Person.objects.filter(session_roles__session__event__slug=SLUG).distinct()
        synthetic = [r for r in registrations if r.person.email.endswith("@example.org")]

        speakers = {r.person for r in registrations if r.ticket_type.name == "Speaker"}
        assert speakers == {p for p in on_programme if p.email}  # the two real people: nothing
        assert not _registrations().filter(person__email="").exists()
        assert len(synthetic) / PEOPLE == pytest.approx(plan.P_REGISTERS, abs=0.06)
        assert {r.person.organisation.type for r in registrations if r.ticket_type.name == "Trainee"
                } == {"cluster"}  # fmt: skip
        assert by_ticket["Participant"] > by_ticket["Trainee"] > by_ticket["Press"] > 0
        assert _registrations().filter(ticket_type__name="Press", status="pending").exists()
        statuses = Counter(r.status for r in registrations)
        assert statuses["cancelled"] == plan.CANCELLED
        assert set(statuses) <= {"confirmed", "pending", "cancelled"}

    def test_demo_answers_every_required_question(self, db, demo):
        days = _event().questions.get(required=True)

        answered = {a.registration_id: a.value for a in days.answers.all()}

        assert set(answered) == set(_registrations().values_list("pk", flat=True))
        assert all(v and set(v) <= set(days.choices) for v in answered.values())

    def test_demo_consents_follow_the_plan_for_the_seed(self, db, demo):
        registrations = list(_registrations().select_related("person__organisation"))

        def planned(r: Registration) -> plan.AttendeePlan:
            kind = (plan.Kind.SPEAKER if r.ticket_type.name == "Speaker" else plan.Kind.CLUSTER
                    if r.person.organisation.type == "cluster" else plan.Kind.OTHER)  # fmt: skip
            return plan.attendee_plan(r.person.email, kind=kind, seed=0)

        assert all(r.consent_privacy_at for r in registrations)
        assert [(r.consent_matchmaking_at is not None, r.consent_photos_at is not None)
                for r in registrations] == [
            (planned(r).matchmaking, planned(r).photos) for r in registrations
        ]  # fmt: skip
        matchmaking = sum(r.consent_matchmaking_at is not None for r in registrations)
        photos = sum(r.consent_photos_at is not None for r in registrations)
        assert matchmaking / len(registrations) == pytest.approx(plan.P_MATCHMAKING, abs=0.1)
        assert photos / len(registrations) == pytest.approx(plan.P_PHOTOS, abs=0.1)

    def test_demo_site_visit_is_full_with_a_first_come_first_served_waitlist(self, db, demo):
        visit = _session(SITE_VISIT)
        signups = list(SignUp.objects.filter(session=visit))
        confirmed = [s for s in signups if s.status == SignUpStatus.CONFIRMED]
        waitlisted = sorted((s for s in signups if s.status == SignUpStatus.WAITLISTED),
                            key=_queue_order)  # fmt: skip

        assert (len(confirmed), len(waitlisted)) == (30, plan.SITE_VISIT_WAITLIST - 1)
        # Everyone seated arrived before everyone waiting, the promoted one included.
        assert max(map(_queue_order, confirmed)) < _queue_order(waitlisted[0])
        assert [selectors.waitlist_position(signup=s) for s in waitlisted] == list(
            range(1, len(waitlisted) + 1)
        )
        promoted = [s for s in confirmed if s.promoted_at]
        assert len(promoted) == 1  # the seat a cancelled registration gave up
        assert {s.registration.status for s in signups} == {RegistrationStatus.CONFIRMED}

    def test_demo_modules_are_partly_filled_within_capacity(self, db, demo):
        for title in MODULES:
            module = _session(title)
            confirmed = module.signups.filter(status=SignUpStatus.CONFIRMED).count()

            assert 0 < confirmed <= max(plan.MODULE_FILL) < module.capacity
            assert not module.signups.filter(status=SignUpStatus.WAITLISTED).exists()
        # Trainees (cluster leaders) hold far more module seats than their share of the event.
        seats = SignUp.objects.filter(session__title__in=MODULES)
        trainee_seats = seats.filter(registration__ticket_type__name="Trainee").count()
        trainees = _registrations().filter(ticket_type__name="Trainee").count()
        assert trainee_seats / seats.count() > 3 * trainees / _registrations().count()

    def test_demo_nobody_holds_two_overlapping_signups(self, db, demo):
        by_registration = {}
        for signup in SignUp.objects.filter(session__event__slug=SLUG).select_related("session"):
            by_registration.setdefault(signup.registration_id, []).append(signup.session)

        clashes = [
            (a.title, b.title)
            for sessions in by_registration.values()
            for a, b in combinations(sessions, 2)
            if overlaps(a.start, a.end, b.start, b.end)
        ]

        assert clashes == []
        assert max(len(s) for s in by_registration.values()) >= 2

    def test_demo_checkins_only_for_confirmed_registrations_and_seats(self, db, demo):
        door = CheckIn.objects.filter(registration__event__slug=SLUG, session__isnull=True)
        at_sessions = CheckIn.objects.filter(registration__event__slug=SLUG, session__isnull=False)
        confirmed = _registrations().filter(status=RegistrationStatus.CONFIRMED)

        assert {c.registration.status for c in door} == {RegistrationStatus.CONFIRMED}
        assert door.count() / confirmed.count() == pytest.approx(plan.P_ARRIVES, abs=0.12)
        assert set(
            confirmed.filter(checked_in_at__isnull=False).values_list("pk", flat=True)
        ) == set(door.values_list("registration_id", flat=True))
        assert {c.session.title for c in at_sessions} == {MODULES[0]}
        for checkin in at_sessions:
            assert SignUp.objects.filter(registration=checkin.registration, session=checkin.session,
                                         status=SignUpStatus.CONFIRMED).exists()  # fmt: skip
            assert door.filter(registration=checkin.registration).exists()

    def test_demo_queues_no_mail_for_its_fictitious_people(self, db, demo):
        assert not OutboxMessage.objects.filter(event_id=_event().pk).exists()

    def test_demo_prints_what_registration_added(self, db, demo):
        registrations = _registrations().count()
        signups = SignUp.objects.filter(session__event__slug=SLUG).count()
        released = ActivityLogEntry.objects.filter(action="registration.signup.cancel").count()

        line = next(line for line in demo.splitlines() if "Registration:" in line)

        assert f"{registrations} registrations (" in line
        assert f"{plan.CANCELLED} cancelled)" in line
        assert (
            f"{signups + released} sign-ups ({plan.SITE_VISIT_WAITLIST} waitlisted, 1 promoted)"
        ) in line
        assert f"{CheckIn.objects.filter(session__isnull=True).count()} at the door" in line

    def test_demo_participant_logs_in_and_sees_their_registration(self, db, demo):
        line = next(line for line in demo.splitlines() if "@example.org with password" in line)
        email, password = line.split(" as ")[1].split(" with password ")

        user = authenticate(email=email, password=password)

        assert user is not None
        registration = selectors.registration_for_user(event=_event(), user=user)
        assert (registration.ticket_type.name, registration.status) == ("Trainee", "confirmed")
        assert registration.signups.exists()

    def test_demo_matchmaking_profiles_run_and_requests(self, db, demo):
        event = _event()
        consenting = mm_services.consenting_registrations(event)
        assert consenting.count() > 50
        assert MatchProfile.objects.filter(registration__event=event).count() == consenting.count()
        assert mm_selectors.matchmaking_settings_for(event=event).tags
        run = mm_selectors.match_run_latest(event=event)
        assert run.figures["profiles"] == consenting.count()
        assert run.figures["without_recommendations"] == 0
        assert run.figures["cross_border_share"] > 0.5
        statuses = Counter(
            MeetingRequest.objects.filter(event=event).values_list("status", flat=True)
        )
        assert statuses["accepted"] > statuses["declined"] > 0
        assert statuses["pending"] > 0

    def test_demo_participant_has_recommendations_and_requests_both_ways(self, db, demo):
        event = _event()
        user = Person.objects.get(email=_participant_email(demo)).user
        registration = selectors.registration_for_user(event=event, user=user)

        recommendations = list(
            mm_selectors.recommendations_for_registration(registration=registration)
        )

        assert len(recommendations) == 20
        assert all(r.reasons for r in recommendations)
        requests = MeetingRequest.objects.filter(event=event)
        assert requests.filter(sender=registration, status="pending").exists()
        assert requests.filter(recipient=registration, status="pending").exists()

    def test_demo_meetings_are_scheduled_published_and_around_agendas(self, db, demo):
        event = _event()
        meetings = list(mm_selectors.meetings_for_event(event=event))
        run = mm_selectors.schedule_run_latest(event=event)

        assert len(meetings) > 20
        assert {m.status for m in meetings} == {"published"}
        assert run.figures["scheduled"] == len(meetings)
        # Optimal, or within 1 % of the bound (small instances: CP-SAT proves the optimum,
        # which may lie well below the LP bound when availability is tight).
        assert run.figures["proven_optimal"] or run.figures["ratio"] >= 0.99
        assert mm_selectors.meeting_conflicts(event=event, meetings=meetings) == {}
        line = next(line for line in demo.splitlines() if "Meetings:" in line)
        assert f"{len(meetings)} of at most {run.figures['upper_bound']}" in line

    def test_demo_second_run_adds_nothing(self, db, demo):
        before = _counts()

        output = run_load_demo(participants=PEOPLE)

        assert _counts() == before
        assert "Registration: added nothing." in output


def test_demo_with_fifty_people_fills_the_sessions_partly(db):
    output = run_load_demo(participants=50)

    line = next(line for line in output.splitlines() if "Registration:" in line)
    assert "waitlisted" not in line
    for title in [*MODULES, SITE_VISIT]:
        session = _session(title)
        assert 0 < session.signups.count() < session.capacity


def test_demo_keeps_the_organisers_settings_and_stops_at_a_full_event(db):
    event = oslo_demo_load().event
    services.registration_config_update(event=event, opens_at=None, closes_at=None, capacity=10,
                                        privacy_notice="", actor=None)  # fmt: skip
    people = generate_population(30, seed=0)
    load_population(people)

    loaded = registrations_demo_load(event=event, population=people, seed=0, organiser=None,
                                     desk=None)  # fmt: skip

    assert RegistrationConfig.objects.get(event=event).privacy_notice == ""
    assert loaded.created["registrations"] == 10
    assert loaded.refused["event_full"] > 0
    assert _registrations().count() == 10


def test_demo_registrations_queries_grow_linearly(db):
    event = oslo_demo_load().event
    people = generate_population(80, seed=0)
    load_population(people)

    def queries_per_write(population) -> float:
        with CaptureQueriesContext(connection) as queries:
            loaded = registrations_demo_load(event=event, population=population, seed=0,
                                             organiser=None, desk=None)  # fmt: skip
        writes = sum(loaded.created[k] for k in ("registrations", "sign-ups", "at the door"))
        return len(queries) / writes

    small, large = queries_per_write(people[:20]), queries_per_write(people)

    # About 13 queries per registration, sign-up or check-in, however many people there are.
    assert large < small * 1.25
    assert large < 20


def test_attendee_plan_depends_only_on_seed_and_person():
    a = plan.attendee_plan("ada@example.org", kind=plan.Kind.CLUSTER, seed=3)

    assert a == plan.attendee_plan("ADA@example.org", kind=plan.Kind.CLUSTER, seed=3)
    assert a.ticket == "Trainee"
    others = [plan.attendee_plan("ada@example.org", kind=plan.Kind.OTHER, seed=s)
              for s in range(200)]  # fmt: skip
    assert {o.ticket for o in others} == {"Participant", "Press"}
    assert not any(o.modules or o.site_visit for o in others if 1 not in o.days)
    assert all(min(plan.MODULE_FILL) <= t <= max(plan.MODULE_FILL)
               for t in plan.module_targets(seed=5))  # fmt: skip
