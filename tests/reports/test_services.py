import pytest
from django.core.exceptions import ValidationError

from clusterhub.common.models import ActivityLogEntry
from clusterhub.events.models import EventStatus
from clusterhub.reports import services
from clusterhub.reports.models import Report, SessionHighlight
from tests.factories import EventFactory, SessionFactory
from tests.followup.support import code_of, field_of


def _actions() -> list[str]:
    return list(ActivityLogEntry.objects.order_by("pk").values_list("action", flat=True))


def test_report_update_creates_the_report_and_logs_the_changed_fields(event, organiser):
    report = services.report_update(
        event=event, actor=organiser, title="  Highlights  ", introduction="Hello\r\n\r\nWorld"
    )
    assert (report.title, report.introduction, report.is_published) == (
        "Highlights", "Hello\n\nWorld", False,
    )  # fmt: skip
    entry = ActivityLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.event_id) == (
        "reports.report.update",
        organiser,
        event.pk,
    )
    assert entry.data == {"fields": ["title", "introduction"]}


def test_report_update_without_a_change_writes_no_log_line(event, organiser):
    services.report_update(event=event, actor=organiser, title="Highlights")
    services.report_update(event=event, actor=organiser, title="Highlights")
    assert _actions() == ["reports.report.update"]
    assert Report.objects.count() == 1


def test_report_update_refuses_a_title_that_is_too_long(event, organiser):
    with pytest.raises(ValidationError) as refused:
        services.report_update(event=event, actor=organiser, title="x" * 201)
    assert (code_of(refused), field_of(refused)) == ("too_long", "title")
    assert not Report.objects.exists()
    assert _actions() == []


def test_session_highlight_set_creates_changes_and_removes_key_messages(event, organiser):
    session = SessionFactory(event=event)
    made = services.session_highlight_set(
        event=event, session=session, key_messages="- One\n\n• Two  ", actor=organiser
    )
    assert made.messages == ["One", "Two"]
    services.session_highlight_set(
        event=event, session=session, key_messages="- One\n\n• Two", actor=organiser
    )  # the same text: nothing to log
    services.session_highlight_set(
        event=event, session=session, key_messages="Three", actor=organiser
    )
    assert SessionHighlight.objects.get().key_messages == "Three"
    assert (
        services.session_highlight_set(
            event=event, session=session, key_messages="  ", actor=organiser
        )
        is None
    )
    assert not SessionHighlight.objects.exists()
    assert _actions() == [
        "reports.highlight.create",
        "reports.highlight.update",
        "reports.highlight.delete",
    ]


def test_session_highlight_set_refuses_another_events_session(event, organiser):
    elsewhere = SessionFactory(event=EventFactory())
    with pytest.raises(ValidationError) as refused:
        services.session_highlight_set(
            event=event, session=elsewhere, key_messages="Leak", actor=organiser
        )
    assert code_of(refused) == "wrong_event"
    assert not SessionHighlight.objects.exists()
    assert not Report.objects.exists()


def test_report_publish_dates_the_first_publication_and_logs_each_change(event, organiser):
    first = services.report_publish(event=event, publish=True, actor=organiser)
    published_at = first.published_at
    assert first.is_published
    assert published_at is not None
    assert (
        services.report_publish(event=event, publish=True, actor=organiser).published_at
        == published_at
    )
    back = services.report_publish(event=event, publish=False, actor=organiser)
    again = services.report_publish(event=event, publish=True, actor=organiser)
    assert (back.is_published, again.published_at) == (False, published_at)
    assert _actions() == [
        "reports.report.publish",
        "reports.report.unpublish",
        "reports.report.publish",
    ]


def test_report_publish_refuses_a_draft_event(organiser, event):
    event.status = EventStatus.DRAFT
    event.save()
    with pytest.raises(ValidationError) as refused:
        services.report_publish(event=event, publish=True, actor=organiser)
    assert code_of(refused) == "event_not_published"
    assert not Report.objects.filter(is_published=True).exists()
    assert _actions() == []
