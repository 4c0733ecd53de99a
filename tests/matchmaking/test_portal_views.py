"""The participant's matchmaking pages (/events/<slug>/matchmaking/, namespace `matchmaking`):
home and consent, profile, browsing, a person's page, marks, meeting requests and answers.

A participant sees other people only while they share their own profile (confirmed, with the
matchmaking consent) and matchmaking is open, and only people who share theirs; anybody else
answers 404 and nothing is written."""

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusterhub.common.models import OutboxMessage
from clusterhub.events.models import EventStatus, SessionType
from clusterhub.matchmaking import services
from clusterhub.matchmaking.models import (
    MatchmakingSettings,
    MatchProfile,
    MatchRunStatus,
    MeetingRequest,
    MeetingRequestStatus,
    ProfileMark,
)
from clusterhub.matchmaking.views.portal import PAGE_SIZE
from clusterhub.registration.models import Registration, RegistrationStatus
from tests.factories import (
    EventFactory,
    ProfileMarkFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    at,
)
from tests.matchmaking.view_support import (
    card_names,
    db_state,
    finished_run,
    flashed,
    mm_url,
    page_text,
    participant,
    shared,
)

pytestmark = pytest.mark.django_db


def named(event, first: str, last: str = "Test", **fields) -> Registration:
    """Another participant sharing a profile, called `first last`."""
    return shared(
        event, registration__person__first_name=first, registration__person__last_name=last,
        **fields,
    )  # fmt: skip


def ask(sender: Registration, recipient: Registration, status=MeetingRequestStatus.PENDING,
        message: str = "") -> MeetingRequest:  # fmt: skip
    return MeetingRequest.objects.create(
        event=sender.event, sender=sender, recipient=recipient, status=status, message=message
    )


def refusal_of(**kwargs) -> str:
    """The message `services.meeting_request_send` refuses with."""
    with pytest.raises(ValidationError) as refused:
        services.meeting_request_send(actor=None, message="", **kwargs)
    return refused.value.messages[0]


# --- home and consent -------------------------------------------------------------------------


def test_home_sends_anonymous_visitors_to_the_login_page(client, event):
    response = client.get(mm_url("home", event))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + mm_url("home", event)


def test_home_of_a_draft_event_is_404_for_outsiders_not_for_its_team(client, organiser):
    draft = EventFactory(status=EventStatus.DRAFT, cluster=organiser.cluster_memberships.get()
                         .cluster)  # fmt: skip
    assert client.get(mm_url("home", draft)).status_code == 404  # anonymous: no login detour

    client.force_login(UserFactory())
    assert client.get(mm_url("home", draft)).status_code == 404
    assert client.post(mm_url("consent", draft), {"give": "1"}).status_code == 404

    client.force_login(organiser)
    assert client.get(mm_url("home", draft)).status_code == 200


def test_home_without_a_registration_links_to_the_registration_form(client, event):
    client.force_login(UserFactory())

    response = client.get(mm_url("home", event))

    text = page_text(response)
    assert response.status_code == 200
    assert "Register for the event to get people recommended to you" in text
    assert f'href="{reverse("portal:register", args=[event.slug])}">Register</a>' in text
    assert mm_url("consent", event) not in text


def test_home_of_an_unconfirmed_registration_explains_and_offers_no_consent(client, event):
    participant(client, event, consent=False, status=RegistrationStatus.PENDING)

    text = page_text(client.get(mm_url("home", event)))

    assert "Matchmaking opens for you once your registration is confirmed." in text
    assert "Share my profile for matchmaking" not in text


def test_home_without_consent_offers_the_share_button_which_gives_consent(client, event):
    me = participant(client, event, consent=False)
    text = page_text(client.get(mm_url("home", event)))
    assert f'action="{mm_url("consent", event)}"' in text
    assert '<button type="submit" name="give" value="1">Share my profile for matchmaking' in text
    assert mm_url("people", event) not in text  # nothing to browse before consenting

    response = client.post(mm_url("consent", event), {"give": "1"}, follow=True)

    me.refresh_from_db()
    assert me.consent_matchmaking_at is not None
    text = page_text(response)
    assert "Your profile is shared with the other participants." in text
    assert "Share my profile for matchmaking" not in text
    assert mm_url("people", event) in text


def test_consent_is_post_only_and_needs_a_registration(client, event):
    me = participant(client, event, consent=False)
    before = db_state()
    assert client.get(mm_url("consent", event), {"give": "1"}).status_code == 405

    client.force_login(UserFactory())
    assert client.post(mm_url("consent", event), {"give": "1"}).status_code == 404

    assert db_state() == before
    me.refresh_from_db()
    assert me.consent_matchmaking_at is None


