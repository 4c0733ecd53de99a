"""The organiser's follow-up pages (/orga/events/<slug>/followup/, namespace `orga_followup`,
and /orga/partnerships/ across the user's clusters): partnerships with their history and
filters, surveys with results and non-respondents, and the meeting-feedback reminders.

Owners and organisers of the host cluster only: anonymous → login, outside the team → 404,
check-in staff → 403; nothing is written unless allowed."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.directory.models import ClusterRole
from clusterhub.followup import services
from clusterhub.followup.models import Partnership, Reminder, Survey, SurveyQuestion
from clusterhub.followup.urls import orga as orga_urls
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    SignUpFactory,
    UserFactory,
    at,
)
from tests.followup.support import db_state, flashed, meeting, orga_url, page_text

pytestmark = pytest.mark.django_db

NAMES = ["partnerships", "partnership_new", "partnership", "surveys", "survey", "reminders"]
CLUSTER_PARTNERSHIPS = reverse("cluster_partnerships")


@pytest.fixture
def orgs():
    return [OrganisationFactory(name=n) for n in ("Acme Robotics", "Bolt Health", "Crux Labs")]


@pytest.fixture
def partnership(event, orgs):
    return services.partnership_create(
        cluster=event.cluster, actor=None, title="Hospital pilot", type="pilot",
        organisations=orgs[:2], event=event,
    )  # fmt: skip


@pytest.fixture
def survey(event):
    return services.survey_create(event=event, actor=None, title="The day")


def url_of(name: str, event, partnership, survey) -> str:
    if name == "partnership":
        return orga_url(name, event, partnership.pk)
    if name == "survey":
        return orga_url(name, event, survey.pk)
    return orga_url(name, event)


POST = {"title": "Posted", "type": "mou", "stage": "idea", "label": "Posted?", "kind": "text"}


# The KPI dashboard pages joined the namespace while these tests were written; they belong to
# the KPI work and its own tests, as the exports belong to test_exports.py (permissions
# included). Any other new page must be added to NAMES.
EXPORT_NAMES = {
    "exports", "export_signups", "export_profiles", "export_meetings", "export_outcomes",
    "export_partnerships",
}  # fmt: skip
KPI_NAMES = {"dashboard", "dashboard_export", *EXPORT_NAMES}


def test_permission_tests_cover_every_url_name():
    names = {p.name for p in orga_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names - KPI_NAMES == set(NAMES)


# --- who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [*NAMES, "cluster_partnerships"])
def test_anonymous_is_sent_to_login(client, event, partnership, survey, name, method):
    url = (
        CLUSTER_PARTNERSHIPS
        if name == "cluster_partnerships"
        else url_of(name, event, partnership, survey)
    )
    before = db_state()

    response = getattr(client, method)(url, POST)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert db_state() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", NAMES)
def test_organiser_of_another_cluster_gets_404(client, event, partnership, survey, name, method):
    client.force_login(MembershipFactory(role=ClusterRole.OWNER).user)
    before = db_state()

    response = getattr(client, method)(url_of(name, event, partnership, survey), POST)

    assert response.status_code == 404
    assert event.name not in page_text(response)
    assert db_state() == before


def test_cluster_partnerships_lists_only_the_users_own_clusters(client, event, partnership, orgs):
    other = EventFactory()
    services.partnership_create(
        cluster=other.cluster, actor=None, title="Their secret MoU", type="mou",
        organisations=orgs[2:], event=other,
    )  # fmt: skip
    client.force_login(MembershipFactory(cluster=other.cluster).user)

    text = page_text(client.get(CLUSTER_PARTNERSHIPS))

    assert "Their secret MoU" in text
    assert "Hospital pilot" not in text


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [*NAMES, "cluster_partnerships"])
def test_checkin_staff_get_403(client, event, partnership, survey, name, method):
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)
    url = (
        CLUSTER_PARTNERSHIPS
        if name == "cluster_partnerships"
        else url_of(name, event, partnership, survey)
    )
    before = db_state()

    response = getattr(client, method)(url, POST)

    assert response.status_code == 403
    assert db_state() == before


def test_checkin_staff_never_see_the_clusters_partnerships(client, event, partnership):
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)

    response = client.get(CLUSTER_PARTNERSHIPS)

    assert "Hospital pilot" not in page_text(response)


@pytest.mark.parametrize("role", [ClusterRole.ORGANISER, ClusterRole.OWNER])
@pytest.mark.parametrize(
    "name", ["partnerships", "partnership_new", "partnership", "surveys", "survey"]
)
def test_organisers_and_owners_open_the_pages(client, event, partnership, survey, name, role):
    client.force_login(MembershipFactory(cluster=event.cluster, role=role).user)

    assert client.get(url_of(name, event, partnership, survey)).status_code == 200


def test_organiser_opens_cluster_partnerships_and_reminders_is_post_only(
    client, event, organiser, partnership
):
    client.force_login(organiser)
    before = db_state()

    response = client.get(CLUSTER_PARTNERSHIPS)

    assert response.status_code == 200
    assert "Hospital pilot" in page_text(response)
    assert client.get(orga_url("reminders", event)).status_code == 405
    assert db_state() == before


def test_a_partnership_or_survey_of_another_cluster_or_event_is_404(client, event, organiser, orgs):
    theirs = EventFactory()
    their_partnership = services.partnership_create(
        cluster=theirs.cluster, actor=None, title="Theirs", type="mou", organisations=orgs[:1]
    )
    sibling_survey = services.survey_create(
        event=EventFactory(cluster=event.cluster), actor=None, title="Sibling"
    )
    client.force_login(organiser)
    before = db_state()

    assert client.get(orga_url("partnership", event, their_partnership.pk)).status_code == 404
    assert (
        client.post(orga_url("partnership", event, their_partnership.pk), POST).status_code == 404
    )
    assert client.get(orga_url("survey", event, sibling_survey.pk)).status_code == 404
    assert client.post(orga_url("survey", event, sibling_survey.pk), POST).status_code == 404
    assert db_state() == before


# --- partnerships -------------------------------------------------------------------------------


def partnership_data(orgs, for_event, **overrides) -> dict:
    data = {
        "title": "Joint pilot", "type": "pilot", "stage": "idea",
        "organisations": [o.pk for o in orgs], "event": for_event.pk, "meeting": "",
        "description": "", "next_step": "", "next_step_on": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_partnership_new_form_starts_with_the_event(client, event, organiser):
    client.force_login(organiser)

    form = client.get(orga_url("partnership_new", event)).context["form"]

    assert form.initial["event"] == event
    assert set(form.fields["event"].queryset) == {event}


def test_partnership_new_records_it(client, event, organiser, orgs):
    m = meeting(event)
    client.force_login(organiser)

    response = client.post(
        orga_url("partnership_new", event),
        partnership_data(orgs[:2], event, stage="in_talks", meeting=m.pk,
                         next_step="Sign", next_step_on="2027-02-01"),
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == orga_url("partnerships", event)
    assert flashed(response) == ["Partnership recorded."]
    p = Partnership.objects.get()
    assert (p.cluster, p.event, p.meeting, p.title, p.stage, p.next_step_on, p.created_by) == (
        event.cluster, event, m, "Joint pilot", "in_talks", date(2027, 2, 1), organiser
    )  # fmt: skip
    assert set(p.organisations.all()) == set(orgs[:2])


def test_partnership_new_refuses_another_clusters_event_and_missing_organisations(
    client, event, organiser, orgs
):
    client.force_login(organiser)
    before = db_state()

    response = client.post(
        orga_url("partnership_new", event),
        partnership_data([], event, event=EventFactory().pk),
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"event", "organisations"}
    assert db_state() == before


def test_partnership_new_refuses_a_meeting_of_another_event(client, event, organiser, orgs):
    sibling_meeting = meeting(EventFactory(cluster=event.cluster))
    client.force_login(organiser)
    before = db_state()

    response = client.post(
        orga_url("partnership_new", event),
        partnership_data(orgs[:1], event, meeting=sibling_meeting.pk),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "meeting": ["The meeting must be one of the event's."]
    }
    assert db_state() == before


def test_partnership_edit_saves_and_shows_the_history(client, event, organiser, orgs, partnership):
    client.force_login(organiser)
    form = client.get(orga_url("partnership", event, partnership.pk)).context["form"]
    assert form.initial["title"] == "Hospital pilot"
    assert set(form.initial["organisations"]) == set(orgs[:2])

    response = client.post(
        orga_url("partnership", event, partnership.pk),
        partnership_data(orgs[:2], event, title="Hospital pilot", stage="agreement",
                         next_step="Kick-off"),
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == orga_url("partnerships", event)
    assert flashed(response) == ["Partnership saved."]
    partnership.refresh_from_db()
    assert (partnership.stage, partnership.next_step) == ("agreement", "Kick-off")
    entry = ActivityLogEntry.objects.get(action="followup.partnership.update")
    assert entry.actor == organiser
    assert entry.data == {
        "changes": {"stage": ["idea", "agreement"], "next_step": ["", "Kick-off"]}
    }
    text = page_text(client.get(orga_url("partnership", event, partnership.pk)))
    assert "History" in text
    assert "recorded" in text
    assert "stage: idea → agreement" in text
    assert "next_step: — → Kick-off" in text
    assert str(organiser) in text


def test_partnership_edit_without_changes_logs_nothing(client, event, organiser, orgs, partnership):
    client.force_login(organiser)
    before = db_state()

    response = client.post(
        orga_url("partnership", event, partnership.pk),
        partnership_data(orgs[:2], event, title="Hospital pilot", type="pilot"),
    )

    assert response.status_code == 302
    assert db_state() == before


def test_partnership_edit_refuses_an_empty_title(client, event, organiser, orgs, partnership):
    client.force_login(organiser)
    before = db_state()

    response = client.post(
        orga_url("partnership", event, partnership.pk), partnership_data(orgs[:2], event, title="")
    )

    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert db_state() == before


@pytest.fixture
def several(event, orgs):
    """Four partnerships of the event, one of a sibling event and one of another cluster."""
    sibling = EventFactory(cluster=event.cluster, name="Sibling event")
    other = EventFactory()
    made = {}
    for title, ev, stage, type_ in [
        ("Alpha MoU", event, "idea", "mou"),
        ("Beta pilot", event, "agreement", "pilot"),
        ("Gamma MoU", event, "agreement", "mou"),
        ("Delta training", event, "running", "training_exchange"),
        ("Sibling pilot", sibling, "agreement", "pilot"),
        ("Foreign MoU", other, "agreement", "mou"),
    ]:
        made[title] = services.partnership_create(
            cluster=ev.cluster, actor=None, title=title, type=type_, stage=stage,
            organisations=orgs[:2], event=ev,
        )  # fmt: skip
    return made


ALL = {"Alpha MoU", "Beta pilot", "Gamma MoU", "Delta training", "Sibling pilot", "Foreign MoU"}


def listed(response) -> set[str]:
    text = page_text(response)
    return {title for title in ALL if title in text}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Alpha MoU", "Beta pilot", "Gamma MoU", "Delta training"}),
        ({"stage": "agreement"}, {"Beta pilot", "Gamma MoU"}),
        ({"type": "mou"}, {"Alpha MoU", "Gamma MoU"}),
        ({"stage": "agreement", "type": "pilot"}, {"Beta pilot"}),
        ({"stage": "", "type": ""}, {"Alpha MoU", "Beta pilot", "Gamma MoU", "Delta training"}),
    ],
)
def test_event_partnerships_filter_by_stage_and_type(
    client, event, organiser, several, query, expected
):
    client.force_login(organiser)

    response = client.get(orga_url("partnerships", event), query)

    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Alpha MoU", "Beta pilot", "Gamma MoU", "Delta training", "Sibling pilot"}),
        ({"stage": "agreement"}, {"Beta pilot", "Gamma MoU", "Sibling pilot"}),
        ({"type": "pilot"}, {"Beta pilot", "Sibling pilot"}),
    ],
)
def test_cluster_partnerships_filter_by_stage_and_type(
    client, event, organiser, several, query, expected
):
    client.force_login(organiser)

    response = client.get(CLUSTER_PARTNERSHIPS, query)

    assert response.status_code == 200
    assert listed(response) == expected
    if "Sibling pilot" in expected:
        assert "Sibling event" in page_text(response)


def test_cluster_partnerships_spans_every_cluster_the_user_organises(client, event, several):
    user = UserFactory()
    MembershipFactory(cluster=event.cluster, user=user, role=ClusterRole.OWNER)
    other_cluster = several["Foreign MoU"].cluster
    MembershipFactory(cluster=other_cluster, user=user, role=ClusterRole.ORGANISER)
    client.force_login(user)

    assert listed(client.get(CLUSTER_PARTNERSHIPS)) == ALL


def make_partnerships(event, first: int, n: int) -> None:
    for i in range(first, first + n):
        orgs = [OrganisationFactory(), OrganisationFactory()]
        services.partnership_create(
            cluster=event.cluster, actor=None, title=f"P{i}", type="mou", organisations=orgs,
            event=event, meeting=meeting(event) if i % 2 else None,
            next_step="Call", next_step_on=date(2027, 1, 1),
        )  # fmt: skip


@pytest.mark.parametrize("page", ["event", "cluster"])
def test_partnership_lists_take_the_same_queries_for_2_and_10_rows(
    client, event, organiser, django_assert_num_queries, page
):
    client.force_login(organiser)
    url = orga_url("partnerships", event) if page == "event" else CLUSTER_PARTNERSHIPS
    make_partnerships(event, 0, 2)
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    make_partnerships(event, 2, 8)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    text = page_text(response)
    assert all(f">P{i}<" in text for i in range(10))


# --- surveys ------------------------------------------------------------------------------------


def test_survey_create_goes_to_the_new_survey(client, event, organiser):
    talk = SessionFactory(event=event, title="Keynote")
    client.force_login(organiser)

    response = client.post(orga_url("surveys", event), {"title": "Keynote feedback",
                                                        "session": talk.pk})  # fmt: skip

    survey = Survey.objects.get()
    assert (survey.event, survey.session, survey.title) == (event, talk, "Keynote feedback")
    assert response.status_code == 302
    assert response["Location"] == orga_url("survey", event, survey.pk)
    assert ActivityLogEntry.objects.get().action == "followup.survey.create"


def test_survey_create_refuses_an_empty_title_and_another_events_session(client, event, organiser):
    client.force_login(organiser)
    before = db_state()

    response = client.post(
        orga_url("surveys", event),
        {"title": "", "session": SessionFactory(event=EventFactory(cluster=event.cluster)).pk},
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "session"}
    assert db_state() == before


def test_surveys_list_with_answer_counts(client, event, organiser, survey):
    question = services.survey_question_add(survey=survey, actor=None, label="Q", kind="rating")
    for _ in range(3):
        services.survey_answer_submit(
            survey=survey, registration=RegistrationFactory(event=event), actor=None,
            answers={question.pk: 4},
        )  # fmt: skip
    services.survey_create(event=EventFactory(cluster=event.cluster), actor=None, title="Other")
    client.force_login(organiser)

    response = client.get(orga_url("surveys", event))

    assert [(s.title, s.response_count) for s in response.context["surveys"]] == [("The day", 3)]
    text = page_text(response)
    assert f'{orga_url("survey", event, survey.pk)}">The day</a>' in text
    assert '<td class="number">3</td>' in text
    assert "Other" not in [s.title for s in response.context["surveys"]]


def test_add_question_to_a_survey(client, event, organiser, survey):
    client.force_login(organiser)

    response = client.post(
        orga_url("survey", event, survey.pk),
        {"label": "How useful were the meetings?", "kind": "rating", "required": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == orga_url("survey", event, survey.pk)
    assert flashed(response) == ["Question added."]
    assert list(SurveyQuestion.objects.values_list("survey_id", "label", "kind", "required")) == [
        (survey.pk, "How useful were the meetings?", "rating", True)
    ]


def test_add_question_refuses_an_unknown_kind(client, event, organiser, survey):
    client.force_login(organiser)
    before = db_state()

    response = client.post(orga_url("survey", event, survey.pk), {"label": "Q", "kind": "essay"})

    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert db_state() == before


def test_survey_page_shows_results_and_non_respondents(client, event, organiser, survey):
    rating = services.survey_question_add(survey=survey, actor=None, label="Overall", kind="rating")
    text_q = services.survey_question_add(survey=survey, actor=None, label="Ideas", kind="text")
    for value, idea, last_name in [(5, "More coffee", "Aas"), (4, "", "Berg"), (2, "", "Carr")]:
        services.survey_answer_submit(
            survey=survey,
            registration=RegistrationFactory(event=event, person__last_name=last_name),
            actor=None, answers={rating.pk: value, text_q.pk: idea},
        )  # fmt: skip
    silent = RegistrationFactory(
        event=event, person__first_name="Silvia", person__last_name="Quiet",
        person__organisation=OrganisationFactory(name="Hush Ltd"),
    )  # fmt: skip
    client.force_login(organiser)

    response = client.get(orga_url("survey", event, survey.pk))

    assert response.status_code == 200
    text = page_text(response)
    # 5 + 4 + 2 = 11 / 3 = 3.67
    assert "Mean <strong>3.67</strong> · 1: 0 · 2: 1 · 3: 0 · 4: 1 · 5: 1" in text
    assert "<li>More coffee</li>" in text
    assert "1 participant has not answered yet" in text
    assert list(response.context["non_respondents"]) == [silent]
    assert "Silvia Quiet" in text
    assert "Hush Ltd" in text


def test_session_survey_page_lists_only_the_sessions_people(client, event, organiser):
    talk = SessionFactory(event=event, start=at(event, 14), end=at(event, 15))
    survey = services.survey_create(event=event, actor=None, title="Talk", session=talk)
    there = RegistrationFactory(event=event, person__first_name="Theresa")
    SignUpFactory(registration=there, session=talk)
    RegistrationFactory(event=event, person__first_name="Absent")
    client.force_login(organiser)

    response = client.get(orga_url("survey", event, survey.pk))

    assert list(response.context["non_respondents"]) == [there]
    assert "Absent" not in page_text(response)


# --- reminders ----------------------------------------------------------------------------------


def test_reminders_before_the_event_is_over_only_say_so(client, upcoming):
    meeting(upcoming)
    client.force_login(MembershipFactory(cluster=upcoming.cluster).user)
    before = db_state()

    response = client.post(orga_url("reminders", upcoming))

    assert response.status_code == 302
    assert response["Location"] == orga_url("partnerships", upcoming)
    assert flashed(response) == ["Reminders go out once the event is over."]
    assert db_state() == before


def test_reminders_after_the_event_mail_the_people_owing_feedback_once(client, event, organiser):
    ada, bo = RegistrationFactory(event=event), RegistrationFactory(event=event)
    meeting(event, ada, bo)
    client.force_login(organiser)

    response = client.post(orga_url("reminders", event))

    assert response.status_code == 302
    assert response["Location"] == orga_url("partnerships", event)
    assert flashed(response) == ["2 people reminded to give meeting feedback."]
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [ada.person.email, bo.person.email]
    )
    assert set(Reminder.objects.values_list("registration_id", flat=True)) == {ada.pk, bo.pk}
    assert (
        ActivityLogEntry.objects.get(action="followup.reminders.meeting_feedback").actor
        == organiser
    )
    client.get(response["Location"])  # the message is shown there

    again = client.post(orga_url("reminders", event))

    assert flashed(again) == ["0 people reminded to give meeting feedback."]
    assert OutboxMessage.objects.count() == 2
