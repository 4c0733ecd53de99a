"""Writes: check-in, sign-ups to sessions, meeting requests.

A token needs the write scope (else 403 `read_only_token`); the browser session needs the CSRF
token. The permission rules are the web UI's:

- Check-in (`registration.check_in`): the host cluster's team, check-in staff included. Anyone
  else, and a token limited to another cluster, gets 404 as for an unknown event. A repeated
  check-in is no error: it answers 200 with `status: "already"` and the first check-in, as
  the desk does.
- Sign-ups and meeting requests: a participant acts as their own registration only
  (`registration.change_own_registration`); without one, or with somebody else's sign-up id,
  the answer is 404. Meeting requests need a shared profile and matchmaking open (else 404),
  and go only to people whose profile the sender may see (else 404).

A service's refusal is 400 with the service's code. The creating POSTs take an
`Idempotency-Key` header (see `clusterhub.api.idempotency`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Path, Router, Schema, Status

from clusterhub.api.auth import required_auth, token_allows_cluster
from clusterhub.api.endpoints.events import event_visible_or_404
from clusterhub.api.errors import ApiError
from clusterhub.api.idempotency import KEY_MAX_LENGTH, REPLAY_HEADER, Outcome, run_idempotent
from clusterhub.api.schemas import ErrorOut
from clusterhub.directory.models import User
from clusterhub.events.models import Event, Session
from clusterhub.matchmaking import selectors as matchmaking_selectors
from clusterhub.matchmaking import services as matchmaking_services
from clusterhub.registration import selectors as registration_selectors
from clusterhub.registration import services as registration_services
from clusterhub.registration.models import Registration, RegistrationStatus, SignUp

router = Router(tags=["writes"], auth=required_auth)

OWN = "registration.change_own_registration"
MAX_ID = 2**63 - 1  # a larger id is a 422, not a database overflow (500)
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    max_length=KEY_MAX_LENGTH,
    description="a unique key for this request; a retry with it answers the first response",
)
CREATE_ERRORS: dict[int | frozenset[int], type[ErrorOut]] = {
    frozenset({400, 401, 403, 404, 422}): ErrorOut
}


# --- schemas ---------------------------------------------------------------------------------


class CheckInIn(Schema):
    badge: str | None = Field(None, max_length=500, description="the code on the badge")
    registration_id: int | None = Field(None, ge=1, le=MAX_ID, description="instead of a badge")
    session_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="a session to check in at; none: the door"
    )


class CheckInOut(Schema):
    id: int
    status: str = Field(description="`checked_in`, or `already` when checked in before")
    message: str
    registration_id: int
    session_id: int | None
    first_name: str
    last_name: str
    method: str
    created_at: datetime


class SignUpIn(Schema):
    session_id: int = Field(ge=1, le=MAX_ID)


class SignUpOut(Schema):
    id: int
    session_id: int
    registration_id: int
    status: str = Field(description="`confirmed` (a seat) or `waitlisted`")
    created_at: datetime


class MeetingRequestIn(Schema):
    recipient_id: int = Field(ge=1, le=MAX_ID, description="the recipient's registration id")
    message: str = Field("", max_length=matchmaking_services.MESSAGE_MAX)


class MeetingRequestOut(Schema):
    id: int
    sender_id: int
    recipient_id: int
    message: str
    status: str
    created_at: datetime


# --- helpers ---------------------------------------------------------------------------------


def _not_found(message: Any = None) -> ApiError:
    return ApiError(404, "not_found", message or _("No such event."))


def _event_for(request: HttpRequest, slug: str) -> Event:
    """The visible event, unless the request's token is limited to another cluster."""
    event = event_visible_or_404(request, slug)
    if not token_allows_cluster(request, event.cluster_id):
        raise _not_found()
    return event


def _own_registration_or_404(request: HttpRequest, event: Event) -> Registration:
    user: User = request.user  # type: ignore[assignment]  # auth is required here
    registration = registration_selectors.registration_for_user(event=event, user=user)
    if registration is None or not request.user.has_perm(OWN, registration):
        raise _not_found(_("You have no registration for this event."))
    registration.event = event
    return registration


def _answer(response: HttpResponse, outcome: tuple[Outcome, bool]) -> Status:
    (status, body), replayed = outcome
    if replayed:
        response[REPLAY_HEADER] = "true"
    return Status(status, body)


# --- check-in --------------------------------------------------------------------------------