def test_withdrawn_consent_hides_me_from_others_browse_list_and_recommendations(
    client, event, fake_matcher
):
    me = participant(client, event, person__first_name="Olena", person__last_name="Koval")
    other_client = Client()
    participant(other_client, event)
    services.match_run_execute(run=services.match_run_create(event=event, actor=None))
    assert "Olena Koval" in page_text(other_client.get(mm_url("home", event)))
    assert "Olena Koval" in page_text(other_client.get(mm_url("people", event)))
    assert other_client.get(mm_url("person", event, me.pk)).status_code == 200

    response = client.post(mm_url("consent", event), {"give": "0"}, follow=True)

    me.refresh_from_db()
    assert me.consent_matchmaking_at is None
    assert "Your profile is hidden: nobody sees it" in page_text(response)
    assert "Olena Koval" not in page_text(other_client.get(mm_url("home", event)))
    assert "Olena Koval" not in page_text(other_client.get(mm_url("people", event)))
    assert other_client.get(mm_url("person", event, me.pk)).status_code == 404


def test_home_shows_the_latest_finished_runs_recommendations_with_reasons(client, event):
    me = participant(client, event)
    ola, kari = named(event, "Ola", "Nordmann"), named(event, "Kari", "Hansen")
    finished_run(event, [(me, ola, ["old reason"])])
    latest = [
        (me, kari, ["Kari offers a hospital test bed you need"]),
        (me, ola, ["Ola invests in digital pathology", "Across borders"]),
    ]
    finished_run(event, latest)
    finished_run(event, [(me, ola, ["unfinished reason"])], status=MatchRunStatus.RUNNING)

    text = page_text(client.get(mm_url("home", event)))

    assert card_names(text) == ["Kari Hansen", "Ola Nordmann"]  # by rank
    assert "<li>Kari offers a hospital test bed you need</li>" in text
    assert "<li>Ola invests in digital pathology</li><li>Across borders</li>" in text
    assert "old reason" not in text
    assert "unfinished reason" not in text


def test_home_counts_the_requests_waiting_for_my_answer(client, event):
    me = participant(client, event)
    for status in (MeetingRequestStatus.PENDING, MeetingRequestStatus.PENDING,
                   MeetingRequestStatus.DECLINED, MeetingRequestStatus.CANCELLED):  # fmt: skip
        ask(shared(event), me, status=status)
    ask(me, shared(event))  # one I sent: not waiting for me

    text = page_text(client.get(mm_url("home", event)))

    assert "2 people ask to meet you." in text
    assert "No recommendations for you yet" in text


def test_home_while_matchmaking_is_closed_shows_no_recommendations(client, event):
    me = participant(client, event)
    finished_run(event, [(me, named(event, "Ola", "Nordmann"), ["a reason"])])
    MatchmakingSettings.objects.create(event=event, is_open=False)

    text = page_text(client.get(mm_url("home", event)))

    assert "The organisers have not opened matchmaking yet." in text
    assert "Ola Nordmann" not in text


def test_recommended_people_who_withdrew_or_cancelled_are_not_shown(client, event):
    me = participant(client, event)
    withdrew = named(event, "Withdrew", "Consent")
    cancelled = named(event, "Cancelled", "Registration")
    stays = named(event, "Still", "Here")
    finished_run(event, [(me, withdrew, ["w"]), (me, cancelled, ["c"]), (me, stays, ["s"])])
    Registration.objects.filter(pk=withdrew.pk).update(consent_matchmaking_at=None)
    Registration.objects.filter(pk=cancelled.pk).update(status=RegistrationStatus.CANCELLED)

    assert card_names(page_text(client.get(mm_url("home", event)))) == ["Still Here"]
    assert card_names(page_text(client.get(mm_url("people", event)))) == ["Still Here"]
    assert client.get(mm_url("person", event, withdrew.pk)).status_code == 404
    assert client.get(mm_url("person", event, cancelled.pk)).status_code == 404
    assert client.get(mm_url("person", event, stays.pk)).status_code == 200


# --- my profile -------------------------------------------------------------------------------


