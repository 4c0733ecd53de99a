"""Reads from the directory."""

from __future__ import annotations

from django.db.models import QuerySet

from clusterhub.directory.models import Cluster, ClusterRole, Person, User


def clusters_for_user(*, user: User, roles: tuple[str, ...] | None = None) -> QuerySet[Cluster]:
    """The clusters whose team `user` belongs to (optionally only with one of `roles`)."""
    if not user.is_authenticated:
        return Cluster.objects.none()
    roles = roles or tuple(ClusterRole.values)
    return (
        Cluster.objects.filter(memberships__user=user, memberships__role__in=roles)
        .select_related("organisation")
        .distinct()
    )


def person_search(*, query: str, limit: int = 20) -> QuerySet[Person]:
    """People whose name, email or organisation matches `query`, for pickers."""
    from django.db.models import Q

    qs = Person.objects.select_related("organisation")
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return qs.order_by("last_name", "first_name")[:limit]
