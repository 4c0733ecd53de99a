"""The issue-11 load scenario, end to end, on the production profile (PostgreSQL) and on the
SQLite default, with the correctness check after each run.

    .venv/bin/python bench/load/run.py [--targets pg,sqlite] [--duration 240] [--pg-users 50]
        [--sqlite-users 50] [--participants 20000] [--sessions 300] [--no-write]

For each target it:
1. makes a scratch database: PostgreSQL `clusterhub_load` on 127.0.0.1 (dropped first and at
   the end), or a SQLite file in a temporary directory (the default settings: WAL, IMMEDIATE);
2. builds the synthetic event there with `bench/scale_event.py` (20,000 participants, 300
   sessions) and runs a real matchmaking run on it (`match_run_execute`, k = 20), so that the
   recommendations page has something to show;
3. `prepare`: derives the load plan (bench/load/locustfile.py reads it) from the builder's
   JSON and the database: logins, check-in badges, sessions, the seated sessions the sign-ups
   race for (the ones with the fewest free seats, so they fill during the run), meeting
   request targets;
4. serves the app: PostgreSQL through `deploy/prod.sh` (LOCAL_HTTP=1, gunicorn with its default
   WEB_CONCURRENCY, the Redis cache on a database of its own, one task worker), SQLite as
   `make run` does (`runserver --noreload` and the task worker, default settings, DEBUG on);
5. runs locust headless for `--duration` seconds with the given number of users (5 of them
   check-in staff scanning 10 badges a second in all, the rest participants);
6. stops the server and runs the correctness queries: sessions with more confirmed sign-ups
   than seats, people or tables in two overlapping meetings, seats left empty while somebody
   waits; and scans the server log for "database is locked", tracebacks and 5xx answers.

Then it prints the figures and rewrites the `load` section of bench/RESULTS.md (between
`<!-- load:begin -->` and `<!-- load:end -->`) with the writer of bench/programme_page.py.
`prepare` and `check` are also subcommands (run with Django set up on DATABASE_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

LOAD_DIR = Path(__file__).resolve().parent
BENCH_DIR = LOAD_DIR.parent
REPO = BENCH_DIR.parent
PY = str(REPO / ".venv" / "bin" / "python")
LOCUST = str(REPO / ".venv" / "bin" / "locust")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "clusterhub_load"
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"
TYPES = ("read", "write", "checkin")
TARGETS = {"read": 300.0, "write": 800.0, "checkin": 200.0}  # p95 ms, issue 11
DESKS, SCANNERS = 3, 2  # check-in staff: at the web desk, with a scanner app on the API
STAFF = DESKS + SCANNERS
SCANS_PER_S = 10.0
SETTLE = 10  # seconds after the last user logged in before the measured window opens
PASSWORD = "load-test-" + "x" * 8  # only for the scratch database; replaced if the builder has one


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- subcommands run inside Django -----------------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()


def match(info_path: Path) -> None:
    """A real matchmaking run over the built event (what the organiser's button queues)."""
    _django()
    from clusterhub.events.models import Event
    from clusterhub.matchmaking.services import match_run_create, match_run_execute

    info = json.loads(info_path.read_text())
    event = Event.objects.get(slug=info["event"]["slug"])
    started = time.perf_counter()
    run = match_run_create(event=event, actor=None, k=20)
    match_run_execute(run=run)
    print(json.dumps({"match_seconds": round(time.perf_counter() - started, 1)}))


def prepare(info_path: Path, out_path: Path, participants: int, race: int) -> None:
    """The plan for locustfile.py, from the builder's JSON and the database."""
    _django()
    from django.db.models import Count, Q

    from clusterhub.events.models import Event, Session
    from clusterhub.matchmaking.selectors import profiles_visible
    from clusterhub.registration.models import CheckIn, SignUp
    from clusterhub.registration.tokens import badge_token

    info = json.loads(info_path.read_text())
    event = Event.objects.get(slug=info["event"]["slug"])
    matchable = set(profiles_visible(event=event).values_list("registration_id", flat=True))
    # Participants from the builder's sample, sharing ones first (they can send requests).
    sample = sorted(info["participants"], key=lambda p: not p["shares_profile"])[:participants]
    people = [
        {"email": p["email"], "registration": p["registration_id"],
         "matchable": p["registration_id"] in matchable}
        for p in sample
    ]  # fmt: skip
    # Badges are recomputed here, with the SECRET_KEY the server runs with.
    from clusterhub.registration.models import Registration

    waiting = Registration.objects.filter(
        event=event, status="confirmed", checked_in_at__isnull=True
    ).values_list("pk", "badge_nonce")
    badges = [badge_token(event_id=event.pk, registration_id=pk, nonce=n) for pk, n in waiting]
    import random

    random.Random(0).shuffle(badges)
    seated = list(
        Session.objects.filter(event=event, signup_required=True, capacity__isnull=False)
        .annotate(confirmed=Count("signups", filter=Q(signups__status="confirmed")))
        .values("pk", "capacity", "confirmed", "start")
    )
    free = sorted((s for s in seated if s["capacity"] > s["confirmed"]),
                  key=lambda s: s["capacity"] - s["confirmed"])  # fmt: skip
    # The seated sessions with the fewest seats left (that the run can fill), at distinct
    # times where possible so one person's sign-ups do not all clash.
    race_sessions, times = [], set()
    for s in free:
        if s["start"] not in times:
            race_sessions.append(s["pk"])
            times.add(s["start"])
        if len(race_sessions) == race:
            break
    staff = info["checkin_staff"]
    # The scanner app's write token for the check-in staff (the command prints the secret).
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("api_token_create", staff["email"], "--name", "load test", "--write", stdout=out)
    plan = {
        "slug": event.slug,
        "password": info["participant_password"],
        "staff_password": staff["password"],
        "participants": people,
        "staff": [{"email": staff["email"]}],
        "staff_token": out.getvalue().strip().splitlines()[-1],
        "badges": badges,
        "days": info["event"]["days"],
        "sessions": list(
            Session.objects.filter(event=event, parent__isnull=True).values_list("pk", flat=True)
        ),
        "signup_sessions": [s["pk"] for s in seated],
        "race_sessions": race_sessions,
        "matchable": sorted(matchable),
        "before": {
            "signups": SignUp.objects.filter(session__event=event).count(),
            "checkins": CheckIn.objects.filter(registration__event=event).count(),
            "requests": event.meeting_requests.count(),
        },
        "race_free_seats": {
            s["pk"]: s["capacity"] - s["confirmed"] for s in free if s["pk"] in race_sessions
        },
    }
    out_path.write_text(json.dumps(plan))
    secret = ("password", "staff_password", "staff_token")
    shown = {k: len(v) if isinstance(v, list) else v for k, v in plan.items() if k not in secret}
    print(json.dumps(shown, default=str)[:600])


def check(plan_path: Path, out_path: Path) -> None:
    """The correctness queries after the run (and what the run wrote)."""
    _django()
    from django.db import connection
    from django.db.models import Count, F, Q

    from clusterhub.events.models import Event, Session
    from clusterhub.matchmaking.models import Meeting
    from clusterhub.registration.models import CheckIn, SignUp

    plan = json.loads(plan_path.read_text())
    event = Event.objects.get(slug=plan["slug"])
    counted = Session.objects.filter(event=event, capacity__isnull=False).annotate(
        confirmed=Count("signups", filter=Q(signups__status="confirmed")),
        waiting=Count("signups", filter=Q(signups__status="waitlisted")),
    )
    overbooked = counted.filter(confirmed__gt=F("capacity"))
    idle_seats = counted.filter(confirmed__lt=F("capacity"), waiting__gt=0)
    q = connection.ops.quote_name
    meeting = q(Meeting._meta.db_table)
    live = "event_id = %s AND status <> 'cancelled'"
    with connection.cursor() as cursor:
        # A person in two meetings whose times overlap (either side of each meeting).
        cursor.execute(
            f"""WITH side AS (
                  SELECT id, a_id AS person, start, {q("end")} AS stop FROM {meeting} WHERE {live}
                  UNION ALL
                  SELECT id, b_id, start, {q("end")} FROM {meeting} WHERE {live})
                SELECT count(*) FROM side s1 JOIN side s2
                  ON s1.person = s2.person AND s1.id < s2.id
                 AND s1.start < s2.stop AND s2.start < s1.stop""",  # noqa: S608 - table names
            [event.pk, event.pk],
        )
        people_double = cursor.fetchone()[0]
        # A table of a networking session holding two overlapping meetings.
        cursor.execute(
            f"""SELECT count(*) FROM {meeting} m1 JOIN {meeting} m2
                  ON m1.session_id = m2.session_id AND m1.{q("table")} = m2.{q("table")}
                 AND m1.id < m2.id AND m1.start < m2.{q("end")} AND m2.start < m1.{q("end")}
                WHERE m1.event_id = %s AND m1.status <> 'cancelled'
                  AND m2.status <> 'cancelled'""",  # noqa: S608 - table names
            [event.pk],
        )
        tables_double = cursor.fetchone()[0]
    race = {
        str(s.pk): {"capacity": s.capacity, "confirmed": s.confirmed, "waitlisted": s.waiting}
        for s in counted.filter(pk__in=plan["race_sessions"])
    }
    result = {
        "overbooked_sessions": overbooked.count(),
        "overbooked_seats": sum(s.confirmed - s.capacity for s in overbooked),
        "people_double_booked": people_double,
        "tables_double_booked": tables_double,
        "empty_seats_while_waiting": idle_seats.count(),
        "meetings": Meeting.objects.filter(event=event).exclude(status="cancelled").count(),
        "new_signups": SignUp.objects.filter(session__event=event).count()
        - plan["before"]["signups"],
        "new_checkins": CheckIn.objects.filter(registration__event=event).count()
        - plan["before"]["checkins"],
        "new_requests": event.meeting_requests.count() - plan["before"]["requests"],
        "race": race,
    }
    out_path.write_text(json.dumps(result))
    print(json.dumps(result))


# --- the orchestration ------------------------------------------------------------------------


def _run(cmd: list[str], env: dict, log: Path | None = None, timeout: int = 1800) -> str:
    _log("$ " + " ".join(cmd[:6]) + (" ..." if len(cmd) > 6 else ""))
    done = subprocess.run(  # noqa: S603 - our own commands
        cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    if log:
        with log.open("a") as out:
            out.write(done.stdout + done.stderr)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}")
    return done.stdout


def _psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True, cwd=REPO)  # noqa: S603, S607