def test_profile_is_prefilled_from_the_directory_person(client, event):
    participant(client, event, profile=False, person__expertise=["genomics", "AI for imaging"],
                person__bio="I run a biobank in Lviv.")  # fmt: skip

    response = client.get(mm_url("profile", event))

    text = page_text(response)
    assert response.status_code == 200
    assert "genomics\nAI for imaging</textarea>" in text
    assert "I run a biobank in Lviv.</textarea>" in text
    assert not MatchProfile.objects.exists()  # reading never writes


@pytest.fixture
def slots(event):
    """Two networking slots of `event`, a talk of `event`, a networking slot elsewhere."""
    return {
        "first": SessionFactory(event=event, type=SessionType.NETWORKING, title="Speed dating",
                                start=at(event, 12), end=at(event, 13)),
        "second": SessionFactory(event=event, type=SessionType.NETWORKING, title="B2B meetings",
                                 start=at(event, 15), end=at(event, 16)),
        "talk": SessionFactory(event=event, type=SessionType.TALK, title="Keynote"),
        "elsewhere": SessionFactory(event=EventFactory(), type=SessionType.NETWORKING),
    }  # fmt: skip


def profile_data(**overrides) -> dict:
    data = {
        "offers": "hospital test bed\n\n   biobank   access  \nHospital test bed",
        "needs": "clinical validation site",
        "interests": "",
        "about": "  Pathologist in Bergen.  ",
        "objectives": ["partnering", "investment"],
        "preferred_types": ["investor"],
        "preferred_countries": ["UA", "NO"],
    }
    data.update(overrides)
    return data


def test_profile_post_saves_the_profile(client, event, slots):
    MatchmakingSettings.objects.create(event=event, tags=["Digital pathology", "Biobanks"])
    me = participant(client, event, profile=False, person__expertise=["genomics"])

    response = client.post(
        mm_url("profile", event),
        profile_data(tags=["Biobanks"], available_sessions=[slots["second"].pk]),
    )

    assert response.status_code == 302
    assert response["Location"] == mm_url("home", event)
    profile = MatchProfile.objects.get(registration=me)
    assert profile.offers == ["hospital test bed", "biobank access"]  # one per line, each once
    assert profile.needs == ["clinical validation site"]
    assert profile.interests == []
    assert profile.about == "Pathologist in Bergen."
    assert profile.tags == ["Biobanks"]
    assert profile.objectives == ["partnering", "investment"]
    assert profile.preferred_types == ["investor"]
    assert sorted(profile.preferred_countries) == ["NO", "UA"]
    assert list(profile.available_sessions.all()) == [slots["second"]]

    text = page_text(client.get(mm_url("profile", event)))  # shown again as saved
    assert "hospital test bed\nbiobank access</textarea>" in text
    assert "Speed dating" in text
    assert "B2B meetings" in text
    assert "Keynote" not in text


def test_profile_post_replaces_an_existing_profile(client, event, slots):
    me = participant(client, event)
    MatchProfile.objects.get(registration=me).available_sessions.set([slots["first"]])

    response = client.post(
        mm_url("profile", event), profile_data(offers="", objectives=[], available_sessions=[])
    )

    assert response.status_code == 302
    profile = MatchProfile.objects.get(registration=me)
    assert (profile.offers, profile.objectives) == ([], [])
    assert not profile.available_sessions.exists()


def test_profile_with_a_tag_outside_the_taxonomy_is_400_and_saves_nothing(client, event):
    MatchmakingSettings.objects.create(event=event, tags=["Digital pathology", "Biobanks"])
    participant(client, event, profile=False)
    before = db_state()

    response = client.post(mm_url("profile", event), profile_data(tags=["Biobanks", "Quantum"]))

    assert response.status_code == 400
    assert "Select a valid choice. Quantum is not one of the available choices." in (
        page_text(response)
    )
    assert db_state() == before
    assert not MatchProfile.objects.exists()


def test_a_tag_taken_out_of_the_taxonomy_comes_back_after_the_profile_was_edited(client, event):
    """Settings promise: "Removing a tag hides it on the profiles that have it; adding it back
    shows it again." Editing one's profile meanwhile (the form only offers the current tags)
    must not erase the hidden tag."""
    taxonomy = MatchmakingSettings.objects.create(event=event, tags=["Biobanks", "AI"])
    me = participant(client, event)
    MatchProfile.objects.filter(registration=me).update(tags=["Biobanks", "AI"])
    MatchmakingSettings.objects.filter(pk=taxonomy.pk).update(tags=["Biobanks"])  # AI removed

    response = client.post(
        mm_url("profile", event), profile_data(offers="a new offer", tags=["Biobanks"])
    )
    assert response.status_code == 302
    MatchmakingSettings.objects.filter(pk=taxonomy.pk).update(tags=["Biobanks", "AI"])  # back

    viewer = Client()
    participant(viewer, event)
    text = page_text(viewer.get(mm_url("person", event, me.pk)))
    assert '<mark class="tag">Biobanks</mark>' in text
    assert '<mark class="tag">AI</mark>' in text
    assert MatchProfile.objects.get(registration=me).tags == ["Biobanks", "AI"]


