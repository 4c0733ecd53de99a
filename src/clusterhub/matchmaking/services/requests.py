"""Meeting requests: a participant asks another for a 1:1 meeting; the other side accepts or
declines; the sender may withdraw. Each step mails the other side through the outbox."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.common.outbox import outbox_queue
from clusterhub.directory.models import User
from clusterhub.events.models import Event
from clusterhub.matchmaking.models import (
    MarkKind,
    MeetingRequest,
    MeetingRequestStatus,
    ProfileMark,
)
from clusterhub.matchmaking.selectors import matchmaking_settings_for
from clusterhub.matchmaking.services.common import MESSAGE_MAX, log, refusal
from clusterhub.registration.models import Registration, RegistrationStatus


def _lock_pair(a: Registration, b: Registration) -> None:
    # Both registration rows, in id order: two people asking each other at the same moment
    # queue up here instead of both getting through the "they asked you already" check.
    list(
        Registration.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=[a.pk, b.pk])
        .order_by("pk")
    )


def _is_matchable(registration: Registration) -> bool:
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.consent_matchmaking_at is not None
    )


def _requests_url(event: Event) -> str:
    return django_settings.SITE_URL.rstrip("/") + reverse("matchmaking:requests", args=[event.slug])


def _mail(registration: Registration, subject: str, body: str, *, key: str) -> None:
    # Each mail reports a state change that happens once per request: its key makes it one
    # message, however often the service's transaction were replayed.
    person = registration.person
    if person.email:
        outbox_queue(
            to=person.email, subject=subject, body=body, event_id=registration.event_id, key=key
        )


@transaction.atomic
def meeting_request_send(
    *, sender: Registration, recipient: Registration, message: str, actor: User | None
) -> MeetingRequest:
    """`sender` asks `recipient` for a 1:1 meeting, with a message of at most MESSAGE_MAX
    characters. Both must be confirmed with the matchmaking consent at the same event, and
    the event's matchmaking open. Refuses oneself (`request_self`), another event
    (`other_event`), matchmaking closed (`matchmaking_closed`), a sender without consent
    (`no_consent`), a recipient not taking part or who said "no thanks" to the sender
    (`not_available`, the same answer for both so a refusal tells nothing private), an open
    request already sent (`already_requested`) or received from them (`they_asked_you`), and
    more than the event's request limit (`request_limit`). Side effects: the request, an
    activity log line, an email to the recipient."""
    if sender.pk == recipient.pk:
        raise refusal(_("You cannot ask yourself for a meeting."), "request_self")
    if sender.event_id != recipient.event_id:
        raise refusal(_("This person is not at the same event."), "other_event")
    event = sender.event
    settings = matchmaking_settings_for(event=event)
    if not settings.is_open:
        raise refusal(_("Matchmaking is not open for this event."), "matchmaking_closed")
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise refusal(
            _("Keep the message under %(n)d characters.") % {"n": MESSAGE_MAX},
            "message_too_long", "message",
        )  # fmt: skip
    _lock_pair(sender, recipient)
    sender.refresh_from_db(fields=["status", "consent_matchmaking_at"])
    recipient.refresh_from_db(fields=["status", "consent_matchmaking_at"])
    if not _is_matchable(sender):
        raise refusal(
            _("Share your matchmaking profile before you ask people for meetings."), "no_consent"
        )
    declined_me = ProfileMark.objects.filter(
        from_registration=recipient, to_registration=sender, kind=MarkKind.NO_THANKS
    ).exists()
    if not _is_matchable(recipient) or declined_me:
        raise refusal(_("This person is not available for meetings."), "not_available")
    open_between = MeetingRequest.objects.filter(
        status__in=[MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED]
    )
    if open_between.filter(sender=sender, recipient=recipient).exists():
        raise refusal(_("You have already asked this person."), "already_requested")
    if open_between.filter(sender=recipient, recipient=sender).exists():
        raise refusal(
            _("This person has already asked you: answer their request."), "they_asked_you"
        )
    sent = MeetingRequest.objects.filter(sender=sender).exclude(
        status=MeetingRequestStatus.CANCELLED
    )
    if sent.count() >= settings.request_limit:
        raise refusal(
            _("You have sent the %(n)d meeting requests this event allows.")
            % {"n": settings.request_limit},
            "request_limit",
        )
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(
                event=event, sender=sender, recipient=recipient, message=message
            )
    except IntegrityError as exc:  # the same request sent twice at once
        raise refusal(_("You have already asked this person."), "already_requested") from exc
    log(actor, "matchmaking.request.send", request, event)
    who = sender.person
    organisation = f" ({who.organisation.name})" if who.organisation else ""
    _mail(
        recipient,
        key=f"meeting-request.sent:{request.pk}",
        subject=_("Meeting request from %(name)s: %(event)s")
        % {"name": who.full_name, "event": event.name},
        body=_(
            "Dear %(recipient)s,\n\n%(name)s%(organisation)s would like to meet you at %(event)s."
            "\n\n%(message)s\n\nAccept or decline here: %(url)s\n"
        )
        % {
            "recipient": recipient.person.full_name, "name": who.full_name,
            "organisation": organisation, "event": event.name,
            "message": message or _("(no message)"), "url": _requests_url(event),
        },
    )  # fmt: skip
    return request


def _lock_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", "sender__person", "recipient__person")
        .get(pk=request.pk)
    )


@transaction.atomic
def meeting_request_answer(
    *, request: MeetingRequest, accept: bool, response: str = "", actor: User | None
) -> MeetingRequest:
    """The recipient accepts or declines a pending request, with an optional answer of at most
    MESSAGE_MAX characters. Refuses a request no longer pending (`not_pending`). The caller
    checks that `actor` is the recipient. Side effects: the status, an activity log line, an
    email to the sender."""
    request = _lock_request(request)
    if request.status != MeetingRequestStatus.PENDING:
        raise refusal(_("This request has already been answered or withdrawn."), "not_pending")
    response = (response or "").strip()
    if len(response) > MESSAGE_MAX:
        raise refusal(
            _("Keep the answer under %(n)d characters.") % {"n": MESSAGE_MAX},
            "message_too_long", "response",
        )  # fmt: skip
    request.status = MeetingRequestStatus.ACCEPTED if accept else MeetingRequestStatus.DECLINED
    request.response = response
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "response", "answered_at"])
    log(actor, "matchmaking.request." + ("accept" if accept else "decline"), request,
         request.event)  # fmt: skip
    event, name = request.event, request.recipient.person.full_name
    if accept:
        subject = _("%(name)s accepted your meeting request: %(event)s")
        body = _(
            "Dear %(sender)s,\n\n%(name)s accepted your request to meet at %(event)s."
            "\n\n%(response)s\n\nYour requests: %(url)s\n"
        )
    else:
        subject = _("%(name)s declined your meeting request: %(event)s")
        body = _(
            "Dear %(sender)s,\n\n%(name)s cannot meet you at %(event)s this time."
            "\n\n%(response)s\n\nYour requests: %(url)s\n"
        )
    _mail(
        request.sender,
        key=f"meeting-request.{request.status}:{request.pk}",
        subject=subject % {"name": name, "event": event.name},
        body=body % {
            "sender": request.sender.person.full_name, "name": name, "event": event.name,
            "response": response, "url": _requests_url(event),
        },
    )  # fmt: skip
    return request


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, actor: User | None) -> MeetingRequest:
    """The sender withdraws a request that is pending or accepted (`not_open` otherwise); an
    accepted one is announced to the other side. Side effects: the status, an activity log
    line, an email when it had been accepted."""
    request = _lock_request(request)
    if request.status not in (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED):
        raise refusal(_("This request is no longer open."), "not_open")
    was_accepted = request.status == MeetingRequestStatus.ACCEPTED
    request.status = MeetingRequestStatus.CANCELLED
    request.save(update_fields=["status"])
    log(actor, "matchmaking.request.cancel", request, request.event)
    if was_accepted:
        event, name = request.event, request.sender.person.full_name
        _mail(
            request.recipient,
            key=f"meeting-request.cancelled:{request.pk}",
            subject=_("%(name)s cancelled your meeting: %(event)s")
            % {"name": name, "event": event.name},
            body=_("Dear %(recipient)s,\n\n%(name)s cannot meet you at %(event)s after all.\n")
            % {"recipient": request.recipient.person.full_name, "name": name, "event": event.name},
        )
    return request
