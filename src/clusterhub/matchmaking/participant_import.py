"""Importing participants from a CSV or XLSX file (the contract is in DESIGN.md and README).

Every row is read and checked first; one bad cell refuses the whole file. A good file is
written in one transaction through the directory, registration and matchmaking services, so it
lands completely or not at all, and importing it again adds nothing.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django_countries import countries

from clusterhub.common.activity import activity_entry, activity_log
from clusterhub.common.models import ActivityLogEntry
from clusterhub.common.tabular import (
    ImportRefused,
    header_errors,
    record_values,
    tabular_records,
)
from clusterhub.directory import services as directory_services
from clusterhub.directory.models import Organisation, OrganisationType, Person, User
from clusterhub.events.models import Event
from clusterhub.matchmaking.services import (
    PHRASE_MAX,
    phrases_clean,
    profile_update,
    profiles_bulk_create,
)
from clusterhub.registration import services as registration_services
from clusterhub.registration.models import (
    ACTIVE_STATUSES,
    ConsentSource,
    Registration,
    TicketType,
)
from clusterhub.registration.selectors import registration_config_for

HEADER = (
    "first_name", "last_name", "email", "organisation", "organisation_type", "country",
    "job_title", "bio", "offers", "needs", "interests", "languages", "consent_matchmaking",
)  # fmt: skip
LIST_COLUMNS = ("offers", "needs", "interests", "languages")
CONSENT_WORDS = {"yes": True, "no": False}
TICKET_TYPE_NAME = "Participant"  # made when the event offers no public ticket type
LOOKUP_CHUNK = 500  # addresses per lookup, rows per insert
MAX_LENGTHS = {"first_name": 100, "last_name": 100, "organisation": 200, "job_title": 200}


@dataclass
class ParticipantRow:
    line: int
    first_name: str
    last_name: str
    email: str
    organisation: str
    organisation_type: str
    country: str
    job_title: str
    bio: str
    offers: list[str]
    needs: list[str]
    interests: list[str]
    languages: list[str]
    consent_matchmaking: bool


@dataclass
class ImportSummary:
    rows: int = 0
    organisations_created: int = 0
    people_created: int = 0
    people_updated: int = 0
    registrations_created: int = 0
    already_registered: list[str] = field(default_factory=list)
    ticket_type_created: bool = False


# --- reading ----------------------------------------------------------------------------------


def participant_file_read(path: Path) -> list[ParticipantRow]:
    """The rows of the file at `path`, checked. Raises ImportRefused listing EVERY bad cell
    (`line N, column NAME: message`, the header being line 1), or a bad header."""
    records = tabular_records(Path(path))
    header = next(records, None)
    if header is None:
        raise ImportRefused(["line 1: the file is empty; it needs the header " + ",".join(HEADER)])
    errors = header_errors(header, HEADER)
    if errors:
        raise ImportRefused(errors)
    rows: list[ParticipantRow] = []
    first_line: dict[str, int] = {}
    for line, record in enumerate(records, start=2):
        if not any(record):
            continue  # blank lines (and formatted but empty spreadsheet rows) are skipped
        row, row_errors = _row_check(line, record)
        if row is not None and row.email:
            if row.email in first_line:
                row_errors.append(
                    f"line {line}, column email: {row.email} is already on line "
                    f"{first_line[row.email]}"
                )
            else:
                first_line[row.email] = line
        errors += row_errors
        if not row_errors and row is not None:
            rows.append(row)
    if errors:
        raise ImportRefused(errors)
    return rows


def _row_check(line: int, record: list[str]) -> tuple[ParticipantRow | None, list[str]]:
    values, errors = record_values(line, record, HEADER)

    def bad(column: str, message: str) -> None:
        errors.append(f"line {line}, column {column}: {message}")

    for column in ("first_name", "last_name", "email"):
        if not values[column]:
            bad(column, "required")
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            bad(column, f"longer than {limit} characters")
    email = values["email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad("email", f"not an email address: {values['email']!r}")
    org_type = values["organisation_type"].lower() or OrganisationType.OTHER.value
    if org_type not in OrganisationType.values:
        bad(
            "organisation_type",
            f"unknown type {values['organisation_type']!r}; use one of "
            + ", ".join(OrganisationType.values),
        )
    country = values["country"].upper()
    if country and (len(country) != 2 or not countries.alpha2(country)):
        bad("country", f"not an ISO 3166 alpha-2 country code: {values['country']!r}")
    lists = {column: phrases_clean(values[column]) for column in LIST_COLUMNS}
    for column in ("offers", "needs", "interests"):
        if any(len(p) > PHRASE_MAX for p in lists[column]):
            bad(column, f"each phrase (separated by ';') must be under {PHRASE_MAX} characters")
    consent = CONSENT_WORDS.get(values["consent_matchmaking"].lower())
    if consent is None:
        bad("consent_matchmaking", f"answer yes or no, not {values['consent_matchmaking']!r}")
    row = ParticipantRow(
        line=line, first_name=values["first_name"], last_name=values["last_name"], email=email,
        organisation=values["organisation"], organisation_type=org_type, country=country,
        job_title=values["job_title"], bio=values["bio"], consent_matchmaking=bool(consent),
        **lists,
    )  # fmt: skip
    return row, errors


# --- writing ----------------------------------------------------------------------------------


def _ticket_type(event: Event, actor: User | None, summary: ImportSummary) -> TicketType:
    ticket_type = event.ticket_types.filter(is_public=True).order_by("position", "id").first()
    if ticket_type is None:
        ticket_type = event.ticket_types.filter(name__iexact=TICKET_TYPE_NAME).first()
    if ticket_type is None:
        ticket_type = registration_services.ticket_type_create(
            event=event, actor=actor, name=TICKET_TYPE_NAME
        )
        summary.ticket_type_created = True
    return ticket_type


def _person(row: ParticipantRow, event: Event, actor: User | None, summary: ImportSummary):
    organisation = None
    if row.organisation:
        exists = Organisation.objects.filter(name__iexact=row.organisation).exists()
        organisation = directory_services.organisation_get_or_create(
            name=row.organisation, actor=actor, type=row.organisation_type, country=row.country
        )
        summary.organisations_created += not exists
    fields = {
        "organisation": organisation, "job_title": row.job_title, "country": row.country,
        "bio": row.bio, "languages": row.languages,
    }  # fmt: skip
    # Through the index on the lower-cased address (`email__iexact` cannot use it).
    person = (
        Person.objects.select_for_update()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=row.email)
        .first()
    )
    if person is None:
        summary.people_created += 1
        return directory_services.person_create(
            first_name=row.first_name, last_name=row.last_name, email=row.email, actor=actor,
            cluster=event.cluster, **fields,
        )  # fmt: skip
    # The directory knows better than a spreadsheet: fill only what it does not know yet.
    fields |= {"first_name": row.first_name, "last_name": row.last_name}
    filled = [name for name, value in fields.items() if value and not getattr(person, name)]
    for name in filled:
        setattr(person, name, fields[name])
    if filled:
        person.full_clean()
        person.save(update_fields=[*filled, "updated_at"])
        activity_log(
            actor=actor, action="directory.person.update", obj=person,
            cluster_id=event.cluster_id, event_id=event.pk, data={"fields": filled},
        )  # fmt: skip
        summary.people_updated += 1
    directory_services.cluster_contact_add(cluster=event.cluster, person=person)
    return person


def _refusal_text(exc: ValidationError, event: Event) -> str:
    # A required registration question is keyed `question_<id>`: name it, the organiser
    # has to answer it (or make it optional) before importing.
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    labels = dict(event.questions.values_list("pk", "label"))
    parts = []
    for key, errors in exc.error_dict.items():
        prefix, _sep, pk = key.partition("_")
        label = labels.get(int(pk)) if prefix == "question" and pk.isdigit() else key
        parts += [f"{label}: {message}" for e in errors for message in e.messages]
    return "; ".join(parts)


def participants_import(
    *, event: Event, rows: list[ParticipantRow], actor: User | None, dry_run: bool = False
) -> ImportSummary:
    """Write checked `rows` for `event` in one transaction: organisations (by name, any case),
    people (by email; known people get only their empty fields filled), cluster contacts,
    registrations (by the organiser, privacy consent under the organiser's legal basis,
    matchmaking consent from the file) with their matchmaking profiles. People already
    registered are skipped. With `dry_run` everything is rolled back and only counted.
    Raises ImportRefused (nothing written) when a registration is refused (event full, a
    required question, ...). Side effects: those rows, activity log lines, a confirmation
    email per new registration (after commit).

    New people are written in bulk (`_new_people_import`), known people one by one: the
    same rows either way, in the order of the file. When some row could be refused (the
    event unpublished, or not room for every row) every row goes one by one, so the refusals
    name their lines as before."""
    summary = ImportSummary(rows=len(rows))
    with transaction.atomic():
        ticket_type = _ticket_type(event, actor, summary)
        errors: list[str] = []
        known = _known_emails([row.email for row in rows]) if _bulk_safe(event, rows) else None
        orgs: dict[str, Organisation] = {}
        waiting: list[ParticipantRow] = []  # new people, written together before the next known
        for row in rows:
            if known is not None and row.email not in known:
                waiting.append(row)
                continue
            _new_people_import(event, waiting, ticket_type, actor, summary, orgs, errors)
            waiting = []
            _row_import(event, row, ticket_type, actor, summary, errors)
        _new_people_import(event, waiting, ticket_type, actor, summary, orgs, errors)
        if errors:
            raise ImportRefused(errors)  # leaving the block rolls everything back
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _row_import(event, row, ticket_type, actor, summary, errors) -> None:
    """One row through the services (a known person, or a refusal to report by line)."""
    try:
        with transaction.atomic():
            person = _person(row, event, actor, summary)
            if Registration.objects.filter(
                event=event, person=person, status__in=ACTIVE_STATUSES
            ).exists():
                summary.already_registered.append(row.email)
                return
            registration = registration_services.registration_create(
                event=event, person=person, ticket_type=ticket_type,
                consent_privacy=True, consent_matchmaking=row.consent_matchmaking,
                actor=actor, by_organiser=True, consent_source=ConsentSource.IMPORT,
            )  # fmt: skip
            profile_update(
                registration=registration, actor=actor, offers=row.offers,
                needs=row.needs, interests=row.interests or person.expertise,
            )  # fmt: skip
    except ValidationError as exc:
        errors.append(f"line {row.line}: not registered: {_refusal_text(exc, event)}")
        return
    summary.registrations_created += 1


# --- many new people at once ------------------------------------------------------------------


def _bulk_safe(event: Event, rows: list[ParticipantRow]) -> bool:
    """True when no registration of these rows can be refused: the event is published and
    has room for all of them (the import registers as the organiser, without answers)."""
    config = registration_config_for(event=event)
    state = registration_services.registration_window_state(event=event, config=config)
    if state == "not_published":
        return False
    if config.capacity is None:
        return True
    taken = Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES).count()
    return taken + len(rows) <= config.capacity


def _known_emails(emails: list[str]) -> set[str]:
    """Those of `emails` (lower case) the directory knows, in any case (through the index on
    the lower-cased address)."""
    known: set[str] = set()
    people = Person.objects.annotate(email_lower=Lower("email"))
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start : start + LOOKUP_CHUNK]
        known.update(people.filter(email_lower__in=chunk).values_list("email_lower", flat=True))
    return known


def _name_key(name: str) -> str:
    """`name` as `name__iexact` compares it: PostgreSQL upper-cases it all, SQLite's LIKE
    only the ASCII letters."""
    if connection.vendor == "sqlite":
        return name.translate(_ASCII_UPPER)
    return name.upper()


_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def _slugs_taken(slugs: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(slugs), LOOKUP_CHUNK):
        chunk = slugs[start : start + LOOKUP_CHUNK]
        taken.update(Organisation.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    return taken


def _slug_taken(slug: str) -> bool:
    return Organisation.objects.filter(slug=slug).exists()


def _organisations(rows, actor, summary, orgs: dict[str, Organisation]) -> None:
    """The organisations of `rows` into `orgs` (by `_name_key`), as `_person` finds or makes
    them one by one (`organisation_get_or_create`: the oldest of that name in any case, or a
    new one with the first row's type and country and a unique slug), looked up once per
    name and the new ones written together."""
    wanted: dict[str, ParticipantRow] = {}
    for row in rows:
        if row.organisation and _name_key(row.organisation) not in orgs:
            wanted.setdefault(_name_key(row.organisation), row)
    new: list[Organisation] = []
    for key, row in list(wanted.items()):
        found = Organisation.objects.filter(name__iexact=row.organisation).order_by("pk").first()
        if found is not None:
            orgs[key] = found
            del wanted[key]
    # organisation_create's slugs (`_unique_slug`), also unique among the new ones
    bases = {key: (slugify(row.organisation) or "item")[:192] for key, row in wanted.items()}
    used = _slugs_taken(list(set(bases.values())))
    for key, row in wanted.items():
        slug, n = bases[key], 2
        while slug in used or (slug != bases[key] and _slug_taken(slug)):
            slug, n = f"{bases[key]}-{n}", n + 1
        used.add(slug)
        org = Organisation(
            name=row.organisation.strip(), slug=slug, type=row.organisation_type,
            country=row.country,
        )  # fmt: skip
        # The country and the type were checked on reading, the slug just now.
        org.full_clean(exclude=["country"], validate_unique=False, validate_constraints=False)
        new.append(org)
        orgs[key] = org
    if new:
        Organisation.objects.bulk_create(new, batch_size=LOOKUP_CHUNK)
        ActivityLogEntry.objects.bulk_create(
            [activity_entry(actor=actor, action="directory.organisation.create", obj=o)
             for o in new],
            batch_size=LOOKUP_CHUNK,
        )  # fmt: skip
        summary.organisations_created += len(new)


def _new_people_import(event, rows, ticket_type, actor, summary, orgs, errors) -> None:
    """Rows of people the directory does not know yet: what `_row_import` writes for each
    (person, contact, registration, consents, profile, log lines, email), in a few inserts.
    A row whose person does not pass the model's checks goes one by one, to be reported."""
    people: list[tuple[ParticipantRow, Person]] = []
    _organisations(rows, actor, summary, orgs)
    for row in rows:
        try:
            organisation = orgs[_name_key(row.organisation)] if row.organisation else None
            person = Person(
                first_name=row.first_name.strip(), last_name=row.last_name.strip(),
                email=row.email.strip().lower(), organisation=organisation,
                job_title=row.job_title, country=row.country, bio=row.bio,
                languages=row.languages,
            )  # fmt: skip
            # Uniqueness is the lookup's (`_known_emails`) and, last, the database's; the
            # country was checked on reading and the organisation was just found or made.
            person.full_clean(
                exclude=["country", "organisation"], validate_unique=False,
                validate_constraints=False,
            )  # fmt: skip
        except ValidationError:
            _row_import(event, row, ticket_type, actor, summary, errors)
            continue
        people.append((row, person))
    if not people:
        return
    created = Person.objects.bulk_create([p for _row, p in people], batch_size=LOOKUP_CHUNK)
    directory_services.cluster_contacts_add(cluster=event.cluster, people=created)
    ActivityLogEntry.objects.bulk_create(
        [
            activity_entry(actor=actor, action="directory.person.create", obj=person,
                           cluster_id=event.cluster_id)
            for person in created
        ],
        batch_size=LOOKUP_CHUNK,
    )  # fmt: skip
    summary.people_created += len(created)
    try:
        with transaction.atomic():
            registrations = registration_services.registrations_bulk_create(
                event=event, people=[(p, row.consent_matchmaking) for row, p in people],
                ticket_type=ticket_type, actor=actor, consent_source=ConsentSource.IMPORT,
            )  # fmt: skip
            profiles_bulk_create(
                event=event, actor=actor,
                items=[
                    (r, {"offers": row.offers, "needs": row.needs,
                         "interests": row.interests or r.person.expertise})
                    for r, (row, _p) in zip(registrations, people, strict=True)
                ],
            )  # fmt: skip
    except ValidationError as exc:  # the event changed meanwhile: refuse from the first row
        errors.append(f"line {people[0][0].line}: not registered: {_refusal_text(exc, event)}")
        return
    summary.registrations_created += len(registrations)
