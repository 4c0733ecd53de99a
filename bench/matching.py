"""Quality and speed of the matchmaking library (`clusterhub.algorithms.matching`).

    .venv/bin/python bench/matching.py [--quality-n 5000] [--sizes 5000 50000] [--no-write]

Quality: a synthetic population (bench/matching_population.py) with planted complementary pairs
written in different wording and languages; for three methods (tag overlap only, lexical TF-IDF,
the default full method) it reports recall@10 and MRR (over the top 20) of the planted partner,
and the share of cross-sector and cross-border pairs in the top-10 lists. The full method is
measured twice: as `recommend` runs it at that size (exhaustive up to
`MatchConfig.exhaustive_up_to` people) and forced onto the candidate path of large populations.
Speed: for each size, in a fresh subprocess, the end-to-end time of `recommend(k=20)` (profile
records in, ranked lists with reasons out), the process peak RSS before and after it, and (up to
10,000 people) the peak of memory it allocates; plus, in the same process, a plain numpy float32
matmul of n×384 by 384×n in row blocks, as a yardstick ratio. Where the candidate path ran, the
share of the exhaustive top-20 lists it returned, on 1,000 sampled people.
It prints the figures and rewrites its own section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from clusterhub.algorithms.matching import (  # noqa: E402
    MatchConfig,
    Profile,
    Recommendation,
    recommend,
)
from clusterhub.algorithms.matching.engine import rank  # noqa: E402
from matching_population import generate  # noqa: E402
from results import write_section  # noqa: E402

BEGIN, END = "<!-- matching:begin -->", "<!-- matching:end -->"
TRACE_UP_TO = 10_000
RECALL_SAMPLE = 1000
METHODS = {
    "tags": MatchConfig(method="tags"),
    "lexical": MatchConfig(method="lexical"),
    "full": MatchConfig(),
    "full, candidate path": MatchConfig(exhaustive_up_to=0),
}


def quality(n: int) -> list[dict[str, float | str]]:
    pop = generate(n, seed=1)
    by_id = {p.id: p for p in pop.profiles}
    rows: list[dict[str, float | str]] = []
    for method, config in METHODS.items():
        start = time.perf_counter()
        recs = recommend(pop.profiles, k=20, config=config)
        elapsed = time.perf_counter() - start
        hits, rr = 0, 0.0
        for a, b in pop.partner.items():
            others = [r.other for r in recs[a]]
            if b in others[:10]:
                hits += 1
            if b in others:
                rr += 1.0 / (others.index(b) + 1)
        pairs = sector = border = 0
        for pid, rs in recs.items():
            for r in rs[:10]:
                pairs += 1
                sector += by_id[pid].org_type != by_id[r.other].org_type
                border += by_id[pid].country != by_id[r.other].country
        rows.append({
            "method": method, "recall@10": hits / len(pop.partner), "mrr": rr / len(pop.partner),
            "cross_sector": sector / max(1, pairs), "cross_border": border / max(1, pairs),
            "seconds": elapsed,
        })  # fmt: skip
    return rows


def matmul_seconds(n: int, dims: int = 384, block: int = 1000) -> float:
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, dims), dtype=np.float32)
    bt = np.ascontiguousarray(a.T)
    start = time.perf_counter()
    for lo in range(0, n, block):
        a[lo : lo + block] @ bt
    return time.perf_counter() - start


def recall_vs_exhaustive(profiles: list[Profile], recs: dict[int, list[Recommendation]]) -> float:
    """Share of the exhaustive top-20 lists of RECALL_SAMPLE people that `recs` contains."""
    rows = sorted(random.Random(0).sample(range(len(profiles)), RECALL_SAMPLE))
    exact = rank(profiles, k=20, config=MatchConfig(), exact_rows=rows)
    found = sum(len({r.other for r in recs[p]} & {r.other for r in exact[p]}) for p in exact)
    return found / max(1, sum(len(rs) for rs in exact.values()))


def rss_kib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process in KiB. ru_maxrss is not used: on Linux a
    child started by fork + exec inherits the parent's peak in it."""
    with contextlib.suppress(OSError, StopIteration):
        line = next(
            x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(field)
        )
        return float(line.split()[1])
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child(n: int) -> None:
    pop = generate(n, seed=2)
    before = rss_kib("VmRSS:")
    start = time.perf_counter()
    recs = recommend(pop.profiles, k=20)
    seconds = time.perf_counter() - start
    peak = rss_kib("VmHWM:")
    # A second, traced run for the peak of memory allocated by recommend itself (numpy included);
    # tracing slows Python code several times, so large runs report the process peak RSS only.
    traced = float("nan")
    if n <= TRACE_UP_TO:
        tracemalloc.start()
        recommend(pop.profiles, k=20)
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    with_reasons = sum(1 for rs in recs.values() for r in rs if r.reasons)
    recall = float("nan")
    if n > MatchConfig().exhaustive_up_to:
        recall = recall_vs_exhaustive(pop.profiles, recs)
    print(json.dumps({
        "n": n, "seconds": seconds, "peak_mib": traced / 2**20, "rss_before_mib": before / 1024,
        "rss_mib": peak / 1024, "matmul_seconds": matmul_seconds(n), "recall": recall,
        "recommendations": sum(len(rs) for rs in recs.values()), "with_reasons": with_reasons,
    }))  # fmt: skip


def speed(n: int, timeout: float) -> dict[str, float] | None:
    cmd = [sys.executable, __file__, "--child", str(n)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)  # noqa: S603
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quality-n", type=int, default=5000)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 50000])
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    q = quality(args.quality_n)
    lines = [
        "| method | recall@10 | MRR | cross-sector share (top 10) | cross-border share (top 10) "
        "| s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['method']} | {r['recall@10']:.3f} | {r['mrr']:.3f} | {r['cross_sector']:.2f} "
        f"| {r['cross_border']:.2f} | {r['seconds']:.1f} |"
        for r in q
    ]
    speed_lines = [
        "| n | recommend k=20 with reasons, s | peak traced MiB | process RSS MiB before → peak "
        "| numpy n×384 matmul, s | ratio | top-20 recall vs exhaustive |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in args.sizes:
        s = speed(n, args.timeout)
        if s is None:
            speed_lines.append(f"| {n:,} | > {args.timeout:.0f} (timed out) | | | | | |")
            continue
        recall = "exact" if s["recall"] != s["recall"] else f"{s['recall']:.3f}"
        row = (
            f"| {n:,} | {s['seconds']:.2f} | {s['peak_mib']:.0f} "
            f"| {s['rss_before_mib']:.0f} → {s['rss_mib']:.0f} | {s['matmul_seconds']:.2f} "
            f"| {s['seconds'] / s['matmul_seconds']:.2f} | {recall} |"
        )
        speed_lines.append(row.replace("nan", "n/a"))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    section = "\n".join([
        BEGIN,
        "## Matchmaking (`clusterhub.algorithms.matching`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit `{commit}` "
        "(plus uncommitted changes, if any)",
        f"- Command: `.venv/bin/python bench/{Path(__file__).name} --quality-n {args.quality_n} "
        f"--sizes {' '.join(map(str, args.sizes))}`",
        f"- Machine: {machine()}; load average {load} when measuring",
        f"- Python {platform.python_version()}",
        f"- Quality population: {args.quality_n:,} people, 20 % in planted pairs (seed 1)",
        "",
        *lines,
        "",
        *speed_lines,
        END,
    ])  # fmt: skip
    print(section)
    if not args.no_write:
        write_section(section, BEGIN, END)


if __name__ == "__main__":
    main()
