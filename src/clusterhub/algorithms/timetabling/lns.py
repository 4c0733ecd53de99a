"""Large-neighbourhood search: keep most sessions where they are and let CP-SAT re-place a
few (the sessions around one or two moments of the programme, or a clashing session and its
clash partners) among the holes the others leave, with the clashes against the fixed
sessions as a cost per start. A move is kept when it is no worse, so the timetable never
gets worse and every hard rule keeps holding. See docs/algorithms/timetabling.md."""

from __future__ import annotations

import random
import time
from bisect import bisect_left
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from .instance import Instance
from .types import After, NotParallel, SameDay, TimeWindow

Placed = dict[int, tuple[int, int]]  # session -> (room, start)


def improve(
    inst: Instance,
    cand: Mapping[tuple[int, int], list[int]],
    pairs: Mapping[tuple[int, int], int],
    placed: Mapping[int, tuple[int, int]],
    budget: float,
    *,
    deterministic: bool,
    workers: int = 1,
    seed: int = 0,
    size: int = 12,
    max_rounds: int | None = None,
    max_size: int = 30,
) -> tuple[Placed, int]:
    """A timetable at least as good as `placed` on `pairs`, and the number of neighbourhoods
    solved. `budget`: CP-SAT's deterministic time summed over the sub-solves (each counted
    as at least 0.01, plus 1 per 20,000 options built) when `deterministic` (same input, same
    result), else wall-clock seconds. `size`: sessions in the first neighbourhood (then adapted)."""
    rng = random.Random(seed)
    cur: Placed = dict(placed)
    free_ids = [s.id for s in inst.sessions if s.pinned is None]
    if len(free_ids) < 2 or budget <= 0:
        return cur, 0
    adj: dict[int, dict[int, int]] = {}
    for (a, b), w in pairs.items():
        adj.setdefault(a, {})[b] = w
        adj.setdefault(b, {})[a] = w
    dur = {s.id: s.duration for s in inst.sessions}
    spent, rounds, t0 = 0.0, 0, time.perf_counter()
    k = min(size, len(free_ids))
    while True:
        left = budget - (spent if deterministic else time.perf_counter() - t0)
        if left < 0.05 or (max_rounds is not None and rounds >= max_rounds):
            break
        free = _neighbourhood(inst, cur, free_ids, adj, dur, k, rng)
        solver = cp_model.CpSolver()
        solver.parameters.random_seed = rng.randrange(1 << 30)
        solver.parameters.num_workers = 1 if deterministic else workers
        if deterministic:
            solver.parameters.max_deterministic_time = min(left, 0.5)
        else:
            solver.parameters.max_time_in_seconds = min(left, 0.5)
        model, y, cost_of = _submodel(inst, cand, pairs, cur, free, adj)
        status = solver.solve(model)
        # Building the sub-model costs too (about 1 s per 20,000 options): count it.
        spent += max(solver.deterministic_time, 0.01) + len(y) / 20_000
        rounds += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = {s: (r, t) for (s, r, t), v in y.items() if solver.boolean_value(v)}
            if cost_of(new) <= cost_of({s: cur[s] for s in free}):
                cur.update(new)
            if status == cp_model.OPTIMAL and len(free) == len(free_ids):
                break  # every movable session was free: this is the optimum
            # Solved to the end quickly: try a larger neighbourhood; else a smaller one.
            k = min(k + 2, len(free_ids), max_size) if status == cp_model.OPTIMAL else max(6, k - 1)
        else:
            k = max(6, k - 1)
    return cur, rounds


