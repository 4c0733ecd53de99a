"""Services of matchmaking beyond runs: settings and taxonomy, profile tags and networking
slots, consent, meeting requests with their emails, met-before exclusions and statistics."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from clusterhub.common.models import OutboxMessage
from clusterhub.events.models import SessionType
from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.models import MeetingRequest, MeetingRequestStatus
from clusterhub.registration import services as registration_services
from clusterhub.registration.models import RegistrationStatus
from tests.factories import (
    EventFactory,
    MatchProfileFactory,
    ProfileMarkFactory,
    RegistrationFactory,
    SessionFactory,
    at,
)


def code_of(exc_info) -> str:
    error = exc_info.value
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.error_list[0].code


@pytest.fixture
def pair(event):
    a, b = (MatchProfileFactory(registration__event=event).registration for _ in range(2))
    return a, b


# --- settings ---------------------------------------------------------------------------------


def test_settings_clean_tags_and_type_weights(event):
    settings = services.matchmaking_settings_update(
        event=event, actor=None, tags=["Oncology", " oncology ", "", "AI  diagnostics"],
        type_weights={"investor|company": "1.5", "school | industry": 2},
    )  # fmt: skip

    assert settings.tags == ["Oncology", "AI diagnostics"]
    assert settings.type_weights == {"company|investor": 1.5, "industry|school": 2.0}
    config = services.match_config_for(event)
    assert config.type_weights == {("company", "investor"): 1.5, ("industry", "school"): 2.0}


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"type_weights": {"investor|spaceship": 1}}, "bad_type_weights"),
        ({"type_weights": {"investor|company": 9}}, "bad_type_weights"),
        ({"type_weights": {"investor": 1}}, "bad_type_weights"),
        ({"tags": ["x" * 61]}, "tag_too_long"),
        ({"border_bonus": 0.9}, "max_value"),
        ({"request_limit": 0}, "min_value"),
    ],
)
def test_settings_refusals_change_nothing(event, fields, code):
    services.matchmaking_settings_update(event=event, actor=None, tags=["oncology"])

    with pytest.raises(ValidationError) as exc_info:
        services.matchmaking_settings_update(event=event, actor=None, **fields)

    assert code_of(exc_info) == code
    settings = selectors.matchmaking_settings_for(event=event)
    assert (settings.tags, settings.border_bonus, settings.request_limit) == (["oncology"], 0.1, 30)


def test_settings_selector_does_not_write(event):
    settings = selectors.matchmaking_settings_for(event=event)
    assert settings.pk is None
    assert settings.is_open
    assert settings.tags == []


# --- profiles: tags and networking slots -------------------------------------------------------


def test_profile_tags_come_from_the_taxonomy_and_a_removed_tag_is_not_matched(event):
    services.matchmaking_settings_update(event=event, actor=None, tags=["Oncology", "Genomics"])
    registration = MatchProfileFactory(registration__event=event).registration

    profile = services.profile_update(
        registration=registration, actor=None, tags=["oncology", "Genomics"]
    )
    assert profile.tags == ["Oncology", "Genomics"]  # the taxonomy's spelling
    with pytest.raises(ValidationError) as exc_info:
        services.profile_update(registration=registration, actor=None, tags=["Astrology"])
    assert code_of(exc_info) == "bad_choice"

    services.matchmaking_settings_update(event=event, actor=None, tags=["Oncology"])
    (built,) = services.match_profiles_build(event)
    assert built.tags == ("Oncology",)
    profile.refresh_from_db()
    assert profile.tags == ["Oncology", "Genomics"]  # kept: adding the tag back restores it


def test_profile_slots_are_the_events_networking_sessions(event):
    slot = SessionFactory(event=event, type=SessionType.NETWORKING)
    talk = SessionFactory(
        event=event, type=SessionType.TALK, start=at(event, 14), end=at(event, 15)
    )
    other_event = EventFactory()
    elsewhere = SessionFactory(event=other_event, type=SessionType.NETWORKING)
    registration = MatchProfileFactory(registration__event=event).registration

    profile = services.profile_update(
        registration=registration, actor=None, available_sessions=[slot.pk]
    )
    assert list(profile.available_sessions.all()) == [slot]
    for wrong in (talk, elsewhere):
        with pytest.raises(ValidationError) as exc_info:
            services.profile_update(
                registration=registration, actor=None, available_sessions=[wrong.pk]
            )
        assert code_of(exc_info) == "bad_choice"
    assert list(profile.available_sessions.all()) == [slot]


# --- consent -----------------------------------------------------------------------------------


def test_withdrawn_consent_hides_the_profile_everywhere(event, pair):
    a, b = pair
    assert selectors.profiles_browse(event=event, viewer=a) == [b.pk]

    registration_services.registration_matchmaking_consent_set(
        registration=b, consent=False, actor=None
    )

    assert selectors.profiles_browse(event=event, viewer=a) == []
    assert selectors.profile_visible(event=event, registration_id=b.pk) is None
    assert b.pk not in {p.id for p in services.match_profiles_build(event)}
    # ...and b, without consent, sees nobody either.
    b.refresh_from_db()
    assert selectors.profiles_browse(event=event, viewer=b) == []


# --- meeting requests ----------------------------------------------------------------------------


def test_request_send_and_accept_mail_both_sides(event, pair):
    a, b = pair

    request = services.meeting_request_send(
        sender=a, recipient=b, message="Shall we talk about pilots?", actor=None
    )

    assert request.status == MeetingRequestStatus.PENDING
    mail = OutboxMessage.objects.get(to=b.person.email)
    assert "Shall we talk about pilots?" in mail.body
    assert f"/events/{event.slug}/matchmaking/requests/" in mail.body
    assert a.person.full_name in mail.subject

    services.meeting_request_answer(request=request, accept=True, response="Yes!", actor=None)

    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.ACCEPTED
    assert request.answered_at
    reply = OutboxMessage.objects.get(to=a.person.email)
    assert "accepted" in reply.subject
    assert "Yes!" in reply.body
    with pytest.raises(ValidationError) as exc_info:
        services.meeting_request_answer(request=request, accept=False, actor=None)
    assert code_of(exc_info) == "not_pending"


def test_request_refusals_write_nothing(event, pair):
    a, b = pair
    outsider = RegistrationFactory(event=event)  # no consent
    services.meeting_request_send(sender=a, recipient=b, message="", actor=None)
    before = (MeetingRequest.objects.count(), OutboxMessage.objects.count())

    cases = [
        ({"sender": a, "recipient": b}, "already_requested"),
        ({"sender": b, "recipient": a}, "they_asked_you"),
        ({"sender": a, "recipient": a}, "request_self"),
        ({"sender": a, "recipient": outsider}, "not_available"),
        ({"sender": outsider, "recipient": a}, "no_consent"),
        ({"sender": a, "recipient": MatchProfileFactory().registration}, "other_event"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as exc_info:
            services.meeting_request_send(message="hi", actor=None, **kwargs)
        assert code_of(exc_info) == code, kwargs

    assert (MeetingRequest.objects.count(), OutboxMessage.objects.count()) == before


def test_no_thanks_reads_as_not_available_and_is_not_revealed(event, pair):
    a, b = pair
    ProfileMarkFactory(from_registration=b, to_registration=a, kind="no_thanks")
    cancelled = MatchProfileFactory(
        registration__event=event, registration__status=RegistrationStatus.CANCELLED
    ).registration

    messages = []
    for recipient in (b, cancelled):
        with pytest.raises(ValidationError) as exc_info:
            services.meeting_request_send(sender=a, recipient=recipient, message="", actor=None)
        assert code_of(exc_info) == "not_available"
        messages.append(exc_info.value.messages)
    assert messages[0] == messages[1]


def test_request_limit_and_closed_matchmaking(event):
    services.matchmaking_settings_update(event=event, actor=None, request_limit=2)
    sender, *others = (
        MatchProfileFactory(registration__event=event).registration for _ in range(4)
    )
    first = services.meeting_request_send(
        sender=sender, recipient=others[0], message="", actor=None
    )
    services.meeting_request_send(sender=sender, recipient=others[1], message="", actor=None)

    with pytest.raises(ValidationError) as exc_info:
        services.meeting_request_send(sender=sender, recipient=others[2], message="", actor=None)
    assert code_of(exc_info) == "request_limit"

    services.meeting_request_cancel(request=first, actor=None)  # a withdrawn one frees a place
    services.meeting_request_send(sender=sender, recipient=others[2], message="", actor=None)

    services.matchmaking_settings_update(event=event, actor=None, is_open=False)
    with pytest.raises(ValidationError) as exc_info:
        services.meeting_request_send(sender=others[0], recipient=sender, message="", actor=None)
    assert code_of(exc_info) == "matchmaking_closed"


def test_cancelling_an_accepted_meeting_tells_the_other_side(event, pair):
    a, b = pair
    request = services.meeting_request_send(sender=a, recipient=b, message="", actor=None)
    services.meeting_request_answer(request=request, accept=True, actor=None)
    OutboxMessage.objects.all().delete()

    services.meeting_request_cancel(request=request, actor=None)

    assert MeetingRequest.objects.get().status == MeetingRequestStatus.CANCELLED
    assert OutboxMessage.objects.get().to == b.person.email
    # After a withdrawal, either side may ask again.
    services.meeting_request_send(sender=b, recipient=a, message="", actor=None)


def test_message_length_is_bounded(event, pair):
    a, b = pair
    with pytest.raises(ValidationError) as exc_info:
        services.meeting_request_send(sender=a, recipient=b, message="x" * 1001, actor=None)
    assert code_of(exc_info) == "message_too_long"
    assert not MeetingRequest.objects.exists()


# --- met before, statistics ---------------------------------------------------------------


def test_people_who_agreed_to_meet_at_an_earlier_event_are_met_before(event, fake_matcher):
    earlier = EventFactory(
        cluster=event.cluster,
        start_date=event.start_date - timedelta(days=365),
        end_date=event.end_date - timedelta(days=365),
    )
    a, b, c = (MatchProfileFactory(registration__event=earlier).registration for _ in range(3))
    request = services.meeting_request_send(sender=a, recipient=b, message="", actor=None)
    services.meeting_request_answer(request=request, accept=True, actor=None)
    services.meeting_request_send(sender=a, recipient=c, message="", actor=None)  # never answered
    now = {
        r.person_id: MatchProfileFactory(
            registration__event=event, registration__person=r.person
        ).registration.pk
        for r in (a, b, c)
    }

    built = {p.id: p for p in services.match_profiles_build(event)}

    assert built[now[a.person_id]].met_before == {now[b.person_id]}
    assert built[now[b.person_id]].met_before == {now[a.person_id]}
    assert built[now[c.person_id]].met_before == frozenset()
    services.matchmaking_settings_update(event=event, actor=None, exclude_met_before=True)
    assert services.match_config_for(event).exclude_met_before


def test_request_statistics(event, fake_matcher):
    people = [MatchProfileFactory(registration__event=event).registration for _ in range(4)]
    run = services.match_run_create(event=event, actor=None)
    services.match_run_execute(run=run)
    a, b, c, d = people
    accepted = services.meeting_request_send(sender=a, recipient=b, message="", actor=None)
    services.meeting_request_answer(request=accepted, accept=True, actor=None)
    declined = services.meeting_request_send(sender=a, recipient=c, message="", actor=None)
    services.meeting_request_answer(request=declined, accept=False, actor=None)
    services.meeting_request_send(sender=d, recipient=a, message="", actor=None)

    stats = selectors.meeting_request_statistics(event=event)

    assert stats["total"] == 3
    assert stats["by_status"] == {"pending": 1, "accepted": 1, "declined": 1, "cancelled": 0}
    assert (stats["senders"], stats["recipients"]) == (2, 3)
    assert stats["acceptance_rate"] == 0.5
    assert stats["from_recommendations_share"] == 1.0  # the fake matcher recommends everybody


def test_no_thanks_hides_a_recommendation_both_ways_before_the_next_run(event, fake_matcher):
    a, b, c = (MatchProfileFactory(registration__event=event).registration for _ in range(3))
    services.match_run_execute(run=services.match_run_create(event=event, actor=None))

    def shown(registration):
        return {
            r.other_id
            for r in selectors.recommendations_for_registration(registration=registration)
        }

    assert shown(a) == {b.pk, c.pk}
    services.mark_set(from_registration=b, to_registration=a, kind="no_thanks", actor=None)

    assert shown(a) == {c.pk}
    assert shown(b) == {c.pk}
    assert selectors.profiles_browse(event=event, viewer=a) == [c.pk]
    assert a.pk in selectors.profiles_browse(event=event, viewer=b)  # b can undo the mark
