"""Runs of the matcher, the `match` command, and consent: a non-consenting profile is never
given to the matcher and never shown."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.models import MatchRunStatus, Recommendation
from clusterhub.matchmaking.services import runs
from clusterhub.registration.models import RegistrationStatus
from tests.factories import (
    MatchProfileFactory,
    PersonFactory,
    ProfileMarkFactory,
    RegistrationFactory,
)


@pytest.fixture
def population(event):
    """Three consenting participants, one without consent, one consenting but cancelled."""
    consenting = [MatchProfileFactory(registration__event=event).registration for _ in range(3)]
    silent = MatchProfileFactory(
        registration__event=event, registration__consent_matchmaking_at=None
    ).registration
    cancelled = MatchProfileFactory(
        registration__event=event, registration__status=RegistrationStatus.CANCELLED
    ).registration
    return consenting, silent, cancelled


def match_json(event) -> dict:
    out = StringIO()
    call_command("match", event.slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_match_run_execute_gives_only_consenting_profiles_to_the_matcher(
    event, population, fake_matcher
):
    consenting, silent, cancelled = population
    run = services.match_run_create(event=event, actor=None, k=5)

    services.match_run_execute(run=run)

    assert fake_matcher.seen_ids == {r.pk for r in consenting}
    stored = set(Recommendation.objects.values_list("registration_id", "other_id"))
    assert {silent.pk, cancelled.pk}.isdisjoint({x for pair in stored for x in pair})
    run.refresh_from_db()
    assert (run.status, run.progress) == (MatchRunStatus.DONE, 100)
    assert run.figures["profiles"] == 3
    assert run.figures["recommendations"] == 6  # the ghost the matcher invented is dropped


def test_match_run_execute_passes_marks_between_consenting_people(event, fake_matcher):
    a, b = (MatchProfileFactory(registration__event=event).registration for _ in range(2))
    silent = RegistrationFactory(event=event)
    ProfileMarkFactory(from_registration=a, to_registration=b, kind="no_thanks")
    ProfileMarkFactory(from_registration=a, to_registration=silent, kind="must_meet")

    services.match_run_execute(run=services.match_run_create(event=event, actor=None))

    profile = next(p for p in fake_matcher.calls[0] if p.id == a.pk)
    assert profile.excluded == frozenset({b.pk})
    assert profile.must_meet == frozenset()  # silent is not consenting: not even as a mark
    assert profile.offers == ("hospital test bed",)


def test_match_run_execute_marks_the_run_failed_without_the_library(event, monkeypatch):
    def missing(profiles, *, k, config):
        raise services.MatchingUnavailable("no matcher")

    monkeypatch.setattr(runs, "recommend_profiles", missing)
    run = services.match_run_create(event=event, actor=None)

    with pytest.raises(services.MatchingUnavailable):
        services.match_run_execute(run=run)

    run.refresh_from_db()
    assert run.status == MatchRunStatus.FAILED
    assert "no matcher" in run.error


def test_match_json_prints_recommendations_best_first_for_consenting_people(
    event, population, fake_matcher
):
    consenting, silent, cancelled = population
    emails = sorted(r.person.email for r in consenting)

    data = match_json(event)

    assert list(data) == ["recommendations"]
    assert sorted(data["recommendations"]) == emails  # silent and cancelled left out
    first = min(consenting, key=lambda r: r.pk)
    by_id_desc = sorted(consenting, key=lambda r: -r.pk)
    assert data["recommendations"][first.person.email] == [
        {"email": r.person.email, "score": score, "reasons": [f"reason {r.pk}"]}
        for r, score in zip([r for r in by_id_desc if r != first], [1.0, 0.9], strict=True)
    ]
    shown = {x["email"] for recs in data["recommendations"].values() for x in recs}
    assert silent.person.email not in shown
    assert cancelled.person.email not in shown


def test_match_without_json_prints_a_table(event, population, fake_matcher):
    out = StringIO()

    call_command("match", event.slug, stdout=out)

    text = out.getvalue()
    assert "3 consenting participant(s), 6 recommendation(s)" in text
    assert population[1].person.email not in text


def test_match_unknown_event_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        call_command("match", "nope", "--json")


def test_selectors_hide_people_who_withdrew_consent_after_the_run(event, population, fake_matcher):
    consenting, _silent, _cancelled = population
    run = services.match_run_execute(run=services.match_run_create(event=event, actor=None))
    withdrawn = consenting[0]
    withdrawn.consent_matchmaking_at = None
    withdrawn.save()

    visible = selectors.recommendations_for_registration(registration=consenting[1], run=run)

    assert [r.other_id for r in visible] == [consenting[2].pk]
    assert list(selectors.recommendations_for_registration(registration=withdrawn)) == []
    assert {p.registration_id for p in selectors.profiles_visible(event=event)} == {
        consenting[1].pk,
        consenting[2].pk,
    }


def test_profile_update_prefills_from_the_directory_and_cleans_phrases(event):
    person = PersonFactory(expertise=["Oncology", "AI"], bio="Pathologist in Oslo.")
    registration = RegistrationFactory(event=event, person=person)

    profile = services.profile_update(
        registration=registration, actor=None, offers=" biobank ; Biobank;;test bed",
        objectives=["investment"], preferred_countries=["ua"],
    )  # fmt: skip

    assert profile.interests == ["Oncology", "AI"]
    assert profile.about == "Pathologist in Oslo."
    assert profile.offers == ["biobank", "test bed"]
    assert profile.preferred_countries == ["UA"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"objectives": ["world_peace"]}, "bad_choice"),
        ({"preferred_types": ["spaceship"]}, "bad_choice"),
        ({"preferred_countries": ["XX"]}, "bad_country"),
        ({"needs": ["x" * 201]}, "phrase_too_long"),
    ],
)
def test_profile_update_refuses_bad_values(event, fields, code):
    registration = RegistrationFactory(event=event)

    with pytest.raises(ValidationError) as raised:
        services.profile_update(registration=registration, actor=None, **fields)

    assert [e.code for errors in raised.value.error_dict.values() for e in errors] == [code]


def test_mark_set_replaces_and_removes_a_mark(event):
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)

    services.mark_set(from_registration=a, to_registration=b, kind="must_meet", actor=None)
    mark = services.mark_set(from_registration=a, to_registration=b, kind="no_thanks", actor=None)

    assert list(a.marks_given.values_list("kind", flat=True)) == ["no_thanks"]
    assert mark.kind == "no_thanks"
    services.mark_set(from_registration=a, to_registration=b, kind=None, actor=None)
    assert not a.marks_given.exists()
    with pytest.raises(ValidationError):
        services.mark_set(from_registration=a, to_registration=a, kind="no_thanks", actor=None)


def test_match_run_task_executes_a_queued_run_once(event, population, fake_matcher):
    from clusterhub.matchmaking.tasks import match_run_task

    run = services.match_run_create(event=event, actor=None)

    assert match_run_task.call(run_id=run.pk) == MatchRunStatus.DONE
    assert match_run_task.call(run_id=run.pk) == MatchRunStatus.DONE
    assert len(fake_matcher.calls) == 1
