"""Forms have labels. The main forms of the back office, the participant pages and the public
site are rendered, and every field a person can fill in (input, select, textarea) must have a name
a screen reader reads out: a <label for> pointing at it, a <label> around it, or aria-label /
aria-labelledby."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterhub.followup.models import Survey, SurveyQuestion
from clusterhub.matchmaking.models import MeetingRequest
from tests.factories import (
    MatchProfileFactory,
    QuestionFactory,
    RegistrationConfigFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
)

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class FieldLabels(HTMLParser):
    """Collects the fields of a page and the names that label them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.label_targets: set[str] = set()
        self.label_depth = 0
        self.fields: list[tuple[str, dict, bool]] = []  # (tag, attributes, inside a <label>)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.label_targets.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and attributes.get("type", "text") in UNLABELLED_TYPES:
                return
            self.fields.append((tag, attributes, self.label_depth > 0))

    def handle_endtag(self, tag):
        if tag == "label" and self.label_depth:
            self.label_depth -= 1

    def unlabelled(self) -> list[str]:
        return [
            f"<{tag} name={attributes.get('name')!r} id={attributes.get('id')!r}>"
            for tag, attributes, wrapped in self.fields
            if not (
                wrapped
                or attributes.get("id") in self.label_targets
                or attributes.get("aria-label")
                or attributes.get("aria-labelledby")
            )
        ]


def fields_and_unlabelled(response) -> tuple[int, list[str]]:
    assert response.status_code == 200, (response.status_code, response.request["PATH_INFO"])
    parser = FieldLabels()
    parser.feed(response.content.decode())
    return len(parser.fields), parser.unlabelled()


def test_the_check_tells_labelled_fields_from_unlabelled_ones():
    parser = FieldLabels()
    parser.feed(
        '<label for="a">A</label><input id="a" name="a">'
        '<label>B <select name="b"></select></label>'
        '<input name="c" aria-label="C"><input type="hidden" name="h">'
        '<button type="submit">Go</button>'
        '<textarea name="d"></textarea><input name="e" id="e">'
    )
    assert parser.unlabelled() == ["<textarea name='d' id=None>", "<input name='e' id='e'>"]


@pytest.fixture
def world(event):
    """An event with a room, a networking slot, a seated module and the registration set-up."""
    RegistrationConfigFactory(event=event)
    TicketTypeFactory(event=event, name="Participant")
    QuestionFactory(event=event, label="Dietary needs")
    room = RoomFactory(event=event)
    session = SessionFactory(
        event=event, room=room, type="training", capacity=10, signup_required=True
    )
    SessionFactory(event=event, type="networking")
    survey = Survey.objects.create(event=event, title="How was the event?", is_open=True)
    SurveyQuestion.objects.create(survey=survey, label="Overall?", kind="rating", required=True)
    SurveyQuestion.objects.create(survey=survey, label="What should we change?", kind="text")
    return {"room": room, "session": session, "survey": survey}


def orga_pages(event, world) -> list[str]:
    slug = event.slug
    return [
        reverse("orga:event_create"),
        reverse("orga:event_edit", args=[slug]),
        reverse("orga:session_create", args=[slug]),
        reverse("orga:session_edit", args=[slug, world["session"].pk]),
        reverse("orga:room_create", args=[slug]),
        reverse("orga:programme_import", args=[slug]),
        reverse("orga_registration:registrations", args=[slug]),
        reverse("orga_registration:signup_session", args=[slug, world["session"].pk]),
        reverse("orga_registration:checkin", args=[slug]),
        reverse("orga_matchmaking:overview", args=[slug]),
        reverse("orga_matchmaking:settings", args=[slug]),
        reverse("orga_matchmaking:meetings", args=[slug]),
        reverse("orga_followup:partnership_new", args=[slug]),
        reverse("orga_followup:partnerships", args=[slug]),
        reverse("orga_followup:surveys", args=[slug]),
        reverse("orga_followup:survey", args=[slug, world["survey"].pk]),
        reverse("orga_report:edit", args=[slug]),
        reverse("api_tokens:list"),
    ]


@pytest.mark.django_db
def test_every_field_of_the_back_office_forms_has_a_label(client, event, organiser, world):
    client.force_login(organiser)
    problems, seen = {}, 0
    for url in orga_pages(event, world):
        count, unlabelled = fields_and_unlabelled(client.get(url))
        seen += count
        if unlabelled:
            problems[url] = unlabelled
    assert problems == {}
    assert seen > 60  # the forms were there to check


@pytest.mark.django_db
def test_every_field_of_the_participant_and_public_forms_has_a_label(client, event, world):
    RegistrationConfigFactory(event=event)
    newcomer = UserFactory()
    client.force_login(newcomer)
    count, unlabelled = fields_and_unlabelled(
        client.get(reverse("portal:register", args=[event.slug]))
    )
    assert unlabelled == []
    assert count >= 8

    user = UserFactory()
    me = RegistrationFactory(event=event, person__user=user, person__email=user.email,
                             consent_matchmaking_at=timezone.now())  # fmt: skip
    other = MatchProfileFactory(registration__event=event).registration
    MeetingRequest.objects.create(event=event, sender=other, recipient=me, message="Shall we meet?")
    client.force_login(user)
    slug = event.slug
    problems, seen = {}, 0
    for url in [
        reverse("portal:me", args=[slug]),
        reverse("matchmaking:profile", args=[slug]),
        reverse("matchmaking:people", args=[slug]),
        reverse("matchmaking:requests", args=[slug]),
        reverse("matchmaking:person", args=[slug, other.pk]),
        reverse("followup:survey", args=[slug, world["survey"].pk]),
        reverse("public:programme", args=[slug]),
        reverse("privacy:erase"),
    ]:
        count, unlabelled = fields_and_unlabelled(client.get(url))
        seen += count
        if unlabelled:
            problems[url] = unlabelled
    assert problems == {}
    assert seen > 20

    client.logout()
    count, unlabelled = fields_and_unlabelled(client.get(reverse("account_login")))
    assert unlabelled == []
    assert count >= 3  # email, password, remember me (and the language menu)
