"""The CP-SAT model: one start variable per session, one Boolean per allowed (session, room),
optional intervals for rooms and speakers (speakers' intervals padded with travel), ordering,
same-day and not-in-parallel rules on the starts, and one Boolean per audience overlap that
must be true when the two sessions overlap. With `guarded`, every rule a person can relax sits
behind its own literal (for the explanation of infeasibility) and there is no objective."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .instance import Instance, speaker_ok
from .types import After, NotParallel, SameDay, TimeWindow


@dataclass
class Guard:
    """A relaxable rule: what it is and which sessions / speaker it concerns."""

    kind: str  # after | same_day | not_parallel | window | availability | speaker | held
    item: object  # the constraint record, speaker id or session id


@dataclass
class Built:
    model: cp_model.CpModel
    start: dict[int, cp_model.IntVar]
    x: dict[tuple[int, int], cp_model.IntVar]
    before: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # a ends <= b
    clash: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    day_on: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    guards: dict[int, Guard] = field(default_factory=dict)  # literal index -> rule
    literals: list[cp_model.IntVar] = field(default_factory=list)


def build(
    inst: Instance,
    cand: Mapping[tuple[int, int], list[int]],
    pairs: Mapping[tuple[int, int], int],
    *,
    guarded: bool = False,
) -> Built:
    m = cp_model.CpModel()
    dur = {s.id: s.duration for s in inst.sessions}
    start: dict[int, cp_model.IntVar] = {}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    rooms_of: dict[int, list[int]] = {}
    for sid, r in cand:
        rooms_of.setdefault(sid, []).append(r)
    for s in inst.sessions:
        values = sorted({t for r in rooms_of.get(s.id, ()) for t in cand[s.id, r]})
        start[s.id] = m.new_int_var_from_domain(cp_model.Domain.from_values(values), f"S{s.id}")
        for r in rooms_of.get(s.id, ()):
            x[s.id, r] = m.new_bool_var(f"x{s.id}_{r}")
            if len(cand[s.id, r]) < len(values):
                m.add_linear_expression_in_domain(
                    start[s.id], cp_model.Domain.from_values(cand[s.id, r])
                ).only_enforce_if(x[s.id, r])
    built = Built(m, start, x)

    def guard(kind: str, item: object) -> cp_model.IntVar:
        lit = m.new_bool_var(f"g{len(built.literals)}")
        built.guards[len(built.literals)] = Guard(kind, item)
        built.literals.append(lit)
        return lit

    for s in inst.sessions:
        mine = [x[s.id, r] for r in rooms_of.get(s.id, ())]
        if guarded:
            m.add(sum(mine) == 1).only_enforce_if(guard("held", s.id))
            m.add(sum(mine) <= 1)
        else:
            m.add_exactly_one(mine)
    for room in inst.rooms.values():
        ivs = [
            m.new_optional_fixed_size_interval_var(
                start[s], dur[s], x[s, room.id], f"R{s}_{room.id}"
            )
            for s in rooms_of
            if (s, room.id) in x
        ]
        if len(ivs) > 1:
            m.add_no_overlap(ivs)
    _speakers(inst, built, cand, rooms_of, guard if guarded else None)
    for c in inst.constraints:
        lit = [guard(_KIND[type(c)], c)] if guarded else []
        if isinstance(c, After):
            m.add(start[c.then] >= start[c.first] + dur[c.first] + c.gap).only_enforce_if(lit)
        elif isinstance(c, SameDay):
            m.add(_day(inst, built, c.a) == _day(inst, built, c.b)).only_enforce_if(lit)
        elif isinstance(c, NotParallel):
            ab, ba = _order(inst, built, c.a, c.b)
            m.add_bool_or([ab, ba, *(~g for g in lit)])
        elif isinstance(c, TimeWindow) and guarded and inst.by_id[c.session].pinned is None:
            m.add(start[c.session] >= c.start).only_enforce_if(lit)
            m.add(start[c.session] + dur[c.session] <= c.end).only_enforce_if(lit)
    if not guarded:
        shared = {
            (a, b)
            for p in inst.speakers
            for a in _sessions_of(inst, p)
            for b in _sessions_of(inst, p)
            if a < b
        }
        for a, b in pairs:
            if (a, b) in shared:
                continue  # one speaker: they never overlap
            ab, ba = _order(inst, built, a, b)
            o = m.new_bool_var(f"o{a}_{b}")
            m.add_bool_or([o, ab, ba])
            built.clash[a, b] = o
        m.minimize(sum(w * built.clash[k] for k, w in pairs.items() if k in built.clash))
    return built


_KIND = {After: "after", SameDay: "same_day", NotParallel: "not_parallel", TimeWindow: "window"}


def _sessions_of(inst: Instance, p: int) -> list[int]:
    return [s.id for s in inst.sessions if p in s.speakers]


def _order(inst: Instance, built: Built, a: int, b: int) -> tuple[cp_model.IntVar, cp_model.IntVar]:
    """Booleans `a ends before b starts` and `b ends before a starts` (one pair per pair)."""
    m = built.model
    out = []
    for u, v in ((a, b), (b, a)):
        if (u, v) not in built.before:
            lit = m.new_bool_var(f"b{u}_{v}")
            m.add(built.start[u] + inst.by_id[u].duration <= built.start[v]).only_enforce_if(lit)
            built.before[u, v] = lit
        out.append(built.before[u, v])
    return out[0], out[1]


def _day(inst: Instance, built: Built, s: int) -> cp_model.IntVar:
    """The index of the day session s is on (created once)."""
    m = built.model
    name = f"D{s}"
    cache: dict[int, cp_model.IntVar] = built.__dict__.setdefault("_days", {})
    if s not in cache:
        var = m.new_int_var(0, max(0, len(inst.days) - 1), name)
        built.day_on[s] = []
        for k, d in enumerate(inst.days):
            on = m.new_bool_var(f"{name}_{k}")
            m.add(var == k).only_enforce_if(on)
            m.add(var != k).only_enforce_if(~on)
            m.add(built.start[s] >= d.start).only_enforce_if(on)
            m.add(built.start[s] < d.end).only_enforce_if(on)
            built.day_on[s].append(on)
        cache[s] = var
    return cache[s]


def _speakers(
    inst: Instance,
    built: Built,
    cand: Mapping[tuple[int, int], list[int]],
    rooms_of: Mapping[int, list[int]],
    guard: object,
) -> None:
    """No speaker in two places at once, travel included; with `guard`, behind one literal per
    speaker, and speakers' availability behind another (unguarded it is pre-filtered)."""
    m, start, x = built.model, built.start, built.x
    for p, speaker in inst.speakers.items():
        mine = _sessions_of(inst, p)
        if not mine:
            continue
        lit = guard("speaker", p) if callable(guard) and len(mine) > 1 else None
        avail = guard("availability", p) if callable(guard) and speaker.available else None
        ivs = []
        for s in mine:
            sess = inst.by_id[s]
            pads = {inst.pad[s, r] for r in rooms_of.get(s, ())}
            if avail is not None and sess.pinned is None:
                for r in rooms_of.get(s, ()):
                    room = inst.rooms[r]
                    ok = [t for t in cand[s, r] if speaker_ok(inst, sess, room, speaker, t)]
                    m.add_linear_expression_in_domain(
                        start[s], cp_model.Domain.from_values(ok)
                    ).only_enforce_if([x[s, r], avail])
            if lit is None and len(pads) == 1:
                before, after = pads.pop()
                ivs.append(
                    m.new_fixed_size_interval_var(
                        start[s] - before, sess.duration + before + after, f"P{p}_{s}"
                    )
                )
                continue
            for r in rooms_of.get(s, ()):
                before, after = inst.pad[s, r]
                present = x[s, r]
                if lit is not None:
                    present = m.new_bool_var(f"y{p}_{s}_{r}")
                    m.add_implication(present, x[s, r])
                    m.add_implication(present, lit)
                    m.add_bool_or([present, ~x[s, r], ~lit])
                ivs.append(
                    m.new_optional_fixed_size_interval_var(
                        start[s] - before, sess.duration + before + after, present, f"P{p}_{s}_{r}"
                    )
                )
        if len(ivs) > 1:
            m.add_no_overlap(ivs)


def hint(built: Built, inst: Instance, start: Mapping[int, tuple[int, int]]) -> None:
    """Give CP-SAT `start` (session -> (room, start), every session) as a complete hint."""
    m = built.model
    for s, (r, t) in start.items():
        m.add_hint(built.start[s], t)
        for (s2, r2), var in built.x.items():
            if s2 == s:
                m.add_hint(var, r2 == r)
    for (u, v), lit in built.before.items():
        m.add_hint(lit, start[u][1] + inst.by_id[u].duration <= start[v][1])
    for s, bools in built.day_on.items():
        for k, on in enumerate(bools):
            m.add_hint(on, inst.day_of(start[s][1]) == k)
    for (a, b), o in built.clash.items():
        ta, tb = start[a][1], start[b][1]
        m.add_hint(o, ta < tb + inst.by_id[b].duration and tb < ta + inst.by_id[a].duration)
