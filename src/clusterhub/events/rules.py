"""Permission predicates on events. An event is run by the organisers of its host cluster."""

import rules

from clusterhub.directory.rules import is_cluster_member, is_cluster_organiser


@rules.predicate
def is_event_organiser(user, event) -> bool:
    return event is not None and is_cluster_organiser(user, event.cluster)


@rules.predicate
def is_event_team_member(user, event) -> bool:
    """Organisers and check-in staff of the host cluster."""
    return event is not None and is_cluster_member(user, event.cluster)


@rules.predicate
def is_published(user, event) -> bool:
    return event is not None and event.is_published


rules.add_perm("events.add_event", is_cluster_organiser)  # object: the host cluster
rules.add_perm("events.change_event", is_event_organiser)
rules.add_perm("events.view_event_orga", is_event_team_member)
rules.add_perm("events.view_event", is_published | is_event_team_member)
