"""The service against the real matching library (clusterhub.algorithms.matching)."""

import json
from io import StringIO

from django.core.management import call_command

from clusterhub.matchmaking import services
from clusterhub.matchmaking.models import MatchRunStatus
from tests.factories import MatchProfileFactory


def test_real_matcher_is_importable():
    from clusterhub.algorithms.matching import recommend

    assert callable(recommend)


def test_match_json_with_the_real_matcher_recommends_complementary_people(event):
    hospital = MatchProfileFactory(
        registration__event=event, registration__person__country="NO",
        offers=["hospital test bed for digital pathology"], needs=["AI image analysis"],
        interests=["digital pathology"],
    ).registration  # fmt: skip
    startup = MatchProfileFactory(
        registration__event=event, registration__person__country="UA",
        offers=["AI image analysis for pathology slides"], needs=["clinical validation site"],
        interests=["digital pathology"],
    ).registration  # fmt: skip
    silent = MatchProfileFactory(
        registration__event=event, registration__consent_matchmaking_at=None
    ).registration
    out = StringIO()

    call_command("match", event.slug, "--json", stdout=out)

    data = json.loads(out.getvalue())["recommendations"]
    assert sorted(data) == sorted([hospital.person.email, startup.person.email])
    best = data[hospital.person.email][0]
    assert best["email"] == startup.person.email
    assert 0 <= best["score"] <= 1
    assert best["reasons"]
    assert all(isinstance(reason, str) for reason in best["reasons"])
    assert silent.person.email not in json.dumps(data)
    assert event.match_runs.get().status == MatchRunStatus.DONE
    assert services.recommend_profiles.__module__ == "clusterhub.matchmaking.services.runs"