@pytest.mark.parametrize("slot", ["talk", "elsewhere"])
def test_profile_refuses_a_slot_that_is_not_one_of_the_events_networking_sessions(
    client, event, slots, slot
):
    participant(client, event, profile=False)
    before = db_state()

    response = client.post(
        mm_url("profile", event),
        profile_data(available_sessions=[slots["first"].pk, slots[slot].pk]),
    )

    assert response.status_code == 400
    assert "Select a valid choice." in page_text(response)
    assert db_state() == before


def test_profile_without_a_registration_sends_to_the_registration_form(client, event):
    client.force_login(UserFactory())

    response = client.post(mm_url("profile", event), profile_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:register", args=[event.slug])
    assert not MatchProfile.objects.exists()


# --- browsing people --------------------------------------------------------------------------


def test_people_lists_only_confirmed_consenting_profiles_and_never_me(client, event):
    participant(client, event, person__first_name="Me", person__last_name="Myself")
    named(event, "Anna", "Berg")
    named(event, "Bo", "Carlsen")
    named(event, "Silent", "One", registration__consent_matchmaking_at=None)
    named(event, "Pending", "One", registration__status=RegistrationStatus.PENDING)
    named(event, "Cancelled", "One", registration__status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=event, consent_matchmaking_at=timezone.now(),
                        person__first_name="No", person__last_name="Profile")  # fmt: skip
    named(EventFactory(), "Elsewhere", "One")

    response = client.get(mm_url("people", event))

    text = page_text(response)
    assert response.status_code == 200
    assert card_names(text) == ["Anna Berg", "Bo Carlsen"]
    assert "2 people share a profile and fit these filters." in text
    for hidden in ("Myself", "Silent", "Pending", "Cancelled", "No Profile", "Elsewhere"):
        assert hidden not in text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("КЛІНІЧН", ["Olena Koval"]),  # Ukrainian, upper case finds lower case
        ("клінічних даних", ["Olena Koval"]),  # every word must match
        ("клінічних sykehus", []),
        ("SYKEHUSPARTNER", ["Kari Nordmann"]),
        ("ØKOSYSTEM", ["Kari Nordmann"]),  # Norwegian letters fold too
        ("koval", ["Olena Koval"]),  # names
        ("organisation", ["Olena Koval", "Kari Nordmann"]),  # organisation names; by last name
        ("biobank", ["Kari Nordmann"]),  # about
    ],
)
def test_people_search_is_case_insensitive_in_any_script(client, event, query, found):
    participant(client, event)
    named(event, "Olena", "Koval", offers=["доступ до клінічних даних"], needs=[])
    named(event, "Kari", "Nordmann", offers=[], needs=["Sykehuspartner i Bergen"],
          interests=["helse-økosystem"], about="We run a biobank.")  # fmt: skip

    text = page_text(client.get(mm_url("people", event), {"q": query}))

    assert card_names(text) == found


def test_people_filters(client, event):
    MatchmakingSettings.objects.create(event=event, tags=["Biobanks", "AI"])
    participant(client, event)
    named(event, "Ina", "Investor", registration__person__organisation__type="investor")
    named(event, "Uma", "Ukraine", registration__person__country="UA")
    named(event, "Obi", "Objective", objectives=["investment", "recruiting"])
    named(event, "Tia", "Tagged", tags=["biobanks"])
    named(event, "Rex", "Retired", tags=["Retired tag"])

    def names(**filters) -> list[str]:
        return card_names(page_text(client.get(mm_url("people", event), filters)))

    everybody = ["Ina Investor", "Obi Objective", "Rex Retired", "Tia Tagged", "Uma Ukraine"]
    assert names() == everybody
    assert names(org_type="investor") == ["Ina Investor"]
    assert names(country="UA") == ["Uma Ukraine"]
    assert names(objective="recruiting") == ["Obi Objective"]
    assert names(tag="Biobanks") == ["Tia Tagged"]  # tags compare case-insensitively
    assert names(tag="AI") == []
    assert names(org_type="investor", country="UA") == []
    assert names(tag="Retired tag") == everybody  # not in the taxonomy: the filter is ignored


