"""One event from end to end, in a real browser, as its people would use it.

An organiser creates an event with a two-seat training module and a networking session; three
participants make accounts and register; the third is waitlisted for the module and gets the
seat when another cancels; they fill their matchmaking profiles; the organiser runs
matchmaking (the real task worker does it); A asks B for a meeting and B accepts; the organiser
schedules and publishes the meetings, which appear in both agendas; the check-in desk scans a
badge; both record how the meeting went; the organiser publishes the report and downloads
its PDF. Every key page is photographed at phone and desktop sizes, checked with axe-core and
watched for Content Security Policy violations (tests/e2e/pages.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.app import DESK, ORGANISER, LiveApp
from tests.e2e.pages import DESKTOP, PageChecks

pytestmark = pytest.mark.browser

TZ = ZoneInfo("Europe/Oslo")
SLUG = "fjord-health-days"
MODULE = "Training module: Cluster leadership"
NETWORKING = "Networking: 1:1 meetings"
TIMEOUT = 20_000  # ms: the longest any page may take to show its outcome
JOB_TIMEOUT = 120_000  # ms: the longest a background job (matchmaking, scheduling) may take

expect.set_options(timeout=15_000)


@dataclass
class Actor:
    """One person with their own browser context (their own cookies)."""

    email: str
    password: str
    context: BrowserContext
    page: Page


@dataclass(frozen=True)
class Participant:
    first_name: str
    last_name: str
    email: str
    organisation: str
    org_type: str  # value of OrganisationType
    country: str  # ISO code
    offers: str
    needs: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


PASSWORD = "Journey-pass-4821"
ASTRID = Participant(
    "Astrid", "Hansen", "astrid@example.org", "Oslo University Hospital", "hospital", "NO",
    offers="hospital test bed for digital pathology", needs="AI triage software",
)  # fmt: skip
BOHDAN = Participant(
    "Bohdan", "Kovalenko", "bohdan@example.org", "Kyiv Triage AI", "company", "UA",
    offers="AI triage software", needs="clinical validation site",
)  # fmt: skip
CHIARA = Participant(
    "Chiara", "Rossi", "chiara@example.org", "Bologna Biobank Institute", "research", "IT",
    offers="biobank samples for cancer research", needs="digital pathology partners",
)  # fmt: skip


def control(page: Page, name: str | re.Pattern[str]) -> Locator:
    """A link or a button by its accessible name (links styled as buttons have role=button)."""
    return page.get_by_role("link", name=name).or_(page.get_by_role("button", name=name))


class Journey:
    def __init__(self, app: LiveApp, browser: Browser, checks: PageChecks) -> None:
        self.app, self.browser, self.checks = app, browser, checks
        now = datetime.now(TZ)
        # The event runs yesterday, today and tomorrow in its own time zone, so that the
        # networking session is over (meetings can get feedback) and the training module is
        # still to come, whatever the hour the test runs at.
        self.first_day, self.last_day = (
            now.date() - timedelta(days=1),
            now.date() + timedelta(days=1),
        )
        net = (now - timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
        module = (now + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
        self.networking_at = net
        self.module_at = module

    def actor(self, email: str, password: str) -> Actor:
        context = self.browser.new_context(
            base_url=self.app.base_url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/Oslo"
        )
        context.set_default_timeout(TIMEOUT)
        self.checks.watch(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "Give up your seat?" and the like
        return Actor(email, password, context, page)

    def goto(self, who: Actor, path: str) -> Page:
        self.app.alive()
        response = who.page.goto(path)
        assert response is not None, path
        assert response.ok, f"{path}: {response.status}"
        return who.page

    def log_in(self, who: Actor) -> None:
        page = self.goto(who, "/accounts/login/")
        page.get_by_label("Email address").fill(who.email)
        page.get_by_label("Password").fill(who.password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name=re.compile("Log out", re.I))).to_be_visible()

    # --- the organiser builds the event ---------------------------------------------------

    def create_event(self, orga: Actor) -> None:
        page = self.goto(orga, "/orga/")
        self.checks.key_page(page, "orga dashboard")
        control(page, "New event").click()
        page.get_by_label("Host cluster").select_option(label="Fjord Health Cluster")
        page.get_by_label("Name", exact=True).fill("Fjord Health Days")
        page.get_by_label("Short name").fill(SLUG)
        page.get_by_label("Tagline").fill("Where hospitals, schools and start-ups meet")
        page.get_by_label("First day").fill(self.first_day.isoformat())
        page.get_by_label("Last day").fill(self.last_day.isoformat())
        page.get_by_label("Time zone").fill("Europe/Oslo")
        page.get_by_label("Venue", exact=False).first.fill("Oslo Science Park")
        page.get_by_label("City").fill("Oslo")
        self.checks.key_page(page, "orga new event")
        page.get_by_role("button", name="Create event").click()
        expect(page.locator("h1")).to_contain_text("Fjord Health Days")
        self.checks.key_page(page, "orga event overview")

    def add_room(self, page: Page, name: str, capacity: int) -> None:
        control(page, re.compile("^Add (a|the first) room$")).first.click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Capacity").fill(str(capacity))
        page.get_by_role("button", name="Save room").click()
        expect(page.get_by_role("row", name=re.compile(name))).to_be_visible()

    def add_session(
        self, page: Page, *, title: str, type_: str, at: datetime, room: str, seats: int | None
    ) -> None:
        control(page, re.compile("^Add (a|the first) session$")).first.click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Type").select_option(label=type_)
        page.get_by_label("Day").select_option(value=at.date().isoformat())
        page.get_by_label("Starts").fill(at.strftime("%H:%M"))
        page.get_by_label("Ends").fill((at + timedelta(hours=1)).strftime("%H:%M"))
        page.get_by_label("Room").select_option(label=room)
        if seats is not None:
            page.get_by_label("Seats").fill(str(seats))
            page.get_by_label("sign-up required").check()
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)  # its edit page
        page.goto(f"/orga/events/{SLUG}/sessions/")
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()

    def build_programme(self, orga: Actor) -> None:
        page = orga.page
        control(page, "Rooms").first.click()
        self.add_room(page, "Auditorium", 120)
        self.add_room(page, "Seminar room", 20)
        self.checks.key_page(page, "orga rooms")
        page.goto(f"/orga/events/{SLUG}/sessions/")
        self.add_session(
            page, title=MODULE, type_="Training module", at=self.module_at, room="Seminar room",
            seats=2,
        )  # fmt: skip
        self.add_session(
            page, title=NETWORKING, type_="Networking", at=self.networking_at, room="Auditorium",
            seats=None,
        )  # fmt: skip
        self.checks.key_page(page, "orga programme")

    def open_registration(self, orga: Actor) -> None:
        page = self.goto(orga, f"/orga/events/{SLUG}/registration-settings/")
        control(page, "Add a ticket type").click()
        page.get_by_label("Name", exact=True).fill("Participant")
        page.get_by_role("button", name=re.compile("^Save")).click()
        expect(page.get_by_role("row", name=re.compile("Participant"))).to_be_visible()
        self.goto(orga, f"/orga/events/{SLUG}/")
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_role("button", name="Unpublish")).to_be_visible()
        self.goto(orga, f"/orga/events/{SLUG}/registration-settings/")
        expect(page.get_by_text("People can register now.")).to_be_visible()
        self.checks.key_page(page, "orga registration settings")

    # --- participants ------------------------------------------------------------------------

    def sign_up_and_register(self, person: Participant, *, key_pages: bool) -> Actor:
        who = self.actor(person.email, PASSWORD)
        page = self.goto(who, f"/events/{SLUG}/")
        if key_pages:
            self.checks.key_page(page, "public event home")
        control(page, re.compile("^Register")).first.click()
        # Not logged in: the register page sends people to log in or create an account.
        control(page, re.compile("sign up|create one|create an account", re.I)).first.click()
        page.get_by_label("Email").fill(person.email)
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_label("Password (again)").fill(PASSWORD)
        if key_pages:
            self.checks.key_page(page, "account sign-up")
        page.get_by_role("button", name="Sign Up").click()
        expect(page).to_have_url(re.compile(f"/events/{SLUG}/register/$"))
        page.get_by_role("radio", name="Participant").check()
        page.get_by_label("First name").fill(person.first_name)
        page.get_by_label("Last name").fill(person.last_name)
        page.get_by_label("Organisation", exact=True).fill(person.organisation)
        page.get_by_label("Type of organisation").select_option(person.org_type)
        page.get_by_label("Country").select_option(person.country)
        page.get_by_label("I have read and accept the privacy notice.").check()
        page.get_by_label("Show my profile to other participants for matchmaking.").check()
        if key_pages:
            self.checks.key_page(page, "registration form")
        page.get_by_role("button", name="Register", exact=True).click()
        expect(page.get_by_role("heading", name="My registration")).to_be_visible()
        expect(page.locator("ins", has_text="Confirmed").first).to_be_visible()
        return who

    def sign_up_for_module(self, who: Actor, *, expect_place: str) -> None:
        page = self.goto(who, f"/events/{SLUG}/me/")
        row = page.locator("#seated-sessions tr", has_text=MODULE)
        row.get_by_role("button").click()
        mine = page.locator("#signups tr", has_text=MODULE)
        expect(mine).to_contain_text(expect_place)

    def give_up_seat(self, who: Actor) -> None:
        page = self.goto(who, f"/events/{SLUG}/me/")
        page.locator("#signups tr", has_text=MODULE).get_by_role(
            "button", name="Give up my seat"
        ).click()
        expect(page.locator("#signups tr", has_text=MODULE)).to_have_count(0)

    def fill_profile(self, who: Actor, person: Participant) -> None:
        page = self.goto(who, f"/events/{SLUG}/matchmaking/profile/")
        page.get_by_label("What I offer").fill(person.offers)
        page.get_by_label("What I am looking for").fill(person.needs)
        page.get_by_label("About me").fill(f"{person.name} of {person.organisation}.")
        page.get_by_role("checkbox", name="Research collaboration").check()
        page.get_by_role("checkbox", name=NETWORKING).check()
        if person is ASTRID:
            self.checks.key_page(page, "matchmaking profile")
        page.get_by_role("button", name="Save my profile").click()
        expect(page).to_have_url(re.compile(f"/events/{SLUG}/matchmaking/$"))  # recommendations
        page = self.goto(who, f"/events/{SLUG}/matchmaking/profile/")
        expect(page.get_by_label("What I offer")).to_have_value(person.offers)

    # --- organiser: matchmaking and meetings ------------------------------------------------

    def run_matchmaking(self, orga: Actor) -> None:
        page = self.goto(orga, f"/orga/events/{SLUG}/matchmaking/")
        page.get_by_role("button", name="Run matchmaking").click()
        # The live progress bar (polled by htmx), then the page reloads with the figures.
        expect(page.locator("#run-progress").get_by_role("progressbar")).to_be_visible()
        finished = page.get_by_role("heading", name=re.compile("^Latest run, finished"))
        expect(finished).to_be_visible(timeout=JOB_TIMEOUT)  # the worker ran it
        expect(
            page.get_by_role("row", name=re.compile("^People with recommendations"))
        ).to_contain_text("3")
        self.checks.key_page(page, "orga matchmaking figures")

    def set_up_meetings(self, orga: Actor) -> None:
        page = self.goto(orga, f"/orga/events/{SLUG}/matchmaking/meetings/")
        page.get_by_role("row", name=re.compile(NETWORKING)).get_by_role(
            "link", name="Set up"
        ).click()
        page.get_by_label("Meeting length (minutes)").fill("20")
        page.get_by_label("Break between meetings (minutes)").fill("5")
        page.get_by_label("Tables").fill("4")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("row", name=re.compile(NETWORKING))).to_contain_text("Change")

    def request_meeting(self, sender: Actor, recipient: Participant) -> None:
        page = self.goto(sender, f"/events/{SLUG}/matchmaking/")
        card = page.locator("article", has_text=recipient.name).first
        expect(card).to_be_visible()
        self.checks.key_page(page, "my recommendations")
        card.get_by_role("button", name="Ask to meet").click()
        page.get_by_label("Message").fill("Could your test bed validate our triage tool?")
        page.get_by_role("button", name="Send the request").click()
        sent = page.get_by_role("region", name="You asked").locator(
            "article", has_text=recipient.name
        )
        expect(sent).to_contain_text("Waiting for an answer")

    def accept_request(self, recipient: Actor, sender: Participant) -> None:
        page = self.goto(recipient, f"/events/{SLUG}/matchmaking/requests/")
        request = page.locator("article", has_text=sender.name).first
        self.checks.key_page(page, "meeting requests")
        request.get_by_label("Answer (optional)").fill("Gladly, see you there.")
        request.get_by_role("button", name="Accept").click()
        expect(page.locator("article", has_text=sender.name).first).to_contain_text("Gladly")

    def schedule_and_publish(self, orga: Actor) -> None:
        page = self.goto(orga, f"/orga/events/{SLUG}/matchmaking/meetings/")
        page.get_by_role("button", name="Schedule meetings").click()
        expect(page.locator("#run-progress").get_by_role("progressbar")).to_be_visible()
        quality = page.locator("p.quality")
        expect(quality).to_contain_text("1 meetings scheduled of at most 1", timeout=JOB_TIMEOUT)
        expect(page.locator("table.meeting-grid")).to_contain_text(f"{ASTRID.name} & {BOHDAN.name}")
        self.checks.key_page(page, "orga meeting grid")
        page.get_by_role("button", name="Publish 1 draft meeting").click()
        expect(page.get_by_role("button", name=re.compile("^Publish"))).to_have_count(0)

    def meeting_in_agenda(self, who: Actor, other: Participant) -> None:
        page = self.goto(who, f"/events/{SLUG}/me/")
        agenda = page.locator("#agenda")
        expect(agenda).to_contain_text(other.name)
        expect(agenda).to_contain_text(self.networking_at.strftime("%H:%M"))

    # --- check-in desk ----------------------------------------------------------------------

    def badge_code(self, person: Participant) -> str:
        """What the badge's QR code holds, as a handheld scanner would read it (there is no QR
        decoder here: the app's own function makes the same token the badge prints)."""
        script = (
            "from clusterhub.registration.models import Registration;"
            "from clusterhub.registration.badges import badge_token_for;"
            f"print(badge_token_for(Registration.objects.get(person__email={person.email!r})))"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "clusterhub", "shell", "--no-imports", "-c", script],
            env=self.app.env, capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        return done.stdout.strip().splitlines()[-1]

    def download(self, who: Actor, link: Locator) -> bytes:
        """Follow a PDF link with the person's own session (cookies) and return the file."""
        href = link.get_attribute("href")
        assert href, "the link has no address"
        response = who.context.request.get(href)
        assert response.ok, f"{href}: {response.status}"
        assert response.headers["content-type"].startswith("application/pdf"), response.headers
        return response.body()

    def check_in(self, desk: Actor, person: Participant, code: str) -> None:
        page = self.goto(desk, f"/orga/events/{SLUG}/checkin/")
        self.checks.key_page(page, "check-in desk")
        page.get_by_label("Badge code").fill(code)
        page.get_by_role("button", name="Check in").click()
        result = page.locator(".checkin-result")
        expect(result).to_have_class(re.compile("checkin-checked_in"))
        expect(result).to_contain_text(person.name)
        self.checks.key_page(page, "check-in desk success")
        page.get_by_label("Badge code").fill(code)  # a second scan counts once
        page.get_by_role("button", name="Check in").click()
        expect(page.locator(".checkin-result")).to_have_class(re.compile("checkin-already"))

    # --- after the meeting ------------------------------------------------------------------

    def record_feedback(self, who: Actor, other: Participant, *, key_pages: bool) -> None:
        page = self.goto(who, f"/events/{SLUG}/matchmaking/meetings/")
        meeting = page.locator("article", has_text=other.name).first
        if key_pages:
            self.checks.key_page(page, "my meetings")
        meeting.get_by_role("link", name="How did it go? Tell us").click()
        page.get_by_role("radio", name="We met").check()
        page.get_by_label("How useful was it?").select_option("5")
        page.get_by_label("What comes next?").select_option("follow_up")
        page.get_by_label("Comment").fill("We plan a pilot in the spring.")
        if key_pages:
            self.checks.key_page(page, "meeting feedback")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_be_visible()

    def publish_report(self, orga: Actor) -> bytes:
        page = self.goto(orga, f"/orga/events/{SLUG}/report/")
        page.get_by_label("Introduction").fill(
            "Three people met who would never have met otherwise."
        )
        page.get_by_role("button", name="Save").click()
        self.checks.key_page(page, "orga report")
        page.get_by_role("button", name="Publish the report").click()
        expect(page.get_by_text("Anyone can read it since")).to_be_visible()
        return self.download(orga, page.get_by_role("link", name="PDF", exact=True))


