"""Everything the platform holds about one user, as a JSON-ready dict (the "my data" download).

Their own rows only: another person appears by name where the user dealt with them (a meeting,
a request), never with their data; messages are the user's own (a request's message when they
sent it, the answer when they received it). Never a password hash or an API token's hash.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from clusterhub.api.models import ApiToken
from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory.models import Person, User
from clusterhub.events.models import Availability, Session, SessionRole
from clusterhub.followup.models import MeetingFeedback, Partnership, SurveyAnswer, SurveyResponse
from clusterhub.matchmaking.models import MatchProfile, Meeting, MeetingRequest, ProfileMark
from clusterhub.registration.models import Answer, CheckIn, ConsentRecord, Registration, SignUp

FORMAT_VERSION = 1


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(registration: Registration) -> str:
    return registration.person.full_name


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "is_active": user.is_active,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }


def _person(person: Person) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "country": str(person.country or ""),
        "organisation": person.organisation.name if person.organisation else None,
        "organisation_type": person.organisation.type if person.organisation else None,
        "bio": person.bio,
        "expertise": person.expertise,
        "languages": person.languages,
        "contact_of_clusters": [c.slug for c in person.contact_of.order_by("slug")],
        "created_at": _when(person.created_at),
        "updated_at": _when(person.updated_at),
        "programme_roles": [
            {"event": r.session.event.slug, "session": r.session.title, "role": r.role}
            for r in SessionRole.objects.filter(person=person).select_related("session__event")
        ],
        "availability": [
            {"event": a.event.slug, "from": _when(a.start), "until": _when(a.end)}
            for a in Availability.objects.filter(person=person).select_related("event")
        ],
    }


def _profile(registration: Registration) -> dict[str, Any] | None:
    try:
        profile = registration.match_profile
    except MatchProfile.DoesNotExist:
        return None
    return {
        "offers": profile.offers,
        "needs": profile.needs,
        "interests": profile.interests,
        "tags": profile.tags,
        "about": profile.about,
        "objectives": profile.objectives,
        "preferred_types": profile.preferred_types,
        "preferred_countries": profile.preferred_countries,
        "available_sessions": [s.title for s in profile.available_sessions.all()],
        "updated_at": _when(profile.updated_at),
    }


def _matchmaking(registration: Registration) -> dict[str, Any]:
    sent = registration.meeting_requests_sent.all()
    received = registration.meeting_requests_received.all()
    meetings = sorted(
        [*registration.meetings_as_a.all(), *registration.meetings_as_b.all()],
        key=lambda m: (m.start, m.pk),
    )
    marks = registration.marks_given.all()
    return {
        "profile": _profile(registration),
        "marks_given": [{"about": _name(m.to_registration), "kind": m.kind} for m in marks],
        "meeting_requests_sent": [
            {
                "to": _name(r.recipient),
                "message": r.message,
                "status": r.status,
                "sent_at": _when(r.created_at),
                "answered_at": _when(r.answered_at),
            }
            for r in sent
        ],
        "meeting_requests_received": [
            {
                "from": _name(r.sender),
                "status": r.status,
                "my_answer": r.response,
                "received_at": _when(r.created_at),
                "answered_at": _when(r.answered_at),
            }
            for r in received
        ],
        "meetings": [
            {
                "with": _name(m.b if m.a_id == registration.pk else m.a),
                "session": m.session.title,
                "start": _when(m.start),
                "end": _when(m.end),
                "table": m.table,
                "status": m.status,
            }
            for m in meetings
        ],
    }


def _followup(registration: Registration) -> dict[str, Any]:
    feedback = registration.meeting_feedback.all()
    responses = registration.survey_responses.all()
    return {
        "meeting_feedback_given": [
            {
                "meeting_with": _name(
                    f.meeting.b if f.meeting.a_id == registration.pk else f.meeting.a
                ),
                "attendance": f.attendance,
                "rating": f.rating,
                "outcome": f.outcome,
                "comment": f.comment,
                "updated_at": _when(f.updated_at),
            }
            for f in feedback
        ],
        "survey_answers": [
            {
                "survey": r.survey.title,
                "answered_at": _when(r.created_at),
                "answers": [
                    {"question": a.question.label, "rating": a.rating, "text": a.text}
                    for a in r.answers.all()
                ],
            }
            for r in responses
        ],
    }


def _registration(registration: Registration) -> dict[str, Any]:
    return {
        "event": {
            "slug": registration.event.slug,
            "name": registration.event.name,
            "start_date": _when(registration.event.start_date),
            "end_date": _when(registration.event.end_date),
        },
        "ticket_type": registration.ticket_type.name,
        "status": registration.status,
        "registered_at": _when(registration.created_at),
        "cancelled_at": _when(registration.cancelled_at),
        "checked_in_at": _when(registration.checked_in_at),
        "personal_data_erased_at": _when(registration.anonymised_at),
        "consents": {
            "privacy": _when(registration.consent_privacy_at),
            "matchmaking": _when(registration.consent_matchmaking_at),
            "photos": _when(registration.consent_photos_at),
        },
        "consent_records": [
            {
                "kind": c.kind,
                "given": c.given,
                "version": c.version,
                "text": c.text,
                "source": c.source,
                "at": _when(c.at),
            }
            for c in registration.consent_records.all()
        ],
        "answers": [
            {"question": a.question.label, "value": a.value} for a in registration.answers.all()
        ],
        "signups": [
            {"session": s.session.title, "status": s.status, "signed_up_at": _when(s.created_at)}
            for s in registration.signups.all()
        ],
        "checkins": [
            {
                "place": c.session.title if c.session else "door",
                "at": _when(c.created_at),
                "method": c.method,
            }
            for c in registration.checkins.all()
        ],
        **_matchmaking(registration),
        **_followup(registration),
    }


def _partnerships(registrations: list[Registration]) -> list[dict[str, Any]]:
    ids = [r.pk for r in registrations]
    found = (
        Partnership.objects.filter(Q(meeting__a__in=ids) | Q(meeting__b__in=ids))
        .prefetch_related("organisations")
        .distinct()
    )
    return [
        {
            "title": p.title,
            "type": p.type,
            "stage": p.stage,
            "organisations": [o.name for o in p.organisations.all()],
            "event": p.event.slug if p.event else None,
        }
        for p in found.select_related("event")
    ]


def _with_their_rows(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """The registrations with every row `_registration` reads, a few queries for them all."""
    meetings = Meeting.objects.select_related("a__person", "b__person", "session")
    return registrations.prefetch_related(
        Prefetch("consent_records", queryset=ConsentRecord.objects.order_by("at", "pk")),
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question").order_by("question__position"),
        ),
        Prefetch("signups", queryset=SignUp.objects.select_related("session")),
        Prefetch("checkins", queryset=CheckIn.objects.select_related("session")),
        Prefetch("match_profile__available_sessions", queryset=Session.objects.order_by("start")),
        Prefetch(
            "meeting_requests_sent",
            queryset=MeetingRequest.objects.select_related("recipient__person"),
        ),
        Prefetch(
            "meeting_requests_received",
            queryset=MeetingRequest.objects.select_related("sender__person"),
        ),
        Prefetch("meetings_as_a", queryset=meetings),
        Prefetch("meetings_as_b", queryset=meetings),
        Prefetch(
            "marks_given", queryset=ProfileMark.objects.select_related("to_registration__person")
        ),
        Prefetch(
            "meeting_feedback",
            queryset=MeetingFeedback.objects.select_related(
                "meeting__a__person", "meeting__b__person"
            ),
        ),
        Prefetch(
            "survey_responses",
            queryset=SurveyResponse.objects.select_related("survey").prefetch_related(
                Prefetch(
                    "answers",
                    queryset=SurveyAnswer.objects.select_related("question").order_by("pk"),
                )
            ),
        ),
    )


def my_data_for(*, user: User) -> dict[str, Any]:
    """All data about `user`: account, directory entry, registrations (answers, consents and
    their records, sign-ups, check-ins, matchmaking, meetings, feedback, survey answers),
    partnerships from their meetings, API tokens (never their secrets or hashes) and the
    activity log lines they wrote. Reads only."""
    person = Person.objects.filter(user=user).select_related("organisation").first()
    registrations = (
        list(
            _with_their_rows(
                Registration.objects.filter(person=person)
                .select_related("event", "ticket_type", "person")
                .order_by("created_at", "pk")
            )
        )
        if person
        else []
    )
    tokens = ApiToken.objects.filter(user=user).select_related("cluster")
    activity = ActivityLogEntry.objects.filter(actor=user).order_by("created_at", "pk")
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": _when(timezone.now()),
        "account": _account(user),
        "person": _person(person) if person else None,
        "registrations": [_registration(r) for r in registrations],
        "partnerships": _partnerships(registrations),
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "scopes": t.scopes,
                "cluster": t.cluster.slug if t.cluster else None,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in tokens
        ],
        "activity": [
            {
                "at": _when(e.created_at),
                "action": e.action,
                "object_type": e.object_type,
                "object": e.object_repr,
                "event_id": e.event_id,
                "details": e.data,
            }
            for e in activity
        ],
    }
