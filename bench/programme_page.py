"""Server time and query count of the public programme page, large programme against small.

    .venv/bin/python bench/programme_page.py [--requests 20] [--people 5000] [--no-write]

Builds, in a fresh SQLite database under a temporary directory (never the shared var/), one
synthetic event with 300 sessions and one with 30 (`clusterhub.demo.large`), both sharing a
directory of 5,000 synthetic people, then requests `/events/<slug>/programme/` with Django's
test Client: a few warm-up requests, then `--requests` timed ones (median and p95), and one more
under CaptureQueriesContext for the number of SQL queries. The time is the server's (URL
resolution, view, database, template); no network. It prints the figures and rewrites its own
section of bench/RESULTS.md with the machine, versions, date and command.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

from results import RESULTS, write_section

BENCH_DIR = Path(__file__).resolve().parent
BEGIN, END = "<!-- programme_page:begin -->", "<!-- programme_page:end -->"
WARM_UP = 3


def _setup_django(var_dir: str) -> None:
    os.environ["CLUSTERHUB_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "clusterhub.settings"
    os.environ["DEBUG"] = "false"  # as in production
    Path(var_dir, "static").mkdir()  # whitenoise warns when STATIC_ROOT is missing
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _measure(client, url: str, requests: int, cold: bool) -> dict[str, float | int]:
    """`cold`: the cache is emptied before each request, as for the first reader after a
    change of the programme (the listing is rendered); else readers find it cached."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "median": statistics.median(times),
        "p95": _percentile(times, 0.95),
        "queries": len(queries.captured_queries),
        "kb": len(response.content) // 1024,
    }


def _machine() -> dict[str, str]:
    def proc(path: str, pattern: str) -> str | None:
        try:
            match = re.search(pattern, Path(path).read_text(), re.M)
        except OSError:  # not Linux
            return None
        return match.group(1).strip() if match else None

    cpu = proc("/proc/cpuinfo", r"^model name\s*:\s*(.+)$") or platform.processor() or "unknown"
    kib = proc("/proc/meminfo", r"^MemTotal:\s*(\d+)")
    ram = f"{int(kib) / 1024 / 1024:.1f} GiB" if kib else "unknown"
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True, text=True, check=True, cwd=BENCH_DIR,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"cpu": cpu, "nproc": str(nproc), "ram": ram, "commit": commit, "load": load}


def _section(
    rows: list[tuple[str, int, tuple[dict, dict]]], build_s: float, args, machine: dict
) -> str:
    import sqlite3

    import django

    command = " ".join([".venv/bin/python bench/programme_page.py", *sys.argv[1:]])
    big, small = rows[0][2][1], rows[-1][2][1]
    lines = [
        BEGIN,
        "## Public programme page (`public:programme`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{machine['commit']}` "
        "(plus uncommitted changes, if any)",
        f"- Command: `{command}`",
        f"- Machine: {machine['cpu']}, {machine['nproc']} CPUs, {machine['ram']} RAM "
        f"({platform.system()} {platform.release()}); load average {machine['load']} "
        "(1/5/15 min) when measuring",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version} (fresh file database, WAL), DEBUG off",
        f"- Data: {args.people:,} synthetic people; building both events took {build_s:.1f} s",
        f"- Method: Django test Client in-process, {WARM_UP} warm-up requests, then "
        f"{args.requests} timed; queries counted on one more request",
        "",
        "The listing is cached per programme version, language and filter: *cached* is every",
        "reader after the first, *rendered* the first reader after a change (the cache emptied",
        "before each request).",
        "",
        "| page | sessions shown (parts incl.) | cached median ms | p95 ms | SQL queries "
        "| rendered median ms | p95 ms | SQL queries | page KiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, sessions, (r, c) in rows:
        lines.append(
            f"| {label} | {sessions} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} | "
            f"{c['median']:.1f} | {c['p95']:.1f} | {c['queries']} | {r['kb']} |"
        )
    lines += [
        "",
        f"Ratio 300 : 30 sessions, rendered: {big['median'] / small['median']:.1f}× the time, "
        f"{big['queries']} vs {small['queries']} queries.",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="clusterhub-bench-") as var_dir:
        _setup_django(var_dir)
        from django.test import Client
        from django.urls import reverse

        from clusterhub.demo.large import build_large_event

        started = time.perf_counter()
        big, small = (build_large_event(sessions=n, people=args.people) for n in (300, 30))
        build_s = time.perf_counter() - started
        first = big.local_datetime(big.start_date, dt_time.min)
        on_first_day = big.sessions.filter(start__gte=first, start__lt=first + timedelta(days=1))
        cases = [
            (f"300 sessions, all {len(big.days)} days", big, "", big.sessions.count()),
            ("300 sessions, first day (`?day=`)", big, f"?day={big.start_date}",
             on_first_day.count()),
            (f"30 sessions, {len(small.days)} day", small, "", small.sessions.count()),
        ]  # fmt: skip
        client = Client()
        rows = []
        for label, event, query, sessions in cases:
            url = reverse("public:programme", kwargs={"slug": event.slug}) + query
            measured = tuple(_measure(client, url, args.requests, cold) for cold in (False, True))
            rows.append((label, sessions, measured))
        machine = _machine()
        section = _section(rows, build_s, args, machine)
    print(section.replace(BEGIN + "\n", "").replace("\n" + END, ""))
    if not args.no_write:
        write_section(section, BEGIN, END)
        print(f"\nwritten to {RESULTS.relative_to(BENCH_DIR.parent)}")


if __name__ == "__main__":
    main()
