"""Why there is no timetable, in words an organiser understands.

First the obvious cases, checked before solving: a session longer than every day, no allowed
room big enough or ever open long enough, pinned sessions that collide. Otherwise every rule
a person can relax is put behind an assumption literal in a second model (the rules that only
concern one session are then constraints rather than pre-filters); CP-SAT returns a set of
assumptions sufficient for infeasibility, which is shrunk by deletion to a minimal one when
time allows, and each remaining rule becomes one sentence."""

from __future__ import annotations

import time
from collections.abc import Mapping

from ortools.sat.python import cp_model

from .instance import Instance, candidates, room_ok, room_starts
from .model import Built, Guard, build
from .types import After, NotParallel, SameDay, Session, TimeWindow, Window


def q(s: Session) -> str:
    return f"“{s.title}”"


def names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def prechecks(inst: Instance) -> list[str]:
    """Sentences for conflicts that need no search; empty when there are none."""
    out: list[str] = []
    longest = max((d.end - d.start for d in inst.days), default=0)
    for s in inst.sessions:
        if s.pinned is not None:
            continue
        if not inst.grid[s.id]:
            out.append(
                f"{q(s)} lasts {s.duration} minutes, longer than any programme day "
                f"(the longest is {longest} minutes)."
            )
            continue
        allowed = [r for r in inst.rooms.values() if s.rooms is None or r.id in s.rooms]
        fit = [r for r in allowed if room_ok(inst, s, r)]
        if not allowed:
            out.append(f"{q(s)} may use no room.")
        elif not fit:
            big = max(allowed, key=lambda r: (r.capacity, -r.id))
            which = "allowed room" if s.rooms is not None else "room"
            out.append(
                f"No room holds {s.need} people for {q(s)}: the largest {which}, "
                f"{big.name}, holds {big.capacity}."
            )
        elif not any(room_starts(inst, s, r) for r in fit):
            out.append(
                f"No room that can take {q(s)} ({names([r.name for r in fit])}) is "
                f"open for {s.duration} minutes in a row."
            )
    pinned = [s for s in inst.sessions if s.pinned is not None]
    for i, a in enumerate(pinned):
        for b in pinned[i + 1 :]:
            out.extend(_pinned_pair(inst, a, b))
    return out


def _pinned_pair(inst: Instance, a: Session, b: Session) -> list[str]:
    assert a.pinned is not None
    assert b.pinned is not None
    (ra, ta), (rb, tb) = a.pinned, b.pinned
    at = f"({inst.clock(ta)} and {inst.clock(tb)})"
    if ra == rb and ta < tb + b.duration and tb < ta + a.duration:
        return [
            f"{q(a)} and {q(b)} are both pinned in {inst.rooms[ra].name} at overlapping times {at}."
        ]
    (ba, aa), (bb, ab) = inst.pad[a.id, ra], inst.pad[b.id, rb]
    if ta - ba < tb + b.duration + ab and tb - bb < ta + a.duration + aa:
        for p in sorted(set(a.speakers) & set(b.speakers)):
            travel = " (travel included)" if ba or aa or bb or ab else ""
            return [
                f"Speaker {inst.speakers[p].name} speaks in {q(a)} and {q(b)}, which are "
                f"pinned at overlapping times {at}{travel}."
            ]
    return []


def explain(inst: Instance, time_limit: float, seed: int) -> tuple[str, ...]:
    """Sentences naming a (minimal, when time allows) set of rules that cannot hold together."""
    cand = candidates(inst, filtered=False)
    built = build(inst, cand, {}, guarded=True)
    deadline = time.monotonic() + time_limit
    # Try dropping sessions first, so that the explanation prefers named rules.
    order = sorted(range(len(built.literals)), key=lambda i: built.guards[i].kind != "held")
    status, core = _solve(built, order, deadline, seed)
    if status != cp_model.INFEASIBLE:
        return (
            "No timetable was found in the time given, but no rule was proven to conflict: "
            "give the solver more time or fewer sessions.",
        )
    minimal = True
    for i in [i for i in order if i in core]:
        if time.monotonic() > deadline:
            minimal = False
            break
        trial = [j for j in order if j in core and j != i]
        status, smaller = _solve(built, trial, deadline, seed)
        if status == cp_model.INFEASIBLE:
            core = smaller
        elif status != cp_model.FEASIBLE and status != cp_model.OPTIMAL:
            minimal = False
    guards = [built.guards[i] for i in order if i in core]
    lead = (
        "These rules cannot all hold together; relaxing any one of them would help:"
        if minimal
        else "These rules cannot all hold together:"
    )
    return (lead, *_sentences(inst, guards, cand))


