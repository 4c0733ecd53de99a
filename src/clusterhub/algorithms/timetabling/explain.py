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
from .types import After, Conflict, NotParallel, SameDay, Session, TimeWindow, Window


def q(s: Session) -> str:
    return f"“{s.title}”"


def names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Every `Conflict.code` this module gives (a caller wording them in other languages covers
# these; see `Conflict` for the parameters).
CODES = frozenset({
    "too_long", "no_room", "too_small", "too_small_allowed", "never_open", "pinned_same_room",
    "pinned_speaker", "pinned_speaker_travel", "not_proven", "time_limit", "lead_minimal",
    "lead", "after", "after_gap", "same_day", "not_parallel", "window", "must_place",
    "pinned_at", "speaker_available", "speaker_available_travel", "speaker_busy",
    "speaker_busy_travel",
})  # fmt: skip


def _c(code: str, text: str, **params: object) -> Conflict:
    assert code in CODES, code
    return Conflict(code=code, params=params, text=text)


def prechecks(inst: Instance) -> list[Conflict]:
    """Conflicts that need no search; empty when there are none."""
    out: list[Conflict] = []
    longest = max((d.end - d.start for d in inst.days), default=0)
    for s in inst.sessions:
        if s.pinned is not None:
            continue
        if not inst.grid[s.id]:
            out.append(_c(
                "too_long",
                f"{q(s)} lasts {s.duration} minutes, longer than any programme day "
                f"(the longest is {longest} minutes).",
                session=s.title, minutes=s.duration, longest=longest,
            ))  # fmt: skip
            continue
        allowed = [r for r in inst.rooms.values() if s.rooms is None or r.id in s.rooms]
        fit = [r for r in allowed if room_ok(inst, s, r)]
        if not allowed:
            out.append(_c("no_room", f"{q(s)} may use no room.", session=s.title))
        elif not fit:
            big = max(allowed, key=lambda r: (r.capacity, -r.id))
            which = "allowed room" if s.rooms is not None else "room"
            out.append(_c(
                "too_small_allowed" if s.rooms is not None else "too_small",
                f"No room holds {s.need} people for {q(s)}: the largest {which}, "
                f"{big.name}, holds {big.capacity}.",
                session=s.title, need=s.need, room=big.name, capacity=big.capacity,
            ))  # fmt: skip
        elif not any(room_starts(inst, s, r) for r in fit):
            out.append(_c(
                "never_open",
                f"No room that can take {q(s)} ({names([r.name for r in fit])}) is "
                f"open for {s.duration} minutes in a row.",
                session=s.title, rooms=[r.name for r in fit], minutes=s.duration,
            ))  # fmt: skip
    pinned = [s for s in inst.sessions if s.pinned is not None]
    for i, a in enumerate(pinned):
        for b in pinned[i + 1 :]:
            out.extend(_pinned_pair(inst, a, b))
    return out


def _pinned_pair(inst: Instance, a: Session, b: Session) -> list[Conflict]:
    assert a.pinned is not None
    assert b.pinned is not None
    (ra, ta), (rb, tb) = a.pinned, b.pinned
    at = f"({inst.clock(ta)} and {inst.clock(tb)})"
    if ra == rb and ta < tb + b.duration and tb < ta + a.duration:
        room = inst.rooms[ra].name
        return [_c(
            "pinned_same_room",
            f"{q(a)} and {q(b)} are both pinned in {room} at overlapping times {at}.",
            a=a.title, b=b.title, room=room, at=ta, at_b=tb,
        )]  # fmt: skip
    (ba, aa), (bb, ab) = inst.pad[a.id, ra], inst.pad[b.id, rb]
    if ta - ba < tb + b.duration + ab and tb - bb < ta + a.duration + aa:
        for p in sorted(set(a.speakers) & set(b.speakers)):
            travel = bool(ba or aa or bb or ab)
            name = inst.speakers[p].name
            return [_c(
                "pinned_speaker_travel" if travel else "pinned_speaker",
                f"Speaker {name} speaks in {q(a)} and {q(b)}, which are "
                f"pinned at overlapping times {at}{' (travel included)' if travel else ''}.",
                speaker=name, a=a.title, b=b.title, at=ta, at_b=tb,
            )]  # fmt: skip
    return []


NOT_PROVEN = _c(
    "not_proven",
    "No timetable was found in the time given, but no rule was proven to conflict: "
    "give the solver more time or fewer sessions.",
)

TIME_LIMIT = _c(
    "time_limit",
    "No timetable was found within the time limit; none was proven impossible either.",
)


def explain(inst: Instance, time_limit: float, seed: int) -> tuple[Conflict, ...]:
    """Conflicts naming a (minimal, when time allows) set of rules that cannot hold together."""
    cand = candidates(inst, filtered=False)
    built = build(inst, cand, {}, guarded=True)
    deadline = time.monotonic() + time_limit
    # Try dropping sessions first, so that the explanation prefers named rules.
    order = sorted(range(len(built.literals)), key=lambda i: built.guards[i].kind != "held")
    status, core = _solve(built, order, deadline, seed)
    if status != cp_model.INFEASIBLE:
        return (NOT_PROVEN,)
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
        _c("lead_minimal", "These rules cannot all hold together; relaxing any one of them "
           "would help:")
        if minimal
        else _c("lead", "These rules cannot all hold together:")
    )  # fmt: skip
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
) -> list[Conflict]:
    out: list[Conflict] = []
    held: list[Session] = []
    mentioned: set[int] = set()
    for g in guards:
        c = g.item
        if g.kind == "held" and isinstance(c, int):
            held.append(inst.by_id[c])
        elif isinstance(c, After):
            first, then = inst.by_id[c.first], inst.by_id[c.then]
            gap = f", with at least {c.gap} minutes between" if c.gap else ""
            out.append(_c(
                "after_gap" if c.gap else "after",
                f"{q(then)} must start after {q(first)} ends{gap}.",
                then=then.title, first=first.title, gap=c.gap,
            ))  # fmt: skip
            mentioned.update((c.first, c.then))
        elif isinstance(c, SameDay):
            a, b = inst.by_id[c.a], inst.by_id[c.b]
            out.append(_c(
                "same_day", f"{q(a)} and {q(b)} must be on the same day.", a=a.title, b=b.title
            ))  # fmt: skip
            mentioned.update((c.a, c.b))
        elif isinstance(c, NotParallel):
            a, b = inst.by_id[c.a], inst.by_id[c.b]
            out.append(_c(
                "not_parallel", f"{q(a)} and {q(b)} must not run at the same time.",
                a=a.title, b=b.title,
            ))  # fmt: skip
            mentioned.update((c.a, c.b))
        elif isinstance(c, TimeWindow):
            s = inst.by_id[c.session]
            out.append(_c(
                "window",
                f"{q(s)} must be held between {inst.clock(c.start)} and {inst.clock(c.end)}.",
                session=s.title, start=c.start, end=c.end,
            ))  # fmt: skip
            mentioned.add(c.session)
        elif isinstance(c, int):
            out.append(_speaker_conflict(inst, g.kind, c))
            mentioned.update(s.id for s in inst.sessions if c in s.speakers)
    unplaced = [s for s in held if s.id not in mentioned]
    if unplaced:
        verb = "must be placed" if len(unplaced) == 1 else "must all be placed"
        out.append(_c(
            "must_place",
            f"{names([q(s) for s in unplaced])} {verb}, in the rooms big enough for them and "
            "open at the times allowed.",
            sessions=[s.title for s in unplaced],
        ))  # fmt: skip
    for s in inst.sessions:
        if s.id in mentioned and s.pinned is not None:
            room, t = s.pinned
            name = inst.rooms[room].name
            out.append(_c(
                "pinned_at", f"{q(s)} is pinned in {name} at {inst.clock(t)}.",
                session=s.title, room=name, at=t,
            ))  # fmt: skip
    return out


