from datetime import datetime

from django.apps import apps
from django.contrib.auth import authenticate

from clusterhub.demo.oslo_programme import CHECKIN_EMAIL, ORGANISER_EMAIL
from clusterhub.directory.models import ClusterMembership, Organisation, Person
from clusterhub.events import services
from clusterhub.events.models import Event, EventStatus, Session
from tests.demo.checks import assert_programme_invariants
from tests.demo.conftest import passwords, run_load_demo

SLUG = "oslo-deep-dive-days-2025"
JHI = "Joint Health Initiatives"
D1, D2 = "2025-12-03", "2025-12-04"
# (day, start, end, title, type, room, parent): the demo programme, Europe/Oslo wall-clock time.
PROGRAMME = [
    (D1, "08:30", "09:00", "Registration and coffee", "break", "Atrium", None),
    (D1, "09:00", "09:30", "Welcome to Oslo Deep Dive Days", "plenary", "Auditorium", None),
    (D1, "09:30", "10:45", "Voices of the Innovation Park", "session", "Auditorium", None),
    (D1, "10:45", "11:15", "Coffee break", "break", "Atrium", None),
    (D1, "11:15", "12:15", "Networking: meet the ecosystem", "networking", "Partnering lounge",
     None),
    (D1, "12:15", "13:15", "Lunch", "break", "Atrium", None),
    (D1, "13:15", "16:15", JHI, "session", "Auditorium", None),
    (D1, "13:15", "14:30", "Innovating for Crisis Preparedness", "session", "Auditorium", JHI),
    (D1, "14:30", "14:45", "Afternoon coffee", "break", "Atrium", None),
    (D1, "14:45", "16:15", "Cancer Research and Care in Times of Crisis", "panel", "Auditorium",
     JHI),
    (D1, "16:15", "18:00", "Networking reception", "networking", "Atrium", None),
    (D2, "08:30", "09:00", "Morning coffee", "break", "Atrium", None),
    (D2, "09:00", "10:15", "Innovation Norway: grants and dissemination", "training",
     "Seminar room", None),
    (D2, "09:00", "11:45", "Partnering meetings", "networking", "Partnering lounge", None),
    (D2, "10:15", "10:30", "Mid-morning coffee", "break", "Atrium", None),
    (D2, "10:30", "11:45", "Cluster development and internationalisation", "training",
     "Seminar room", None),
    (D2, "11:45", "12:45", "Lunch and networking", "break", "Atrium", None),
    (D2, "12:45", "14:00", "EU funding and Horizon Europe", "training", "Seminar room", None),
    (D2, "14:30", "16:30", "Site visit to SINTEF", "site_visit", "SINTEF, Forskningsveien", None),
]  # fmt: skip
TRAININGS = [row[3] for row in PROGRAMME if row[4] == "training"]


def _event() -> Event:
    return Event.objects.get(slug=SLUG)


def _session(title: str) -> Session:
    return Session.objects.get(event__slug=SLUG, title=title)


def _roles(title: str) -> list[tuple[str, str]]:
    return [(r.person.full_name, r.role) for r in _session(title).roles.select_related("person")]


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_load_demo_creates_published_event_with_host_and_partner(db, demo_output):
    event = _event()

    assert (event.name, event.status, event.published_at is not None) == (
        "Oslo Deep Dive Days 2025", EventStatus.PUBLISHED, True,
    )  # fmt: skip
    assert (str(event.start_date), str(event.end_date), event.timezone, event.city) == (
        D1, D2, "Europe/Oslo", "Oslo",
    )  # fmt: skip
    host = event.cluster.organisation
    assert (event.cluster.slug, host.name, host.type, host.country.code) == (
        "oslo-cancer-cluster", "Oslo Cancer Cluster", "cluster", "NO",
    )  # fmt: skip
    assert [(p.name, p.type, p.country.code) for p in event.partners.all()] == [
        ("Clusters4Health", "other", "")
    ]


def test_load_demo_builds_the_programme_of_the_article(db, demo_output):
    event = _event()

    def local(dt: datetime) -> tuple[str, str]:
        dt = dt.astimezone(event.tzinfo)
        return str(dt.date()), dt.strftime("%H:%M")

    actual = [
        (*local(s.start), local(s.end)[1], s.title, s.type, s.room.name,
         s.parent.title if s.parent else None)
        for s in event.sessions.select_related("room", "parent")
    ]  # fmt: skip
    assert sorted(actual) == sorted(PROGRAMME)
    assert_programme_invariants(event)


def test_load_demo_joint_health_initiatives_has_two_parts_with_the_panel_second(db, demo_output):
    parts = list(_session(JHI).parts.order_by("part_order"))

    assert [(p.part_order, p.title, p.type) for p in parts] == [
        (1, "Innovating for Crisis Preparedness", "session"),
        (2, "Cancer Research and Care in Times of Crisis", "panel"),
    ]
    panel = parts[1].roles.select_related("person__organisation")
    assert [r.role for r in panel] == ["moderator"] + ["panelist"] * 4
    ukrainians = [r.person for r in panel if r.person.country == "UA"]
    assert any(p.organisation.type == "cluster" for p in ukrainians)
    crisis = {r.person.organisation.type for r in parts[0].roles.select_related(
        "person__organisation")}  # fmt: skip
    assert {"diplomatic", "hospital"} <= crisis


