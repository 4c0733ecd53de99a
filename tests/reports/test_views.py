import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry
from clusterhub.events.models import EventStatus
from clusterhub.reports import rendering, services
from clusterhub.reports.models import Report, SessionHighlight
from tests.factories import UserFactory
from tests.reports.support import (
    extra_talks,
    meetings_with_feedback,
    page_text,
    participants,
    programme,
)

pytestmark = pytest.mark.urls("tests.reports.urls")

PREVIEW = "Preview — not public"


def public(name, event):
    return reverse(f"report:{name}", args=[event.slug])


def orga(name, event):
    return reverse(f"orga_report:{name}", args=[event.slug])


def test_a_published_report_is_public(client, world, organiser):
    services.report_publish(event=world.event, publish=True, actor=organiser)
    response = client.get(public("page", world.event))
    text = page_text(response)
    assert response.status_code == 200
    assert "Highlights from Oslo Deep Dive Days 2025" in text
    assert PREVIEW not in text
    assert "Edit the report" not in text


@pytest.mark.parametrize("name", ["page", "pdf"])
def test_an_unpublished_report_is_not_found_by_the_public_or_another_cluster(
    client, event, outsider, name
):
    programme(event)
    assert client.get(public(name, event)).status_code == 404
    client.force_login(outsider)
    assert client.get(public(name, event)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(public(name, event)).status_code == 404


def test_a_published_report_of_a_draft_event_stays_hidden(client, event, organiser, outsider):
    services.report_publish(event=event, publish=True, actor=organiser)
    event.status = EventStatus.DRAFT
    event.save()
    assert client.get(public("page", event)).status_code == 404
    client.force_login(organiser)
    assert PREVIEW in page_text(client.get(public("page", event)))


@pytest.mark.parametrize("who", ["organiser", "checkin_staff"])
def test_the_team_sees_an_unpublished_report_as_a_preview(client, world, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(public("page", world.event))
    text = page_text(response)
    assert response.status_code == 200
    assert PREVIEW in text
    assert "Highlights from Oslo Deep Dive Days 2025" in text
    assert ("Edit the report" in text) == (who == "organiser")


@pytest.mark.parametrize(
    ("name", "method"), [("edit", "get"), ("edit", "post"), ("preview", "get"),
                         ("publish", "post"), ("pdf", "get")],
)  # fmt: skip
def test_orga_pages_answer_404_to_another_cluster_and_403_to_checkin_staff(
    client, event, outsider, checkin_staff, name, method
):
    data = {"publish": "1", "title": "Hijacked"}
    client.force_login(outsider)
    assert getattr(client, method)(orga(name, event), data).status_code == 404
    client.force_login(checkin_staff)
    assert getattr(client, method)(orga(name, event), data).status_code == 403
    assert not Report.objects.exists()
    assert not ActivityLogEntry.objects.exists()


def test_orga_pages_send_anonymous_visitors_to_log_in(client, event):
    response = client.get(orga("edit", event))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_organiser_writes_the_texts_and_key_messages_on_one_page(client, world, organiser):
    client.force_login(organiser)
    page = client.get(orga("edit", world.event))
    assert page.status_code == 200
    fields = {
        "title": "Highlights", "introduction": "We met.", "closing": "Thanks.",
        "list_partnerships": "on",
        f"key_messages_{world.part_two.pk}": "Partnerships are essential.\nUnite.",
        f"key_messages_{world.plenary.pk}": "",
    }  # fmt: skip
    response = client.post(orga("edit", world.event), fields)
    assert response.status_code == 302
    report = Report.objects.get(event=world.event)
    assert (report.title, report.introduction, report.closing) == (
        "Highlights",
        "We met.",
        "Thanks.",
    )
    assert list(SessionHighlight.objects.values_list("session_id", "key_messages")) == [
        (world.part_two.pk, "Partnerships are essential.\nUnite.")
    ]
    assert "Partnerships are essential." in page_text(client.get(orga("preview", world.event)))


def test_a_too_long_key_message_is_refused_on_the_form(client, world, organiser):
    client.force_login(organiser)
    response = client.post(
        orga("edit", world.event), {f"key_messages_{world.plenary.pk}": "x" * 3001}
    )
    assert response.status_code == 400
    assert "at most 3000 characters" in page_text(response)
    assert not SessionHighlight.objects.exists()


def test_the_organiser_publishes_and_takes_back_the_report(client, world, organiser):
    client.force_login(organiser)
    client.post(orga("publish", world.event), {"publish": "1"})
    assert Report.objects.get().is_published
    client.logout()
    assert client.get(public("page", world.event)).status_code == 200
    client.force_login(organiser)
    client.post(orga("publish", world.event), {"publish": "0"})
    client.logout()
    assert client.get(public("page", world.event)).status_code == 404


def test_publishing_the_report_of_a_draft_event_is_refused_with_a_message(client, event, organiser):
    event.status = EventStatus.DRAFT
    event.save()
    client.force_login(organiser)
    response = client.post(orga("publish", event), {"publish": "1"}, follow=True)
    assert "Publish the event first" in page_text(response)
    assert not Report.objects.filter(is_published=True).exists()


def test_the_pdf_is_a_pdf_named_after_the_event(client, world, organiser):
    services.report_publish(event=world.event, publish=True, actor=organiser)
    response = client.get(public("pdf", world.event))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{world.event.slug}-highlights.pdf"' in response["Content-Disposition"]


def test_a_published_pdf_is_rendered_once_per_version_and_a_preview_every_time(
    client, world, organiser, monkeypatch
):
    renders = []
    real = rendering.report_pdf

    def counting(*args, **kwargs):
        renders.append(kwargs["preview"])
        return real(*args, **kwargs)

    monkeypatch.setattr(rendering, "report_pdf", counting)
    client.force_login(organiser)
    client.get(orga("pdf", world.event))
    client.get(orga("pdf", world.event))
    services.report_publish(event=world.event, publish=True, actor=organiser)
    client.logout()
    first = client.get(public("pdf", world.event))
    second = client.get(public("pdf", world.event))
    services.report_publish(event=world.event, publish=False, actor=organiser)
    services.report_publish(event=world.event, publish=True, actor=organiser)  # a new version
    third = client.get(public("pdf", world.event))

    assert renders == [True, True, False, False]
    assert first.content == second.content
    assert third.content.startswith(b"%PDF")


def test_without_weasyprint_the_pdf_answers_503_and_says_why(client, event, organiser, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    client.force_login(organiser)
    response = client.get(orga("pdf", event))
    assert response.status_code == 503
    assert "WeasyPrint" in page_text(response)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_public_report_runs_the_same_queries_whatever_the_size_of_the_event(
    client, event, organiser
):
    services.report_publish(event=event, publish=True, actor=organiser)
    programme(event)
    meetings_with_feedback(event, participants(event))
    small = _queries(client, public("page", event))
    extra_talks(event, 6)
    meetings_with_feedback(event, participants(event), start_hour=10)
    services.session_highlight_set(
        event=event, session=event.sessions.first(), key_messages="More.", actor=organiser
    )
    assert _queries(client, public("page", event)) == small


def test_a_session_missing_from_the_posted_form_keeps_its_key_messages(client, world, organiser):
    services.session_highlight_set(
        event=world.event, session=world.plenary, key_messages="Keep me.", actor=organiser
    )
    client.force_login(organiser)
    client.post(orga("edit", world.event), {f"key_messages_{world.part_one.pk}": "New."})
    assert dict(SessionHighlight.objects.values_list("session_id", "key_messages")) == {
        world.plenary.pk: "Keep me.",
        world.part_one.pk: "New.",
    }


def test_the_editor_runs_the_same_queries_whatever_the_size_of_the_programme(
    client, event, organiser
):
    sessions = programme(event)
    services.session_highlight_set(
        event=event, session=sessions["plenary"], key_messages="Welcome.", actor=organiser
    )
    client.force_login(organiser)
    small = _queries(client, orga("edit", event))
    extra_talks(event, 8)
    services.session_highlight_set(
        event=event, session=event.sessions.last(), key_messages="More.", actor=organiser
    )
    assert _queries(client, orga("edit", event)) == small