def _speaker_conflict(inst: Instance, kind: str, p: int) -> Conflict:
    speaker = inst.speakers[p]
    mine = [s for s in inst.sessions if p in s.speakers]
    travel = [
        s
        for s in mine
        if any(inst.pad[s.id, r.id] != (0, 0) for r in inst.rooms.values() if room_ok(inst, s, r))
    ]
    extra = f", with travel time before and after {names([q(s) for s in travel])}" if travel else ""
    params: dict[str, object] = {
        "speaker": speaker.name, "sessions": [s.title for s in mine],
        "travel": [s.title for s in travel],
    }  # fmt: skip
    suffix = "_travel" if travel else ""
    if kind == "availability":
        assert speaker.available is not None
        return _c(
            "speaker_available" + suffix,
            f"Speaker {speaker.name} is available only {_windows(inst, speaker.available)}"
            f" (for {names([q(s) for s in mine])}{extra}).",
            windows=[list(w) for w in sorted(speaker.available)], **params,
        )  # fmt: skip
    return _c(
        "speaker_busy" + suffix,
        f"Speaker {speaker.name} cannot be in two places at once: {names([q(s) for s in mine])}"
        f" must not overlap{extra}.",
        **params,
    )


def _windows(inst: Instance, windows: tuple[Window, ...]) -> str:
    parts = []
    for a, b in sorted(windows):
        same = inst.day_of(a) == inst.day_of(b - 1) and inst.day_of(a) >= 0
        end = f"{b % 1440 // 60:02d}:{b % 60:02d}" if same else inst.clock(b)
        parts.append(f"{inst.clock(a)}–{end}")
    return names(parts) if parts else "never"