def test_load_demo_welcome_is_given_by_the_two_people_the_article_names(db, demo_output):
    assert _roles("Welcome to Oslo Deep Dive Days") == [
        ("Ketil Widerberg", "speaker"),
        ("Marine Jeanmougin", "speaker"),
    ]
    real = Person.objects.filter(last_name__in=["Widerberg", "Jeanmougin"])
    # Nothing invented about them: no address, no job title.
    assert {(p.organisation.name, p.email, p.job_title) for p in real} == {
        ("Oslo Cancer Cluster", "", "")
    }
    # Everyone else on the programme is synthetic, with a reserved-domain address.
    others = Person.objects.filter(session_roles__session__event__slug=SLUG).exclude(pk__in=real)
    assert others.exists()
    assert all(p.email.endswith("@example.net") for p in others)


def test_load_demo_voices_session_has_education_industry_and_research(db, demo_output):
    roles = _session("Voices of the Innovation Park").roles.select_related("person__organisation")

    assert [(r.role, r.person.organisation.type) for r in roles] == [
        ("speaker", "school"), ("speaker", "company"), ("speaker", "research"),
    ]  # fmt: skip


def test_load_demo_training_modules_and_site_visit_need_sign_up_with_seats(db, demo_output):
    trainings = Session.objects.filter(event__slug=SLUG, type="training").select_related("room")

    assert sorted(s.title for s in trainings) == sorted(TRAININGS)
    assert {(s.signup_required, s.capacity) for s in trainings} == {(True, 25)}
    assert all(s.roles.count() == 1 for s in trainings)
    visit = _session("Site visit to SINTEF")
    assert (visit.type, visit.signup_required, visit.capacity) == ("site_visit", True, 30)
    assert visit.room.is_offsite
    assert visit.room.address == "Forskningsveien 1, 0373 Oslo"


def test_load_demo_puts_themes_on_sessions(db, demo_output):
    event = _event()

    assert {"crisis-preparedness", "oncology", "public-private-partnership", "eu-funding",
            "cluster-development", "digital-health", "education"} <= set(
        event.themes.values_list("slug", flat=True))  # fmt: skip
    assert list(_session("Cancer Research and Care in Times of Crisis").themes.order_by(
        "slug").values_list("slug", flat=True)) == [
        "crisis-preparedness", "oncology", "public-private-partnership"]  # fmt: skip


def test_load_demo_twice_duplicates_nothing(db, demo_output):
    before = _counts()

    output = run_load_demo(participants=20)

    assert _counts() == before
    assert "Added: nothing." in output
    assert Organisation.objects.filter(slug="oslo-cancer-cluster").count() == 1


def test_load_demo_prints_passwords_that_log_the_team_in(db, demo_output):
    found = passwords(demo_output)

    assert set(found) == {ORGANISER_EMAIL, CHECKIN_EMAIL}
    assert f"Log in at http://127.0.0.1:8000/accounts/login/ as {ORGANISER_EMAIL}" in demo_output
    organiser = authenticate(email=ORGANISER_EMAIL, password=found[ORGANISER_EMAIL])
    checkin = authenticate(email=CHECKIN_EMAIL, password=found[CHECKIN_EMAIL])
    assert organiser is not None
    assert checkin is not None
    roles = dict(ClusterMembership.objects.filter(cluster__slug="oslo-cancer-cluster")
                 .values_list("user__email", "role"))  # fmt: skip
    assert roles == {ORGANISER_EMAIL: "owner", CHECKIN_EMAIL: "checkin"}
    assert authenticate(email=ORGANISER_EMAIL, password="wrong") is None


def test_load_demo_gives_new_passwords_each_run_written_nowhere(db, demo_output, settings):
    first = passwords(demo_output)[ORGANISER_EMAIL]

    second = passwords(run_load_demo(participants=20))[ORGANISER_EMAIL]

    assert second != first
    assert authenticate(email=ORGANISER_EMAIL, password=first) is None
    assert authenticate(email=ORGANISER_EMAIL, password=second) is not None
    skip = {".git", ".venv", ".tools", "node_modules", "__pycache__", ".ruff_cache",
            ".mypy_cache", ".pytest_cache", ".hypothesis"}  # fmt: skip
    leaks = []
    for path in settings.PROJECT_DIR.rglob("*"):
        if skip.intersection(path.relative_to(settings.PROJECT_DIR).parts) or not path.is_file():
            continue
        data = path.read_bytes()
        leaks += [str(path) for pw in (first, second) if pw.encode() in data]
    assert leaks == []


def test_load_demo_after_organiser_changes_keeps_them_and_reports_what_no_longer_fits(
    db, demo_output
):
    event = _event()
    voices = _session("Voices of the Innovation Park")
    services.session_update(session=voices, actor=None, description="Edited by the organiser.")
    coffee = _session("Coffee break")
    start, end, room = coffee.start, coffee.end, coffee.room
    services.session_delete(session=coffee, actor=None)
    services.session_create(
        event=event, actor=None, title="Demo corner", type="networking", room=room,
        start=start, end=end,
    )  # fmt: skip

    output = run_load_demo(participants=20)

    assert "Left out" in output
    assert "Coffee break" in output
    assert _session("Voices of the Innovation Park").description == "Edited by the organiser."
    assert not Session.objects.filter(event=event, title="Coffee break").exists()
    assert event.sessions.count() == len(PROGRAMME)
    assert_programme_invariants(event)
