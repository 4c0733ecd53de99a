"""The participant's follow-up pages (/events/<slug>/followup/, namespace `followup`): feedback
on one's own published meetings, recording a partnership, and the event's surveys.

Login required; only confirmed participants; another person's meeting answers 404 and nothing
is written."""

import pytest
from django.test import Client

from clusterhub.events.models import EventStatus
from clusterhub.followup import services
from clusterhub.followup.models import MeetingFeedback, Partnership, SurveyAnswer
from clusterhub.matchmaking.models import MeetingStatus
from clusterhub.registration.models import RegistrationStatus
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory
from tests.followup.support import db_state, flashed, fu_url, meeting, page_text, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(event):
    made = services.survey_create(event=event, actor=None, title="How was the day?")
    services.survey_question_add(
        survey=made, actor=None, label="Overall rating", kind="rating", required=True
    )
    services.survey_question_add(survey=made, actor=None, label="Any ideas?", kind="text")
    return made


def urls_of(event, m, survey) -> dict[str, str]:
    return {
        "feedback": fu_url("feedback", event, m.pk),
        "partnership_new": fu_url("partnership_new", event),
        "surveys": fu_url("surveys", event),
        "survey": fu_url("survey", event, survey.pk),
    }


NAMES = ["feedback", "partnership_new", "surveys", "survey"]


def test_every_url_name_is_covered():
    from django.urls import URLPattern

    from clusterhub.followup.urls import portal as portal_urls

    assert {p.name for p in portal_urls.urlpatterns if isinstance(p, URLPattern)} == set(NAMES)