def _neighbourhood(
    inst: Instance,
    cur: Placed,
    free_ids: list[int],
    adj: Mapping[int, Mapping[int, int]],
    dur: Mapping[int, int],
    k: int,
    rng: random.Random,
) -> list[int]:
    """Sessions near one moment (or half near each of two moments, so they can swap), or a
    session that clashes, the sessions it clashes with, and those near another moment."""

    def near(t: int, n: int, taken: set[int]) -> list[int]:
        ranked = sorted(
            (s for s in free_ids if s not in taken),
            key=lambda s: (abs(cur[s][1] + dur[s] // 2 - t), s),
        )
        return ranked[:n]

    def moment() -> int:
        s = rng.choice(free_ids)
        return cur[s][1] + dur[s] // 2

    kind = rng.random()
    chosen: list[int] = []
    if kind < 0.35:
        chosen = near(moment(), k, set())
    elif kind < 0.7:
        chosen = near(moment(), k // 2, set())
        chosen += near(moment(), k - len(chosen), set(chosen))
    else:
        weights = []
        for s in free_ids:
            ts = cur[s][1]
            weights.append(
                1
                + sum(
                    w
                    for o, w in adj.get(s, {}).items()
                    if cur[o][1] < ts + dur[s] and ts < cur[o][1] + dur[o]
                )
            )
        s = rng.choices(free_ids, weights=weights)[0]
        ts = cur[s][1]
        partners = sorted(
            (
                (-w, o)
                for o, w in adj.get(s, {}).items()
                if o in cur
                and inst.by_id[o].pinned is None
                and cur[o][1] < ts + dur[s]
                and ts < cur[o][1] + dur[o]
            ),
        )
        chosen = [s, *[o for _, o in partners[: k // 3]]]
        chosen += near(moment(), k - len(chosen), set(chosen))
    return sorted(set(chosen))


def _submodel(
    inst: Instance,
    cand: Mapping[tuple[int, int], list[int]],
    pairs: Mapping[tuple[int, int], int],
    cur: Placed,
    free: list[int],
    adj: Mapping[int, Mapping[int, int]],
) -> tuple[
    cp_model.CpModel,
    dict[tuple[int, int, int], cp_model.IntVar],
    Callable[[Mapping[int, tuple[int, int]]], int],
]:
    """The CP-SAT model of `free` with every other session fixed where `cur` has it, and the
    cost function (clashes among `free` plus with the fixed sessions) it minimises."""
    fset = set(free)
    dur = {s.id: s.duration for s in inst.sessions}
    room_busy: dict[int, list[tuple[int, int]]] = {}
    speaker_busy: dict[int, list[tuple[int, int]]] = {}
    for s, (r, t) in cur.items():
        if s in fset:
            continue
        room_busy.setdefault(r, []).append((t, t + dur[s]))
        before, after = inst.pad[s, r]
        for p in inst.by_id[s].speakers:
            speaker_busy.setdefault(p, []).append((t - before, t + dur[s] + after))
    rules: dict[int, list[After | SameDay | NotParallel]] = {}
    for c in inst.constraints:
        if isinstance(c, TimeWindow):
            continue
        a, b = (c.first, c.then) if isinstance(c, After) else (c.a, c.b)
        if (a in fset) != (b in fset):
            rules.setdefault(a if a in fset else b, []).append(c)

    def fits(s: int, r: int, t: int) -> bool:
        end = t + dur[s]
        if any(a < end and t < b for a, b in room_busy.get(r, ())):
            return False
        before, after = inst.pad[s, r]
        if any(
            a < end + after and t - before < b
            for p in inst.by_id[s].speakers
            for a, b in speaker_busy.get(p, ())
        ):
            return False
        for c in rules.get(s, ()):
            if isinstance(c, After):
                if c.then == s and t < cur[c.first][1] + dur[c.first] + c.gap:
                    return False
                if c.first == s and end + c.gap > cur[c.then][1]:
                    return False
            elif isinstance(c, SameDay):
                o = c.b if c.a == s else c.a
                if inst.day_of(cur[o][1]) != inst.day_of(t):
                    return False
            elif isinstance(c, NotParallel):
                o = c.b if c.a == s else c.a
                if cur[o][1] < end and t < cur[o][1] + dur[o]:
                    return False
        return True

    sub_cand = {
        (s, r): ok
        for s in free
        for r in inst.rooms
        if (s, r) in cand and (ok := [t for t in cand[s, r] if fits(s, r, t)])
    }
    sub_pairs = {key: w for key, w in pairs.items() if key[0] in fset and key[1] in fset}
    m = cp_model.CpModel()
    y: dict[tuple[int, int, int], cp_model.IntVar] = {}  # (session, room, start)
    for (s, r), ts in sub_cand.items():
        for t in ts:
            y[s, r, t] = m.new_bool_var(f"y{s}_{r}_{t}")
    mine: dict[int, list[tuple[int, int, int]]] = {s: [] for s in free}
    for key in y:
        mine[key[0]].append(key)
    for s in free:
        m.add_exactly_one(y[key] for key in mine[s])

    def cliques(items: list[tuple[int, int, cp_model.IntVar]]) -> None:
        """At most one of these [lo, hi) options runs at any moment (interval cliques)."""
        for q in sorted({lo for lo, _, _ in items}):
            here = [v for lo, hi, v in items if lo <= q < hi]
            if len(here) > 1:
                m.add_at_most_one(here)

    by_room: dict[int, list[tuple[int, int, cp_model.IntVar]]] = {}
    by_speaker: dict[int, list[tuple[int, int, cp_model.IntVar]]] = {}
    for (s, r, t), v in y.items():
        by_room.setdefault(r, []).append((t, t + dur[s], v))
        before, after = inst.pad[s, r]
        for p in inst.by_id[s].speakers:
            by_speaker.setdefault(p, []).append((t - before, t + dur[s] + after, v))
    for items in (*by_room.values(), *by_speaker.values()):
        if len({id(v) for _, _, v in items}) > 1:
            cliques(items)

    def running(s: int, q: int) -> list[cp_model.IntVar]:
        """The options of s that run at time q."""
        return [y[k] for k in mine[s] if k[2] <= q < k[2] + dur[s]]

    def points(a: int, b: int) -> list[int]:
        """Two sessions overlap iff one starts while the other runs."""
        return sorted({k[2] for k in mine[a]} | {k[2] for k in mine[b]})

    for c in inst.constraints:
        if isinstance(c, After) and c.first in fset and c.then in fset:
            m.add(
                sum(k[2] * y[k] for k in mine[c.then])
                >= sum((k[2] + dur[c.first] + c.gap) * y[k] for k in mine[c.first])
            )
        elif isinstance(c, SameDay) and c.a in fset and c.b in fset:
            m.add(
                sum(inst.day_of(k[2]) * y[k] for k in mine[c.a])
                == sum(inst.day_of(k[2]) * y[k] for k in mine[c.b])
            )
        elif isinstance(c, NotParallel) and c.a in fset and c.b in fset:
            for q in points(c.a, c.b):
                ra, rb = running(c.a, q), running(c.b, q)
                if ra and rb:
                    m.add_at_most_one(ra + rb)
    terms: list[cp_model.LinearExprT] = []
    for (a, b), w in sub_pairs.items():
        clash = m.new_bool_var(f"o{a}_{b}")
        for q in points(a, b):
            ra, rb = running(a, q), running(b, q)
            if ra and rb:  # both may run at q: then they clash
                m.add(cp_model.LinearExpr.sum(ra + rb) <= 1 + clash)
        terms.append(w * clash)
    fixed_cost: dict[int, dict[int, int]] = {}
    for s in free:
        values = sorted({k[2] for k in mine[s]})
        diff = [0] * (len(values) + 1)
        for o, w in adj.get(s, {}).items():
            if o in fset:
                continue
            a, b = cur[o][1], cur[o][1] + dur[o]  # s overlaps o when a - dur < t < b
            lo, hi = bisect_left(values, a - dur[s] + 1), bisect_left(values, b)
            if lo < hi:
                diff[lo] += w
                diff[hi] -= w
        costs, acc = [], 0
        for step in diff[:-1]:
            acc += step
            costs.append(acc)
        fixed_cost[s] = dict(zip(values, costs, strict=True))
        terms += [fixed_cost[s][k[2]] * y[k] for k in mine[s] if fixed_cost[s][k[2]]]
    m.minimize(cp_model.LinearExpr.sum(terms))
    for s in free:
        for k in mine[s]:
            m.add_hint(y[k], (k[1], k[2]) == cur[s])

    def cost_of(where: Mapping[int, tuple[int, int]]) -> int:
        total = sum(fixed_cost[s].get(t, 0) for s, (_, t) in where.items())
        for (a, b), w in sub_pairs.items():
            ta, tb = where[a][1], where[b][1]
            if ta < tb + dur[b] and tb < ta + dur[a]:
                total += w
        return total

    return m, y, cost_of
