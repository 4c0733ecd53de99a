"""The directory of stakeholders: user accounts, host clusters with their teams, organisations
and people. Everything later (events, registration, matchmaking) points back here."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clusterhub.common.models import TimeStampedModel


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account that logs in with its email address (no username)."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class OrganisationType(models.TextChoices):
    # Values are the import contract's `organisation_type` words (DESIGN.md).
    CLUSTER = "cluster", _("Cluster")
    COMPANY = "company", _("Company (SME, start-up)")
    INDUSTRY = "industry", _("Large industry")
    HOSPITAL = "hospital", _("Hospital")
    RESEARCH = "research", _("Research institute")
    UNIVERSITY = "university", _("University")
    SCHOOL = "school", _("School")
    PUBLIC_AUTHORITY = "public_authority", _("Public authority")
    DIPLOMATIC = "diplomatic", _("Diplomatic mission")
    INVESTOR = "investor", _("Investor")
    PATIENT_ORG = "patient_org", _("Patient organisation")
    OTHER = "other", _("Other")


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=200, unique=True)
    type = models.CharField(
        _("type"), max_length=20, choices=OrganisationType.choices, default=OrganisationType.OTHER
    )
    country = CountryField(_("country"), blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=OrganisationType.values),
                name="organisation_type_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cluster(TimeStampedModel):
    """A host organisation with an organiser team; owns events. The unit of tenancy."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cluster",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ClusterMembership", related_name="clusters"
    )
    personal_data_retention_days = models.PositiveIntegerField(
        _("keep personal data for (days after an event)"),
        default=730,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_(
            "Counted from the last day of each event. After that `purge_personal_data --commit` "
            "erases the personal data of its registrations; the event's figures stay."
        ),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name


class ClusterRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ORGANISER = "organiser", _("Organiser")
    CHECKIN = "checkin", _("Check-in staff")


class ClusterMembership(TimeStampedModel):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=ClusterRole.choices)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "user"], name="one_membership_per_cluster"),
            models.CheckConstraint(
                condition=models.Q(role__in=ClusterRole.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) @ {self.cluster}"


class Person(TimeStampedModel):
    """Somebody in the ecosystem: a speaker, a participant, a contact. An account is optional."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("bio"), blank=True)
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Set when the person's personal data was erased (on request or by the retention purge):
    # the row stays, anonymised, so the registrations, meetings and KPIs that count it do too.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    contact_of = models.ManyToManyField(
        Cluster,
        blank=True,
        related_name="contacts",
        verbose_name=_("contact of"),
        help_text=_(
            "The clusters that know this person: they were added by the cluster's team, are on "
            "one of its programmes or registered for one of its events. A cluster's team finds "
            "only its own contacts in the directory."
        ),
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="person_email_unique_ci",
                violation_error_message=_("A person with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
