"""Augmenting swaps: when a cap stops a request, drop one meeting of the capped person, place
the request, and give the dropped meeting's other person another meeting in its stead. The
swap is kept only when it adds value (more meetings, or more weight). Only meetings of this
run are dropped (`droppable`); earlier placements may move but stay scheduled."""

from __future__ import annotations

from .heuristic import insert
from .state import State


def augment(
    state: State,
    r: int,
    value: list[int],
    movable: list[bool],
    droppable: list[bool],
    requests_of: list[list[int]],
    depth: int,
    *,
    chains: bool = True,
) -> bool:
    """Try to place unplaced request r, with a swap if one of its people is at their cap
    (not both: that would take two drops). True if the schedule now holds more value; on
    False nothing has changed. Without `chains`, only meetings worth less than r are
    dropped and no replacement is sought."""
    inst = state.inst
    if state.slot_of[r] >= 0:
        return False
    a, b = inst.ra[r], inst.rb[r]
    capped = [p for p in (a, b) if state.count[p] >= inst.cap[p]]
    if not capped:
        mark = state.mark()
        if insert(state, r, movable, depth):
            return True
        state.rollback(mark)
        return False
    if len(capped) == 2:
        return False
    p = capped[0]
    limit = value[r] if not chains else None
    drops = sorted(
        (m for m in state.held[p].values() if droppable[m] and (limit is None or value[m] < limit)),
        key=lambda m: (value[m], m),
    )
    # Cheap first: every drop with direct placements only, then with moves (depth).
    for level in range(-1, depth + 1):
        for m in drops:
            if _swap(state, r, m, p, value, movable, requests_of, level, chains):
                return True
    return False


def _swap(
    state: State,
    r: int,
    m: int,
    p: int,
    value: list[int],
    movable: list[bool],
    requests_of: list[list[int]],
    depth: int,
    chains: bool,
) -> bool:
    inst = state.inst
    mark = state.mark()
    state.remove(m)
    if insert(state, r, movable, depth):
        gain = value[r] - value[m]
        q = inst.rb[m] if inst.ra[m] == p else inst.ra[m]
        for n in requests_of[q] if chains else ():
            if state.slot_of[n] >= 0 or n == m or gain + value[n] <= 0:
                continue
            inner = state.mark()
            if insert(state, n, movable, -1):
                gain += value[n]
                break
            state.rollback(inner)
        if gain > 0:
            return True
    state.rollback(mark)
    return False