def _wait_healthy(url: str, server: subprocess.Popen, seconds: int = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped ({server.returncode}) before answering")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"no answer from {url}/healthz within {seconds} s")


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (prod.sh's trap stops its task worker; the
    SQLite pair is started in a group of its own)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _serve(target: str, env: dict, port: int, log: Path) -> subprocess.Popen:
    out = log.open("a")
    if target == "pg":
        env = {**env, "LOCAL_HTTP": "1", "BIND": f"127.0.0.1:{port}", "PY": PY}
        cmd = ["bash", "deploy/prod.sh"]
    else:
        # `make run`: the task worker beside Django's server, default settings.
        cmd = [
            "bash", "-c",
            f"{PY} -m clusterhub worker --queue-name '*' --no-reload & w=$!; "
            f"trap 'kill $w 2>/dev/null' EXIT INT TERM; "
            f"{PY} -m clusterhub runserver 127.0.0.1:{port} --noreload",
        ]  # fmt: skip
    _log("serving: " + " ".join(cmd[-1:] if target == "sqlite" else cmd))
    return subprocess.Popen(  # noqa: S603 - our own commands
        cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def _samples(path: Path) -> dict:
    """Per type and per name: count, failures, p50/p95/p99 ms; and throughput."""
    raw = json.loads(path.read_text())
    # The measured window: from SETTLE s after the last user logged in to the end; the
    # logins (`setup`) are kept whenever they happened.
    if raw["window"]["start"] is None:
        raise SystemExit("not every user logged in: no measured window")
    start, stop = raw["window"]["start"], raw["window"]["stop"]
    by_name: dict[str, list] = {}
    for name, ms, ok, at in raw["samples"]:
        if at >= start or name.startswith("setup:"):
            by_name.setdefault(name, []).append((ms, ok))

    def figures(rows: list) -> dict:
        times = [ms for ms, _ok in rows]
        return {
            "n": len(rows), "errors": sum(1 for _ms, ok in rows if not ok),
            "p50": _percentile(times, 0.50), "p95": _percentile(times, 0.95),
            "p99": _percentile(times, 0.99), "mean": statistics.fmean(times) if times else 0.0,
        }  # fmt: skip

    names = {name: figures(rows) for name, rows in sorted(by_name.items())}
    types = {}
    for kind in (*TYPES, "setup"):
        rows = [r for name, rs in by_name.items() if name.startswith(kind + ":") for r in rs]
        if rows:
            types[kind] = figures(rows)
    return {"names": names, "types": types, "window_s": max(stop - start, 1.0)}


def _scan_log(log: Path) -> dict:
    text = log.read_text(errors="replace") if log.exists() else ""
    status_5xx = re.findall(r'"\s(5\d\d)\s', text)
    return {
        "database_locked": text.count("database is locked"),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "server_5xx": len(status_5xx),
    }


def run_target(target: str, args, work: Path) -> dict:
    """Build, serve, load, check one target; returns its figures."""
    secret = secrets.token_urlsafe(50)
    var_dir = work / f"var-{target}"
    var_dir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "SECRET_KEY": secret, "CLUSTERHUB_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "clusterhub.settings", "PYTHONUNBUFFERED": "1",
    }  # fmt: skip
    if target == "pg":
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
        env["REDIS_URL"] = REDIS_URL
        _psql(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        _psql(f'CREATE DATABASE "{PG_DB}"')
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'clusterhub.sqlite3'}"  # the default file
    build_env = {**env, "DEBUG": "false"}
    log = work / f"{target}-build.log"
    info, plan, checked = work / f"{target}-info.json", work / f"{target}-plan.json", None
    started = time.perf_counter()
    _run([PY, str(BENCH_DIR / "scale_event.py"), "--participants", str(args.participants),
          "--sessions", str(args.sessions), "--info-out", str(info)], build_env, log)  # fmt: skip
    build_s = time.perf_counter() - started
    match_s = None
    if not args.no_match:
        out = _run([PY, __file__, "match", str(info)], build_env, log)
        match_s = json.loads(out.strip().splitlines()[-1])["match_seconds"]
    if target == "pg":
        # Fresh planner statistics after the bulk load, as autovacuum would gather them in
        # production (it is off on this machine's server; without them the planner takes the
        # 20,000 registrations of the event for one row and nests loops over them).
        subprocess.run(["psql", env["DATABASE_URL"], "-qc", "ANALYZE"], check=True)  # noqa: S603, S607
    users = args.pg_users if target == "pg" else args.sqlite_users
    # A cap only: the locustfile stops the run DURATION s after its window opened.
    cap = round(users / args.spawn_rate) + SETTLE + args.duration + 300
    _run([PY, __file__, "prepare", str(info), str(plan), "--participants",
          str(max(users * 2, 200)), "--race", str(args.race)], build_env, log)  # fmt: skip
    # The plan file carries the passwords of the scratch database only.
    server_log = work / f"{target}-server.log"
    port = _free_port()
    server = _serve(target, env, port, server_log)
    url = f"http://127.0.0.1:{port}"
    samples = work / f"{target}-samples.json"
    try:
        _wait_healthy(url, server)
        _log(f"{target}: serving on {url}; locust {users} users for {args.duration} s")
        load_env = {
            **os.environ, "LOAD_DATA": str(plan), "LOAD_SAMPLES": str(samples),
            "LOAD_DESKS": str(DESKS), "LOAD_SCANNERS": str(SCANNERS),
            "LOAD_SCANS_PER_S": str(SCANS_PER_S),
            "LOAD_WAIT_MIN": str(args.wait_min), "LOAD_WAIT_MAX": str(args.wait_max),
            "LOAD_USERS": str(users), "LOAD_DURATION": str(args.duration),
            "LOAD_SETTLE": str(SETTLE),
        }  # fmt: skip
        _run(
            [LOCUST, "-f", str(LOAD_DIR / "locustfile.py"), "--headless", "--host", url,
             "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{cap}s",
             "--csv", str(work / f"{target}-locust"), "--only-summary", "--stop-timeout", "10",
             "--exit-code-on-error", "0", "--loglevel", "WARNING"],
            load_env, work / f"{target}-locust.log", timeout=cap + 300,
        )  # fmt: skip
    finally:
        _stop(server)
    checked = work / f"{target}-check.json"
    _run([PY, __file__, "check", str(plan), str(checked)], build_env, log)
    figures = _samples(samples)
    figures |= {
        "target": target, "users": users, "duration": args.duration, "build_s": build_s,
        "match_s": match_s, "check": json.loads(checked.read_text()),
        "log": _scan_log(server_log), "info": json.loads(info.read_text())["counts"],
        "race_free_seats": json.loads(plan.read_text())["race_free_seats"],
    }  # fmt: skip
    measured = [n for name, n in figures["names"].items() if not name.startswith("setup:")]
    figures["rps"] = sum(n["n"] for n in measured) / figures["window_s"]
    if target == "pg":
        figures["web_concurrency"] = _gunicorn_workers(server_log)
        _psql(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    if args.keep:
        keep = REPO / "var" / "load"
        keep.mkdir(parents=True, exist_ok=True)
        for f in work.glob(f"{target}-*"):
            if "info" not in f.name and "plan" not in f.name:  # those hold passwords
                shutil.copy(f, keep / f.name)
    return figures


def _gunicorn_workers(log: Path) -> int:
    return len(set(re.findall(r"Booting worker with pid: (\d+)", log.read_text(errors="replace"))))


# --- the report ------------------------------------------------------------------------------


def _verdict(fig: dict, kind: str) -> str:
    t = fig["types"].get(kind)
    if t is None:
        return "–"
    ok = t["p95"] <= TARGETS[kind] and t["errors"] == 0
    return "pass" if ok else "**FAIL**"


def _correct(fig: dict) -> bool:
    c, log = fig["check"], fig["log"]
    return (
        c["overbooked_sessions"] == 0
        and c["people_double_booked"] == 0
        and c["tables_double_booked"] == 0
        and log["database_locked"] == 0
        and log["server_5xx"] == 0
        and all(t["errors"] == 0 for t in fig["types"].values())
    )


def _section(results: list[dict], args, machine: dict, wall_s: float) -> str:
    import django

    labels = {"pg": "PostgreSQL (production profile)", "sqlite": "SQLite (the default)"}
    command = " ".join([".venv/bin/python bench/load/run.py", *sys.argv[1:]])
    lines = [
        BEGIN,
        "## Load: the issue-11 mix on 20,000 participants (`bench/load/`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{machine['commit']}` "
        "(plus uncommitted changes, if any); the whole run took "
        f"{wall_s / 60:.0f} min",
        f"- Command: `{command}`",
        f"- Machine: {machine['cpu']}, {machine['nproc']} CPUs, {machine['ram']} RAM "
        f"({platform.system()} {platform.release()}); load average {machine['load']} at the "
        "end. locust runs on the same 2 cores as the server and the database.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"locust {_locust_version()}",
    ]
    for fig in results:
        c = fig["info"]
        if fig["target"] == "pg":
            serving = (
                f"`deploy/prod.sh` (LOCAL_HTTP=1): gunicorn, {fig.get('web_concurrency')} "
                "workers × 2 threads, Redis cache, 1 task worker, DEBUG off"
            )
        else:
            serving = "as `make run`: `runserver --noreload` + 1 task worker, default settings "
            serving += "(DEBUG on, database cache, WAL, IMMEDIATE)"
        lines.append(
            f"- {labels[fig['target']]}: {serving}; data by `bench/scale_event.py` in "
            f"{fig['build_s']:.0f} s ({c['participants']:,} participants, {c['sessions']} "
            f"sessions, {c['signups']:,} sign-ups, {c['meetings']:,} meetings)"
            + (f", then a matchmaking run in {fig['match_s']:.0f} s" if fig["match_s"] else "")
            + f"; {fig['users']} users ({DESKS} check-in desks on the web and {SCANNERS} scanner "
            f"apps on the API, {SCANS_PER_S:.0f} scans/s in all) for {fig['duration']} s"
        )
    lines += [
        f"- Participants wait {args.wait_min:g}–{args.wait_max:g} s between actions; each logs "
        f"in once through allauth's form (`setup`, not a target) while the users start "
        f"({args.spawn_rate:g} a second). The measured window opens {SETTLE} s after the last "
        "user logged in and lasts the given seconds; percentiles are of every request in it, "
        "as the client saw them (queueing included).",
        "",
        "### Targets",
        "",
        "| type | target p95 | " + " | ".join(labels[f["target"]] for f in results) + " |",
        "|---|---:|" + "---|" * len(results),
    ]
    for kind in TYPES:
        cells = []
        for fig in results:
            t = fig["types"].get(kind)
            cells.append(
                f"p95 {t['p95']:.0f} ms, {t['errors']} errors: {_verdict(fig, kind)}" if t else "–"
            )
        lines.append(f"| {kind} | ≤ {TARGETS[kind]:.0f} ms | " + " | ".join(cells) + " |")
    cells = []
    for fig in results:
        ck = fig["check"]
        cells.append(
            f"{ck['overbooked_seats']} overbooked seats, {ck['people_double_booked']} + "
            f"{ck['tables_double_booked']} double-booked (people + tables), "
            f"{fig['log']['database_locked']} locks, {fig['log']['server_5xx']} 5xx: "
            + ("pass" if _correct(fig) else "**FAIL**")
        )
    lines.append("| correctness | all 0 | " + " | ".join(cells) + " |")
    lines += ["", "### Per request", ""]
    header = "| request | " + " | ".join(
        f"{f['target']} n | p50 | p95 | p99 | err" for f in results
    )
    lines += [header + " |", "|---|" + "---:|---:|---:|---:|---:|" * len(results)]
    names = sorted(
        {n for f in results for n in f["names"]},
        key=lambda n: (
            [*TYPES, "setup"].index(n.split(":")[0]) if n.split(":")[0] in TYPES else 9,
            n,
        ),
    )
    rows = [(n, [f["names"].get(n) for f in results]) for n in names]
    rows += [(f"**all {k}**", [f["types"].get(k) for f in results]) for k in (*TYPES, "setup")]
    for name, figs in rows:
        cells = [
            f"{g['n']:,} | {g['p50']:.0f} | {g['p95']:.0f} | {g['p99']:.0f} | {g['errors']}"
            if g
            else "– | – | – | – | –"
            for g in figs
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "### Throughput and what the run wrote", ""]
    lines += ["| | " + " | ".join(labels[f["target"]] for f in results) + " |",
              "|---|" + "---:|" * len(results)]  # fmt: skip
    rows2 = [
        ("requests/s (measured mix)", lambda f: f"{f['rps']:.1f}"),
        ("sign-ups written", lambda f: f"{f['check']['new_signups']:,}"),
        ("meeting requests written", lambda f: f"{f['check']['new_requests']:,}"),
        ("check-ins written", lambda f: f"{f['check']['new_checkins']:,}"),
        ("race sessions: seats free at start → confirmed / capacity, waitlisted",
         lambda f: "; ".join(
             f"{f['race_free_seats'].get(pk, '?')} → {r['confirmed']}/{r['capacity']}, "
             f"{r['waitlisted']}" for pk, r in f["check"]["race"].items())),
        ("seats left empty while somebody waits (sessions)",
         lambda f: str(f["check"]["empty_seats_while_waiting"])),
        ("server log: tracebacks", lambda f: str(f["log"]["tracebacks"])),
    ]  # fmt: skip
    for label, cell in rows2:
        lines.append(f"| {label} | " + " | ".join(cell(f) for f in results) + " |")
    lines.append(END)
    return "\n".join(lines)


def _locust_version() -> str:
    from importlib.metadata import version

    return version("locust")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("match")
    p.add_argument("info", type=Path)
    p = sub.add_parser("prepare")
    p.add_argument("info", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--participants", type=int, default=400)
    p.add_argument("--race", type=int, default=6)
    p = sub.add_parser("check")
    p.add_argument("plan", type=Path)
    p.add_argument("out", type=Path)
    parser.add_argument("--targets", default="pg,sqlite")
    parser.add_argument("--duration", type=int, default=240, help="seconds of load per target")
    parser.add_argument("--pg-users", type=int, default=50)
    parser.add_argument("--sqlite-users", type=int, default=50)
    # allauth allows 30 logins a minute from one address ("login": "30/m/ip"), and every
    # locust user logs in from 127.0.0.1.
    parser.add_argument("--spawn-rate", type=float, default=0.35, help="users started a second")
    parser.add_argument("--wait-min", type=float, default=3.0)
    parser.add_argument("--wait-max", type=float, default=10.0)
    parser.add_argument("--race", type=int, default=6, help="seated sessions the sign-ups race for")
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--no-match", action="store_true", help="skip the matchmaking run")
    parser.add_argument("--keep", action="store_true", help="copy logs and samples to var/load/")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if args.command == "match":
        return match(args.info)
    if args.command == "prepare":
        return prepare(args.info, args.out, args.participants, args.race)
    if args.command == "check":
        return check(args.plan, args.out)

    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="clusterhub-load-") as work:
        for target in args.targets.split(","):
            results.append(run_target(target.strip(), args, Path(work)))
            print(json.dumps(results[-1], indent=1, default=str)[:4000], flush=True)
    sys.path.insert(0, str(BENCH_DIR))
    sys.path.insert(0, str(REPO / "src"))
    import programme_page  # the bench scripts' machine description
    from results import RESULTS, write_section

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    section = _section(results, args, programme_page._machine(), time.perf_counter() - started)
    print(section.replace(BEGIN + "\n", "").replace("\n" + END, ""))
    if not args.no_write:
        write_section(section, BEGIN, END)
        print(f"\nwritten to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