def _solve(
    built: Built, assumed: list[int], deadline: float, seed: int
) -> tuple[cp_model.CpSolverStatus, set[int]]:
    model = built.model
    model.clear_assumptions()
    model.add_assumptions([built.literals[i] for i in assumed])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return status, set()
    index = {built.literals[i].index: i for i in assumed}
    core = {index[v] for v in solver.sufficient_assumptions_for_infeasibility() if v in index}
    return status, core or set(assumed)


def _sentences(
    inst: Instance, guards: list[Guard], cand: Mapping[tuple[int, int], list[int]]
) -> list[str]:
    out: list[str] = []
    held: list[tuple[str, int]] = []
    mentioned: set[int] = set()
    for g in guards:
        c = g.item
        if g.kind == "held" and isinstance(c, int):
            held.append((q(inst.by_id[c]), c))
        elif isinstance(c, After):
            gap = f", with at least {c.gap} minutes between" if c.gap else ""
            out.append(
                f"{q(inst.by_id[c.then])} must start after {q(inst.by_id[c.first])} ends{gap}."
            )
            mentioned.update((c.first, c.then))
        elif isinstance(c, SameDay):
            out.append(f"{q(inst.by_id[c.a])} and {q(inst.by_id[c.b])} must be on the same day.")
            mentioned.update((c.a, c.b))
        elif isinstance(c, NotParallel):
            out.append(
                f"{q(inst.by_id[c.a])} and {q(inst.by_id[c.b])} must not run at the same time."
            )
            mentioned.update((c.a, c.b))
        elif isinstance(c, TimeWindow):
            out.append(
                f"{q(inst.by_id[c.session])} must be held between {inst.clock(c.start)} "
                f"and {inst.clock(c.end)}."
            )
            mentioned.add(c.session)
        elif isinstance(c, int):
            out.append(_speaker_sentence(inst, g.kind, c))
            mentioned.update(s.id for s in inst.sessions if c in s.speakers)
    unplaced = [h for h, sid in held if sid not in mentioned]
    if unplaced:
        verb = "must be placed" if len(unplaced) == 1 else "must all be placed"
        out.append(
            f"{names(unplaced)} {verb}, in the rooms big enough for them and "
            "open at the times allowed."
        )
    for s in inst.sessions:
        if s.id in mentioned and s.pinned is not None:
            room, t = s.pinned
            out.append(f"{q(s)} is pinned in {inst.rooms[room].name} at {inst.clock(t)}.")
    return out


def _speaker_sentence(inst: Instance, kind: str, p: int) -> str:
    speaker = inst.speakers[p]
    mine = [s for s in inst.sessions if p in s.speakers]
    travel = [
        s
        for s in mine
        if any(inst.pad[s.id, r.id] != (0, 0) for r in inst.rooms.values() if room_ok(inst, s, r))
    ]
    extra = f", with travel time before and after {names([q(s) for s in travel])}" if travel else ""
    if kind == "availability":
        assert speaker.available is not None
        return (
            f"Speaker {speaker.name} is available only {_windows(inst, speaker.available)}"
            f" (for {names([q(s) for s in mine])}{extra})."
        )
    return (
        f"Speaker {speaker.name} cannot be in two places at once: {names([q(s) for s in mine])}"
        f" must not overlap{extra}."
    )


def _windows(inst: Instance, windows: tuple[Window, ...]) -> str:
    parts = []
    for a, b in sorted(windows):
        same = inst.day_of(a) == inst.day_of(b - 1) and inst.day_of(a) >= 0
        end = f"{b % 1440 // 60:02d}:{b % 60:02d}" if same else inst.clock(b)
        parts.append(f"{inst.clock(a)}–{end}")
    return names(parts) if parts else "never"