@router.post(
    "/{slug}/checkins/",
    response={201: CheckInOut, 200: CheckInOut, **CREATE_ERRORS},
    url_name="checkin_create",
)
def checkin_create(
    request,
    response: HttpResponse,
    slug: str,
    payload: CheckInIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Check a person in by badge code or registration id, at the door or at a session.
    201 for a new check-in; 200 with `status: "already"` when they were checked in there."""
    event = _event_for(request, slug)
    if not request.user.has_perm("events.view_event_orga", event):
        raise _not_found()
    if not request.user.has_perm("registration.check_in", event):
        raise ApiError(403, "permission_denied", _("Only the event's team may check people in."))

    def action() -> Outcome:
        session: Session | None = None
        if payload.session_id is not None:
            places = registration_selectors.checkin_places_for_event(event=event)
            session = places.filter(pk=payload.session_id).first()
            if session is None:
                raise ApiError(400, "bad_place", _("Choose where you check people in."))
        if payload.registration_id is not None:
            registration = registration_selectors.registration_for_desk(
                event=event, pk=payload.registration_id
            )
            if registration is None:
                raise _not_found(_("Nobody found."))
            method = "search"
        elif payload.badge and payload.badge.strip():
            registration = registration_services.registration_for_badge(
                event=event, token=payload.badge.strip()
            )
            method = "scan"
        else:
            raise ApiError(400, "empty_code", _("Scan or type a badge code."))
        result = registration_services.checkin_create(
            registration=registration, session=session, actor=request.user, method=method
        )
        checkin = result.checkin
        person = checkin.registration.person
        body = CheckInOut(
            id=checkin.pk,
            status="checked_in" if result.created else "already",
            message=result.message,
            registration_id=checkin.registration_id,
            session_id=checkin.session_id,
            first_name=person.first_name,
            last_name=person.last_name,
            method=checkin.method,
            created_at=checkin.created_at,
        )
        return (201 if result.created else 200), body.model_dump(mode="json")

    return _answer(response, run_idempotent(request, idempotency_key, action))


# --- sign-ups --------------------------------------------------------------------------------


def _signup_body(signup: SignUp) -> dict[str, Any]:
    return SignUpOut.from_orm(signup).model_dump(mode="json")


@router.post(
    "/{slug}/signups/", response={201: SignUpOut, **CREATE_ERRORS}, url_name="signup_create"
)
def signup_create(
    request,
    response: HttpResponse,
    slug: str,
    payload: SignUpIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Sign yourself up to a session that needs sign-up: a seat, or the waitlist when full."""
    event = _event_for(request, slug)
    registration = _own_registration_or_404(request, event)

    def action() -> Outcome:
        session = (
            registration_selectors.signup_sessions_for_event(event=event)
            .filter(pk=payload.session_id)
            .first()
        )
        if session is None:
            raise _not_found(_("No such session needs sign-up."))
        signup = registration_services.signup_create(
            registration=registration, session=session, actor=request.user
        )
        return 201, _signup_body(signup)

    return _answer(response, run_idempotent(request, idempotency_key, action))


@router.delete(
    "/{slug}/signups/{signup_id}/",
    response={204: None, frozenset({401, 403, 404, 422}): ErrorOut},
    url_name="signup_delete",
)
def signup_delete(request, slug: str, signup_id: int = Path(..., ge=1, le=MAX_ID)):
    """Give up your own seat or waitlist place; the seat goes to the next person waiting."""
    event = _event_for(request, slug)
    registration = _own_registration_or_404(request, event)
    mine = SignUp.objects.filter(pk=signup_id, registration=registration).first()
    if mine is None:
        raise _not_found(_("No such sign-up."))
    registration_services.signup_cancel(signup=mine, actor=request.user)
    return Status(204, None)


# --- meeting requests ------------------------------------------------------------------------


@router.post(
    "/{slug}/meeting-requests/",
    response={201: MeetingRequestOut, **CREATE_ERRORS},
    url_name="meeting_request_create",
)
def meeting_request_create(
    request,
    response: HttpResponse,
    slug: str,
    payload: MeetingRequestIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Ask another participant for a 1:1 meeting (you must share your own profile)."""
    event = _event_for(request, slug)
    registration = _own_registration_or_404(request, event)
    matchable = (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.consent_matchmaking_at is not None
    )
    if not matchable or not matchmaking_selectors.matchmaking_settings_for(event=event).is_open:
        raise _not_found(_("Matchmaking is not open to you at this event."))

    def action() -> Outcome:
        found = matchmaking_selectors.profile_visible(
            event=event, registration_id=payload.recipient_id, viewer=registration
        )
        if found is None:
            raise _not_found(_("No such participant."))
        sent = matchmaking_services.meeting_request_send(
            sender=registration,
            recipient=found.registration,
            message=payload.message,
            actor=request.user,
        )
        return 201, MeetingRequestOut.from_orm(sent).model_dump(mode="json")

    return _answer(response, run_idempotent(request, idempotency_key, action))
