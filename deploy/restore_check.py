"""Prove that a backup restores: `deploy/restore_check.py DUMP [--source URL] [--keep]`.

1. Restore DUMP with pg_restore into a fresh database `<source name>_restore_check` on the
   same server (dropped first if it exists).
2. Compare the number of rows of every table in the source database (DATABASE_URL, or
   --source) with the restored one; any difference fails. Take the backup when nothing writes,
   or compare against a database restored from the same dump.
3. Start the site on the restored database (production profile, gunicorn, a free port) and
   ask for /healthz, the home page, the API's event list and each published event's page;
   anything but 200 fails.
4. Drop the restored database (unless --keep) and print a summary. Exit status 0 means the
   backup is good.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PY", str(ROOT / ".venv" / "bin" / "python"))


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def recreate(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (our own http URL)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def site_check(database_url: str) -> list[str]:
    """Serve the restored database and fetch the key pages; the problems found."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_PROFILE": "production", "DEBUG": "false", "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0", "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
    }  # fmt: skip
    subprocess.run(
        [PYTHON, "-m", "clusterhub", "collectstatic", "--no-input", "--verbosity", "0"],
        env=env, check=True, cwd=ROOT,
    )  # fmt: skip
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--access-logfile", os.devnull],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    problems: list[str] = []
    try:
        for _ in range(120):
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            return ["the restored site did not answer /healthz within 60 s"]
        status, body = get(base + "/api/v1/events/?limit=200")
        paths = ["/healthz", "/", "/api/v1/events/"]
        if status == 200:
            paths += [f"/events/{event['slug']}/" for event in json.loads(body)["items"]]
        for path in paths:
            status, _body = get(base + path)
            print(f"  GET {path} -> {status}")
            if status != 200:
                problems.append(f"GET {path} answered {status}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dump", type=Path, help="a pg_dump file in custom format")
    parser.add_argument("--source", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args()
    if not args.source.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL (or --source) to the PostgreSQL database that was backed up")
    if not args.dump.is_file():
        parser.error(f"no such file: {args.dump}")

    source_name = urlsplit(args.source).path.lstrip("/")
    target_name = f"{source_name}_restore_check"
    server_url = with_database(args.source, "postgres")
    target_url = with_database(args.source, target_name)

    started = time.monotonic()
    recreate(server_url, target_name)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--dbname", target_url, str(args.dump)],
            check=True,
        )  # fmt: skip
        source, restored = table_counts(args.source), table_counts(target_url)
        problems = [
            f"{table}: {source.get(table, 'missing')} rows in the source, "
            f"{restored.get(table, 'missing')} restored"
            for table in sorted(set(source) | set(restored))
            if source.get(table) != restored.get(table)
        ]
        print(
            f"restore_check: {len(restored)} tables, {sum(restored.values())} rows restored "
            f"from {args.dump.name}"
        )
        problems += site_check(target_url)
    finally:
        if not args.keep:
            drop(server_url, target_name)
    seconds = time.monotonic() - started
    if problems:
        print("restore_check: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(
        f"restore_check: OK (row counts equal in every table, the site answers) in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
