"""The browser journey's world: the real app served by `python -m clusterhub runserver` and a
real task worker (`python -m clusterhub worker`), both on a fresh SQLite database in a temporary
CLUSTERHUB_VAR_DIR, mail written to files, and Debian's Chromium driven by Playwright.

The journey carries the `browser` marker: `make test` leaves it out (a fresh
machine has no Chromium), `make test-browser` runs only it and fails if Chromium is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import clusterhub
from tests.e2e.app import LiveApp

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
REPO = Path(clusterhub.__file__).resolve().parents[2]
WAIT = 60  # seconds at most for a process to come up (a timeout, not a timed assertion)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "clusterhub", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode:
        pytest.fail(f"clusterhub {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class _Process:
    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                [sys.executable, "-m", "clusterhub", *args],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def alive(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"the {self.name} exited early:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


SCREENSHOTS: list[Path] = []


def pytest_terminal_summary(terminalreporter) -> None:
    for folder in SCREENSHOTS:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"browser journey: {count} screenshots in {folder}")


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where the journey keeps its screenshots, for people to look at after the run
    (E2E_SCREENSHOTS, by default var/e2e-screenshots/ of the checkout; emptied first)."""
    folder = Path(os.environ.get("E2E_SCREENSHOTS", REPO / "var" / "e2e-screenshots")).resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    SCREENSHOTS.append(folder)
    return folder


@pytest.fixture(scope="session")
def live_app() -> Iterator[LiveApp]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    var_dir = Path(tempfile.mkdtemp(prefix="clusterhub-e2e-"))
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    source = str(REPO / "src")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DJANGO_PROFILE"}
    } | {
        "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]),
        "CLUSTERHUB_VAR_DIR": str(var_dir),
        "EMAIL_URL": f"filemail:///{var_dir / 'mail'}",  # absolute: four slashes
        "SITE_URL": base_url,
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
        "CLUSTERHUB_WORKER_HEARTBEAT": "0.5",
        # A pause after each progress step of a background job, so the live progress bar is
        # there to be seen (the jobs of three people take a fraction of a second otherwise).
        "CLUSTERHUB_TASK_STEP_DELAY": "0.3",
    }
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "createcachetable")
    app = LiveApp(base_url=base_url, var_dir=var_dir, env=env)
    _manage(env, "shell", "--no-imports", "-c", app.seed_script())
    server = _Process(
        "web server", ["runserver", f"127.0.0.1:{port}", "--noreload"], env, var_dir / "web.log"
    )
    worker = _Process(
        "task worker",
        ["worker", "--queue-name", "*", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        env,
        var_dir / "worker.log",
    )
    try:
        deadline = time.monotonic() + WAIT
        while True:
            server.alive()
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=5):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the web server did not answer:\n{server.log.read_text()}")
                time.sleep(0.2)
        app.processes = [server, worker]
        yield app
    finally:
        worker.stop()
        server.stop()
        if os.environ.get("E2E_KEEP_VAR"):
            print(f"\nbrowser journey data kept in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(live_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()
