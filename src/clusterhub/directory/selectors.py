"""Reads from the directory."""

from __future__ import annotations

from django.db.models import Q, QuerySet

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


def person_search(*, cluster: Cluster, query: str, limit: int = 20) -> QuerySet[Person]:
    """Contacts of `cluster` matching `query`, for pickers. Every word must match a name or the
    organisation; a word with "@" must be the whole email address (no guessing at addresses).
    People who are not the cluster's contacts are never found."""
    qs = Person.objects.filter(contact_of=cluster).select_related("organisation")
    for word in query.split()[:5]:
        if "@" in word:
            qs = qs.filter(email__iexact=word)
        else:
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(organisation__name__icontains=word)
            )
    return qs.order_by("last_name", "first_name", "id")[:limit]


def contact_by_email(*, cluster: Cluster, email: str) -> Person | None:
    """The contact of `cluster` with exactly this email address, if any."""
    email = email.strip()
    if not email:
        return None
    return Person.objects.filter(contact_of=cluster, email__iexact=email).first()


def contacts_of(*, cluster: Cluster) -> QuerySet[Person]:
    return Person.objects.filter(contact_of=cluster)
