"""Permission predicates on clusters. Composable with `&`, `|`, `~` (django-rules).

Object-level: every predicate takes `(user, cluster)`. Events build on these in events/rules.py.
"""

import rules

from clusterhub.directory.models import Cluster, ClusterRole


def _has_role(user, cluster: Cluster | None, roles: tuple[str, ...]) -> bool:
    if cluster is None or not getattr(user, "is_authenticated", False):
        return False
    # One small query per check, cached on the user object for the request.
    cache = user.__dict__.setdefault("_cluster_roles", {})
    if cluster.pk not in cache:
        cache[cluster.pk] = (
            cluster.memberships.filter(user=user).values_list("role", flat=True).first()
        )
    return cache[cluster.pk] in roles


@rules.predicate
def is_cluster_owner(user, cluster: Cluster | None) -> bool:
    return _has_role(user, cluster, (ClusterRole.OWNER,))


@rules.predicate
def is_cluster_organiser(user, cluster: Cluster | None) -> bool:
    """Owners and organisers run the cluster's events."""
    return _has_role(user, cluster, (ClusterRole.OWNER, ClusterRole.ORGANISER))


@rules.predicate
def is_cluster_member(user, cluster: Cluster | None) -> bool:
    """Anyone on the team, check-in staff included."""
    return _has_role(user, cluster, tuple(ClusterRole.values))


rules.add_perm("directory.manage_cluster", is_cluster_owner)
rules.add_perm("directory.organise_in_cluster", is_cluster_organiser)