# --- who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_login(client, event, survey, name):
    m = meeting(event)
    url = urls_of(event, m, survey)[name]
    before = db_state()

    response = client.get(url)
    posted = client.post(url, {"attendance": "held", "title": "X"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert posted.status_code == 302
    assert posted["Location"].startswith("/accounts/login/")
    assert db_state() == before


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "status", [None, RegistrationStatus.PENDING, RegistrationStatus.CANCELLED],
    ids=["unregistered", "pending", "cancelled"],
)  # fmt: skip
def test_somebody_not_confirmed_at_the_event_gets_404(client, event, survey, name, status):
    m = meeting(event)
    if status is None:
        client.force_login(UserFactory())
        RegistrationFactory(event=EventFactory(cluster=event.cluster))  # elsewhere only
    else:
        participant(client, event, status=status)
    before = db_state()

    assert client.get(urls_of(event, m, survey)[name]).status_code == 404
    assert client.post(urls_of(event, m, survey)[name], {"attendance": "held"}).status_code == 404
    assert db_state() == before


def test_a_draft_event_answers_404(client):
    draft = EventFactory(status=EventStatus.DRAFT)
    participant(client, draft)

    assert client.get(fu_url("surveys", draft)).status_code == 404


# --- meeting feedback ---------------------------------------------------------------------------


def test_feedback_page_shows_the_other_person(client, event):
    me = participant(client, event)
    m = meeting(event, RegistrationFactory(event=event, person__first_name="Olena"), me)

    response = client.get(fu_url("feedback", event, m.pk))

    assert response.status_code == 200
    text = page_text(response)
    assert f"Your meeting with {m.a.person.full_name}" in text
    assert f"{fu_url('partnership_new', event)}?meeting={m.pk}" in text


def test_feedback_post_saves_and_returns_to_my_meetings(client, event):
    me = participant(client, event)
    m = meeting(event, me)

    response = client.post(
        fu_url("feedback", event, m.pk),
        {"attendance": "held", "rating": "5", "outcome": "partnership_idea", "comment": "Great"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/matchmaking/meetings/"
    assert flashed(response) == ["Thank you: your feedback is saved."]
    assert list(
        MeetingFeedback.objects.values_list(
            "meeting_id", "registration_id", "attendance", "rating", "outcome", "comment"
        )
    ) == [(m.pk, me.pk, "held", 5, "partnership_idea", "Great")]


def test_feedback_form_shows_my_earlier_answer_and_a_change_updates_it(client, event):
    me = participant(client, event)
    m = meeting(event, me)
    services.feedback_record(
        meeting=m, registration=me, attendance="held", rating=2, comment="Meh", actor=None
    )

    text = page_text(client.get(fu_url("feedback", event, m.pk)))
    assert '<option value="2" selected>' in text
    assert 'value="held" required id="id_attendance_0" checked' in text
    assert ">\nMeh</textarea>" in text

    client.post(fu_url("feedback", event, m.pk), {"attendance": "no_show", "rating": ""})

    assert list(MeetingFeedback.objects.values_list("attendance", "rating", "comment")) == [
        ("no_show", None, "")
    ]


def test_feedback_on_somebody_elses_meeting_is_404_and_writes_nothing(client, event):
    participant(client, event)
    theirs = meeting(event)
    before = db_state()

    assert client.get(fu_url("feedback", event, theirs.pk)).status_code == 404
    response = client.post(fu_url("feedback", event, theirs.pk), {"attendance": "held"})

    assert response.status_code == 404
    assert db_state() == before


@pytest.mark.parametrize("status", [MeetingStatus.DRAFT, MeetingStatus.CANCELLED])
def test_feedback_on_my_unpublished_meeting_is_404(client, event, status):
    me = participant(client, event)
    m = meeting(event, me, status=status)
    before = db_state()

    assert client.post(fu_url("feedback", event, m.pk), {"attendance": "held"}).status_code == 404
    assert db_state() == before


def test_feedback_on_a_meeting_of_another_event_is_404(client, event):
    me = participant(client, event)
    sibling = EventFactory(cluster=event.cluster)
    mine_elsewhere = meeting(sibling, RegistrationFactory(event=sibling, person=me.person))
    before = db_state()

    response = client.post(fu_url("feedback", event, mine_elsewhere.pk), {"attendance": "held"})

    assert response.status_code == 404
    assert db_state() == before


def test_feedback_before_the_meeting_has_started_is_refused(client, upcoming):
    me = participant(client, upcoming)
    m = meeting(upcoming, me)
    before = db_state()

    response = client.post(fu_url("feedback", upcoming, m.pk), {"attendance": "held"})

    assert response.status_code == 400
    assert "You can say how it went once the meeting has started." in page_text(response)
    assert db_state() == before


def test_feedback_without_attendance_is_refused(client, event):
    me = participant(client, event)
    m = meeting(event, me)
    before = db_state()

    response = client.post(fu_url("feedback", event, m.pk), {"rating": "3"})

    assert response.status_code == 400
    assert db_state() == before


# --- recording a partnership --------------------------------------------------------------------


def test_partnership_form_offers_my_organisation_and_those_of_people_i_met(client, event):
    mine, theirs, unrelated = (OrganisationFactory(name=n) for n in ("Mine", "Theirs", "Other"))
    me = participant(client, event, person__organisation=mine)
    m = meeting(event, me, RegistrationFactory(event=event, person__organisation=theirs))
    RegistrationFactory(event=event, person__organisation=unrelated)

    response = client.get(fu_url("partnership_new", event) + f"?meeting={m.pk}")

    assert response.status_code == 200
    options = response.context["form"].fields["organisations"].queryset
    assert set(options) == {mine, theirs}
    assert set(response.context["form"].initial["organisations"]) == {mine.pk, theirs.pk}
    assert response.context["form"].initial["meeting"] == m


def test_partnership_new_records_it_with_the_event_and_organisations(client, event):
    mine, theirs = OrganisationFactory(name="Mine"), OrganisationFactory(name="Theirs")
    me = participant(client, event, person__organisation=mine)
    m = meeting(event, me, RegistrationFactory(event=event, person__organisation=theirs))

    response = client.post(
        fu_url("partnership_new", event),
        {
            "title": "Joint Horizon proposal", "type": "joint_proposal", "stage": "in_talks",
            "organisations": [mine.pk, theirs.pk], "event": event.pk, "meeting": m.pk,
            "description": "", "next_step": "Call in January", "next_step_on": "2027-01-10",
        },
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/matchmaking/meetings/"
    p = Partnership.objects.get()
    assert (p.cluster, p.event, p.meeting, p.title, p.type, p.stage, p.created_by) == (
        event.cluster, event, m, "Joint Horizon proposal", "joint_proposal", "in_talks",
        me.person.user,
    )  # fmt: skip
    assert set(p.organisations.all()) == {mine, theirs}


def test_partnership_new_refuses_an_organisation_i_did_not_meet(client, event):
    mine, stranger = OrganisationFactory(), OrganisationFactory()
    participant(client, event, person__organisation=mine)
    before = db_state()

    response = client.post(
        fu_url("partnership_new", event),
        {"title": "X", "type": "mou", "stage": "idea", "organisations": [mine.pk, stranger.pk]},
    )

    assert response.status_code == 400
    assert "organisations" in response.context["form"].errors
    assert db_state() == before


def test_partnership_new_refuses_a_meeting_that_is_not_mine(client, event):
    mine = OrganisationFactory()
    participant(client, event, person__organisation=mine)
    theirs = meeting(event)
    before = db_state()

    response = client.post(
        fu_url("partnership_new", event),
        {"title": "X", "type": "mou", "stage": "idea", "organisations": [mine.pk],
         "event": event.pk, "meeting": theirs.pk},
    )  # fmt: skip

    assert response.status_code == 400
    assert "meeting" in response.context["form"].errors
    assert db_state() == before


def test_partnership_new_without_a_title_is_refused(client, event):
    mine = OrganisationFactory()
    participant(client, event, person__organisation=mine)
    before = db_state()

    response = client.post(
        fu_url("partnership_new", event),
        {"title": "", "type": "mou", "stage": "idea", "organisations": [mine.pk]},
    )

    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert db_state() == before


# --- surveys ------------------------------------------------------------------------------------


def test_surveys_lists_the_open_ones_and_marks_those_answered(client, event, survey):
    me = participant(client, event)
    second = services.survey_create(event=event, actor=None, title="Second survey")
    closed = services.survey_create(event=event, actor=None, title="Closed survey")
    closed.is_open = False
    closed.save()
    services.survey_create(event=EventFactory(), actor=None, title="Another event's survey")
    services.survey_answer_submit(
        survey=survey, registration=me, actor=None,
        answers={survey.questions.first().pk: 4},
    )  # fmt: skip

    response = client.get(fu_url("surveys", event))

    assert response.status_code == 200
    rows = [(r["survey"].title, r["answered"]) for r in response.context["rows"]]
    assert rows == [("How was the day?", True), (second.title, False)]
    text = page_text(response)
    assert fu_url("survey", event, survey.pk) in text
    assert "Closed survey" not in text
    assert "Another event's survey" not in text


def test_survey_form_shows_the_questions(client, event, survey):
    participant(client, event)

    response = client.get(fu_url("survey", event, survey.pk))

    assert response.status_code == 200
    text = page_text(response)
    assert "Overall rating" in text
    assert "Any ideas?" in text


def test_survey_answers_are_saved(client, event, survey):
    me = participant(client, event)
    overall, ideas = survey.questions.all()

    response = client.post(
        fu_url("survey", event, survey.pk), {f"q{overall.pk}": "4", f"q{ideas.pk}": "More time"}
    )

    assert response.status_code == 302
    assert response["Location"] == fu_url("surveys", event)
    assert flashed(response) == ["Thank you for your answers."]
    assert sorted(
        SurveyAnswer.objects.filter(response__registration=me).values_list(
            "question_id", "rating", "text"
        )
    ) == sorted([(overall.pk, 4, ""), (ideas.pk, None, "More time")])


def test_survey_form_shows_my_answers_and_a_resubmission_replaces_them(client, event, survey):
    me = participant(client, event)
    overall, ideas = survey.questions.all()
    client.post(
        fu_url("survey", event, survey.pk), {f"q{overall.pk}": "2", f"q{ideas.pk}": "Shorter"}
    )

    form = client.get(fu_url("survey", event, survey.pk)).context["form"]
    assert form.initial == {f"q{overall.pk}": 2, f"q{ideas.pk}": "Shorter"}

    client.post(fu_url("survey", event, survey.pk), {f"q{overall.pk}": "5"})

    assert list(
        SurveyAnswer.objects.filter(response__registration=me).values_list("question_id", "rating")
    ) == [(overall.pk, 5)]


def test_a_required_question_left_empty_answers_400_and_saves_nothing(client, event, survey):
    participant(client, event)
    overall, ideas = survey.questions.all()
    before = db_state()

    response = client.post(fu_url("survey", event, survey.pk), {f"q{ideas.pk}": "Only this"})

    assert response.status_code == 400
    assert response.context["form"].errors == {f"q{overall.pk}": ["This field is required."]}
    assert db_state() == before


def test_a_rating_outside_the_choices_answers_400(client, event, survey):
    participant(client, event)
    overall = survey.questions.first()
    before = db_state()

    response = client.post(fu_url("survey", event, survey.pk), {f"q{overall.pk}": "9"})

    assert response.status_code == 400
    assert f"q{overall.pk}" in response.context["form"].errors
    assert db_state() == before


def test_a_closed_survey_refuses_answers(client, event, survey):
    participant(client, event)
    survey.is_open = False
    survey.save()
    overall = survey.questions.first()
    before = db_state()

    assert "This survey is closed." in page_text(client.get(fu_url("survey", event, survey.pk)))
    response = client.post(fu_url("survey", event, survey.pk), {f"q{overall.pk}": "4"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["This survey is closed."]
    assert db_state() == before


def test_a_survey_of_another_event_is_404(client, event):
    participant(client, event)
    elsewhere = services.survey_create(event=EventFactory(), actor=None, title="Elsewhere")

    assert client.get(fu_url("survey", event, elsewhere.pk)).status_code == 404


def test_anonymous_post_to_a_survey_goes_to_login_without_saving(event, survey):
    before = db_state()

    response = Client().post(fu_url("survey", event, survey.pk), {"q1": "4"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert db_state() == before
