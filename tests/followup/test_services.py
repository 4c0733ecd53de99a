"""Follow-up services and selectors: meeting feedback, the feedback reminders, partnerships
with their logged history, surveys with their answers, results and non-respondents."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.events.models import SessionType
from clusterhub.followup import selectors, services
from clusterhub.followup.models import (
    Attendance,
    MeetingFeedback,
    Outcome,
    Partnership,
    PartnershipStage,
    PartnershipType,
    QuestionKind,
    Reminder,
    ReminderKind,
    SurveyAnswer,
    SurveyResponse,
)
from clusterhub.matchmaking.models import MeetingStatus
from clusterhub.registration.models import RegistrationStatus, SignUpStatus
from tests.factories import (
    ClusterFactory,
    EventFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    SessionRoleFactory,
    SignUpFactory,
    UserFactory,
    at,
)
from tests.followup.support import code_of, db_state, field_of, meeting

pytestmark = pytest.mark.django_db


# --- meeting feedback ---------------------------------------------------------------------------


def test_feedback_records_one_side_and_logs_it(event):
    m = meeting(event)
    user = UserFactory()

    feedback = services.feedback_record(
        meeting=m, registration=m.a, attendance=Attendance.HELD, rating=4,
        outcome=Outcome.FOLLOW_UP, comment="  Good talk.  ", actor=user,
    )  # fmt: skip

    row = MeetingFeedback.objects.get()
    assert row.pk == feedback.pk
    assert (row.meeting_id, row.registration_id) == (m.pk, m.a_id)
    assert (row.attendance, row.rating, row.outcome, row.comment) == (
        "held",
        4,
        "follow_up",
        "Good talk.",
    )
    entry = ActivityLogEntry.objects.get()
    assert entry.action == "followup.feedback.create"
    assert entry.actor == user
    assert (entry.cluster_id, entry.event_id) == (event.cluster_id, event.pk)
    assert (entry.object_type, entry.object_id) == ("followup.meetingfeedback", str(row.pk))
    assert entry.data == {"attendance": "held", "rating": 4, "outcome": "follow_up"}


def test_feedback_of_both_sides_and_a_change_updates_the_same_row(event):
    m = meeting(event)
    services.feedback_record(meeting=m, registration=m.a, attendance="held", rating=2, actor=None)
    services.feedback_record(meeting=m, registration=m.b, attendance="held", rating=5, actor=None)

    services.feedback_record(
        meeting=m, registration=m.a, attendance="no_show", outcome="", comment="", actor=None
    )

    assert sorted(
        MeetingFeedback.objects.values_list("registration_id", "attendance", "rating")
    ) == sorted([(m.a_id, "no_show", None), (m.b_id, "held", 5)])
    assert list(ActivityLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "followup.feedback.create",
        "followup.feedback.create",
        "followup.feedback.update",
    ]


def test_feedback_refuses_somebody_who_is_not_in_the_meeting(event):
    m = meeting(event)
    stranger = RegistrationFactory(event=event)
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.feedback_record(meeting=m, registration=stranger, attendance="held", actor=None)

    assert code_of(refused) == "not_in_meeting"
    assert db_state() == before


@pytest.mark.parametrize("status", [MeetingStatus.DRAFT, MeetingStatus.CANCELLED])
def test_feedback_refuses_a_meeting_not_published(event, status):
    m = meeting(event, status=status)
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.feedback_record(meeting=m, registration=m.a, attendance="held", actor=None)

    assert code_of(refused) == "not_published"
    assert db_state() == before


def test_feedback_refuses_a_meeting_that_has_not_started(upcoming):
    m = meeting(upcoming)
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.feedback_record(meeting=m, registration=m.b, attendance="held", actor=None)

    assert code_of(refused) == "too_early"
    assert db_state() == before


def test_feedback_is_accepted_from_the_minute_the_meeting_starts(event):
    m = meeting(event, start=timezone.now() - timedelta(seconds=5))

    services.feedback_record(meeting=m, registration=m.a, attendance="held", actor=None)

    assert MeetingFeedback.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"attendance": "maybe"}, "attendance"),
        ({"attendance": "held", "outcome": "marriage"}, "outcome"),
        ({"attendance": "held", "rating": 0}, "rating"),
        ({"attendance": "held", "rating": 6}, "rating"),
    ],
)
def test_feedback_refuses_unknown_values_keyed_by_field(event, values, field):
    m = meeting(event)
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.feedback_record(meeting=m, registration=m.a, actor=None, **values)

    assert code_of(refused) == "bad_choice"
    assert field_of(refused) == field
    assert db_state() == before


# --- feedback reminders -------------------------------------------------------------------------


def test_reminders_are_refused_before_the_event_is_over(upcoming):
    meeting(upcoming)
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.feedback_reminders_send(event=upcoming, actor=None)

    assert code_of(refused) == "event_not_over"
    assert db_state() == before


def test_reminders_are_refused_on_the_events_last_day():
    today = timezone.now().astimezone(EventFactory.build().tzinfo).date()
    event = EventFactory(start_date=today - timedelta(days=1), end_date=today)

    with pytest.raises(ValidationError) as refused:
        services.feedback_reminders_send(event=event, actor=None)

    assert code_of(refused) == "event_not_over"


def test_reminders_mail_only_people_owing_feedback_once_across_reruns(event):
    ada, bo, cy, di, ed = (
        RegistrationFactory(event=event, person__first_name=name)
        for name in ("Ada", "Bo", "Cy", "Di", "Ed")
    )
    gone = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    answered = meeting(event, ada, bo)
    services.feedback_record(meeting=answered, registration=ada, attendance="held", actor=None)
    meeting(event, cy, gone, start=at(event, 9, 30))  # Cy owes; the cancelled one is not mailed
    meeting(event, di, ed, status=MeetingStatus.DRAFT, start=at(event, 10))  # nobody owes
    meeting(EventFactory(cluster=event.cluster, start_date=event.start_date,
                         end_date=event.end_date), start=at(event, 9))  # another event  # fmt: skip
    user = UserFactory()

    sent = services.feedback_reminders_send(event=event, actor=user)

    assert sent == 2
    assert set(Reminder.objects.values_list("event_id", "registration_id", "kind")) == {
        (event.pk, bo.pk, ReminderKind.MEETING_FEEDBACK),
        (event.pk, cy.pk, ReminderKind.MEETING_FEEDBACK),
    }
    mails = list(OutboxMessage.objects.order_by("to"))
    assert sorted(m.to for m in mails) == sorted([bo.person.email, cy.person.email])
    assert all(m.event_id == event.pk for m in mails)
    assert all(m.subject == f"How did your meetings go? {event.name}" for m in mails)
    bo_mail = OutboxMessage.objects.get(to=bo.person.email)
    assert bo.person.full_name in bo_mail.body
    assert f"/events/{event.slug}/matchmaking/meetings/" in bo_mail.body
    entry = ActivityLogEntry.objects.get(action="followup.reminders.meeting_feedback")
    assert (entry.actor, entry.event_id, entry.data) == (user, event.pk, {"sent": 2})

    assert services.feedback_reminders_send(event=event, actor=user) == 0  # the rerun

    assert OutboxMessage.objects.count() == 2
    assert Reminder.objects.count() == 2


def test_reminders_count_only_the_people_actually_mailed(event):
    """ "Returns how many were mailed": a person without an email address is not mailed."""
    with_mail = RegistrationFactory(event=event)
    without_mail = RegistrationFactory(event=event, person__email="")
    meeting(event, with_mail, without_mail)

    sent = services.feedback_reminders_send(event=event, actor=None)

    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [with_mail.person.email]
    assert sent == 1


def test_reminders_reach_somebody_with_one_meeting_answered_and_another_not(event):
    ada = RegistrationFactory(event=event)
    first = meeting(event, ada)
    meeting(event, ada, start=at(event, 9, 30))
    services.feedback_record(meeting=first, registration=ada, attendance="held", actor=None)
    services.feedback_record(meeting=first, registration=first.b, attendance="held", actor=None)

    services.feedback_reminders_send(event=event, actor=None)

    assert ada.pk in set(Reminder.objects.values_list("registration_id", flat=True))
    assert first.b_id not in set(Reminder.objects.values_list("registration_id", flat=True))
    assert OutboxMessage.objects.filter(to=ada.person.email).count() == 1


def test_reminders_send_nobody_a_second_mail_after_new_meetings(event):
    ada = RegistrationFactory(event=event)
    meeting(event, ada)
    services.feedback_reminders_send(event=event, actor=None)
    meeting(event, ada, start=at(event, 9, 30))  # another unanswered meeting afterwards

    services.feedback_reminders_send(event=event, actor=None)

    assert OutboxMessage.objects.filter(to=ada.person.email).count() == 1


# --- partnerships -------------------------------------------------------------------------------


@pytest.fixture
def orgs():
    return [OrganisationFactory(name=n) for n in ("Acme", "Bolt", "Crux")]


def test_partnership_create_with_event_meeting_and_organisations(event, orgs):
    m = meeting(event)
    user = UserFactory()

    p = services.partnership_create(
        cluster=event.cluster, actor=user, title="  Joint pilot  ",
        type=PartnershipType.PILOT, organisations=orgs[:2], event=event, meeting=m,
        next_step="Draft the MoU", next_step_on=date(2027, 1, 15),
    )  # fmt: skip

    p = Partnership.objects.get(pk=p.pk)
    assert (p.cluster, p.event, p.meeting, p.title, p.type, p.stage) == (
        event.cluster, event, m, "Joint pilot", "pilot", PartnershipStage.IDEA
    )  # fmt: skip
    assert (p.next_step, p.next_step_on, p.created_by) == ("Draft the MoU", date(2027, 1, 15), user)
    assert set(p.organisations.all()) == set(orgs[:2])
    entry = ActivityLogEntry.objects.get()
    assert entry.action == "followup.partnership.create"
    assert (entry.cluster_id, entry.event_id, entry.object_id) == (
        event.cluster_id, event.pk, str(p.pk)
    )  # fmt: skip
    assert entry.data["organisations"] == sorted(o.pk for o in orgs[:2])
    assert entry.data["event"] == event.pk
    assert entry.data["meeting"] == m.pk
    assert entry.data["next_step_on"] == "2027-01-15"
    assert entry.data["stage"] == "idea"


def test_partnership_create_accepts_organisations_as_a_queryset(event, orgs):
    """What a ModelMultipleChoiceField hands over (the forms pass `cleaned_data` as is)."""
    from clusterhub.directory.models import Organisation

    p = services.partnership_create(
        cluster=event.cluster, actor=None, title="MoU", type=PartnershipType.MOU,
        organisations=Organisation.objects.filter(pk__in=[orgs[0].pk, orgs[2].pk]),
    )  # fmt: skip

    assert set(p.organisations.all()) == {orgs[0], orgs[2]}
    entry = ActivityLogEntry.objects.get(action="followup.partnership.create")
    assert entry.data["organisations"] == sorted([orgs[0].pk, orgs[2].pk])


def test_partnership_create_logs_the_values_it_stored(event, orgs):
    """The create line is the first line of the history: it must show what was saved."""
    p = services.partnership_create(
        cluster=event.cluster, actor=None, title="  Joint pilot  ", type="pilot",
        organisations=orgs[:1],
    )  # fmt: skip

    entry = ActivityLogEntry.objects.get(action="followup.partnership.create")
    assert p.title == "Joint pilot"
    assert entry.data["title"] == p.title


@pytest.mark.parametrize("missing", ["title", "type", "organisations"])
def test_partnership_create_requires_title_type_and_organisations(event, orgs, missing):
    fields = {"title": "MoU", "type": PartnershipType.MOU, "organisations": orgs[:1]}
    del fields[missing]
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.partnership_create(cluster=event.cluster, actor=None, **fields)

    assert (code_of(refused), field_of(refused)) == ("required", missing)
    assert db_state() == before


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"title": "   "}, "required", "title"),
        ({"organisations": []}, "required", "organisations"),
        ({"type": "merger"}, "bad_choice", "type"),
        ({"stage": "done"}, "bad_choice", "stage"),
    ],
)
def test_partnership_create_refuses_empty_and_unknown_values(event, orgs, overrides, code, field):
    fields = {"title": "MoU", "type": PartnershipType.MOU, "organisations": orgs[:1], **overrides}
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.partnership_create(cluster=event.cluster, actor=None, **fields)

    assert (code_of(refused), field_of(refused)) == (code, field)
    assert db_state() == before


def test_partnership_create_refuses_another_clusters_event(event, orgs):
    elsewhere = EventFactory()
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.partnership_create(
            cluster=event.cluster, actor=None, title="MoU", type="mou", organisations=orgs,
            event=elsewhere,
        )  # fmt: skip

    assert (code_of(refused), field_of(refused)) == ("other_cluster", "event")
    assert db_state() == before


def test_partnership_create_refuses_a_meeting_of_another_event(event, orgs):
    sibling = EventFactory(cluster=event.cluster)
    other_meeting = meeting(sibling)
    before = db_state()

    for event_given in (event, None):
        with pytest.raises(ValidationError) as refused:
            services.partnership_create(
                cluster=event.cluster, actor=None, title="MoU", type="mou", organisations=orgs,
                event=event_given, meeting=other_meeting,
            )  # fmt: skip
        assert (code_of(refused), field_of(refused)) == ("other_event", "meeting")
    assert db_state() == before


def test_partnership_create_refuses_unknown_fields(event, orgs):
    with pytest.raises(TypeError):
        services.partnership_create(
            cluster=event.cluster, actor=None, title="MoU", type="mou", organisations=orgs,
            budget=1000,
        )  # fmt: skip
    assert not Partnership.objects.exists()


@pytest.fixture
def partnership(event, orgs):
    return services.partnership_create(
        cluster=event.cluster, actor=None, title="Pilot", type=PartnershipType.PILOT,
        organisations=orgs[:2], event=event, description="First idea",
    )  # fmt: skip


def test_partnership_update_logs_every_change_with_old_and_new_values(event, orgs, partnership):
    m = meeting(event)
    user = UserFactory()

    services.partnership_update(
        partnership=partnership, actor=user, title="Pilot at Oslo University Hospital",
        stage=PartnershipStage.AGREEMENT, description="First idea", meeting=m,
        organisations=[orgs[2], orgs[0]], next_step_on=date(2027, 3, 1),
    )  # fmt: skip

    p = Partnership.objects.get(pk=partnership.pk)
    assert (p.title, p.stage, p.meeting, p.next_step_on) == (
        "Pilot at Oslo University Hospital",
        "agreement",
        m,
        date(2027, 3, 1),
    )
    assert set(p.organisations.all()) == {orgs[0], orgs[2]}
    entry = ActivityLogEntry.objects.get(action="followup.partnership.update")
    assert entry.actor == user
    assert (entry.cluster_id, entry.event_id, entry.object_id) == (
        event.cluster_id, event.pk, str(p.pk)
    )  # fmt: skip
    assert entry.data == {
        "changes": {
            "title": ["Pilot", "Pilot at Oslo University Hospital"],
            "stage": ["idea", "agreement"],
            "meeting": [None, m.pk],
            "next_step_on": [None, "2027-03-01"],
            "organisations": [sorted([orgs[0].pk, orgs[1].pk]), sorted([orgs[0].pk, orgs[2].pk])],
        }
    }
    history = selectors.partnership_history(partnership=partnership)
    assert [e.action for e in history] == [
        "followup.partnership.create",
        "followup.partnership.update",
    ]


def test_partnership_update_without_a_change_writes_no_log_line(partnership, orgs, event):
    before_updated = Partnership.objects.get(pk=partnership.pk).updated_at
    before = db_state()

    services.partnership_update(
        partnership=partnership, actor=None, title="Pilot", type="pilot", stage="idea",
        description="First idea", organisations=[orgs[1], orgs[0]], event=event, meeting=None,
        next_step="", next_step_on=None,
    )  # fmt: skip

    assert db_state() == before
    assert Partnership.objects.get(pk=partnership.pk).updated_at == before_updated


def test_partnership_update_refuses_another_clusters_event_and_another_events_meeting(
    partnership, event
):
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        services.partnership_update(partnership=partnership, actor=None, event=EventFactory())
    assert (code_of(refused), field_of(refused)) == ("other_cluster", "event")

    sibling_meeting = meeting(EventFactory(cluster=event.cluster))
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        services.partnership_update(partnership=partnership, actor=None, meeting=sibling_meeting)
    assert (code_of(refused), field_of(refused)) == ("other_event", "meeting")

    with pytest.raises(ValidationError) as refused:
        services.partnership_update(partnership=partnership, actor=None, organisations=[])
    assert (code_of(refused), field_of(refused)) == ("required", "organisations")
    assert db_state() == before


def test_partnerships_for_cluster_filters_by_cluster_event_stage_and_type(event, orgs):
    sibling = EventFactory(cluster=event.cluster)

    def make(title, ev, stage, type_, cluster=None):
        return services.partnership_create(
            cluster=cluster or event.cluster, actor=None, title=title, type=type_, stage=stage,
            organisations=orgs[:1], event=ev,
        )  # fmt: skip

    a = make("A", event, "idea", "mou")
    b = make("B", event, "agreement", "mou")
    c = make("C", sibling, "agreement", "pilot")
    d = make("D", None, "idea", "pilot")
    other = ClusterFactory()
    e = make("E", None, "agreement", "mou", cluster=other)

    def titles(**kwargs):
        return sorted(p.title for p in selectors.partnerships_for_cluster(**kwargs))

    assert titles(cluster=event.cluster) == ["A", "B", "C", "D"]
    assert titles(cluster=event.cluster, event=event) == ["A", "B"]
    assert titles(cluster=event.cluster, stage="agreement") == ["B", "C"]
    assert titles(cluster=event.cluster, type="pilot") == ["C", "D"]
    assert titles(cluster=event.cluster, event=event, stage="agreement", type="mou") == ["B"]
    assert titles(clusters=type(other).objects.filter(pk__in=[other.pk, event.cluster.pk])) == [
        "A", "B", "C", "D", "E",
    ]  # fmt: skip
    assert titles(clusters=type(other).objects.filter(pk=other.pk), stage="agreement") == ["E"]
    assert [a.pk, b.pk, c.pk, d.pk, e.pk]  # all made


def test_partnerships_for_cluster_lists_the_newest_change_first(event, orgs):
    first = services.partnership_create(
        cluster=event.cluster, actor=None, title="First", type="mou", organisations=orgs[:1]
    )
    services.partnership_create(
        cluster=event.cluster, actor=None, title="Second", type="mou", organisations=orgs[:1]
    )
    services.partnership_update(partnership=first, actor=None, stage="in_talks")

    assert [p.title for p in selectors.partnerships_for_cluster(cluster=event.cluster)] == [
        "First", "Second",
    ]  # fmt: skip


# --- surveys ------------------------------------------------------------------------------------


def test_survey_create_and_questions_in_order(event):
    user = UserFactory()
    survey = services.survey_create(event=event, actor=user, title="  How was it?  ")

    q1 = services.survey_question_add(
        survey=survey, actor=user, label="Overall", kind=QuestionKind.RATING, required=True
    )
    q2 = services.survey_question_add(survey=survey, actor=user, label=" Ideas? ", kind="text")

    assert (survey.title, survey.event, survey.session, survey.is_open) == (
        "How was it?",
        event,
        None,
        True,
    )
    assert [(q.pk, q.label, q.kind, q.required, q.position) for q in survey.questions.all()] == [
        (q1.pk, "Overall", "rating", True, 0),
        (q2.pk, "Ideas?", "text", False, 1),
    ]
    assert list(
        ActivityLogEntry.objects.order_by("pk").values_list("action", "actor", "event_id")
    ) == [
        ("followup.survey.create", user.pk, event.pk),
        ("followup.survey.question.add", user.pk, event.pk),
        ("followup.survey.question.add", user.pk, event.pk),
    ]


def test_survey_create_refuses_an_empty_title_and_another_events_session(event):
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        services.survey_create(event=event, actor=None, title="  ")
    assert (code_of(refused), field_of(refused)) == ("required", "title")

    with pytest.raises(ValidationError) as refused:
        services.survey_create(
            event=event, actor=None, title="Talk", session=SessionFactory(event=EventFactory())
        )
    assert (code_of(refused), field_of(refused)) == ("other_event", "session")
    assert db_state() == before


def test_survey_question_add_refuses_an_empty_label_and_an_unknown_kind(event):
    survey = services.survey_create(event=event, actor=None, title="S")
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.survey_question_add(survey=survey, actor=None, label=" ", kind="text")
    assert (code_of(refused), field_of(refused)) == ("required", "label")
    with pytest.raises(ValidationError) as refused:
        services.survey_question_add(survey=survey, actor=None, label="Q", kind="essay")
    assert (code_of(refused), field_of(refused)) == ("bad_choice", "kind")
    assert db_state() == before


@pytest.fixture
def survey(event):
    made = services.survey_create(event=event, actor=None, title="The day")
    services.survey_question_add(
        survey=made, actor=None, label="Overall", kind="rating", required=True
    )
    services.survey_question_add(survey=made, actor=None, label="Venue", kind="rating")
    services.survey_question_add(survey=made, actor=None, label="Ideas", kind="text")
    return made


def questions(survey):
    return list(survey.questions.all())


def test_survey_answers_are_saved_and_logged(event, survey):
    overall, venue, ideas = questions(survey)
    ada = RegistrationFactory(event=event)
    user = UserFactory()

    response = services.survey_answer_submit(
        survey=survey, registration=ada, actor=user,
        answers={overall.pk: "4", venue.pk: "", ideas.pk: "  More coffee  "},
    )  # fmt: skip

    assert SurveyResponse.objects.get() == response
    assert (response.survey, response.registration) == (survey, ada)
    assert sorted(SurveyAnswer.objects.values_list("question_id", "rating", "text")) == sorted(
        [(overall.pk, 4, ""), (ideas.pk, None, "More coffee")]
    )  # no row for Venue
    entry = ActivityLogEntry.objects.get(action="followup.survey.answer")
    assert (entry.actor, entry.event_id, entry.object_id) == (user, event.pk, str(response.pk))


def test_resubmitting_replaces_the_answers(event, survey):
    overall, venue, ideas = questions(survey)
    ada = RegistrationFactory(event=event)
    first = services.survey_answer_submit(
        survey=survey, registration=ada, actor=None,
        answers={overall.pk: 2, venue.pk: 3, ideas.pk: "Too long"},
    )  # fmt: skip

    second = services.survey_answer_submit(
        survey=survey, registration=ada, actor=None, answers={overall.pk: 5}
    )

    assert second.pk == first.pk
    assert SurveyResponse.objects.count() == 1
    assert list(SurveyAnswer.objects.values_list("question_id", "rating", "text")) == [
        (overall.pk, 5, "")
    ]


def test_a_closed_survey_refuses_answers(event, survey):
    survey.is_open = False
    survey.save()
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.survey_answer_submit(
            survey=survey, registration=RegistrationFactory(event=event), actor=None,
            answers={questions(survey)[0].pk: 3},
        )  # fmt: skip

    assert code_of(refused) == "closed"
    assert db_state() == before


@pytest.mark.parametrize(
    "registration_of",
    [
        lambda event: RegistrationFactory(event=EventFactory(cluster=event.cluster)),
        lambda event: RegistrationFactory(event=event, status=RegistrationStatus.PENDING),
        lambda event: RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED),
    ],
    ids=["other-event", "pending", "cancelled"],
)
def test_only_confirmed_participants_of_the_event_may_answer(event, survey, registration_of):
    registration = registration_of(event)
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.survey_answer_submit(
            survey=survey, registration=registration, actor=None,
            answers={questions(survey)[0].pk: 3},
        )  # fmt: skip

    assert code_of(refused) == "not_registered"
    assert db_state() == before


def test_a_required_question_left_empty_is_refused_keyed_by_its_id(event, survey):
    overall, venue, _ideas = questions(survey)
    text_required = services.survey_question_add(
        survey=survey, actor=None, label="Why?", kind="text", required=True
    )
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.survey_answer_submit(
            survey=survey, registration=RegistrationFactory(event=event), actor=None,
            answers={overall.pk: "", venue.pk: 7, text_required.pk: "   "},
        )  # fmt: skip

    errors = refused.value.error_dict
    assert set(errors) == {str(overall.pk), str(venue.pk), str(text_required.pk)}
    assert errors[str(overall.pk)][0].code == "required"
    assert errors[str(venue.pk)][0].code == "bad_rating"
    assert errors[str(text_required.pk)][0].code == "required"
    assert db_state() == before


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_one_to_five_is_refused(event, survey, rating):
    overall = questions(survey)[0]
    before = db_state()

    with pytest.raises(ValidationError) as refused:
        services.survey_answer_submit(
            survey=survey, registration=RegistrationFactory(event=event), actor=None,
            answers={overall.pk: rating},
        )  # fmt: skip

    assert refused.value.error_dict[str(overall.pk)][0].code == "bad_rating"
    assert db_state() == before


def test_a_refused_resubmission_keeps_the_earlier_answers(event, survey):
    overall = questions(survey)[0]
    ada = RegistrationFactory(event=event)
    services.survey_answer_submit(
        survey=survey, registration=ada, actor=None, answers={overall.pk: 3}
    )

    with pytest.raises(ValidationError):
        services.survey_answer_submit(
            survey=survey, registration=ada, actor=None, answers={overall.pk: 9}
        )

    assert list(SurveyAnswer.objects.values_list("question_id", "rating")) == [(overall.pk, 3)]


# --- survey selectors ---------------------------------------------------------------------------


def test_survey_results_mean_distribution_and_texts(event, survey):
    overall, venue, ideas = questions(survey)
    given = [(5, None, "Great"), (4, 2, ""), (4, None, "More coffee"), (2, 3, "")]
    for o, v, t in given:
        services.survey_answer_submit(
            survey=survey, registration=RegistrationFactory(event=event), actor=None,
            answers={overall.pk: o, venue.pk: v, ideas.pk: t},
        )  # fmt: skip
    other = services.survey_create(event=event, actor=None, title="Other")
    other_q = services.survey_question_add(survey=other, actor=None, label="X", kind="rating")
    services.survey_answer_submit(
        survey=other, registration=RegistrationFactory(event=event), actor=None,
        answers={other_q.pk: 1},
    )  # fmt: skip

    results = selectors.survey_results(survey=survey)

    assert [r["question"] for r in results] == [overall, venue, ideas]
    # Overall: 5, 4, 4, 2 -> 15 / 4 = 3.75
    assert results[0]["count"] == 4
    assert results[0]["mean"] == 3.75
    assert results[0]["distribution"] == [(1, 0), (2, 1), (3, 0), (4, 2), (5, 1)]
    # Venue: 2, 3 -> 2.5
    assert results[1]["count"] == 2
    assert results[1]["mean"] == 2.5
    assert results[1]["distribution"] == [(1, 0), (2, 1), (3, 1), (4, 0), (5, 0)]
    assert results[2]["count"] == 2
    assert sorted(results[2]["texts"]) == ["Great", "More coffee"]


def test_survey_results_round_the_mean_and_show_none_without_answers(event, survey):
    overall = questions(survey)[0]
    for rating in (5, 4, 4):
        services.survey_answer_submit(
            survey=survey, registration=RegistrationFactory(event=event), actor=None,
            answers={overall.pk: rating},
        )  # fmt: skip

    results = selectors.survey_results(survey=survey)

    assert results[0]["mean"] == 4.33  # 13 / 3
    assert (results[1]["count"], results[1]["mean"]) == (0, None)
    assert results[1]["distribution"] == [(1, 0), (2, 0), (3, 0), (4, 0), (5, 0)]
    assert (results[2]["count"], results[2]["texts"]) == (0, [])


def test_event_survey_non_respondents_are_confirmed_people_without_a_response(event, survey):
    overall = questions(survey)[0]
    ada = RegistrationFactory(event=event, person__last_name="Aalto")
    bo = RegistrationFactory(event=event, person__last_name="Berg")
    cy = RegistrationFactory(event=event, person__last_name="Carr")
    RegistrationFactory(event=event, status=RegistrationStatus.PENDING)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=EventFactory(cluster=event.cluster))
    services.survey_answer_submit(
        survey=survey, registration=bo, actor=None, answers={overall.pk: 4}
    )

    assert list(selectors.survey_non_respondents(survey=survey)) == [ada, cy]


def test_session_survey_non_respondents_are_only_the_sessions_people(event):
    talk = SessionFactory(event=event, title="Keynote", start=at(event, 14), end=at(event, 15))
    other_talk = SessionFactory(event=event, start=at(event, 16), end=at(event, 17))
    survey = services.survey_create(event=event, actor=None, title="Keynote", session=talk)
    question = services.survey_question_add(survey=survey, actor=None, label="Q", kind="text")
    signed = RegistrationFactory(event=event, person__last_name="Aalto")
    SignUpFactory(registration=signed, session=talk)
    speaker = RegistrationFactory(event=event, person__last_name="Berg")
    SessionRoleFactory(session=talk, person=speaker.person, role="speaker")
    answered = RegistrationFactory(event=event, person__last_name="Carr")
    SignUpFactory(registration=answered, session=talk)
    services.survey_answer_submit(
        survey=survey, registration=answered, actor=None, answers={question.pk: "Fine"}
    )
    elsewhere = RegistrationFactory(event=event, person__last_name="Dahl")
    SignUpFactory(registration=elsewhere, session=other_talk)
    RegistrationFactory(event=event, person__last_name="Eide")  # no sign-up, no role
    cancelled = RegistrationFactory(
        event=event, person__last_name="Falk", status=RegistrationStatus.CANCELLED
    )
    SignUpFactory(registration=cancelled, session=talk)
    both = RegistrationFactory(event=event, person__last_name="Gran")  # sign-up and role
    SignUpFactory(registration=both, session=talk)
    SessionRoleFactory(session=talk, person=both.person, role="moderator")

    assert list(selectors.survey_non_respondents(survey=survey)) == [signed, speaker, both]


def test_session_survey_non_respondents_leave_out_the_waitlist(event):
    """The docstring: "those with a seat or a role there". A waitlisted sign-up has no seat:
    the person was not in the room."""
    talk = SessionFactory(event=event, start=at(event, 14), end=at(event, 15))
    survey = services.survey_create(event=event, actor=None, title="Workshop", session=talk)
    seated = RegistrationFactory(event=event)
    SignUpFactory(registration=seated, session=talk)
    waiting = RegistrationFactory(event=event)
    SignUpFactory(registration=waiting, session=talk, status=SignUpStatus.WAITLISTED)

    assert list(selectors.survey_non_respondents(survey=survey)) == [seated]


def test_surveys_for_event_count_responses(event, survey):
    overall = questions(survey)[0]
    session_survey = services.survey_create(
        event=event, actor=None, title="Talk",
        session=SessionFactory(event=event, type=SessionType.TALK),
    )  # fmt: skip
    services.survey_create(event=EventFactory(cluster=event.cluster), actor=None, title="X")
    for _ in range(2):
        services.survey_answer_submit(
            survey=survey, registration=RegistrationFactory(event=event), actor=None,
            answers={overall.pk: 3},
        )  # fmt: skip

    rows = {s.title: s.response_count for s in selectors.surveys_for_event(event=event)}

    assert rows == {"The day": 2, session_survey.title: 0}
