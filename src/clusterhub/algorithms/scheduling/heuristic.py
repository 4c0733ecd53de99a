"""Placing requests into slots: the LP-guided greedy, the repair that moves meetings aside,
the augmenting swaps for caps, and the naive slot-by-slot greedy kept as the baseline.

Every change goes through `State`, whose journal lets a failed attempt roll back exactly.
`movable[r]` is False for the fixed meetings (locked, or published when they may not move).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from .state import State

TABLE_TRIES = 24  # meetings of a full slot tried for a move before giving up on that slot


def lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def place_in_order(state: State, order: Iterable[int]) -> list[int]:
    """Put each request, in `order`, into its earliest free slot; return the ones left out."""
    inst = state.inst
    ra, rb, common, cap = inst.ra, inst.rb, inst.common, inst.cap
    busy, blocked, count = state.busy, state.blocked, state.count
    left: list[int] = []
    for r in order:
        a, b = ra[r], rb[r]
        if count[a] >= cap[a] or count[b] >= cap[b]:
            left.append(r)
            continue
        free = common[r] & ~(busy[a] | busy[b] | blocked[a] | blocked[b] | state.full)
        if free:
            state.place(r, lowest(free))
        else:
            left.append(r)
    return left


def slot_by_slot(state: State, order: list[int]) -> None:
    """The naive baseline: for each slot in time order, every request not yet placed, taken
    in `order`, that still fits there."""
    pending = list(order)
    for s in range(state.inst.n_slots):
        bit = 1 << s
        rest = []
        for r in pending:
            if not state.full & bit and state.free_slots(r) & bit:
                state.place(r, s)
            else:
                rest.append(r)
        pending = rest


def relocate(state: State, m: int, allowed: int, movable: list[bool], depth: int) -> bool:
    """Move placed meeting m to a slot in `allowed`, directly or (depth > 0) by clearing the
    way there; on False nothing has changed."""
    state.effort += 1
    if not movable[m]:
        return False
    targets = state.move_targets(m) & allowed
    if targets:
        state.remove(m)
        state.place(m, lowest(targets))
        return True
    if depth <= 0:
        return False
    mark = state.mark()
    here = state.slot_of[m]
    state.remove(m)
    for t in bits(state.inst.common[m] & allowed & ~(1 << here)):
        inner = state.mark()
        if clear_and_place(state, m, t, movable, depth - 1):
            return True
        state.rollback(inner)
    state.rollback(mark)
    return False


def clear_and_place(state: State, r: int, s: int, movable: list[bool], depth: int) -> bool:
    """Place unplaced request r in slot s, first moving out of s the meetings its people hold
    there, one meeting of a person whose session cap s would break, and one meeting if s has
    no table left. On False the caller rolls back."""
    inst = state.inst
    a, b = inst.ra[r], inst.rb[r]
    bit = 1 << s
    state.effort += 1
    if not inst.common[r] & bit:
        return False
    if state.count[a] >= inst.cap[a] or state.count[b] >= inst.cap[b]:
        return False
    away = ~bit
    for p in (a, b):
        m = state.held[p].get(s)
        if m is not None and not relocate(state, m, away, movable, depth):
            return False
    g = inst.sessions[s]
    if g >= 0:
        outside = ~inst.session_masks[g]
        for p in (a, b):
            if state.session_count[p][g] < inst.cap_session[p]:
                continue
            mine = [m for t, m in state.held[p].items() if inst.sessions[t] == g]
            if not any(relocate(state, m, outside, movable, depth) for m in mine):
                return False
    if state.full & bit:
        # Set order of ints is a function of the operations so far: deterministic.
        candidates = list(islice(state.at[s], TABLE_TRIES))
        if not any(relocate(state, m, away, movable, 0) for m in candidates):
            return False
    if state.free_slots(r) & bit:
        state.place(r, s)
        return True
    return False


def insert(state: State, r: int, movable: list[bool], depth: int) -> bool:
    """Place unplaced request r anywhere, moving other meetings aside if need be."""
    free = state.free_slots(r)
    if free:
        state.place(r, lowest(free))
        return True
    if depth < 0:
        return False
    for s in bits(state.inst.common[r]):
        mark = state.mark()
        if clear_and_place(state, r, s, movable, depth):
            return True
        state.rollback(mark)
    return False
