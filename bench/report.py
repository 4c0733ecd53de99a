"""Time to render the highlights report of a 1,000-participant event as HTML and as PDF.

    .venv/bin/python bench/report.py [--participants 1000] [--sessions 120] [--runs 5]
                                     [--pdf-runs 3] [--no-write]

Builds, in a fresh SQLite database under a temporary directory (never the shared var/), a
synthetic event (`clusterhub.demo.large.build_large_event`, seed 0) and, deterministically
from one `random.Random(0)`: `--participants` confirmed registrations (85 % checked in), meeting
requests, about three published meetings per person in the event's networking sessions,
feedback from most sides (held or not, rating, next step), partnerships with two or three
organisations, training sign-ups, an event survey with ratings, and a published report with
key messages on a third of the sessions (through the report services). Rows are bulk
inserted, as `build_large_event` does: the services would take minutes and are not what is
measured.

Then it times, in-process and after one warm-up render (the first loads matplotlib):
`report_html(event)` (`--runs` times), the public page `/events/<slug>/report/` through
Django's test Client (`--runs` times, SQL queries counted on one more request), and
`report_pdf(event)` (`--pdf-runs` times), and reports the medians. It prints the figures and
rewrites its own section of bench/RESULTS.md with the machine, versions, date and command.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from programme_page import _machine, _setup_django  # noqa: E402 - the same set-up
from results import RESULTS, write_section  # noqa: E402

BEGIN, END = "<!-- report:begin -->", "<!-- report:end -->"
TARGETS = {"html": 1.0, "pdf": 10.0}  # seconds, issue 6


def _build(participants: int, sessions: int) -> tuple:
    """The event, with everything the report shows; returns (event, counts)."""
    from django.db import transaction
    from django.utils import timezone

    from clusterhub.demo.large import build_large_event
    from clusterhub.directory.models import Person
    from clusterhub.events.models import Session, SessionType
    from clusterhub.followup.models import (
        MeetingFeedback,
        Partnership,
        PartnershipStage,
        PartnershipType,
        QuestionKind,
        Survey,
        SurveyAnswer,
        SurveyQuestion,
        SurveyResponse,
    )
    from clusterhub.matchmaking.models import Meeting, MeetingRequest, MeetingSeat
    from clusterhub.registration.models import Registration, SignUp, TicketType
    from clusterhub.reports import services

    rng = random.Random(0)
    event = build_large_event(sessions=sessions, people=participants + participants // 2)
    now = timezone.now()
    with transaction.atomic():
        ticket = TicketType.objects.create(event=event, name="Participant")
        people = list(Person.objects.order_by("pk").values_list("pk", "organisation_id"))
        chosen = rng.sample(people, participants)
        regs = Registration.objects.bulk_create(
            [
                Registration(
                    event=event, person_id=pk, ticket_type=ticket, consent_privacy_at=now,
                    checked_in_at=now if rng.random() < 0.85 else None,
                )
                for pk, _org in chosen
            ],
            batch_size=500,
        )  # fmt: skip
        org_of = {r.pk: org for r, (_pk, org) in zip(regs, chosen, strict=True)}
        # Meetings: fill the slots of the networking sessions, three per person at most.
        networking = list(Session.objects.filter(event=event, type=SessionType.NETWORKING))
        meetings, seats, requests, busy = [], [], [], {}
        for session in networking:
            start = session.start
            while start + timedelta(minutes=20) <= session.end:
                free = [r for r in regs if busy.get(r.pk, 0) < 3]
                rng.shuffle(free)
                for table, (a, b) in enumerate(
                    zip(free[0:120:2], free[1:120:2], strict=False), start=1
                ):
                    meetings.append(Meeting(
                        event=event, session=session, start=start,
                        end=start + timedelta(minutes=20), table=table, a=a, b=b,
                        status="published",
                    ))  # fmt: skip
                    busy[a.pk] = busy.get(a.pk, 0) + 1
                    busy[b.pk] = busy.get(b.pk, 0) + 1
                    if rng.random() < 0.4:
                        requests.append(
                            MeetingRequest(
                                event=event,
                                sender=a,
                                recipient=b,
                                status="accepted",
                                answered_at=now,
                            )
                        )
                start += timedelta(minutes=25)
        Meeting.objects.bulk_create(meetings, batch_size=500)
        for m in meetings:
            seats += [MeetingSeat(meeting=m, registration=r, start=m.start, end=m.end)
                      for r in (m.a, m.b)]  # fmt: skip
        MeetingSeat.objects.bulk_create(seats, batch_size=1000)
        MeetingRequest.objects.bulk_create(requests, batch_size=500)
        feedback, ideas = [], []
        for m in meetings:
            held = rng.random() < 0.88
            for side in (m.a, m.b):
                if rng.random() < 0.2:
                    continue
                outcome = rng.choice(["nothing", "follow_up", "follow_up", "partnership_idea"])
                feedback.append(MeetingFeedback(
                    meeting=m, registration=side, attendance="held" if held else "no_show",
                    rating=rng.choice([3, 4, 4, 5, 5]) if held else None,
                    outcome=outcome if held else "",
                ))  # fmt: skip
                if held and outcome == "partnership_idea":
                    ideas.append(m)
        MeetingFeedback.objects.bulk_create(feedback, batch_size=1000)
        partnerships = []
        for m in list(dict.fromkeys(ideas))[: max(10, participants // 15)]:
            orgs = {org_of[m.a_id], org_of[m.b_id]} - {None}
            if len(orgs) < 2:
                continue
            p = Partnership.objects.create(
                cluster=event.cluster, event=event, meeting=m,
                title=f"Partnership {len(partnerships) + 1}",
                type=rng.choice(PartnershipType.values), stage=rng.choice(PartnershipStage.values),
            )  # fmt: skip
            p.organisations.set(orgs)
            partnerships.append(p)
        signups = []
        for module in Session.objects.filter(event=event, type=SessionType.TRAINING):
            for r in rng.sample(regs, min(len(regs), module.capacity or 20)):
                signups.append(SignUp(registration=r, session=module, status="confirmed"))
        SignUp.objects.bulk_create(signups, batch_size=1000)
        survey = Survey.objects.create(event=event, title="How was it?")
        question = SurveyQuestion.objects.create(survey=survey, label="Overall?",
                                                 kind=QuestionKind.RATING)  # fmt: skip
        responders = [r for r in regs if r.checked_in_at and rng.random() < 0.6]
        responses = SurveyResponse.objects.bulk_create(
            [SurveyResponse(survey=survey, registration=r) for r in responders], batch_size=500
        )
        SurveyAnswer.objects.bulk_create(
            [SurveyAnswer(response=s, question=question, rating=rng.choice([3, 4, 4, 5, 5]))
             for s in responses], batch_size=1000,
        )  # fmt: skip
        services.report_update(
            event=event, actor=None, title="", introduction="A synthetic introduction. " * 8,
            closing="A synthetic closing paragraph. " * 5,
        )  # fmt: skip
        top = list(Session.objects.filter(event=event).exclude(type=SessionType.BREAK))
        for s in rng.sample(top, len(top) // 3):
            services.session_highlight_set(
                event=event, session=s, actor=None,
                key_messages="A first key message of the session.\nA second one, a bit longer.",
            )  # fmt: skip
        services.report_publish(event=event, publish=True, actor=None)
    counts = {
        "participants": len(regs), "sessions": Session.objects.filter(event=event).count(),
        "meetings": len(meetings), "feedback": len(feedback), "partnerships": len(partnerships),
        "ratings": len(responses),
    }  # fmt: skip
    return event, counts


def _public_urls() -> str:
    """A URLconf with the public report mounted at /events/<slug>/report/, for as long as
    src/clusterhub/urls.py does not mount it itself; returns its module name."""
    import types

    from django.urls import include, path

    from clusterhub import urls as project

    module = types.ModuleType("bench_report_urls")
    mounted = any(getattr(p, "namespace", None) == "report" for p in project.urlpatterns)
    public = include(("clusterhub.reports.urls.public", "report"))
    report = path("events/<slug:slug>/report/", public)
    module.urlpatterns = project.urlpatterns if mounted else [report, *project.urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


def _timed(fn, runs: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def _section(figures: dict, counts: dict, args, machine: dict, build_s: float) -> str:
    import sqlite3

    import django
    import matplotlib
    import weasyprint

    command = " ".join([".venv/bin/python bench/report.py", *sys.argv[1:]])
    rows = [
        ("`report_html(event)`: the self-contained document", figures["html"], args.runs,
         TARGETS["html"], f"{figures['html_kib']:,} KiB"),
        ("public page `/events/<slug>/report/` (test Client)", figures["page"], args.runs,
         TARGETS["html"], f"{figures['queries']} SQL queries"),
        ("`report_pdf(event)`: A4 PDF through WeasyPrint", figures["pdf"], args.pdf_runs,
         TARGETS["pdf"], f"{figures['pdf_pages']} pages, {figures['pdf_kib']:,} KiB"),
    ]  # fmt: skip
    lines = [
        BEGIN,
        "## Highlights report (`clusterhub.reports`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{machine['commit']}` "
        "(plus uncommitted changes, if any)",
        f"- Command: `{command}`",
        f"- Machine: {machine['cpu']}, {machine['nproc']} CPUs, {machine['ram']} RAM "
        f"({platform.system()} {platform.release()}); load average {machine['load']} "
        "(1/5/15 min) when measuring",
        f"- Python {platform.python_version()}, Django {django.get_version()}, SQLite "
        f"{sqlite3.sqlite_version}, matplotlib {matplotlib.__version__}, WeasyPrint "
        f"{weasyprint.__version__}, DEBUG off",
        f"- Data (seed 0, built in {build_s:.1f} s): {counts['participants']:,} participants, "
        f"{counts['sessions']} sessions (parts included), {counts['meetings']:,} published "
        f"meetings with {counts['feedback']:,} feedback answers, {counts['partnerships']} "
        f"partnerships, {counts['ratings']} event ratings, key messages on a third of the "
        "sessions",
        "- Method: one warm-up render first (the very first also imports matplotlib: "
        f"{figures['cold']:.2f} s), then the median of the timed runs, in-process",
        "",
        "| what | median s | runs | target s | |",
        "|---|---:|---:|---:|---|",
    ]
    for label, median, runs, target, note in rows:
        lines.append(f"| {label} | {median:.2f} | {runs} | ≤ {target:.0f} | {note} |")
    verdict = f"HTML: {figures['html']:.2f} s of ≤ 1 s; PDF: {figures['pdf']:.2f} s of ≤ 10 s."
    lines += ["", verdict, END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=120)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="clusterhub-bench-") as var_dir:
        _setup_django(var_dir)
        from django.db import connection
        from django.test import Client, override_settings
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from pypdf import PdfReader

        from clusterhub.events.models import Event
        from clusterhub.reports.rendering import report_html, report_pdf

        started = time.perf_counter()
        event, counts = _build(args.participants, args.sessions)
        build_s = time.perf_counter() - started
        event = Event.objects.select_related("cluster__organisation").get(pk=event.pk)

        cold, _t, _r = _timed(lambda: report_html(event), 1)
        html_s, _t, html = _timed(lambda: report_html(event), args.runs)
        client = Client()
        with override_settings(ROOT_URLCONF=_public_urls()):
            url = reverse("report:page", args=[event.slug])
            assert client.get(url).status_code == 200
            page_s, _t, _r = _timed(lambda: client.get(url), args.runs)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
        report_pdf(event)  # warm-up: WeasyPrint's fonts and stylesheets
        pdf_s, _t, pdf = _timed(lambda: report_pdf(event), args.pdf_runs)
        pdf_path = Path(var_dir, "report.pdf")
        pdf_path.write_bytes(pdf)
        figures = {
            "cold": cold, "html": html_s, "page": page_s, "pdf": pdf_s,
            "queries": len(queries.captured_queries), "html_kib": len(html.encode()) // 1024,
            "pdf_kib": len(pdf) // 1024, "pdf_pages": len(PdfReader(pdf_path).pages),
        }  # fmt: skip
        section = _section(figures, counts, args, _machine(), build_s)
    print(section.replace(BEGIN + "\n", "").replace("\n" + END, ""))
    if not args.no_write:
        write_section(section, BEGIN, END)
        print(f"\nwritten to {RESULTS.relative_to(BENCH_DIR.parent)}")


if __name__ == "__main__":
    main()
