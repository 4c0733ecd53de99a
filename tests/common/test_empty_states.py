"""Every list says what to do when it is empty. Each page is rendered for an event (or account)
with nothing in the list, and must show the sentence that explains it and, where the reader can
act, a link to the page or form where they do it."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, RegistrationFactory, UserFactory


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def empty_states(text: str) -> list[str]:
    """The markup of every element marked `empty-state` (up to its closing tag)."""
    return re.findall(r'class="[^"]*\bempty-state\b[^"]*">(.*?)</(?:p|td|li)>', text, re.DOTALL)


def assert_empty_state(response, sentence: str, link: str | None):
    assert response.status_code == 200
    states = empty_states(page_text(response))
    matching = [state for state in states if sentence in state]
    assert matching, f"{sentence!r} not among {states!r}"
    if link is not None:
        assert f'href="{link}"' in matching[0], matching[0]


def orga(name: str, event) -> str:
    return reverse(name, args=[event.slug])


# (url name, sentence, the link it must offer: a url name of the event, an anchor, or None)
ORGANISER_PAGES = [
    ("orga:sessions", "No sessions yet.", "orga:session_create"),
    ("orga:sessions", "import a programme", "orga:programme_import"),
    ("orga:rooms", "No rooms yet.", "orga:room_create"),
    ("orga_registration:registrations", "Nobody has registered yet.", "orga_registration:settings"),
    ("orga_registration:signups", "No session needs sign-up.", "orga:sessions"),
    ("orga_registration:checkin", "Nobody yet: scan a badge", None),
    ("orga_followup:surveys", "No survey yet.", "#new-survey"),
    ("orga_followup:partnerships", "No partnership recorded yet.", "orga_followup:partnership_new"),
    ("orga_matchmaking:meetings", "no networking session yet", "orga:session_create"),
    ("orga_report:edit", "The programme has no sessions yet.", "orga:sessions"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "sentence", "link"), ORGANISER_PAGES)
def test_an_empty_back_office_list_says_what_to_do(client, event, organiser, name, sentence, link):
    client.force_login(organiser)

    response = client.get(orga(name, event))

    target = link if link is None or link.startswith("#") else orga(link, event)
    assert_empty_state(response, sentence, target)


@pytest.mark.django_db
def test_the_filtered_empty_registration_list_offers_to_clear_the_filters(client, event, organiser):
    RegistrationFactory(event=event, person__first_name="Ada")
    client.force_login(organiser)

    response = client.get(
        orga("orga_registration:registrations", event), {"q": "Nobody-by-this-name"}
    )

    assert_empty_state(
        response,
        "No registration matches these filters.",
        orga("orga_registration:registrations", event),
    )


@pytest.mark.django_db
def test_an_account_without_api_tokens_is_sent_to_the_form(client):
    client.force_login(UserFactory())

    response = client.get(reverse("api_tokens:list"))

    assert_empty_state(response, "You have no API tokens yet.", "#create-token")
    assert 'id="create-token"' in page_text(response)


@pytest.fixture
def participant(client, event):
    """A logged-in participant with a confirmed registration who shares a matchmaking profile."""
    user = UserFactory()
    registration = RegistrationFactory(
        event=event,
        person__user=user,
        person__email=user.email,
        consent_matchmaking_at=timezone.now(),
    )
    client.force_login(user)
    return registration


# (url name, sentence, the link it must offer: a url name of the event or None)
PARTICIPANT_PAGES = [
    ("portal:me", "You have not signed up for any session yet.", "public:programme"),
    ("matchmaking:home", "No recommendations for you yet", None),
    ("matchmaking:people", "Nobody else shares a profile yet.", "matchmaking:profile"),
    ("matchmaking:requests", "Nobody has asked you yet.", "matchmaking:profile"),
    ("matchmaking:requests", "You have not asked anybody yet.", "matchmaking:home"),
    ("matchmaking:meetings", "No meetings yet.", "matchmaking:requests"),
    ("followup:surveys", "No survey is open.", "portal:me"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "sentence", "link"), PARTICIPANT_PAGES)
def test_an_empty_participant_list_says_what_to_do(
    client, event, participant, name, sentence, link
):
    response = client.get(orga(name, event))

    assert_empty_state(response, sentence, None if link is None else orga(link, event))


@pytest.mark.django_db
def test_an_empty_recommendation_list_offers_to_browse_people(client, event, participant):
    response = client.get(orga("matchmaking:home", event))

    assert f'href="{orga("matchmaking:people", event)}"' in page_text(response)


@pytest.mark.django_db
def test_browse_people_with_filters_that_fit_nobody_offers_to_clear_them(
    client, event, participant
):
    response = client.get(orga("matchmaking:people", event), {"q": "nobody-by-this-name"})

    assert_empty_state(response, "Nobody fits these filters.", orga("matchmaking:people", event))


@pytest.mark.django_db
def test_an_organiser_without_events_is_offered_to_create_one(client):
    client.force_login(MembershipFactory().user)

    response = client.get(reverse("orga:dashboard"))

    assert_empty_state(response, "No events yet.", reverse("orga:event_create"))
