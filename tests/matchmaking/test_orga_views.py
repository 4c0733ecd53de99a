"""The organiser's matchmaking pages (/orga/events/<slug>/matchmaking/, namespace
`orga_matchmaking`): overview with the runs and the meeting-request statistics, settings,
starting a run in the background and its progress bar.

Owners and organisers of the host cluster only: anonymous → login, outside the team → 404,
check-in staff → 403; nothing is written unless allowed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from clusterhub.directory.models import ClusterRole
from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.models import (
    MatchmakingSettings,
    MatchRun,
    MatchRunStatus,
    MeetingRequest,
    MeetingRequestStatus,
)
from clusterhub.matchmaking.urls import orga as orga_urls
from tests.factories import EventFactory, MembershipFactory, RegistrationFactory
from tests.matchmaking.test_orga_meetings import MEETING_NAMES
from tests.matchmaking.view_support import (
    db_state,
    figure,
    finished_run,
    flashed,
    orga_url,
    page_text,
    shared,
)

pytestmark = pytest.mark.django_db

TASK_PATH = "clusterhub.matchmaking.tasks.match_run_task"
NAMES = ["overview", "settings", "run_start", "run_progress", "participant_import"]


@pytest.fixture
def run(event):
    return MatchRun.objects.create(event=event)


def url_of(name: str, event, run) -> str:
    return orga_url(name, event, run.pk) if name == "run_progress" else orga_url(name, event)


def settings_data(**overrides) -> dict:
    """A valid settings form post."""
    data = {
        "is_open": "on",
        "tags": "Digital pathology\nBiobanks",
        "border_bonus": "0.1",
        "diversity": "0.3",
        "type_weights": "",
        "request_limit": "30",
        "max_meetings_per_person": "",
        "max_meetings_per_session": "",
        "propose_top_k": "0",
    }
    data.update(overrides)
    return data


def state() -> tuple:
    return (*db_state(), DBTaskResult.objects.count())


# --- who may open what ------------------------------------------------------------------------


def test_permission_tests_cover_every_url_name():
    names = {p.name for p in orga_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(NAMES) | set(MEETING_NAMES)  # the meeting pages: test_orga_meetings


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_login(client, event, run, name, method):
    before = state()

    response = getattr(client, method)(url_of(name, event, run), settings_data())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert state() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", NAMES)
def test_organiser_of_another_cluster_gets_404(client, event, run, name, method):
    outsider = MembershipFactory(role=ClusterRole.OWNER).user
    client.force_login(outsider)
    before = state()

    response = getattr(client, method)(url_of(name, event, run), settings_data())

    assert response.status_code == 404
    assert event.name not in page_text(response)
    assert state() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", NAMES)
def test_checkin_staff_get_403(client, event, run, name, method):
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)
    before = state()

    response = getattr(client, method)(url_of(name, event, run), settings_data())

    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize("name", ["overview", "settings", "run_progress"])
def test_organiser_opens_the_pages(client, event, organiser, run, name):
    client.force_login(organiser)

    assert client.get(url_of(name, event, run)).status_code == 200


def test_owner_opens_the_overview_and_run_start_is_post_only(client, event, run):
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.OWNER).user)
    before = state()

    assert client.get(orga_url("overview", event)).status_code == 200
    assert client.get(orga_url("run_start", event)).status_code == 405
    assert state() == before


def test_a_run_of_another_event_is_404(client, event, organiser):
    elsewhere = MatchRun.objects.create(event=EventFactory(cluster=event.cluster))

    client.force_login(organiser)

    assert client.get(orga_url("run_progress", event, elsewhere.pk)).status_code == 404


# --- settings ---------------------------------------------------------------------------------


def test_settings_post_saves_tags_bonus_weights_and_limit(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        orga_url("settings", event),
        settings_data(
            tags="Digital pathology\n  Biobanks \n\ndigital pathology\nAI",
            border_bonus="0.25",
            type_weights="investor company 1.5\nschool industry 1.3",
            request_limit="12",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == orga_url("overview", event)
    saved = MatchmakingSettings.objects.get(event=event)
    assert saved.tags == ["Digital pathology", "Biobanks", "AI"]  # duplicates removed
    assert saved.border_bonus == 0.25
    assert saved.type_weights == {"company|investor": 1.5, "industry|school": 1.3}
    assert saved.request_limit == 12
    assert saved.is_open is True

    text = page_text(client.get(orga_url("settings", event)))  # shown again as saved
    assert "company investor 1.5\nindustry school 1.3</textarea>" in text
    assert "Digital pathology\nBiobanks\nAI</textarea>" in text


def test_settings_can_close_matchmaking(client, event, organiser):
    client.force_login(organiser)

    client.post(orga_url("settings", event), {k: v for k, v in settings_data().items()
                                              if k != "is_open"})  # fmt: skip

    assert MatchmakingSettings.objects.get(event=event).is_open is False


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"border_bonus": "0.9"}, "Ensure this value is less than or equal to 0.5."),
        ({"border_bonus": "-0.1"}, "Ensure this value is greater than or equal to 0."),
        ({"type_weights": "investor company 1.5\ninvestor 2"},
         "Line 2: write two organisation types and a weight."),
        ({"type_weights": "investor spaceship 1.5"},
         "investor|spaceship is not a pair of organisation types."),
        ({"type_weights": "investor company 9"},
         "The weight of investor|company must be a number from 0 to 5."),
        ({"type_weights": "investor company heavy"},
         "The weight of investor|company must be a number from 0 to 5."),
        ({"request_limit": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)  # fmt: skip
def test_settings_refusals_are_400_with_the_error_and_save_nothing(
    client, event, organiser, overrides, error
):
    client.force_login(organiser)
    before = state()

    response = client.post(orga_url("settings", event), settings_data(**overrides))

    assert response.status_code == 400
    assert error in page_text(response)
    assert state() == before
    assert not MatchmakingSettings.objects.exists()


def test_settings_take_type_weights_as_json_too(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        orga_url("settings", event), settings_data(type_weights='{"investor|company": 1.5}')
    )

    assert response.status_code == 302
    assert MatchmakingSettings.objects.get(event=event).type_weights == {"company|investor": 1.5}


@pytest.mark.parametrize(
    ("weights", "error"),
    [
        ('{"investor|company": 1.5', "This is not valid JSON."),
        ('{"investor|spaceship": 1.5}', "investor|spaceship is not a pair of organisation types."),
        ('{"investor|company": 9}', "The weight of investor|company must be a number from 0 to 5."),
    ],
)
def test_settings_refuse_bad_json_type_weights_with_a_form_error(
    client, event, organiser, weights, error
):
    """The weights field also reads JSON (`TypeWeightsField.to_python`); a JSON object with an
    unknown type or a weight out of range must be a form error like the line format's, not a
    server error."""
    client.force_login(organiser)
    before = state()

    response = client.post(orga_url("settings", event), settings_data(type_weights=weights))

    assert response.status_code == 400
    assert error in page_text(response)
    assert state() == before


# --- runs -------------------------------------------------------------------------------------


def test_run_start_queues_a_run_and_its_task_which_then_computes_it(
    client, event, organiser, fake_matcher
):
    people = [shared(event) for _ in range(4)]
    RegistrationFactory(event=event)  # not sharing a profile: not matched
    client.force_login(organiser)

    response = client.post(orga_url("run_start", event), {"k": "5"})

    assert response["Location"] == orga_url("overview", event)
    assert flashed(response) == ["Matchmaking is running. This page shows its progress."]
    run = MatchRun.objects.get()
    assert (run.event, run.status, run.k) == (event, MatchRunStatus.QUEUED, 5)
    task = DBTaskResult.objects.get()
    assert task.task_path == TASK_PATH
    assert task.args_kwargs == {"args": [], "kwargs": {"run_id": run.pk}}
    assert fake_matcher.calls == []  # nothing computed inside the request

    progress = client.get(orga_url("run_progress", event, run.pk))
    assert "HX-Refresh" not in progress.headers
    assert f'hx-get="{orga_url("run_progress", event, run.pk)}"' in page_text(progress)
    assert "waiting for the background worker" in page_text(progress)
    assert "<html" not in page_text(progress)  # the partial only, for htmx to swap in
    assert '<progress value="0" max="100"' in page_text(progress)
    assert "Done:" not in page_text(progress)

    # What the worker does with the row it finds.
    assert import_string(task.task_path).call(**task.args_kwargs["kwargs"]) == MatchRunStatus.DONE

    run.refresh_from_db()
    assert (run.status, run.progress) == (MatchRunStatus.DONE, 100)
    assert fake_matcher.seen_ids == {p.pk for p in people}
    assert run.figures["profiles"] == 4
    assert run.figures["with_recommendations"] == 4
    assert run.figures["recommendations"] == 12
    done = client.get(orga_url("run_progress", event, run.pk))
    assert done.status_code == 200
    assert done["HX-Refresh"] == "true"
    assert "hx-get" not in page_text(done)
    assert '<progress value="100" max="100"' in page_text(done)
    # The result shows in the partial too, for when the page does not reload by itself.
    assert "Done: 12 recommendations for 4 people." in page_text(done)
    assert f'href="{orga_url("overview", event)}"' in page_text(done)


def test_a_second_run_is_refused_while_one_is_queued(client, event, organiser):
    client.force_login(organiser)
    client.post(orga_url("run_start", event), {"k": "20"})
    before = state()

    response = client.post(orga_url("run_start", event), {"k": "20"}, follow=True)

    assert "Matchmaking is already running for this event." in page_text(response)
    assert state() == before
    assert MatchRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_run_start_refuses_a_bad_k(client, event, organiser):
    client.force_login(organiser)
    before = state()

    response = client.post(orga_url("run_start", event), {"k": "0"}, follow=True)

    assert "Ensure this value is greater than or equal to 1." in page_text(response)
    assert state() == before


def test_run_progress_of_a_failed_run_refreshes_the_page_and_shows_the_error(
    client, event, organiser
):
    failed = MatchRun.objects.create(
        event=event, status=MatchRunStatus.FAILED, progress=20,
        error="MatchingUnavailable: no matcher",
    )  # fmt: skip
    client.force_login(organiser)

    response = client.get(orga_url("run_progress", event, failed.pk))

    assert response["HX-Refresh"] == "true"
    assert "MatchingUnavailable: no matcher" in page_text(response)


def test_overview_shows_the_progress_bar_instead_of_the_button_while_a_run_is_queued(
    client, event, organiser, run
):
    client.force_login(organiser)

    text = page_text(client.get(orga_url("overview", event)))

    assert f'hx-get="{orga_url("run_progress", event, run.pk)}"' in text
    assert f'action="{orga_url("run_start", event)}"' not in text


def test_overview_offers_a_new_run_when_the_running_one_was_abandoned(client, event, organiser):
    """A run still "running" long after its worker died (selectors.RUN_STALE_AFTER) no longer
    blocks a new run (`match_run_active`), so the page must offer the button again."""
    abandoned = MatchRun.objects.create(event=event, status=MatchRunStatus.RUNNING, progress=20)
    long_ago = timezone.now() - selectors.RUN_STALE_AFTER - timedelta(hours=1)
    MatchRun.objects.filter(pk=abandoned.pk).update(created_at=long_ago, started_at=long_ago)
    client.force_login(organiser)
    assert selectors.match_run_active(event=event) is None  # a new run would be accepted

    text = page_text(client.get(orga_url("overview", event)))

    assert f'action="{orga_url("run_start", event)}"' in text


# --- the overview's figures -------------------------------------------------------------------


@pytest.fixture
def traffic(event):
    """Four people and four requests between them, one of each status; the latest run
    recommended Bo to Ada."""
    ada = shared(
        event,
        registration__person__organisation__type="company",
        registration__person__country="NO",
    )
    bo = shared(
        event,
        registration__person__organisation__type="investor",
        registration__person__country="UA",
    )
    cy = shared(
        event,
        registration__person__organisation__type="company",
        registration__person__country="NO",
    )
    di = shared(event, registration__person__organisation__type="hospital",
                registration__person__country="SE")  # fmt: skip
    finished_run(event, [(ada, bo, ["a reason"])])
    now = timezone.now()
    for sender, recipient, status, hours in [
        (ada, bo, MeetingRequestStatus.PENDING, None),  # across sectors and borders, advised
        (ada, cy, MeetingRequestStatus.ACCEPTED, 2),  # same sector and country
        (bo, cy, MeetingRequestStatus.DECLINED, 4),  # across both
        (di, ada, MeetingRequestStatus.CANCELLED, None),  # across both
    ]:
        request = MeetingRequest.objects.create(
            event=event, sender=sender, recipient=recipient, status=status
        )
        MeetingRequest.objects.filter(pk=request.pk).update(
            created_at=now - timedelta(hours=10),
            answered_at=now - timedelta(hours=10 - hours) if hours else None,
        )
    return [ada, bo, cy, di]


def test_overview_shows_the_meeting_request_statistics(client, event, organiser, traffic):
    client.force_login(organiser)

    text = page_text(client.get(orga_url("overview", event)))

    assert figure(text, "Requests sent") == "4"
    assert figure(text, "Waiting for an answer") == "1"
    assert figure(text, "Accepted") == "1"
    assert figure(text, "Declined") == "1"
    assert figure(text, "Withdrawn") == "1"
    assert figure(text, "People who asked / were asked") == "3 / 3"
    assert figure(text, "Acceptance rate (of answered)") == "50 %"
    assert figure(text, "Median time to answer") == "3.0 h"
    requests = text.split('id="requests-heading"')[1]
    assert figure(requests, "Across sectors") == "75 %"
    assert figure(requests, "Across borders") == "75 %"
    assert figure(requests, "To somebody we recommended") == "25 %"


def test_overview_shows_participation_and_the_latest_runs_figures(
    client, event, organiser, fake_matcher
):
    for _ in range(3):
        shared(event)
    RegistrationFactory(event=event, consent_matchmaking_at=timezone.now())  # no profile
    RegistrationFactory(event=event)  # not sharing
    services.match_run_execute(run=services.match_run_create(event=event, actor=None, k=1))
    client.force_login(organiser)

    text = page_text(client.get(orga_url("overview", event)))

    assert figure(text, "Confirmed participants") == "5"
    assert figure(text, "Sharing a matchmaking profile") == "4"
    assert figure(text, "… who filled it in") == "3"
    # Only filled-in profiles are matched (and so can be shown as a recommendation).
    assert figure(text, "Profiles matched (shared and filled in)") == "3"
    assert figure(text, "People with recommendations") == "3"
    assert figure(text, "People without (nobody relevant enough)") == "0"
    assert figure(text, "Recommendations") == "3"
    assert "Run matchmaking again" in text
    assert "No meeting requests yet." in text


def test_overview_query_count_does_not_grow_with_the_requests(
    client, event, organiser, traffic, django_assert_num_queries
):
    client.force_login(organiser)
    with CaptureQueriesContext(connection) as few:
        assert client.get(orga_url("overview", event)).status_code == 200

    for sender in traffic:
        for recipient in traffic:
            if (
                sender != recipient
                and not MeetingRequest.objects.filter(sender=sender, recipient=recipient).exists()
            ):
                MeetingRequest.objects.create(event=event, sender=sender, recipient=recipient)
    for _ in range(3):
        MatchRun.objects.create(event=event, status=MatchRunStatus.FAILED)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(orga_url("overview", event))
    assert figure(page_text(response), "Requests sent") == "12"