def test_event_journey(live_app: LiveApp, browser: Browser, screenshots_dir) -> None:
    checks = PageChecks(screenshots_dir)
    journey = Journey(live_app, browser, checks)
    orga = journey.actor(*ORGANISER)
    journey.log_in(orga)
    journey.create_event(orga)
    journey.build_programme(orga)
    journey.open_registration(orga)

    astrid = journey.sign_up_and_register(ASTRID, key_pages=True)
    bohdan = journey.sign_up_and_register(BOHDAN, key_pages=False)
    chiara = journey.sign_up_and_register(CHIARA, key_pages=False)
    journey.sign_up_for_module(astrid, expect_place="Seat confirmed")
    journey.sign_up_for_module(bohdan, expect_place="Seat confirmed")
    journey.sign_up_for_module(chiara, expect_place="Waitlist: number 1")
    journey.checks.key_page(chiara.page, "my registration waitlisted")
    journey.give_up_seat(bohdan)
    page = journey.goto(chiara, f"/events/{SLUG}/me/")
    expect(page.locator("#signups tr", has_text=MODULE)).to_contain_text("Seat confirmed")
    journey.checks.key_page(page, "my registration promoted")
    live_app.wait_for_mail(CHIARA.email, f"You have a seat: {MODULE}")

    for who, person in ((astrid, ASTRID), (bohdan, BOHDAN), (chiara, CHIARA)):
        journey.fill_profile(who, person)
    journey.run_matchmaking(orga)
    journey.set_up_meetings(orga)
    journey.request_meeting(astrid, BOHDAN)
    journey.accept_request(bohdan, ASTRID)
    journey.schedule_and_publish(orga)
    journey.meeting_in_agenda(astrid, BOHDAN)
    journey.meeting_in_agenda(bohdan, ASTRID)
    journey.checks.key_page(bohdan.page, "my agenda with meeting")
    live_app.wait_for_mail(ASTRID.email, BOHDAN.name)  # the published schedule, mailed to both
    live_app.wait_for_mail(BOHDAN.email, ASTRID.name)

    badge = journey.download(astrid, control(astrid.page, "Download my badge (PDF)"))
    assert badge.startswith(b"%PDF")
    desk = journey.actor(*DESK)
    journey.log_in(desk)
    journey.check_in(desk, ASTRID, journey.badge_code(ASTRID))

    journey.record_feedback(astrid, BOHDAN, key_pages=True)
    journey.record_feedback(bohdan, ASTRID, key_pages=False)
    assert live_app.query("select count(*) from followup_meetingfeedback") == [(2,)]

    pdf = journey.publish_report(orga)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000, len(pdf)
    visitor = journey.actor("visitor@example.org", "")  # nobody logged in
    page = journey.goto(visitor, f"/events/{SLUG}/report/")
    expect(page.get_by_role("heading", name="Highlights from Fjord Health Days")).to_be_visible()
    # The meeting was held (both said so), and both rated it 5: the report's figures.
    expect(page.locator("tr[data-indicator=meetings_held]")).to_contain_text("1")
    expect(page.get_by_role("row", name=re.compile(r"^1:1 meetings 2 5\.0"))).to_be_visible()
    journey.checks.key_page(page, "public report")
    page = journey.goto(visitor, f"/events/{SLUG}/programme/")
    expect(page.get_by_role("link", name=MODULE)).to_be_visible()
    journey.checks.key_page(page, "public programme")
    journey.checks.prove_watching(page)

    # What the journey left in the database.
    assert live_app.query(
        "select p.email, s.status from registration_signup s"
        " join registration_registration r on r.id = s.registration_id"
        " join directory_person p on p.id = r.person_id order by p.email"
    ) == [(ASTRID.email, "confirmed"), (CHIARA.email, "confirmed")]
    assert live_app.query("select count(*) from registration_checkin") == [(1,)]
    assert live_app.query("select status from matchmaking_meeting") == [("published",)]
