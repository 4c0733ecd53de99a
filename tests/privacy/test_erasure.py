"""Erasure keeps the figures and leaves no trace of the person."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusterhub.api.models import ApiToken
from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory.models import Person, User
from clusterhub.events.models import SessionRole
from clusterhub.followup.kpis import cluster_kpis_for, event_kpis_for
from clusterhub.privacy import services
from clusterhub.registration.models import CheckIn, ConsentRecord, Registration
from tests.factories import MembershipFactory
from tests.privacy.support import speaker, traces


def test_erasure_keeps_event_and_cluster_kpis_identical(event, crowd):
    from tests.followup.support import past_event
    from tests.privacy.support import event_setup, participant

    other_event = past_event(cluster=event.cluster)
    participant(other_event, event_setup(other_event), "zqother")
    before = (event_kpis_for(event), cluster_kpis_for([event, other_event]))
    assert (before[0].meetings.held, before[0].partnerships.total, before[1].events) == (3, 3, 2)

    for tag in ("zqalpha", "zqbeta", "zqgamma"):
        services.person_erase(person=crowd[tag].person, actor=None, reason="admin")

    assert (event_kpis_for(event), cluster_kpis_for([event, other_event])) == before
    assert Registration.objects.filter(event=event).count() == 4
    assert CheckIn.objects.filter(registration__event=event).count() == 8


def test_erasure_leaves_no_trace_of_name_email_or_texts(event, crowd):
    assert traces("zqalpha")  # the tag is everywhere before

    services.person_erase(person=crowd["zqalpha"].person, actor=None, reason="admin")

    assert traces("zqalpha") == []
    assert traces("zqbeta")  # the others keep theirs
    person = Person.objects.get(pk=crowd["zqalpha"].person_id)
    assert (person.full_name, person.email, person.user_id) == ("Erased participant", "", None)
    assert person.organisation is not None
    assert person.country == "UA"
    assert not User.objects.filter(email="zqalpha@example.org").exists()
    assert not ApiToken.objects.filter(name__startswith="zqalpha").exists()


def test_erasure_is_logged_without_personal_data_and_keeps_consent_records(event, crowd):
    registration = crowd["zqalpha"]
    services.person_erase(person=registration.person, actor=None, reason="admin")
    entry = ActivityLogEntry.objects.get(action="privacy.person.erase")
    assert entry.data == {"reason": "admin", "registrations": 1, "account": True}
    assert entry.object_repr == "Erased participant"
    assert ConsentRecord.objects.filter(registration=registration).count() == 3
    registration.refresh_from_db()
    assert registration.anonymised_at is not None
    assert registration.status == "confirmed"


def test_erasing_twice_changes_nothing(event, crowd):
    person = crowd["zqalpha"].person
    services.person_erase(person=person, actor=None, reason="admin")
    services.person_erase(person=person, actor=None, reason="admin")
    assert ActivityLogEntry.objects.filter(action="privacy.person.erase").count() == 1


def test_erased_speaker_keeps_the_programme_role_under_the_placeholder(event):
    person = speaker(event, "zqspeaker")
    services.person_erase(person=person, actor=None, reason="admin")
    role = SessionRole.objects.select_related("person").get(person_id=person.pk)
    assert (role.role, role.person.full_name) == ("speaker", "Erased participant")
    assert traces("zqspeaker") == []


def test_self_service_erasure_asks_for_the_email_then_erases_and_logs_out(client, event, crowd):
    user = crowd["zqalpha"].person.user
    client.force_login(user)
    url = reverse("privacy:erase")
    assert client.get(url).status_code == 200

    wrong = client.post(url, {"email": "zqbeta@example.org"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()

    done = client.post(url, {"email": "ZQALPHA@example.org"})
    assert done.status_code == 302
    assert done["Location"] == reverse("public:home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert traces("zqalpha") == []
    assert client.get(reverse("privacy:my_data")).status_code == 302  # logged out


def test_team_members_cannot_erase_themselves(client, event, crowd):
    user = crowd["zqalpha"].person.user
    MembershipFactory(cluster=event.cluster, user=user)
    client.force_login(user)
    response = client.post(reverse("privacy:erase"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:my_data")
    assert User.objects.filter(pk=user.pk).exists()


def test_erase_person_command_erases_an_organiser_too(event, crowd):
    user = crowd["zqalpha"].person.user
    MembershipFactory(cluster=event.cluster, user=user)
    call_command("erase_person", "zqalpha@example.org", "--yes", stdout=StringIO())
    assert traces("zqalpha") == []


def test_erase_person_command_refuses_an_unknown_address(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("erase_person", "nobody@example.org", "--yes")
