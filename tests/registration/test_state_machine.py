"""Seats and waitlists as a state machine.

Hypothesis drives the real services on the real database through random sequences of sign-ups,
cancellations, capacity changes and moves between two parallel modules, and after every step
compares the database with a model of each queue: a list of (registration, status) in order of
arrival, where a freed seat goes to the first person waiting. The invariants of issue 3 are
checked on the database itself as well.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from clusterhub.common.models import OutboxMessage
from clusterhub.registration import services
from clusterhub.registration.models import RegistrationStatus, SignUp
from clusterhub.registration.selectors import signup_sessions_for_event, waitlist_position
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, at

POOL = 7  # registrations; the first one awaits approval, so it can never sign up
SESSIONS = ("A", "B")  # two modules at the same time: a person is in at most one
CONFIRMED, WAITLISTED = "confirmed", "waitlisted"

who = st.integers(0, POOL - 1)
where = st.sampled_from(SESSIONS)


def attempt(call):
    """(result, None), or (None, the refusal's code)."""
    try:
        return call(), None
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return None, next(e.code for errors in exc.error_dict.values() for e in errors)
        return None, exc.code


class Waitlists(RuleBasedStateMachine):
    @initialize(capacity_a=st.integers(0, 3), capacity_b=st.integers(0, 3))
    def setup(self, capacity_a, capacity_b):
        # Every example runs in a transaction of its own, rolled back in `teardown`.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        event = EventFactory()
        self.event = event
        self.sessions = {
            name: SessionFactory(
                event=event, title=f"Module {name}", type="training", capacity=capacity,
                signup_required=True, start=at(event, 9), end=at(event, 11),
            )
            for name, capacity in zip(SESSIONS, (capacity_a, capacity_b), strict=True)
        }  # fmt: skip
        self.registrations = [
            RegistrationFactory(
                event=event,
                status=RegistrationStatus.PENDING if i == 0 else RegistrationStatus.CONFIRMED,
            )
            for i in range(POOL)
        ]
        # The model.
        self.capacity = {"A": capacity_a, "B": capacity_b}
        self.queue: dict[str, list[list]] = {name: [] for name in SESSIONS}
        self.confirmed_registration = {i: i != 0 for i in range(POOL)}
        self.active = set(range(POOL))

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    # --- the model ------------------------------------------------------------------------

    def _taken(self, name):
        return sum(status == CONFIRMED for _i, status in self.queue[name])

    def _promote(self, name) -> list[int]:
        promoted = []
        for entry in self.queue[name]:
            if self._taken(name) >= self.capacity[name]:
                break
            if entry[1] == WAITLISTED:
                entry[1] = CONFIRMED
                promoted.append(entry[0])
        return promoted

    def _join(self, name, i):
        status = CONFIRMED if self._taken(name) < self.capacity[name] else WAITLISTED
        self.queue[name].append([i, status])
        return status

    def _leave(self, name, i) -> list[int]:
        self.queue[name] = [e for e in self.queue[name] if e[0] != i]
        return self._promote(name)

    def _where_is(self, i):
        return next((n for n in SESSIONS if any(e[0] == i for e in self.queue[n])), None)

    def _signup(self, name, i) -> SignUp:
        return SignUp.objects.get(registration=self.registrations[i], session=self.sessions[name])

    def _index(self, signups) -> list[int]:
        ids = [r.pk for r in self.registrations]
        return sorted(ids.index(s.registration_id) for s in signups)

    def _has_signups(self):
        return any(self.queue.values())

    # --- rules ----------------------------------------------------------------------------

    @rule(i=who, name=where)
    def sign_up(self, i, name):
        if not (i in self.active and self.confirmed_registration[i]):
            expected = "not_confirmed"
        elif self._where_is(i) == name:
            expected = "already_signed_up"
        elif self._where_is(i) is not None:
            expected = "overlap"
        else:
            expected = self._join(name, i)
        signup, code = attempt(
            lambda: services.signup_create(
                registration=self.registrations[i], session=self.sessions[name], actor=None
            )
        )
        assert (code or signup.status) == expected

    @precondition(_has_signups)
    @rule(data=st.data())
    def cancel_signup(self, data):
        name, i = data.draw(st.sampled_from([(n, e[0]) for n in SESSIONS for e in self.queue[n]]))
        mails = OutboxMessage.objects.count()
        promoted = services.signup_cancel(signup=self._signup(name, i), actor=None)
        expected = self._leave(name, i)
        assert self._index(promoted) == sorted(expected)
        assert OutboxMessage.objects.count() == mails + len(expected)  # “you have a seat”

    @rule(i=who)
    def cancel_registration(self, i):
        _registration, code = attempt(
            lambda: services.registration_cancel(registration=self.registrations[i], actor=None)
        )
        if i not in self.active:
            assert code == "not_active"
            return
        assert code is None
        self.active.discard(i)
        if (name := self._where_is(i)) is not None:
            self._leave(name, i)

    @rule(name=where, more=st.integers(1, 3))
    def raise_capacity(self, name, more):
        self.capacity[name] += more
        promoted = services.session_capacity_set(
            session=self.sessions[name], capacity=self.capacity[name], actor=None
        )
        assert self._index(promoted) == sorted(self._promote(name))

    @rule(name=where, fewer=st.integers(1, 3))
    def lower_capacity(self, name, fewer):
        capacity = max(self.capacity[name] - fewer, 0)
        promoted, code = attempt(
            lambda: services.session_capacity_set(
                session=self.sessions[name], capacity=capacity, actor=None
            )
        )
        if capacity < self._taken(name):
            assert code == "below_confirmed"
            return
        assert (code, promoted) == (None, [])
        self.capacity[name] = capacity

    @precondition(_has_signups)
    @rule(data=st.data())
    def move(self, data):
        name, i = data.draw(st.sampled_from([(n, e[0]) for n in SESSIONS for e in self.queue[n]]))
        target = "B" if name == "A" else "A"
        signup = services.signup_move(
            signup=self._signup(name, i), to_session=self.sessions[target], actor=None
        )
        self._leave(name, i)
        assert signup.status == self._join(target, i)

    # --- invariants (one method, so the steps share their queries) ---------------------------

    @invariant()
    def database_keeps_the_invariants_and_matches_the_model(self):
        if not hasattr(self, "event"):
            return  # before `setup`
        ids = [r.pk for r in self.registrations]
        rows = list(
            SignUp.objects.filter(session__in=self.sessions.values())
            .order_by("created_at", "id")
            .values_list("session_id", "registration_id", "status", "registration__status")
        )
        # Nobody in two places, nor twice in one, nor confirmed and waitlisted at once; nobody
        # cancelled holds a place.
        assert len({registration for _s, registration, _st, _rs in rows}) == len(rows)
        assert RegistrationStatus.CANCELLED not in {rs for _s, _r, _st, rs in rows}
        sessions = {s.pk: s for s in signup_sessions_for_event(event=self.event)}
        for name, session in self.sessions.items():
            queue = [(r, status) for s, r, status, _rs in rows if s == session.pk]
            # First come, first promoted: exactly the model's queue, in order of arrival.
            assert queue == [(ids[i], status) for i, status in self.queue[name]]
            counted = sessions[session.pk]
            confirmed = sum(status == CONFIRMED for _r, status in queue)
            waitlisted = len(queue) - confirmed
            assert counted.capacity == self.capacity[name]
            assert (counted.confirmed, counted.waitlisted) == (confirmed, waitlisted)
            assert confirmed <= counted.capacity
            if waitlisted:
                assert confirmed == counted.capacity  # no queue while a seat is free
            waiting = SignUp.objects.filter(session=session, status=WAITLISTED).order_by(
                "created_at", "id"
            )
            assert [waitlist_position(signup=s) for s in waiting] == list(range(1, waitlisted + 1))


@pytest.mark.django_db
def test_waitlists_keep_their_invariants_after_every_step():
    run_state_machine_as_test(
        Waitlists,
        settings=settings(max_examples=40, stateful_step_count=30, deadline=None),
    )
