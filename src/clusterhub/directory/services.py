"""Writes to the directory. Each service is atomic and records an activity log entry."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusterhub.common.activity import activity_log
from clusterhub.directory.models import (
    Cluster,
    ClusterMembership,
    ClusterRole,
    Organisation,
    Person,
    User,
)


def _unique_slug(model, base: str, *, max_length: int = 200) -> str:
    base = (slugify(base) or "item")[: max_length - 8]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(*, name: str, actor: User | None, **fields) -> Organisation:
    """Create an organisation with a unique slug derived from its name."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": ValidationError(_("An organisation needs a name."), code="required")}
        )
    org = Organisation(name=name, slug=fields.pop("slug", None) or _unique_slug(Organisation, name))
    for key, value in fields.items():
        setattr(org, key, value)
    org.full_clean()
    org.save()
    activity_log(actor=actor, action="directory.organisation.create", obj=org)
    return org


@transaction.atomic
def organisation_get_or_create(*, name: str, actor: User | None, **defaults) -> Organisation:
    """The organisation called `name` (case-insensitive, the oldest if several), or a new one
    made by `organisation_create` with `defaults`. Side effect: an activity log entry only when
    it creates. Raises ValidationError (`required`) on an empty name."""
    name = name.strip()
    existing = Organisation.objects.filter(name__iexact=name).order_by("pk").first()
    if name and existing is not None:
        return existing
    return organisation_create(name=name, actor=actor, **defaults)


@transaction.atomic
def cluster_create(
    *, organisation: Organisation, slug: str, owner: User, actor: User | None
) -> Cluster:
    """Make `organisation` a host cluster with `owner` as the first team member."""
    cluster = Cluster(organisation=organisation, slug=slug)
    cluster.full_clean()
    cluster.save()
    ClusterMembership.objects.create(cluster=cluster, user=owner, role=ClusterRole.OWNER)
    activity_log(actor=actor, action="directory.cluster.create", obj=cluster, cluster_id=cluster.pk)
    return cluster


@transaction.atomic
def cluster_member_set(
    *, cluster: Cluster, user: User, role: str, actor: User | None
) -> ClusterMembership:
    """Add `user` to the cluster's team or change their role."""
    if role not in ClusterRole.values:
        raise ValidationError(
            {"role": ValidationError(_("Unknown team role."), code="invalid_role")}
        )
    membership, _created = ClusterMembership.objects.update_or_create(
        cluster=cluster, user=user, defaults={"role": role}
    )
    activity_log(
        actor=actor,
        action="directory.cluster.member_set",
        obj=membership,
        cluster_id=cluster.pk,
        data={"user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def person_create(
    *,
    first_name: str,
    last_name: str,
    actor: User | None,
    cluster: Cluster | None = None,
    **fields,
) -> Person:
    """Create a person, as a contact of `cluster` when given. Raises ValidationError when the
    email is already in the directory."""
    person = Person(first_name=first_name.strip(), last_name=last_name.strip(), **fields)
    person.email = person.email.strip().lower()
    person.full_clean()
    person.save()
    if cluster is not None:
        person.contact_of.add(cluster)
    activity_log(
        actor=actor, action="directory.person.create", obj=person,
        cluster_id=cluster.pk if cluster else None,
    )  # fmt: skip
    return person


def cluster_contact_add(*, cluster: Cluster, person: Person) -> None:
    """Make `person` a contact of `cluster` (idempotent). Called when somebody joins one of the
    cluster's programmes or registers for one of its events."""
    person.contact_of.add(cluster)  # add() skips an existing link


def cluster_contacts_add(*, cluster: Cluster, people: Iterable[Person]) -> None:
    """`cluster_contact_add` for many people in one insert (idempotent: existing links are
    skipped)."""
    link = Person.contact_of.through
    link.objects.bulk_create(
        [link(person_id=person.pk, cluster_id=cluster.pk) for person in people],
        batch_size=1000,
        ignore_conflicts=True,
    )
