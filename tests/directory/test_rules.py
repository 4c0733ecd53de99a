"""Permission predicates: cluster roles (directory/rules.py) and the event permissions built
on them (events/rules.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from clusterhub.directory.models import ClusterRole
from clusterhub.directory.rules import is_cluster_member, is_cluster_organiser, is_cluster_owner
from clusterhub.events.models import EventStatus
from tests.factories import ClusterFactory, EventFactory, MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("role", "owner", "organiser", "member"),
    [
        (ClusterRole.OWNER, True, True, True),
        (ClusterRole.ORGANISER, False, True, True),
        (ClusterRole.CHECKIN, False, False, True),
        (None, False, False, False),
    ],
)
def test_cluster_predicates_follow_the_team_role(db, role, owner, organiser, member):
    cluster, user = ClusterFactory(), UserFactory()
    if role:
        MembershipFactory(cluster=cluster, user=user, role=role)

    assert is_cluster_owner(user, cluster) is owner
    assert is_cluster_organiser(user, cluster) is organiser
    assert is_cluster_member(user, cluster) is member


def test_cluster_predicates_refuse_anonymous_users_and_missing_clusters(db):
    cluster = ClusterFactory()
    assert not is_cluster_member(AnonymousUser(), cluster)
    assert not is_cluster_member(MembershipFactory(cluster=cluster).user, None)


def test_membership_of_one_cluster_grants_nothing_in_another(db):
    user = MembershipFactory(role=ClusterRole.OWNER).user
    assert not is_cluster_member(user, ClusterFactory())


def test_cluster_role_is_read_once_per_user_object(db, django_assert_num_queries):
    membership = MembershipFactory(role=ClusterRole.ORGANISER)
    user, cluster = membership.user, membership.cluster

    with django_assert_num_queries(1):
        assert is_cluster_owner(user, cluster) is False
        assert is_cluster_organiser(user, cluster) is True
        assert is_cluster_member(user, cluster) is True


@pytest.mark.parametrize(
    ("role", "add", "change", "view_orga"),
    [
        (ClusterRole.OWNER, True, True, True),
        (ClusterRole.ORGANISER, True, True, True),
        (ClusterRole.CHECKIN, False, False, True),
        (None, False, False, False),
    ],
)
def test_event_permissions_follow_the_host_cluster_role(db, role, add, change, view_orga):
    event, user = EventFactory(status=EventStatus.DRAFT), UserFactory()
    if role:
        MembershipFactory(cluster=event.cluster, user=user, role=role)

    assert user.has_perm("events.add_event", event.cluster) is add
    assert user.has_perm("events.change_event", event) is change
    assert user.has_perm("events.view_event_orga", event) is view_orga
    assert user.has_perm("events.view_event", event) is view_orga  # a draft: the team only


def test_organiser_of_another_cluster_cannot_change_or_see_a_draft(db):
    event = EventFactory(status=EventStatus.DRAFT)
    other = MembershipFactory(role=ClusterRole.OWNER).user

    assert not other.has_perm("events.change_event", event)
    assert not other.has_perm("events.view_event_orga", event)
    assert not other.has_perm("events.view_event", event)


def test_published_event_is_visible_to_everyone_but_changeable_by_its_team_only(db):
    event = EventFactory(status=EventStatus.PUBLISHED)

    assert AnonymousUser().has_perm("events.view_event", event)
    assert UserFactory().has_perm("events.view_event", event)
    assert not UserFactory().has_perm("events.change_event", event)
    assert not UserFactory().has_perm("events.view_event_orga", event)