def test_people_are_paginated(client, event):
    participant(client, event)
    for i in range(PAGE_SIZE + 6):
        named(event, "Person", f"P{i:02d}")

    first = page_text(client.get(mm_url("people", event), {"q": "person"}))
    second = page_text(client.get(mm_url("people", event), {"q": "person", "page": "2"}))

    assert PAGE_SIZE == 24
    assert card_names(first) == [f"Person P{i:02d}" for i in range(24)]
    assert card_names(second) == [f"Person P{i:02d}" for i in range(24, 30)]
    assert "30 people share a profile and fit these filters." in first
    assert "Page 1 of 2" in first
    assert 'href="?q=person&page=2"' in first


def test_people_query_count_does_not_grow_with_the_number_of_profiles(
    client, event, django_assert_num_queries
):
    MatchmakingSettings.objects.create(event=event, tags=["Biobanks"])
    me = participant(client, event)

    def crowd(n: int) -> None:
        for _ in range(n):
            other = shared(event, tags=["Biobanks"])
            ProfileMarkFactory(from_registration=me, to_registration=other, kind="must_meet")
            ask(me, other)

    crowd(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(mm_url("people", event)).status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(mm_url("people", event)).status_code == 200

    crowd(27)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(mm_url("people", event))
    assert len(card_names(page_text(response))) == PAGE_SIZE


def test_people_is_404_without_my_consent_or_registration(client, event):
    named(event, "Anna", "Berg")
    participant(client, event, consent=False)
    assert client.get(mm_url("people", event)).status_code == 404

    participant(client, event, status=RegistrationStatus.PENDING)
    assert client.get(mm_url("people", event)).status_code == 404

    client.force_login(UserFactory())
    assert client.get(mm_url("people", event)).status_code == 404


def test_closed_matchmaking_hides_people_and_refuses_writes(client, event):
    MatchmakingSettings.objects.create(event=event, is_open=False)
    participant(client, event)
    other = named(event, "Anna", "Berg")
    before = db_state()

    assert client.get(mm_url("people", event)).status_code == 404
    assert client.get(mm_url("person", event, other.pk)).status_code == 404
    assert client.post(mm_url("mark", event, other.pk), {"kind": "must_meet"}).status_code == 404
    assert client.post(mm_url("request_send", event, other.pk), {"message": "Hi"}).status_code == (
        404
    )
    assert db_state() == before


# --- a person's page --------------------------------------------------------------------------


def test_person_page_is_404_for_anybody_not_sharing_and_for_myself(client, event):
    me = participant(client, event)
    silent = named(event, "Silent", "One", registration__consent_matchmaking_at=None)
    cancelled = named(event, "Cancelled", "One",
                      registration__status=RegistrationStatus.CANCELLED)  # fmt: skip
    pending = named(event, "Pending", "One", registration__status=RegistrationStatus.PENDING)
    elsewhere = named(EventFactory(), "Elsewhere", "One")

    for registration in (silent, cancelled, pending, elsewhere, me):
        response = client.get(mm_url("person", event, registration.pk))
        assert response.status_code == 404, registration
        assert registration.person.last_name not in page_text(response)
    assert client.get(mm_url("person", event, 987654)).status_code == 404


def test_person_page_shows_offers_needs_and_the_reasons_i_was_given(client, event):
    MatchmakingSettings.objects.create(event=event, tags=["Biobanks"])
    me = participant(client, event)
    olena = named(event, "Olena", "Koval", offers=["доступ до клінічних даних"],
                  needs=["a Norwegian hospital partner"], tags=["Biobanks", "Dropped tag"],
                  objectives=["research_collaboration"], about="Oncologist in Lviv.")  # fmt: skip
    anna = named(event, "Anna", "Berg")
    finished_run(event, [(me, olena, ["Olena needs what you offer"])])

    text = page_text(client.get(mm_url("person", event, olena.pk)))

    assert "<h3>Olena Koval</h3>" in text
    assert "<li>доступ до клінічних даних</li>" in text
    assert "<li>a Norwegian hospital partner</li>" in text
    assert "Why we recommend this meeting" in text
    assert "<li>Olena needs what you offer</li>" in text
    assert '<mark class="tag">Biobanks</mark>' in text
    assert "Dropped tag" not in text  # no longer in the event's taxonomy
    assert "Research collaboration" in text
    assert "Oncologist in Lviv." in text
    assert f'action="{mm_url("request_send", event, olena.pk)}"' in text

    other = page_text(client.get(mm_url("person", event, anna.pk)))
    assert "Why we recommend this meeting" not in other


# --- marks ------------------------------------------------------------------------------------


def marks() -> list[tuple]:
    return list(ProfileMark.objects.values_list("from_registration_id", "to_registration_id",
                                                "kind"))  # fmt: skip


def test_mark_sets_replaces_and_removes_my_mark(client, event):
    me = participant(client, event)
    anna = named(event, "Anna", "Berg")
    url = mm_url("mark", event, anna.pk)

    response = client.post(url, {"kind": "must_meet"}, follow=True)
    assert marks() == [(me.pk, anna.pk, "must_meet")]
    assert "Anna Berg is on your must-meet list." in page_text(response)
    assert "On your must-meet list." in page_text(response)  # back on her page

    response = client.post(url, {"kind": "no_thanks"}, follow=True)
    assert marks() == [(me.pk, anna.pk, "no_thanks")]
    assert "You will not be recommended to meet Anna Berg." in page_text(response)

    response = client.post(url, {"kind": ""}, follow=True)
    assert marks() == []
    assert "Mark removed." in page_text(response)


def test_mark_with_an_unknown_kind_is_refused(client, event):
    participant(client, event)
    anna = named(event, "Anna", "Berg")
    before = db_state()

    response = client.post(mm_url("mark", event, anna.pk), {"kind": "maybe"}, follow=True)

    assert "Unknown mark." in page_text(response)
    assert db_state() == before


def test_mark_is_post_only(client, event):
    participant(client, event)
    anna = named(event, "Anna", "Berg")

    assert client.get(mm_url("mark", event, anna.pk), {"kind": "must_meet"}).status_code == 405
    assert marks() == []


def test_marking_somebody_not_visible_is_404_and_writes_nothing(client, event):
    participant(client, event)
    silent = named(event, "Silent", "One", registration__consent_matchmaking_at=None)
    cancelled = named(event, "Cancelled", "One",
                      registration__status=RegistrationStatus.CANCELLED)  # fmt: skip
    elsewhere = named(EventFactory(), "Elsewhere", "One")
    before = db_state()

    for registration in (silent, cancelled, elsewhere):
        response = client.post(mm_url("mark", event, registration.pk), {"kind": "no_thanks"})
        assert response.status_code == 404
    assert db_state() == before


def test_mark_returns_to_a_next_on_this_site_only(client, event):
    participant(client, event)
    anna = named(event, "Anna", "Berg")
    url = mm_url("mark", event, anna.pk)
    people = mm_url("people", event) + f"?q=berg#person-{anna.pk}"

    assert client.post(url, {"kind": "must_meet", "next": people})["Location"] == people
    for evil in ("https://evil.example/", "//evil.example/x", "http://testserver.evil/"):
        response = client.post(url, {"kind": "must_meet", "next": evil})
        assert response["Location"] == mm_url("person", event, anna.pk), evil


# --- meeting requests -------------------------------------------------------------------------


def test_request_send_creates_the_request_and_mails_the_recipient(client, event):
    me = participant(client, event, person__first_name="Kari", person__last_name="Nordmann")
    olena = named(event, "Olena", "Koval")

    response = client.post(
        mm_url("request_send", event, olena.pk), {"message": "Let us talk about biobanks."}
    )

    assert response.status_code == 302
    assert response["Location"] == mm_url("requests", event)
    assert flashed(response) == [
        "Your request is sent to Olena Koval. We will email you their answer."
    ]
    request = MeetingRequest.objects.get()
    assert (request.sender, request.recipient, request.status, request.message) == (
        me, olena, MeetingRequestStatus.PENDING, "Let us talk about biobanks."
    )  # fmt: skip
    mail = OutboxMessage.objects.get()
    assert mail.to == olena.person.email
    assert mail.event_id == event.pk
    assert "Kari Nordmann" in mail.subject
    assert "Let us talk about biobanks." in mail.body
    assert django_settings.SITE_URL.rstrip("/") + mm_url("requests", event) in mail.body


def test_request_page_shows_the_state_instead_of_the_form_once_asked(client, event):
    participant(client, event)
    olena = named(event, "Olena", "Koval")
    client.post(mm_url("request_send", event, olena.pk), {"message": "Hi"})

    text = page_text(client.get(mm_url("person", event, olena.pk)))

    assert "Your request is waiting for their answer." in text
    assert mm_url("request_send", event, olena.pk) not in text


def test_a_message_of_exactly_1000_characters_is_accepted(client, event):
    participant(client, event)
    olena = named(event, "Olena", "Koval")

    client.post(mm_url("request_send", event, olena.pk), {"message": "x" * 1000})

    assert MeetingRequest.objects.get().message == "x" * 1000


def refused(client, event, recipient, message="Hello") -> str:
    """Post a request to `recipient`; assert it went back to their page; return the page."""
    response = client.post(
        mm_url("request_send", event, recipient.pk), {"message": message}, follow=True
    )
    assert response.redirect_chain == [(mm_url("person", event, recipient.pk), 302)]
    return page_text(response)


def test_request_refused_when_already_asked(client, event):
    me = participant(client, event)
    olena = named(event, "Olena", "Koval")
    ask(me, olena)
    before = db_state()

    assert "You have already asked this person." in refused(client, event, olena)
    assert db_state() == before


def test_request_refused_when_they_asked_me_first(client, event):
    me = participant(client, event)
    olena = named(event, "Olena", "Koval")
    ask(olena, me)
    before = db_state()

    assert "This person has already asked you: answer their request." in refused(
        client, event, olena
    )
    assert db_state() == before


def test_somebody_who_said_no_thanks_is_gone_for_me_as_if_they_did_not_take_part(client, event):
    me = participant(client, event)
    olena = named(event, "Olena", "Koval")
    silent = shared(event)
    ProfileMarkFactory(from_registration=olena, to_registration=me, kind="no_thanks")
    silent.consent_matchmaking_at = None
    silent.save()
    before = db_state()

    for other in (olena, silent):  # the same answers for both: nothing tells them apart
        assert client.get(mm_url("person", event, other.pk)).status_code == 404
        response = client.post(mm_url("request_send", event, other.pk), {"message": "Hello"})
        assert response.status_code == 404
    assert "Olena" not in page_text(client.get(mm_url("people", event)))
    assert db_state() == before
    # The service, too, gives the words it gives for somebody who does not take part.
    assert refusal_of(sender=me, recipient=olena) == refusal_of(sender=me, recipient=silent)


def test_request_refused_over_the_events_request_limit(client, event):
    MatchmakingSettings.objects.create(event=event, request_limit=2)
    me = participant(client, event)
    ask(me, shared(event), status=MeetingRequestStatus.DECLINED)  # counts
    ask(me, shared(event), status=MeetingRequestStatus.CANCELLED)  # withdrawn: does not count
    ask(me, shared(event))
    olena = named(event, "Olena", "Koval")
    before = db_state()

    assert "You have sent the 2 meeting requests this event allows." in refused(
        client, event, olena
    )
    assert db_state() == before


def test_request_refused_with_a_message_over_1000_characters(client, event):
    participant(client, event)
    olena = named(event, "Olena", "Koval")
    before = db_state()

    text = refused(client, event, olena, message="x" * 1001)

    assert "Ensure this value has at most 1000 characters (it has 1001)." in text
    assert db_state() == before


def test_request_to_somebody_not_visible_is_404(client, event):
    participant(client, event)
    silent = named(event, "Silent", "One", registration__consent_matchmaking_at=None)
    elsewhere = named(EventFactory(), "Elsewhere", "One")
    before = db_state()

    for registration in (silent, elsewhere):
        response = client.post(mm_url("request_send", event, registration.pk), {"message": "Hi"})
        assert response.status_code == 404
    assert db_state() == before


def test_request_send_needs_a_login_and_post(client, event):
    olena = named(event, "Olena", "Koval")
    response = client.post(mm_url("request_send", event, olena.pk), {"message": "Hi"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")

    participant(client, event)
    assert client.get(mm_url("request_send", event, olena.pk)).status_code == 405
    assert not MeetingRequest.objects.exists()


# --- my requests page and answers -------------------------------------------------------------


def test_requests_page_lists_what_i_received_and_what_i_sent(client, event):
    me = participant(client, event)
    ask(named(event, "Olena", "Koval"), me, message="Biobanks?")
    ask(me, named(event, "Anna", "Berg"), message="Pathology?")
    ask(named(event, "Bo", "Carlsen"), named(event, "Dag", "Dahl"), message="Not mine")

    text = page_text(client.get(mm_url("requests", event)))

    received, sent = text.split("You asked</h3>")
    assert "Olena Koval" in received
    assert "Biobanks?" in received
    assert "Anna Berg" not in received
    assert "Anna Berg" in sent
    assert "Pathology?" in sent
    assert "Olena Koval" not in sent
    assert "Not mine" not in text
    assert "Carlsen" not in text


@pytest.mark.parametrize(
    ("decision", "status", "subject"),
    [
        ("accept", MeetingRequestStatus.ACCEPTED, "Olena Koval accepted your meeting request"),
        ("decline", MeetingRequestStatus.DECLINED, "Olena Koval declined your meeting request"),
    ],
)
def test_the_recipient_answers_and_the_sender_is_mailed(client, event, decision, status, subject):
    me = participant(client, event, person__first_name="Olena", person__last_name="Koval")
    kari = named(event, "Kari", "Nordmann")
    request = ask(kari, me)

    response = client.post(
        mm_url("request_answer", event, request.pk),
        {"decision": decision, "response": "Table 4 at 10:30."},
    )

    assert response["Location"] == mm_url("requests", event)
    request.refresh_from_db()
    assert (request.status, request.response) == (status, "Table 4 at 10:30.")
    assert request.answered_at is not None
    mail = OutboxMessage.objects.get()
    assert mail.to == kari.person.email
    assert mail.subject.startswith(subject)
    assert "Table 4 at 10:30." in mail.body


def test_only_the_recipient_may_answer(client, event):
    sender = participant(client, event)
    recipient = named(event, "Olena", "Koval")
    request = ask(sender, recipient)
    stranger = Client()
    participant(stranger, event)
    elsewhere = Client()
    participant(elsewhere, EventFactory())
    before = db_state()

    for someone in (client, stranger, elsewhere):
        response = someone.post(mm_url("request_answer", event, request.pk),
                                {"decision": "accept"})  # fmt: skip
        assert response.status_code == 404
    assert db_state() == before


def test_answering_twice_is_refused_and_changes_nothing(client, event):
    me = participant(client, event)
    request = ask(named(event, "Kari", "Nordmann"), me)
    client.post(mm_url("request_answer", event, request.pk), {"decision": "decline"})
    before = db_state()

    response = client.post(
        mm_url("request_answer", event, request.pk), {"decision": "accept"}, follow=True
    )

    assert "This request has already been answered or withdrawn." in page_text(response)
    assert db_state() == before
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.DECLINED


def test_an_answer_needs_a_decision(client, event):
    me = participant(client, event)
    request = ask(named(event, "Kari", "Nordmann"), me)
    before = db_state()

    response = client.post(mm_url("request_answer", event, request.pk), {"decision": "maybe"},
                           follow=True)  # fmt: skip

    assert "Choose to accept or decline." in page_text(response)
    assert db_state() == before


def test_only_the_sender_may_withdraw_and_an_accepted_meeting_is_announced(client, event):
    me = participant(client, event, person__first_name="Kari", person__last_name="Nordmann")
    olena = named(event, "Olena", "Koval")
    request = ask(me, olena, status=MeetingRequestStatus.ACCEPTED)
    stranger = Client()
    participant(stranger, event)
    before = db_state()

    assert stranger.post(mm_url("request_cancel", event, request.pk)).status_code == 404
    assert db_state() == before

    response = client.post(mm_url("request_cancel", event, request.pk), follow=True)

    assert "Your request is withdrawn." in page_text(response)
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.CANCELLED
    mail = OutboxMessage.objects.get()
    assert mail.to == olena.person.email
    assert mail.subject.startswith("Kari Nordmann cancelled your meeting")

    again = client.post(mm_url("request_cancel", event, request.pk), follow=True)
    assert "This request is no longer open." in page_text(again)
    assert OutboxMessage.objects.count() == 1


def test_the_recipient_cannot_withdraw_a_request(client, event):
    me = participant(client, event)
    request = ask(named(event, "Kari", "Nordmann"), me)
    before = db_state()

    assert client.post(mm_url("request_cancel", event, request.pk)).status_code == 404
    assert db_state() == before


def test_answer_and_cancel_need_a_login(client, event):
    request = ask(named(event, "Kari", "Nordmann"), named(event, "Olena", "Koval"))
    before = db_state()

    for name in ("request_answer", "request_cancel"):
        response = client.post(mm_url(name, event, request.pk), {"decision": "accept"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert db_state() == before


def test_profiles_are_kept_when_consent_is_given_again(client, event):
    me = participant(client, event)
    MatchProfile.objects.filter(registration=me).update(offers=["kept offer"])
    client.post(mm_url("consent", event), {"give": "0"})
    client.post(mm_url("consent", event), {"give": "1"})

    assert MatchProfile.objects.get(registration=me).offers == ["kept offer"]
