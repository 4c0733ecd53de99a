"""Quality and speed of the meeting scheduler (`clusterhub.algorithms.scheduling`).

    .venv/bin/python bench/scheduling.py [--repeat 3] [--cpsat-seconds 30] [--no-write]

Each row is one seeded synthetic event (bench/scheduling_instances.py): people, accepted
requests, 20-minute slots in networking sessions of ten, tables per slot. For every row, in
the same process, it runs the default method ("full": LP-guided heuristic, repair, exact
polish where small, gap spreading) `--repeat` times and reports the median wall time of
`schedule()` (input validation to result, bound included), and the naive slot-by-slot
greedy baseline once. Quality is the schedule's share of its own upper bound (the
b-matching LP): meetings for unweighted rows, weight for weighted ones. With
`--cpsat-seconds`, CP-SAT alone (the time-indexed model from scratch, two workers) gets that
long on the 500 / 3,000 row, for comparison. It prints the table and rewrites its own section
of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from clusterhub.algorithms.scheduling import Schedule, schedule  # noqa: E402
from results import write_section  # noqa: E402
from scheduling_instances import generate  # noqa: E402

BEGIN, END = "<!-- scheduling:begin -->", "<!-- scheduling:end -->"
HEADLINE = (5000, 50000, 30, 2000, "unweighted")


@dataclass(frozen=True)
class Case:
    people: int
    requests: int
    slots: int
    tables: int
    kind: str  # unweighted | weighted | must (weighted with 3 % must-meet pairs)

    @property
    def key(self) -> tuple[int, int, int, int, str]:
        return (self.people, self.requests, self.slots, self.tables, self.kind)


KINDS = ("unweighted", "weighted")
CASES = [
    *[Case(500, r, 20, 120, kind) for r in (1500, 3000, 6000) for kind in KINDS],
    *[Case(5000, r, 30, 2000, kind) for r in (20000, 50000, 80000) for kind in KINDS],
    Case(5000, 50000, 30, 2000, "must"),
]


def share(result: Schedule, kind: str) -> float:
    return result.ratio if kind == "unweighted" else result.ratio_weight


def achieved(result: Schedule, kind: str) -> str:
    if kind == "unweighted":
        return f"{result.scheduled_count:,} / {result.upper_bound_count:,}"
    return f"{result.scheduled_weight:,.1f} / {result.upper_bound_weight:,.1f}"


def run_case(case: Case, repeat: int) -> dict[str, object]:
    g = generate(case.people, case.requests, case.slots, case.tables, seed=1,
                 weighted=case.kind != "unweighted",
                 must_share=0.03 if case.kind == "must" else 0.0)  # fmt: skip
    runs = [schedule(g.slots, g.people, g.requests, config=g.config) for _ in range(repeat)]
    ours = runs[0]
    assert all(r.assignments == ours.assignments for r in runs), "not deterministic"
    greedy = schedule(g.slots, g.people, g.requests, config=replace(g.config, method="greedy"))
    return {
        "case": case, "ours": ours, "greedy": greedy,
        "seconds": statistics.median(r.seconds for r in runs),
    }  # fmt: skip


def find(rows: list[dict[str, object]], key: tuple[int, int, int, int, str]) -> dict[str, object]:
    return next(r for r in rows if isinstance(r["case"], Case) and r["case"].key == key)


def exact_alone(seconds: float) -> Schedule:
    g = generate(500, 3000, 20, 120, seed=1)
    config = replace(g.config, method="exact", exact_time_limit=seconds, spread_gaps=False)
    return schedule(g.slots, g.people, g.requests, config=config)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} CPUs, {mem:.1f} GiB RAM (Linux {platform.release()})"


def table(rows: list[dict[str, object]]) -> list[str]:
    lines = [
        "| people | requests | slots × tables | objective | ours / bound | ours % | ours s "
        "| greedy / bound | greedy % | greedy s | idle penalty ours / greedy |",
        "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        case, ours, greedy = row["case"], row["ours"], row["greedy"]
        assert isinstance(case, Case)
        assert isinstance(ours, Schedule)
        assert isinstance(greedy, Schedule)
        objective = {"unweighted": "meetings", "weighted": "weight",
                     "must": "weight, 3 % must-meet"}[case.kind]  # fmt: skip
        lines.append(
            f"| {case.people:,} | {case.requests:,} | {case.slots} × {case.tables:,} | {objective} "
            f"| {achieved(ours, case.kind)} | {100 * share(ours, case.kind):.2f} "
            f"| {row['seconds']:.2f} | {achieved(greedy, case.kind)} "
            f"| {100 * share(greedy, case.kind):.2f} | {greedy.seconds:.2f} "
            f"| {ours.idle_penalty:,} / {greedy.idle_penalty:,} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpsat-seconds", type=float, default=30.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    rows = []
    for case in CASES:
        rows.append(run_case(case, args.repeat))
        print(table(rows)[-1], flush=True)
    lines = table(rows)
    head = find(rows, HEADLINE)
    head_ours = head["ours"]
    assert isinstance(head_ours, Schedule)
    notes = [
        f"- Target row (5,000 people, 50,000 requests, 30 slots, 2,000 tables): "
        f"{100 * head_ours.ratio:.2f} % of the bound in {head['seconds']:.2f} s "
        f"(target: at least 99.5 % in at most 2 s).",
    ]
    must_ours = find(rows, (5000, 50000, 30, 2000, "must"))["ours"]
    assert isinstance(must_ours, Schedule)
    notes.append(
        f"- Must-meet row: {must_ours.must_meet_count:,} of at most "
        f"{must_ours.upper_bound_must_meet:,} must-meet pairs scheduled; its weight share is "
        "against the plain weight bound, which ignores that must-meet pairs come first."
    )
    if args.cpsat_seconds > 0:
        exact = exact_alone(args.cpsat_seconds)
        ours500 = find(rows, (500, 3000, 20, 120, "unweighted"))["ours"]
        assert isinstance(ours500, Schedule)
        notes.append(
            f"- CP-SAT alone on 500 / 3,000 (unweighted, {args.cpsat_seconds:.0f} s, 2 workers): "
            f"{exact.scheduled_count:,} meetings = {100 * exact.ratio:.2f} % of the bound"
            f"{' (optimal)' if exact.proven_optimal else ''}, against {ours500.scheduled_count:,} "
            f"= {100 * ours500.ratio:.2f} % for the default method."
        )
    load_after = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    section = "\n".join([
        BEGIN,
        "## Meeting scheduling (`clusterhub.algorithms.scheduling`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{commit}` "
        "(plus uncommitted changes, if any)",
        f"- Command: `.venv/bin/python bench/{Path(__file__).name} --repeat {args.repeat} "
        f"--cpsat-seconds {args.cpsat_seconds:g}`",
        f"- Machine: {machine()}; load average {', '.join(f'{x:.2f}' for x in load_before)} "
        f"before and {', '.join(f'{x:.2f}' for x in load_after)} after measuring",
        f"- Python {platform.python_version()}; seed 1 for every instance "
        "(`bench/scheduling_instances.py`)",
        "- ours: default method, median wall time of "
        f"{args.repeat} runs of `schedule()`; greedy: the naive slot-by-slot baseline "
        "(`method=\"greedy\"`), same run; % = share of the upper bound of the row's objective; "
        "idle penalty: sum over people of squared idle runs between meetings (lower is better)",
        "",
        *lines,
        "",
        *notes,
        END,
    ])  # fmt: skip
    print(section)
    if not args.no_write:
        write_section(section, BEGIN, END)


if __name__ == "__main__":
    main()
