"""The live application the journey drives: its address, its database and its mail."""

from __future__ import annotations

import email
import sqlite3
import time
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

ORGANISER = ("orga@example.org", "Orga-journey-4821")
DESK = ("desk@example.org", "Desk-journey-4821")
CLUSTER = "Fjord Health Cluster"


@dataclass
class LiveApp:
    base_url: str
    var_dir: Path
    env: dict[str, str]
    processes: list[Any] = field(default_factory=list)

    @staticmethod
    def seed_script() -> str:
        """The one thing done outside the browser: a host cluster, its owner and a desk user
        (on a fresh instance the platform admin makes these in the Django admin)."""
        return f"""
from clusterhub.directory.models import User
from clusterhub.directory.services import cluster_create, cluster_member_set, organisation_create
owner = User.objects.create_user(email={ORGANISER[0]!r}, password={ORGANISER[1]!r})
desk = User.objects.create_user(email={DESK[0]!r}, password={DESK[1]!r})
org = organisation_create(name={CLUSTER!r}, actor=None, type="cluster", country="NO")
cluster = cluster_create(organisation=org, slug="fjord-health", owner=owner, actor=None)
cluster_member_set(cluster=cluster, user=desk, role="checkin", actor=None)
"""

    def url(self, path: str) -> str:
        return self.base_url + path

    def alive(self) -> None:
        for process in self.processes:
            process.alive()

    def query(self, sql: str, *params: Any) -> list[tuple]:
        """Read the app's database, to check outcomes (never to change them)."""
        db = sqlite3.connect(f"file:{self.var_dir / 'clusterhub.sqlite3'}?mode=ro", uri=True)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def mails(self) -> list[Message]:
        folder = self.var_dir / "mail"
        if not folder.exists():
            return []
        messages: list[Message] = []
        for path in sorted(folder.iterdir()):
            # The file backend writes one or more messages per file, separated by a line of dashes.
            for chunk in path.read_text().split("-" * 79 + "\n"):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk))
        return messages

    def mails_to(self, address: str) -> list[Message]:
        return [m for m in self.mails() if address in (m["To"] or "")]

    def wait_for_mail(self, address: str, text: str, timeout: float = 30) -> Message:
        """The first mail to `address` whose subject or body holds `text`: mail leaves through
        the outbox, sent by the task worker, so it may take a moment."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.mails_to(address):
                if text in (message["Subject"] or "") or text in _body(message):
                    return message
            self.alive()
            if time.monotonic() > deadline:
                subjects = [m["Subject"] for m in self.mails_to(address)]
                raise AssertionError(f"no mail to {address} with {text!r}; got {subjects}")
            time.sleep(0.2)


def _body(message: Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    texts = []
    for part in parts:
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(texts)
