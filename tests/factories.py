"""factory-boy factories for the whole suite. Real rows, no mocks."""

from datetime import date, datetime, timedelta

import factory
from django.utils.text import slugify

from clusterhub.directory.models import (
    Cluster,
    ClusterMembership,
    ClusterRole,
    Organisation,
    OrganisationType,
    Person,
    User,
)
from clusterhub.events.models import Event, EventStatus, Room, Session, SessionRole, SessionType

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    type = OrganisationType.COMPANY
    country = "NO"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    organisation = factory.SubFactory(OrganisationFactory, type=OrganisationType.CLUSTER)
    slug = factory.Sequence(lambda n: f"cluster-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMembership

    cluster = factory.SubFactory(ClusterFactory)
    user = factory.SubFactory(UserFactory)
    role = ClusterRole.ORGANISER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Ada{n}")
    last_name = factory.Sequence(lambda n: f"Lovelace{n}")
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@example.org".lower())
    organisation = factory.SubFactory(OrganisationFactory)
    country = "NO"

    @factory.post_generation
    def contact_of(obj, create, extracted, **kwargs):
        """`PersonFactory(contact_of=[cluster])` makes the person one of the cluster's contacts."""
        if create and extracted:
            obj.contact_of.set(extracted)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Deep Dive {n}")
    slug = factory.Sequence(lambda n: f"deep-dive-{n}")
    start_date = date(2025, 12, 3)
    end_date = date(2025, 12, 4)
    timezone = "Europe/Oslo"
    status = EventStatus.PUBLISHED


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


def at(event: Event, hour: int, minute: int = 0, day: int = 0) -> datetime:
    """An aware datetime on day `day` (0-based) of `event`, in the event's time zone."""
    d = event.start_date + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=event.tzinfo)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    type = SessionType.TALK
    start = factory.LazyAttribute(lambda s: at(s.event, 10))
    end = factory.LazyAttribute(lambda s: s.start + timedelta(hours=1))


class SessionRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionRole

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = "speaker"


# --- registration ----------------------------------------------------------------------------

from django.utils import timezone as _tz  # noqa: E402

from clusterhub.registration.models import (  # noqa: E402
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
    TicketType,
)


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    ticket_type = factory.SubFactory(TicketTypeFactory, event=factory.SelfAttribute("..event"))
    status = RegistrationStatus.CONFIRMED
    consent_privacy_at = factory.LazyFunction(_tz.now)


class SignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUp

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.SubFactory(
        SessionFactory, event=factory.SelfAttribute("..registration.event"), capacity=10,
        signup_required=True,
    )  # fmt: skip
    status = SignUpStatus.CONFIRMED


# --- registration: the form's set-up (appended for the participant portal tests) -------------

from clusterhub.registration.models import Question, QuestionKind, RegistrationConfig  # noqa: E402


class RegistrationConfigFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationConfig
        django_get_or_create = ("event",)

    event = factory.SubFactory(EventFactory)
    privacy_notice = "We keep your details to run the event."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.TEXT
    position = factory.Sequence(lambda n: n)


# --- matchmaking (appended for the matchmaking tests) ----------------------------------------

from clusterhub.matchmaking.models import MatchProfile, ProfileMark  # noqa: E402


class MatchProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchProfile

    registration = factory.SubFactory(
        RegistrationFactory, consent_matchmaking_at=factory.LazyFunction(_tz.now)
    )
    offers = factory.LazyFunction(lambda: ["hospital test bed"])
    needs = factory.LazyFunction(lambda: ["clinical validation site"])
    interests = factory.LazyFunction(lambda: ["digital pathology"])


class ProfileMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileMark

    from_registration = factory.SubFactory(RegistrationFactory)
    to_registration = factory.SubFactory(
        RegistrationFactory, event=factory.SelfAttribute("..from_registration.event")
    )
    kind = "no_thanks"
