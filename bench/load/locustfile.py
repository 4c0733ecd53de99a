"""The issue-11 load mix against a running clusterhub (run by bench/load/run.py).

    LOAD_DATA=plan.json .venv/bin/locust -f bench/load/locustfile.py --headless \
        --host http://127.0.0.1:8765 -u 50 -r 0.35 -t 6m

`LOAD_DATA` is the JSON that run.py writes after building the event (`prepare`): the event's
slug, the common password, participant logins with their registration ids, the check-in
staff's login and API token, badge tokens, session ids. Every request is named
`<type>: <what>` with the type one of `read`, `write`, `checkin` (the three targets of the
issue) or `setup` (logging in, before the measured mix), so the results can be grouped.
With `LOAD_SAMPLES` set, every request's (name, milliseconds, ok, unix time) is written there
as JSON when the run stops, with the measured window: it opens `LOAD_SETTLE` s after the
last of `LOAD_USERS` users logged in, and the run stops `LOAD_DURATION` s later.
Participants wait `LOAD_WAIT_MIN`–`LOAD_WAIT_MAX` s between actions.

Users:
- `Participant` (weight): logs in once through allauth's form like a browser (GET for the CSRF
  cookie, POST email and password), then browses the public programme (one day, all days),
  session pages with their sign-up box, their agenda (`me/`), their recommendations
  (`matchmaking/`), signs up for capacity-limited sessions (the real htmx POST of the sign-up
  box; the seats are concentrated on a few sessions so the sign-ups race) and sends meeting
  requests (the real form POST).
- Check-in staff (fixed counts), each at a constant pace so that together they make
  `LOAD_SCANS_PER_S` scans a second at the door (default 10), on both check-in endpoints:
  `CheckInDesk` (`LOAD_DESKS`, default 3) logs in and posts badges to the web desk's scan
  endpoint (`checkin/scan/`, JSON answer); `CheckInScanner` (`LOAD_SCANNERS`, default 2) is a
  scanner app on the API (`POST /api/v1/events/<slug>/checkins/`, Bearer token).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time

import gevent
from locust import HttpUser, between, constant_throughput, events, task

PLAN = json.loads(open(os.environ["LOAD_DATA"]).read())  # noqa: SIM115 - read once at import
SLUG = PLAN["slug"]
PASSWORD = PLAN["password"]
DESKS = int(os.environ.get("LOAD_DESKS", "3"))  # check-in staff at the web desk
SCANNERS = int(os.environ.get("LOAD_SCANNERS", "2"))  # check-in staff with the API
SCANS_PER_S = float(os.environ.get("LOAD_SCANS_PER_S", "10"))
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "3"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "10"))

_lock = threading.Lock()
_participants = itertools.cycle(PLAN["participants"])
_staff = itertools.cycle(PLAN["staff"])
_badges = itertools.cycle(PLAN["badges"])
_samples: list[tuple[str, float, bool]] = []
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


_window: dict = {"start": None, "stop": None}
_logged_in = [0]
_env: list = []
USERS = int(os.environ.get("LOAD_USERS", "0"))  # 0: no measured window, locust's -t decides
DURATION = float(os.environ.get("LOAD_DURATION", "0"))
SETTLE = float(os.environ.get("LOAD_SETTLE", "10"))


@events.init.add_listener
def _init(environment, **_kwargs):
    _env.append(environment)


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs):
    _samples.append((name, response_time, exception is None, time.time()))


def _started() -> None:
    """One more user logged in. When all are, the measured window opens after SETTLE s and
    the run stops DURATION s later."""
    with _lock:
        _logged_in[0] += 1
        if not USERS or _logged_in[0] != USERS:
            return
        _window["start"] = time.time() + SETTLE

    def stop_later() -> None:
        gevent.sleep(SETTLE + DURATION)
        _env[0].runner.quit()

    if DURATION:
        gevent.spawn(stop_later)


@events.quitting.add_listener
def _dump(environment, **_kwargs):
    _window["stop"] = time.time()
    path = os.environ.get("LOAD_SAMPLES")
    if path:
        with open(path, "w") as out:
            json.dump({"window": _window, "samples": _samples}, out)


def _error(response) -> str:
    return str(getattr(response, "error", "") or "")[:160]


def _next(iterator):
    with _lock:
        return next(iterator)


class _Browser(HttpUser):
    """A browser: cookies kept between requests, and a kept-alive connection that the server
    closed while the user was reading is reopened (requests/urllib3 do, as browsers do), not
    counted as an error; geventhttpclient (FastHttpUser) fails such a POST instead."""

    abstract = True

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def _login(self, email: str, password: str) -> None:
        """allauth's login form, as a browser fills it in."""
        with self.client.get(
            "/accounts/login/", name="setup: login form", catch_response=True
        ) as response:
            found = CSRF_INPUT.search(response.text or "")
            if response.status_code != 200 or not found:
                response.failure(f"login form: {response.status_code}")
                return
        with self.client.post(
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": found.group(1)},
            name="setup: login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code} {_error(response)}")

    def _get(self, path: str, name: str, **kwargs) -> None:
        """A page as the browser asks for it: anything but 200 (a redirect to the login page
        included) is an error."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code} {_error(response)}")

    def _post(self, path: str, data: dict, name: str, **kwargs):
        headers = {"X-CSRFToken": self._csrf(), **kwargs.pop("headers", {})}
        return self.client.post(path, data=data, headers=headers, name=name, **kwargs)


class Participant(_Browser):
    weight = 1
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        me = _next(_participants)
        self.email = me["email"]
        self.registration = me["registration"]
        self.matchable = me.get("matchable", False)
        self._login(self.email, PASSWORD)
        _started()

    # --- reads ---------------------------------------------------------------------------

    @task(3)
    def programme_day(self) -> None:
        day = random.choice(PLAN["days"])
        self.client.get(f"/events/{SLUG}/programme/?day={day}", name="read: programme (one day)")

    @task(1)
    def programme_all(self) -> None:
        self._get(f"/events/{SLUG}/programme/", "read: programme (all days)")

    @task(4)
    def session(self) -> None:
        pk = random.choice(PLAN["sessions"])
        self._get(f"/events/{SLUG}/sessions/{pk}/", "read: session page")

    @task(2)
    def signup_box(self) -> None:
        if not PLAN["signup_sessions"]:
            return
        pk = random.choice(PLAN["signup_sessions"])
        self._get(
            f"/events/{SLUG}/sessions/{pk}/signup-box/",
            "read: sign-up box",
            headers={"HX-Request": "true"},
        )

    @task(3)
    def agenda(self) -> None:
        self._get(f"/events/{SLUG}/me/", "read: my agenda (me/)")

    @task(2)
    def recommendations(self) -> None:
        self._get(f"/events/{SLUG}/matchmaking/", "read: my recommendations (matchmaking/)")

    # --- writes ----------------------------------------------------------------------------

    @task(2)
    def signup(self) -> None:
        """The sign-up box's button: an htmx POST answered with the box (200) showing a seat,
        a waitlist place or the refusal (a clash, already signed up)."""
        if not PLAN["race_sessions"]:
            return
        pk = random.choice(PLAN["race_sessions"])
        with self._post(
            f"/events/{SLUG}/me/sessions/{pk}/signup/",
            {},
            name="write: sign-up (race for seats)",
            headers={"HX-Request": "true"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"sign-up answered {response.status_code} {_error(response)}")

    @task(1)
    def meeting_request(self) -> None:
        """The request form on a person's page; answered by a redirect (302) to my requests
        (sent) or back to their page with the refusal as a message (already asked, limit)."""
        if not self.matchable:
            return
        other = random.choice(PLAN["matchable"])
        if other == self.registration:
            return
        with self._post(
            f"/events/{SLUG}/matchmaking/people/{other}/request/",
            {"message": "Shall we meet in the coffee break?"},
            name="write: meeting request",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(
                    f"meeting request answered {response.status_code} {_error(response)}"
                )


class CheckInDesk(_Browser):
    """Check-in staff at the web desk (`/orga/events/<slug>/checkin/`): the camera decodes the
    badge and posts it to the desk's scan endpoint, asking for the JSON answer."""

    fixed_count = DESKS
    wait_time = constant_throughput(SCANS_PER_S / max(DESKS + SCANNERS, 1))

    def on_start(self) -> None:
        self._login(_next(_staff)["email"], PLAN["staff_password"])
        _started()
        self.scan_url = f"/orga/events/{SLUG}/checkin/scan/"

    @task
    def scan(self) -> None:
        """200 with checked_in or already; 400 refused (a valid badge must never be)."""
        with self._post(
            self.scan_url,
            {"code": _next(_badges), "place": "door", "method": "scan"},
            name="checkin: badge scan, web desk",
            headers={"Accept": "application/json"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(
                    f"scan answered {response.status_code}: "
                    f"{_error(response) or response.text[:120]}"
                )
            elif response.json().get("status") not in ("checked_in", "already"):
                response.failure(f"scan: {response.text[:120]}")


class CheckInScanner(_Browser):
    """A scanner app of the check-in staff on the API (`POST /api/v1/events/<slug>/checkins/`
    with the staff's write token): 201 checked in, 200 already."""

    fixed_count = SCANNERS
    wait_time = constant_throughput(SCANS_PER_S / max(DESKS + SCANNERS, 1))

    def on_start(self) -> None:
        _started()
        self.headers = {"Authorization": f"Bearer {PLAN['staff_token']}"}

    @task
    def scan(self) -> None:
        with self.client.post(
            f"/api/v1/events/{SLUG}/checkins/",
            json={"badge": _next(_badges)},
            headers=self.headers,
            name="checkin: badge scan, API",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(
                    f"API scan answered {response.status_code}: "
                    f"{_error(response) or response.text[:120]}"
                )
